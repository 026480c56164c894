"""The XUAR location detector as a reviewer meets it: verdicts, the evidence behind them, and the traps."""

from __future__ import annotations

import time

import pytest

from app.screening.location import LocationDetector, default_location_detector
from app.screening.model import LocationResult, ScreenRecord
from app.screening.uscc import check_character
from evaluation.location_eval import evaluate_location
from loaders.gazetteer import load_context_places, load_gazetteer


@pytest.fixture(scope="module")
def detector() -> LocationDetector:
    return default_location_detector()


def detect(detector: LocationDetector, **fields: object) -> LocationResult:
    return detector.detect(ScreenRecord.model_validate(fields))


def kinds(result: LocationResult) -> set[str]:
    return {s.kind for s in result.signals}


def uscc(division: str) -> str:
    first17 = "91" + division + "MA7812345"
    return first17 + check_character(first17)


def test_chinese_address_without_spaces_names_each_place_with_its_exact_span(
    detector: LocationDetector,
) -> None:
    result = detect(detector, address="新疆维吾尔自治区乌鲁木齐市天山区光明路196号")
    assert result.in_xuar is True
    assert result.confidence > 0.95
    spans = {s.span for s in result.signals if s.kind == "place_name"}
    assert {"新疆维吾尔自治区", "乌鲁木齐市", "天山区"} <= spans
    assert all(s.field == "address" for s in result.signals)
    assert result.gazetteer_version == load_gazetteer().version


@pytest.mark.parametrize(
    "address",
    [
        "SHACHE XIAN INDUSTRIAL PARK",
        "Yarkand County",
        "Ürümqi",
        "URUMCHI",
        "Wūlǔmùqí Shì",
        "KASHI DIQU SHULE XIAN",
    ],
)
def test_romanisations_capitals_and_tone_marks_are_recognised(
    detector: LocationDetector, address: str
) -> None:
    assert detect(detector, address=address, country="CN").in_xuar is True


@pytest.mark.parametrize(
    "region", ["CN-XJ", "CN-65", "新疆", "Xinjiang Uygur Autonomous Region", "XUAR", "650000"]
)
def test_structured_region_alone_decides(detector: LocationDetector, region: str) -> None:
    result = detect(detector, region=region)
    assert result.in_xuar is True
    assert "structured_region" in kinds(result)


def test_postal_code_in_the_83_84_range_is_a_signal_and_others_count_against(
    detector: LocationDetector,
) -> None:
    assert detect(detector, postal_code="830011").in_xuar is True
    assert detect(detector, postal_code="518000", country="CN").in_xuar is False
    # An Indian PIN in the same numeric range is not evidence.
    assert detect(detector, postal_code="831001", country="IN").in_xuar is False


def test_uscc_registration_seat_is_a_weaker_signal_with_historic_and_xpcc_codes(
    detector: LocationDetector,
) -> None:
    for division in ("650100", "652101", "659001", "660800"):  # Urumqi, pre-2015 Turpan, Shihezi, XPCC
        result = detect(detector, registration_id=uscc(division))
        assert result.in_xuar is True, division
        (signal,) = result.signals
        assert signal.kind == "uscc_division" and signal.field == "registration_id"
        assert signal.weight < 4  # weaker than an address: it is the company's seat, not the facility
    assert detect(detector, registration_id=uscc("440300")).in_xuar is not True  # Shenzhen


def test_coordinates_inside_and_outside_the_boundary(detector: LocationDetector) -> None:
    assert detect(detector, latitude=39.47, longitude=75.99).in_xuar is True  # Kashgar
    assert detect(detector, latitude=36.40, longitude=94.90).in_xuar is False  # Golmud, Qinghai
    assert detect(detector, latitude=43.24, longitude=76.95).in_xuar is False  # Almaty


def test_division_code_in_text(detector: LocationDetector) -> None:
    result = detect(detector, address="行政区划代码 652923")  # Kuqa County's code before 2019
    assert result.in_xuar is True
    assert "division_code" in kinds(result)


@pytest.mark.parametrize(
    "address",
    [
        "上海市黄浦区新疆路100号",
        "上海市徐汇区乌鲁木齐中路200号",
        "No. 88 Xinjiang Road, Shibei District, Qingdao, Shandong",
        "天津市和平区哈密道",
        "Urumqi Middle Road, Xuhui District, Shanghai",
    ],
)
def test_a_street_named_after_an_xuar_place_in_another_city_is_not_the_xuar(
    detector: LocationDetector, address: str
) -> None:
    result = detect(detector, address=address, country="CN")
    assert result.in_xuar is False
    assert "trap" in kinds(result)


def test_a_street_named_after_another_city_inside_the_xuar_does_not_count_against(
    detector: LocationDetector,
) -> None:
    result = detect(detector, address="新疆昌吉市北京南路52号")
    assert result.in_xuar is True
    assert all(s.weight >= 0 for s in result.signals)


def test_homonyms_abroad_follow_the_country(detector: LocationDetector) -> None:
    assert detect(detector, city="Aksu", country="KZ").in_xuar is False
    assert detect(detector, city="Altay", country="RU").in_xuar is False
    assert detect(detector, address="Aksu, Pavlodar Region, Kazakhstan").in_xuar is False
    assert detect(detector, city="Aksu", country="CN").in_xuar is True
    assert detect(detector, city="Aksu").in_xuar == "uncertain"  # no country: weak


def test_names_that_are_also_other_chinese_places_need_corroboration(detector: LocationDetector) -> None:
    assert detect(detector, address="Yiwu International Trade City, Jinhua, Zhejiang").in_xuar is False
    assert detect(detector, address="河北省邢台市清河县").in_xuar is False
    assert detect(detector, address="Qinghe", country="CN").in_xuar == "uncertain"
    assert detect(detector, address="阿克苏诺贝尔涂料（嘉兴）有限公司 浙江省嘉兴市").in_xuar is False


def test_conflicting_strong_evidence_is_uncertain(detector: LocationDetector) -> None:
    result = detect(detector, address="Urumqi", latitude=43.24, longitude=76.95)  # Urumqi text, Almaty point
    assert result.in_xuar == "uncertain"
    assert result.confidence == 0.5


def test_no_location_evidence_is_uncertain_not_false(detector: LocationDetector) -> None:
    assert detect(detector, name="ACME Trading").in_xuar == "uncertain"


def test_detector_accepts_a_custom_gazetteer_without_boundary() -> None:
    det = LocationDetector(load_gazetteer(), None, load_context_places())
    assert det.detect(ScreenRecord(latitude=43.8, longitude=87.6)).in_xuar == "uncertain"


def test_fast_enough_per_record(detector: LocationDetector) -> None:
    record = ScreenRecord(
        name="XINJIANG ZHONGTAI CHEMICAL CO LTD",
        address="NO 39 YANGCHENGHU RD, URUMQI ETDZ",
        country="CN",
        postal_code="830026",
        registration_id=uscc("650100"),
    )
    detector.detect(record)
    start = time.perf_counter()
    for _ in range(200):
        detector.detect(record)
    assert (time.perf_counter() - start) / 200 < 0.001


def test_evaluation_floors() -> None:
    ours, baseline = evaluate_location()
    assert ours.overall.n >= 350
    assert ours.overall.precision >= 0.99, ours.errors
    assert ours.overall.recall >= 0.98, ours.errors
    assert len(ours.per_category) >= 8
    assert ours.overall.f1 > baseline.overall.f1
