"""Checks that need the tenant's existing data: references to earlier loads, and cycles through lines
loaded earlier. Runs on the in-memory store (no file): the loader only reads through the protocol."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest

from app.store.base import GraphStore, RecordKind
from app.store.memory import MemoryStore
from graph_schema import BomLine, Bundle
from loaders import ParsedBundle, validate_bundle
from tests import builders
from tests.loaders.helpers import CLEAN, TODAY, where, write_dir


@pytest.fixture
def store() -> MemoryStore:
    memory = MemoryStore(None)
    memory.ensure_schema()
    return memory


def validate(tmp_path: Path, store: GraphStore, tenant: str, **files: str) -> ParsedBundle:
    directory = write_dir(tmp_path / "bundle", {f"{name}.csv": text for name, text in files.items()})
    return validate_bundle(directory, store, tenant, today=TODAY)


def load(store: GraphStore, tenant: str, bundle: Bundle) -> None:
    store.write_bundle(tenant, bundle, "v-test")


def test_clean_bundle_validates_against_an_empty_tenant(store: MemoryStore, tenant: str) -> None:
    parsed = validate_bundle(CLEAN, store, tenant, today=TODAY)
    assert parsed.problems == []
    assert parsed.bundle is not None and parsed.bundle.size() == 16


def test_reference_to_nothing_anywhere(tmp_path: Path, store: MemoryStore, tenant: str) -> None:
    parsed = validate(
        tmp_path,
        store,
        tenant,
        companies="company_id,name,country\nC1,Acme,CN",
        facilities="facility_id,company_id,country\nF1,C1,CN\nF2,C9,CN",
    )
    assert [where(p) for p in parsed.problems] == [("facilities.csv", 3, "company_id")]
    assert parsed.problems[0].reason == "company_id 'C9' is neither in companies.csv nor already loaded"
    assert parsed.problems[0].value == "C9"
    assert parsed.bundle is None  # nothing of an invalid bundle may be written


def test_every_reference_column_is_checked(tmp_path: Path, store: MemoryStore, tenant: str) -> None:
    parsed = validate(
        tmp_path,
        store,
        tenant,
        companies="company_id,name,country,parent_company_id\nC1,Acme,CN,CX",
        facilities="facility_id,company_id,country\nF1,CY,CN",
        bom="parent_item_id,component_item_id\nIA,IB",
        sourcing="item_id,supplier_facility_id,buyer_facility_id,document_ids\nIC,FA,FB,D1|DX",
        documents="document_id,type,issuer_company_id\nD1,affidavit,CZ",
    )
    assert [(where(p), p.value) for p in parsed.problems] == [
        (("companies.csv", 2, "parent_company_id"), "CX"),
        (("facilities.csv", 2, "company_id"), "CY"),
        (("bom.csv", 2, "parent_item_id"), "IA"),
        (("bom.csv", 2, "component_item_id"), "IB"),
        (("sourcing.csv", 2, "item_id"), "IC"),
        (("sourcing.csv", 2, "supplier_facility_id"), "FA"),
        (("sourcing.csv", 2, "buyer_facility_id"), "FB"),
        (("sourcing.csv", 2, "document_ids"), "DX"),
        (("documents.csv", 2, "issuer_company_id"), "CZ"),
    ]
    dx = parsed.problems[7]
    assert dx.reason == "document_id 'DX' is neither in documents.csv nor already loaded"


def test_references_resolve_to_data_loaded_earlier(tmp_path: Path, store: MemoryStore, tenant: str) -> None:
    load(
        store,
        tenant,
        builders.bundle(
            companies=[builders.company("C1")],
            facilities=[builders.facility("F1", "C1"), builders.facility("F2", "C1")],
            items=[builders.item("SHIRT"), builders.item("YARN", kind="material")],
            documents=[builders.document("D1")],
        ),
    )
    parsed = validate(
        tmp_path,
        store,
        tenant,
        companies="company_id,name,country,parent_company_id\nC2,Sub,CN,C1",
        facilities="facility_id,company_id,country\nF3,C1,CN",
        bom="parent_item_id,component_item_id\nSHIRT,YARN",
        sourcing="item_id,supplier_facility_id,buyer_facility_id,document_ids\nYARN,F1,F2,D1",
        documents="document_id,type,issuer_company_id\nD2,affidavit,C1",
    )
    assert parsed.problems == []
    assert parsed.bundle is not None


def test_other_tenants_data_does_not_resolve_references(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    load(store, "someone-else", builders.bundle(companies=[builders.company("C1")]))
    parsed = validate(tmp_path, store, tenant, facilities="facility_id,company_id,country\nF1,C1,CN")
    assert [where(p) for p in parsed.problems] == [("facilities.csv", 2, "company_id")]


class CountingStore:
    """Passes reads through to a real store and counts them, to prove the loader asks in batches."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def existing_keys(self, tenant: str, kind: RecordKind, keys: Collection[str]) -> set[str]:
        self.calls[f"existing_keys:{kind.value}"] += 1
        return self.inner.existing_keys(tenant, kind, keys)

    def get_bom(self, tenant: str, parent_ids: Collection[str]) -> dict[str, list[BomLine]]:
        self.calls["get_bom"] += 1
        return self.inner.get_bom(tenant, parent_ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_store_is_asked_once_per_kind_whatever_the_bundle_size(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    load(
        store,
        tenant,
        builders.bundle(
            companies=[builders.company("C0")],
            facilities=[builders.facility(f"F{i}", "C0") for i in range(500)],
            items=[builders.item(f"I{i}") for i in range(500)],
        ),
    )
    rows = "\n".join(f"I{i},F{i},F{(i + 1) % 500}" for i in range(500))
    counting = CountingStore(store)
    parsed = validate_bundle(
        write_dir(
            tmp_path / "b", {"sourcing.csv": f"item_id,supplier_facility_id,buyer_facility_id\n{rows}\n"}
        ),
        counting,
        tenant,
        today=TODAY,
    )
    assert parsed.problems == []
    assert counting.calls == {"existing_keys:items": 1, "existing_keys:facilities": 1}


# -- cycles through loaded data ---------------------------------------------------------------------------


def _load_items_and_lines(store: GraphStore, tenant: str, items: str, lines: list[tuple[str, str]]) -> None:
    load(
        store,
        tenant,
        builders.bundle(
            items=[builders.item(i) for i in items],
            bom=[builders.bom_line(parent, component) for parent, component in lines],
        ),
    )


def test_bom_cycle_closed_by_the_bundle_through_loaded_lines(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    _load_items_and_lines(store, tenant, "ABCD", [("A", "B"), ("B", "C"), ("A", "D")])
    parsed = validate(tmp_path, store, tenant, bom="parent_item_id,component_item_id\nD,C\nC,A")
    assert [where(p) for p in parsed.problems] == [("bom.csv", 3, "component_item_id")]
    assert parsed.problems[0].reason == (
        "bill of materials cycle: C → A → B → C; already loaded: A → B, B → C"
    )
    assert parsed.bundle is None


def test_bom_cycle_spanning_several_bundle_rows_and_loaded_lines_is_reported_once(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    _load_items_and_lines(store, tenant, "ABCD", [("B", "C")])
    parsed = validate(tmp_path, store, tenant, bom="parent_item_id,component_item_id\nA,B\nC,D\nD,A")
    assert [where(p) for p in parsed.problems] == [("bom.csv", 4, "component_item_id")]
    assert parsed.problems[0].reason == (
        "bill of materials cycle: D → A → B → C → D (other lines: rows 2, 3); already loaded: B → C"
    )


def test_loaded_lines_deep_below_the_bundle_are_followed(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    chain = "ABCDEFGH"
    _load_items_and_lines(store, tenant, chain, list(itertools.pairwise(chain)))
    counting = CountingStore(store)
    parsed = validate(tmp_path, counting, tenant, bom="parent_item_id,component_item_id\nH,A")
    assert [where(p) for p in parsed.problems] == [("bom.csv", 2, "component_item_id")]
    assert "H → A → B → C → D → E → F → G → H" in parsed.problems[0].reason
    # One call per level, not per item: {H, A} first, then B, C, D, E, F, G.
    assert counting.calls["get_bom"] == 7


def test_reloading_an_existing_line_is_an_upsert_not_a_cycle(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    _load_items_and_lines(store, tenant, "ABC", [("A", "B"), ("B", "C")])
    parsed = validate(tmp_path, store, tenant, bom="parent_item_id,component_item_id,quantity\nA,B,2\nA,C,1")
    assert parsed.problems == []
    assert parsed.bundle is not None and len(parsed.bundle.bom) == 2


def test_bundle_only_cycle_is_not_reported_twice(tmp_path: Path, store: MemoryStore, tenant: str) -> None:
    _load_items_and_lines(store, tenant, "AB", [])
    parsed = validate(tmp_path, store, tenant, bom="parent_item_id,component_item_id\nA,B\nB,A")
    assert [where(p) for p in parsed.problems] == [("bom.csv", 3, "component_item_id")]


def test_ownership_loop_through_a_loaded_parent(tmp_path: Path, store: MemoryStore, tenant: str) -> None:
    load(
        store,
        tenant,
        builders.bundle(
            companies=[
                builders.company("C1"),
                builders.company("C2", parent_company_id="C3"),
                builders.company("C3", parent_company_id="C4"),
                builders.company("C4"),
            ]
        ),
    )
    # C1 becomes C2's parent... and C4's new parent is C1: C1 → C2 → C3 → C4 → C1.
    text = "company_id,name,country,parent_company_id\nC1,A,CN,C2\nC4,D,CN,C1"
    parsed = validate(tmp_path, store, tenant, companies=text)
    assert [where(p) for p in parsed.problems] == [("companies.csv", 3, "parent_company_id")]
    assert "C4 → C1 → C2 → C3 → C4" in parsed.problems[0].reason
    assert "already loaded: C2 → C3, C3 → C4" in parsed.problems[0].reason


def test_a_company_in_the_bundle_replaces_its_loaded_parent(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    load(
        store,
        tenant,
        builders.bundle(companies=[builders.company("C1", parent_company_id="C2"), builders.company("C2")]),
    )
    # C1 no longer names a parent, so C2 → C1 closes no loop.
    text = "company_id,name,country,parent_company_id\nC1,A,CN,\nC2,B,CN,C1"
    parsed = validate(tmp_path, store, tenant, companies=text)
    assert parsed.problems == []


def test_problems_from_the_bundle_and_from_the_store_come_together(
    tmp_path: Path, store: MemoryStore, tenant: str
) -> None:
    parsed = validate(
        tmp_path,
        store,
        tenant,
        items="item_id,name,kind\nI1,Shirt,thing",
        sourcing="item_id,supplier_facility_id\nI1,F1",
    )
    assert [where(p) for p in parsed.problems] == [
        ("items.csv", 2, "kind"),
        ("sourcing.csv", 2, "supplier_facility_id"),
    ]
