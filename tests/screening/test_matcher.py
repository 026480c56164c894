"""The entity matcher as a reviewer sees it: which entry, which decision, and why."""

from __future__ import annotations

from datetime import date

import pytest

from app.screening.matcher import EntityMatcher, match_company
from app.screening.model import Decision, Match, ScreenRecord
from app.screening.uscc import check_character
from evaluation.names_eval import OURS, evaluate_ours
from graph_schema import Company, ListEntry, ListVersion
from loaders.uflpa import load_uflpa_file

_BASE = "91650000MA775TCR9"
VALID_USCC = _BASE + check_character(_BASE)
BAD_USCC = _BASE + ("0" if check_character(_BASE) != "0" else "1")


def _version(name: str) -> ListVersion:
    return ListVersion(
        version_id=f"{name}:test",
        list_name=name,
        source="test",
        retrieved_on=date(2026, 1, 1),
        sha256="0" * 64,
        entry_count=0,
    )


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    bis = [
        ListEntry(
            entry_id="bis:registered",
            list_name="BIS",
            name="Urumqi Example Registered Co., Ltd.",
            countries=["CN"],
            identifiers=[f"USCC:{VALID_USCC}"],
        ),
        ListEntry(
            entry_id="bis:hikvision",
            list_name="BIS",
            name="Hangzhou Hikvision Digital Technology Co., Ltd.",
            aliases=["Hikvision"],
            countries=["CN"],
        ),
    ]
    return EntityMatcher([load_uflpa_file(), (_version("BIS"), bis)])


def _top(matcher: EntityMatcher, **fields: object) -> Match | None:
    results = matcher.match(ScreenRecord(**fields), include_no_match=True)  # type: ignore[arg-type]
    return results[0] if results else None


def _decision_for(matcher: EntityMatcher, entry_id: str, **fields: object) -> Decision:
    for m in matcher.match(ScreenRecord(**fields), limit=50, include_no_match=True):  # type: ignore[arg-type]
        if m.entry_id == entry_id:
            return m.decision
    return Decision.NO_MATCH


def test_erp_abbreviations_match(matcher: EntityMatcher) -> None:
    top = _top(matcher, name="HOSHINE SILICON IND (SHANSHAN) CO LTD")
    assert top is not None and top.entry_id == "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"
    assert top.decision is Decision.MATCH
    assert top.list_name == "UFLPA" and top.list_version.startswith("UFLPA:")
    assert top.model_dump()["list"] == "UFLPA"


def test_chinese_name_meets_pinyin_list_name(matcher: EntityMatcher) -> None:
    top = _top(matcher, name="新疆中泰化学股份有限公司")
    assert top is not None and top.entry_id == "uflpa:ii:xinjiang-zhongtai-chemical-co-ltd"
    assert top.decision is Decision.MATCH
    assert top.explanation[0].feature == "pinyin_bridge"


def test_chinese_brand_bridge_daqo(matcher: EntityMatcher) -> None:
    assert (
        _decision_for(matcher, "uflpa:i:xinjiang-daqo-new-energy-co-ltd", name="新疆大全新能源股份有限公司")
        is Decision.MATCH
    )


def test_traditional_chinese_matches(matcher: EntityMatcher) -> None:
    top = _top(matcher, name_local="新疆生產建設兵團")
    assert top is not None and top.entry_id == "uflpa:i:xinjiang-production-and-construction-corps"
    assert top.decision is Decision.MATCH


def test_sibling_subsidiary_in_another_city_is_not_a_match(matcher: EntityMatcher) -> None:
    d = _decision_for(
        matcher,
        "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd",
        name="Hoshine Silicon Industry (Luzhou) Co., Ltd.",
    )
    assert d is not Decision.MATCH
    m = matcher.match(
        ScreenRecord(name="Hoshine Silicon Industry (Luzhou) Co., Ltd."), limit=50, include_no_match=True
    )
    shanshan = next(r for r in m if r.entry_id == "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd")
    features = {f.feature for f in shanshan.explanation}
    assert "location_qualifier" in features
    assert (
        _decision_for(
            matcher,
            "uflpa:ii:western-gold-hami-gold-mine-co-ltd",
            name="Western Gold Karamay Hatu Gold Mine Co Ltd",
        )
        is not Decision.MATCH
    )


def test_missing_subsidiary_city_needs_review_but_an_address_confirms_it(matcher: EntityMatcher) -> None:
    eid = "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"
    assert _decision_for(matcher, eid, name="Hoshine Silicon Industry Co Ltd") is Decision.POSSIBLE_MATCH
    assert (
        _decision_for(matcher, eid, name="Hoshine Silicon Industry Co Ltd", city="Shanshan") is Decision.MATCH
    )


def test_generic_only_overlap_is_no_match(matcher: EntityMatcher) -> None:
    assert matcher.match(ScreenRecord(name="Xinjiang Trading Co")) == []
    assert (
        _decision_for(matcher, "uflpa:i:xinjiang-daqo-new-energy-co-ltd", name="Xinjiang New Energy Co Ltd")
        is Decision.NO_MATCH
    )


def test_conflicting_country_caps_at_review(matcher: EntityMatcher) -> None:
    assert _decision_for(
        matcher, "bis:hikvision", name="Hangzhou Hikvision Digital Technology Co Ltd", country="US"
    ) is (Decision.POSSIBLE_MATCH)
    assert (
        _decision_for(matcher, "bis:hikvision", name="Hangzhou Hikvision Digital Technology Co Ltd")
        is Decision.MATCH
    )


def test_valid_identifier_is_decisive(matcher: EntityMatcher) -> None:
    top = _top(matcher, name="Totally Renamed Trading Co", registration_id=VALID_USCC)
    assert top is not None and top.entry_id == "bis:registered" and top.decision is Decision.MATCH
    assert any(f.feature == "identifier" and f.score > 0 for f in top.explanation)


def test_bad_checksum_is_a_warning_not_evidence(matcher: EntityMatcher) -> None:
    top = _top(matcher, name="Urumqi Example Registered Co Ltd", registration_id=BAD_USCC)
    assert top is not None and top.entry_id == "bis:registered"
    warnings = [f for f in top.explanation if f.feature == "identifier_warning"]
    assert warnings and "check character" in warnings[0].detail
    assert not any(f.feature == "identifier" for f in top.explanation)


def test_candidates_come_from_the_index(matcher: EntityMatcher) -> None:
    before = matcher.scored
    matcher.match(ScreenRecord(name="Hikvision"))
    assert 0 < matcher.scored - before < matcher.entry_count / 3


def test_company_of_an_owner_chain_is_screened() -> None:
    m = EntityMatcher([load_uflpa_file()])
    company = Company(company_id="c1", name="XINJIANG ZHONGHE CO LTD", country="CN")
    results = match_company(m, company)
    assert results and results[0].entry_id == "uflpa:ii:xinjiang-zhonghe-co-ltd"


def test_name_evaluation_meets_its_targets() -> None:
    scores = evaluate_ours()
    assert scores.method == OURS
    assert scores.overall.precision >= 0.97
    assert scores.overall.recall >= 0.97
