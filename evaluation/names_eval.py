"""The name evaluation: our matcher against nomenklatura's algorithms and a plain rapidfuzz baseline.

The set (`evaluation/name_pairs.csv`) is pairwise: each row asks "is this query record this list entry?".
Targets are real list entries (UFLPA, BIS Entity List, OFAC SDN), carried inline (name, aliases, Chinese
name, country) so the set does not break when a list file changes. The shipped Chinese-name supplement
(`loaders/data/entity_local_names.csv`, applied by `loaders.local_names` keyed on target_list +
target_name) is applied to them exactly as the list loaders apply it to list versions, so the figures
measure the shipped system rather than the English-only lists. Queries are realistic variants of those
names (positives) and hard negatives (sibling subsidiaries, look-alikes, shared words, generic-only
overlap, same name in another country); labels come from what the names are, not from any matcher.

How each method answers a pair:

- ``ours``: `EntityMatcher` is built over every target in the set (the same index a deployment would
  use, so candidate generation is tested too); positive when the target comes back with decision `match`.
- ``nomenklatura logic-v2`` / ``nomenklatura name-based``: the algorithm's `compare()` on followthemoney
  `Company` entities built from the query and the target; positive when the score is >= 0.7, yente's
  default match threshold (the algorithms themselves ship none).
- ``rapidfuzz token_set_ratio``: best `token_set_ratio` between any query name and any target name after
  lower-casing and stripping punctuation; positive at >= 90.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from app.screening.matcher import EntityMatcher
from app.screening.model import Decision, ScreenRecord
from app.screening.names import basic_normalise
from evaluation.metrics import MethodScores
from graph_schema import ListEntry, ListVersion
from loaders.local_names import LocalNames, apply_local_names, shipped_local_names

PAIRS_PATH = Path(__file__).resolve().parent / "name_pairs.csv"

#: Baseline thresholds (see module docstring for where each comes from).
NOMENKLATURA_THRESHOLD = 0.7
RAPIDFUZZ_THRESHOLD = 90.0

OURS = "ours (EntityMatcher, decision=match)"


@dataclass(frozen=True)
class NamePair:
    """One labelled pair: a query record, a target entry, and whether they are the same entity."""

    pair_id: str
    category: str
    expected: bool
    record: ScreenRecord
    target: ListEntry
    note: str


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def load_pairs(path: Path = PAIRS_PATH, local_names: LocalNames | None = None) -> list[NamePair]:
    """Read the pairs; targets with the same list and entry ID must agree (checked, so a typo is loud).

    Each target gets the Chinese names the shipped supplement gives its list and name (or `local_names`),
    the same step `loaders.lists.load_list_file` applies to every list version the service screens against.
    """
    supplement = local_names if local_names is not None else shipped_local_names()
    pairs: list[NamePair] = []
    targets: dict[tuple[str, str], ListEntry] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["target_list"], row["target_entry_id"])
            entry = ListEntry(
                entry_id=row["target_entry_id"],
                list_name=row["target_list"],
                name=row["target_name"],
                aliases=_split(row["target_aliases"]),
                name_local=row["target_name_local"] or None,
                countries=[row["target_country"]] if row["target_country"] else [],
            )
            [entry] = apply_local_names([entry], supplement)
            if key in targets and targets[key] != entry:
                raise ValueError(f"{row['pair_id']}: target {key} differs from an earlier row's")
            targets.setdefault(key, entry)
            record = ScreenRecord(
                name=row["query_name"] or None,
                name_local=row["query_name_local"] or None,
                aliases=_split(row["query_aliases"]),
                country=row["query_country"] or None,
                registration_id=row["query_registration_id"] or None,
                address=row["query_address"] or None,
                city=row["query_city"] or None,
            )
            if row["expected"] not in ("true", "false"):
                raise ValueError(f"{row['pair_id']}: expected must be true or false")
            pairs.append(
                NamePair(
                    pair_id=row["pair_id"],
                    category=row["category"],
                    expected=row["expected"] == "true",
                    record=record,
                    target=targets[key],
                    note=row["note"],
                )
            )
    return pairs


def eval_lists(pairs: list[NamePair]) -> list[tuple[ListVersion, list[ListEntry]]]:
    """Every distinct target, grouped by list, with a version record per list."""
    by_list: dict[str, dict[str, ListEntry]] = {}
    for p in pairs:
        by_list.setdefault(p.target.list_name, {})[p.target.entry_id] = p.target
    out: list[tuple[ListVersion, list[ListEntry]]] = []
    for name, entries in sorted(by_list.items()):
        version = ListVersion(
            version_id=f"{name}:eval",
            list_name=name,
            source="evaluation/name_pairs.csv",
            retrieved_on=date(2026, 1, 1),
            sha256="0" * 64,
            entry_count=len(entries),
        )
        out.append((version, list(entries.values())))
    return out


def _query_names(record: ScreenRecord) -> list[str]:
    return [n for n in (record.name, record.name_local, *record.aliases) if n]


def _target_names(entry: ListEntry) -> list[str]:
    return [n for n in (entry.name, *entry.aliases, entry.name_local) if n]


def _run(method: str, pairs: list[NamePair], predict: Callable[[NamePair], bool]) -> MethodScores:
    scores = MethodScores(method)
    start = time.perf_counter()
    for p in pairs:
        scores.add(p.pair_id, p.category, p.expected, predict(p))
    scores.ms_per_record = (time.perf_counter() - start) * 1000 / max(1, len(pairs))
    return scores


def evaluate_ours(pairs: list[NamePair] | None = None) -> MethodScores:
    """Our matcher on the set (positive = the target returned with decision `match`)."""
    pairs = pairs if pairs is not None else load_pairs()
    matcher = EntityMatcher(eval_lists(pairs))

    def predict(p: NamePair) -> bool:
        for m in matcher.match(p.record, limit=50, include_no_match=True):
            if m.entry_id == p.target.entry_id and m.list_name == p.target.list_name:
                return m.decision is Decision.MATCH
        return False

    return _run(OURS, pairs, predict)


def _nomenklatura(pairs: list[NamePair], algorithm_name: str) -> MethodScores:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm(algorithm_name)
    if algorithm is None:  # pragma: no cover - depends on the installed nomenklatura
        raise RuntimeError(f"nomenklatura has no algorithm {algorithm_name!r}")
    config = ScoringConfig.defaults()

    def entity(eid: str, names: list[str], country: str | None, reg: str | None, address: str | None):  # type: ignore[no-untyped-def]
        e = model.make_entity("Company")
        e.id = eid
        if names:
            e.add("name", names[0])
            for alias in names[1:]:
                e.add("alias", alias)
        if country:
            e.add("country", country)
        if reg:
            e.add("registrationNumber", reg)
        if address:
            e.add("address", address)
        return e

    def predict(p: NamePair) -> bool:
        r = p.record
        # entity IDs must be unique per pair: nomenklatura caches name analysis by entity ID
        query = entity(f"q-{p.pair_id}", _query_names(r), r.country, r.registration_id, r.address)
        cand = entity(
            f"c-{p.pair_id}",
            _target_names(p.target),
            p.target.countries[0] if p.target.countries else None,
            None,
            None,
        )
        return bool(algorithm.compare(query, cand, config).score >= NOMENKLATURA_THRESHOLD)

    return _run(f"nomenklatura {algorithm_name} (score >= {NOMENKLATURA_THRESHOLD})", pairs, predict)


def evaluate_rapidfuzz(pairs: list[NamePair]) -> MethodScores:
    """Plain fuzzy matching, the usual first attempt: token_set_ratio on lower-cased, de-punctuated names."""

    def predict(p: NamePair) -> bool:
        q = [basic_normalise(n) for n in _query_names(p.record)]
        t = [basic_normalise(n) for n in _target_names(p.target)]
        return max((fuzz.token_set_ratio(a, b) for a in q for b in t), default=0.0) >= RAPIDFUZZ_THRESHOLD

    return _run(f"rapidfuzz token_set_ratio (>= {RAPIDFUZZ_THRESHOLD:.0f})", pairs, predict)


def evaluate_names(include_baselines: bool = True) -> list[MethodScores]:
    """Ours first, then each baseline, on the same pairs."""
    pairs = load_pairs()
    results = [evaluate_ours(pairs)]
    if include_baselines:
        results.append(_nomenklatura(pairs, "logic-v2"))
        results.append(_nomenklatura(pairs, "name-based"))
        results.append(evaluate_rapidfuzz(pairs))
    return results
