"""What only the Neo4j store has to promise: one transaction per bundle, driver errors translated, reads
served by indexes, migrations stamped."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings, StoreBackend
from app.errors import BundleInvalidError, ConflictError, StoreUnavailableError
from app.ingest import load_bundle
from app.store import cypher
from app.store.base import RecordKind
from app.store.factory import open_store
from app.store.graph_model import FK_RELS, NODE_KINDS
from app.store.memory import MemoryStore
from app.store.neo4j_store import (
    WRITE_ORDER,
    DecodedRecords,
    KeptRecords,
    Neo4jStore,
    _ramped_chunks,
    _supply_from_closure,
    _supply_from_ids,
)
from graph_schema import SCHEMA_VERSION, Label, migrations
from tests.builders import bom_line, bundle, company, facility, item, sourcing

neo4j = pytest.mark.neo4j


def test_unreachable_server_is_unavailable_not_a_crash() -> None:
    store = Neo4jStore(Settings(store=StoreBackend.NEO4J, neo4j_uri="bolt://127.0.0.1:1", store_timeout_s=2))
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as caught:
        store.ping()
    assert caught.value.retry_after > 0 and caught.value.status == 503
    with pytest.raises(StoreUnavailableError):
        store.get_companies("t", ["C1"])
    assert time.monotonic() - started < 15
    store.close()


def test_open_store_picks_the_backend_and_ensures_the_schema(tmp_path: Path) -> None:
    store = open_store(Settings(store=StoreBackend.MEMORY, memory_path=tmp_path / "g.json"))
    assert isinstance(store, MemoryStore) and store.schema_version() == SCHEMA_VERSION
    with pytest.raises(StoreUnavailableError):
        open_store(Settings(store=StoreBackend.NEO4J, neo4j_uri="bolt://127.0.0.1:1", store_timeout_s=2))


@neo4j
def test_open_store_neo4j(neo4j_store: Neo4jStore) -> None:
    store = open_store(Settings(store=StoreBackend.NEO4J))
    try:
        assert store.backend == "neo4j"
        store.ping()
    finally:
        store.close()


@neo4j
def test_failure_after_the_first_batch_rolls_back_everything(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    neo4j_store.write_bundle(tenant, bundle(companies=[company("C0")]), "v1")
    monkeypatch.setattr(neo4j_store, "_batch_size", 2)
    real = neo4j_store._run_batch
    calls = {"n": 0}

    def fail_second(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConflictError("injected after the first batch")
        return real(*args, **kwargs)

    monkeypatch.setattr(neo4j_store, "_run_batch", fail_second)
    companies = [company(f"C{n}") for n in range(5)]
    with pytest.raises(ConflictError, match="injected"):
        neo4j_store.write_bundle(tenant, bundle(companies=companies), "v2")
    monkeypatch.undo()

    assert set(neo4j_store.get_companies(tenant, [c.company_id for c in companies])) == {"C0"}
    assert neo4j_store.tenant_info(tenant).data_version == "v1"


@neo4j
def test_constraint_violation_becomes_conflict(neo4j_store: Neo4jStore) -> None:
    neo4j_store.ensure_schema()
    with pytest.raises(ConflictError) as caught:
        # A second schema node breaks the uniqueness constraint; the transaction is refused as a whole.
        neo4j_store._write(f"CREATE (:{Label.SCHEMA} {{id: 'schema'}})")
    assert caught.value.__cause__ is not None


@neo4j
def test_schema_at_version_zero_is_migrated_and_stamped(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = f"MATCH (s:{Label.SCHEMA} {{id: 'schema'}}) SET s.probe = coalesce(s.probe, 0) + 1"
    monkeypatch.setattr(migrations, "MIGRATIONS", {SCHEMA_VERSION: migrations.Migration("probe", (probe,))})
    try:
        neo4j_store._write(cypher.STAMP_SCHEMA_VERSION, version=0)
        assert neo4j_store.schema_version() == 0
        neo4j_store.ensure_schema()
        assert neo4j_store.schema_version() == SCHEMA_VERSION
        [row] = neo4j_store._read(f"MATCH (s:{Label.SCHEMA} {{id: 'schema'}}) RETURN s.probe AS probe")
        assert row["probe"] == 1
        neo4j_store.ensure_schema()
        [row] = neo4j_store._read(f"MATCH (s:{Label.SCHEMA} {{id: 'schema'}}) RETURN s.probe AS probe")
        assert row["probe"] == 1  # at the current version nothing runs again
    finally:
        neo4j_store._write(f"MATCH (s:{Label.SCHEMA} {{id: 'schema'}}) REMOVE s.probe")
        neo4j_store._write(cypher.STAMP_SCHEMA_VERSION, version=SCHEMA_VERSION)


def _operators(plan: dict[str, Any]) -> set[str]:
    ops = {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


@neo4j
@pytest.mark.parametrize(
    ("query", "params"),
    [
        (cypher.GET_SOURCING, {"keys": [["", "I1"]]}),
        (cypher.get_nodes(Label.FACILITY), {"ids": ["F1"]}),
        (cypher.GET_BOM, {"ids": ["I1"]}),
        (cypher.LIST_ITEMS, {"after": "", "kind": None, "limit": 10}),
    ],
    ids=["sourcing", "nodes", "bom", "list_items"],
)
def test_hot_reads_use_an_index(
    neo4j_store: Neo4jStore, tenant: str, query: str, params: dict[str, Any]
) -> None:
    """A label scan here would make every walk step cost the whole database, not the frontier."""
    with neo4j_store._driver.session(database=neo4j_store._database) as session:
        summary = session.run("EXPLAIN " + query, tenant=tenant, **params).consume()
    assert summary.plan is not None
    ops = _operators(summary.plan)
    assert any("Index" in op for op in ops), ops
    assert not any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in ops), ops


@neo4j
def test_large_bundle_spans_many_batches(neo4j_store: Neo4jStore, tenant: str) -> None:
    n = 12_000  # more than two batches of each kind
    b = bundle(
        companies=[company("C")],
        facilities=[facility(f"F{i}", "C") for i in range(50)],
        items=[item(f"I{i}") for i in range(n)],
        bom=[bom_line(f"I{i}", f"I{i + 1}") for i in range(n - 1)],
        sourcing=[sourcing(f"I{i}", f"F{i % 50}") for i in range(n)],
    )
    neo4j_store.write_bundle(tenant, b, "big")
    counts = neo4j_store.tenant_info(tenant).counts
    assert (counts["items"], counts["bom"], counts["sourcing"]) == (n, n - 1, n)
    keys = [f"I{i}>I{i + 1}" for i in range(0, n, 997)]
    assert neo4j_store.existing_keys(tenant, RecordKind.BOM, keys) == set(keys)


@neo4j
def test_reads_sent_in_many_batches_answer_as_one_batch_does(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batched reads send every batch before reading any answer; with batches of two the answers must
    be the ones a single batch gives, in a snapshot and outside one."""
    b = bundle(
        companies=[company(f"C{i}") for i in range(7)],
        facilities=[facility(f"F{i}", f"C{i}") for i in range(5)],
        items=[item(f"I{i}") for i in range(6)],
        bom=[bom_line("I0", f"I{i}") for i in range(1, 6)],
        sourcing=[sourcing(f"I{i}", f"F{i % 5}") for i in range(6)],
    )
    neo4j_store.write_bundle(tenant, b, "v1")
    asked = [f"C{i}" for i in range(9)]
    changed = [*b.companies[:3], b.companies[3].model_copy(update={"name": "Renamed"}), company("C9")]

    def answers() -> tuple[object, ...]:
        return (
            neo4j_store.get_companies(tenant, asked),
            neo4j_store.existing_keys(tenant, RecordKind.COMPANIES, asked),
            neo4j_store.existing_keys(tenant, RecordKind.BOM, [f"I0>I{i}" for i in range(8)]),
            neo4j_store.compare_records(tenant, RecordKind.COMPANIES, changed),
            neo4j_store.compare_records(tenant, RecordKind.BOM, b.bom),
            neo4j_store.get_bom(tenant, [f"I{i}" for i in range(6)]),
            neo4j_store.get_supply(tenant, [("", f"I{i}") for i in range(6)]),
        )

    whole = answers()
    assert len(whole[0]) == 7 and whole[3] == ({"C0", "C1", "C2", "C3"}, {"C0", "C1", "C2"})
    monkeypatch.setattr(neo4j_store, "_batch_size", 2)
    assert answers() == whole
    with neo4j_store.snapshot():
        assert answers() == whole


