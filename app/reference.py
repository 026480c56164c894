"""Shared reference data: the screening lists and gazetteer every tenant's traces are judged against.

At start-up the service makes sure the list file shipped in `loaders/data/` is the current version in
the store (a no-op when its content hash is already there), then builds the risk rules from what the
store holds, so every trace cites the exact list version it used.
"""

from __future__ import annotations

from app.errors import StoreError
from app.store.base import GraphStore
from app.trace.rules import UFLPA, EntityListRule, RiskRule, XuarLocationRule, default_gazetteer
from loaders.uflpa import load_uflpa_file


def ensure_reference_data(store: GraphStore) -> None:
    """Load the bundled UFLPA Entity List unless the store already holds that exact version."""
    version, entries = load_uflpa_file()
    current = store.current_list(UFLPA)
    if current is None or current[0].version_id != version.version_id:
        store.write_list_version(version, entries)


def build_rules(store: GraphStore) -> list[RiskRule]:
    """The foundation's rules, bound to the current list versions in the store."""
    current = store.current_list(UFLPA)
    if current is None:
        raise StoreError(
            "the UFLPA Entity List is not loaded; run the service start-up (ensure_reference_data)"
        )
    version, entries = current
    return [XuarLocationRule(default_gazetteer()), EntityListRule(version, entries)]
