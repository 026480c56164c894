"""Properties of the upstream walk on random small supply graphs (hypothesis).

Each example is a product with a random bill of materials (a DAG, as the loader guarantees), a handful
of facilities in and out of China, and random sourcing rows between them: resale loops, traders,
suppliers nobody buys from, components nobody supplies. Whatever the graph, the walk must finish and
produce a document whose parts agree with each other; and a XUAR origin added anywhere upstream must
make the verdict `presumption_applies`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.screening.location import default_location_detector
from app.store.memory import MemoryStore
from app.trace.models import Severity, TraceResult, Verdict
from app.trace.rules import ListMatchRule, RiskRule, XuarLocationRule
from app.trace.walk import trace_product
from graph_schema import Activity, BomLine, Bundle, Company, Facility, Item, ItemKind, Sourcing
from tests.builders import list_version

T = "walk-properties"
PRODUCT = "P"
#: (country, region): outside China, inside China but not the XUAR, unknown province, the XUAR
PLACES = [("US", "Texas"), ("VN", None), ("CN", "Jiangsu"), ("CN", None), ("CN", "Xinjiang")]
RULES: list[RiskRule] = [
    XuarLocationRule(default_location_detector()),
    ListMatchRule([(list_version("UFLPA:test", list_name="UFLPA"), [])]),
]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Graph:
    companies: list[Company]
    facilities: list[Facility]
    items: list[Item]
    bom: list[BomLine]
    sourcing: list[Sourcing]

    def bundle(self, shuffle: random.Random | None = None) -> Bundle:
        parts = [list(self.companies), list(self.facilities), list(self.items), list(self.bom)]
        parts.append(list(self.sourcing))
        if shuffle is not None:
            for part in parts:
                shuffle.shuffle(part)
        companies, facilities, items, bom, sourcing = parts
        return Bundle(
            companies=companies,  # type: ignore[arg-type]
            facilities=facilities,  # type: ignore[arg-type]
            items=items,  # type: ignore[arg-type]
            bom=bom,  # type: ignore[arg-type]
            sourcing=sourcing,  # type: ignore[arg-type]
        )


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    n_items = draw(st.integers(1, 5))
    item_ids = [PRODUCT] + [f"I{i}" for i in range(1, n_items)]
    items = [Item(item_id=PRODUCT, name="Product", kind=ItemKind.PRODUCT)] + [
        Item(item_id=i, name=f"Item {i}", kind=draw(st.sampled_from([ItemKind.COMPONENT, ItemKind.MATERIAL])))
        for i in item_ids[1:]
    ]
    pairs = [(a, b) for a in range(n_items) for b in range(a + 1, n_items)]  # parent before component: a DAG
    chosen = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs))) if pairs else set()
    bom = [BomLine(parent_item_id=item_ids[a], component_item_id=item_ids[b]) for a, b in sorted(chosen)]

    n_facilities = draw(st.integers(1, 5))
    companies: list[Company] = []
    facilities: list[Facility] = []
    for f in range(n_facilities):
        country, region = draw(st.sampled_from(PLACES))
        activity = draw(st.sampled_from(list(Activity)))
        companies.append(Company(company_id=f"C{f}", name=f"Company {f}", country=country))
        facilities.append(
            Facility(
                facility_id=f"F{f}",
                company_id=f"C{f}",
                name=f"Site {f}",
                activity=activity,
                country=country,
                region=region,
            )
        )
    facility_ids = [f.facility_id for f in facilities]
    row = st.tuples(
        st.sampled_from(item_ids), st.sampled_from(facility_ids), st.none() | st.sampled_from(facility_ids)
    )
    rows = draw(st.sets(row, max_size=6))
    # Grow chains the walk will follow: a tier-1 supplier of the product, then, a few times, a supplier
    # of some row's item (resale) or of one of its components (manufacture) into that row's supplier.
    rows.add((PRODUCT, draw(st.sampled_from(facility_ids)), None))
    components = {i: [b.component_item_id for b in bom if b.parent_item_id == i] for i in item_ids}
    for _ in range(draw(st.integers(0, 8))):
        grown_item, grown_buyer, _buyer = draw(st.sampled_from(sorted(rows, key=str)))
        supplied = draw(st.sampled_from([grown_item, *components[grown_item]]))
        rows.add((supplied, draw(st.sampled_from(facility_ids)), grown_buyer))
    sourcing = [
        Sourcing(item_id=i, supplier_facility_id=s, buyer_facility_id=b)
        for i, s, b in sorted(rows, key=lambda r: (r[0], r[1], r[2] or ""))
        if s != b
    ]
    return Graph(companies, facilities, items, bom, sourcing)


def store_of(graph: Graph, shuffle: random.Random | None = None) -> MemoryStore:
    store = MemoryStore(None)
    store.ensure_schema()
    store.write_bundle(T, graph.bundle(shuffle), "v1")
    return store


def trace(store: MemoryStore) -> TraceResult:
    return trace_product(store, T, PRODUCT, RULES)


@SETTINGS
@given(graphs())
def test_trace_is_a_consistent_document(graph: Graph) -> None:
    result = trace(store_of(graph))

    # each (item, facility) state appears once in the supply map, and every link joins two of them
    ids = [n.id for n in result.supply_map.nodes]
    assert len(ids) == len(set(ids))
    states = [(n.item_id, n.facility_id) for n in result.supply_map.nodes]
    assert len(states) == len(set(states))
    assert {e.source for e in result.supply_map.edges} | {e.target for e in result.supply_map.edges} <= set(
        ids
    )
    assert result.stats.states == len(ids) - 1  # the product root is not a state

    # every finding has an evidence path from the product that ends at its facility
    visited = {n.facility_id for n in result.supply_map.nodes}
    for finding in result.findings:
        assert finding.path, finding
        assert finding.path[-1].facility_id == finding.facility_id
        assert [h.tier for h in finding.path] == list(range(1, len(finding.path) + 1))
        assert {h.facility_id for h in finding.path} <= visited
        assert finding.severity is min((s.severity for s in finding.signals), key=list(Severity).index)
    for gap in result.gaps:
        if gap.at_facility_id is None:
            assert gap.path == []
        else:
            assert gap.path and gap.path[-1].facility_id == gap.at_facility_id

    # the verdict follows from the findings and gaps, strongest first
    severities = {f.severity for f in result.findings}
    if Severity.PRESUMPTION in severities:
        assert result.verdict is Verdict.PRESUMPTION_APPLIES
    elif result.findings:
        assert result.verdict is Verdict.NEEDS_REVIEW
    elif result.gaps:
        assert result.verdict is Verdict.INCOMPLETE_TRACE
    else:
        assert result.verdict is Verdict.NO_RISK_FOUND
    order = list(Severity)
    assert [order.index(f.severity) for f in result.findings] == sorted(
        order.index(f.severity) for f in result.findings
    )


@SETTINGS
@given(graphs(), st.randoms(use_true_random=False))
def test_same_graph_gives_the_same_document(graph: Graph, rnd: random.Random) -> None:
    """Twice on one store, and on a second store fed the records in another order: byte-identical."""
    store = store_of(graph)
    first = trace(store).model_dump_json()
    assert trace(store).model_dump_json() == first
    assert trace(store_of(graph, shuffle=rnd)).model_dump_json() == first


@SETTINGS
@given(graphs(), st.data())
def test_a_xuar_origin_anywhere_upstream_makes_the_presumption_apply(
    graph: Graph, data: st.DataObject
) -> None:
    before = trace(store_of(graph))
    # Pick a state the walk reached (or the product itself) and let a XUAR gin supply its item there.
    reached = [(n.item_id, n.facility_id) for n in before.supply_map.nodes if n.facility_id is not None]
    item_id, buyer = data.draw(st.sampled_from([(PRODUCT, None), *reached]), label="supplied state")
    graph.companies.append(Company(company_id="CX", name="Aksu Gin Co", country="CN"))
    graph.facilities.append(
        Facility(
            facility_id="FX",
            company_id="CX",
            name="Aksu gin",
            activity=Activity.PROCESSING,
            country="CN",
            region="Xinjiang",
            city="Aksu",
        )
    )
    graph.sourcing.append(Sourcing(item_id=item_id, supplier_facility_id="FX", buyer_facility_id=buyer))

    after = trace(store_of(graph))
    assert after.verdict is Verdict.PRESUMPTION_APPLIES
    assert any(f.facility_id == "FX" and f.severity is Severity.PRESUMPTION for f in after.findings)
