"""The synthetic bundle generator: reproducible to the byte, near its target size, and a valid bundle
(references resolve, BOM acyclic, shares add up), with the shapes benchmarks rely on.

The checks read the CSVs back independently of the loader; one test also runs the project's bundle
validator over a generated bundle, so generator and contract cannot drift apart.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bench.generate import HEADERS, GeneratorConfig, generate, main, uscc

FILES = tuple(HEADERS)


def read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, strict=True)
        assert tuple(reader.fieldnames or ()) == HEADERS[name]
        return list(reader)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, seed=7, nodes=3_000, deep_states=50)
    generate(b, seed=7, nodes=3_000, deep_states=50)
    generate(c, seed=8, nodes=3_000, deep_states=50)
    for name in FILES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    assert any((a / f"{n}.csv").read_bytes() != (c / f"{n}.csv").read_bytes() for n in FILES)


@pytest.mark.parametrize("target", [2_000, 30_000])
def test_size_is_near_the_target(tmp_path: Path, target: int) -> None:
    stats = generate(tmp_path, seed=1, nodes=target)
    counted = sum(
        len(read(tmp_path, n)) for n in ("companies", "facilities", "items", "documents", "sourcing")
    )
    assert stats.nodes == counted
    assert target <= stats.nodes <= target * 1.1
    assert stats.rows == {n: len(read(tmp_path, n)) for n in FILES}


def test_an_exact_number_of_products(tmp_path: Path) -> None:
    stats = generate(tmp_path, n_products=25, seed=3)
    products = [r for r in read(tmp_path, "items") if r["kind"] == "product"]
    assert stats.products == len(products) == 25


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    generate(out, seed=11, nodes=15_000, share_xuar=0.05, trader_share=0.15, deep_states=120)
    return out


def test_every_reference_resolves_and_ids_are_unique(bundle: Path) -> None:
    data = {name: read(bundle, name) for name in FILES}
    ids = {
        "companies": [r["company_id"] for r in data["companies"]],
        "facilities": [r["facility_id"] for r in data["facilities"]],
        "items": [r["item_id"] for r in data["items"]],
        "documents": [r["document_id"] for r in data["documents"]],
    }
    for name, keys in ids.items():
        assert len(keys) == len(set(keys)), f"duplicate IDs in {name}"
    companies, facilities = set(ids["companies"]), set(ids["facilities"])
    items, documents = set(ids["items"]), set(ids["documents"])
    for r in data["companies"]:
        assert r["parent_company_id"] in companies | {""}
    for r in data["facilities"]:
        assert r["company_id"] in companies
    for r in data["bom"]:
        assert r["parent_item_id"] in items and r["component_item_id"] in items
    identities = Counter(
        (r["item_id"], r["supplier_facility_id"], r["buyer_facility_id"], r["valid_from"])
        for r in data["sourcing"]
    )
    assert max(identities.values()) == 1, "a sourcing identity appears twice"
    for r in data["sourcing"]:
        assert r["item_id"] in items
        assert r["supplier_facility_id"] in facilities
        assert r["buyer_facility_id"] in facilities | {""}
        assert {d for d in r["document_ids"].split("|") if d} <= documents
    for r in data["documents"]:
        assert r["issuer_company_id"] in companies


def test_the_bom_and_the_ownership_chains_are_acyclic(bundle: Path) -> None:
    for rows, parent_col, child_col in (
        (read(bundle, "bom"), "parent_item_id", "component_item_id"),
        (read(bundle, "companies"), "parent_company_id", "company_id"),
    ):
        children: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            if r[parent_col]:
                children[r[parent_col]].append(r[child_col])
        state: dict[str, int] = {}
        for root in list(children):
            stack = [(root, iter(children[root]))]
            state[root] = 1
            while stack:
                node, it = stack[-1]
                child = next(it, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    continue
                assert state.get(child) != 1, f"cycle through {child}"
                if child not in state:
                    state[child] = 1
                    stack.append((child, iter(children[child])))


def test_shares_add_up_and_most_links_are_documented(bundle: Path) -> None:
    totals: dict[tuple[str, str], float] = defaultdict(float)
    sourcing = read(bundle, "sourcing")
    for r in sourcing:
        totals[(r["buyer_facility_id"], r["item_id"])] += float(r["share"])
    assert all(abs(t - 100) < 0.011 for t in totals.values())
    documented = sum(bool(r["document_ids"]) for r in sourcing) / len(sourcing)
    assert 0.75 < documented < 0.95


def test_the_shapes_benchmarks_rely_on(bundle: Path) -> None:
    facilities = {r["facility_id"]: r for r in read(bundle, "facilities")}
    sourcing = read(bundle, "sourcing")
    bom = read(bundle, "bom")
    buyers = {r["buyer_facility_id"] for r in sourcing}
    # traders that pass goods through (they buy what they sell)
    assert any(f["activity"] == "trading" and fid in buyers for fid, f in facilities.items())
    # shared components: some item is a component of several parents
    assert max(Counter(r["component_item_id"] for r in bom).values()) >= 5
    # XUAR origins with Xinjiang registrations on their operators
    xuar = [f for f in facilities.values() if f["region"] == "Xinjiang" and f["activity"] != "warehouse"]
    assert xuar
    companies = {r["company_id"]: r for r in read(bundle, "companies")}
    assert all(companies[f["company_id"]]["registration_id"][2:4] == "65" for f in xuar)
    # untraced inputs: a maker with no supplier for one of its components, or a trader naming no supplier
    components: dict[str, list[str]] = defaultdict(list)
    for r in bom:
        components[r["parent_item_id"]].append(r["component_item_id"])
    bought = {(r["buyer_facility_id"], r["item_id"]) for r in sourcing}
    gaps = [
        (r["item_id"], r["supplier_facility_id"])
        for r in sourcing
        if (r["supplier_facility_id"], r["item_id"]) not in bought
        and (
            facilities[r["supplier_facility_id"]]["activity"] in ("trading", "warehouse")
            or any((r["supplier_facility_id"], c) not in bought for c in components[r["item_id"]])
        )
    ]
    assert gaps


def _walk_states(bundle: Path, product: str) -> int:
    """Count (item, facility) states as FORMATS.md's walk would: an independent re-statement for the test."""
    facilities = {r["facility_id"]: r["activity"] for r in read(bundle, "facilities")}
    bom: dict[str, list[str]] = defaultdict(list)
    for r in read(bundle, "bom"):
        bom[r["parent_item_id"]].append(r["component_item_id"])
    supply: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in read(bundle, "sourcing"):
        supply[(r["buyer_facility_id"], r["item_id"])].append(r["supplier_facility_id"])
    frontier = [(product, f) for f in supply[("", product)]]
    seen = set(frontier)
    while frontier:
        nxt = []
        for item, fac in frontier:
            if supply.get((fac, item)):
                children = [(item, g) for g in supply[(fac, item)]]
            elif facilities[fac] in ("trading", "warehouse"):
                children = []
            else:
                children = [(c, g) for c in bom[item] for g in supply.get((fac, c), [])]
            for child in children:
                if child not in seen:
                    seen.add(child)
                    nxt.append(child)
        frontier = nxt
    return len(seen)