@neo4j
def test_the_drivers_debug_log_names_a_batch_by_its_size_not_its_rows(
    neo4j_store: Neo4jStore, tenant: str, caplog: pytest.LogCaptureFixture
) -> None:
    names = [f"Secret Cotton Mill {i}" for i in range(300)]
    b = bundle(
        companies=[company(f"C{i}", name=name) for i, name in enumerate(names)],
        facilities=[facility(f"F{i}", f"C{i}") for i in range(300)],
    )
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        neo4j_store.write_bundle(tenant, b, "logged")
    runs = [r.getMessage() for r in caplog.records if " C: RUN " in r.getMessage()]
    assert any("Company" in run and "items>" in run for run in runs), runs
    assert not any("Secret Cotton Mill" in run for run in runs)
    stored = neo4j_store.get_companies(tenant, ["C0", "C299"])
    assert [c.name for c in stored.values()] == [names[0], names[299]]


def test_write_order_covers_every_node_label_and_puts_targets_first() -> None:
    assert sorted(WRITE_ORDER) == sorted(label for _, label, _ in NODE_KINDS)
    for spec in FK_RELS:  # only a key within one label waits for the second pass
        assert WRITE_ORDER.index(spec.target) < WRITE_ORDER.index(spec.label) or spec.target is spec.label


