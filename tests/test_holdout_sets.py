"""The held-out screening sets stay usable: each loads with the evaluation's own readers, is as large as its
README says, has unique IDs, and every target that claims to be a row of our list files still is one.

Why: a held-out set is only worth its figures if it runs unchanged. A renamed UFLPA entry ID, a duplicated
case ID or a README that quotes more cases than the file holds would silently change what the figures mean.
The third to seventh sets also record the sha256 of their two files in their READMEs, so an edit made
after a first run (which would turn its figures in-sample without anyone noticing) fails here.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from evaluation.holdout_run import HOLDOUT_DIR, holdout_files, main
from evaluation.location_eval import load_cases
from evaluation.names_eval import load_pairs
from loaders.lists.cbp import parse_wro_csv
from loaders.lists.csl import parse_csl_csv
from loaders.lists.ofac import load_sdn_path
from loaders.uflpa import load_uflpa_file

EVALUATION = Path(__file__).resolve().parents[1] / "evaluation"
THIRD = EVALUATION / "holdout3"
FOURTH = EVALUATION / "holdout4"
FIFTH = EVALUATION / "holdout5"
SIXTH = EVALUATION / "holdout6"
SEVENTH = EVALUATION / "holdout7"
SETS = [HOLDOUT_DIR, EVALUATION / "holdout2", THIRD, FOURTH, FIFTH, SIXTH, SEVENTH]
LISTS = Path(__file__).resolve().parents[1] / "loaders" / "data" / "lists"
CSL_EXCERPT = LISTS / "csl_excerpt.csv"


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


#: (set, case floor, pair floor, least share of hard negatives among the pairs) as each set's brief asked
FLOORS = [
    (EVALUATION / "holdout2", 300, 300, 0.0),
    (THIRD, 300, 250, 0.4),
    (FOURTH, 250, 250, 0.4),
    (FIFTH, 250, 250, 0.4),
    (SIXTH, 250, 250, 0.4),
    (SEVENTH, 250, 250, 0.4),
]


@pytest.mark.parametrize(("directory", "min_cases", "min_pairs", "negatives"), FLOORS, ids=lambda v: str(v))
def test_each_set_meets_the_floor_its_brief_set(
    directory: Path, min_cases: int, min_pairs: int, negatives: float
) -> None:
    location_path, names_path = holdout_files(directory)
    pairs = load_pairs(names_path)
    assert len(load_cases(location_path)) >= min_cases
    assert len(pairs) >= min_pairs
    assert sum(not p.expected for p in pairs) >= negatives * len(pairs)


def test_the_fifth_set_reaches_below_county_level_in_every_row_with_a_reason() -> None:
    """Its brief asks for at least 50 town, township, subdistrict or XPCC-farm cases, and a note on every row.

    Why: county names are what the earlier sets covered; a detector that only knows counties would look
    as good on a set that quietly lost its township rows, and a row without its reasoning cannot be checked.
    """
    location_path, names_path = holdout_files(FIFTH)
    cases = _rows(location_path)
    assert sum(r["category"] in ("township", "xpcc") for r in cases) >= 50
    assert all(r["note"].strip() for r in cases + _rows(names_path))


@pytest.mark.parametrize("directory", [THIRD, FOURTH, FIFTH, SIXTH, SEVENTH], ids=lambda d: d.name)
def test_the_sets_files_are_the_ones_their_readme_fingerprinted(directory: Path) -> None:
    """The README's sha256 lines were written before the first run; a later edit of a CSV must show here."""
    text = (directory / "README.md").read_text(encoding="utf-8")
    for name in ("location_cases.csv", "name_pairs.csv"):
        stated = re.search(rf"^`([0-9a-f]{{64}})`  `{re.escape(name)}`$", text, re.MULTILINE)
        assert stated, f"{directory.name}/README.md must state the sha256 of {name}"
        actual = hashlib.sha256((directory / name).read_bytes()).hexdigest()
        assert actual == stated.group(1), f"{name} changed after its fingerprint was recorded"


def test_the_third_sets_cbp_and_ofac_targets_are_rows_of_our_list_files() -> None:
    """Targets with our loaders' ID forms must still be entries those loaders produce, with the same name."""
    _, names_path = holdout_files(THIRD)
    cbp = {e.entry_id: e.name for e in parse_wro_csv("cbp_wro.csv", (LISTS / "cbp_wro.csv").read_bytes())[1]}
    sdn = {e.entry_id: e.name for e in load_sdn_path(LISTS / "ofac_sdn")[1]}
    rows = _rows(names_path)
    claimed = [r for r in rows if r["target_entry_id"].startswith("cbp_wro:")]
    assert claimed, "the third set has CBP WRO targets"
    assert all(
        r["target_list"] == "CBP_WRO" and cbp.get(r["target_entry_id"]) == r["target_name"] for r in claimed
    )
    real_sdn = [r for r in rows if re.fullmatch(r"ofac:sdn:\d+", r["target_entry_id"])]
    assert real_sdn and all(sdn.get(r["target_entry_id"]) == r["target_name"] for r in real_sdn)


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


