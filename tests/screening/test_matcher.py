"""The entity matcher as a reviewer sees it: which entry, which decision, and why."""

from __future__ import annotations

from datetime import date

import pytest

from app.screening import matcher as matcher_mod
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


# -- the speed-ups change no result ------------------------------------------------------------------------
# The matcher skips candidates that cannot reach `possible_match` (`_hopeless`, from `_name_bound`) and
# compares only token pairs that can be similar (`_best_sims`). These tests check the invariants that
# makes that safe, on the evaluation sets' queries and near-miss synthetic names, against the slow paths.


@pytest.fixture(scope="module")
def eval_setup() -> tuple[EntityMatcher, list[ScreenRecord]]:
    import random

    from evaluation.holdout_run import NAME_PAIRS as HOLDOUT_PAIRS
    from evaluation.names_eval import eval_lists, load_pairs
    from evaluation.run import _synthetic_name

    tuning, holdout = load_pairs(), load_pairs(HOLDOUT_PAIRS)
    rng = random.Random(7)
    padding = [
        ListEntry(entry_id=f"syn:{i}", list_name="SYNTHETIC", name=_synthetic_name(rng)) for i in range(1500)
    ]
    lists = [load_uflpa_file(), *eval_lists(tuning), *eval_lists(holdout), (_version("SYNTHETIC"), padding)]
    # synthetic queries share places, trade words and syllables with the padding: many near misses
    near_misses = [ScreenRecord(name=_synthetic_name(rng), country="CN") for _ in range(300)]
    records = [p.record for p in (*tuning, *holdout)] + near_misses
    return EntityMatcher(lists), records


def test_pruning_drops_no_result(eval_setup: tuple[EntityMatcher, list[ScreenRecord]]) -> None:
    m, records = eval_setup
    before = m.scored
    pruned = [[r.model_dump() for r in m.match(rec, limit=50)] for rec in records]
    scored_pruned = m.scored - before
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matcher_mod, "_PRUNE_HOPELESS", False)
        before = m.scored
        full = [[r.model_dump() for r in m.match(rec, limit=50)] for rec in records]
        scored_full = m.scored - before
    assert pruned == full
    assert scored_pruned < scored_full / 2  # and it does prune


def test_a_location_bonus_over_the_possible_threshold_survives_pruning(matcher: EntityMatcher) -> None:
    # a name scoring under the possible threshold, lifted to it by a location confirming the entry's city:
    # a review case that exists only through that bonus must survive the pruning
    eid = "uflpa:i:hoshine-silicon-industry-shanshan-co-ltd"
    for record in (
        ScreenRecord(name="Silicon Trading", city="Shanshan"),
        ScreenRecord(name="Industry", city="Shanshan"),
    ):
        found = {m.entry_id: m for m in matcher.match(record, limit=50)}
        assert eid in found and found[eid].decision is Decision.POSSIBLE_MATCH
        name_score = next(f.score for f in found[eid].explanation if f.feature == "name")
        assert name_score < 0.6 and any(f.feature == "location_qualifier" for f in found[eid].explanation)


def test_a_pruned_candidate_scores_under_possible_match(
    eval_setup: tuple[EntityMatcher, list[ScreenRecord]],
) -> None:
    from app.screening.matcher import POSSIBLE_THRESHOLD, QUALIFIER_SUPPORT
    from app.screening.uscc import normalise_uscc, parse_uscc

    m, records = eval_setup
    reachable = POSSIBLE_THRESHOLD - QUALIFIER_SUPPORT - 1e-9
    pruned = 0
    for rec in records:
        names = m._record_names(rec)
        places = m._record_places(rec)
        uscc = parse_uscc(rec.registration_id)
        other = normalise_uscc(rec.registration_id) if rec.registration_id and uscc is None else None
        keys = ["id:" + uscc.code] if uscc else (["id:" + other] if other else [])
        profiles = [m._profile(n) for n in names]
        for idx in m._candidates(names, keys):
            p = m._entries[idx]
            for q in profiles:
                for e in p.profiles:
                    exact = m._compare_names(q.name, e.name, frozenset(places)).score
                    for level in (0.0, reachable):
                        assert m._name_bound(q, e, frozenset(places), level) >= exact - 1e-9
            if m._hopeless(p, profiles, frozenset(places), uscc.code if uscc else None, other):
                pruned += 1
                best = m._best_name(p, names, frozenset(places))
                code = uscc.code if uscc else None
                score, _, _ = m._score(p, best, places, None, code, bool(uscc and uscc.valid), other)
                assert score < POSSIBLE_THRESHOLD
    assert pruned > 0


def test_only_eligible_token_pairs_can_be_similar(
    eval_setup: tuple[EntityMatcher, list[ScreenRecord]],
) -> None:
    from app.screening.matcher import _fuzzy_eligible

    m, records = eval_setup
    names = [n for rec in records[:400] for n in m._record_names(rec)]
    names += [n for p in m._entries[:400] for n in p.names]
    vocab = sorted({t for n in names for t in n.compared})
    pinyin = frozenset(t for n in names for t in n.norm.bridge_pinyin)
    for a in vocab:
        for b in vocab:
            if a != b and m._token_sim(a, b, pinyin) > 0:
                assert _fuzzy_eligible(a) and _fuzzy_eligible(b) and a[0] == b[0], (a, b)
    for q, e in zip(names, reversed(names), strict=True):
        py = q.norm.bridge_pinyin | e.norm.bridge_pinyin
        brute = [max(m._token_sim(t, u, py) for u in e.compared) for t in q.compared]
        assert m._best_sims(q.compared, e.compared, py) == brute
