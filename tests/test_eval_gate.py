"""The evaluation gate (`python -m evaluation.run --check`, run by `make eval` in CI) fails on what it claims
to guard: the location detector's floors and baselines as well as the matcher's."""

from __future__ import annotations

from evaluation import floors
from evaluation.metrics import MethodScores, Scores
from evaluation.run import check


def _scores(method: str, tp: int, fp: int, fn: int, tn: int, ms: float = 0.1) -> MethodScores:
    return MethodScores(method=method, overall=Scores(tp=tp, fp=fp, fn=fn, tn=tn), ms_per_record=ms)


NAMES = [_scores("ours", 100, 0, 0, 50), _scores("baseline", 80, 10, 20, 40)]
THROUGHPUT: dict[str, float | int | str] = {"seconds": 1.0}


def test_good_figures_pass() -> None:
    location = [_scores("ours", 100, 0, 0, 100), _scores("naive", 40, 10, 60, 90)]
    assert check(NAMES, THROUGHPUT, location) == []


def test_location_recall_under_its_floor_fails() -> None:
    # 5 missed of 100 is recall 0.95, under the floor.
    location = [_scores("ours", 95, 0, 5, 100), _scores("naive", 40, 10, 60, 90)]
    assert floors.LOCATION_RECALL_MIN > 0.95
    assert any("location recall" in f for f in check(NAMES, THROUGHPUT, location))


def test_a_false_alarm_rate_over_the_floor_fails() -> None:
    location = [_scores("ours", 100, 2, 0, 98), _scores("naive", 40, 10, 60, 90)]
    assert any("location precision" in f for f in check(NAMES, THROUGHPUT, location))


def test_a_baseline_as_good_as_ours_fails() -> None:
    location = [_scores("ours", 100, 0, 0, 100), _scores("naive", 100, 0, 0, 100)]
    assert any("location baseline" in f for f in check(NAMES, THROUGHPUT, location))


def test_a_location_evaluation_that_did_not_run_fails() -> None:
    assert any("did not run" in f for f in check(NAMES, THROUGHPUT, None))
