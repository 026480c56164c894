"""Baselines the benchmark runs side by side with the real code, in the same process, on the same data.

- `Unbatched`: wraps a store so that every batched read becomes one round trip per key, the way a walk
  written state by state talks to its database. The real walk runs unchanged on top of it, so the answer
  is identical and only the round trips differ: what the tier-batched design buys.
- `row_at_a_time`: loading without batches, one record per write (each its own transaction), the way an
  ORM-style importer does it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from app.store.base import GraphStore, SourcingKey, SupplyClosure, supply_closure_by_tiers
from graph_schema import Bundle

K = TypeVar("K")
V = TypeVar("V")


def _one_by_one(
    fetch: Callable[[str, Collection[K]], dict[K, V]],
) -> Callable[[str, Collection[K]], dict[K, V]]:
    def per_key(tenant: str, keys: Collection[K]) -> dict[K, V]:
        out: dict[K, V] = {}
        for key in keys:
            out.update(fetch(tenant, [key]))
        return out

    return per_key


class Unbatched:
    """A store whose batched reads are split into one call per key."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.get_companies = _one_by_one(inner.get_companies)
        self.get_facilities = _one_by_one(inner.get_facilities)
        self.get_items = _one_by_one(inner.get_items)
        self.get_documents = _one_by_one(inner.get_documents)
        self.get_bom = _one_by_one(inner.get_bom)
        self.get_sourcing = _one_by_one(inner.get_sourcing)
        self.get_supply = _one_by_one(inner.get_supply)
        self.get_reviews = _one_by_one(inner.get_reviews)

    def get_supply_closure(self, tenant: str, keys: Collection[SourcingKey]) -> SupplyClosure:
        """No server-side prefetch: the closure tier by tier over the one-key-at-a-time reads."""
        return supply_closure_by_tiers(self, tenant, keys)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def row_at_a_time(store: GraphStore, tenant: str, bundle: Bundle, limit: int, budget_s: float) -> int:
    """Write records one per transaction, in dependency order, until `limit` records or `budget_s`
    seconds; returns how many were written (the rate is what matters, and it is slow by design)."""
    written = 0
    deadline = time.perf_counter() + budget_s
    for kind in ("companies", "facilities", "items", "bom", "documents", "sourcing"):
        for record in getattr(bundle, kind):
            if written >= limit or time.perf_counter() > deadline:
                return written
            single = Bundle()
            getattr(single, kind).append(record)
            store.write_bundle(tenant, single, f"row-{written}")
            written += 1
    return written
