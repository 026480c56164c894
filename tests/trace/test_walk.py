"""The upstream walk on small hand-built graphs: each test is one rule of `shared/FORMATS.md`.

The graphs live in the embedded store (in memory, no file); the conformance suite proves the Neo4j
store answers the same reads, and the end-to-end test compares whole traces across both.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from app.errors import NotFoundError
from app.screening.location import default_location_detector
from app.store.base import GraphStore, supply_closure_by_tiers
from app.store.memory import MemoryStore
from app.trace.models import GapReason, Role, Severity, TraceResult, Verdict
from app.trace.rules import ListMatchRule, RiskRule, XuarLocationRule
from app.trace.walk import trace_product
from graph_schema import Activity, Bundle, ItemKind, ListEntry, ReviewVerdict
from graph_schema.records import Record
from tests.builders import (
    bom_line,
    company,
    document,
    facility,
    item,
    list_entry,
    list_version,
    review,
    sourcing,
)

T = "walk-tests"


def rules(*entries: ListEntry) -> list[RiskRule]:
    """The production rules over a list per list code of `entries` (UFLPA always present)."""
    by_list: dict[str, list[ListEntry]] = {"UFLPA": []}
    for e in entries:
        by_list.setdefault(e.list_name, []).append(e)
    lists = [
        (list_version(f"{name}:test", list_name=name, entry_count=len(listed)), listed)
        for name, listed in sorted(by_list.items())
    ]
    return [XuarLocationRule(default_location_detector()), ListMatchRule(lists)]


def graph(*records: Record | Iterable[Record]) -> GraphStore:
    """A store holding exactly these records for tenant T."""
    flat: list[Record] = []
    for r in records:
        flat.extend([r] if isinstance(r, Record) else r)
    b = Bundle()
    for r in flat:
        kind = type(r).__name__
        target = {
            "Company": b.companies,
            "Facility": b.facilities,
            "Item": b.items,
            "BomLine": b.bom,
            "Sourcing": b.sourcing,
            "Document": b.documents,
        }[kind]
        target.append(r)  # type: ignore[arg-type]
    store = MemoryStore(None)
    store.ensure_schema()
    store.write_bundle(T, b, "v1")
    return store


def trace(store: GraphStore, product: str = "P", rule_set: list[RiskRule] | None = None) -> TraceResult:
    return trace_product(store, T, product, rule_set if rule_set is not None else rules())


def companies(*ids: str, **fields: object) -> list[Record]:
    return [company(i, country="US", **fields) for i in ids]


def test_clean_chain_traced_to_origin_is_no_risk_found() -> None:
    store = graph(
        companies("C1", "C2"),
        item("P"),
        item("FAB", kind=ItemKind.COMPONENT),
        bom_line("P", "FAB"),
        facility("F1", "C1", country="VN", name="Sewing"),
        facility("F2", "C2", country="VN", name="Mill"),
        sourcing("P", "F1"),
        sourcing("FAB", "F2", "F1"),
    )
    result = trace(store)
    assert result.verdict is Verdict.NO_RISK_FOUND
    assert result.findings == [] and result.gaps == []
    roles = {n.id: (n.role, n.tier) for n in result.supply_map.nodes}
    assert roles == {
        "product:P": (Role.PRODUCT, 0),
        "P@F1": (Role.MANUFACTURE, 1),
        "FAB@F2": (Role.ORIGIN, 2),
    }
    assert result.stats.states == 2 and result.stats.max_tier == 2


def test_trader_passes_through_and_one_percent_xuar_share_is_flagged() -> None:
    store = graph(
        companies("CT", "CF", "CG2"),
        company("CG", country="CN", name="Aksu Cotton Gin Co"),
        item("P"),
        item("COT", kind=ItemKind.MATERIAL),
        bom_line("P", "COT"),
        facility("T", "CT", country="HK", activity=Activity.TRADING, name="HK Trader"),
        facility("F", "CF", country="CN", region="Jiangsu", name="Shirt factory"),
        facility("G", "CG", country="CN", region="Xinjiang", city="Aksu", activity=Activity.PROCESSING),
        facility("G2", "CG2", country="US", region="Texas", activity=Activity.PROCESSING),
        document("INV1", "commercial_invoice", number="INV-2024-1"),
        sourcing("P", "T", document_ids=["INV1"]),
        sourcing("P", "F", "T"),
        sourcing("COT", "G", "F", share=1),
        sourcing("COT", "G2", "F", share=99),
    )
    result = trace(store)
    assert result.verdict is Verdict.PRESUMPTION_APPLIES
    (finding,) = result.findings
    assert finding.facility_id == "G" and finding.severity is Severity.PRESUMPTION
    signal = finding.signals[0]
    assert (signal.rule, signal.field, signal.value) == ("xuar_location", "region", "Xinjiang")
    assert "Xinjiang" in signal.matched
    assert signal.reference == default_location_detector().gazetteer.version
    # The detector's whole answer travels with the signal: every piece of evidence, with its field.
    assert signal.location is not None and signal.location.in_xuar is True
    assert {"region", "city"} <= {s.field for s in signal.location.signals}
    assert [(h.tier, h.item_id, h.facility_id) for h in finding.path] == [
        (1, "P", "T"),
        (2, "P", "F"),
        (3, "COT", "G"),
    ]
    assert finding.path[2].share == 1
    assert finding.path[0].documents[0].number == "INV-2024-1"
    assert finding.path[2].location is not None and finding.path[2].location.city == "Aksu"
    assert finding.path[0].company_id == "CT"
    roles = {n.id: n.role for n in result.supply_map.nodes}
    assert roles["P@T"] is Role.RESALE and roles["P@F"] is Role.MANUFACTURE


def test_trading_site_without_suppliers_is_an_untraced_input() -> None:
    store = graph(
        companies("CT"),
        item("P"),
        facility("T", "CT", country="SG", activity=Activity.WAREHOUSE),
        sourcing("P", "T"),
    )
    result = trace(store)
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    (gap,) = result.gaps
    assert (gap.reason, gap.item_id, gap.at_facility_id) == (GapReason.NON_ORIGINATING_SITE, "P", "T")
    assert [h.facility_id for h in gap.path] == ["T"]


def test_component_without_supplier_is_a_gap_and_item_without_bom_is_an_origin() -> None:
    store = graph(
        companies("C1"),
        item("P"),
        item("A", kind=ItemKind.COMPONENT),
        item("B", kind=ItemKind.COMPONENT),
        bom_line("P", "A"),
        bom_line("P", "B"),
        facility("F1", "C1", country="US"),
        facility("F2", "C1", country="US"),
        sourcing("P", "F1"),
        sourcing("A", "F2", "F1"),
    )
    result = trace(store)
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    (gap,) = result.gaps
    assert (gap.reason, gap.item_id, gap.at_facility_id) == (GapReason.NO_COMPONENT_SOURCING, "B", "F1")
    assert "Item B" in gap.explanation
    assert {n.id: n.role for n in result.supply_map.nodes}["A@F2"] is Role.ORIGIN


def test_product_without_tier1_supplier_is_incomplete() -> None:
    store = graph(item("P"))
    result = trace(store)
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    assert [g.reason for g in result.gaps] == [GapReason.NO_TIER1_SOURCING]
    assert result.gaps[0].path == []


def test_unknown_product_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        trace(graph(item("P")), "NOPE")


def test_diamond_visits_shared_state_once() -> None:
    store = graph(
        companies("C"),
        item("P"),
        item("A", kind=ItemKind.COMPONENT),
        item("B", kind=ItemKind.COMPONENT),
        item("X", kind=ItemKind.MATERIAL),
        bom_line("P", "A"),
        bom_line("P", "B"),
        bom_line("A", "X"),
        bom_line("B", "X"),
        facility("F", "C", country="US"),
        facility("FA", "C", country="US"),
        facility("FB", "C", country="US"),
        facility("G", "C", country="CN", city="Kashgar"),
        sourcing("P", "F"),
        sourcing("A", "FA", "F"),
        sourcing("B", "FB", "F"),
        sourcing("X", "G", "FA"),
        sourcing("X", "G", "FB"),
    )
    result = trace(store)
    ids = [n.id for n in result.supply_map.nodes]
    assert len(ids) == len(set(ids)) == 5
    assert result.stats.states == 4
    assert sum(1 for e in result.supply_map.edges if e.target == "X@G") == 2
    (finding,) = result.findings
    assert finding.facility_id == "G" and finding.signals[0].field == "city"
    assert len(finding.path) == 3


def test_lattice_with_a_million_paths_costs_its_states_not_its_paths() -> None:
    """20 layers of two facilities, each buying from both below: 2^20 paths, 40 states."""
    layers = 20
    records: list[Record] = [*companies("C"), item("P"), item("X", kind=ItemKind.MATERIAL)]
    # A trader lattice for item P; the bottom layer manufactures P from X, bought from one farm.
    records.append(bom_line("P", "X"))
    for layer in range(layers):
        for side in "ab":
            fid = f"L{layer}{side}"
            bottom = layer == layers - 1
            records.append(
                facility(
                    fid, "C", country="US", activity=Activity.MANUFACTURING if bottom else Activity.TRADING
                )
            )
            if bottom:
                records.append(sourcing("X", "FARM", fid))
            else:
                records.extend(sourcing("P", f"L{layer + 1}{s}", fid) for s in "ab")
    records.append(facility("FARM", "C", country="US", activity=Activity.FARM))
    records.extend(sourcing("P", f"L0{s}") for s in "ab")
    calls = CountingStore(graph(*records))
    result = trace(calls)  # type: ignore[arg-type]
    assert result.verdict is Verdict.NO_RISK_FOUND
    assert result.stats.states == 2 * layers + 1
    assert result.stats.max_tier == layers + 1
    # The walk reads the whole upstream with one question, inside one snapshot, and nothing per path.
    assert calls.counts["get_supply_closure"] == 1 and calls.counts.get("get_supply", 0) == 0
    assert calls.counts["snapshot"] == 1
    # The portable closure asks one supply question per tier (plus tier 1), not per path.
    tiers = CountingStore(calls.inner)
    closure = supply_closure_by_tiers(tiers, T, [("", "P")])  # type: ignore[arg-type]
    assert tiers.counts["get_supply"] == layers + 2
    # the root; each lattice state asks for P (resale) and X (P's component); the farm asks for X
    assert len(closure.asked) == 1 + 2 * (2 * layers) + 1


class CountingStore:
    """Wraps a store and counts calls per method."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.counts: dict[str, int] = {}

    def __getattr__(self, name: str) -> object:
        target = getattr(self.inner, name)
        if not callable(target):
            return target

        def counted(*args: object, **kwargs: object) -> object:
            self.counts[name] = self.counts.get(name, 0) + 1
            return target(*args, **kwargs)

        return counted


