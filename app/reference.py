"""Shared reference data: the screening lists and gazetteer every tenant's traces are judged against.

At start-up the service makes sure each list file shipped in `loaders/data/` is in the store (a no-op
when its content hash is already there), then builds the detectors from what the store holds, so every
trace and every screening result cites the exact list versions it used. A list loaded later (a refreshed
CSL, a new UFLPA notice) becomes current for every tenant at the next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import StoreError
from app.screening.location import default_location_detector
from app.screening.service import Screener
from app.store.base import GraphStore
from app.trace.rules import UFLPA, ListMatchRule, RiskRule, XuarLocationRule
from graph_schema import ListEntry, ListVersion
from loaders.lists import load_list_file, load_shipped
from loaders.uflpa import DEFAULT_PATH as UFLPA_FILE


def shipped_lists() -> list[tuple[ListVersion, list[ListEntry]]]:
    """The list files shipped in the repository, parsed (each a versioned file with its source).

    The UFLPA transcription comes last so that, where an excerpt also carries a list of the same code,
    the dedicated file is the one in force. Both go through `load_list_file`, so the registered Chinese
    names of `loaders/data/entity_local_names.csv` reach every list the same way.
    """
    return [*load_shipped(), *load_list_file(UFLPA_FILE, "uflpa-csv")]


def ensure_reference_data(store: GraphStore) -> None:
    """Load every shipped list whose exact version the store does not hold yet.

    A version already stored is not re-written even when it is not the current one: a list an operator
    refreshed from the official source stays in force across restarts.
    """
    known = {v.version_id for v in store.list_versions()}
    for version, entries in shipped_lists():
        if version.version_id not in known:
            store.write_list_version(version, entries)


def current_lists(store: GraphStore) -> list[tuple[ListVersion, list[ListEntry]]]:
    """The newest version of every list in the store, with its entries."""
    newest: dict[str, ListVersion] = {}
    for version in store.list_versions():
        newest.setdefault(version.list_name, version)
    return [(v, store.list_entries(v.version_id)) for _, v in sorted(newest.items())]


def current_versions_key(store: GraphStore) -> str:
    """A cheap fingerprint of which list versions are current: detectors are rebuilt when it changes."""
    newest: dict[str, str] = {}
    for version in store.list_versions():
        newest.setdefault(version.list_name, version.version_id)
    return "|".join(f"{name}={vid}" for name, vid in sorted(newest.items()))


@dataclass(frozen=True)
class Detectors:
    """Everything judged against reference data, bound to one set of list versions."""

    key: str
    rules: list[RiskRule]
    screener: Screener


def build_detectors(store: GraphStore) -> Detectors:
    """The trace's rules and the screener, over the current list versions in the store."""
    key = current_versions_key(store)
    lists = current_lists(store)
    if not any(v.list_name == UFLPA for v, _ in lists):
        raise StoreError(
            "the UFLPA Entity List is not loaded; run the service start-up (ensure_reference_data)"
        )
    location = default_location_detector()
    rules: list[RiskRule] = [XuarLocationRule(location), ListMatchRule(lists)]
    return Detectors(key=key, rules=rules, screener=Screener(location, lists))


def build_rules(store: GraphStore) -> list[RiskRule]:
    """The trace's rules alone (tests, benchmarks and the CLI's one-off traces)."""
    return build_detectors(store).rules
