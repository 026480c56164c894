"""Mass balance: quantities that cannot add up are flagged with their figures; consistent ones are not."""

from __future__ import annotations

from datetime import date

import pytest

from app.evidence.mass_balance import (
    LotQuantity,
    MassBalanceCheck,
    bom_findings,
    lot_balance,
    share_findings,
)
from app.evidence.readiness import assess_readiness, checklist_in_force
from app.service import DEMO_DIR, TraceService
from app.store.base import GraphStore, LotLink
from app.store.memory import MemoryStore
from app.trace.models import TraceResult
from graph_schema.records import Lot
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing

TOLERANCE = 5.0


def test_shares_summing_to_more_than_the_whole_are_flagged_with_each_suppliers_share() -> None:
    rows = [sourcing("LINT", "G1", "SPIN", share=70), sourcing("LINT", "G2", "SPIN", share=60)]
    (finding,) = share_findings({("SPIN", "LINT"): rows}, TOLERANCE)
    assert finding.check is MassBalanceCheck.SOURCING_SHARES
    assert (finding.item_id, finding.facility_id) == ("LINT", "SPIN")
    assert finding.actual == 130 and finding.expected == 100
    assert finding.figures == {"G1": 70, "G2": 60}
    assert sorted(finding.sourcing_ids) == sorted(r.sourcing_id for r in rows)
    assert "130%" in finding.explanation and "double-counted" in finding.explanation


def test_shares_far_below_the_whole_point_at_a_supplier_missing_from_the_data() -> None:
    (finding,) = share_findings({("", "SHIRT"): [sourcing("SHIRT", "F1", share=60)]}, TOLERANCE)
    assert finding.actual == 60
    assert finding.facility_id is None
    assert "40% of the volume comes from a supplier not in the data" in finding.explanation


@pytest.mark.parametrize(
    "rows",
    [
        [sourcing("LINT", "G1", "SPIN", share=70), sourcing("LINT", "G2", "SPIN")],  # one share unknown
        [sourcing("LINT", "G1", "SPIN", share=97), sourcing("LINT", "G2", "SPIN", share=4)],  # within 5
        [sourcing("LINT", "G1", "SPIN", share=99), sourcing("LINT", "G2", "SPIN", share=1)],
    ],
)
def test_shares_that_add_up_or_are_not_all_given_are_not_flagged(rows: list[object]) -> None:
    assert share_findings({("SPIN", "LINT"): rows}, TOLERANCE) == []  # type: ignore[dict-item]


