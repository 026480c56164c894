"""The demo bundle (`app/demo/`) is a valid contract-v1 bundle on its own, and its README's verdict table,
`expected_verdicts.json` and the data agree.

These checks read the CSVs directly rather than through the bundle loader, so a broken demo is reported
here as a data problem, not as a loader failure; the end-to-end tests then compare the real walk with
`expected_verdicts.json`.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph_schema import BomLine, Company, Document, Facility, Item, ItemKind, Sourcing
from loaders.uflpa import load_uflpa_file

DEMO = Path(__file__).resolve().parent.parent / "app" / "demo"
VERDICTS = {"presumption_applies", "needs_review", "incomplete_trace", "no_risk_found"}

#: shared/FORMATS.md, version 1: file -> (required columns, optional columns)
CONTRACT: dict[str, tuple[set[str], set[str]]] = {
    "companies": (
        {"company_id", "name", "country"},
        {
            "name_local",
            "aliases",
            "registration_id",
            "registration_scheme",
            "address",
            "parent_company_id",
            "ownership_pct",
        },
    ),
    "facilities": (
        {"facility_id", "company_id", "country"},
        # gln (and items' gtin): tracegraph's documented extension, the GS1 keys EPCIS events use
        {"name", "activity", "address", "city", "region", "postal_code", "latitude", "longitude", "os_id"}
        | {"gln"},
    ),
    "items": ({"item_id", "name", "kind"}, {"hts_code", "commodity", "gtin"}),
    "bom": ({"parent_item_id", "component_item_id"}, {"quantity", "unit"}),
    "sourcing": (
        {"item_id", "supplier_facility_id"},
        {"buyer_facility_id", "share", "valid_from", "valid_to", "document_ids"},
    ),
    "documents": (
        {"document_id", "type"},
        {"number", "issued_on", "issuer_company_id", "uri", "sha256"},
    ),
}
MULTI = {"aliases", "document_ids"}


@cache
def rows(name: str) -> list[dict[str, str]]:
    with (DEMO / "bundle" / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, strict=True))


def record_fields(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row as record fields: empty cell = no value, `|` separates multi-valued cells."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value == "":
            continue
        out[key] = value.split("|") if key in MULTI else value
    return out


@cache
def records() -> dict[str, list[Any]]:
    return {
        "companies": [Company(**record_fields(r)) for r in rows("companies")],
        "facilities": [Facility(**record_fields(r)) for r in rows("facilities")],
        "items": [Item(**record_fields(r)) for r in rows("items")],
        "bom": [BomLine(**record_fields(r)) for r in rows("bom")],
        "sourcing": [Sourcing(**record_fields(r)) for r in rows("sourcing")],
        "documents": [Document(**record_fields(r)) for r in rows("documents")],
    }


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_each_file_has_the_contract_headers_and_required_values(name: str) -> None:
    required, optional = CONTRACT[name]
    with (DEMO / "bundle" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert required <= set(header), f"{name}.csv misses {required - set(header)}"
    assert set(header) <= required | optional, f"{name}.csv has columns the contract does not name"
    assert len(header) == len(set(header))
    for rownum, row in enumerate(rows(name), start=2):
        assert None not in row, f"{name}.csv row {rownum} has more cells than the header"
        for column in required:
            assert row[column].strip(), f"{name}.csv row {rownum}: {column} is empty"


def test_every_row_is_a_valid_record() -> None:
    recs = records()
    assert sum(len(v) for v in recs.values()) > 0
    for company in recs["companies"]:
        assert re.fullmatch(r"[A-Z]{2}", company.country)
    for fac in recs["facilities"]:
        assert re.fullmatch(r"[A-Z]{2}", fac.country)
        assert fac.latitude is not None and fac.longitude is not None


def test_ids_are_unique_per_file() -> None:
    recs = records()
    for name, recs_of_kind in recs.items():
        keys = [r.key for r in recs_of_kind]
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, f"{name}: duplicate keys {dupes}"


def test_every_reference_resolves_inside_the_demo() -> None:
    recs = records()
    companies = {c.company_id for c in recs["companies"]}
    facilities = {f.facility_id for f in recs["facilities"]}
    items = {i.item_id for i in recs["items"]}
    documents = {d.document_id for d in recs["documents"]}
    for c in recs["companies"]:
        assert c.parent_company_id is None or c.parent_company_id in companies, c.company_id
    for f in recs["facilities"]:
        assert f.company_id in companies, f.facility_id
    for line in recs["bom"]:
        assert line.parent_item_id in items and line.component_item_id in items, line.line_id
    for s in recs["sourcing"]:
        assert s.item_id in items, s.sourcing_id
        assert s.supplier_facility_id in facilities, s.sourcing_id
        assert s.buyer_facility_id is None or s.buyer_facility_id in facilities, s.sourcing_id
        assert set(s.document_ids) <= documents, s.sourcing_id
    for d in recs["documents"]:
        assert d.issuer_company_id is None or d.issuer_company_id in companies, d.document_id
    used = {d for s in recs["sourcing"] for d in s.document_ids}
    assert used == documents, f"documents backing no link: {sorted(documents - used)}"


def test_the_bom_is_acyclic_and_products_are_bought_and_made() -> None:
    recs = records()
    children: dict[str, list[str]] = defaultdict(list)
    for line in recs["bom"]:
        children[line.parent_item_id].append(line.component_item_id)
    state: dict[str, int] = {}

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert state.get(node) != 1, f"BOM cycle: {' > '.join((*path, node))}"
        if state.get(node) == 2:
            return
        state[node] = 1
        for child in children[node]:
            visit(child, (*path, node))
        state[node] = 2

    for i in recs["items"]:
        visit(i.item_id, ())
    products = [i.item_id for i in recs["items"] if i.kind is ItemKind.PRODUCT]
    tier1 = {s.item_id for s in recs["sourcing"] if s.buyer_facility_id is None}
    assert set(products) == tier1, "every product, and only products, is bought by the importer"
    assert all(children[p] for p in products), "every product has a bill of materials"


def test_shares_add_up_per_buyer_and_item() -> None:
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for s in records()["sourcing"]:
        assert s.share is not None
        totals[(s.buyer_key, s.item_id)] += s.share
    assert all(abs(t - 100) < 1e-9 for t in totals.values()), totals


def _uscc_ok(code: str) -> bool:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    if len(code) != 18 or any(c not in chars for c in code):
        return False
    total = sum(chars.index(c) * w for c, w in zip(code[:17], weights, strict=True))
    return chars[(31 - total % 31) % 31] == code[17]


def test_chinese_companies_have_local_names_and_valid_uscc_numbers() -> None:
    """The invented Chinese companies carry a Chinese name and a USCC with a valid check digit; the real,
    listed ones carry neither (we do not invent registration numbers for real companies)."""
    chinese = [c for c in records()["companies"] if c.country == "CN"]
    registered = [c for c in chinese if c.registration_id is not None]
    assert len(registered) >= 10
    for c in registered:
        assert c.name_local, c.company_id
        assert c.registration_scheme is not None and c.registration_scheme.value == "USCC"
        assert _uscc_ok(c.registration_id), (c.company_id, c.registration_id)


def test_the_demo_has_the_shapes_the_tour_relies_on() -> None:
    recs = records()
    facilities = {f.facility_id: f for f in recs["facilities"]}
    buyers = {s.buyer_facility_id for s in recs["sourcing"] if s.buyer_facility_id}
    # a trader that passes goods through (it buys what it sells) and one that names no supplier
    traders = {f for f, fac in facilities.items() if fac.activity.value in ("trading", "warehouse")}
    assert traders & buyers and traders - buyers
    # a component shared by two products
    parents: dict[str, set[str]] = defaultdict(set)
    for line in recs["bom"]:
        parents[line.component_item_id].add(line.parent_item_id)
    assert any(len(p) >= 2 for p in parents.values())
    # most links documented, some deliberately not
    documented = [bool(s.document_ids) for s in recs["sourcing"]]
    assert 0 < documented.count(False) < len(documented) * 0.2
    assert len({d.type for d in recs["documents"]}) >= 8


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def test_the_listed_companies_of_the_demo_match_the_shipped_list() -> None:
    """Guards the demo against a list edit: the names the tour relies on must stay listed."""
    _, entries = load_uflpa_file()
    listed = {_normalise(n): e for e in entries for n in (e.name, *e.aliases)}
    companies = {c.company_id: c for c in records()["companies"]}
    hoyuan = listed[_normalise(companies["C-HOYUAN"].name)]
    assert hoyuan.entry_id == "uflpa:v:hongyuan-green-energy-co-ltd"
    assert listed[_normalise(companies["C-HOSHINE"].name)].covers_subsidiaries is True
    assert listed[_normalise(companies["C-ZHONGHE"].name)].covers_subsidiaries is False


def _readme_table() -> dict[str, str]:
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^\| `([^`]+)` \|[^|]*\|[^|]*\| `([a-z_]+)` \|", line)
        if m:
            assert m.group(1) not in table, f"README lists {m.group(1)} twice"
            table[m.group(1)] = m.group(2)
    return table


def test_every_product_has_one_expected_verdict_in_the_readme_and_the_json() -> None:
    products = {i.item_id for i in records()["items"] if i.kind is ItemKind.PRODUCT}
    expected = json.loads((DEMO / "expected_verdicts.json").read_text(encoding="utf-8"))
    assert set(expected) == products
    assert set(expected.values()) == VERDICTS, "every verdict appears at least once"
    assert _readme_table() == expected
