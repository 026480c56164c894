"""Screening lists as versioned reference data: each official format parses to the right entries, malformed
files fail naming where, versions diff by entry ID, and the shipped data loads as its meta files claim."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from graph_schema import ListEntry
from loaders.lists import FORMATS, ListFormatError, diff_versions, load_list_file, load_shipped
from loaders.lists.common import identifiers_from_remarks, parse_uflpa_name
from loaders.lists.csl import source_code
from loaders.local_names import apply_to_version, shipped_local_names
from loaders.uflpa import DEFAULT_PATH, UflpaListError, load_uflpa_file, meta_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
DAY = date(2026, 11, 28)


def _by_id(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.entry_id: e for e in entries}


# --- formats -------------------------------------------------------------------------------------------


def test_registry_names_every_format() -> None:
    assert set(FORMATS) == {
        "uflpa-csv", "uflpa-dhs-html", "uflpa-ftm", "csl-csv", "csl-json", "ofac-sdn", "cbp-wro-csv"
    }  # fmt: skip
    with pytest.raises(ListFormatError, match="unknown format"):
        load_list_file(FIXTURES / "csl.csv", "csl-xml")


def test_uflpa_csv_through_the_registry_matches_the_direct_loader() -> None:
    [(version, entries)] = load_list_file(DEFAULT_PATH, "uflpa-csv", retrieved_on=DAY)
    # The registry applies the shipped Chinese names (loaders/data/entity_local_names.csv) to every list.
    direct_version, direct_entries = apply_to_version(*load_uflpa_file(), shipped_local_names())
    assert entries == direct_entries
    assert version.version_id == direct_version.version_id and version.retrieved_on == DAY


def test_dhs_html_tables_give_one_entry_per_section_with_parsed_names() -> None:
    [(version, entries)] = load_list_file(FIXTURES / "dhs_uflpa.html", "uflpa-dhs-html", retrieved_on=DAY)
    by_id = _by_id(entries)
    assert version.list_name == "UFLPA" and version.entry_count == len(entries) == 8
    assert version.retrieved_on == DAY and len(version.sha256) == 64
    haolin = by_id["uflpa:i:hetian-haolin-hair-accessories-co-ltd"]
    assert haolin.aliases == ["Hotan Haolin Hair Accessories", "Hollin Hair Accessories"]
    assert haolin.effective_date == date(2022, 6, 21) and haolin.section == "2(d)(2)(B)(i)"
    hoshine = by_id["uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"]
    assert hoshine.name == "Hoshine Silicon Industry (Shanshan) Co., Ltd" and hoshine.covers_subsidiaries
    # DHS's three aliases, then the trading name from the shipped Chinese-name supplement
    assert by_id["uflpa:i:xinjiang-production-and-construction-corps"].aliases == [
        "XPCC",
        "Xinjiang Corps",
        "Bingtuan",
        "中国新建集团",
    ]
    jwd = by_id["uflpa:ii:sichuan-jingweida-technology-group-co-ltd"]
    assert jwd.aliases == [
        "Sichuan Mianyang Jingweida Technology Co., Ltd.",
        "JWD Technology",
        "Mianyang High-tech Zone Jingweida Technology Co., Ltd.",
    ]
    hongyuan = by_id["uflpa:v:hongyuan-green-energy-co-ltd"]
    # Five aliases from DHS, then a former Chinese name from the shipped supplement.
    assert "Wuxi Shangji Grinding Machine Co., Ltd." in hongyuan.aliases[:5] and len(hongyuan.aliases) == 6
    # The IDs are the shipped CSV's IDs, so a refresh diffs cleanly against the transcription.
    _, shipped = load_uflpa_file()
    assert {"uflpa:v:hongyuan-green-energy-co-ltd", "uflpa:ii:sichuan-jingweida-technology-group-co-ltd"} <= {
        e.entry_id for e in shipped
    }


def test_named_subsidiaries_become_entries_of_their_own() -> None:
    parsed = parse_uflpa_name(
        "Ninestar Corporation and its eight Zhuhai-based subsidiaries, which include Zhuhai Ninestar "
        "Information Technology Co., Ltd., Zhuhai Pantum Electronics Co., Ltd., and Zhuhai Apex "
        "Microelectronics Co., Ltd."
    )
    assert parsed.name == "Ninestar Corporation"
    assert parsed.subsidiaries == [
        "Zhuhai Ninestar Information Technology Co., Ltd.",
        "Zhuhai Pantum Electronics Co., Ltd.",
        "Zhuhai Apex Microelectronics Co., Ltd.",
    ]
    plain = parse_uflpa_name("Xinjiang Junggar Cotton and Linen Co., Ltd.")
    assert plain.name == "Xinjiang Junggar Cotton and Linen Co., Ltd." and plain.aliases == []


def test_ftm_export_reads_sections_from_sanctions_flat_and_nested() -> None:
    [(version, entries)] = load_list_file(FIXTURES / "us_dhs_uflpa.ftm.json", "uflpa-ftm", retrieved_on=DAY)
    by_id = _by_id(entries)
    assert set(by_id) == {
        "uflpa:ii:xinjiang-zhonghe-co-ltd",
        "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd",
        "uflpa:ii:xinjiang-tengxiang-magnesium-products-co-ltd",
        "uflpa:v:xinjiang-tengxiang-magnesium-products-co-ltd",
    }
    zhonghe = by_id["uflpa:ii:xinjiang-zhonghe-co-ltd"]
    assert zhonghe.aliases == ["Xinjiang Joinworld Co., Ltd."] and zhonghe.countries == ["CN"]
    assert zhonghe.effective_date == date(2024, 11, 25)
    assert by_id["uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"].covers_subsidiaries
    assert version.entry_count == 4


def test_csl_csv_is_split_by_source_with_aliases_ids_and_countries() -> None:
    loaded = load_list_file(FIXTURES / "csl.csv", "csl-csv", retrieved_on=DAY)
    lists = {v.list_name: (v, e) for v, e in loaded}
    assert set(lists) == {"BIS", "OFAC_SDN", "OFAC_SSI", "ISN"}
    _, [cetc] = lists["BIS"]
    assert cetc.name.startswith("China Electronics Technology Group Corporation 13th Research Institute")
    assert cetc.countries == ["CN"] and cetc.citation == "83 FR 37423; 87 FR 77505"
    assert cetc.aliases[-1] == "CETC Research Institute 13" and "HSRI" in cetc.aliases
    assert cetc.effective_date == date(2018, 8, 1)
    assert cetc.source_list == "Entity List (EL) - Bureau of Industry and Security"
    _, [rim] = lists["OFAC_SDN"]
    assert rim.entry_id == "ofac:sdn:52291" and rim.countries == ["CN", "KP"]
    assert rim.identifiers == ["PASSPORT:836238033"] and rim.entity_type == "individual"
    _, [tnk] = lists["OFAC_SSI"]
    assert tnk.identifiers == ["VAT:CHE-267.936.404", "BRN:CH-660.0.559.011-2"]
    assert tnk.programs == ["VENEZUELA-EO13850", "UKRAINE-EO13662"]
    _, [sino] = lists["ISN"]
    assert sino.name == "Sinobright Import and Export Company" and sino.covers_subsidiaries
    for version, entries in loaded:
        assert version.entry_count == len(entries) and version.version_id.startswith(version.list_name + ":")


def test_csl_json_matches_the_csv_shape(tmp_path: Path) -> None:
    loaded = load_list_file(FIXTURES / "csl.json", "csl-json", retrieved_on=DAY)
    lists = {v.list_name: e for v, e in loaded}
    assert set(lists) == {"BIS", "OFAC_SSI", "OFAC_SDN"}
    [cetc] = lists["BIS"]
    assert cetc.countries == ["CN"] and "HSRI" in cetc.aliases
    [tnk] = lists["OFAC_SSI"]
    assert tnk.identifiers == ["VAT:CHE-267.936.404", "BRN:CH-660.0.559.011-2"]
    assert tnk.addresses == ["place du Lac 2, Geneve, 1204, CH"]
    [rim] = lists["OFAC_SDN"]
    assert rim.entry_id == "ofac:sdn:52291" and rim.countries == ["CN", "KP"]
    # A bare list is accepted too.
    bare = json.loads((FIXTURES / "csl.json").read_text(encoding="utf-8"))["results"]
    bare_path = tmp_path / "bare.json"
    bare_path.write_text(json.dumps(bare), encoding="utf-8")
    assert len(load_list_file(bare_path, "csl-json")) == 3


def test_unknown_csl_sources_get_a_derived_code() -> None:
    assert source_code("Entity List (EL) - Bureau of Industry and Security") == "BIS"
    assert source_code("Some New List (SNL) - Treasury Department") == "OFAC_SNL"
    assert source_code("Another List - Somebody") == "CSL_ANOTHER_LIST"


def test_ofac_sdn_files_join_addresses_and_read_ids_from_remarks() -> None:
    [(version, entries)] = load_list_file(FIXTURES / "ofac_sdn", "ofac-sdn", retrieved_on=DAY)
    by_id = _by_id(entries)
    assert version.list_name == "OFAC_SDN" and version.entry_count == 5
    iran = by_id["ofac:sdn:11195"]
    assert iran.countries == ["IR"] and len(iran.addresses) == 5
    assert iran.programs == ["NPWMD", "IFSR", "IRAN-CON-ARMS-EO"]
    assert "HESA" in iran.aliases and iran.identifiers == ["NATIONAL_ID:10100722073", "REG:26740"]
    vessel = by_id["ofac:sdn:47371"]
    assert vessel.entity_type == "vessel" and vessel.identifiers == ["IMO:9339301", "MMSI:636013272"]
    assert by_id["ofac:sdn:28603"].entity_type == "entity"
    # sdn.csv alone (no alt/add next to it) also loads.
    [(_, same)] = load_list_file(FIXTURES / "ofac_sdn" / "sdn.csv", "ofac-sdn")
    assert len(same) == 5


def test_uscc_in_remarks_becomes_an_identifier() -> None:
    remarks = (
        "Organization Established Date 2009; Unified Social Credit Code (USCC) 913307230927997015 (China)."
    )
    assert identifiers_from_remarks(remarks) == ["USCC:913307230927997015"]


def test_cbp_wro_csv_reads_aliases_coverage_and_kind() -> None:
    [(version, entries)] = load_list_file(FIXTURES / "cbp_wro.csv", "cbp-wro-csv", retrieved_on=DAY)
    assert version.list_name == "CBP_WRO" and version.entry_count == 4
    hoshine, tianjin, vessel, fgv = entries
    assert hoshine.name == "Hoshine Silicon Industry Co. Ltd." and hoshine.covers_subsidiaries
    assert hoshine.effective_date == date(2021, 6, 24) and hoshine.countries == ["CN"]
    assert hoshine.entry_id == "cbp_wro:hoshine-silicon-industry-co-ltd:wro:2021-06-24"
    assert tianjin.name == "Tianjin Malleable Iron Factory" and "Tianjin No. 2 Prison" in tianjin.aliases
    assert vessel.entity_type == "vessel" and vessel.countries == ["VU"]
    # The ship's name is the name to match; the entry ID keeps CBP's text, so IDs stay stable.
    assert vessel.name == "Da Wang" and vessel.entry_id.startswith("cbp_wro:fishing-vessel-da-wang:")
    assert fgv.section == "Finding" and fgv.covers_subsidiaries and fgv.remarks == "Status: Active"


# --- malformed input -----------------------------------------------------------------------------------


def _tmp(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csl_missing_column_names_header_and_column(tmp_path: Path) -> None:
    lines = (FIXTURES / "csl.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",alt_names,", ",alt_namez,")
    path = _tmp(tmp_path, "csl.csv", "\n".join(lines) + "\n")
    with pytest.raises(ListFormatError) as e:
        load_list_file(path, "csl-csv")
    assert (e.value.file, e.value.row, e.value.column) == ("csl.csv", 1, "alt_names")


def test_csl_bad_date_and_wrong_column_count(tmp_path: Path) -> None:
    text = (FIXTURES / "csl.csv").read_text(encoding="utf-8")
    path = _tmp(tmp_path, "csl.csv", text.replace('"2018-08-01"', '"08/01/2018"'))
    with pytest.raises(ListFormatError) as e:
        load_list_file(path, "csl-csv")
    assert e.value.column == "start_date" and e.value.row is not None and "08/01/2018" in str(e.value)
    lines = text.splitlines()
    lines[2] = lines[2] + ',"extra"'
    path = _tmp(tmp_path, "csl2.csv", "\n".join(lines) + "\n")
    with pytest.raises(ListFormatError, match=r"csl2\.csv, row 3: expected 29 cells"):
        load_list_file(path, "csl-csv")


def test_truncated_json_names_the_line(tmp_path: Path) -> None:
    text = (FIXTURES / "csl.json").read_text(encoding="utf-8")
    path = _tmp(tmp_path, "csl.json", text[: len(text) // 2])
    with pytest.raises(ListFormatError, match=r"csl\.json, row \d+: not valid JSON"):
        load_list_file(path, "csl-json")
    ftm = (FIXTURES / "us_dhs_uflpa.ftm.json").read_text(encoding="utf-8").splitlines()
    ftm[2] = ftm[2][:40]
    path = _tmp(tmp_path, "x.ftm.json", "\n".join(ftm))
    with pytest.raises(ListFormatError) as e:
        load_list_file(path, "uflpa-ftm")
    assert e.value.row == 3


def test_sdn_wrong_column_count_and_bad_ent_num(tmp_path: Path) -> None:
    folder = tmp_path / "sdn"
    folder.mkdir()
    (folder / "sdn.csv").write_text('1,"A",-0- ,"X"\n', encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"sdn\.csv, row 1: expected 12 cells, got 4"):
        load_list_file(folder, "ofac-sdn")
    (folder / "sdn.csv").write_text(
        'x1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', encoding="utf-8"
    )
    with pytest.raises(ListFormatError) as e:
        load_list_file(folder, "ofac-sdn")
    assert (e.value.row, e.value.column) == (1, "ent_num")


def test_dhs_html_bad_date_and_missing_section(tmp_path: Path) -> None:
    html = (FIXTURES / "dhs_uflpa.html").read_text(encoding="utf-8")
    path = _tmp(tmp_path, "p.html", html.replace("June 12, 2024", "12/06/2024x"))
    with pytest.raises(ListFormatError) as e:
        load_list_file(path, "uflpa-dhs-html")
    assert e.value.column == "Effective Date" and e.value.row == 3
    bare = (
        "<table><tr><th>Name of Entity</th><th>Effective Date</th></tr>"
        "<tr><td>A Co.</td><td>June 1, 2024</td></tr></table>"
    )
    with pytest.raises(ListFormatError, match="no '2\\(d\\)\\(2\\)\\(B\\)"):
        load_list_file(_tmp(tmp_path, "q.html", bare), "uflpa-dhs-html")
    headless = (
        "<p>Section 2(d)(2)(B)(i)</p><table><tr><th>Name of Entity</th></tr><tr><td>A</td></tr></table>"
    )
    with pytest.raises(ListFormatError) as e:
        load_list_file(_tmp(tmp_path, "r.html", headless), "uflpa-dhs-html")
    assert e.value.column == "Effective Date" and e.value.row == 1


def test_cbp_missing_column_and_bad_date(tmp_path: Path) -> None:
    text = (FIXTURES / "cbp_wro.csv").read_text(encoding="utf-8")
    with pytest.raises(ListFormatError) as e:
        load_list_file(_tmp(tmp_path, "w.csv", text.replace(",Industry,", ",Sector,", 1)), "cbp-wro-csv")
    assert (e.value.row, e.value.column) == (1, "Industry")
    with pytest.raises(ListFormatError) as e:
        load_list_file(_tmp(tmp_path, "w2.csv", text.replace("06/24/2021", "2021-24-06")), "cbp-wro-csv")
    assert (e.value.row, e.value.column) == (2, "Effective Date")


def test_uflpa_error_is_a_list_format_error() -> None:
    assert issubclass(UflpaListError, ListFormatError) and issubclass(ListFormatError, ValueError)


# --- history -------------------------------------------------------------------------------------------


def test_diff_versions_finds_added_changed_and_removed() -> None:
    _, old = load_uflpa_file()
    [(_, html)] = load_list_file(FIXTURES / "dhs_uflpa.html", "uflpa-dhs-html")
    new = list(old)
    new.remove(next(e for e in old if e.entry_id == "uflpa:ii:camel-group-co-ltd"))
    haolin_i = next(
        i for i, e in enumerate(new) if e.entry_id == "uflpa:i:hetian-haolin-hair-accessories-co-ltd"
    )
    new[haolin_i] = new[haolin_i].model_copy(update={"aliases": ["Hotan Haolin Hair Accessories"]})
    extra = next(e for e in html if e.entry_id.startswith("uflpa:ii:dongguan"))
    new = [e for e in new if e.entry_id != extra.entry_id]
    old_without = [e for e in old if e.entry_id != extra.entry_id]
    new.append(extra)
    diff = diff_versions(old_without, new)
    assert [e.entry_id for e in diff.added] == [extra.entry_id]
    assert [e.entry_id for e in diff.removed] == ["uflpa:ii:camel-group-co-ltd"]
    [changed] = diff.changed
    assert changed.entry_id == "uflpa:i:hetian-haolin-hair-accessories-co-ltd"
    assert set(changed.fields) == {"aliases"}
    assert diff_versions(old, old).is_empty


# --- shipped data --------------------------------------------------------------------------------------


def test_shipped_uflpa_file_has_the_count_its_meta_claims() -> None:
    meta = json.loads(meta_path(DEFAULT_PATH).read_text(encoding="utf-8"))
    version, entries = load_uflpa_file()
    assert version.entry_count == len(entries) == meta["entry_count"]
    assert any("PARTIAL" in n for n in meta["notes"])


def test_shipped_list_excerpts_load_as_their_meta_files_say() -> None:
    loaded = load_shipped()
    names = [v.list_name for v, _ in loaded]
    assert "BIS" in names and names.count("OFAC_SDN") == 2  # one from the CSL excerpt, one from sdn.csv
    for version, entries in loaded:
        assert version.entry_count == len(entries) > 0
        # CSL and OFAC rows are verbatim watchman test data; the CBP table is transcribed from CBP releases.
        expected_source = "cbp.gov" if version.list_name == "CBP_WRO" else "moov-io/watchman"
        assert version.retrieved_on == DAY and expected_source in version.source
