"""The held-out screening sets stay usable: each loads with the evaluation's own readers, is as large as its
README says, has unique IDs, and every target that claims to be a row of our list files still is one.

Why: a held-out set is only worth its figures if it runs unchanged. A renamed UFLPA entry ID, a duplicated
case ID or a README that quotes more cases than the file holds would silently change what the figures mean.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from evaluation.holdout_run import HOLDOUT_DIR, holdout_files, main
from evaluation.location_eval import load_cases
from evaluation.names_eval import load_pairs
from loaders.uflpa import load_uflpa_file

EVALUATION = Path(__file__).resolve().parents[1] / "evaluation"
SETS = [HOLDOUT_DIR, EVALUATION / "holdout2"]
CSL_EXCERPT = Path(__file__).resolve().parents[1] / "loaders" / "data" / "lists" / "csl_excerpt.csv"


def _stated_counts(directory: Path) -> tuple[int, int]:
    """The case and pair counts the set's README states in its two file headings."""
    text = (directory / "README.md").read_text(encoding="utf-8")
    cases = re.search(r"^## `location_cases\.csv`: (\d+) cases", text, re.MULTILINE)
    pairs = re.search(r"^## `name_pairs\.csv`: (\d+) pairs", text, re.MULTILINE)
    assert cases and pairs, f"{directory.name}/README.md must state both counts in its file headings"
    return int(cases.group(1)), int(pairs.group(1))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("directory", SETS, ids=lambda d: d.name)
def test_each_set_loads_with_the_evaluation_readers_and_holds_what_its_readme_states(directory: Path) -> None:
    location_path, names_path = holdout_files(directory)
    cases, pairs = load_cases(location_path), load_pairs(names_path)
    stated_cases, stated_pairs = _stated_counts(directory)
    assert len(cases) >= stated_cases
    assert len(pairs) >= stated_pairs
    # a set that is all positives (or all negatives) cannot measure precision and recall together
    assert {expected for _, _, expected, _ in cases} == {True, False}
    assert {p.expected for p in pairs} == {True, False}


def test_the_second_set_meets_its_floor_of_300_cases_and_300_pairs() -> None:
    location_path, names_path = holdout_files(EVALUATION / "holdout2")
    assert len(load_cases(location_path)) >= 300
    assert len(load_pairs(names_path)) >= 300


@pytest.mark.parametrize("directory", SETS, ids=lambda d: d.name)
def test_case_and_pair_ids_are_unique(directory: Path) -> None:
    location_path, names_path = holdout_files(directory)
    case_ids = [r["case_id"] for r in _rows(location_path)]
    pair_ids = [r["pair_id"] for r in _rows(names_path)]
    assert len(case_ids) == len(set(case_ids)), "duplicate case_id"
    assert len(pair_ids) == len(set(pair_ids)), "duplicate pair_id"


@pytest.mark.parametrize("directory", SETS, ids=lambda d: d.name)
def test_targets_taken_from_our_list_files_still_exist_there(directory: Path) -> None:
    _, names_path = holdout_files(directory)
    uflpa_ids = {e.entry_id for e in load_uflpa_file()[1]}
    csl_ids = {f"csl:{r['_id']}" for r in _rows(CSL_EXCERPT)}
    rows = _rows(names_path)
    claimed_uflpa = {r["target_entry_id"] for r in rows if r["target_entry_id"].startswith("uflpa:")}
    claimed_csl = {r["target_entry_id"] for r in rows if r["target_entry_id"].startswith("csl:")}
    assert claimed_uflpa, "every set has UFLPA targets copied from loaders/data/uflpa_entity_list.csv"
    assert sorted(claimed_uflpa - uflpa_ids) == []
    assert sorted(claimed_csl - csl_ids) == []
    # an ID that looks like ours must be filed under the list it came from
    assert all(r["target_list"] == "UFLPA" for r in rows if r["target_entry_id"].startswith("uflpa:"))


def test_the_runner_refuses_a_directory_that_is_not_a_held_out_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "location_cases.csv").write_text("case_id\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["--dir", str(tmp_path), "--no-baselines"])
    assert exc.value.code == 2
    assert "name_pairs.csv" in capsys.readouterr().err
