"""Shared fixtures. The strategy: one `store` fixture, parametrized over both backends, so every test
that takes it runs against the embedded store and a real Neo4j alike.

- Isolation is by tenant, never by wiping: the `tenant` fixture hands each test a fresh random tenant,
  and shared reference data (screening lists) uses per-test list names. The Neo4j server is shared with
  other developers and test runs, so nothing here ever deletes data it did not create.
- The Neo4j store is opened once per session. If the server is unreachable the Neo4j tests fail (they are
  not skipped): a silently skipped backend is how two stores drift apart. Deselect them explicitly with
  `-m "not neo4j"` when working offline.
- The memory store uses a file in `tmp_path`, so every test also exercises persistence.

Record builders live in `tests/builders.py` as plain functions.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.store.base import GraphStore
from app.store.memory import MemoryStore

if TYPE_CHECKING:
    from app.store.neo4j_store import Neo4jStore

# The change tracker's worker polls every tenant of the store it is given: in tests, whose Neo4j is shared,
# it must never run unasked. Tests of change tracking drive it directly or turn it on explicitly.
os.environ.setdefault("TRACEGRAPH_RUN_CHANGE_TRACKER", "false")


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[Neo4jStore]:
    """The Neo4j store from default settings (password from `.neo4j/password`), schema ensured once."""
    from app.config import Settings, StoreBackend
    from app.errors import TracegraphError
    from app.store.neo4j_store import Neo4jStore

    settings = Settings(store=StoreBackend.NEO4J)
    problem = None
    try:
        store = Neo4jStore(settings)
        store.ping()
        store.ensure_schema()
    except TracegraphError as e:
        problem = e.detail
    if problem is not None:  # failed outside the except block, so the report is this message alone
        pytest.fail(
            f"Neo4j at {settings.neo4j_uri} is not usable: run `make neo4j-up` "
            f"(or `bash scripts/neo4j.sh up`), or deselect with -m 'not neo4j'. Cause: {problem}",
            pytrace=False,
        )
    yield store
    store.close()


@pytest.fixture
def memory_store(tmp_path: Path) -> MemoryStore:
    store = MemoryStore(tmp_path / "graph.json")
    store.ensure_schema()
    return store


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> GraphStore:
    """Each backend in turn; tests using it must scope their data by the `tenant` fixture."""
    if request.param == "memory":
        memory = MemoryStore(tmp_path / "graph.json")
        memory.ensure_schema()
        return memory
    neo4j: GraphStore = request.getfixturevalue("neo4j_store")
    return neo4j


@pytest.fixture
def tenant(request: pytest.FixtureRequest) -> Iterator[str]:
    """A tenant no other test (or earlier run) has used, so tests never see each other's data.

    On Neo4j the test's tenants (this one and the `-other` one some tests add) are dropped afterwards,
    so the shared server does not grow with every run; only data this test created is deleted.
    """
    name = f"test-{uuid.uuid4().hex}"
    yield name
    if "neo4j_store" in request.fixturenames:
        neo4j: GraphStore = request.getfixturevalue("neo4j_store")
        for used in (name, f"{name}-other"):
            neo4j.drop_tenant(used)


@pytest.fixture
def list_name(request: pytest.FixtureRequest) -> Iterator[str]:
    """A screening-list name private to this test: lists are shared across tenants, so isolate by name.

    Every list in a store is screened against, so on Neo4j the test's lists are dropped afterwards;
    otherwise they would appear in every later trace's reference versions.
    """
    name = f"test-list-{uuid.uuid4().hex}"
    yield name
    if "neo4j_store" in request.fixturenames:
        neo4j: GraphStore = request.getfixturevalue("neo4j_store")
        for used in (name, f"{name}-other"):
            neo4j.drop_list(used)
