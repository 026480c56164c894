"""Lot traces: the same rules and verdicts as a product's, over recorded inputs; gaps where the records
stop; loops; and product traces marking the links lot records back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.service import DEMO_DIR, DEMO_EPCIS, TraceService
from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.trace.models import GapReason, LotGapReason, Role, TraceResult, Verdict
from graph_schema import Activity, DocumentType, ItemKind
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing

FAC = "urn:tracegraph:facility:"


def lot(item_id: str, number: str, quantity: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "epcClass": f"urn:tracegraph:item:{item_id}:lot:{number}",
        "quantity": quantity or 1,
    }
    return {**out, "uom": "KGM"}


def event(event_id: str, day: int, where: str, kind: str = "ObjectEvent", **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "eventID": event_id,
        "eventTime": f"2025-01-{day:02d}T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "bizLocation": {"id": FAC + where},
        **fields,
    }


def made(
    event_id: str, day: int, where: str, inputs: list[Any], outputs: list[Any], **fields: Any
) -> dict[str, Any]:
    return event(
        event_id,
        day,
        where,
        "TransformationEvent",
        inputQuantityList=inputs,
        outputQuantityList=outputs,
        **fields,
    )


def document_of(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-06-01T00:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


#: seed cotton from a Texas farm, ginned in Texas, sewn in Vietnam: clean all the way
CLEAN = [
    event("S1", 1, "F-FARM", action="ADD", quantityList=[lot("SEED", "S1", 1000)]),
    made(
        "G1",
        2,
        "F-GIN-TX",
        [lot("SEED", "S1", 990)],
        [lot("LINT", "L1", 400)],
        bizTransactionList=[{"type": "po", "bizTransaction": "urn:x:PO-9"}],
    ),
    event("R1", 3, "F-SEW", action="OBSERVE", bizStep="receiving", quantityList=[lot("LINT", "L1", 400)]),
    made("M1", 4, "F-SEW", [lot("LINT", "L1", 380)], [lot("SHIRT", "B1", 1000)]),
]


@pytest.fixture
def svc(store: GraphStore, tenant: str) -> TraceService:
    return _world(store, tenant)


def _world(store: GraphStore, tenant: str) -> TraceService:
    """Shirts sewn in Vietnam from lint ginned in Texas or in Aksu, from one Texas farm's seed cotton."""
    service = TraceService(store)
    service.start()
    store.write_bundle(
        tenant,
        bundle(
            companies=[
                company("C-SEW", country="VN"),
                company("C-TX", country="US"),
                company("C-XJ"),
                company("C-WH", country="HK"),
            ],
            facilities=[
                facility("F-SEW", "C-SEW", country="VN", city="Ho Chi Minh City", name="Sewing"),
                facility("F-GIN-TX", "C-TX", activity=Activity.PROCESSING, country="US", region="Texas"),
                facility("F-GIN-XJ", "C-XJ", activity=Activity.PROCESSING, region="Xinjiang", city="Aksu"),
                facility("F-FARM", "C-TX", activity=Activity.FARM, country="US", region="Texas"),
                facility("F-WH", "C-WH", activity=Activity.WAREHOUSE, country="HK"),
                facility("F-WH-XJ", "C-WH", activity=Activity.WAREHOUSE, region="Xinjiang", city="Urumqi"),
            ],
            items=[item("SHIRT"), item("LINT", ItemKind.MATERIAL), item("SEED", ItemKind.MATERIAL)],
            bom=[bom_line("SHIRT", "LINT"), bom_line("LINT", "SEED")],
            sourcing=[
                sourcing("SHIRT", "F-SEW"),
                sourcing("LINT", "F-GIN-TX", "F-SEW"),
                sourcing("LINT", "F-GIN-XJ", "F-SEW", document_ids=["D-PO"]),
                sourcing("SEED", "F-FARM", "F-GIN-TX"),
                sourcing("SEED", "F-FARM", "F-GIN-XJ"),
            ],
            documents=[document("D-PO", DocumentType.PURCHASE_ORDER, number="PO-9")],
        ),
        "v1",
    )
    return service


