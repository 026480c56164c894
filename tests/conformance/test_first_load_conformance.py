"""`GraphStore.first_load` on both stores: records handed over kind by kind while a bundle is still being
validated are written exactly as `write_bundle` would write them, and only on `commit`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.store.base import GraphStore, RecordKind
from graph_schema import Bundle
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing


def _sample() -> Bundle:
    return bundle(
        companies=[company("C1", parent_company_id="C2", ownership_pct=60.0), company("C2"), company("C3")],
        facilities=[facility("F1", "C1"), facility("G1", "C3", activity="farm", country="US")],
        items=[item("P"), item("L", kind="material"), item("S", kind="component")],
        bom=[bom_line("P", "S", quantity=2.0, unit="pcs"), bom_line("S", "L")],
        sourcing=[
            sourcing("P", "F1", document_ids=["D1", "D2"]),
            sourcing("S", "F1", "F1"),
            sourcing("L", "G1", "F1", document_ids=["D2"]),
        ],
        documents=[document("D1", issuer_company_id="C1"), document("D2", issuer_company_id="C3")],
    )


def _everything(store: GraphStore, tenant: str, b: Bundle) -> dict[str, Any]:
    """What a reader can see of the tenant's copy of `b`."""
    return {
        "version": store.data_version(tenant),
        "counts": dict(store.tenant_info(tenant).counts),
        "companies": store.get_companies(tenant, [c.company_id for c in b.companies]),
        "facilities": store.get_facilities(tenant, [f.facility_id for f in b.facilities]),
        "items": store.get_items(tenant, [i.item_id for i in b.items]),
        "bom": store.get_bom(tenant, [i.item_id for i in b.items]),
        "supply": store.get_supply(tenant, [(s.buyer_key, s.item_id) for s in b.sourcing]),
        "documents": store.get_documents(tenant, [d.document_id for d in b.documents]),
    }


ORDERS: dict[str, Callable[[tuple[RecordKind, ...]], list[RecordKind]]] = {
    "store's order": list,
    "reversed": lambda order: list(reversed(order)),
}


@pytest.mark.parametrize("order", sorted(ORDERS))
def test_a_first_load_handed_over_kind_by_kind_equals_write_bundle(
    store: GraphStore, tenant: str, order: str
) -> None:
    b = _sample()
    other = f"{tenant}-other"
    store.write_bundle(other, b, "v1")

    load = store.first_load(tenant)
    try:
        load.start(b.size())
        for kind in ORDERS[order](load.order):
            load.add(kind, getattr(b, kind.value))
        load.commit("v1")
    finally:
        load.close()

    assert _everything(store, tenant, b) == _everything(store, other, b)
    assert store.data_version(tenant) == "v1" and store.tenant_info(tenant).counts["sourcing"] == 3


def test_its_order_names_every_kind_once(store: GraphStore, tenant: str) -> None:
    load = store.first_load(tenant)
    load.close()
    assert sorted(load.order) == sorted(RecordKind)


def test_nothing_is_visible_before_commit_and_nothing_is_kept_without_one(
    store: GraphStore, tenant: str
) -> None:
    b = _sample()
    load = store.first_load(tenant)
    load.start(b.size())
    for kind in load.order[:3]:
        load.add(kind, getattr(b, kind.value))
    assert store.data_version(tenant) == "" and store.get_companies(tenant, ["C1"]) == {}
    load.close()
    assert store.data_version(tenant) == ""
    assert store.get_companies(tenant, ["C1", "C2"]) == {} and store.get_items(tenant, ["P"]) == {}

    # Closing gave the tenant back: a load after it writes as usual.
    store.write_bundle(tenant, b, "v2")
    assert store.data_version(tenant) == "v2"
    assert set(store.get_companies(tenant, ["C1", "C2"])) == {"C1", "C2"}


def test_kinds_never_handed_over_are_written_as_empty(store: GraphStore, tenant: str) -> None:
    load = store.first_load(tenant)
    try:
        load.start(2)
        load.add(RecordKind.COMPANIES, [company("C1"), company("C2")])
        load.commit("v1")
    finally:
        load.close()
    assert store.data_version(tenant) == "v1"
    assert set(store.get_companies(tenant, ["C1", "C2"])) == {"C1", "C2"}
    assert store.tenant_info(tenant).counts["items"] == 0