def test_twelve_tier_chain_reaches_xuar_origin() -> None:
    depth = 14
    records: list[Record] = [*companies("C")]
    for level in range(depth):
        iid = "P" if level == 0 else f"I{level}"
        records.append(item(iid, kind=ItemKind.PRODUCT if level == 0 else ItemKind.COMPONENT))
        records.append(
            facility(
                f"F{level}",
                "C",
                country="CN",
                region="Xinjiang" if level == depth - 1 else "Zhejiang",
                activity=Activity.MINE if level == depth - 1 else Activity.MANUFACTURING,
            )
        )
        if level + 1 < depth:
            records.append(bom_line(iid, f"I{level + 1}"))
            records.append(sourcing(f"I{level + 1}", f"F{level + 1}", f"F{level}"))
    records.append(sourcing("P", "F0"))
    result = trace(graph(*records))
    assert result.verdict is Verdict.PRESUMPTION_APPLIES
    (finding,) = result.findings
    assert finding.facility_id == f"F{depth - 1}"
    assert [h.tier for h in finding.path] == list(range(1, depth + 1))
    assert result.stats.max_tier == depth


def test_cycle_between_traders_is_reported_and_cut() -> None:
    store = graph(
        companies("C"),
        item("P"),
        facility("T1", "C", country="HK", activity=Activity.TRADING),
        facility("T2", "C", country="SG", activity=Activity.TRADING),
        facility("M", "C", country="US", activity=Activity.MANUFACTURING),
        sourcing("P", "T1"),
        sourcing("P", "T2", "T1"),
        sourcing("P", "T1", "T2"),
        sourcing("P", "M", "T1"),
    )
    result = trace(store)
    (cycle,) = result.cycles
    assert cycle.states[0] == cycle.states[-1]
    assert set(cycle.states) == {"P@T1", "P@T2"}
    assert [e for e in result.supply_map.edges if e.cycle]
    # The loop has an outside supplier (M makes P), so the trace is complete.
    assert result.verdict is Verdict.NO_RISK_FOUND


