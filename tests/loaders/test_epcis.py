"""GS1 EPCIS 2.0 documents in: GS1 keys, every identifier form, every event type, every malformed case
with its JSON pointer, all-or-nothing loads and idempotent reloads (on both stores)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app.store.base import GraphStore
from app.trace.lots import load_epcis
from graph_schema import Activity, Bundle, DocumentType, ItemKind
from loaders.epcis import (
    EpcisInvalidError,
    IdentifierError,
    LocationKey,
    ProductKey,
    canonical_lot_id,
    normalize_gtin,
    parse_location,
    parse_product,
    validate_epcis,
    validate_gln,
)
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing
from tests.loaders.helpers import read_csvs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "epcis"
GLN_SEW, GLN_GIN, GLN_FARM = "8930001000018", "6920002000027", "0614141000036"
SHIRT_GTIN13, LINT_GTIN14 = "0614141123452", "06920002000775"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def world() -> Bundle:
    """A shirt sewn in Vietnam from lint ginned in Aksu from seed cotton grown in Texas; a trader in
    between. GS1 keys on the facilities and items the fixtures name."""
    return bundle(
        companies=[
            company("C-SEW", country="VN"),
            company("C-GIN"),
            company("C-FARM", country="US"),
            company("C-TRD", country="HK"),
        ],
        facilities=[
            facility("F-SEW", "C-SEW", country="VN", gln=GLN_SEW, name="Sewing"),
            facility(
                "F-GIN",
                "C-GIN",
                activity=Activity.PROCESSING,
                region="Xinjiang",
                city="Aksu",
                gln=GLN_GIN,
                name="Aksu gin",
            ),
            facility("F-FARM", "C-FARM", activity=Activity.FARM, country="US", region="Texas", gln=GLN_FARM),
            facility("F-TRD", "C-TRD", activity=Activity.TRADING, country="HK"),
        ],
        items=[
            item("SHIRT", gtin=normalize_gtin(SHIRT_GTIN13)),
            item("LINT", ItemKind.MATERIAL, gtin=LINT_GTIN14),
            item("SEED", ItemKind.MATERIAL),
        ],
        bom=[bom_line("SHIRT", "LINT"), bom_line("LINT", "SEED")],
        sourcing=[
            sourcing("SHIRT", "F-SEW"),
            sourcing("LINT", "F-GIN", "F-SEW"),
            sourcing("SEED", "F-FARM", "F-GIN"),
        ],
        documents=[
            document("D-PO", DocumentType.PURCHASE_ORDER, number="PO-77"),
            document("D-INV", DocumentType.COMMERCIAL_INVOICE, number="INV-77"),
            document("D-BL", DocumentType.BILL_OF_LADING, number="PO-77"),  # same number, another type
        ],
    )


# -- GS1 keys and identifiers ------------------------------------------------------------------------


def test_gtins_of_every_length_become_14_digits_and_a_wrong_check_digit_is_refused() -> None:
    assert normalize_gtin("96385074") == "00000096385074"  # GTIN-8
    assert normalize_gtin("614141123452") == "00614141123452"  # GTIN-12 (UPC-A)
    assert normalize_gtin(SHIRT_GTIN13) == "0" + SHIRT_GTIN13
    assert normalize_gtin(LINT_GTIN14) == LINT_GTIN14
    with pytest.raises(ValueError, match="check digit is wrong"):
        normalize_gtin("06920002000771")
    with pytest.raises(ValueError, match="8, 12, 13 or 14 digits"):
        normalize_gtin("12345")
    assert validate_gln(GLN_SEW) == GLN_SEW
    with pytest.raises(ValueError, match="check digit"):
        validate_gln("8930001000011")


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("urn:epc:id:sgln:6920002.00002.0", LocationKey("gln", GLN_GIN)),
        ("urn:epc:id:sgln:6920002.00002.17", LocationKey("gln", GLN_GIN)),  # a sub-location of the site
        (f"https://id.gs1.org/414/{GLN_FARM}", LocationKey("gln", GLN_FARM)),
        (f"https://resolver.example.com/prefix/414/{GLN_SEW}/254/3", LocationKey("gln", GLN_SEW)),
        ("urn:tracegraph:facility:F-TRD", LocationKey("facility", "F-TRD")),
        ("urn:epc:id:pgln:6920002.00000", None),  # a party, not a location
    ],
)
def test_every_location_form(uri: str, expected: LocationKey | None) -> None:
    assert parse_location(uri) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("urn:epc:class:lgtin:6920002.000077.L1", ProductKey("gtin", LINT_GTIN14, "L1")),
        ("urn:epc:id:sgtin:0614141.012345.SN1", ProductKey("gtin", "0" + SHIRT_GTIN13, "SN1")),
        ("urn:epc:idpat:sgtin:0614141.012345.*", ProductKey("gtin", "0" + SHIRT_GTIN13, None)),
        (f"https://id.gs1.org/01/{SHIRT_GTIN13}/10/B%2F1", ProductKey("gtin", "0" + SHIRT_GTIN13, "B/1")),
        (
            f"https://scan.example.com/x/01/{LINT_GTIN14}/21/S9?linkType=all",
            ProductKey("gtin", LINT_GTIN14, "S9"),
        ),
        ("urn:tracegraph:item:SEED:lot:S1", ProductKey("item", "SEED", "S1")),
        ("urn:tracegraph:item:A%3AB:serial:7", ProductKey("item", "A:B", "7")),
        ("urn:tracegraph:item:SEED", ProductKey("item", "SEED", None)),
        ("urn:epc:id:sscc:0614141.1234567890", None),
    ],
)
def test_every_product_form(uri: str, expected: ProductKey | None) -> None:
    assert parse_product(uri) == expected


@pytest.mark.parametrize(
    "uri",
    [
        "urn:epc:id:sgln:123.45.0",
        "urn:epc:class:lgtin:0614141.12345.L",
        "https://id.gs1.org/01/06920002000771/10/L",
    ],
)
def test_malformed_keys_say_what_was_expected(uri: str) -> None:
    with pytest.raises(IdentifierError):
        parse_location(uri) if "sgln" in uri else parse_product(uri)


def test_the_canonical_lot_id_never_holds_a_slash() -> None:
    assert canonical_lot_id("LINT", "L1") == "LINT.L1"
    assert canonical_lot_id("LINT", "B/1 x%") == "LINT.B%2F1%20x%25"


# -- the bundle's GS1 columns ------------------------------------------------------------------------


def test_bundle_gln_and_gtin_columns_are_validated_and_gtins_normalised(tmp_path: Path) -> None:
    parsed = read_csvs(
        tmp_path,
        companies="company_id,name,country\nC1,Co,VN\n",
        facilities=f"facility_id,company_id,country,gln\nF1,C1,VN,{GLN_SEW}\nF2,C1,VN,8930001000011\n",
        items=f"item_id,name,kind,gtin\nI1,Shirt,product,{SHIRT_GTIN13}\nI2,Lint,material,123\n",
    )
    where = {(p.file, p.row, p.column): p.reason for p in parsed.problems}
    assert "check digit" in where[("facilities.csv", 3, "gln")]
    assert "GTIN" in where[("items.csv", 3, "gtin")]
    fixed = read_csvs(
        tmp_path / "ok",
        companies="company_id,name,country\nC1,Co,VN\n",
        items=f"item_id,name,kind,gtin\nI1,Shirt,product,{SHIRT_GTIN13}\n",
    )
    assert fixed.bundle is not None and fixed.bundle.items[0].gtin == "0" + SHIRT_GTIN13


# -- validating documents ----------------------------------------------------------------------------


@pytest.fixture
def loaded(store: GraphStore, tenant: str) -> tuple[GraphStore, str]:
    store.write_bundle(tenant, world(), "v1")
    return store, tenant


def test_every_event_type_and_identifier_form_resolves(loaded: tuple[GraphStore, str]) -> None:
    store, tenant = loaded
    parsed = validate_epcis(fixture("all_forms.json"), store, tenant)
    assert parsed.problems == []
    assert parsed.received == 7
    assert sorted(parsed.lots) == ["LINT.L1", "SEED.S1", "SHIRT.B1", "SHIRT.SN1", "SHIRT.SN2"]
    by_type = {e.type.value for e in parsed.events}
    assert by_type == {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent"}
    events = {e.event_id.removeprefix("urn:uuid:00000000-0000-4000-8000-"): e for e in parsed.events}
    farm, gin, packing, trade, receipt = (events[f"00000000000{i}"] for i in range(1, 6))
    assert (farm.biz_location, farm.biz_step, farm.lots[0].lot_id) == ("F-FARM", "commissioning", "SEED.S1")
    assert ([q.lot_id for q in gin.inputs], [q.lot_id for q in gin.outputs]) == (["SEED.S1"], ["LINT.L1"])
    assert gin.facility_id == "F-GIN" and gin.outputs[0].quantity == 400 and gin.outputs[0].uom == "KGM"
    assert packing.lots[0].lot_id == "LINT.L1" and not packing.outputs  # aggregation transforms nothing
    assert trade.facility_id == "F-TRD"
    # The PO's number matches a purchase order and a bill of lading; a `po` names the purchase order only.
    assert trade.biz_transactions[0].type == "po" and trade.biz_transactions[0].document_ids == ["D-PO"]
    assert [(s.type, s.facility_id) for s in trade.sources] == [("location", "F-GIN"), ("owning_party", None)]
    assert receipt.read_point == "F-SEW" and receipt.biz_location is None
    sewing = next(e for e in parsed.events if e.event_id.startswith("tg-hash:"))  # no eventID: a hash
    assert [q.lot_id for q in sewing.outputs] == ["SHIRT.B1", "SHIRT.SN1", "SHIRT.SN2"]
    assert sewing.biz_location == "F-SEW"  # a Digital Link with a GLN extension names the site
    assert sewing.document_ids == ["D-INV"]
    # What is no lot (a pallet's SSCC, a class pattern) is skipped, and the report says so.
    assert len(parsed.warnings) == 2 and any("sscc" in w for w in parsed.warnings)
    assert all("/epcisBody/eventList/6/" in w for w in parsed.warnings)


def test_a_query_document_loads_like_a_document(loaded: tuple[GraphStore, str]) -> None:
    store, tenant = loaded
    doc = fixture("all_forms.json")
    query = {
        **{k: v for k, v in doc.items() if k != "epcisBody"},
        "type": "EPCISQueryDocument",
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": doc["epcisBody"]}},
    }
    assert validate_epcis(query, store, tenant).events == validate_epcis(doc, store, tenant).events


#: every malformed case of `malformed.json`: (JSON pointer, part of the reason)
MALFORMED = [
    ("/@context", "@context is required"),
    ("/creationDate", "ISO 8601"),
    ("/epcisBody/eventList/0/type", "expected one of"),
    ("/epcisBody/eventList/1/action", "action is required"),
    ("/epcisBody/eventList/1/eventTime", "with its offset"),
    ("/epcisBody/eventList/2/eventTimeZoneOffset", "+08:00"),
    ("/epcisBody/eventList/3", "needs inputs"),
    ("/epcisBody/eventList/4/quantityList/0/quantity", "quantity is required"),
    ("/epcisBody/eventList/4/quantityList/1/quantity", "0 or more"),
    ("/epcisBody/eventList/5/bizLocation/id", "12 digits"),
    ("/epcisBody/eventList/6/bizLocation/id", "GLN 4012345000009 names no loaded facility"),
    ("/epcisBody/eventList/7/quantityList/0/epcClass", "names no loaded item"),
    ("/epcisBody/eventList/8/epcList/0", "check digit is wrong"),
    ("/epcisBody/eventList/9/bizTransactionList", "needs bizTransactionList"),
    ("/epcisBody/eventList/10/parentID", "parentID is required"),
    ("/epcisBody/eventList/12/eventID", "used twice"),
    ("/epcisBody/eventList/13/readPoint/id", "facility 'F-NOWHERE' names no loaded facility"),
    ("/epcisBody/eventList/13/quantityList/0/epcClass", "item 'NOTHING' names no loaded item"),
    ("/schemaVersion", '"2.0"'),
    ("/type", "EPCISDocument"),
]


def test_every_malformed_case_is_named_by_its_pointer(loaded: tuple[GraphStore, str]) -> None:
    store, tenant = loaded
    parsed = validate_epcis(fixture("malformed.json"), store, tenant, "malformed.json")
    got = [(p.pointer, p.reason) for p in parsed.problems]
    assert [pointer for pointer, _ in got] == sorted(
        [pointer for pointer, _ in MALFORMED],
        key=lambda p: [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in p.split("/")],
    )
    for (pointer, reason), (want_pointer, fragment) in zip(sorted(got), sorted(MALFORMED), strict=True):
        assert pointer == want_pointer and fragment in reason, (pointer, reason)
    assert parsed.events == [] and all(p.file == "malformed.json" for p in parsed.problems)


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        ([], "/"),
        (
            {
                "@context": "x",
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2025-01-01T00:00:00Z",
            },
            "/epcisBody",
        ),
        (
            {
                "@context": "x",
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2025-01-01T00:00:00Z",
                "epcisBody": {"eventList": {}},
            },
            "/epcisBody/eventList",
        ),
    ],
)
def test_a_document_without_an_event_list_says_where(
    loaded: tuple[GraphStore, str], doc: Any, pointer: str
) -> None:
    store, tenant = loaded
    assert pointer in [p.pointer for p in validate_epcis(doc, store, tenant).problems]


# -- loading: all or nothing, idempotent -------------------------------------------------------------


def test_a_document_with_one_bad_event_loads_nothing(loaded: tuple[GraphStore, str]) -> None:
    store, tenant = loaded
    doc = fixture("all_forms.json")
    doc["epcisBody"]["eventList"][4]["readPoint"]["id"] = "urn:epc:id:sgln:4012345.00000.0"
    with pytest.raises(EpcisInvalidError) as raised:
        load_epcis(store, tenant, doc)
    assert [p.pointer for p in raised.value.problems] == ["/epcisBody/eventList/4/readPoint/id"]
    assert raised.value.status == 422
    assert store.data_version(tenant) == "v1"
    assert store.list_lots(tenant) == []


def test_loading_twice_changes_nothing_and_a_new_event_refines_its_lot(
    loaded: tuple[GraphStore, str],
) -> None:
    store, tenant = loaded
    doc = fixture("all_forms.json")
    first = load_epcis(store, tenant, doc)
    assert first.changed and first.events.created == 7 and first.lots.created == 5
    assert {(d.transaction, tuple(d.document_ids)) for d in first.documents_linked} == {
        ("urn:epcglobal:cbv:bt:0614141000005:PO-77", ("D-PO",)),
        ("INV-77", ("D-INV",)),
    }
    lint = store.get_lots(tenant, ["LINT.L1"])["LINT.L1"]
    assert (lint.facility_id, lint.quantity, lint.uom) == ("F-GIN", 400, "KGM")
    assert lint.facility_ids == ["F-GIN", "F-TRD", "F-SEW"]

    again = load_epcis(store, tenant, copy.deepcopy(doc))
    assert not again.changed and again.data_version == first.data_version
    assert (again.events.unchanged, again.lots.unchanged, again.lots.created) == (7, 5, 0)

    # A later document with one more event: the lot it names is updated, nothing else is rewritten.
    later = {
        **doc,
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventID": "urn:uuid:later",
                    "action": "OBSERVE",
                    "bizStep": "inspecting",
                    "eventTime": "2025-04-01T10:00:00+07:00",
                    "eventTimeZoneOffset": "+07:00",
                    "readPoint": {"id": f"https://id.gs1.org/414/{GLN_FARM}"},
                    "quantityList": [
                        {"epcClass": "urn:epc:class:lgtin:6920002.000077.L1", "quantity": 1, "uom": "KGM"}
                    ],
                },
            ]
        },
    }
    report = load_epcis(store, tenant, later)
    assert report.changed and (report.events.created, report.lots.updated, report.lots.created) == (1, 1, 0)
    lint = store.get_lots(tenant, ["LINT.L1"])["LINT.L1"]
    assert lint.facility_ids[-1] == "F-FARM" and lint.event_ids[-1] == "urn:uuid:later"
    assert lint.facility_id == "F-GIN"  # an observation does not move where the lot was made