def test_write_batches_start_small_and_grow_to_the_batch_size() -> None:
    sizes = [len(chunk) for chunk in _ramped_chunks(list(range(10_000)), 2_000, first=250)]
    assert sizes[:3] == [250, 375, 562] and max(sizes) == 2_000 and sum(sizes) == 10_000
    assert [len(chunk) for chunk in _ramped_chunks([1, 2, 3, 4, 5], 2)] == [2, 2, 1]


@neo4j
def test_every_write_statement_returns_a_row(neo4j_store: Neo4jStore, tenant: str) -> None:
    """Neo4j acknowledges a statement without results only once it has finished, so the client could not
    send the next batch while the server runs this one."""
    statements = [cypher.UPSERT_BOM, cypher.CREATE_BOM]
    for label in WRITE_ORDER:
        specs = tuple(s for s in FK_RELS if s.label is label)
        statements += [cypher.create_nodes(label, specs, return_nodes=nodes) for nodes in (True, False)]
        statements.append(cypher.update_nodes(label, specs))
        if specs:
            statements.append(cypher.rederive_relationships(label, specs))
    with neo4j_store._driver.session(database=neo4j_store._database) as session:
        for statement in statements:
            summary = session.run("EXPLAIN " + statement, tenant=tenant, rows=[]).consume()
            assert summary.plan is not None
            assert "EmptyResult" not in _operators(summary.plan), statement


@neo4j
@pytest.mark.parametrize(
    "query",
    [
        cypher.populated_labels(WRITE_ORDER),
        cypher.find_nodes(Label.SOURCING),
        cypher.compare_nodes(Label.SOURCING),
        cypher.COMPARE_BOM,
    ],
    ids=["populated", "find", "compare", "compare-bom"],
)
def test_write_lookups_use_an_index(neo4j_store: Neo4jStore, tenant: str, query: str) -> None:
    """A label scan here would make every bundle write cost the whole database."""
    with neo4j_store._driver.session(database=neo4j_store._database) as session:
        summary = session.run("EXPLAIN " + query, tenant=tenant, ids=["S1"]).consume()
    assert summary.plan is not None
    ops = _operators(summary.plan)
    assert any("Index" in op for op in ops), ops
    assert not any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in ops), ops