def test_the_fourth_sets_uflpa_and_cbp_targets_are_verbatim_rows_of_our_list_files() -> None:
    """Its README says targets were copied verbatim: name and aliases must still equal the data files'.

    Why: a target that drifts from the shipped row measures the matcher against an entry nobody screens.
    """
    _, names_path = holdout_files(FOURTH)
    uflpa = {e.entry_id: e for e in load_uflpa_file()[1]}
    cbp = {e.entry_id: e for e in parse_wro_csv("cbp_wro.csv", (LISTS / "cbp_wro.csv").read_bytes())[1]}
    rows = _rows(names_path)
    claimed_cbp = [r for r in rows if r["target_entry_id"].startswith("cbp_wro:")]
    assert claimed_cbp, "the fourth set has CBP WRO targets"
    for r in rows:
        entry = uflpa.get(r["target_entry_id"]) or cbp.get(r["target_entry_id"])
        if entry is None:
            # anything else must be a BIS target whose ID says it was made up for this set
            made_up = r["target_entry_id"].startswith("bis:cn:h4-madeup-")
            assert r["target_list"] == "BIS" and made_up, r["pair_id"]
            continue
        assert r["target_name"] == entry.name, r["pair_id"]
        assert [a for a in r["target_aliases"].split("|") if a] == list(entry.aliases), r["pair_id"]


@pytest.mark.parametrize(
    ("directory", "min_elsewhere"), [(SIXTH, 0), (SEVENTH, 15)], ids=["holdout6", "holdout7"]
)
def test_the_set_reaches_below_county_level_and_every_location_row_cites_its_source(
    directory: Path, min_elsewhere: int
) -> None:
    """Each brief asks for at least 50 town, township, subdistrict or XPCC-farm cases, each location row
    sourced; the seventh's also for sourced negatives from other Chinese provinces and Central Asia.

    Why: a county-only detector would look as good on a set that quietly lost its township rows, a location
    label without the page it rests on cannot be checked after a run, and a set without same-name places
    outside the XUAR cannot show false positives on them.
    """
    location_path, names_path = holdout_files(directory)
    cases = _rows(location_path)
    assert sum(r["category"] in ("township", "xpcc") for r in cases) >= 50
    assert all("http" in r["note"] for r in cases)
    elsewhere = [r for r in cases if r["category"] in ("other_province", "neighbour_country")]
    assert sum(r["expected"] == "false" for r in elsewhere) >= min_elsewhere
    assert all(r["note"].strip() for r in _rows(names_path))


def _shipped_entries() -> dict[str, Any]:
    """Every entry of the shipped list files by the ID the held-out sets use (CSL rows as csl:<_id>; the
    loader prefixes the source code), with the name and aliases the service loads it with."""
    entries: dict[str, Any] = {e.entry_id: e for e in load_uflpa_file()[1]}
    entries |= {e.entry_id: e for e in parse_wro_csv("cbp_wro.csv", (LISTS / "cbp_wro.csv").read_bytes())[1]}
    entries |= {e.entry_id: e for e in load_sdn_path(LISTS / "ofac_sdn")[1]}
    for _version, csl in parse_csl_csv("csl_excerpt.csv", CSL_EXCERPT.read_bytes()):
        entries |= {f"csl:{e.entry_id.rsplit(':', 1)[1]}": e for e in csl}
    return entries


@pytest.mark.parametrize(
    ("directory", "made_up"),
    [(FIFTH, None), (SIXTH, "h6"), (SEVENTH, "h7")],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_targets_are_verbatim_entries_or_marked_as_made_up(directory: Path, made_up: str | None) -> None:
    """A target is a shipped list entry, exactly as the loaders yield it, or (where the set's brief allowed
    it: not the fifth) a BIS/OFAC row named as published whose ID says it was made up for this set and
    whose note cites where the name was read.

    Why: a target that silently drifts from the shipped row (a renamed UFLPA row, a CBP a/k/a, an SDN or
    CSL alias) measures the matcher against an entry nobody screens, and an unmarked invented ID would
    later look like a real entry of our files.
    """
    _, names_path = holdout_files(directory)
    entries = _shipped_entries()
    rows = _rows(names_path)
    assert {r["target_list"] for r in rows} >= {"UFLPA", "CBP_WRO", "OFAC_SDN", "BIS"}
    for r in rows:
        entry = entries.get(r["target_entry_id"])
        if entry is None:
            assert made_up is not None, r["pair_id"]
            pattern = rf"(bis:cn|ofac:sdn):{made_up}-madeup-[a-z0-9-]+"
            assert re.fullmatch(pattern, r["target_entry_id"]), r["pair_id"]
            assert r["target_list"] in ("BIS", "OFAC_SDN") and "http" in r["note"], r["pair_id"]
            continue
        assert (r["target_list"], r["target_name"]) == (entry.list_name, entry.name), r["pair_id"]
        assert [a for a in r["target_aliases"].split("|") if a] == list(entry.aliases), r["pair_id"]
