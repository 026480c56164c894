"""Name normalisation: what a reviewer would call "the same name" normalises the same."""

from __future__ import annotations

from app.screening.names import TokenKind, fold, latin_tokens, normalise, other_pinyin_name, token_kind


def test_abbreviations_and_legal_forms_fold() -> None:
    erp = normalise("HOSHINE SILICON IND (SHANSHAN) CO LTD")
    listed = normalise("Hoshine Silicon Industry (Shanshan) Co., Ltd")
    assert erp.tokens == listed.tokens == ("hoshine", "silicon", "industry")
    assert erp.qualifiers == listed.qualifiers == ("shanshan",)
    assert "company" in erp.legal and "limited" in erp.legal


def test_full_width_and_case_fold() -> None:
    assert normalise("ＸＩＮＪＩＡＮＧ　ＤＡＱＯ").tokens == normalise("Xinjiang Daqo").tokens


def test_group_is_a_legal_form_not_identity() -> None:
    assert normalise("Camel (Group) Co., Ltd.").tokens == normalise("Camel Group Co Ltd").tokens == ("camel",)


def test_generic_words_are_kept_but_marked() -> None:
    norm = normalise("Xinjiang Cotton Trading Co")
    assert norm.tokens == ("xinjiang", "cotton", "trading")
    assert token_kind("trading") is TokenKind.GENERIC
    assert token_kind("xinjiang") is TokenKind.PROVINCE
    assert token_kind("hoshine") is TokenKind.DISTINCTIVE


def test_traditional_chinese_folds_to_simplified() -> None:
    assert normalise("新疆生產建設兵團").han == normalise("新疆生产建设兵团").han == "新疆生产建设兵团"


def test_chinese_legal_forms_removed_and_bracket_is_a_qualifier() -> None:
    norm = normalise("合盛硅业(鄯善)有限公司")
    assert norm.han == "合盛硅业"
    assert norm.qualifiers == ("shanshan",)


def test_pinyin_bridge_translates_generic_words_and_romanises_the_rest() -> None:
    assert normalise("新疆中泰化学股份有限公司").bridge == ("xinjiang", "zhongtai", "chemical")


def test_romanised_pinyin_generic_words_translate() -> None:
    assert normalise("Xinjiang Zhongtai Huaxue Gufen Youxian Gongsi").tokens == (
        "xinjiang",
        "zhongtai",
        "chemical",
    )


def test_place_spellings_fold() -> None:
    assert normalise("Hetian Haolin").tokens == normalise("Hotan Haolin").tokens


def test_one_letter_slip_in_a_known_word_is_corrected_but_trade_names_are_not() -> None:
    assert normalise("Xinjaing Daqo Gruop").tokens == ("xinjiang", "daqo")
    assert normalise("Tanyuan Technology").tokens == ("tanyuan", "technology")  # not "Taiyuan"


def test_another_pinyin_name_is_not_a_typo() -> None:
    assert other_pinyin_name("zhongtai", "zhongtian")
    assert not other_pinyin_name("chenguang", "chenugang")


def test_ascii_needs_no_unicode_folding() -> None:
    # `fold` returns ASCII text lower-cased without NFKC/NFD: that is only right if they leave it alone
    import unicodedata

    ascii_chars = "".join(chr(c) for c in range(128))
    assert unicodedata.normalize("NFKC", ascii_chars) == ascii_chars
    assert unicodedata.normalize("NFD", ascii_chars) == ascii_chars
    assert fold("HOSHINE Silicon IND (Shanshan) Co., Ltd") == "hoshine silicon ind (shanshan) co., ltd"


def test_bridge_tables_by_first_character_keep_the_order() -> None:
    # the bridge takes the first word that matches; grouping by first character must not reorder
    from app.screening import names

    longest_first = sorted(names.HAN_GENERIC, key=len, reverse=True)
    for grouped, words in (
        (names._PLACES_AT, list(names.HAN_PLACES)),
        (names._GENERIC_AT, longest_first),
        (names._EXONYMS_AT, list(names.HAN_EXONYMS)),
    ):
        assert sorted(w for ws in grouped.values() for w in ws) == sorted(words)
        for first, ws in grouped.items():
            assert list(ws) == [w for w in words if w[0] == first]


def test_cached_tokenising_hands_out_fresh_lists() -> None:
    first = latin_tokens("hoshine silicon ind")
    first.append("mutated")
    assert latin_tokens("hoshine silicon ind") == ["hoshine", "silicon", "industry"]