def test_a_clean_lot_traces_to_its_origin_with_its_events_and_documents(
    svc: TraceService, tenant: str
) -> None:
    svc.load_epcis(tenant, document_of(*CLEAN))
    result = svc.trace_lot(tenant, "SHIRT.B1")
    assert result.verdict is Verdict.NO_RISK_FOUND, result.summary
    assert (result.lot_id, result.item_id, result.product_id) == ("SHIRT.B1", "SHIRT", "SHIRT")
    roles = {n.id: n.role for n in result.supply_map.nodes}
    assert roles == {
        "lot:SHIRT.B1": Role.PRODUCT,
        "SHIRT.B1@F-SEW": Role.MANUFACTURE,
        "LINT.L1@F-GIN-TX": Role.MANUFACTURE,
        "SEED.S1@F-FARM": Role.ORIGIN,
    }
    edges = {(e.source, e.target): e for e in result.supply_map.edges}
    spun = edges[("SHIRT.B1@F-SEW", "LINT.L1@F-GIN-TX")]
    # The link is the recorded input (event, quantity consumed), matched to the sourcing row it realises.
    assert (spun.event_id, spun.quantity, spun.uom, spun.lot_ids) == ("M1", 380, "KGM", ["LINT.L1"])
    assert spun.sourcing_id == "LINT|F-GIN-TX|F-SEW|" and spun.document_ids == ["D-PO"]
    assert result.stats.states == 3 and result.stats.max_tier == 3 and result.gaps == []


def test_a_lot_reaching_the_xuar_is_flagged_with_the_product_traces_signals(
    svc: TraceService, tenant: str
) -> None:
    svc.load_epcis(
        tenant,
        document_of(
            CLEAN[0],
            made("G2", 2, "F-GIN-XJ", [lot("SEED", "S1", 500)], [lot("LINT", "X1", 200)]),
            made("M2", 4, "F-SEW", [lot("LINT", "X1", 190)], [lot("SHIRT", "B2", 500)]),
        ),
    )
    lot_trace = svc.trace_lot(tenant, "SHIRT.B2")
    product_trace = svc.trace(tenant, "SHIRT")
    assert lot_trace.verdict is Verdict.PRESUMPTION_APPLIES
    (finding,) = lot_trace.findings
    assert finding.facility_id == "F-GIN-XJ"
    assert [h.lot_id for h in finding.path] == ["SHIRT.B2", "LINT.X1"]
    assert finding.path[-1].event_id == "G2" and finding.path[-1].quantity == 200
    same = next(f for f in product_trace.findings if f.facility_id == "F-GIN-XJ")
    assert finding.signals == same.signals
    assert lot_trace.reference_versions == product_trace.reference_versions


def test_a_lot_stored_in_the_xuar_on_its_way_is_flagged_for_review(svc: TraceService, tenant: str) -> None:
    # Texas lint, clean where it was made, sat in an Urumqi warehouse before the sewing plant received it.
    stored = event("W1", 3, "F-WH-XJ", action="OBSERVE", bizStep="storing", quantityList=[lot("LINT", "L1")])
    svc.load_epcis(tenant, document_of(*CLEAN[:2], stored, *CLEAN[2:]))
    result = svc.trace_lot(tenant, "SHIRT.B1")
    assert result.verdict is Verdict.NEEDS_REVIEW, result.summary
    (finding,) = result.findings
    assert finding.facility_id == "F-WH-XJ" and finding.items == ["LINT"]
    assert [s.rule for s in finding.signals] == ["xuar_transit"]
    assert [h.lot_id for h in finding.path] == ["SHIRT.B1", "LINT.L1"]  # the lot that passed through


def test_a_lot_received_by_an_xuar_maker_is_not_judged_by_its_buyer(svc: TraceService, tenant: str) -> None:
    # Texas lint received at the Aksu gin's site: the buyer is downstream of the lint, not its origin.
    received = event(
        "R9", 3, "F-GIN-XJ", action="OBSERVE", bizStep="receiving", quantityList=[lot("LINT", "L1")]
    )
    svc.load_epcis(tenant, document_of(*CLEAN[:2], received))
    result = svc.trace_lot(tenant, "LINT.L1")
    assert result.verdict is Verdict.NO_RISK_FOUND, result.summary
    assert result.findings == []


