"""One suite, both stores: what the service relies on from any `GraphStore`.

Every test takes the parametrized `store` fixture and a fresh `tenant`, so it runs on the embedded store
and on Neo4j and cannot see another test's data.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import ConflictError
from app.store.base import (
    GraphStore,
    KeyLookup,
    RecordKind,
    compare_by_reading,
    supply_closure_by_tiers,
)
from graph_schema import Activity, Bundle, ItemKind, ReviewVerdict
from tests.builders import (
    bom_line,
    bundle,
    company,
    document,
    facility,
    full_company,
    full_document,
    full_facility,
    full_item,
    full_list_entry,
    full_sourcing,
    item,
    list_entry,
    list_version,
    review,
    sourcing,
)


def _graph_bundle() -> Bundle:
    """A small complete graph: two tiers of sourcing behind one product."""
    return bundle(
        companies=[company("P1"), full_company("C1", parent_company_id="P1"), company("C2")],
        facilities=[full_facility("F1", "C1"), facility("F2", "C2"), facility("F3", "C2")],
        items=[item("shirt"), full_item("yarn"), item("cotton", ItemKind.MATERIAL)],
        bom=[bom_line("shirt", "yarn", quantity=0.3, unit="kg")],
        sourcing=[
            sourcing("shirt", "F2"),
            full_sourcing("yarn", "F1", "F2", document_ids=["D1"]),
            sourcing("cotton", "F3", "F1"),
        ],
        documents=[full_document("D1", issuer_company_id="C1")],
    )


# -- round trips -------------------------------------------------------------------------------------


def test_every_record_kind_round_trips_with_every_field(store: GraphStore, tenant: str) -> None:
    b = _graph_bundle()
    store.write_bundle(tenant, b, "v1")

    assert store.get_companies(tenant, ["C1", "C2", "P1"]) == {c.company_id: c for c in b.companies}
    assert store.get_facilities(tenant, ["F1", "F2", "F3"]) == {f.facility_id: f for f in b.facilities}
    assert store.get_items(tenant, ["shirt", "yarn", "cotton"]) == {i.item_id: i for i in b.items}
    assert store.get_documents(tenant, ["D1"]) == {"D1": b.documents[0]}
    assert store.get_bom(tenant, ["shirt"]) == {"shirt": b.bom}
    by_id = store.get_sourcing_by_id(tenant, [s.sourcing_id for s in b.sourcing])
    assert by_id == {s.sourcing_id: s for s in b.sourcing}
    # Values keep their Python types across the store (dates, floats, enums, lists).
    yarn = by_id[b.sourcing[1].sourcing_id]
    assert yarn.valid_from == date(2024, 1, 1) and yarn.share == 12.5 and yarn.document_ids == ["D1"]
    assert store.get_facilities(tenant, ["F1"])["F1"].latitude == pytest.approx(41.1681)
    # A supplier's links are found by its facility (what deactivating a vendor site ends).
    for supplier in sorted({s.supplier_facility_id for s in b.sourcing}):
        expected = sorted(s.sourcing_id for s in b.sourcing if s.supplier_facility_id == supplier)
        assert store.find_keys(tenant, KeyLookup.SOURCING_SUPPLIER, [supplier, "nope"]) == {
            supplier: expected
        }


def test_reads_of_unknown_ids_return_nothing(store: GraphStore, tenant: str) -> None:
    store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    assert store.get_companies(tenant, ["nope"]) == {}
    assert store.get_facilities(tenant, ["C1"]) == {}  # an ID of another kind is not a facility
    assert store.get_items(tenant, []) == {}
    assert store.get_documents(tenant, ["nope"]) == {}
    assert store.get_bom(tenant, ["nope"]) == {}
    assert store.get_sourcing(tenant, [("", "nope")]) == {}
    assert store.get_sourcing_by_id(tenant, ["nope"]) == {}
    assert store.existing_keys(tenant, RecordKind.COMPANIES, ["nope"]) == set()


def test_ids_survive_unusual_characters(store: GraphStore, tenant: str) -> None:
    odd = ["a>b", "ü/ß", "with space", "'quote\"", "a|b"]
    store.write_bundle(tenant, bundle(items=[item(i) for i in odd], bom=[bom_line("a>b", "a|b")]), "v1")
    assert sorted(store.get_items(tenant, odd)) == sorted(odd)
    assert store.existing_keys(tenant, RecordKind.BOM, ["a>b>a|b", "a>b>ü/ß"]) == {"a>b>a|b"}


# -- upserts -----------------------------------------------------------------------------------------


def test_upsert_replaces_whole_record_and_repoints_relationships(store: GraphStore, tenant: str) -> None:
    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1"), company("C2")],
            facilities=[full_facility("F1", "C1")],
            items=[item("I1"), item("I2")],
            sourcing=[full_sourcing("I1", "F1", None)],
            documents=[document("D1"), document("D2")],
        ),
        "v1",
    )
    store.write_bundle(
        tenant,
        bundle(
            facilities=[facility("F1", "C2", name="Renamed")],
            sourcing=[sourcing("I1", "F1", None, valid_from=date(2024, 1, 1), document_ids=["D2"])],
        ),
        "v2",
    )
    f1 = store.get_facilities(tenant, ["F1"])["F1"]
    assert f1.company_id == "C2" and f1.name == "Renamed"
    assert f1.region is None and f1.latitude is None  # absent in the new record: gone
    [row] = store.get_sourcing(tenant, [("", "I1")])[("", "I1")]
    assert row.share is None and row.valid_to is None and row.document_ids == ["D2"]
    assert store.tenant_info(tenant).counts["facilities"] == 1


def test_bom_line_upsert_replaces_quantity(store: GraphStore, tenant: str) -> None:
    items = [item("P"), item("A")]
    store.write_bundle(tenant, bundle(items=items, bom=[bom_line("P", "A", quantity=2, unit="pcs")]), "v1")
    # read first: a store that keeps lines it built must not serve the old one after the upsert
    assert store.get_bom(tenant, ["P"]) == {"P": [bom_line("P", "A", quantity=2, unit="pcs")]}
    store.write_bundle(tenant, bundle(bom=[bom_line("P", "A", quantity=3)]), "v2")
    assert store.get_bom(tenant, ["P"]) == {"P": [bom_line("P", "A", quantity=3)]}
    assert store.tenant_info(tenant).counts["bom"] == 1
    # a refused write that would have changed the line leaves the line as it was
    with pytest.raises(ConflictError, match="missing"):
        store.write_bundle(
            tenant, bundle(bom=[bom_line("P", "A", quantity=4), bom_line("P", "missing")]), "v3"
        )
    assert store.get_bom(tenant, ["P"]) == {"P": [bom_line("P", "A", quantity=3)]}


def test_references_to_earlier_loads_resolve(store: GraphStore, tenant: str) -> None:
    store.write_bundle(tenant, bundle(companies=[company("C1")], items=[item("I1"), item("I2")]), "v1")
    store.write_bundle(
        tenant,
        bundle(
            facilities=[facility("F1", "C1")], bom=[bom_line("I1", "I2")], sourcing=[sourcing("I1", "F1")]
        ),
        "v2",
    )
    assert store.get_bom(tenant, ["I1"]) == {"I1": [bom_line("I1", "I2")]}
    assert list(store.get_sourcing(tenant, [("", "I1")])) == [("", "I1")]


# -- keys and counts ---------------------------------------------------------------------------------


def test_existing_keys_per_kind(store: GraphStore, tenant: str) -> None:
    b = _graph_bundle()
    store.write_bundle(tenant, b, "v1")
    yarn = b.sourcing[1].sourcing_id
    cases = {
        RecordKind.COMPANIES: (["C1", "F1", "x"], {"C1"}),
        RecordKind.FACILITIES: (["F1", "C1"], {"F1"}),
        RecordKind.ITEMS: (["shirt", "yarn", "F1"], {"shirt", "yarn"}),
        RecordKind.BOM: (["shirt>yarn", "yarn>shirt", "shirt"], {"shirt>yarn"}),
        RecordKind.SOURCING: ([yarn, "yarn|F1|F2|"], {yarn}),
        RecordKind.DOCUMENTS: (["D1", "D2"], {"D1"}),
    }
    for kind, (asked, expected) in cases.items():
        assert store.existing_keys(tenant, kind, asked) == expected, kind


def test_compare_records_tells_stored_unchanged_and_changed_records(store: GraphStore, tenant: str) -> None:
    b = _graph_bundle()
    store.write_bundle(tenant, b, "v1")
    p1, c1, c2 = b.companies
    f1, f2, _ = b.facilities
    shirt, yarn, _ = b.items
    tier1, yarn_link, _ = b.sourcing
    d1 = b.documents[0]
    line = b.bom[0]
    # (records asked about, expected present, expected unchanged): for each kind one record as stored,
    # changed ones (a value changed, a field emptied, one filled, a list or an enum changed) and a new one.
    cases = [
        (
            RecordKind.COMPANIES,
            [
                p1,
                c1.model_copy(update={"name_local": None}),
                c2.model_copy(update={"aliases": ["X"]}),
                company("C9"),
            ],
            {"P1", "C1", "C2"},
            {"P1"},
        ),
        (
            RecordKind.FACILITIES,
            [f1.model_copy(update={"latitude": 41.1682}), f2, facility("F9", "C2")],
            {"F1", "F2"},
            {"F2"},
        ),
        (
            RecordKind.ITEMS,
            [shirt, yarn.model_copy(update={"kind": ItemKind.MATERIAL}), item("new")],
            {"shirt", "yarn"},
            {"shirt"},
        ),
        (RecordKind.BOM, [line, bom_line("yarn", "cotton")], {"shirt>yarn"}, {"shirt>yarn"}),
        (RecordKind.BOM, [line.model_copy(update={"quantity": 0.4})], {"shirt>yarn"}, set()),
        (RecordKind.BOM, [line.model_copy(update={"unit": None})], {"shirt>yarn"}, set()),
        (
            RecordKind.SOURCING,
            [
                tier1,
                yarn_link.model_copy(update={"valid_to": date(2025, 1, 31)}),
                sourcing("cotton", "F3", "F2"),
            ],
            {tier1.sourcing_id, yarn_link.sourcing_id},
            {tier1.sourcing_id},
        ),
        (
            RecordKind.SOURCING,
            [yarn_link.model_copy(update={"document_ids": ["D1", "D2"]})],
            {yarn_link.sourcing_id},
            set(),
        ),
        (RecordKind.DOCUMENTS, [d1, document("D2")], {"D1"}, {"D1"}),
        (RecordKind.DOCUMENTS, [d1.model_copy(update={"issued_on": date(2024, 3, 6)})], {"D1"}, set()),
    ]
    for kind, records, present, unchanged in cases:
        found = store.compare_records(tenant, kind, records)
        assert (found.present, found.unchanged) == (present, unchanged), (kind, records)
        assert found == compare_by_reading(store, tenant, kind, records), kind
    # Another tenant has none of them.
    assert store.compare_records(f"{tenant}-other", RecordKind.COMPANIES, [p1]) == (set(), set())


def test_tenant_info_counts_and_data_version(store: GraphStore, tenant: str) -> None:
    before = store.tenant_info(tenant)
    assert before.data_version == "" and sum(before.counts.values()) == 0
    store.write_bundle(tenant, _graph_bundle(), "2024-06-01T00:00:00Z#1")
    info = store.tenant_info(tenant)
    assert info.tenant == tenant and info.data_version == "2024-06-01T00:00:00Z#1"
    assert dict(info.counts) == {
        "companies": 3,
        "facilities": 3,
        "items": 3,
        "bom": 1,
        "sourcing": 3,
        "documents": 1,
    }
    store.write_bundle(tenant, bundle(companies=[company("C1")]), "second")
    assert store.tenant_info(tenant).data_version == "second"
    assert store.tenant_info(tenant).counts["companies"] == 3


# -- walk reads --------------------------------------------------------------------------------------


def test_get_bom_groups_by_parent_sorted_by_component(store: GraphStore, tenant: str) -> None:
    items = [item(i) for i in ("P", "Q", "c", "a", "b")]
    lines = [bom_line("P", "c"), bom_line("P", "a", quantity=1.5), bom_line("P", "b"), bom_line("Q", "a")]
    store.write_bundle(tenant, bundle(items=items, bom=lines), "v1")
    got = store.get_bom(tenant, ["P", "Q", "a"])
    assert list(got) == ["P", "Q"]  # "a" has no lines: absent
    assert [x.component_item_id for x in got["P"]] == ["a", "b", "c"]
    assert got["P"][0].quantity == 1.5
    assert got["Q"] == [bom_line("Q", "a")]


def test_get_sourcing_groups_by_buyer_and_item(store: GraphStore, tenant: str) -> None:
    rows = [
        sourcing("I1", "S2"),
        sourcing("I1", "S1"),
        sourcing("I1", "S1", valid_from=date(2023, 1, 1)),
        sourcing("I1", "S3", "B1"),
        sourcing("I2", "S3", "B1"),
    ]
    store.write_bundle(tenant, bundle(sourcing=rows), "v1")
    got = store.get_sourcing(tenant, [("", "I1"), ("B1", "I1"), ("B1", "I2"), ("B1", "I3"), ("S1", "I1")])
    assert set(got) == {("", "I1"), ("B1", "I1"), ("B1", "I2")}
    importer = got[("", "I1")]
    assert [s.sourcing_id for s in importer] == sorted(s.sourcing_id for s in rows[:3])
    assert all(s.buyer_facility_id is None for s in importer)  # "" is the importer itself
    assert got[("B1", "I1")] == [rows[3]]


def _upstream_bundle() -> Bundle:
    """A product through a trader to a maker with two components, one shared, one bought twice over."""
    return bundle(
        companies=[company("C1", name="Maker"), company("C2", name="Trader")],
        facilities=[
            facility("T", "C2", activity=Activity.TRADING),
            facility("M", "C1"),
            facility("S1", "C1"),
            facility("S2", "C1"),
            facility("FARM", "C1", activity=Activity.FARM),
        ],
        items=[
            item("P"),
            item("A", ItemKind.COMPONENT),
            item("B", ItemKind.COMPONENT),
            item("R", ItemKind.MATERIAL),
        ],
        bom=[bom_line("P", "A"), bom_line("P", "B"), bom_line("A", "R"), bom_line("B", "R")],
        sourcing=[
            sourcing("P", "T"),
            sourcing("P", "M", "T"),
            sourcing("A", "S1", "M"),
            sourcing("B", "S1", "M"),
            sourcing("B", "S2", "M"),
            sourcing("R", "FARM", "S1"),
            sourcing("R", "FARM", "S2"),
            sourcing("R", "S2", "S1"),  # a maker that also trades: followed by the closure
        ],
    )


def test_supply_closure_gives_what_tier_by_tier_reads_give(store: GraphStore, tenant: str) -> None:
    store.write_bundle(tenant, _upstream_bundle(), "v1")
    with store.snapshot():
        closure = store.get_supply_closure(tenant, [("", "P")])
        portable = supply_closure_by_tiers(store, tenant, [("", "P")])
    assert closure.asked == portable.asked
    assert dict(closure.rows) == dict(portable.rows)
    assert ("FARM", "R") in closure.asked and ("FARM", "R") not in closure.rows  # asked, none: an origin
    got = closure.rows[("M", "B")]
    assert [
        (r.sourcing.supplier_facility_id, r.facility.facility_id if r.facility else None) for r in got
    ] == [
        ("S1", "S1"),
        ("S2", "S2"),
    ]
    assert got[0].item is not None and [line.component_item_id for line in got[0].bom] == ["R"]
    assert got[0].operator is not None and got[0].operator.company_id == "C1"
    # Another tenant's identical IDs are never reached.
    assert store.get_supply_closure(tenant + "-other", [("", "P")]).rows == {}


def test_supply_closure_after_an_upsert_shows_the_upserted_records(store: GraphStore, tenant: str) -> None:
    """Read, upsert, read again: a store that keeps decoded records between reads must give the new
    ones (a stale operator name or share in an evidence path is what an auditor would notice)."""
    store.write_bundle(tenant, _upstream_bundle(), "v1")
    first = store.get_supply_closure(tenant, [("", "P")])
    assert first.rows[("M", "B")][0].operator is not None
    assert first.rows[("M", "B")][0].operator.name == "Maker"
    change = bundle(
        companies=[company("C1", name="Maker Renamed")],
        facilities=[facility("S1", "C2")],
        items=[item("B", ItemKind.COMPONENT, name="Component B v2")],
        bom=[bom_line("B", "R", quantity=7)],
        sourcing=[sourcing("B", "S2", "M", share=25.0)],
    )
    store.write_bundle(tenant, change, "v2")
    again = {
        (r.sourcing.supplier_facility_id): r
        for r in store.get_supply_closure(tenant, [("", "P")]).rows[("M", "B")]
    }
    assert again["S2"].operator is not None and again["S2"].operator.name == "Maker Renamed"
    assert again["S1"].facility is not None and again["S1"].facility.company_id == "C2"
    assert again["S1"].operator is not None and again["S1"].operator.name == "Trader"
    assert again["S2"].sourcing.share == 25.0
    assert again["S2"].item is not None and again["S2"].item.name == "Component B v2"
    assert [line.quantity for line in again["S2"].bom] == [7]


def test_list_items_keyset_pagination_and_kind_filter(store: GraphStore, tenant: str) -> None:
    kinds = [ItemKind.PRODUCT, ItemKind.COMPONENT, ItemKind.MATERIAL]
    items = [item(f"i{n:02d}", kinds[n % 3]) for n in range(10)]
    store.write_bundle(tenant, bundle(items=list(reversed(items))), "v1")

    pages: list[list[str]] = []
    after = None
    while page := store.list_items(tenant, after=after, limit=4):
        pages.append([i.item_id for i in page])
        after = page[-1].item_id
    assert pages == [["i00", "i01", "i02", "i03"], ["i04", "i05", "i06", "i07"], ["i08", "i09"]]

    components = store.list_items(tenant, kind=ItemKind.COMPONENT, limit=2)
    assert [i.item_id for i in components] == ["i01", "i04"]
    rest = store.list_items(tenant, kind=ItemKind.COMPONENT, after="i04", limit=10)
    assert [i.item_id for i in rest] == ["i07"]
    assert store.list_items(tenant, after="i09") == []


# -- tenant isolation --------------------------------------------------------------------------------


def test_tenants_with_colliding_ids_do_not_see_each_other(store: GraphStore, tenant: str) -> None:
    other = tenant + "-other"
    store.write_bundle(tenant, _graph_bundle(), "mine")
    theirs = bundle(
        companies=[company("C1", name="Their C1", country="VN")],
        items=[item("shirt"), item("zip")],
        bom=[bom_line("shirt", "zip")],
        sourcing=[sourcing("shirt", "F9")],
    )
    store.write_bundle(other, theirs, "theirs")

    assert store.get_companies(tenant, ["C1"])["C1"].country == "CN"
    assert store.get_companies(other, ["C1"])["C1"].name == "Their C1"
    assert store.get_bom(tenant, ["shirt"])["shirt"][0].component_item_id == "yarn"
    assert store.get_bom(other, ["shirt"])["shirt"] == [bom_line("shirt", "zip")]
    assert [s.supplier_facility_id for s in store.get_sourcing(other, [("", "shirt")])[("", "shirt")]] == [
        "F9"
    ]
    assert store.existing_keys(other, RecordKind.FACILITIES, ["F1", "F2"]) == set()
    assert store.existing_keys(other, RecordKind.BOM, ["shirt>yarn", "shirt>zip"]) == {"shirt>zip"}
    assert store.tenant_info(tenant).counts["companies"] == 3
    assert dict(store.tenant_info(other).counts) == {
        "companies": 1,
        "facilities": 0,
        "items": 2,
        "bom": 1,
        "sourcing": 1,
        "documents": 0,
    }
    assert store.tenant_info(other).data_version == "theirs"
    assert [i.item_id for i in store.list_items(other)] == ["shirt", "zip"]


def test_drop_tenant_removes_only_that_tenant(store: GraphStore, tenant: str) -> None:
    other = tenant + "-other"
    store.write_bundle(tenant, _graph_bundle(), "mine")
    store.write_bundle(other, _graph_bundle(), "theirs")
    records = sum(store.tenant_info(tenant).counts.values()) - store.tenant_info(tenant).counts["bom"]

    assert store.drop_tenant(tenant) == records
    gone = store.tenant_info(tenant)
    assert gone.data_version == "" and set(gone.counts.values()) == {0}
    assert store.get_companies(tenant, ["C1"]) == {} and store.get_sourcing(tenant, [("", "shirt")]) == {}
    assert store.tenant_info(other).counts["companies"] == 3
    assert store.tenant_info(other).data_version == "theirs"
    assert store.get_bom(other, ["shirt"])["shirt"][0].component_item_id == "yarn"
    assert store.drop_tenant(tenant) == 0


# -- atomicity ---------------------------------------------------------------------------------------


def test_failed_write_leaves_the_store_as_before(store: GraphStore, tenant: str) -> None:
    store.write_bundle(tenant, bundle(companies=[company("C1")], items=[item("I1")]), "v1")
    bad = bundle(
        companies=[company("C1", name="Changed"), company("C2")],
        items=[item("I2")],
        sourcing=[sourcing("I1", "F1")],
        bom=[bom_line("I1", "missing")],  # a relationship to an item that does not exist: refused
    )
    with pytest.raises(ConflictError, match="missing"):
        store.write_bundle(tenant, bad, "v2")
    assert store.get_companies(tenant, ["C1", "C2"]) == {"C1": company("C1")}
    assert store.get_items(tenant, ["I2"]) == {}
    assert store.get_sourcing(tenant, [("", "I1")]) == {}
    info = store.tenant_info(tenant)
    assert info.data_version == "v1" and info.counts["companies"] == 1 and info.counts["sourcing"] == 0


# -- screening lists ---------------------------------------------------------------------------------


def test_list_versions_current_is_newest_with_sorted_entries(store: GraphStore, list_name: str) -> None:
    assert store.current_list(list_name) is None
    v1 = list_version(f"{list_name}-v1", list_name, entry_count=2)
    store.write_list_version(v1, [full_list_entry("E2", list_name), list_entry("E1", list_name)])
    v2 = list_version(f"{list_name}-v2", list_name, entry_count=3, retrieved_on=date(2024, 1, 1))
    e2_changed = list_entry("E2", list_name, name="Renamed")
    store.write_list_version(v2, [list_entry("E3", list_name), e2_changed, list_entry("E1", list_name)])

    current = store.current_list(list_name)
    assert current is not None
    # Newest written wins, even though its retrieved_on date is older.
    assert current[0] == v2
    assert [e.entry_id for e in current[1]] == ["E1", "E2", "E3"]
    assert current[1][1] == e2_changed

    # Re-writing an older version makes it current again, with exactly its own entries.
    store.write_list_version(v1, [full_list_entry("E2", list_name), list_entry("E1", list_name)])
    again = store.current_list(list_name)
    assert again is not None and again[0] == v1
    assert again[1] == [list_entry("E1", list_name), full_list_entry("E2", list_name)]


def test_lists_are_shared_across_tenants_and_separate_by_name(store: GraphStore, list_name: str) -> None:
    other_name = list_name + "-other"
    store.write_list_version(list_version("a-" + list_name, list_name), [list_entry("E1", list_name)])
    store.write_list_version(list_version("b-" + list_name, other_name), [list_entry("X", other_name)])
    mine = store.current_list(list_name)
    theirs = store.current_list(other_name)
    assert mine is not None and [e.entry_id for e in mine[1]] == ["E1"]
    assert theirs is not None and [e.entry_id for e in theirs[1]] == ["X"]


def test_list_history_keeps_every_version_newest_first(store: GraphStore, list_name: str) -> None:
    other_name = list_name + "-other"
    v1 = list_version(f"{list_name}-h1", list_name)
    v2 = list_version(f"{list_name}-h2", list_name)
    store.write_list_version(v1, [full_list_entry("E1", list_name)])
    store.write_list_version(list_version(f"{other_name}-h1", other_name), [list_entry("X", other_name)])
    store.write_list_version(v2, [list_entry("E2", list_name), list_entry("E1", list_name, name="Renamed")])

    assert store.list_versions(list_name) == [v2, v1]
    everything = [v.version_id for v in store.list_versions()]
    assert (
        everything.index(v2.version_id)
        < everything.index(f"{other_name}-h1")
        < everything.index(v1.version_id)
    )
    # An old version keeps its own entries, so a later diff can say what changed.
    assert store.list_entries(v1.version_id) == [full_list_entry("E1", list_name)]
    assert [e.name for e in store.list_entries(v2.version_id)] == ["Renamed", "Entity E2"]
    assert store.list_entries("no-such-version") == []


def test_drop_list_retires_every_version_of_that_list_only(store: GraphStore, list_name: str) -> None:
    other_name = list_name + "-other"
    store.write_list_version(list_version(f"{list_name}-d1", list_name), [list_entry("E1", list_name)])
    store.write_list_version(list_version(f"{list_name}-d2", list_name), [list_entry("E2", list_name)])
    store.write_list_version(list_version(f"{other_name}-d1", other_name), [list_entry("X", other_name)])
    assert store.drop_list(list_name) == 2
    assert store.current_list(list_name) is None and store.list_versions(list_name) == []
    assert store.list_entries(f"{list_name}-d1") == []
    assert [v.version_id for v in store.list_versions(other_name)] == [f"{other_name}-d1"]
    assert store.drop_list(list_name) == 0


# -- reviewer decisions ------------------------------------------------------------------------------


def test_reviews_replace_by_id_and_stay_in_their_tenant(store: GraphStore, tenant: str) -> None:
    first = review("company:C1", "UFLPA", "E1", ReviewVerdict.REJECTED)
    store.put_review(tenant, first, "r1")
    assert store.data_version(tenant) == "r1"  # a decision is a change of the tenant's data
    store.put_review(tenant, review("company:C1", "BIS", "B9", ReviewVerdict.CONFIRMED), "r2")
    store.put_review(tenant, review("record:abc", "UFLPA", "E1", ReviewVerdict.CONFIRMED), "r3")
    changed = first.model_copy(update={"verdict": ReviewVerdict.CONFIRMED, "reason": "same USCC"})
    store.put_review(tenant, changed, "r4")
    assert store.data_version(tenant) == "r4"

    got = store.get_reviews(tenant, ["company:C1", "company:C2"])
    assert list(got) == ["company:C1"]
    assert [(r.list_name, r.entry_id, r.verdict) for r in got["company:C1"]] == [
        ("BIS", "B9", ReviewVerdict.CONFIRMED),
        ("UFLPA", "E1", ReviewVerdict.CONFIRMED),
    ]
    assert got["company:C1"][1] == changed
    assert store.get_reviews(tenant + "-other", ["company:C1"]) == {}


def test_a_snapshot_after_a_write_reads_what_the_write_changed(store: GraphStore, tenant: str) -> None:
    """Records a store keeps between reads (the Neo4j store, per data version) never outlive a write."""
    store.write_bundle(tenant, _upstream_bundle(), "v1")
    for _ in range(2):  # the second snapshot may be served from what the first kept
        with store.snapshot():
            assert store.data_version(tenant) == "v1"
            assert store.get_reviews(tenant, ["company:C1"]) == {}
            assert store.get_facilities(tenant, ["M"])["M"].name is None
            assert [line.component_item_id for line in store.get_bom(tenant, ["P"])["P"]] == ["A", "B"]
    decision = review("company:C1", "UFLPA", "E1", ReviewVerdict.REJECTED)
    store.put_review(tenant, decision, "v2")
    changed = _upstream_bundle()
    changed.facilities[1] = changed.facilities[1].model_copy(update={"name": "Renamed maker"})
    store.write_bundle(tenant, changed, "v3")
    with store.snapshot():
        assert store.data_version(tenant) == "v3"
        assert store.get_reviews(tenant, ["company:C1"]) == {"company:C1": [decision]}
        assert store.get_facilities(tenant, ["M"])["M"].name == "Renamed maker"


# -- schema ------------------------------------------------------------------------------------------


def test_ensure_schema_is_idempotent(store: GraphStore, tenant: str) -> None:
    store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    store.ensure_schema()
    store.ensure_schema()
    assert store.get_companies(tenant, ["C1"]) == {"C1": company("C1")}
    store.ping()
