"""What only the embedded store has to promise: its file, shared by several processes, and rollback when
saving fails."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from app.errors import StoreError
from app.store import graph_model
from app.store import memory as memory_module
from app.store.base import RecordKind
from app.store.memory import MemoryStore
from graph_schema import SCHEMA_VERSION, migrations
from tests.builders import bom_line, bundle, company, facility, item, list_entry, list_version, sourcing


def _state(store: MemoryStore, tenant: str) -> tuple[Any, ...]:
    return (
        store.tenant_info(tenant),
        store.get_companies(tenant, ["C1", "C2"]),
        store.get_facilities(tenant, ["F1"]),
        store.get_sourcing(tenant, [("", "I1")]),
        store.get_bom(tenant, ["I1"]),
    )


def test_data_persists_across_instances(tmp_path: Path, tenant: str) -> None:
    path = tmp_path / "g.json"
    first = MemoryStore(path)
    first.write_bundle(tenant, bundle(companies=[company("C1")], items=[item("I1"), item("I2")]), "v1")
    first.write_bundle(tenant, bundle(bom=[bom_line("I1", "I2")]), "v2")
    first.write_list_version(list_version("v1"), [list_entry("E1")])

    second = MemoryStore(path)
    assert second.get_companies(tenant, ["C1"]) == {"C1": company("C1")}
    assert second.get_bom(tenant, ["I1"]) == {"I1": [bom_line("I1", "I2")]}
    assert second.tenant_info(tenant).data_version == "v2"
    assert second.existing_keys(tenant, RecordKind.BOM, ["I1>I2"]) == {"I1>I2"}
    current = second.current_list("uflpa_entity_list")
    assert current is not None and [e.entry_id for e in current[1]] == ["E1"]


def test_each_instance_sees_the_others_writes_without_losing_its_own(tmp_path: Path, tenant: str) -> None:
    path = tmp_path / "g.json"
    server, loader = MemoryStore(path), MemoryStore(path)
    assert server.get_companies(tenant, ["C1"]) == {}

    loader.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    assert server.get_companies(tenant, ["C1"]) == {"C1": company("C1")}  # reloaded on change

    # `server` writes after `loader` changed the file: it must build on the loader's data, not overwrite it.
    server.write_bundle(tenant, bundle(companies=[company("C2")]), "v2")
    assert set(loader.get_companies(tenant, ["C1", "C2"])) == {"C1", "C2"}
    assert loader.tenant_info(tenant).counts["companies"] == 2


def _write_companies(path: str, tenant: str, worker: int, count: int) -> None:
    store = MemoryStore(Path(path))
    for n in range(count):
        store.write_bundle(tenant, bundle(companies=[company(f"W{worker}-{n}")]), f"{worker}-{n}")


def test_concurrent_processes_do_not_lose_writes(tmp_path: Path, tenant: str) -> None:
    path = tmp_path / "g.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_companies, args=(str(path), tenant, w, 15)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert MemoryStore(path).tenant_info(tenant).counts["companies"] == 45


def test_failed_save_rolls_back_memory_and_file(
    tmp_path: Path, tenant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1")],
            facilities=[facility("F1", "C1")],
            items=[item("I1"), item("I2")],
            sourcing=[sourcing("I1", "F1")],
        ),
        "v1",
    )
    before, file_before = _state(store, tenant), path.read_bytes()

    def refuse(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    change = bundle(
        companies=[company("C1", name="Changed"), company("C2")],
        facilities=[facility("F1", "C2")],
        bom=[bom_line("I1", "I2")],
        sourcing=[sourcing("I1", "F1", share=5.0)],
    )
    with pytest.raises(StoreError, match="No space left"):
        store.write_bundle(tenant, change, "v2")
    monkeypatch.undo()

    assert _state(store, tenant) == before
    assert path.read_bytes() == file_before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert _state(MemoryStore(path), tenant) == before
    # And the store still works afterwards, relationships included.
    store.write_bundle(tenant, change, "v2")
    assert store.get_facilities(tenant, ["F1"])["F1"].company_id == "C2"
    assert store.get_bom(tenant, ["I1"]) == {"I1": [bom_line("I1", "I2")]}


def test_failure_midway_rolls_back_an_in_memory_store(tenant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore(None)
    store.write_bundle(tenant, bundle(companies=[company("C1")], facilities=[facility("F1", "C1")]), "v1")
    before = _state(store, tenant)
    graph_before = (sorted(store._graph.nodes), sorted(store._graph.edges(keys=True)))

    calls = {"n": 0}
    real = graph_model.bundle_records

    def fail_late(b: Any, label: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 6:  # past the node phase, inside relationship re-derivation
            raise RuntimeError("injected")
        return real(b, label)

    monkeypatch.setattr(memory_module, "bundle_records", fail_late)
    with pytest.raises(RuntimeError, match="injected"):
        store.write_bundle(
            tenant,
            bundle(companies=[company("C2", parent_company_id="C1")], facilities=[facility("F1", "C2")]),
            "v2",
        )
    assert _state(store, tenant) == before
    assert (sorted(store._graph.nodes), sorted(store._graph.edges(keys=True))) == graph_before


def test_ensure_schema_runs_pending_migrations_and_stamps_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps(
            {
                "format": memory_module.FILE_FORMAT,
                "nodes": [["SchemaInfo", "", "schema", {"id": "schema", "version": 0}]],
                "edges": [],
            }
        )
    )
    ran: list[int] = []
    probe = migrations.Migration("probe", memory=lambda graph: ran.append(graph.number_of_nodes()))
    monkeypatch.setattr(migrations, "MIGRATIONS", {SCHEMA_VERSION: probe})

    store = MemoryStore(path)
    assert store.schema_version() == 0
    store.ensure_schema()
    assert ran == [1]
    assert MemoryStore(path).schema_version() == SCHEMA_VERSION
    store.ensure_schema()
    assert ran == [1]  # already at the version: not run again


def test_a_newer_or_foreign_file_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    store = MemoryStore(newer)
    store.ensure_schema()
    doc = json.loads(newer.read_text())
    doc["nodes"][0][3]["version"] = SCHEMA_VERSION + 1
    newer.write_text(json.dumps(doc))
    with pytest.raises(StoreError, match="newer"):
        MemoryStore(newer).ensure_schema()

    foreign = tmp_path / "foreign.json"
    foreign.write_text("[1, 2")
    with pytest.raises(StoreError, match=r"foreign\.json"):
        MemoryStore(foreign)


def test_a_removed_file_reads_as_an_empty_store(tmp_path: Path, tenant: str) -> None:
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    store.write_bundle(tenant, bundle(companies=[company("C1")]), "v1")
    os.remove(path)
    assert store.get_companies(tenant, ["C1"]) == {}
    assert store.tenant_info(tenant).data_version == ""
