"""The Chinese-name supplement as a user meets it: a record written only in Chinese is matched to the
English-only list entry it names, the list version says which names it carried, a subsidiary is not
flagged as its parent, and a bad edit to the file is refused with row and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.screening.location import default_location_detector
from app.screening.model import Decision, ScreenRecord
from app.screening.service import Screener
from graph_schema import ListEntry, ListVersion
from loaders.lists import load_list_file
from loaders.local_names import (
    COLUMNS,
    DEFAULT_PATH,
    LocalNames,
    LocalNamesError,
    apply_to_version,
    load_local_names,
    normalise_name,
    shipped_local_names,
)
from loaders.uflpa import DEFAULT_PATH as UFLPA_PATH
from loaders.uflpa import load_uflpa_file

DAQO = "uflpa:i:xinjiang-daqo-new-energy-co-ltd"
DAQO_ZH = "新疆大全新能源股份有限公司"
GOOD_ROW = {
    "list": "UFLPA",
    "entry_name": "Xinjiang Daqo New Energy Co., Ltd.",
    "name_local": DAQO_ZH,
    "source": "https://example.org/daqo",
    "evidence": f"公司名称|{DAQO_ZH} | 英文名称|Xinjiang Daqo New Energy Co.,Ltd.",
    "retrieved_on": "2026-11-28",
}


def _write(path: Path, rows: list[dict[str, str]], header: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def _screener(lists: list[tuple[ListVersion, list[ListEntry]]]) -> Screener:
    return Screener(default_location_detector(), lists)


def _decisions(screener: Screener, record: ScreenRecord) -> dict[str, Decision]:
    [result] = screener.screen([record])
    return {m.entry_id: m.decision for m in result.matches}


# --- the shipped file ---------------------------------------------------------------------------------


def test_every_shipped_row_cites_a_page_and_quotes_the_name() -> None:
    names = load_local_names()
    assert len(names) >= 30
    for row in names.rows:
        assert row.source.startswith(("http://", "https://")), row.row
        assert row.name_local in row.evidence and len(row.evidence) <= 120, row.row


def test_shipped_rows_name_entries_that_exist_in_the_shipped_uflpa_list() -> None:
    """A UFLPA row whose entry name matches nothing would never be applied: a typo, caught here."""
    _, entries = load_uflpa_file()
    listed = {normalise_name(e.name) for e in entries}
    rows = [r for r in shipped_local_names().rows if r.list_name == "UFLPA"]
    assert rows and [r.entry_name for r in rows if normalise_name(r.entry_name) not in listed] == []


# --- malformed files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"list": "DHS"}, "list", "expected one of"),
        ({"name_local": "Xinjiang Daqo"}, "name_local", "Chinese characters"),
        ({"source": "annual report 2020"}, "source", "URL"),
        ({"evidence": "公司名称 only"}, "evidence", "must show the Chinese name"),
        ({"evidence": DAQO_ZH + "x" * 120}, "evidence", "at most 120"),
        ({"retrieved_on": "28/11/2026"}, "retrieved_on", "ISO date"),
        ({"entry_name": ""}, "entry_name", "empty"),
    ],
)
def test_a_malformed_row_fails_naming_file_row_and_column(
    tmp_path: Path, change: dict[str, str], column: str, reason: str
) -> None:
    other = {**GOOD_ROW, "entry_name": "Western Gold Co., Ltd.", "name_local": "西部黄金股份有限公司",
             "evidence": "西部黄金股份有限公司 2023年年度报告摘要"}  # fmt: skip
    path = _write(tmp_path / "names.csv", [other, {**GOOD_ROW, **change}])
    with pytest.raises(LocalNamesError) as info:
        load_local_names(path)
    err = info.value
    assert (err.file, err.row, err.column) == ("names.csv", 3, column)
    assert reason in str(err) and str(err).startswith("names.csv, row 3, column " + column)


def test_a_missing_or_unknown_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", [GOOD_ROW], header=tuple(c for c in COLUMNS if c != "evidence"))
    with pytest.raises(LocalNamesError) as info:
        load_local_names(path)
    assert (info.value.row, info.value.column) == (1, "evidence")
    path = _write(tmp_path / "b.csv", [GOOD_ROW], header=(*COLUMNS, "note"))
    with pytest.raises(LocalNamesError, match="unknown column"):
        load_local_names(path)


def test_one_chinese_name_on_two_entries_of_a_list_is_refused(tmp_path: Path) -> None:
    """The usual mistake: a parent's registered name copied onto its subsidiary's entry."""
    parent = {**GOOD_ROW, "entry_name": "Zijin Mining Group Co.", "name_local": "紫金矿业集团股份有限公司",
              "evidence": "紫金矿业集团股份有限公司 Zijin Mining Group Company Limited"}  # fmt: skip
    subsidiary = {**parent, "entry_name": "Xinjiang Zijin Zinc Industry"}
    with pytest.raises(LocalNamesError) as info:
        load_local_names(_write(tmp_path / "c.csv", [parent, subsidiary]))
    assert (info.value.row, info.value.column) == (3, "name_local")
    assert "Zijin Mining Group Co." in str(info.value)


def test_one_name_written_in_each_script_on_two_entries_is_refused(tmp_path: Path) -> None:
    """The matcher folds Traditional to Simplified, so the same name in the other script on a second
    entry would flag both companies for one supplier: the loader compares names as the matcher reads them."""
    parent = {**GOOD_ROW, "entry_name": "Zijin Mining Group Co.", "name_local": "紫金矿业集团股份有限公司",
              "evidence": "紫金矿业集团股份有限公司 Zijin Mining Group Company Limited"}  # fmt: skip
    traditional = "紫金礦業集團股份有限公司"
    subsidiary = {
        **parent,
        "entry_name": "Xinjiang Zijin Zinc Industry",
        "name_local": traditional,
        "evidence": f"{traditional} Xinjiang Zijin Zinc Industry",
    }
    with pytest.raises(LocalNamesError) as info:
        load_local_names(_write(tmp_path / "c.csv", [parent, subsidiary]))
    assert (info.value.row, info.value.column) == (3, "name_local")


# --- screening ----------------------------------------------------------------------------------------


def test_a_chinese_only_record_matches_the_english_only_entry_through_the_screener() -> None:
    """纳思达 shares no sound with "Ninestar": only the registered name can link them."""
    ninestar, ninestar_zh = "uflpa:ii:ninestar-corporation", "纳思达股份有限公司"
    record = ScreenRecord(name=ninestar_zh)
    english_only = _screener([load_uflpa_file()])
    assert _decisions(english_only, record).get(ninestar) is not Decision.MATCH  # what users saw before
    [(version, entries)] = load_list_file(UFLPA_PATH, "uflpa-csv")
    entry = next(e for e in entries if e.entry_id == ninestar)
    assert entry.name_local == ninestar_zh and entry.name == "Ninestar Corporation"
    with_names = _screener([(version, entries)])
    assert _decisions(with_names, record)[ninestar] is Decision.MATCH
    [result] = with_names.screen([record])
    assert [v.version_id for v in result.list_versions] == [version.version_id]


def test_a_name_a_source_gives_in_traditional_characters_matches_either_script() -> None:
    """Hong Kong and Taiwan press give some registered names only in Traditional characters; the row
    keeps them as the source writes them, and a Simplified (mainland ERP) record must still match."""
    [(version, entries)] = load_list_file(UFLPA_PATH, "uflpa-csv")
    gcl = "uflpa:i:xinjiang-gcl-new-energy-material-technology-co-ltd"
    assert next(e for e in entries if e.entry_id == gcl).name_local == "新疆協鑫新能源材料科技有限公司"
    screener = _screener([(version, entries)])
    for name in ("新疆协鑫新能源材料科技有限公司", "新疆協鑫新能源材料科技有限公司"):
        assert _decisions(screener, ScreenRecord(name=name))[gcl] is Decision.MATCH, name


def test_a_subsidiarys_chinese_name_does_not_match_its_parent_and_the_other_way_round() -> None:
    [(version, entries)] = load_list_file(UFLPA_PATH, "uflpa-csv")
    screener = _screener([(version, entries)])
    parent = "uflpa:v:zijin-mining-group-co"
    subsidiary = "uflpa:v:xinjiang-zijin-zinc-industry"
    by_sub = _decisions(screener, ScreenRecord(name="新疆紫金锌业有限公司"))
    assert by_sub[subsidiary] is Decision.MATCH
    assert by_sub.get(parent) is not Decision.MATCH
    by_parent = _decisions(screener, ScreenRecord(name="紫金矿业集团股份有限公司"))
    assert by_parent[parent] is Decision.MATCH
    assert by_parent.get(subsidiary) is not Decision.MATCH


# --- versions -----------------------------------------------------------------------------------------


def test_the_list_version_changes_with_the_supplement_and_names_it(tmp_path: Path) -> None:
    base, entries = load_uflpa_file()
    first = load_local_names(_write(tmp_path / "one.csv", [GOOD_ROW]))
    former = {
        **GOOD_ROW,
        "name_local": "新疆大全新能源有限公司",
        "evidence": "新疆大全新能源有限公司 (former name)",
    }
    second = load_local_names(_write(tmp_path / "two.csv", [GOOD_ROW, former]))
    v1, _ = apply_to_version(base, entries, first)
    v2, e2 = apply_to_version(base, entries, second)
    assert len({base.version_id, v1.version_id, v2.version_id}) == 3
    assert v1.sha256 != base.sha256 and v1.entry_count == base.entry_count
    assert "Chinese names: loaders/data/one.csv" in v1.source and v1.source.startswith(base.source)
    daqo2 = next(e for e in e2 if e.entry_id == DAQO)
    assert daqo2.name_local == DAQO_ZH and daqo2.aliases[-1] == "新疆大全新能源有限公司"
    # The same supplement gives the same version on every load; names for other lists leave it alone.
    assert apply_to_version(base, entries, first)[0] == v1
    bis_only = LocalNames.of("bis.csv", "0", [r for r in shipped_local_names().rows if r.list_name == "BIS"])
    assert apply_to_version(base, entries, bis_only) == (base, entries)


def test_an_existing_local_name_is_kept_and_the_supplement_adds_aliases_once() -> None:
    entry = ListEntry(entry_id="x", list_name="UFLPA", name="Xinjiang  Daqo New Energy CO., LTD.",
                     name_local="大全", aliases=[DAQO_ZH])  # fmt: skip
    version = ListVersion(version_id="UFLPA:t", list_name="UFLPA", source="s", retrieved_on="2026-01-01",
                          sha256="0" * 64, entry_count=1)  # fmt: skip
    names = LocalNames.of("n.csv", "0", load_local_names(DEFAULT_PATH).rows)
    _, [out] = apply_to_version(version, [entry], names)
    assert out.name_local == "大全" and out.aliases == [DAQO_ZH]


def test_a_refresh_from_the_dhs_page_gets_the_same_names() -> None:
    fixture = Path(__file__).parent / "fixtures" / "lists" / "dhs_uflpa.html"
    [(version, entries)] = load_list_file(fixture, "uflpa-dhs-html")
    daqo = [e for e in entries if e.name == "Xinjiang Daqo New Energy Co., Ltd."]
    assert daqo and all(e.name_local == DAQO_ZH for e in daqo)
    assert "Chinese names: loaders/data/entity_local_names.csv" in version.source


def test_the_sidecar_states_the_row_count_and_what_is_missing() -> None:
    meta = json.loads(DEFAULT_PATH.with_suffix(".meta.json").read_text(encoding="utf-8"))
    names = load_local_names()
    assert meta["row_count"] == len(names) and meta["file"] == DEFAULT_PATH.name
    _, entries = load_uflpa_file()
    covered = {normalise_name(r.entry_name) for r in names.rows if r.list_name == "UFLPA"}
    uncovered = sorted({e.name for e in entries if normalise_name(e.name) not in covered})
    assert meta["uflpa_not_covered"] == uncovered
    assert any("PARTIAL" in n for n in meta["notes"])
