"""Screening evaluation on a held-out set: `python -m evaluation.holdout_run [--dir DIR] [--no-baselines]`.

A held-out set is a directory with `location_cases.csv` and `name_pairs.csv` written without looking at the
detectors or at the tuning sets (see the README in each set), so its figures are out-of-sample, unlike
`python -m evaluation.run`. `--dir` picks the set (default `evaluation/holdout`; the second, fresh one is
`evaluation/holdout2`): once a set has driven fixes it is in-sample too, and the next honest figures need a
set nobody has tuned on yet.

Nothing here re-implements the evaluation: the CSV readers and the scoring come from
`evaluation.location_eval` and `evaluation.names_eval`, pointed at the holdout files. The tables are printed
with `evaluation.run.table`, then every case we get wrong is listed with what it was and what we said.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluation.metrics import MethodScores

HOLDOUT_DIR = Path(__file__).resolve().parent / "holdout"
LOCATION_CASES = HOLDOUT_DIR / "location_cases.csv"
NAME_PAIRS = HOLDOUT_DIR / "name_pairs.csv"


def holdout_files(directory: Path) -> tuple[Path, Path]:
    """The set's (location cases, name pairs) files; a missing file is an error naming it, not an empty run.

    Every held-out set has the same two files, so a set is chosen by its directory alone and the same
    readers and scoring run on each (nothing here knows which set it is).
    """
    location, names = directory / "location_cases.csv", directory / "name_pairs.csv"
    missing = [str(p) for p in (location, names) if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"held-out set {directory}: missing {', '.join(missing)}")
    return location, names


def evaluate_location_holdout(path: Path = LOCATION_CASES) -> list[MethodScores]:
    """Our location detector and the naive keyword baseline on the holdout location cases."""
    from evaluation.location_eval import evaluate_location

    return list(evaluate_location(path=path))


def evaluate_names_holdout(path: Path = NAME_PAIRS, include_baselines: bool = True) -> list[MethodScores]:
    """`evaluation.names_eval.evaluate_names`, but on the holdout pairs (that function reads a fixed path)."""
    from evaluation import names_eval as ne

    pairs = ne.load_pairs(path)
    results = [ne.evaluate_ours(pairs)]
    if include_baselines:
        results.append(ne._nomenklatura(pairs, "logic-v2"))
        results.append(ne._nomenklatura(pairs, "name-based"))
        results.append(ne.evaluate_rapidfuzz(pairs))
    return results


def _record_summary(record: object) -> str:
    fields = record.model_dump(exclude_defaults=True)  # type: ignore[attr-defined]
    return "; ".join(f"{k}={v}" for k, v in fields.items())


def location_error_report(errors: list[str], path: Path = LOCATION_CASES) -> list[str]:
    """One line per case our detector got wrong: the case, its label, and what the detector answered."""
    import csv

    from app.screening.location import default_location_detector
    from evaluation.location_eval import load_cases

    notes = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            notes[row["case_id"]] = row["note"]
    det = default_location_detector()
    wanted = set(errors)
    lines = []
    for case_id, category, expected, record in load_cases(path):
        if case_id not in wanted:
            continue
        res = det.detect(record)
        kinds = ",".join(sorted({s.kind for s in res.signals})) or "no signals"
        lines.append(
            f"  {case_id} [{category}] expected={str(expected).lower()} said={res.in_xuar} "
            f"(conf {res.confidence:.2f}; {kinds}) | {_record_summary(record)} | {notes.get(case_id, '')}"
        )
    return lines


def names_error_report(errors: list[str], path: Path = NAME_PAIRS) -> list[str]:
    """One line per pair our matcher got wrong: query, target, label, and the decision and score it gave."""
    from app.screening.matcher import EntityMatcher
    from evaluation import names_eval as ne

    pairs = ne.load_pairs(path)
    matcher = EntityMatcher(ne.eval_lists(pairs))
    wanted = set(errors)
    lines = []
    for p in pairs:
        if p.pair_id not in wanted:
            continue
        said = "not returned"
        for m in matcher.match(p.record, limit=50, include_no_match=True):
            if m.entry_id == p.target.entry_id and m.list_name == p.target.list_name:
                said = f"{m.decision.value} ({m.score:.2f})"
                break
        query = " / ".join(ne._query_names(p.record))
        lines.append(
            f"  {p.pair_id} [{p.category}] expected={str(p.expected).lower()} said={said} | "
            f"query '{query}' country={p.record.country or '-'} "
            f"vs {p.target.list_name} '{p.target.name}' | {p.note}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print both tables (ours vs baselines, overall and per category) and our errors in detail."""
    from evaluation.run import table

    parser = argparse.ArgumentParser(prog="python -m evaluation.holdout_run", description=__doc__)
    parser.add_argument(
        "--no-baselines", action="store_true", help="names: skip the nomenklatura/rapidfuzz runs"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=HOLDOUT_DIR,
        help="held-out set directory: location_cases.csv and name_pairs.csv (default: evaluation/holdout)",
    )
    args = parser.parse_args(argv)
    try:
        location_path, names_path = holdout_files(args.dir)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    label = f"held-out set {args.dir.name}"

    location = evaluate_location_holdout(location_path)
    print(table(f"Location detector, {label}", location), end="\n\n")
    ours = location[0]
    print(f'location: ours abstained ("uncertain") on {ours.abstained} cases')
    print(f"location errors, ours ({len(ours.errors)}):")
    print("\n".join(location_error_report(ours.errors, location_path)) or "  none", end="\n\n")

    names = evaluate_names_holdout(names_path, include_baselines=not args.no_baselines)
    print(table(f"Entity matcher vs baselines, {label}", names), end="\n\n")
    print(f"name errors, ours ({len(names[0].errors)}):")
    print("\n".join(names_error_report(names[0].errors, names_path)) or "  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