def test_closed_loop_without_outside_supplier_is_a_gap() -> None:
    store = graph(
        companies("C"),
        item("P"),
        facility("T1", "C", country="HK", activity=Activity.TRADING),
        facility("T2", "C", country="SG", activity=Activity.TRADING),
        sourcing("P", "T1"),
        sourcing("P", "T2", "T1"),
        sourcing("P", "T1", "T2"),
    )
    result = trace(store)
    assert len(result.cycles) == 1
    assert result.verdict is Verdict.INCOMPLETE_TRACE
    assert [(g.reason, g.at_facility_id) for g in result.gaps] == [(GapReason.ONLY_CYCLIC_SUPPLY, "T1")]


def test_listed_operator_alias_triggers_presumption_outside_xinjiang() -> None:
    entry = list_entry("U1", "UFLPA", name="Hoshine Silicon Industry Co., Ltd.", aliases=["Hesheng Silicon"])
    store = graph(
        company("C1", country="US"),
        company("CP", country="CN", name="HESHENG SILICON"),
        item("P"),
        facility("F1", "C1", country="US"),
        facility("POLY", "CP", country="CN", region="Zhejiang", activity=Activity.PROCESSING),
        item("SI", kind=ItemKind.MATERIAL),
        bom_line("P", "SI"),
        sourcing("P", "F1"),
        sourcing("SI", "POLY", "F1"),
    )
    result = trace(store, rule_set=rules(entry))
    assert result.verdict is Verdict.PRESUMPTION_APPLIES
    sig = result.findings[0].signals[0]
    assert (sig.rule, sig.subject, sig.subject_id, sig.field) == ("uflpa_entity", "company", "CP", "name")
    assert sig.reference == "UFLPA:test" and "U1" in sig.matched
    assert "UFLPA:test" in [r.version for r in result.reference_versions]