def test_a_link_replaced_by_a_newer_one_is_not_counted_twice() -> None:
    old = sourcing("LINT", "G1", "SPIN", share=100, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    new_a = sourcing("LINT", "G1", "SPIN", share=50, valid_from=date(2025, 1, 1))
    new_b = sourcing("LINT", "G2", "SPIN", share=50, valid_from=date(2025, 1, 1))
    assert share_findings({("SPIN", "LINT"): [old, new_a, new_b]}, TOLERANCE) == []


def test_an_item_weighing_more_than_its_inputs_is_flagged() -> None:
    bom = {
        "FABRIC": [bom_line("FABRIC", "YARN", quantity=1.1, unit="kg")],
        "YARN": [bom_line("YARN", "LINT", quantity=800, unit="g")],  # 0.8 kg of lint per kg of yarn
    }
    (finding,) = bom_findings(bom, TOLERANCE)
    assert finding.check is MassBalanceCheck.BOM_QUANTITY
    assert finding.item_id == "YARN"
    assert finding.actual == pytest.approx(0.8)
    assert finding.figures == {"LINT": pytest.approx(0.8)}
    assert "outweighs its inputs" in finding.explanation


def test_bills_of_materials_that_conserve_mass_or_cannot_be_weighed_are_not_flagged() -> None:
    bom = {
        "SHIRT": [bom_line("SHIRT", "FABRIC", quantity=1.6, unit="m")],  # a shirt has no mass unit here
        "FABRIC": [bom_line("FABRIC", "YARN", quantity=0.16, unit="kg")],  # fabric is counted in m
        "YARN": [bom_line("YARN", "LINT", quantity=1.25, unit="kg")],
        "LINT": [bom_line("LINT", "SEED", quantity=2.7, unit="kg")],
        "BLEND": [
            bom_line("BLEND", "LINT", quantity=0.5, unit="kg"),
            bom_line("BLEND", "BUTTON", quantity=4, unit="pcs"),
        ],
        "TOP": [bom_line("TOP", "BLEND", quantity=1, unit="kg")],
    }
    assert bom_findings(bom, TOLERANCE) == []


def test_the_demo_bundle_has_consistent_quantities() -> None:
    store = MemoryStore(None)
    service = TraceService(store)
    service.load("t", DEMO_DIR)
    every_item = [i.item_id for i in store.list_items("t", limit=1000)]
    assert bom_findings(store.get_bom("t", every_item), TOLERANCE) == []


def test_an_output_lot_bigger_than_its_inputs_can_make_is_flagged() -> None:
    line = bom_line("YARN", "LINT", quantity=1.25, unit="kg")
    inputs = [LotQuantity("L1", "LINT", 60, "kg"), LotQuantity("L2", "LINT", 50_000, "g")]  # 110 kg
    (finding,) = lot_balance(LotQuantity("Y1", "YARN", 100, "kg"), inputs, [line], TOLERANCE)
    assert finding.check is MassBalanceCheck.LOT_BALANCE
    assert finding.lot_id == "Y1"
    assert finding.expected == pytest.approx(88.0)  # 110 kg of lint at 1.25 kg per kg of yarn
    assert finding.figures == {"L1": 60, "L2": 50_000}
    assert "input from elsewhere" in finding.explanation


def test_a_lot_within_tolerance_and_yield_loss_passes_and_a_larger_loss_does_not() -> None:
    line = bom_line("YARN", "LINT", quantity=1.25, unit="kg")
    inputs = [LotQuantity("L1", "LINT", 110, "kg")]
    # 88 kg possible; 80 kg is 9% less: within 5% tolerance + 5% documented yield loss
    assert lot_balance(LotQuantity("Y1", "YARN", 80, "kg"), inputs, [line], TOLERANCE, 5.0) == []
    (finding,) = lot_balance(LotQuantity("Y1", "YARN", 70, "kg"), inputs, [line], TOLERANCE, 5.0)
    assert "went somewhere unrecorded" in finding.explanation
    # incomparable units are not judged
    assert (
        lot_balance(
            LotQuantity("Y1", "YARN", 70, "kg"), [LotQuantity("L1", "LINT", 3, "bales")], [line], TOLERANCE
        )
        == []
    )


def test_readiness_of_a_product_carries_its_mass_balance_and_is_not_ready() -> None:
    store = MemoryStore(None)
    documents = [
        document(f"D-{t}", t)
        for t in ("purchase_order", "commercial_invoice", "bill_of_lading", "production_record")
    ]
    doc_ids = [d.document_id for d in documents]
    store.write_bundle(
        "t",
        bundle(
            companies=[company("C1", name="Maker", country="VN")],
            facilities=[
                facility("F1", "C1", country="VN"),
                facility("M1", "C1", country="VN", activity="mine"),
                facility("M2", "C1", country="VN", activity="mine"),
            ],
            items=[item("P"), item("ORE", kind="material")],
            bom=[bom_line("P", "ORE", quantity=1, unit="kg")],
            sourcing=[
                sourcing("P", "F1", share=100, document_ids=doc_ids),
                sourcing("ORE", "M1", "F1", share=70, document_ids=doc_ids),
                sourcing("ORE", "M2", "F1", share=60, document_ids=doc_ids),
            ],
            documents=documents,
        ),
        "v1",
    )
    result = TraceService(store).readiness("t", "P")
    assert [h.missing_required for h in result.hops] == [[], [], []]  # every hop is documented...
    (finding,) = result.mass_balance
    assert finding.item_id == "ORE" and finding.facility_id == "F1"
    assert not result.ready and result.score == 0.99  # ...but the shares cannot both be true
    assert "1 mass-balance finding" in result.explanation


def test_a_lot_trace_checks_each_lot_against_the_input_lots_it_was_made_from(
    store: GraphStore, tenant: str
) -> None:
    class LotTrace(TraceResult):
        lot_id: str

    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1", name="Mill", country="VN")],
            facilities=[
                facility("F1", "C1", country="VN"),
                facility("M1", "C1", country="VN", activity="mine"),
            ],
            items=[item("P", commodity="steel"), item("ORE", kind="material")],
            bom=[bom_line("P", "ORE", quantity=2, unit="kg")],
            sourcing=[sourcing("P", "F1"), sourcing("ORE", "M1", "F1")],
        ),
        "v1",
    )
    lots = [
        Lot(lot_id="P.1", item_id="P", lot="1", quantity=100, uom="KGM"),
        Lot(lot_id="ORE.1", item_id="ORE", lot="1", quantity=200, uom="KGM"),
    ]
    # 150 kg of ore at 2 kg per kg makes 75 kg, not the 100 kg the output lot holds
    store.write_lots(tenant, lots, [], [LotLink("P.1", "ORE.1", "E1", 150, "KGM")], "v2")
    trace = TraceService(store).trace(tenant, "P")
    result = assess_readiness(store, LotTrace(**trace.model_dump(), lot_id="P.1"), checklist_in_force())
    (finding,) = [f for f in result.mass_balance if f.check is MassBalanceCheck.LOT_BALANCE]
    assert (finding.lot_id, finding.expected, finding.actual) == ("P.1", 75, 100)
    assert finding.figures == {"ORE.1": 150}
    assert not result.ready


def test_the_demo_lots_balance_except_the_oxford_fabric_made_from_too_little_yarn() -> None:
    """The tour's claim: the clean poplin shipment's lots add up; the oxford fabric lot holds more than its
    recorded yarn can make (inputs from elsewhere went in), and its shirts' readiness shows it."""
    from app.service import DEMO_EPCIS
    from loaders.epcis import parse_json

    store = MemoryStore(None)
    store.ensure_schema()
    service = TraceService(store)
    service.load("demo", DEMO_DIR)
    service.load_epcis("demo", parse_json(DEMO_EPCIS.read_bytes(), DEMO_EPCIS.name), DEMO_EPCIS.name)
    checklist = checklist_in_force()

    def lot_findings(lot_id: str) -> list[tuple[str | None, object, object]]:
        result = assess_readiness(store, service.trace_lot("demo", lot_id), checklist)
        return [(f.lot_id, f.expected, f.actual) for f in result.mass_balance]

    assert lot_findings("HP-SH-POP.MK-26-0220") == []
    assert lot_findings("HP-SH-OXF.SR-26-0125") == [("FAB-OXF.NJ-25-1025", 73750, 80000)]