def test_the_deep_product_has_exactly_the_requested_states(tmp_path: Path) -> None:
    stats = generate(tmp_path, seed=5, nodes=None, n_products=3, deep_states=1_000)
    assert stats.deep_product_id is not None
    assert _walk_states(tmp_path, stats.deep_product_id) == 1_000


def test_uscc_numbers_carry_a_valid_check_character() -> None:
    code = uscc("652900", 123)
    assert len(code) == 18 and code.startswith("91652900")
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(code[:17], weights, strict=True))
    assert chars[(31 - total % 31) % 31] == code[17]


def test_the_generated_bundle_passes_the_bundle_validator(tmp_path: Path) -> None:
    from loaders.bundle import read_bundle

    generate(tmp_path, seed=2, nodes=4_000, deep_states=40)
    parsed = read_bundle(tmp_path)
    assert parsed.ok, [str(p) for p in parsed.problems[:5]]


def test_bad_knobs_are_refused() -> None:
    with pytest.raises(ValueError, match="tiers"):
        GeneratorConfig(tiers=1)
    with pytest.raises(ValueError, match="share_xuar"):
        GeneratorConfig(share_xuar=1.5)


def test_the_command_line_writes_the_bundle_and_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--nodes", "1500", "--seed", "9", "--out", str(tmp_path), "--deep-product", "30"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["nodes"] >= 1500 and report["deep_product_states"] == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.csv" for n in FILES)
