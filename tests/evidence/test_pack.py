"""The evidence pack model on the demo: what an importer or CBP reader finds in it, section by section,
checked against the trace, the readiness check and the demo's own CSV files."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from datetime import date

import pytest

from app.evidence.pack import EvidencePack, PackStep, SubjectKind, build_pack
from app.service import DEMO_DIR, DEMO_EPCIS, DEMO_EXPECTED, TraceService
from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.trace.models import Severity
from loaders.epcis import parse_json

EXPECTED: dict[str, str] = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
TENANT = "pack-demo"


@pytest.fixture(scope="module")
def demo() -> Iterator[TraceService]:
    service = TraceService(MemoryStore(None))
    service.load(TENANT, DEMO_DIR)
    yield service


@pytest.fixture(scope="module")
def packs(demo: TraceService) -> dict[str, EvidencePack]:
    return {product: demo.evidence_pack(TENANT, product) for product in EXPECTED}


def _demo_rows(name: str) -> dict[str, dict[str, str]]:
    with (DEMO_DIR / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    key = next(iter(rows[0]))
    return {row[key]: row for row in rows}


def _path_is_connected(pack: EvidencePack, path: list[int]) -> list[PackStep]:
    """The steps of a path, checked to run from the importer, each buyer being the previous supplier."""
    steps = [pack.steps[n - 1] for n in path]
    assert steps[0].buyer_state == pack.subject.state
    for before, after in itertools.pairwise(steps):
        assert after.buyer_state == before.supplier_state
    return steps


def test_every_demo_product_gets_a_pack_that_covers_its_whole_trace(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    for product, pack in packs.items():
        trace = demo.trace(TENANT, product)
        assert pack.verdict.value == EXPECTED[product]
        assert pack.subject.kind is SubjectKind.PRODUCT and pack.subject.id == product
        assert pack.data_version == trace.data_version and pack.tenant == TENANT
        # one step per sourcing link, numbered 1..N in tier order
        assert [s.step for s in pack.steps] == list(range(1, len(trace.supply_map.edges) + 1))
        assert [s.tier for s in pack.steps] == sorted(s.tier for s in pack.steps)
        assert {s.sourcing_id for s in pack.steps} == {e.sourcing_id for e in trace.supply_map.edges}
        # every facility the walk reached is a party; every document of a link is an exhibit, once
        facilities = {n.facility_id for n in trace.supply_map.nodes if n.facility_id}
        assert {p.party_id for p in pack.parties if p.tier is not None} == {
            f"facility:{f}" for f in facilities
        }
        documents = {d for e in trace.supply_map.edges for d in e.document_ids}
        assert sorted(e.document_id for e in pack.exhibits) == sorted(documents)
        for step in pack.steps:  # E-N.k numbers step N's new documents 1..k; others were shown earlier
            own = [e for e in step.exhibits if e.startswith(f"E-{step.step}.")]
            assert own == [f"E-{step.step}.{i}" for i in range(1, len(own) + 1)]
            assert all(int(e[2:].split(".")[0]) < step.step for e in step.exhibits if e not in own)
        assert len(pack.findings) == sum(len(f.signals) for f in trace.findings)
        assert len(pack.gaps) == len(trace.gaps)
        assert pack.contents[0].title == "Executive summary"
        assert product in pack.executive_summary[0] and pack.verdict_text in pack.executive_summary[1]


def test_the_xuar_product_names_the_facility_the_rule_the_gazetteer_and_the_step_path(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    pack = packs["HP-SH-OXF"]
    gazetteer = next(
        r for r in demo.trace(TENANT, "HP-SH-OXF").reference_versions if r.name == "xuar_gazetteer"
    )
    gin = next(f for f in pack.findings if f.facility_id == "F-ATY-GIN")
    assert gin.severity is Severity.PRESUMPTION and gin.rule == "xuar_location"
    assert gin.facility_name == "Tianyuan Awat cotton gin"
    assert gin.reference == gazetteer.version and gin.reference_name == "xuar_gazetteer"
    assert any("Aksu" in line for line in gin.evidence)
    # the path runs importer -> sewing -> fabric -> spinner -> lint trader -> the Aksu gin
    steps = _path_is_connected(pack, gin.path_steps)
    assert [s.tier for s in steps] == [1, 2, 3, 4, 5]
    assert steps[-1].supplier_facility_id == "F-ATY-GIN" and steps[-1].risk is Severity.PRESUMPTION
    assert steps[-1].share == 1.0  # the 1% share is shown, and did not hide the risk
    assert steps[3].supplier_name == "Haina Cotton bonded yard, Qianwan port"
    # the tier table locates the gin in the XUAR, with the detector's evidence, and its Chinese name
    party = next(p for p in pack.parties if p.party_id == "facility:F-ATY-GIN")
    assert party.location.in_xuar is True and party.location.reference == gazetteer.version
    assert any("Xinjiang" in line for line in party.location.evidence)
    assert party.name_local == _demo_rows("companies")["C-ATY"]["name_local"]
    assert party.address is not None and "Awat County" in party.address
    clean = next(p for p in pack.parties if p.party_id == "facility:F-SRG-SEW")
    assert clean.location.in_xuar is False and clean.location.summary.startswith("no XUAR signal")
    assert "presumption" in pack.executive_summary[1]


def test_exhibits_carry_the_demo_documents_numbers_and_hashes(packs: dict[str, EvidencePack]) -> None:
    documents = _demo_rows("documents")
    companies = _demo_rows("companies")
    for pack in packs.values():
        for exhibit in pack.exhibits:
            row = documents[exhibit.document_id]
            assert exhibit.sha256 == row["sha256"] and exhibit.number_on_document == row["number"]
            assert exhibit.type == row["type"] and exhibit.issued_on == date.fromisoformat(row["issued_on"])
            assert exhibit.issuer_name == companies[row["issuer_company_id"]]["name"]
            assert exhibit.on_file and exhibit.uri == row["uri"]
            assert exhibit.step == exhibit.steps[0] and exhibit.number.startswith(f"E-{exhibit.step}.")
    # "Neither Xinjiang hop has a single document on file" (the demo's tour)
    oxford = packs["HP-SH-OXF"]
    xinjiang = [s for s in oxford.steps if s.supplier_facility_id in ("F-ATY-GIN", "F-AWF-FARM")]
    assert len(xinjiang) == 2 and all(s.exhibits == [] for s in xinjiang)
    assert oxford.counts.undocumented_steps == 2
    assert "2 steps of 12 have no document on file" in " ".join(oxford.executive_summary)
    # within a step, the trade's order: the purchase order before the invoice before the bill of lading
    first = [e for e in oxford.exhibits if e.step == 1]
    assert [e.type for e in first][:2] == ["purchase_order", "commercial_invoice"]


def test_a_product_with_an_untraced_input_lists_the_gap_with_its_path(packs: dict[str, EvidencePack]) -> None:
    pack = packs["HP-TEE-CRW"]
    (gap,) = pack.gaps
    assert gap.number == "G-1" and gap.item_id == "YRN-30R" and gap.at_facility_id == "F-KYS-TRD"
    assert gap.at_facility_name == "Kowloon Yarn Sourcing, sales office"
    steps = _path_is_connected(pack, gap.path_steps)
    assert steps[-1].supplier_facility_id == "F-KYS-TRD" and gap.at_state == steps[-1].supplier_state
    assert "1 input could not be traced to an origin" in " ".join(pack.executive_summary)
    clean = packs["HP-SH-POP"]
    assert clean.gaps == [] and "every input was traced to an origin" in " ".join(clean.executive_summary)


def test_a_listed_owner_up_the_chain_is_a_party_with_its_list_version(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    pack = packs["HP-PV-430"]
    uflpa = next(r for r in demo.trace(TENANT, "HP-PV-430").reference_versions if r.name == "UFLPA")
    owner = next(p for p in pack.parties if p.party_id == "company:C-HOSHINE")
    assert owner.tier is None and owner.risk is Severity.PRESUMPTION
    assert owner.location.in_xuar is None and owner.role.endswith("of the operator of F-EHX-MGSI")
    assert owner.steps == next(p.steps for p in pack.parties if p.party_id == "facility:F-EHX-MGSI")
    finding = next(f for f in pack.findings if f.subject == "company:C-HOSHINE")
    assert finding.reference == uflpa.version and finding.reference_name == "UFLPA"
    assert any("score 1.00" in line for line in finding.evidence)
    assert pack.parties[-1] == owner  # owners follow the facilities, which are in tier order


def test_missing_documents_and_the_score_come_from_the_readiness_check(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    for product, pack in packs.items():
        readiness = demo.readiness(TENANT, product)
        missing = sorted(
            (hop.sourcing_id, e.type) for hop in readiness.hops for e in hop.expected if not e.present
        )
        assert sorted((m.sourcing_id, m.type) for m in pack.missing_documents) == missing
        assert pack.readiness is not None and pack.readiness.score == readiness.score
        assert pack.counts.missing_documents == len(missing)
        by_step = {s.step: s for s in pack.steps}
        for m in pack.missing_documents:
            assert m.step is not None and by_step[m.step].sourcing_id == m.sourcing_id
    assert any(p.missing_documents for p in packs.values()), "the demo has undocumented hops"


def test_the_stamp_is_the_newest_date_in_the_data_not_the_clock(
    demo: TraceService, packs: dict[str, EvidencePack]
) -> None:
    pack = packs["HP-SH-OXF"]
    trace = demo.trace(TENANT, "HP-SH-OXF")
    dates = [e.issued_on for e in pack.exhibits if e.issued_on] + [
        date.fromisoformat(r.retrieved_on) for r in trace.reference_versions if r.retrieved_on
    ]
    assert pack.stamped_at >= max(dates)
    assert demo.evidence_pack(TENANT, "HP-SH-OXF") == pack  # built again: the same pack
    explicit = build_pack(trace, {}, {}, {}, stamped_at=date(2027, 1, 2))
    assert explicit.stamped_at == date(2027, 1, 2)
    # without records the pack still stands: exhibits are marked as not on file
    assert explicit.exhibits and not any(e.on_file for e in explicit.exhibits)


def test_a_lot_gets_its_own_pack_from_its_recorded_inputs() -> None:
    demo = TraceService(MemoryStore(None))  # its own: the lots change the products' data version
    demo.load(TENANT, DEMO_DIR)
    demo.load_epcis(TENANT, parse_json(DEMO_EPCIS.read_bytes(), DEMO_EPCIS.name))
    lot = demo.trace_lot(TENANT, "HP-SH-OXF.SR-26-0125")
    pack = demo.lot_evidence_pack(TENANT, "HP-SH-OXF.SR-26-0125")
    assert pack.subject.kind is SubjectKind.LOT and pack.subject.id == "HP-SH-OXF.SR-26-0125"
    assert pack.subject.product_id == "HP-SH-OXF" and pack.subject.state == f"lot:{lot.lot_id}"
    assert "lot HP-SH-OXF.SR-26-0125 of" in pack.executive_summary[0]
    assert pack.verdict == lot.verdict and len(pack.steps) == len(lot.supply_map.edges)
    # each step carries the lot moving along it; the XUAR gin's path is read back as steps
    assert pack.steps[0].lot_ids == ["HP-SH-OXF.SR-26-0125"]
    gin = next(f for f in pack.findings if f.facility_id == "F-ATY-GIN")
    steps = _path_is_connected(pack, gin.path_steps)
    assert steps[-1].supplier_facility_id == "F-ATY-GIN" and steps[-1].lot_ids[0].startswith("LINT.")
    # the lot's readiness: every missing record is tied to one of the lot's steps
    assert pack.readiness is not None and pack.missing_documents
    assert all(m.step is not None for m in pack.missing_documents)


def test_an_unknown_product_has_no_pack(demo: TraceService) -> None:
    from app.errors import NotFoundError

    with pytest.raises(NotFoundError):
        demo.evidence_pack(TENANT, "NO-SUCH-PRODUCT")
    with pytest.raises(NotFoundError):
        demo.evidence_pack("another-tenant", "HP-SH-OXF")


def test_both_stores_give_the_same_pack(
    store: GraphStore, tenant: str, packs: dict[str, EvidencePack]
) -> None:
    service = TraceService(store)
    service.load(tenant, DEMO_DIR)
    pack = service.evidence_pack(tenant, "HP-SH-OXF")
    theirs = packs["HP-SH-OXF"]
    assert pack.model_dump_json().replace(tenant, TENANT) == theirs.model_dump_json()