@pytest.mark.parametrize(
    ("covers", "expected"),
    [(True, Verdict.PRESUMPTION_APPLIES), (False, Verdict.NEEDS_REVIEW)],
)
def test_listed_parent_weighs_by_subsidiary_coverage(covers: bool, expected: Verdict) -> None:
    entry = list_entry("U1", "UFLPA", name="Listed Group", covers_subsidiaries=covers)
    store = graph(
        company("GROUP", country="CN", name="Listed Group"),
        company("MID", country="CN", name="Mid Holding", parent_company_id="GROUP", ownership_pct=60),
        company("OP", country="CN", name="Plain Name Co", parent_company_id="MID", ownership_pct=100),
        item("P"),
        facility("F", "OP", country="CN", region="Guangdong"),
        sourcing("P", "F"),
    )
    result = trace(store, rule_set=rules(entry))
    assert result.verdict is expected
    sig = result.findings[0].signals[0]
    assert (sig.rule, sig.subject_id) == ("uflpa_listed_owner", "GROUP")
    assert "2 levels up" in sig.explanation


def _one_supplier(operator_name: str, *owners: Record, **operator: object) -> GraphStore:
    return graph(
        company("C1", country="US"),
        company("OP", country="CN", name=operator_name, **operator),
        *owners,
        item("P"),
        facility("F1", "C1", country="US"),
        facility("SUP", "OP", country="CN", region="Guangdong", city="Dongguan"),
        item("PART", kind=ItemKind.MATERIAL),
        bom_line("P", "PART"),
        sourcing("P", "F1"),
        sourcing("PART", "SUP", "F1"),
    )


