"""The shipped UFLPA Entity List transcription: it parses, every listing is citable, and a bad edit fails
loudly with file, row and column (a silently dropped row would be a missed listed entity)."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from loaders.uflpa import DEFAULT_PATH, UflpaListError, load_uflpa_file, meta_path


def test_the_shipped_list_parses_and_its_version_is_the_hash_of_its_bytes() -> None:
    version, entries = load_uflpa_file()
    digest = hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest()
    assert version.version_id == f"UFLPA:{digest[:12]}"
    assert version.sha256 == digest
    assert version.list_name == "UFLPA"
    assert version.entry_count == len(entries) >= 15
    assert "https://www.dhs.gov/uflpa-entity-list" in version.source
    assert all(e.list_name == "UFLPA" for e in entries)


def test_ids_are_unique_and_every_listing_is_citable() -> None:
    _, entries = load_uflpa_file()
    ids = [e.entry_id for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.effective_date is not None, e.entry_id
        assert e.section and e.section.startswith("2(d)(2)(B)("), e.entry_id
        assert e.citation, e.entry_id
        assert e.name.strip() == e.name and e.name


def test_aliases_are_split_and_subsidiary_coverage_is_read() -> None:
    _, entries = load_uflpa_file()
    by_id = {e.entry_id: e for e in entries}
    haolin = by_id["uflpa:i:hetian-haolin-hair-accessories-co-ltd"]
    assert haolin.aliases == ["Hotan Haolin Hair Accessories", "Hollin Hair Accessories"]
    assert by_id["uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"].covers_subsidiaries is True
    assert by_id["uflpa:ii:xinjiang-zhonghe-co-ltd"].covers_subsidiaries is False
    assert by_id["uflpa:ii:xinjiang-zhonghe-co-ltd"].aliases == ["Xinjiang Joinworld Co., Ltd."]


def test_the_sidecar_names_its_sources() -> None:
    meta = json.loads(meta_path(DEFAULT_PATH).read_text(encoding="utf-8"))
    assert meta["list_name"] == "UFLPA"
    assert meta["source"][0] == "https://www.dhs.gov/uflpa-entity-list"
    assert meta["retrieved_on"] and meta["transcribed_by"] and meta["notes"]


def _copy(tmp_path: Path) -> Path:
    """A private copy of the list and its sidecar, to break without touching the shipped file."""
    target = tmp_path / DEFAULT_PATH.name
    shutil.copy(DEFAULT_PATH, target)
    shutil.copy(meta_path(DEFAULT_PATH), meta_path(target))
    return target


def _edit_row(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row numbered as a spreadsheet does, header = 1) by rewriting the CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (3, "effective_date", "21 June 2022", "ISO date"),
        (4, "section", "2(d)(2)(B)(vi)", "2(d)(2)(B)"),
        (5, "covers_subsidiaries", "yes", "true or false"),
        (6, "citation", "", "required value is empty"),
        (7, "entry_id", "uflpa:i:baoding-lyszd-trade-and-business-co-ltd", "duplicate ID"),
    ],
)
def test_a_malformed_cell_names_file_row_and_column(
    tmp_path: Path, row: int, column: str, value: str, reason: str
) -> None:
    path = _copy(tmp_path)
    _edit_row(path, row, column, value)
    with pytest.raises(UflpaListError) as info:
        load_uflpa_file(path)
    err = info.value
    assert (err.file, err.row, err.column) == (path.name, row, column)
    assert reason in str(err)
    assert f"{path.name}, row {row}, column {column}" in str(err)
    assert isinstance(err, ValueError)


def test_a_missing_column_is_reported_on_the_header_row(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace(",citation\n", "\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UflpaListError) as info:
        load_uflpa_file(path)
    assert (info.value.row, info.value.column) == (1, "citation")


def test_a_row_with_a_stray_cell_is_reported(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + ",stray\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(UflpaListError) as info:
        load_uflpa_file(path)
    assert info.value.row == 3
    assert "cells" in str(info.value)


def test_a_sidecar_without_a_source_is_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
    del meta["source"]
    meta_path(path).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(UflpaListError) as info:
        load_uflpa_file(path)
    assert (info.value.file, info.value.column) == (meta_path(path).name, "source")


def test_an_edit_is_a_new_version(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    original, _ = load_uflpa_file(path)
    _edit_row(path, 2, "citation", "edited")
    edited, _ = load_uflpa_file(path)
    assert edited.version_id != original.version_id
