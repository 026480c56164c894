"""Township-level places of the XUAR: the sourced file, its builder, and the location signal they feed.

A record whose address is a town alone (塔哈其镇, "Tahaqi Zhen") should be found; a town elsewhere in China
that shares a name with an XUAR one (红旗镇, 青河镇, 霍城镇) must not be, and the whole sample of township
names read from other provinces is the hard-negative set for that.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest

from app.screening.location import LocationDetector, default_location_detector
from app.screening.model import LocationResult, ScreenRecord
from loaders.gazetteer import (
    TOWNSHIPS_FILE,
    GazetteerError,
    load_gazetteer,
    load_townships,
)
from loaders.township_build import SAMPLE_FILE, build_rows, read_streets, split_name

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "streets_excerpt.csv"


@pytest.fixture(scope="module")
def detector() -> LocationDetector:
    return default_location_detector()


def detect(detector: LocationDetector, **fields: object) -> LocationResult:
    return detector.detect(ScreenRecord.model_validate(fields))


def sample() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(SAMPLE_FILE.read_text(encoding="utf-8"))))


# ----------------------------------------------------------------- the builder, on a verbatim excerpt


def test_builder_keeps_xuar_rows_with_stem_kind_pinyin_and_traditional_form() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    elsewhere = [
        {"code": r["code"], "name": r["name"], "stem": split_name(r["name"]).stem, "province_code": "x"}
        for r in read_streets(text)
        if r["provinceCode"] != "65"
    ]
    rows = {r["code"]: r for r in build_rows(text, elsewhere)}
    assert all(code.startswith("65") for code in rows)
    tahaqi = rows["652828101"]
    assert (tahaqi["stem_zh"], tahaqi["kind"], tahaqi["county_code"]) == ("塔哈其", "town", "652828")
    assert (tahaqi["name_zh_hant"], tahaqi["pinyin"]) == ("塔哈其鎮", "Tahaqi")
    assert tahaqi["ambiguous_in_china"] == "false" and tahaqi["ambiguous_pinyin"] == "false"
    assert rows["652828200"]["stem_zh"] == "乌什塔拉" and rows["652828200"]["kind"] == "ethnic_township"
    assert rows["652302503"]["stem_zh"] == "土墩子" and rows["652302503"]["kind"] == "xpcc_farm"
    # Numbered regiments get no stem: the XPCC rule reads them.
    assert rows["654003508"]["stem_zh"] == "" and rows["659012503"]["kind"] == "xpcc_regiment"
    # 红旗镇 is also in Heilongjiang (the excerpt's other rows) and a generic name: never evidence alone.
    assert rows["652924102"]["ambiguous_in_china"] == "true"
    assert "same name in another province" in rows["652924102"]["ambiguity_reasons"]
    # 青 and 河 are a colour and a river: a description shared by towns everywhere (Heilongjiang has one).
    assert "generic characters" in rows["654325100"]["ambiguity_reasons"]
    assert rows["652324106"]["ambiguous_in_china"] == "false"  # 兰州湾 contains Lanzhou but is its own name
    # Two syllables of pinyin collide everywhere, even when the characters do not.
    assert (
        rows["652828102"]["ambiguous_in_china"] == "false" and rows["652828102"]["ambiguous_pinyin"] == "true"
    )


def test_builder_rejects_a_file_that_is_not_a_streets_export() -> None:
    with pytest.raises(ValueError, match="areaCode"):
        read_streets("code,name\n652828101,塔哈其镇\n")
    with pytest.raises(ValueError, match="row 2"):
        read_streets("code,name,areaCode,provinceCode,cityCode\n6528281,塔哈其镇,652828,65,6528\n")


def test_shipped_file_covers_every_county_of_the_gazetteer_it_names() -> None:
    towns = load_townships()
    codes = [t.code for t in towns]
    assert len(codes) == len(set(codes)) == 1405
    known = set(load_gazetteer().by_code())
    assert {t.county_code for t in towns} - known <= {"652871"}  # Korla's development zone, no gazetteer code


def test_a_malformed_flag_names_file_row_and_column(tmp_path: Path) -> None:
    lines = TOWNSHIPS_FILE.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace(",false,", ",maybe,", 1)
    path = tmp_path / "xuar_townships.csv"
    path.write_text("\n".join([lines[0], bad]) + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"row 2, column ambiguous_in_china"):
        load_townships(path)


# ----------------------------------------------------------------- positives


@pytest.mark.parametrize(
    "address",
    [
        "塔哈其镇",
        "塔哈其鎮",  # traditional
        "塔哈其乡",  # written as a 乡
        "Tahaqi Zhen",
        "TAHAQI TOWN",
        "Tahaqi Township",
        "Tahaqi Xiang",
        "Tǎhāqí Zhèn",
        "Ta Ha Qi Zhen",
        "Yanerwo Jiedao",
        "Yanerwo Subdistrict",
    ],
)
def test_an_unambiguous_township_alone_is_the_xuar(detector: LocationDetector, address: str) -> None:
    result = detect(detector, country="CN", address=address)
    assert result.in_xuar is True, result.signals
    town = next(s for s in result.signals if s.matched[:2] == "65" and len(s.matched.split()[0]) == 9)
    assert town.field == "address" and town.span.strip()


def test_the_signal_names_township_code_and_county_and_is_weaker_than_a_county(
    detector: LocationDetector,
) -> None:
    town = detect(detector, country="CN", address="塔哈其镇")
    county = detect(detector, country="CN", address="和硕县")
    signal = next(s for s in town.signals if s.span == "塔哈其镇")
    assert "652828101" in signal.matched and "Hoxud" in signal.matched
    assert town.confidence < county.confidence


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("Quhui Zhen, Heshuo", None),
        ("曲惠镇", "和硕"),
        ("红旗镇", "沙雅县"),  # an ambiguous name, its own county named
        ("Hongqi Town", "Shaya"),
        ("新疆和硕塔哈其镇", None),
    ],
)
def test_a_township_with_its_county_is_corroborated(
    detector: LocationDetector, address: str, city: str | None
) -> None:
    result = detect(detector, address=address, city=city)
    assert result.in_xuar is True, result.signals
    assert any("names" in s.explanation and "too" in s.explanation for s in result.signals)


def test_a_chinese_place_inside_an_xuar_township_name_is_not_that_place(detector: LocationDetector) -> None:
    for address in ("兰州湾镇", "广东地乡"):  # Manas County, not Lanzhou or Guangdong
        result = detect(detector, country="CN", address=address)
        assert result.in_xuar is True, result.signals
        assert any(s.kind == "trap" for s in result.signals)


# ----------------------------------------------------------------- negatives


@pytest.mark.parametrize("address", ["Tahaqi", "Quhui", "Tahaqi Road"])
def test_bare_pinyin_without_a_suffix_word_does_not_fire(detector: LocationDetector, address: str) -> None:
    result = detect(detector, country="CN", address=address)
    assert result.in_xuar is not True
    assert not any("652828" in s.matched for s in result.signals)


@pytest.mark.parametrize("address", ["红旗镇", "城关镇", "Quhui Zhen", "青河镇", "新源镇"])
def test_an_ambiguous_township_alone_stays_uncertain(detector: LocationDetector, address: str) -> None:
    assert detect(detector, country="CN", address=address).in_xuar == "uncertain"


def test_no_township_name_from_other_provinces_is_screened_as_the_xuar(detector: LocationDetector) -> None:
    rows = sample()
    assert len(rows) > 4000 and len({r["province_code"] for r in rows}) >= 10
    offenders = []
    for row in rows:
        result = detect(detector, country="CN", address=row["name"])
        if result.in_xuar is True:
            why = [(s.span, s.matched, s.weight) for s in result.signals if s.weight > 0]
            offenders.append(f"{row['code']} {row['name']}: {why}")
    assert not offenders, "screened as the XUAR:\n" + "\n".join(offenders)


@pytest.mark.parametrize("address", ["甘肃省红旗镇", "黑龙江省鹤岗市红旗镇", "内蒙古胜利乡", "甘肃省霍城镇"])
def test_a_town_of_the_same_name_in_another_province_is_not_the_xuar(
    detector: LocationDetector, address: str
) -> None:
    assert detect(detector, country="CN", address=address).in_xuar is False


@pytest.mark.parametrize("address", ["乌苏镇", "霍城镇", "察汉乌苏镇"])
def test_an_xuar_county_name_as_a_town_elsewhere_is_not_the_county(
    detector: LocationDetector, address: str
) -> None:
    assert detect(detector, country="CN", address=address).in_xuar is not True
    assert detect(detector, country="CN", address="玛纳斯镇").in_xuar is True  # Manas County's own town


@pytest.mark.parametrize("country", ["KZ", "Kazakhstan", "Mongolia"])
def test_a_foreign_country_is_not_the_xuar(detector: LocationDetector, country: str) -> None:
    assert detect(detector, country=country, address="Tahaqi Zhen").in_xuar is not True
    assert detect(detector, country=country, address="塔哈其镇").in_xuar is not True


def test_township_records_stay_under_a_millisecond(detector: LocationDetector) -> None:
    records = [
        ScreenRecord.model_validate({"country": "CN", "address": f"{row['name']} {i}号"})
        for i, row in enumerate(sample()[:1000])
    ]
    start = time.perf_counter()
    for record in records:
        detector.detect(record)
    assert (time.perf_counter() - start) / len(records) < 0.001


# ----------------------------------------------------------------- suffix forms, roads, bare stems


@pytest.mark.parametrize(
    "address",
    [
        "呼吉尔特蒙古乡",  # published 呼吉尔特蒙古民族乡 (Tekes)
        "呼吉尔特蒙古族乡",
        "石梯子哈萨克族乡",  # published 石梯子哈萨克民族乡 (Fukang)
        "石梯子哈萨克乡",
        "三工河哈萨克民族乡",  # published 三工河哈萨克族乡 (Fukang)
        "石梯子哈薩克族鄉",  # traditional
        "Wulatai Kazakh Ethnic Township",
    ],
)
def test_an_ethnic_township_is_found_whichever_ethnonym_suffix_the_record_uses(
    detector: LocationDetector, address: str
) -> None:
    result = detect(detector, country="CN", address=address)
    assert result.in_xuar is True, result.signals
    assert any(len(s.matched.split()[0]) == 9 for s in result.signals)  # the township itself, not a county


def test_a_one_character_ethnonym_needs_zu() -> None:
    towns = {t.code: t for t in load_townships()}
    forms = LocationDetector._ethnic_forms(towns["652828200"])  # 乌什塔拉回族民族乡
    assert "乌什塔拉回族乡" in forms and "乌什塔拉回乡" not in forms


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("Jinshan Rd Subdistrict, Altay City", None),  # 金山路街道, Altay City (654301001)
        ("Jinshan Road Subdistrict, Altay", None),
        ("Hongqiao St., Aksu", None),  # 红桥街道, Aksu City (652901003)
        ("Sidaohezi, Shawan", None),  # 四道河子镇, Shawan (654203101), no suffix word
        ("Jiliyuzi, Yining County", "CN"),  # 吉里于孜镇, Yining County (654021100)
    ],
)
def test_an_ambiguous_or_bare_township_with_its_own_county_is_the_xuar(
    detector: LocationDetector, address: str, country: str | None
) -> None:
    result = detect(detector, address=address, country=country)
    assert result.in_xuar is True, result.signals
    assert any("names" in s.explanation and "too" in s.explanation for s in result.signals)


@pytest.mark.parametrize(
    "address",
    ["Jinshan Rd Subdistrict", "Hongqiao St.", "Jiliyuzi", "Sidaohezi", "Aksu", "Altay City"],
)
def test_the_same_names_alone_stay_uncertain(detector: LocationDetector, address: str) -> None:
    assert detect(detector, address=address).in_xuar == "uncertain"


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("Hongqiao St., Aksu", "KZ"),  # Aksu in Kazakhstan
        ("Jinshan Rd Subdistrict, Altay", "RU"),  # Altay in Russia
        ("Jiliyuzi Road, Shanghai", "CN"),
    ],
)
def test_a_pair_that_does_not_agree_or_is_abroad_is_not_the_xuar(
    detector: LocationDetector, address: str, country: str | None
) -> None:
    result = detect(detector, address=address, country=country)
    assert result.in_xuar is not True, result.signals
    assert not any(s.weight >= 4 and len(s.matched.split()[0]) == 9 for s in result.signals)


def test_a_bare_stem_with_another_county_is_no_township(detector: LocationDetector) -> None:
    # 四道河子 is Shawan's town; next to Manas it is not corroborated, so it is no evidence at all.
    result = detect(detector, address="Sidaohezi, Manas")
    assert not any("654203101" in s.matched for s in result.signals)


def test_a_county_name_is_not_also_its_own_town_corroborated_by_itself(detector: LocationDetector) -> None:
    """ "Qinghe County" names Qinggil County; the "Qinghe" inside it is the same words, not the town 青河镇
    confirmed by its county (which would make Hebei's Qinghe County, a cashmere cluster, an XUAR site)."""
    hebei = detect(detector, name="Qinghe Cashmere", country="CN", address="Qinghe County, Hebei")
    assert hebei.in_xuar is not True
    assert not any(s.matched.startswith("654325100") for s in hebei.signals)
    # a bare town name beside its county, in words of its own, is still corroborated
    assert detect(detector, address="Sidaohezi, Shawan").in_xuar is True


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("Axier Daur Ethnic Township", "654201202"),  # 阿西尔达斡尔民族乡 (Tacheng)
        ("Axier Dawoerzu Xiang", "654201202"),  # pinyin of the ethnonym, joined to zu
        ("Danangou Uzbek Ethnic Township", "652328206"),
        ("Chahanwusu Mengguzu Xiang", "654026206"),
        ("Shitizi Hasake Minzu Xiang", "652323201"),
        ("Bozidun Kirgiz Township", "652922207"),
    ],
)
def test_every_ethnonym_in_the_township_file_is_read_in_latin_script(
    detector: LocationDetector, address: str, code: str
) -> None:
    # Found under the township's code whatever the ethnonym's form; how much it weighs is the township
    # rule's (Chahanwusu's pinyin is shared elsewhere, so it stays weak alone).
    result = detector.detect(ScreenRecord(address=address, country="CN"))
    assert any(s.matched.startswith(code) and s.weight > 0 for s in result.signals), address
    assert result.in_xuar is not False


def test_the_latin_ethnonyms_come_from_the_township_file() -> None:
    pattern = re.compile(LocationDetector._ethnic_latin(load_townships()))
    for word in ("dawoer", "wuzibieke", "hasake", "keerkezi", "tajike", "menggu", "huizu", "daur", "uzbek"):
        assert pattern.fullmatch(word + " "), word
    # an ethnonym no XUAR township carries (Manchu) is not compiled in, though the English table has it
    assert pattern.fullmatch("manchu ") is None
