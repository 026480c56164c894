"""Readiness on the demo bundle and on hand-built ones: which records each hop lacks, how the product's
score combines hops and gaps, and that the checklist file (not code) decides what is expected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.evidence.readiness import (
    Position,
    ProductReadiness,
    Requirement,
    assess_readiness,
    checklist_in_force,
)
from app.service import DEMO_DIR, TraceService
from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.trace.models import Role, TraceResult
from loaders.checklist import DEFAULT_CHECKLIST
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing

T = "demo"
#: the Caprock gin's lint sold to the Qingdao trader: invoice, PO, B/L, packing list, certificate of
#: origin and an isotope test, but no bale-level production record
GIN_TO_TRADER = "LINT|F-CCG-GIN|F-QHC-TRD|2025-01-01"
#: the Xinjiang gin's lint to the same trader: no documents at all
XUAR_GIN = "LINT|F-ATY-GIN|F-QHC-TRD|2025-01-01"
#: the Dafeng spinner's yarn: purchase order, invoice, transport document and a production record
SPINNER = "YRN-40C|F-JHF-SPIN|F-NJH-MILL|2025-07-01"


@pytest.fixture(scope="module")
def demo() -> TraceService:
    service = TraceService(MemoryStore(None))
    service.load(T, DEMO_DIR)
    return service


def hop(result: ProductReadiness, sourcing_id: str) -> Any:
    return next(h for h in result.hops if h.sourcing_id == sourcing_id)


def test_a_hop_shows_exactly_the_required_records_it_lacks(demo: TraceService) -> None:
    result = demo.readiness(T, "HP-SH-OXF")
    gin = hop(result, GIN_TO_TRADER)
    assert (gin.sector, gin.stage, gin.position) == ("cotton", Role.MANUFACTURE, Position.UPSTREAM)
    assert gin.missing_required == ["production_record"]
    (bale_record,) = [e for e in gin.expected if e.type == "production_record"]
    assert bale_record.stage == "cotton/gin_bale" and "bale" in bale_record.why
    assert gin.score == 0.75  # 3 of its 4 required records
    # the bill of lading satisfies the transport record
    (transport,) = [e for e in gin.expected if e.type == "transport_document"]
    assert transport.present and transport.document_ids == ["D-069"]

    xuar = hop(result, XUAR_GIN)
    assert xuar.document_ids == [] and xuar.score == 0
    assert set(xuar.missing_required) == {
        "purchase_order",
        "commercial_invoice",
        "transport_document",
        "production_record",
    }
    assert "no documents back this link" in xuar.explanation


def test_a_fully_documented_hop_scores_one(demo: TraceService) -> None:
    spinner = hop(demo.readiness(T, "HP-SH-OXF"), SPINNER)
    assert spinner.score == 1.0 and spinner.missing_required == []
    required = [e for e in spinner.expected if e.requirement is Requirement.REQUIRED]
    assert {e.type for e in required} == {
        "purchase_order",
        "commercial_invoice",
        "transport_document",
        "production_record",
    }
    assert all(e.present and set(e.document_ids) <= set(spinner.document_ids) for e in required)
    # recommended records are counted apart and do not lower the score
    assert spinner.missing_recommended and spinner.recommended_score < 1


def test_every_sourcing_link_of_the_trace_is_one_hop(demo: TraceService) -> None:
    trace = demo.trace(T, "HP-TEE-CRW")
    result = demo.readiness(T, "HP-TEE-CRW")
    assert sorted(h.sourcing_id for h in result.hops) == sorted(
        {e.sourcing_id for e in trace.supply_map.edges}
    )
    tier1 = [h for h in result.hops if h.position is Position.TIER1]
    assert [(h.item_id, h.buyer_facility_id, h.tier) for h in tier1] == [("HP-TEE-CRW", None, 1)]


@pytest.mark.parametrize("product", ["HP-SH-OXF", "HP-TEE-CRW", "HP-PV-100P", "HP-PV-410"])
def test_products_at_risk_or_with_untraced_inputs_are_not_ready(demo: TraceService, product: str) -> None:
    result = demo.readiness(T, product)
    assert not result.ready and result.score < 1
    assert "not ready" in result.explanation


def test_untraced_inputs_lower_the_score_and_break_the_trace_to_statement(demo: TraceService) -> None:
    result = demo.readiness(T, "HP-TEE-CRW")  # the Kowloon trader's yarn has no recorded source
    assert [g.item_id for g in result.untraced_inputs] == ["YRN-30R"]
    assert 0 < result.traced_fraction < 1
    assert result.trace_to is not None and not result.trace_to.met
    assert result.trace_to.untraced == ["YRN-30R"]
    assert "SEEDCOT@F-DRF-FARM" in result.trace_to.reached
    # the score is the mean hop score times the traced fraction (below the 0.99 cap here)
    mean = round(sum(h.score for h in result.hops) / len(result.hops), 4)
    assert result.hop_score == mean
    assert result.score == round(mean * result.traced_fraction, 4)

    solar = demo.readiness(T, "HP-PV-100P")  # cells from a trader: nothing reaches the quartzite
    assert solar.sector == "polysilicon"
    assert solar.trace_to is not None and solar.trace_to.reached == [] and not solar.trace_to.met


def test_a_trace_reaching_its_sectors_raw_material_meets_the_statement(demo: TraceService) -> None:
    wheel = demo.readiness(T, "HP-WHL-17")
    assert wheel.sector == "aluminum"
    assert wheel.trace_to is not None and wheel.trace_to.met
    assert wheel.trace_to.reached == ["ING-A356@F-HLA-SMT"]  # the smelter
    smelter = hop(wheel, "ING-A356|F-HLA-SMT|F-TAW-WHL|2025-07-01")
    assert "aluminum/smelter" in smelter.checklist_stages
    mill = next(e for e in smelter.expected if e.type == "mill_certificate")
    assert mill.requirement is Requirement.REQUIRED and mill.present


def _documented_world(store: GraphStore, tenant: str) -> None:
    """A product made at F1 from ore mined at M1, every link with every required record."""
    documents = [
        document(f"D-{t}", t)
        for t in ("purchase_order", "commercial_invoice", "bill_of_lading", "production_record")
    ]
    ids = [d.document_id for d in documents]
    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1", name="Maker", country="VN")],
            facilities=[
                facility("F1", "C1", country="VN"),
                facility("M1", "C1", country="VN", activity="mine"),
            ],
            items=[item("P"), item("ORE", kind="material")],
            bom=[bom_line("P", "ORE", quantity=1, unit="kg")],
            sourcing=[sourcing("P", "F1", document_ids=ids), sourcing("ORE", "M1", "F1", document_ids=ids)],
            documents=documents,
        ),
        "v1",
    )


def test_a_product_with_every_required_record_and_no_gap_is_ready(store: GraphStore, tenant: str) -> None:
    _documented_world(store, tenant)
    result = TraceService(store).readiness(tenant, "P")
    assert result.ready and result.score == 1.0
    assert [h.stage for h in result.hops] == [Role.MANUFACTURE, Role.ORIGIN]
    assert result.sector == "default" and result.trace_to is None


def test_a_lot_trace_is_assessed_like_a_product(store: GraphStore, tenant: str) -> None:
    class LotTrace(TraceResult):
        lot_id: str

    _documented_world(store, tenant)
    service = TraceService(store)
    trace = service.trace(tenant, "P")
    lot = LotTrace(**trace.model_dump(), lot_id="LOT-7")
    result = assess_readiness(store, lot, checklist_in_force())
    assert result.lot_id == "LOT-7" and result.ready


def _edited_checklist(tmp_path: Path, edit: Any) -> Path:
    data = json.loads(DEFAULT_CHECKLIST.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "checklist.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_changing_the_checklist_file_changes_the_results_without_code(
    demo: TraceService, tmp_path: Path
) -> None:
    shipped = demo.readiness(T, "HP-SH-OXF")

    def drop_gin_records(data: dict[str, Any]) -> None:
        cotton = data["sectors"]["cotton"]
        cotton["stages"] = [s for s in cotton["stages"] if s["id"] != "gin_bale"]
        for stage in data["sectors"]["default"]["stages"]:
            if stage["id"] == "manufacture":
                stage["records"][0]["requirement"] = "recommended"

    path = _edited_checklist(tmp_path, drop_gin_records)
    edited = demo.readiness(T, "HP-SH-OXF", path)
    assert edited.checklist_version != shipped.checklist_version
    gin = hop(edited, GIN_TO_TRADER)
    assert gin.missing_required == [] and gin.missing_recommended[-1] == "production_record"
    assert "cotton/gin_bale" not in gin.checklist_stages
    assert edited.hop_score > shipped.hop_score

    # editing the same file again is picked up on the next call
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sectors"]["cotton"]["stages"][0]["records"].append(
        {"type": "audit_report", "requirement": "required", "why": "Test: an audit per mill (cbp-2026)."}
    )
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    again = demo.readiness(T, "HP-SH-OXF", path)
    assert "audit_report" in hop(again, SPINNER).missing_required


def test_the_command_prints_missing_records_per_hop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACEGRAPH_MEMORY_PATH", str(tmp_path / "graph.json"))
    monkeypatch.setenv("TRACEGRAPH_STORE", "memory")
    assert main(["load", str(DEMO_DIR)]) == 0
    capsys.readouterr()
    assert main(["readiness", "HP-TEE-CRW"]) == 0
    text = capsys.readouterr().out
    assert "NOT READY" in text and "[untraced]" in text
    assert "missing required transport_document" in text  # the Kowloon trader's link
    assert main(["readiness", "HP-TEE-CRW", "--json"]) == 0
    as_json = json.loads(capsys.readouterr().out)
    assert as_json["product_id"] == "HP-TEE-CRW" and as_json["ready"] is False
    assert main(["readiness", "NOPE"]) == 1


def test_readiness_is_cached_per_data_and_checklist_version(demo: TraceService) -> None:
    first = demo.readiness(T, "HP-RACK-XB")
    assert demo.readiness(T, "HP-RACK-XB") is first
    assert first.checklist_version == checklist_in_force().version_id
