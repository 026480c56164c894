"""Evaluate the XUAR location detector on `location_cases.csv` against a naive keyword baseline.

Why a baseline: "does a field mention Xinjiang/新疆?" is what a spreadsheet filter does; the detector has to
earn its complexity by beating it on the cases that matter (partial records, romanisations, street traps,
homonyms abroad). A prediction counts as positive only when `in_xuar is True`; "uncertain" is a negative
that is also tallied in `abstained`, so hedging never inflates precision silently.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

from app.screening.location import LocationDetector, default_location_detector
from app.screening.model import InXuar, ScreenRecord
from evaluation.metrics import MethodScores

CASES_FILE = Path(__file__).resolve().parent / "location_cases.csv"
_TEXT_FIELDS = ("name", "name_local", "address", "city", "region")
_FLOAT_FIELDS = ("latitude", "longitude")


def load_cases(path: Path = CASES_FILE) -> list[tuple[str, str, bool, ScreenRecord]]:
    """The labelled cases: (case_id, category, expected, record)."""
    cases: list[tuple[str, str, bool, ScreenRecord]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fields: dict[str, object] = {}
            for name in (*_TEXT_FIELDS, "country", "postal_code", "registration_id"):
                if row.get(name):
                    fields[name] = row[name]
            for name in _FLOAT_FIELDS:
                if row.get(name):
                    fields[name] = float(row[name])
            expected = row["expected"].strip().lower()
            if expected not in ("true", "false"):
                raise ValueError(f"{path.name}: case {row['case_id']}: expected must be true or false")
            cases.append(
                (row["case_id"], row["category"], expected == "true", ScreenRecord.model_validate(fields))
            )
    return cases


def naive_baseline(record: ScreenRecord) -> InXuar:
    """The spreadsheet rule: any text field mentions Xinjiang / 新疆 / XUAR."""
    for name in (*_TEXT_FIELDS, "country"):
        value = getattr(record, name)
        if value and any(k in value.casefold() for k in ("xinjiang", "新疆", "xuar")):
            return True
    return False


def _score(
    method: str, predict: Callable[[ScreenRecord], InXuar], cases: list[tuple[str, str, bool, ScreenRecord]]
) -> MethodScores:
    scores = MethodScores(method=method)
    start = time.perf_counter()
    outputs = [predict(record) for _, _, _, record in cases]
    scores.ms_per_record = (time.perf_counter() - start) * 1000 / max(1, len(cases))
    for (case_id, category, expected, _), verdict in zip(cases, outputs, strict=True):
        if verdict == "uncertain":
            scores.abstained += 1
        scores.add(case_id, category, expected, verdict is True)
    return scores


def evaluate_location(
    detector: LocationDetector | None = None, path: Path = CASES_FILE
) -> list[MethodScores]:
    """Scores for our detector and for the naive baseline, over every case and per category."""
    det = detector or default_location_detector()
    cases = load_cases(path)
    det.detect(cases[0][3])  # warm caches so the timing is per record, not per build
    return [
        _score("location_detector", lambda r: det.detect(r).in_xuar, cases),
        _score("naive_xinjiang_keyword", naive_baseline, cases),
    ]


def main() -> None:
    """Print the table: overall, then per category, for each method."""
    for ms in evaluate_location():
        o = ms.overall
        print(
            f"{ms.method}: n={o.n} P={o.precision:.3f} R={o.recall:.3f} F1={o.f1:.3f} "
            f"abstained={ms.abstained} {ms.ms_per_record:.3f} ms/record"
        )
        for cat, s in sorted(ms.per_category.items()):
            print(
                f"  {cat:18s} n={s.n:3d} tp={s.tp:3d} fp={s.fp:2d} fn={s.fn:3d} tn={s.tn:3d} "
                f"P={s.precision:.3f} R={s.recall:.3f}"
            )
        print(f"  errors: {' '.join(ms.errors[:60])}")


if __name__ == "__main__":
    main()