def test_a_bis_entity_list_hit_needs_review_and_is_not_called_the_presumption() -> None:
    entry = list_entry("B1", "BIS", name="Shenzhen Example Microelectronics Co., Ltd.", countries=["CN"])
    result = trace(_one_supplier("SHENZHEN EXAMPLE MICROELECTRONICS CO LTD"), rule_set=rules(entry))
    assert result.verdict is Verdict.NEEDS_REVIEW
    (sig,) = result.findings[0].signals
    assert (sig.rule, sig.severity, sig.subject_id) == ("screening_list_match", Severity.REVIEW, "OP")
    assert "different legal risk" in sig.explanation and "BIS Entity List" in sig.explanation
    assert sig.reference == "BIS:test" and sig.match is not None and sig.match.entry_id == "B1"


@pytest.mark.parametrize(
    ("pct", "rule", "blocked"), [(60, "ofac_50_percent", True), (30, "sdn_owner", False)]
)
def test_an_sdn_owner_weighs_by_the_share_it_holds(pct: float, rule: str, blocked: bool) -> None:
    entry = list_entry("S1", "OFAC_SDN", name="Sanctioned Holdings Limited", countries=["CN"])
    store = _one_supplier(
        "Plain Widgets Co",
        company("SDN", country="CN", name="Sanctioned Holdings Limited"),
        parent_company_id="SDN",
        ownership_pct=pct,
    )
    result = trace(store, rule_set=rules(entry))
    assert result.verdict is Verdict.NEEDS_REVIEW  # sanctions are reported, never the UFLPA presumption
    (sig,) = result.findings[0].signals
    assert (sig.rule, sig.subject_id) == (rule, "SDN")
    assert ("is blocked" in sig.explanation) is blocked
    assert f"{pct:g}%" in sig.explanation


def test_a_reviewers_rejection_is_honoured_and_a_confirmation_fires() -> None:
    entry = list_entry("U1", "UFLPA", name="Hoshine Silicon Industry Co., Ltd.", aliases=["Hesheng Silicon"])
    store = _one_supplier("HESHENG SILICON")
    assert trace(store, rule_set=rules(entry)).verdict is Verdict.PRESUMPTION_APPLIES
    store.put_review(T, review("company:OP", "UFLPA", "U1", ReviewVerdict.REJECTED), "v2")
    cleared = trace(store, rule_set=rules(entry))
    assert cleared.verdict is Verdict.NO_RISK_FOUND and cleared.data_version == "v2"
    store.put_review(T, review("company:OP", "UFLPA", "U1", ReviewVerdict.CONFIRMED), "v3")
    confirmed = trace(store, rule_set=rules(entry))
    assert confirmed.verdict is Verdict.PRESUMPTION_APPLIES
    sig = confirmed.findings[0].signals[0]
    assert sig.match is not None and sig.match.explanation[-1].feature == "review"
    assert "a.auditor@example.com" in sig.match.explanation[-1].detail


def test_warehouse_in_xinjiang_needs_review_not_presumption() -> None:
    store = graph(
        companies("C"),
        item("P"),
        facility("W", "C", country="CN", city="Urumqi", activity=Activity.WAREHOUSE),
        facility("M", "C", country="US"),
        sourcing("P", "W"),
        sourcing("P", "M", "W"),
    )
    result = trace(store)
    assert result.verdict is Verdict.NEEDS_REVIEW
    assert result.findings[0].signals[0].rule == "xuar_transit"


@pytest.mark.parametrize(
    ("country", "city", "flagged"),
    [("KZ", "Aksu", False), ("CN", "Aksu", True), ("CN", "阿克苏市", True), ("CN", "Akesuville", False)],
)
def test_location_rule_needs_china_and_a_whole_place_name(country: str, city: str, flagged: bool) -> None:
    store = graph(
        companies("C"), item("P"), facility("F", "C", country=country, city=city), sourcing("P", "F")
    )
    assert (trace(store).verdict is Verdict.PRESUMPTION_APPLIES) is flagged


def test_same_graph_same_document() -> None:
    def build() -> GraphStore:
        return graph(
            companies("C"),
            item("P"),
            item("A", kind=ItemKind.COMPONENT),
            bom_line("P", "A"),
            facility("F", "C", country="US"),
            facility("G1", "C", country="CN", region="Xinjiang"),
            facility("G2", "C", country="CN", region="Hotan"),
            sourcing("P", "F"),
            sourcing("A", "G2", "F"),
            sourcing("A", "G1", "F"),
        )

    assert trace(build()).model_dump_json() == trace(build()).model_dump_json()
