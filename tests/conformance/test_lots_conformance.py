"""The lot methods of `GraphStore`, held to one behaviour on both stores: lots and events round-trip,
relationships follow the records when rewritten, lookups by GS1 key, listing, isolation and offboarding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from app.store.base import GraphStore, KeyLookup, LotLink
from graph_schema import Activity, DocumentType, ItemKind
from graph_schema.records import BizTransaction, EpcisEventType, Lot, LotEvent, LotQuantity, PartyRef
from tests.builders import bundle, company, document, facility, item

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def _world(store: GraphStore, tenant: str) -> None:
    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1")],
            facilities=[
                facility("F1", "C1", gln="6920002000027", activity=Activity.PROCESSING),
                facility("F2", "C1", gln="8930001000018"),
            ],
            items=[item("LINT", ItemKind.MATERIAL, gtin="06920002000775"), item("YARN", ItemKind.COMPONENT)],
            documents=[
                document("D1", DocumentType.PURCHASE_ORDER, number="PO-1"),
                document("D2", DocumentType.BILL_OF_LADING, number="PO-1"),
            ],
        ),
        "v1",
    )


def _lot(lot_id: str, item_id: str = "LINT", **fields: object) -> Lot:
    return Lot(lot_id=lot_id, item_id=item_id, lot=lot_id.split(".", 1)[1], **fields)  # type: ignore[arg-type]


def _spin(event_id: str = "E2", inputs: tuple[str, ...] = ("LINT.L1",)) -> LotEvent:
    return LotEvent(
        event_id=event_id,
        type=EpcisEventType.TRANSFORMATION,
        event_time=T0 + timedelta(days=1),
        event_time_zone_offset="+08:00",
        biz_step="commissioning",
        biz_location="F2",
        inputs=[LotQuantity(lot_id=i, quantity=100.5, uom="KGM") for i in inputs],
        outputs=[LotQuantity(lot_id="YARN.Y1", quantity=90, uom="KGM")],
        biz_transactions=[BizTransaction(type="po", id="urn:x:PO-1", document_ids=["D1"])],
        sources=[PartyRef(type="location", id="urn:epc:id:sgln:6920002.00002.0", facility_id="F1")],
    )


def _gin() -> LotEvent:
    return LotEvent(
        event_id="E1",
        type=EpcisEventType.OBJECT,
        action="ADD",
        event_time=T0,
        event_time_zone_offset="+08:00",
        read_point="F1",
        lots=[LotQuantity(lot_id="LINT.L1", quantity=400, uom="KGM"), LotQuantity(lot_id="LINT.L2")],
    )


def _lots() -> list[Lot]:
    return [
        _lot(
            "LINT.L1",
            facility_id="F1",
            quantity=400.0,
            uom="KGM",
            made_in_event_id="E1",
            first_event_time=T0.astimezone(UTC),
            facility_ids=["F1", "F2"],
            event_ids=["E1", "E2"],
        ),
        _lot("LINT.L2", facility_id="F1", event_ids=["E1"]),
        _lot("YARN.Y1", "YARN", facility_id="F2", event_ids=["E2"]),
    ]


def test_lots_and_events_round_trip_with_every_field(store: GraphStore, tenant: str) -> None:
    _world(store, tenant)
    lots, events = _lots(), [_gin(), _spin()]
    link = LotLink("YARN.Y1", "LINT.L1", "E2", 100.5, "KGM")
    store.write_lots(tenant, lots, events, [link], "v2")
    assert store.data_version(tenant) == "v2"
    assert store.get_lots(tenant, ["LINT.L1", "LINT.L2", "YARN.Y1", "NOPE"]) == {
        lot.lot_id: lot for lot in lots
    }
    got = store.get_lot_events(tenant, ["E1", "E2"])
    assert got == {"E1": events[0], "E2": events[1]}
    assert got["E2"].event_time.utcoffset() == timedelta(hours=8)  # the event's own offset is kept
    assert [e.to_props() for e in got.values()] == [e.to_props() for e in events]
    # Links are found from either end.
    assert store.get_lot_links(tenant, ["YARN.Y1"]) == [link]
    assert store.get_lot_links(tenant, ["LINT.L1"]) == [link]
    assert store.get_lot_links(tenant, ["LINT.L2", "NOPE"]) == []


def test_rewriting_a_lot_replaces_its_inputs(store: GraphStore, tenant: str) -> None:
    _world(store, tenant)
    store.write_lots(tenant, _lots(), [_gin(), _spin()], [LotLink("YARN.Y1", "LINT.L1", "E2")], "v2")
    corrected = _spin(inputs=("LINT.L2",))
    store.write_lots(tenant, [_lots()[2]], [corrected], [LotLink("YARN.Y1", "LINT.L2", "E2", 3.0)], "v3")
    assert store.get_lot_links(tenant, ["YARN.Y1"]) == [LotLink("YARN.Y1", "LINT.L2", "E2", 3.0)]
    assert store.get_lot_links(tenant, ["LINT.L1"]) == []
    assert store.get_lot_events(tenant, ["E2"])["E2"].inputs[0].lot_id == "LINT.L2"


def test_records_are_found_by_gs1_key_and_document_number(store: GraphStore, tenant: str) -> None:
    _world(store, tenant)
    assert store.find_keys(tenant, KeyLookup.FACILITY_GLN, ["6920002000027", "0000000000000"]) == {
        "6920002000027": ["F1"]
    }
    assert store.find_keys(tenant, KeyLookup.ITEM_GTIN, ["06920002000775"]) == {"06920002000775": ["LINT"]}
    assert store.find_keys(tenant, KeyLookup.DOCUMENT_NUMBER, ["PO-1", "PO-2"]) == {"PO-1": ["D1", "D2"]}
    assert store.find_keys(f"{tenant}-other", KeyLookup.DOCUMENT_NUMBER, ["PO-1"]) == {}


def test_lots_are_listed_in_id_order_by_item_and_by_part_of_the_id(store: GraphStore, tenant: str) -> None:
    _world(store, tenant)
    store.write_lots(tenant, _lots(), [_gin(), _spin()], [], "v2")
    ids = [lot.lot_id for lot in store.list_lots(tenant)]
    assert ids == ["LINT.L1", "LINT.L2", "YARN.Y1"]
    assert [lot.lot_id for lot in store.list_lots(tenant, item_id="LINT", offset=1, limit=5)] == ["LINT.L2"]
    assert [lot.lot_id for lot in store.list_lots(tenant, q="yarn")] == ["YARN.Y1"]
    assert [lot.lot_id for lot in store.list_lots(tenant, limit=2)] == ["LINT.L1", "LINT.L2"]
    by_item = store.lots_of_items(tenant, ["LINT", "YARN", "NONE"])
    assert {k: [lot.lot_id for lot in v] for k, v in by_item.items()} == {
        "LINT": ["LINT.L1", "LINT.L2"],
        "YARN": ["YARN.Y1"],
    }


def test_lots_are_each_tenants_own_and_go_with_the_tenant(store: GraphStore, tenant: str) -> None:
    other = f"{tenant}-other"
    _world(store, tenant)
    store.write_lots(tenant, _lots(), [_gin(), _spin()], [LotLink("YARN.Y1", "LINT.L1", "E2")], "v2")
    assert store.get_lots(other, ["LINT.L1"]) == {} and store.list_lots(other) == []
    assert store.get_lot_events(other, ["E1"]) == {} and store.get_lot_links(other, ["LINT.L1"]) == []
    assert store.lots_of_items(other, ["LINT"]) == {}
    assert store.drop_tenant(tenant) >= 5 + 3 + 2
    assert store.get_lots(tenant, ["LINT.L1"]) == {} and store.get_lot_events(tenant, ["E1"]) == {}