def test_a_lot_made_without_recorded_inputs_is_a_gap(svc: TraceService, tenant: str) -> None:
    svc.load_epcis(
        tenant, document_of(event("C9", 1, "F-GIN-TX", action="ADD", quantityList=[lot("LINT", "L9")]))
    )
    result = svc.trace_lot(tenant, "LINT.L9")
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    (gap,) = result.gaps
    assert (gap.reason, gap.item_id, gap.at_facility_id) == (
        LotGapReason.LOT_INPUTS_NOT_RECORDED,
        "SEED",
        "F-GIN-TX",
    )
    assert "LINT.L9" in gap.explanation and [h.lot_id for h in gap.path] == ["LINT.L9"]


def test_a_lot_nobody_says_was_made_is_a_gap(svc: TraceService, tenant: str) -> None:
    svc.load_epcis(
        tenant,
        document_of(
            event("W1", 1, "F-WH", action="OBSERVE", quantityList=[lot("LINT", "L8")]),
            made("M8", 2, "F-SEW", [lot("LINT", "L8")], [lot("SHIRT", "B8")]),
        ),
    )
    result = svc.trace_lot(tenant, "SHIRT.B8")
    assert [(g.reason, g.item_id) for g in result.gaps] == [(LotGapReason.LOT_ORIGIN_UNKNOWN, "LINT")]
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    node = next(n for n in result.supply_map.nodes if n.lot_id == "LINT.L8")
    assert node.role is Role.UNTRACED and node.facility_id is None


def test_lots_made_from_each_other_are_a_cycle_and_never_reach_an_origin(
    svc: TraceService, tenant: str
) -> None:
    svc.load_epcis(
        tenant,
        document_of(
            made("K1", 1, "F-GIN-TX", [lot("LINT", "C2")], [lot("LINT", "C1")]),
            made("K2", 2, "F-GIN-TX", [lot("LINT", "C1")], [lot("LINT", "C2")]),
            made("K3", 3, "F-SEW", [lot("LINT", "C1")], [lot("SHIRT", "B4")]),
        ),
    )
    result = svc.trace_lot(tenant, "SHIRT.B4")
    assert [c.states for c in result.cycles] == [["LINT.C1@F-GIN-TX", "LINT.C2@F-GIN-TX", "LINT.C1@F-GIN-TX"]]
    assert [e.cycle for e in result.supply_map.edges].count(True) == 1
    assert GapReason.ONLY_CYCLIC_SUPPLY in {g.reason for g in result.gaps}
    assert result.verdict is Verdict.INCOMPLETE_TRACE


def _without_lots(result: TraceResult) -> dict[str, Any]:
    doc = result.model_dump(mode="json")
    for edge in doc["supply_map"]["edges"]:
        edge["lot_ids"] = []
    for part in ("findings", "gaps"):
        for entry in doc[part]:
            for hop in entry["path"]:
                hop["lot_ids"] = []
    return doc


def test_a_product_trace_marks_the_links_lot_records_back(svc: TraceService, tenant: str) -> None:
    before = svc.trace(tenant, "SHIRT")
    assert all(not e.lot_ids for e in before.supply_map.edges)
    svc.load_epcis(tenant, document_of(*CLEAN))
    after = svc.trace(tenant, "SHIRT")  # the load moved the data version: not the cached trace
    assert after.data_version != before.data_version
    marked = {(e.source, e.target): e.lot_ids for e in after.supply_map.edges}
    assert marked == {
        ("product:SHIRT", "SHIRT@F-SEW"): ["SHIRT.B1"],
        ("SHIRT@F-SEW", "LINT@F-GIN-TX"): ["LINT.L1"],
        ("SHIRT@F-SEW", "LINT@F-GIN-XJ"): [],  # no lot of this path is recorded
        ("LINT@F-GIN-TX", "SEED@F-FARM"): ["SEED.S1"],
        ("LINT@F-GIN-XJ", "SEED@F-FARM"): [],  # the farm's lot went to the Texas gin, not to Aksu
    }
    # Evidence paths carry the same marks; nothing else of the trace changes.
    (finding,) = after.findings
    assert [h.lot_ids for h in finding.path] == [["SHIRT.B1"], []]
    assert _without_lots(after) | {"data_version": ""} == _without_lots(before) | {"data_version": ""}


