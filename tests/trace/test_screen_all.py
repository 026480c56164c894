"""`screen_all` gives exactly the per-product walk's verdicts, while reading each shared state once."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import load_bundle
from app.reference import build_rules, ensure_reference_data
from app.service import DEMO_DIR
from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.trace.models import Verdict
from app.trace.screen_all import screen_all
from app.trace.walk import trace_product
from bench.generate import generate
from graph_schema import Activity, ItemKind
from tests.builders import company, facility, item, sourcing
from tests.trace.test_walk import CountingStore, T, graph, rules


def _products(store: GraphStore, tenant: str) -> list[str]:
    return [i.item_id for i in store.list_items(tenant, kind=ItemKind.PRODUCT, limit=100_000)]


def _assert_same_as_per_product(store: GraphStore, tenant: str, products: list[str]) -> dict[str, Verdict]:
    ensure_reference_data(store)
    rule_set = build_rules(store)
    batch = screen_all(store, tenant, products, rule_set)
    assert [b.product_id for b in batch] == products
    one_by_one = {pid: trace_product(store, tenant, pid, rule_set) for pid in products}
    for screened in batch:
        full = one_by_one[screened.product_id]
        assert screened.verdict is full.verdict, screened.product_id
        if screened.facility_id is not None:  # the witness is one of the trace's own findings
            assert screened.facility_id in {f.facility_id for f in full.findings}
        if screened.gap is not None:
            assert screened.gap in {g.reason for g in full.gaps}
    return {b.product_id: b.verdict for b in batch}


def test_demo_verdicts_match_the_per_product_walk(tmp_path: Path) -> None:
    store = MemoryStore(None)
    store.ensure_schema()
    load_bundle(store, "demo", DEMO_DIR)
    verdicts = _assert_same_as_per_product(store, "demo", _products(store, "demo"))
    assert set(verdicts.values()) == set(Verdict)


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_generated_bundles_match_the_per_product_walk(tmp_path: Path, seed: int) -> None:
    stats = generate(tmp_path / "bundle", seed=seed, nodes=4000, deep_states=100)
    store = MemoryStore(None)
    store.ensure_schema()
    load_bundle(store, "gen", tmp_path / "bundle")
    verdicts = _assert_same_as_per_product(store, "gen", _products(store, "gen"))
    assert len(verdicts) == stats.products
    assert len(set(verdicts.values())) >= 3  # the generator's mix shows up


def test_loops_with_and_without_an_outside_supplier() -> None:
    store = graph(
        company("C", country="US"),
        item("OPEN"),
        item("CLOSED"),
        facility("T1", "C", country="HK", activity=Activity.TRADING),
        facility("T2", "C", country="SG", activity=Activity.TRADING),
        facility("M", "C", country="US"),
        sourcing("OPEN", "T1"),
        sourcing("OPEN", "T2", "T1"),
        sourcing("OPEN", "T1", "T2"),
        sourcing("OPEN", "M", "T1"),
        sourcing("CLOSED", "T1"),
        sourcing("CLOSED", "T2", "T1"),
        sourcing("CLOSED", "T1", "T2"),
    )
    batch = {b.product_id: b for b in screen_all(store, T, ["OPEN", "CLOSED"], rules())}
    assert batch["OPEN"].verdict is Verdict.NO_RISK_FOUND
    assert batch["CLOSED"].verdict is Verdict.INCOMPLETE_TRACE
    for pid in ("OPEN", "CLOSED"):
        assert trace_product(store, T, pid, rules()).verdict is batch[pid].verdict


def test_shared_upstream_is_read_once_not_per_product() -> None:
    """100 products on one shared component chain: one closure read, not one walk per product."""
    records = [
        company("C", country="US"),
        item("X", kind=ItemKind.MATERIAL),
        facility("F", "C", country="US"),
    ]
    records.append(facility("XJ", "C", country="CN", region="Xinjiang", activity=Activity.FARM))
    records.append(sourcing("X", "XJ", "F"))
    for n in range(100):
        records += [item(f"P{n:03d}"), sourcing(f"P{n:03d}", "F")]
    from tests.builders import bom_line

    records += [bom_line(f"P{n:03d}", "X") for n in range(100)]
    counted = CountingStore(graph(*records))
    batch = screen_all(counted, T, [f"P{n:03d}" for n in range(100)], rules())  # type: ignore[arg-type]
    assert {b.verdict for b in batch} == {Verdict.PRESUMPTION_APPLIES}
    assert {b.facility_id for b in batch} == {"XJ"} and {b.rule for b in batch} == {"xuar_location"}
    assert counted.counts["get_supply_closure"] == 1
    assert counted.counts.get("get_supply", 0) == 0


def test_unknown_products_are_left_out() -> None:
    store = graph(company("C", country="US"), item("P"), facility("F", "C", country="US"), sourcing("P", "F"))
    assert [b.product_id for b in screen_all(store, T, ["NOPE", "P"], rules())] == ["P"]


@pytest.mark.neo4j
def test_on_neo4j_the_batch_matches_the_per_product_walk(
    neo4j_store: GraphStore, tenant: str, tmp_path: Path
) -> None:
    generate(tmp_path / "bundle", seed=3, nodes=3000, deep_states=100)
    load_bundle(neo4j_store, tenant, tmp_path / "bundle")
    _assert_same_as_per_product(neo4j_store, tenant, _products(neo4j_store, tenant))


def test_results_do_not_depend_on_the_order_products_are_given(tmp_path: Path) -> None:
    generate(tmp_path / "bundle", seed=11, nodes=3000, deep_states=50)
    store = MemoryStore(None)
    store.ensure_schema()
    load_bundle(store, "gen", tmp_path / "bundle")
    ensure_reference_data(store)
    rule_set = build_rules(store)
    products = _products(store, "gen")
    forward = {b.product_id: b for b in screen_all(store, "gen", products, rule_set)}
    backward = {b.product_id: b for b in screen_all(store, "gen", products[::-1], rule_set)}
    assert forward == backward  # verdicts and the facility, rule or gap named as witness
