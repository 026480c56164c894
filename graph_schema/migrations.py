"""Ordered data migrations between schema versions.

`MIGRATIONS[v]` takes a store from version `v - 1` to `v`. Constraints and indexes are not migrations:
`ensure_schema` re-applies them idempotently on every start. A migration is for data that must change
shape (a property renamed, a relationship re-derived), and it must be written for both backends, because
a deployment on either may hold data from an older release:

- `cypher`: statements run in order inside one transaction on Neo4j, together with stamping the version,
  so a migration is applied entirely or not at all. Only `Label`/`Rel` values may appear in them.
- `memory`: a function applied to the embedded store's `networkx.MultiDiGraph` (nodes carry a `props`
  dict, edges are keyed by relationship type); the store persists the result atomically.

A store with no recorded version counts as version 0 and runs every migration, which is harmless on an
empty store and makes "fresh store" and "very old store" one code path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph_schema.vocab import SCHEMA_VERSION


@dataclass(frozen=True)
class Migration:
    description: str
    cypher: tuple[str, ...] = ()
    memory: Callable[[Any], None] | None = None


#: version reached -> the migration reaching it; empty while version 1 is the only schema there has been
MIGRATIONS: dict[int, Migration] = {}


def pending(current: int, target: int = SCHEMA_VERSION) -> list[tuple[int, Migration]]:
    """Migrations still to run, in order, for a store at `current`.

    Looked up at call time (not import time) so tests can register a probe migration.
    """
    return [(v, MIGRATIONS[v]) for v in sorted(MIGRATIONS) if current < v <= target]