def test_a_lot_is_found_by_its_identifier_and_its_trace_refreshes_with_new_events(
    svc: TraceService, tenant: str
) -> None:
    svc.load_epcis(tenant, document_of(*CLEAN[:2]))
    first = svc.trace_lot(tenant, "urn:tracegraph:item:LINT:lot:L1")
    assert first.lot_id == "LINT.L1" and first.verdict is Verdict.NO_RISK_FOUND
    assert svc.trace_lot(tenant, "LINT.L1") is first  # cached
    # A later document records a second lot of seed cotton into the same lint, from an unknown origin.
    svc.load_epcis(
        tenant,
        document_of(
            made("G1", 2, "F-GIN-TX", [lot("SEED", "S1", 990), lot("SEED", "S7")], [lot("LINT", "L1", 400)])
        ),
    )
    second = svc.trace_lot(tenant, "LINT.L1")
    assert second.verdict is Verdict.INCOMPLETE_TRACE
    assert [(g.reason, g.item_id) for g in second.gaps] == [(LotGapReason.LOT_ORIGIN_UNKNOWN, "SEED")]


@pytest.mark.neo4j
def test_both_stores_give_byte_identical_lot_and_marked_product_traces(
    memory_store: MemoryStore, neo4j_store: GraphStore, tenant: str
) -> None:
    documents = []
    for store in (memory_store, neo4j_store):
        service = _world(store, tenant)
        service.load_epcis(
            tenant,
            document_of(*CLEAN, made("G2", 2, "F-GIN-XJ", [lot("SEED", "S1", 5)], [lot("LINT", "X1", 2)])),
        )
        documents.append(
            (
                service.trace_lot(tenant, "SHIRT.B1").model_dump_json(),
                service.trace_lot(tenant, "LINT.X1").model_dump_json(),
                service.trace(tenant, "SHIRT").model_dump_json(),
            )
        )
    assert documents[0] == documents[1]


# -- the demo, through the command line --------------------------------------------------------------


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "graph.json"
    monkeypatch.setenv("TRACEGRAPH_MEMORY_PATH", str(path))
    monkeypatch.setenv("TRACEGRAPH_STORE", "memory")
    return path


def test_the_demo_lots_load_and_trace_from_the_command_line(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(DEMO_DIR)]) == 0
    assert main(["load-epcis", str(DEMO_EPCIS)]) == 0
    out = capsys.readouterr().out
    assert "shirt_lots.json: loaded" in out and "warning" not in out
    assert main(["load-epcis", str(DEMO_EPCIS)]) == 0
    assert "no changes (already loaded)" in capsys.readouterr().out
    # The tour's two lots: the poplin shirts traced to a Texas farm, the oxford shirts to Aksu.
    assert main(["trace-lot", "HP-SH-POP.MK-26-0220"]) == 0
    assert "verdict: NO_RISK_FOUND" in capsys.readouterr().out
    assert main(["trace-lot", "https://dl.harborpine.example/01/00812345100112/10/SR-26-0125", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["lot_id"] == "HP-SH-OXF.SR-26-0125" and doc["verdict"] == "presumption_applies"
    assert {f["facility_id"] for f in doc["findings"]} == {"F-ATY-GIN", "F-AWF-FARM"}
    assert not doc["gaps"]

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**json.loads(DEMO_EPCIS.read_text()), "schemaVersion": "1.2"}))
    assert main(["load-epcis", str(broken)]) == 2
    assert "broken.json /schemaVersion: expected schemaVersion" in capsys.readouterr().err