@neo4j
def test_create_on_first_load_fails_safe_when_nodes_exist_after_all(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CREATE is chosen for a label the tenant has no node of; were one there anyway (a writer bypassing
    the tenant lock), the uniqueness constraint refuses the statement and nothing is applied."""
    neo4j_store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    monkeypatch.setattr(
        cypher, "populated_labels", lambda labels: "RETURN " + ", ".join(f"false AS {lab}" for lab in labels)
    )
    with pytest.raises(ConflictError):
        neo4j_store.write_bundle(tenant, bundle(companies=[company("C2"), company("C1", name="New")]), "v2")
    monkeypatch.undo()
    assert neo4j_store.get_companies(tenant, ["C1", "C2"]) == {"C1": company("C1")}
    assert neo4j_store.tenant_info(tenant).data_version == "v1"


@neo4j
def test_update_of_a_node_deleted_meanwhile_fails_the_bundle(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Existing nodes are looked up once, then updated by element ID; one gone by then (only a writer
    bypassing the tenant lock could do that) must fail the bundle rather than silently drop the record."""
    neo4j_store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    gone = "UNWIND $ids AS node_id RETURN collect(node_id) AS keys, collect('4:gone:0') AS nodes"
    monkeypatch.setattr(cypher, "find_nodes", lambda label: gone)
    with pytest.raises(ConflictError, match="deleted"):
        neo4j_store.write_bundle(tenant, bundle(companies=[company("C1", name="New"), company("C2")]), "v2")
    monkeypatch.undo()
    assert neo4j_store.get_companies(tenant, ["C1", "C2"]) == {"C1": company("C1")}
    assert neo4j_store.tenant_info(tenant).data_version == "v1"


@neo4j
def test_write_leaves_the_garbage_collector_as_it_found_it(neo4j_store: Neo4jStore, tenant: str) -> None:
    assert gc.get_freeze_count() == 0
    neo4j_store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    assert gc.get_freeze_count() == 0
    gc.freeze()  # an application's own freeze is not thawed by a write
    try:
        frozen = gc.get_freeze_count()
        neo4j_store.write_bundle(tenant, bundle(companies=[company("C2")]), "v2")
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_the_closure_procedure_is_installed_and_agrees_with_plain_cypher(
    neo4j_store: Neo4jStore, tenant: str
) -> None:
    """`scripts/neo4j.sh` builds the server-side procedure; without it the store falls back to Cypher."""
    from tests.conformance.test_store_conformance import _upstream_bundle

    neo4j_store.write_bundle(tenant, _upstream_bundle(), "v1")
    assert neo4j_store._has_closure_procedure()
    plain = Neo4jStore(Settings(store=StoreBackend.NEO4J, neo4j_procedures=False))
    try:
        assert not plain._has_closure_procedure()
        for key in ([("", "P")], [("M", "A"), ("M", "B")]):
            fast = neo4j_store.get_supply_closure(tenant, key)
            slow = plain.get_supply_closure(tenant, key)
            assert fast.asked == slow.asked and dict(fast.rows) == dict(slow.rows)
    finally:
        plain.close()


def test_a_write_too_large_for_one_transaction_is_a_413_not_a_retry() -> None:
    """The server's transaction memory limit is not a passing overload: retrying cannot help."""
    from neo4j.exceptions import Neo4jError

    from app.errors import TransactionTooLargeError
    from app.store.neo4j_store import _translated

    error = Neo4jError._hydrate_neo4j(
        code="Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        message="The allocation of an extra 24.0 MiB would use more than the limit 2.0 GiB.",
    )
    with pytest.raises(TransactionTooLargeError) as caught, _translated("writing a bundle"):
        raise error
    assert caught.value.status == 413 and "TRACEGRAPH_NEO4J_TX_MEMORY" in caught.value.detail


@pytest.fixture
def staged_store() -> Iterator[Neo4jStore]:
    """A Neo4j store whose first loads of 10+ rows are staged, in transactions of 7 rows."""
    store = Neo4jStore(Settings(store=StoreBackend.NEO4J, neo4j_staged_load_rows=10))
    yield store
    store.close()


@pytest.fixture
def staged_commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Staged loads commit every 7 rows; the list grows by one per commit."""
    from app.store import neo4j_store as module

    monkeypatch.setattr(module, "STAGED_ROWS_PER_TX", 7)
    commits: list[int] = []
    real_commit = module._StagedTx.commit

    def counting(self: module._StagedTx) -> None:
        commits.append(1)
        real_commit(self)

    monkeypatch.setattr(module._StagedTx, "commit", counting)
    return commits


def test_a_big_first_load_is_staged_and_reads_the_same(
    staged_store: Neo4jStore, neo4j_store: Neo4jStore, tenant: str, staged_commits: list[int]
) -> None:
    from tests.conformance.test_store_conformance import _upstream_bundle

    commits = staged_commits

    bundle = _upstream_bundle()
    assert bundle.size() >= 10
    staged_store.write_bundle(tenant, bundle, "v1")
    assert len(commits) > 1  # it really went in several transactions
    assert staged_store.data_version(tenant) == "v1"
    # Identical to what the one-transaction path writes for another tenant.
    neo4j_store.write_bundle(tenant + "-other", bundle, "v1")
    for store_tenant in (tenant, tenant + "-other"):
        closure = neo4j_store.get_supply_closure(store_tenant, [("", "P")])
        assert len(closure.rows) == 6
    assert dict(neo4j_store.get_supply_closure(tenant, [("", "P")]).rows) == dict(
        neo4j_store.get_supply_closure(tenant + "-other", [("", "P")]).rows
    )
    # A second load of the same tenant is not a first load: one transaction, as always.
    commits.clear()
    staged_store.write_bundle(tenant, bundle, "v2")
    assert commits == [] and staged_store.data_version(tenant) == "v2"


def test_a_failed_staged_load_leaves_nothing_and_readers_wait_meanwhile(
    staged_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.store import neo4j_store as module
    from tests.conformance.test_store_conformance import _upstream_bundle

    monkeypatch.setattr(module, "STAGED_ROWS_PER_TX", 5)
    seen: list[str] = []
    real_commit = module._StagedTx.commit

    def failing(self: module._StagedTx) -> None:
        real_commit(self)
        # Between batches: readers are told to come back, other loads are refused.
        with pytest.raises(StoreUnavailableError) as waiting:
            staged_store.data_version(tenant)
        seen.append(waiting.value.detail)
        with pytest.raises(ConflictError):
            staged_store.write_bundle(tenant, bundle(companies=[company("LATE")]), "other")
        raise RuntimeError("the server went away mid-load")

    monkeypatch.setattr(module._StagedTx, "commit", failing)
    with pytest.raises(RuntimeError):
        staged_store.write_bundle(tenant, _upstream_bundle(), "v1")
    assert seen and "being loaded" in seen[0]
    # Undone: no record, no version, and the tenant is usable again.
    assert staged_store.data_version(tenant) == ""
    assert staged_store.get_companies(tenant, ["C1", "C2", "LATE"]) == {}
    monkeypatch.setattr(module._StagedTx, "commit", real_commit)
    staged_store.write_bundle(tenant, _upstream_bundle(), "v1")
    assert staged_store.data_version(tenant) == "v1"


def test_a_first_load_that_may_be_staged_commits_nothing_before_it_is_all_valid(
    staged_store: Neo4jStore,
    neo4j_store: Neo4jStore,
    tenant: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    staged_commits: list[int],
) -> None:
    """A staged load commits as it goes, so it must not start before validation has ended."""
    import loaders.bundle
    from tests.test_ingest import FILES, Handover, write

    assert staged_store.stages(10) and not staged_store.stages(9)
    commits = staged_commits
    at_validation_end: list[int] = []
    real_check = loaders.bundle.validate_cycles

    def last_check(*args: Any) -> Any:
        at_validation_end.append(len(commits))
        return real_check(*args)

    monkeypatch.setattr(loaders.bundle, "validate_cycles", last_check)
    handover = Handover(staged_store, monkeypatch)
    files = dict(FILES)
    files["companies.csv"] += "C3,Trader,HK\nC4,Spinner,VN\n"  # 11 rows: staged

    bad = dict(files)
    bad["sourcing.csv"] += "L,NOPE,F1\n"
    with pytest.raises(BundleInvalidError):
        load_bundle(staged_store, tenant, write(tmp_path / "bad", bad))
    assert at_validation_end == [0] and commits == []  # nothing of it ever reached the disk
    assert staged_store.data_version(tenant) == "" and staged_store.get_companies(tenant, ["C1"]) == {}

    report = load_bundle(staged_store, tenant, write(tmp_path / "good", files))
    assert at_validation_end == [0, 0] and len(commits) > 1  # staged, once all of it was valid
    assert handover.added == list(handover.order) * 2 and handover.ends == ["close", "commit", "close"]
    assert staged_store.data_version(tenant) == report.data_version
    assert set(staged_store.get_companies(tenant, ["C1", "C4"])) == {"C1", "C4"}
    # The same graph as a one-transaction load of the same bundle.
    other = load_bundle(neo4j_store, f"{tenant}-other", write(tmp_path / "good", files))
    assert other.data_version == report.data_version
    assert neo4j_store.tenant_info(f"{tenant}-other").counts == neo4j_store.tenant_info(tenant).counts
    assert (
        neo4j_store.get_supply_closure(tenant, [("", "P")]).rows
        == neo4j_store.get_supply_closure(f"{tenant}-other", [("", "P")]).rows
    )


@neo4j
def test_an_early_first_load_writes_before_validation_ends_and_an_invalid_bundle_leaves_nothing(
    neo4j_store: Neo4jStore, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import loaders.bundle
    from tests.test_ingest import FILES, write

    sent: list[str] = []
    all_sent = threading.Event()
    real = neo4j_store._run_batch

    def counting(tx: Any, query: str, rows: Any, **params: Any) -> Any:
        sent.append(query)
        if len(sent) == 5:  # companies, items, facilities, BOM lines, sourcing (no documents)
            all_sent.set()
        return real(tx, query, rows, **params)

    real_check = loaders.bundle.validate_references

    def after_the_writes(*args: Any) -> Any:
        assert all_sent.wait(30)  # the reference check runs only once the writer has sent every file
        return real_check(*args)

    monkeypatch.setattr(neo4j_store, "_run_batch", counting)
    monkeypatch.setattr(loaders.bundle, "validate_references", after_the_writes)
    bad = dict(FILES)
    bad["sourcing.csv"] += "L,NOPE,F1\n"  # found by the reference check, after every file was handed over
    with pytest.raises(BundleInvalidError):
        load_bundle(neo4j_store, tenant, write(tmp_path / "bad", bad))
    assert len(sent) >= 5  # the server had the records of every file in its transaction...
    assert neo4j_store.data_version(tenant) == ""  # ...and none of it was kept
    assert neo4j_store.get_companies(tenant, ["C1", "C2"]) == {}
    assert neo4j_store.tenant_info(tenant).counts == {kind.value: 0 for kind in RecordKind}


@neo4j
def test_a_failure_while_writing_early_is_raised_by_the_load_and_leaves_nothing(
    neo4j_store: Neo4jStore, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_ingest import FILES, write

    monkeypatch.setattr(neo4j_store, "_batch_size", 1)
    real = neo4j_store._run_batch
    calls = {"n": 0}

    def fail_third(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConflictError("injected while the bundle was still being validated")
        return real(*args, **kwargs)

    monkeypatch.setattr(neo4j_store, "_run_batch", fail_third)
    with pytest.raises(ConflictError, match="injected"):
        load_bundle(neo4j_store, tenant, write(tmp_path / "b", FILES))
    monkeypatch.undo()
    assert neo4j_store.data_version(tenant) == "" and neo4j_store.get_companies(tenant, ["C1", "C2"]) == {}
    report = load_bundle(neo4j_store, tenant, write(tmp_path / "b", FILES))  # the tenant is free again
    assert neo4j_store.data_version(tenant) == report.data_version


@neo4j
def test_two_first_loads_of_one_tenant_run_one_after_the_other(neo4j_store: Neo4jStore, tenant: str) -> None:
    """Both saw no data; whichever writer takes the tenant's lock first commits first, and the other then
    finds its nodes and updates them instead of creating duplicates."""
    loads = {"v1": neo4j_store.first_load(tenant), "v2": neo4j_store.first_load(tenant)}
    names = {"v1": [company("C1", name="one")], "v2": [company("C1", name="two"), company("C2")]}
    errors: list[BaseException] = []

    def commit(version: str) -> None:
        try:
            loads[version].commit(version)
        except BaseException as e:
            errors.append(e)

    try:
        for version, load in loads.items():
            load.start(2)  # both writers start; one of them waits for the other's lock
            load.add(RecordKind.COMPANIES, names[version])
        threads = [threading.Thread(target=commit, args=(version,)) for version in loads]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for load in loads.values():
            load.close()
    assert errors == []
    last = neo4j_store.data_version(tenant)
    companies = neo4j_store.get_companies(tenant, ["C1", "C2"])
    assert companies["C1"].name == {"v1": "one", "v2": "two"}[last]
    assert set(companies) == {"C1", "C2"} and neo4j_store.tenant_info(tenant).counts["companies"] == 2


def test_decoded_records_are_kept_per_tenant_and_version_and_bounded() -> None:
    """Kept records are memory a long-running service holds: a few (tenant, version) tables, each capped."""
    kept = DecodedRecords(versions=2, per_version=3)
    assert kept.table("t", "") is None  # before a tenant's first load there is nothing to keep
    v1 = kept.table("t", "v1")
    assert v1 is not None and not kept.holds("t")  # an empty table is not worth asking for IDs
    v1.facilities["F1"] = facility("F1", "C1")
    assert kept.table("t", "v1") is v1 and kept.holds("t") and kept.holds("t", "v1")
    assert not kept.holds("t", "v0") and not kept.holds("other")
    assert kept.table("other", "v1") is not v1  # tenants never share a table
    kept.table("t", "v2")  # a third table: the least recently used one, ("t", "v1"), is dropped whole
    assert not kept.holds("t", "v1") and len(kept.table("t", "v1") or KeptRecords()) == 0
    full = KeptRecords(items={"I1": item("I1")}, boms={"I1": ()})
    assert not kept.full(full)
    full.reviews["company:C1"] = ()  # "no decision" is kept too, and counts
    assert kept.full(full)


def test_a_closure_answer_reuses_kept_records_and_keeps_new_ones_only_while_there_is_room() -> None:
    """The decoding half of the closure cache, on an answer shaped as the procedure sends it."""
    sid = "P|F1||"
    rows = [["", "P", sid, {"item_id": "P", "supplier_facility_id": "F1"}, 0, 1, 2]]
    nodes = [
        {"facility_id": "F1", "company_id": "C1", "country": "CN"},
        {"company_id": "C1", "name": "Maker", "country": "CN"},
        {"item_id": "P", "name": "Product", "kind": "product"},
    ]
    boms = [[2, [["A", {"quantity": 2.0}]]]]
    full = KeptRecords()
    first = _supply_from_closure(rows, nodes, boms, full, room=False)
    assert len(full) == 0  # a full table is not grown, and the answer is decoded all the same
    [supply] = first[("", "P")]
    assert supply.operator is not None and supply.operator.name == "Maker"
    assert [line.quantity for line in supply.bom] == [2.0]
    kept = KeptRecords()
    _supply_from_closure(rows, nodes, boms, kept, room=True)
    tables = (kept.facilities, kept.companies, kept.items, kept.boms, kept.sourcing)
    assert [set(table) for table in tables] == [{"F1"}, {"C1"}, {"P"}, {"P"}, {sid}]
    # a later answer of the same version gets the very records kept, not new copies
    [again] = _supply_from_closure(rows, nodes, boms, kept, room=True)[("", "P")]
    assert again.operator is kept.companies["C1"] and again.sourcing is kept.sourcing[sid]
    # and an IDs-only answer, read against the kept records, is the same supply
    assert _supply_from_ids([[sid, "F1", "C1", "P"]], kept) == first


def _spy_reads(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements the store reads with, in order, from now on."""
    asked: list[str] = []
    real_read = store._read

    def spying(query: str, **params: Any) -> list[dict[str, Any]]:
        asked.append(query)
        return real_read(query, **params)

    monkeypatch.setattr(store, "_read", spying)
    return asked


@neo4j
def test_a_repeated_closure_asks_for_ids_and_reads_only_what_it_lacks(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one closure the server sends IDs only; records missing from the kept table are read by ID,
    and a load in between (nothing kept for the new version) gets the closure with its records."""
    from tests.conformance.test_store_conformance import _upstream_bundle

    neo4j_store.write_bundle(tenant, _upstream_bundle(), "v1")
    plain = Neo4jStore(Settings(store=StoreBackend.NEO4J, neo4j_procedures=False))
    asked = _spy_reads(neo4j_store, monkeypatch)
    try:
        expected = plain.get_supply_closure(tenant, [("", "P")])
        first = neo4j_store.get_supply_closure(tenant, [("", "P")])
        assert cypher.SUPPLY_CLOSURE in asked and cypher.SUPPLY_CLOSURE_IDS not in asked
        asked.clear()
        second = neo4j_store.get_supply_closure(tenant, [("", "P")])
        assert asked == [cypher.SUPPLY_CLOSURE_IDS]
        assert dict(first.rows) == dict(second.rows) == dict(expected.rows) and second.asked == expected.asked
        # A record the table lost is read by ID, in the same transaction, and kept again.
        kept = neo4j_store._decoded.table(tenant, "v1")
        assert kept is not None
        del kept.facilities["S2"]
        asked.clear()
        third = neo4j_store.get_supply_closure(tenant, [("", "P")])
        assert asked == [cypher.SUPPLY_CLOSURE_IDS, cypher.get_nodes(Label.FACILITY)]
        assert "S2" in kept.facilities and dict(third.rows) == dict(expected.rows)
        del kept.boms["A"]  # as when the item was read by ID: kept without its bill of materials
        asked.clear()
        assert dict(neo4j_store.get_supply_closure(tenant, [("", "P")]).rows) == dict(expected.rows)
        assert asked == [cypher.SUPPLY_CLOSURE_IDS, cypher.GET_BOM]
        # Most rows missing a record: the closure is asked again with its records.
        kept.sourcing.clear()
        asked.clear()
        assert dict(neo4j_store.get_supply_closure(tenant, [("", "P")]).rows) == dict(expected.rows)
        assert asked == [cypher.SUPPLY_CLOSURE_IDS, cypher.SUPPLY_CLOSURE] and len(kept.sourcing) == 8
        # A load moves the version: the IDs answer finds nothing kept and the records come along.
        changed = _upstream_bundle()
        changed.facilities[1] = changed.facilities[1].model_copy(update={"name": "Renamed maker"})
        neo4j_store.write_bundle(tenant, changed, "v2")
        asked.clear()
        fourth = neo4j_store.get_supply_closure(tenant, [("", "P")])
        assert asked == [cypher.SUPPLY_CLOSURE_IDS, cypher.SUPPLY_CLOSURE]
        [row] = fourth.rows[("T", "P")]
        assert row.facility is not None and row.facility.name == "Renamed maker"
    finally:
        plain.close()


@neo4j
def test_records_read_in_a_snapshot_after_its_version_are_not_read_again(
    neo4j_store: Neo4jStore, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conformance.test_store_conformance import _upstream_bundle

    neo4j_store.write_bundle(tenant, _upstream_bundle(), "v1")
    asked = _spy_reads(neo4j_store, monkeypatch)
    subject = "company:C1"
    for _ in range(2):
        with neo4j_store.snapshot():
            assert neo4j_store.data_version(tenant) == "v1"
            asked.clear()
            assert set(neo4j_store.get_facilities(tenant, ["M", "S1", "NOPE"])) == {"M", "S1"}
            assert neo4j_store.get_reviews(tenant, [subject]) == {}
            assert [line.component_item_id for line in neo4j_store.get_bom(tenant, ["P"])["P"]] == ["A", "B"]
    assert asked == [cypher.get_nodes(Label.FACILITY)]  # the second snapshot read only the missing ID
    # Outside a snapshot nothing is kept: no version was read first.
    asked.clear()
    neo4j_store.get_facilities(tenant, ["M"])
    assert asked == [cypher.get_nodes(Label.FACILITY)]


@neo4j
def test_the_database_node_count_counts_every_tenants_nodes(neo4j_store: Neo4jStore, tenant: str) -> None:
    before = neo4j_store.database_nodes()
    records = bundle(companies=[company("C1"), company("C2")], items=[item("P")])
    neo4j_store.write_bundle(tenant, records, "v1")
    assert neo4j_store.database_nodes() == before + 4  # three records and the tenant's node
    neo4j_store.drop_tenant(tenant)
    assert neo4j_store.database_nodes() == before
