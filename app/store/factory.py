"""Open the store the settings name, ready to use."""

from __future__ import annotations

from app.config import Settings, StoreBackend
from app.store.base import GraphStore


def build_store(settings: Settings) -> GraphStore:
    """The configured backend, not yet contacted: the service starts even while Neo4j is down.

    The Neo4j module is imported only when chosen, so the embedded store works without a reachable
    server (or even a configured password).
    """
    if settings.store is StoreBackend.NEO4J:
        from app.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from app.store.memory import MemoryStore

    return MemoryStore(settings.memory_path)


def open_store(settings: Settings) -> GraphStore:
    """The configured backend with its schema ensured, so no caller can forget the migration step."""
    store = build_store(settings)
    try:
        store.ensure_schema()
    except BaseException:
        store.close()
        raise
    return store
