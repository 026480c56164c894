"""Is this supplier or facility in the XUAR? Evidence-weighted, from however little the record says.

Records arrive messy: ERP exports in capitals, Chinese without spaces, a pinyin city and nothing else, a
bare registration number. The detector reads every field for *signals* — structured region, place names
from the gazetteer, division codes, the USCC's registration seat, postal codes, coordinates, the country —
and adds their log-odds weights. Each signal names its field and the exact text span, so a reviewer can
see why. Traps are modelled explicitly rather than left to luck:

- a street named after an XUAR place (新疆路, Xinjiang Road, 乌鲁木齐中路 in Shanghai) is not the XUAR;
  naming the other city or province is counter-evidence;
- names shared with places abroad (Aksu, Altay, Khorgos) count only when the country is China, and names
  that are also common words or other Chinese places (天山, 温泉, Yiwu) count only weakly;
- a USCC says where the company registered, which is weaker evidence about one of its facilities;
- a place word after an XUAR city in a Chinese address names something inside it (和田市北京工业园区 is a
  park in Hotan, not Beijing), and a weak name is corroborated by its own prefecture or county (Jinghe
  Xian, Bozhou);
- the same place named again (a company name repeating its city) is one piece of evidence, not two, so a
  foreign country outweighs a bare city name (Kashi, India);
- XPCC units (第八师一二一团, 农七师, "150 Tuan", "8th Division 121st Regiment") are all in the XUAR;
- a town or township (塔哈其镇, "Tahaqi Zhen") names its county's place, but many township names repeat
  across China (红旗镇, 城关镇, 新华街道): an ambiguous one alone is weak, its county named too is strong;
- a structured region or city field one letter off a region or prefecture name (Xingjiang, Urumuqi), or the
  pinyin initials of one (WLMQ), is a weaker signal; free text gets no such leniency.

Site coordinates inside the XUAR outweigh a place elsewhere named in the text (often the head office), unless
more than two strong text signals say otherwise; other conflicting strong evidence (an Urumqi address with
Kazakh coordinates) yields "uncertain", not a guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from app.screening.model import LocationResult, LocationSignal, ScreenRecord
from app.screening.uscc import parse_uscc
from loaders.gazetteer import (
    Boundary,
    ContextPlace,
    Gazetteer,
    Place,
    Township,
    default_boundary,
    load_context_places,
    load_gazetteer,
    load_townships,
)
from loaders.iso3166 import COUNTRIES

# Weights (log-odds). The decision threshold is +/-2: one strong signal decides, one weak one does not.
W_REGION = 5.0
W_REGION_OTHER = -5.0
W_CITY = 4.0
W_ADDRESS = 4.0
W_WEAK = 1.0
W_WEAK_COUNTY = 2.0  # a weak name followed by "County"/"Xian": a county of that name (few homographs are)
W_ABROAD_NO_COUNTRY = 1.0
W_NAME = 2.5
W_OTHER_ADDRESS = -4.0
W_OTHER_NAME = -1.5
W_TRAP = -1.0
W_COUNTRY_CN = 0.5
W_COUNTRY_OTHER = -6.0
W_COUNTRY_TEXT_OTHER = -5.0
W_POSTAL = 3.0
W_POSTAL_UNKNOWN_COUNTRY = 2.5
W_POSTAL_OTHER = -3.0
W_POSTAL_TEXT = 2.0
W_DIVISION_CODE = 3.5
W_USCC = 2.5
W_USCC_BAD_CHECK = 1.5
W_USCC_XPCC = 2.2
W_USCC_OTHER = -1.5
W_COORD = 6.0
W_COORD_EDGE = 2.0
W_CORROBORATED = 4.0  # a weak name whose prefecture (or county) is named too: 精河 + 博州
W_FUZZY = 2.5  # one letter off a region/prefecture name, or its pinyin initials, in a structured field
W_XPCC = 4.0  # an XPCC unit spelled out: division + regiment, 农七师, XPCC + a unit
W_XPCC_PART = 3.0  # one unit alone: 第七师, 一四三团, "150 Tuan", or "XPCC" / "Bingtuan" with no unit
W_TOWNSHIP = 3.0  # an unambiguous township with its suffix: decides alone, less surely than a county
W_TOWNSHIP_WEAK = 1.0  # an ambiguous one (红旗镇, "Quhui Zhen"), or one inside a longer Chinese word
W_TOWNSHIP_CORROBORATED = 4.0  # a township whose own county or prefecture the record names too
THRESHOLD = 2.0
CONFLICT = 3.0
COORD_OVERRIDE = 8.0  # coordinates inside the XUAR outweigh opposing text evidence up to this much
EDGE_DEG = 0.05  # display-grade boundary: within ~5 km of the line, coordinates are weaker evidence

_CN_NAMES = {
    "cn",
    "chn",
    "china",
    "prc",
    "p r china",
    "pr china",
    "p r c",
    "peoples republic of china",
    "the peoples republic of china",
    "people s republic of china",
    "mainland china",
    "china mainland",
    "中国",
    "中华人民共和国",
    "中國",
    "中華人民共和國",
}
# Country names that show up in addresses (Latin folded, and Chinese); curated, not every ISO name,
# because "Georgia", "Jordan" or "Chad" are also streets and people.
_TEXT_COUNTRIES = {
    "kazakhstan": "KZ",
    "qazaqstan": "KZ",
    "kyrgyzstan": "KG",
    "kyrgyz republic": "KG",
    "russia": "RU",
    "russian federation": "RU",
    "mongolia": "MN",
    "turkey": "TR",
    "turkiye": "TR",
    "uzbekistan": "UZ",
    "tajikistan": "TJ",
    "turkmenistan": "TM",
    "pakistan": "PK",
    "india": "IN",
    "afghanistan": "AF",
    "japan": "JP",
    "vietnam": "VN",
    "viet nam": "VN",
    "bangladesh": "BD",
    "united states": "US",
    "usa": "US",
    "germany": "DE",
    "azerbaijan": "AZ",
    "iran": "IR",
    "哈萨克斯坦": "KZ",
    "吉尔吉斯斯坦": "KG",
    "俄罗斯": "RU",
    "蒙古国": "MN",
    "土耳其": "TR",
    "乌兹别克斯坦": "UZ",
    "塔吉克斯坦": "TJ",
    "巴基斯坦": "PK",
    "印度": "IN",
    "日本": "JP",
    "越南": "VN",
    "china": "CN",
    "p r china": "CN",
    "pr china": "CN",
    "peoples republic of china": "CN",
    "people s republic of china": "CN",
    "中国": "CN",
    "中华人民共和国": "CN",
}
# ISO 3166-2 style region codes; a prefecture suffix after CN-XJ / CN-65 (CN-XJ-32, CN-65-01) does not change
# the region, whatever it numbers, and one after another province's code (CN-XZ-01) does not make it the XUAR.
_ISO_XJ = re.compile(r"^(?:cn[\s\-_]*)?(?:xj|65|650000)$|^cn[\s\-_]*(?:xj|65)[\s\-_]+[a-z0-9]{1,4}$")
_ISO_OTHER = re.compile(r"^cn[\s\-_]*(?:[a-z]{2}|\d{2})(?:[\s\-_]+[a-z0-9]{1,4})?$")
# Compounds in which an XUAR name is not a place (AkzoNobel, Hami melon, "warehouse workshop", "located at").
_EXCLUSIONS = ("阿克苏诺贝尔", "哈密瓜", "仓库车", "位于田", "hami melon", "akzo nobel")
_CJK_STREET = re.compile(r"[东西南北中一二三四五六七八九十]{0,2}(?:路|街|大街|大道|道|巷|胡同|弄)")
_LATIN_STREET = re.compile(
    r" ?(?:(?:north|south|east|west|middle|central|nan|bei|dong|xi|zhong|n|s|e|w|1st|2nd|3rd) )?"
    r"(?:road|rd|street|str|st|avenue|ave|(?:nan|bei|dong|xi|zhong)?(?:lu|jie|dajie)|dadao|lane|alley|boulevard|blvd)"
    r"(?![a-z0-9])"
)
# Letters a non-CJK name must not touch on either side (Latin, Cyrillic, Arabic script, digits).
_WORD_CHARS = "a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0600-\u06ff"
# County words after a Latin-script name, as folded: Xian / County, the Uyghur "Nahiyisi" (ناھىيىسى, also
# Cyrillic "Наһийиси"), the Kazakh "Awdanı" / "aýdany" / "ауданы", the Kyrgyz "oodanı" and the Russian "уезд".
_COUNTY_WORDS = ("xian", "county", "nahiyisi", "awdani", "aydany", "oodani", "ауданы", "наһийиси", "уезд")
_LATIN_COUNTY = re.compile(rf" (?:{'|'.join(_COUNTY_WORDS)})(?![{_WORD_CHARS}])")
# Latin words that are administrative suffixes after a place name ("Shule Xian" is Shule County, not Xi'an).
_SUFFIX_WORDS = frozenset({"xian"})
# A suffix word also follows a county name the gazetteer lacks ("Yingnaxiehaier Xian", an old name of Shule):
# a word right before it, with no comma between, that is not itself an address word ("Yanta Dist Xian").
_NAME_BEFORE = re.compile(r"([^\W\d_]{3,}) +$")
_ADDRESS_WORDS = frozenset(
    {"district", "dist", "qu", "road", "rd", "street", "st", "avenue", "ave", "lu", "jie", "city", "shi",
     "province", "prov", "sheng", "zone", "park", "area", "county", "town", "zhen", "village", "cun",
     "building", "floor", "room", "no", "and", "the", "of", "in", "near", "china", "prc"}
)  # fmt: skip
_ADMIN_SUFFIXES = ("市", "县", "區", "区", "州", "地区", "縣")
# Characters that end or start an administrative unit in a Chinese address: a place name next to one stands
# at a boundary, not inside another word.
_UNIT_CHARS = frozenset("省市县縣区區州盟镇鎮乡鄉村旗国國")
# Township suffixes: Chinese keys are the published name and the stem with each suffix records use (a 乡
# becomes a 镇 between two code lists); a pinyin stem counts only followed by one of the Latin suffix words.
_TOWNSHIP_ZH = ("镇", "乡", "街道", "鎮", "鄉")
_FARM_ZH = ("农场", "牧场", "总场", "農場", "牧場", "總場")
_TOWNSHIP_LATIN = r"(?:zhen|town|township|xiang|jiedao|sub ?district|nongchang|farm|muchang|ranch)"
# An ethnic township's ethnonym between its name and the suffix word ("Wulatai Kazakh Ethnic Township",
# "Chahanwusu Mongol Township", "Chahanwusu Mengguzu Xiang"): every ethnonym the township file's 民族乡 / 族乡
# names carry, in its pinyin (derived from the data at start-up) and in the English names below, optional.
# English names per Chinese ethnonym; one the data does not use is never compiled in.
_ETHNONYM_EN = {
    "哈萨克": ("kazakh", "kazak"),
    "蒙古": ("mongol", "mongolian"),
    "回": ("hui",),
    "柯尔克孜": ("kyrgyz", "kirghiz", "kirgiz"),
    "塔吉克": ("tajik",),
    "乌孜别克": ("uzbek",),
    "锡伯": ("xibe", "xibo", "sibe"),
    "达斡尔": ("daur", "dagur"),
    "俄罗斯": ("russian",),
    "满": ("manchu",),
}
# 民族乡 / 族乡 names: the ethnonym between a township's own name and its suffix, written by records with or
# without 族 / 民族 (察汗乌苏蒙古族乡, 察汗乌苏蒙古乡, 察汗乌苏蒙古民族乡). One-character ethnonyms (回) count
# only with 族: 回乡 is a word.
_ETHNIC_MIDDLE = re.compile(r"^(.+?)(?:民族|族)?$")
_ETHNIC_SUFFIXES = ("民族乡", "族乡", "乡", "民族鄉", "族鄉", "鄉", "镇", "鎮")
# A subdistrict named after its road (金山路街道) written in English: "Jinshan Rd", "Jinshan Road"; and
# 街道 translated as "Street" ("Hongqiao St."), which is also what a road is called: such a form is never
# more than weak alone.
_ROAD_LATIN = {"路": ("lu", "rd", "road"), "街": ("jie", "st", "street")}
_STREET_LATIN = r"(?:street|st)"
_SETTLEMENT_KINDS = frozenset({"town", "township", "ethnic_township", "subdistrict", "xpcc_town"})
_POSTAL_TEXT = re.compile(r"(?<!\d)(8[34]\d{4})(?!\d)")
_CODE_TEXT = re.compile(r"(?<![\d])(6[56]\d{4})(?!\d)")


def _after_a_name(before: str) -> bool:
    """Whether the text before a suffix word ends in a name ("Yingnaxiehaier " before "Xian"), not in an
    address word or a comma."""
    m = _NAME_BEFORE.search(before)
    return m is not None and not _is_cjk(m.group(1)) and m.group(1).lower() not in _ADDRESS_WORDS


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


# Arabic-script letters written two ways in Uyghur text (Farsi yeh and keheh for Uyghur i and k); tatweel and
# zero-width joiners are presentation only.
_ARABIC_FOLD = {"\u06cc": "\u0649", "\u06a9": "\u0643", "\u0640": "", "\u200c": "", "\u200d": ""}
_WORD = _WORD_CHARS


# Letters of the Uyghur New Script (Yengi Yeziq, 1965-1982: Pəyziwat, Dɵrbiljin Naⱨiyisi) written as the ULY
# letter for the same sound (Peyziwat, Dörbiljin Nahiyisi), and the dotless i of the Turkish and Kazakh Latin
# alphabets; none of them decomposes under NFD, so without this they never meet the gazetteer's spelling.
# Sources: the UYY letter table (https://search.com.vn/wiki/en/Uyghur_New_script) and UYY beside ULY in one
# infobox (https://friendlywiki.com/article/index.php?title=Emin_County: uyy Dɵrbiljin Naⱨiyisi, uly Dörbiljin
# Nahiyisi).
_LATIN_FOLD = {
    "ə": "e",
    "Ə": "e",
    "ɵ": "ö",
    "Ɵ": "ö",
    "ⱨ": "h",
    "Ⱨ": "h",
    "ⱪ": "q",
    "Ⱪ": "q",
    "ƣ": "gh",
    "Ƣ": "gh",
    "ı": "i",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    ch = _ARABIC_FOLD.get(ch, ch)
    if not ch:
        return ""
    ch = _LATIN_FOLD.get(ch, ch)
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(c for c in unicodedata.normalize("NFD", out) if not unicodedata.combining(c)).casefold()
    result = []
    for c in out:
        if c in "'’`ʼ‘":
            continue
        if (c.isalnum() and not unicodedata.category(c).startswith("M")) or "\u3400" <= c <= "\u9fff":
            result.append(c)
        else:
            result.append(" ")
    return "".join(result)


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold text for matching and keep, for each folded character, the index of its source character.

    Folding: NFKC (full-width, compatibility forms), diacritics and tone marks removed, case-folded,
    apostrophes dropped, any other punctuation a single space. The index map lets a signal quote the
    exact original span.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            if c == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def fold_key(text: str) -> str:
    """The folded form of a name, as `normalise` would produce it."""
    return normalise(text)[0].strip()


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable pypinyin knows (about 410)."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PINYIN_DICT

    chars = "".join(chr(c) for c in PINYIN_DICT if 0x4E00 <= c <= 0x9FFF)
    return frozenset(x for x in lazy_pinyin(chars) if x.isalpha())


@lru_cache(maxsize=4096)
def _is_pinyin(token: str) -> bool:
    """True if the token splits into two or more Mandarin syllables ("taicheng", "xingjiang")."""
    syllables = _pinyin_syllables()
    n = len(token)
    reach = [0] + [-1] * n  # fewest syllables to reach each position (-1: unreachable)
    for i in range(n):
        if reach[i] < 0:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if token[i:j] in syllables and (reach[j] < 0 or reach[j] > reach[i] + 1):
                reach[j] = reach[i] + 1
    return reach[n] >= 2


def _one_edit(a: str, b: str) -> bool:
    """True if a and b differ by exactly one insertion, deletion, substitution or adjacent transposition."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) != 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


# XPCC units. Divisions 1-14 in Chinese numerals (第一师..第十四师, 农X师 until 2012); regiments read digit
# by digit (一二一团) or as digits (43团). Sources: xuar_gazetteer.meta.json, local_names_notes.
_ZH_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_NUM = "〇零一二三四五六七八九十"
_XPCC_DIVISION_ZH = re.compile(rf"(兵团)?([第农])([{_ZH_NUM}]{{1,3}})师(?![范傅兄弟姐妹生资父母爷])")
# 团 ends many words (集团, 共青团) and starts others (团购, 团结): a regiment is a number right before it.
_XPCC_REGIMENT_ZH = re.compile(
    rf"(?<![{_ZH_NUM}\d])([{_ZH_NUM}]{{1,4}}|\d{{2,3}})团(?![购队体结员委支伙聚建拜费餐圆子扇练课战长])"
)
_ORD = r"(?:st|nd|rd|th)?"
_XPCC_DIVISION_EN = re.compile(
    rf"(?<![a-z0-9])(?:(\d{{1,2}}){_ORD} ?(agri(?:cultural?)? )?div(?:ision)?|"
    rf"(agri(?:cultural?)? )?div(?:ision)? (?:no )?(\d{{1,2}}))(?![a-z0-9])"
)
# "REGT" and "Regt." are the abbreviations ERP exports use ("5TH DIV 89 REGT BOLE").
_XPCC_REGIMENT_EN = re.compile(
    rf"(?<![a-z0-9])(?:(\d{{1,3}}){_ORD} ?(regiment|regt|tuan)|(regiment|regt|tuan) (?:no )?(\d{{1,3}}))"
    r"(?![a-z0-9])"
)
# 兵团 (Bingtuan) is the XPCC's short name, and the XPCC is the one production and construction corps
# still in existence, so 兵团 followed by one of its farms, ranches or mines (兵团六运湖农场, 兵团大黄山煤矿)
# names a unit in the XUAR (http://westgates.cn/shows/39/238.html: 简称"建设兵团"、"兵团"; https://ttnews.xyz/a/
# 5b44c23adc9b5e56f3696d48?lang=zh-hant: 目前中国只有新疆生产建设兵团继续存在, 农场、牧场、林场、渔场共172个).
# 集团 and 兵团 alone (a game's "legion") are not matched.
_XPCC_BINGTUAN_ZH = re.compile(
    r"兵[团團](?:[\u4e00-\u9fff]{1,8}?(?:[农農牧林渔漁][场場]|园艺[场場]|園藝場|[团團][场場]|煤[矿礦]|[矿礦](?:区|區)?)"
    r"|[\u4e00-\u9fff]{2,6}?(?<!第)[一二三四五六七八九十]{1,2}[场場])"
)
# 兵团 right before a numbered regiment (兵团七团, 兵团一四三团): the XPCC's divisions are made of regiments
# (师下设"团"或"农场": http://zy.zwbk.org/index.php/%E6%96%B0%E7%96%86%E7%94%9F%E4%BA%A7%E5%BB%BA%E8%AE%BE%E5%85%B5%E5%9B%A2),
# so 兵团 names whose unit the number is, whatever its digits.
_XPCC_BINGTUAN_BEFORE = ("兵团", "兵團")
# XPCC farms whose name is a number, not a stem the township file can key on: the 13th Division's 红星一场,
# 红星二场 and 红星四场 (https://baike.baidu.hk/item/%E6%9F%B3%E6%A8%B9%E6%B3%89%E8%BE%B2%E5%A0%B4/6350572:
# 第十三師下轄8個農牧場(紅星一場、紅星二場、紅星四場、火箭農場...); 红星一场 also http://xxtibq.cn/blog/2008/
# 23926.html: 農十三師紅星一場地處哈密市東郊). Alone they decide like one XPCC unit.
_XPCC_NAMED_FARMS = re.compile(r"[红紅]星[一二四][场場]")
# The number of a regiment in the township code list's names (兵团一六四团, 第十师一八四团).
_REGIMENT_NUMBER = re.compile(r"(?:^|[兵团師师])([〇零一二三四五六七八九十]{2,4})团")
_XPCC_NAME_EN = re.compile(r"(?<![a-z0-9])(xpcc|bingtuan|production and construction corps)(?![a-z0-9])")
_PINYIN_NUMBERS = (
    "shisi",
    "shisan",
    "shier",
    "shiyi",
    "yi",
    "er",
    "san",
    "si",
    "wu",
    "liu",
    "qi",
    "ba",
    "jiu",
    "shi",
)
_XPCC_NONG_PINYIN = re.compile(r"(?<![a-z0-9])nong ?(" + "|".join(_PINYIN_NUMBERS) + r") ?shi(?![a-z0-9])")


def _zh_number(text: str) -> int | None:
    """一四三 -> 143 (digit by digit), 十四 -> 14, 四十七 -> 47, 八 -> 8; None if it is not a number."""
    if "十" not in text:
        return int("".join(str(_ZH_DIGITS[c]) for c in text)) if all(c in _ZH_DIGITS for c in text) else None
    head, _, tail = text.partition("十")
    if (
        len(head) > 1
        or len(tail) > 1
        or (head and head not in _ZH_DIGITS)
        or (tail and tail not in _ZH_DIGITS)
    ):
        return None
    return (_ZH_DIGITS[head] if head else 1) * 10 + (_ZH_DIGITS[tail] if tail else 0)


def _xpcc_units(
    norm: str, text: str, regiments: frozenset[int] = frozenset()
) -> tuple[float, str, str, bool] | None:
    """(weight, span, description, needs_china) for the XPCC unit the text names, or None.

    `norm` is the folded text; `regiments` the regiment numbers the township code list gives XPCC units.
    `needs_china` marks a finding that is the XPCC only when the country is China (an English regiment
    number alone: "164th Regiment" is also a unit of other armies).
    """
    division = regiment = None
    for m in _XPCC_DIVISION_ZH.finditer(text):
        n = _zh_number(m.group(3))
        if n is not None and 1 <= n <= 14:
            division = (m, n, m.group(1) is not None or m.group(2) == "农")
            break
    for m in _XPCC_REGIMENT_ZH.finditer(text):
        digits = m.group(1)
        n = int(digits) if digits.isdigit() else _zh_number(digits)
        if n is None or n < 1:
            continue
        # Alone, only the XPCC's own forms: three digits read one by one (一四三团) or written as digits, or
        # any number right after 兵团 (兵团七团).
        bingtuan_before = text[max(0, m.start() - 2) : m.start()] in _XPCC_BINGTUAN_BEFORE
        alone_ok = (
            (digits.isdigit() and 10 <= n <= 299)
            or (len(digits) == 3 and "十" not in digits and 100 <= n <= 299)
            or (bingtuan_before and n <= 299)
        )
        regiment = (m, n, alone_ok, bingtuan_before)
        break
    if division is not None and regiment is not None:
        span = text[division[0].start() : max(division[0].end(), regiment[0].end())]
        return W_XPCC, span, f"division {division[1]}, regiment {regiment[1]}", False
    bingtuan = _XPCC_BINGTUAN_ZH.search(text)
    if bingtuan is not None and division is None:
        return W_XPCC, bingtuan.group(0), "a farm, ranch or mine (兵团 and its unit)", False
    if division is not None:
        m, n, explicit = division
        return (W_XPCC if explicit else W_XPCC_PART), m.group(0), f"division {n}", False
    if regiment is not None and regiment[2]:
        m, n, _, explicit = regiment
        span = text[m.start() - 2 : m.end()] if explicit else m.group(0)
        return (W_XPCC if explicit else W_XPCC_PART), span, f"regiment {n}", False
    named = _XPCC_NAMED_FARMS.search(text)
    if named is not None:
        return W_XPCC_PART, named.group(0), "a farm of the 13th Division", False
    nong = _XPCC_NONG_PINYIN.search(norm)
    if nong is not None:
        return W_XPCC, nong.group(0), "an agricultural division (Nong-N-shi, the pinyin of 农N师)", False
    div_en = next(
        (m for m in _XPCC_DIVISION_EN.finditer(norm) if 1 <= int(m.group(1) or m.group(4)) <= 14), None
    )
    reg_en = next(iter(_XPCC_REGIMENT_EN.finditer(norm)), None)
    name_en = _XPCC_NAME_EN.search(norm)
    reg_tuan = reg_en is not None and "tuan" in (reg_en.group(2) or reg_en.group(3) or "")
    if div_en is not None and reg_en is not None:
        return W_XPCC, f"{div_en.group(0)} / {reg_en.group(0)}", "a division and regiment", False
    if name_en is not None and (div_en is not None or reg_en is not None):
        unit = div_en if div_en is not None else reg_en
        assert unit is not None
        return W_XPCC, f"{name_en.group(0)} / {unit.group(0)}", "a unit", False
    if div_en is not None and (div_en.group(2) or div_en.group(3)):
        # "3rd Agricultural Division" is the English of 农三师, the XPCC's own name for its divisions.
        return W_XPCC, div_en.group(0), "an agricultural division (农N师)", False
    if reg_tuan and reg_en is not None:
        return W_XPCC_PART, reg_en.group(0), "a regiment farm (tuan)", False
    if reg_en is not None and int(reg_en.group(1) or reg_en.group(4)) in regiments:
        n = int(reg_en.group(1) or reg_en.group(4))
        return W_XPCC_PART, reg_en.group(0), f"regiment {n} (an XPCC regiment number in the code list)", True
    if name_en is not None:
        return W_XPCC_PART, name_en.group(0), "the XPCC itself (no unit named)", False
    return None


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation as a character trie, preferring the longest word at each position."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return render(trie)


@dataclass(frozen=True)
class _Entry:
    """What a folded name means: an XUAR place (with its strength) or a place elsewhere in China."""

    place: Place | None
    strength: str  # "strong", "weak", "abroad", "other"
    context: ContextPlace | None = None
    label: str = ""


@dataclass(frozen=True)
class _Hit:
    entry: _Entry
    start: int  # in the folded text
    end: int
    span: str  # original text
    street: bool
    county: bool = False
    embedded: bool = False  # a short other-China name inside a longer Chinese word (大黄山)


class LocationDetector:
    """Decides whether a record is in the XUAR from a gazetteer, a boundary and other-China context."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        boundary: Boundary | None,
        context: Iterable[ContextPlace] = (),
        townships: Iterable[Township] = (),
    ) -> None:
        self.gazetteer = gazetteer
        self.boundary = boundary
        self._codes = gazetteer.by_code()
        entries: dict[str, list[_Entry]] = {}

        def add(name: str, entry: _Entry) -> None:
            key = fold_key(name)
            if len(key) < 2 or (not _is_cjk(key) and len(key) < 3):
                return
            bucket = entries.setdefault(key, [])
            if all(e.place is not entry.place or e.context is not entry.context for e in bucket):
                bucket.append(entry)

        for place in gazetteer.places:
            abroad = {fold_key(n) for n in place.abroad_names}
            for name in place.names:
                add(
                    name,
                    _Entry(place, "abroad" if fold_key(name) in abroad else "strong", label=place.name_en),
                )
            for name in place.weak_names:
                add(name, _Entry(place, "weak", label=place.name_en))
        xuar_keys = {k for k, v in entries.items() if any(e.strength in ("strong", "abroad") for e in v)}
        #: label of a county elsewhere whose pinyin is an XUAR name -> the XUAR division codes of that name
        #: (see `_settle_homographs`)
        self._homographs: dict[str, set[str]] = {}
        for ctx in context:
            label = ctx.names_zh[0]
            # A county elsewhere whose pinyin is an XUAR county's (Hebei's 清河县, "Qinghe County") is kept
            # beside the XUAR reading, so the name alone is no evidence either way; other context names
            # give way to an XUAR name they equal.
            homograph = bool(ctx.code) and not ctx.code.endswith("00")
            full_label = f"{label} ({ctx.names_latin[0] if ctx.names_latin else ''})"
            for name in (*ctx.names_zh, *ctx.names_latin) if homograph else ():
                for twin in entries.get(fold_key(name), []):
                    if twin.place is not None and twin.strength == "strong":
                        self._homographs.setdefault(full_label, set()).add(twin.place.division_code)
            for name in (*ctx.names_zh, *ctx.names_latin):
                if homograph or fold_key(name) not in xuar_keys:
                    add(name, _Entry(None, "other", ctx, label=full_label))
        self._entries = entries
        _pinyin_syllables()  # loaded once per process, here rather than inside the first record's timing
        # Structured fields only: two-syllable pinyin ("Xin Jiang", "Ha Mi"), pinyin initials ("WLMQ") and the
        # names a one-letter slip is forgiven against (region, prefectures, cities; not names shared abroad).
        self._structured: dict[str, Place] = {}
        self._initials: dict[str, Place] = {}
        self._fuzzy: dict[str, Place] = {}
        for place in gazetteer.places:
            syllables = fold_key(place.pinyin_spaced).split()
            if place.level in ("region", "prefecture") and len(syllables) == 2:
                self._structured.setdefault(" ".join(syllables), place)
            if place.level in ("region", "prefecture") and len(syllables) >= 4:
                self._initials.setdefault("".join(x[0] for x in syllables), place)
            # Counties and districts only by their long names (8+ letters: Tashqurghan), where one slip
            # cannot reach another real name.
            city_level = place.level in ("region", "prefecture", "xpcc_city") or (
                place.level == "county" and not re.search(r"County|District", place.name_en)
            )
            abroad_keys = {fold_key(n) for n in place.abroad_names}
            for name in place.names:
                key = fold_key(name)
                long_enough = len(key) >= (6 if city_level else 8)
                if long_enough and key.isascii() and key.isalpha() and key not in abroad_keys:
                    self._fuzzy.setdefault(key, place)
        latin = [k for k in entries if not _is_cjk(k)]
        cjk = [k for k in entries if _is_cjk(k)]
        self._latin = re.compile(rf"(?<![{_WORD}])(?:" + _trie_pattern(latin) + rf")(?![{_WORD}])")
        self._cjk = re.compile(_trie_pattern(cjk))
        self._exclusions = re.compile("|".join(re.escape(fold_key(x)) for x in _EXCLUSIONS))
        countries = {fold_key(k): v for k, v in _TEXT_COUNTRIES.items()}
        self._countries = countries
        self._country_re = re.compile(
            r"(?<![a-z0-9])(?:"
            + _trie_pattern(k for k in countries if not _is_cjk(k))
            + r")(?![a-z0-9])|"
            + _trie_pattern(k for k in countries if _is_cjk(k))
        )
        self._country_names: dict[str, str] = {}
        for code, (alpha3, name) in COUNTRIES.items():
            for label in (code, alpha3, name):
                self._country_names[fold_key(label)] = code
        for label in _CN_NAMES:
            self._country_names[fold_key(label)] = "CN"
        self._country_names.update({fold_key(k): v for k, v in _TEXT_COUNTRIES.items()})
        self._init_townships(townships)

    def _init_townships(self, townships: Iterable[Township]) -> None:
        """Index township names: Chinese with a suffix, pinyin (joined or by syllable) before a suffix word.

        Why only with a suffix: a bare stem is too often something else (a word, a person, a shop), and a
        bare pinyin word far more so; "塔哈其镇" or "Tahaqi Zhen" says the writer means the town.
        """
        townships = tuple(townships)
        cjk: dict[str, list[Township]] = {}
        latin: dict[str, list[Township]] = {}
        street: dict[str, list[Township]] = {}

        def put(index: dict[str, list[Township]], key: str, town: Township) -> None:
            bucket = index.setdefault(fold_key(key), [])
            if town not in bucket:
                bucket.append(town)

        for town in townships:
            stem = town.stem_zh
            if len(stem) < 2:
                continue
            suffixes = _TOWNSHIP_ZH if town.kind in _SETTLEMENT_KINDS else _FARM_ZH
            keys = {town.name_zh, town.name_zh_hant}
            for base in (stem, town.stem_zh_hant):
                if base:
                    keys.update(base + sfx for sfx in suffixes)
            keys.update(self._ethnic_forms(town))
            for key in keys:
                put(cjk, key, town)
            syllables = town.pinyin_spaced.split()
            if len(syllables) >= 2:
                latin_keys = {town.pinyin, town.pinyin_spaced}
                road = _ROAD_LATIN.get(stem[-1]) if town.kind == "subdistrict" else None
                if road is not None and syllables[-1].casefold() == road[0]:
                    head = syllables[:-1]
                    for word in road[1:]:
                        latin_keys.update((f"{''.join(head)} {word}", f"{' '.join(head)} {word}"))
                for key in latin_keys:
                    put(latin, key, town)
                if town.kind == "subdistrict" and road is None:
                    put(street, town.pinyin, town)
                    put(street, town.pinyin_spaced, town)
        self._regiments = frozenset(
            n
            for town in townships
            if town.kind == "xpcc_regiment"
            for m in [_REGIMENT_NUMBER.search(town.name_zh)]
            if m is not None
            for n in [_zh_number(m.group(1))]
            if n is not None and n >= 100
        )
        self._town_cjk = cjk
        self._town_latin = latin
        self._town_street = street
        self._town_cjk_re = re.compile(_trie_pattern(cjk)) if cjk else None
        ethnic_latin = self._ethnic_latin(townships)
        self._town_latin_re = (
            re.compile(
                rf"(?<![{_WORD}])({_trie_pattern(latin)}) ?{ethnic_latin}{_TOWNSHIP_LATIN}(?![{_WORD}])"
            )
            if latin
            else None
        )
        self._town_street_re = (
            re.compile(rf"(?<![{_WORD}])({_trie_pattern(street)}) ?{_STREET_LATIN}(?![{_WORD}])")
            if street
            else None
        )
        # The pinyin stem with no suffix word at all ("Sidaohezi, Shawan"): read only when the record names
        # the township's own county too (see `_township_signals`).
        self._town_bare_re = (
            re.compile(rf"(?<![{_WORD}])({_trie_pattern(latin)})(?![{_WORD}])") if latin else None
        )

    @staticmethod
    def _ethnonym(name: str, stem: str) -> tuple[str, str] | None:
        """(ethnonym, suffix) of an ethnic township's name (察汗乌苏蒙古族乡 -> 蒙古, 族乡), or None."""
        if not stem or not name.startswith(stem):
            return None
        rest = name[len(stem) :]
        suffix = next((x for x in _ETHNIC_SUFFIXES if rest.endswith(x)), None)
        if suffix is None:
            return None
        middle = _ETHNIC_MIDDLE.match(rest[: -len(suffix)])
        if middle is None:
            return None
        return middle.group(1), suffix

    @classmethod
    def _ethnic_latin(cls, townships: Iterable[Township]) -> str:
        """The optional ethnonym between a pinyin township name and its suffix word, for every ethnonym in the
        township file: its pinyin (hasake, keerkezi, wuzibieke, dawoer), joined to zu or followed by a word
        for "ethnic", and its English names ("Kazakh Ethnic Township", "Daur Ethnic Township").

        Why from the data: the file decides which ethnonyms XUAR township names carry; a hand list missed
        some forms of some of them (Mengguzu, Hasakezu). The English names are a table because nothing in
        the code list spells them.
        """
        from pypinyin import lazy_pinyin

        words: set[str] = set()
        for town in townships:
            found = cls._ethnonym(town.name_zh, town.stem_zh) if town.kind == "ethnic_township" else None
            if found is None:
                continue
            ethnonym = found[0]
            words.add("".join(lazy_pinyin(ethnonym)))
            words.update(_ETHNONYM_EN.get(ethnonym, ()))
        if not words:
            return ""
        alternation = _trie_pattern(sorted(words))
        return rf"(?:{alternation}(?:zu)?(?: (?:ethnic|nationality|minzu|zu))? )?"

    @staticmethod
    def _ethnic_forms(town: Township) -> set[str]:
        """Other ways records write an ethnic township's suffix: 蒙古乡, 蒙古族乡, 蒙古民族乡 for one name.

        Why: the code list writes some 民族乡 and some 族乡, records drop or add 族/民族 freely, and a 民族乡
        keyed only on its published form is missed whenever the record picks the other.
        """
        out: set[str] = set()
        for name, stem in ((town.name_zh, town.stem_zh), (town.name_zh_hant, town.stem_zh_hant)):
            found = LocationDetector._ethnonym(name, stem)
            if found is None:
                continue
            ethnonym, suffix = found
            hant = "鄉" in suffix or "鎮" in suffix
            xiang, zhen = ("鄉", "鎮") if hant else ("乡", "镇")
            ends = (zhen,) if suffix in ("镇", "鎮") else (xiang,)
            for end in ends:
                forms = [f"族{end}", f"民族{end}"] + ([end] if len(ethnonym) > 1 else [])
                out.update(stem + ethnonym + f for f in forms)
        return out

    # ---------------------------------------------------------------- scanning

    def _scan(self, text: str) -> list[_Hit]:
        norm, index = normalise(text)
        for m in self._exclusions.finditer(norm):  # blank out false friends, keeping positions
            norm = norm[: m.start()] + " " * (m.end() - m.start()) + norm[m.end() :]
        hits: list[_Hit] = []
        for pattern in (self._cjk, self._latin):
            previous_end = -2
            for m in pattern.finditer(norm):
                if m.end() == m.start():
                    continue
                key = m.group(0)
                suffix = key in _SUFFIX_WORDS and (
                    m.start() - 1 == previous_end or _after_a_name(text[: index[m.start()]])
                )
                previous_end = m.end()
                if suffix:
                    continue
                span = text[index[m.start()] : index[m.end() - 1] + 1]
                after = norm[m.end() :]
                if _is_cjk(key):
                    street = not key.endswith(_ADMIN_SUFFIXES) and _CJK_STREET.match(after) is not None
                else:
                    street = _LATIN_STREET.match(after) is not None
                for entry in self._entries[key]:
                    county = not _is_cjk(key) and _LATIN_COUNTY.match(after) is not None
                    hits.append(_Hit(entry, m.start(), m.end(), span, street, county))
        ends = {h.end for h in hits}
        return [
            replace(h, embedded=True) if h.entry.strength == "other" and self._embedded(h, norm, ends) else h
            for h in hits
        ]

    @staticmethod
    def _county_reading(hit: _Hit, hits: list[_Hit]) -> Place | None:
        """The XUAR county a Latin name followed by a county word names, when the other reading is a city.

        Why: "Baicheng Xian" or "Baicheng County" says the writer means a county called Baicheng; the
        gazetteer has one (拜城县, Aksu) and the other China reading, Jilin's 白城市, is a prefecture-level
        city, not a county, so the county word rules it out. Only that case: a province, a county-level place
        elsewhere (the curated extras, which have no code) or a name with no county word keep their reading,
        so "Baicheng, Jilin" and a bare "Baicheng" are what they were.
        """
        ctx = hit.entry.context
        # only a prefecture-level city (code ..00, not a province's ..0000) is ruled out by a county word:
        # a county elsewhere of the same pinyin (Hebei's 清河县, "Qinghe County") is as much a county
        prefecture = ctx is not None and ctx.code.endswith("00") and not ctx.code.endswith("0000")
        if not hit.county or ctx is None or not prefecture:
            return None
        for other in hits:
            place = other.entry.place
            if (
                place is not None
                and place.level == "county"
                and (other.start, other.end) == (hit.start, hit.end)
                and not other.street
            ):
                return place
        return None

    @staticmethod
    def _embedded(hit: _Hit, norm: str, ends: set[int]) -> bool:
        """A two-character Chinese place name inside a longer word (黄山 in 大黄山煤矿, the Dahuangshan mine).

        Why: Chinese has no spaces, so a short city name is found inside other names; in an address it
        stands at a boundary: the start, after a punctuation mark, a province or other unit (安徽黄山,
        安徽省黄山市), or with its own suffix (黄山市). Only names of places elsewhere in China are tested:
        reading one inside a word turns a record against the XUAR with high confidence, which the word does
        not support.
        """
        key = norm[hit.start : hit.end]
        if len(key) != 2 or not _is_cjk(key) or key.endswith(_ADMIN_SUFFIXES) or hit.start == 0:
            return False
        if norm[hit.end : hit.end + 1] in _UNIT_CHARS:
            return False
        before = norm[hit.start - 1]
        return _is_cjk(before) and before not in _UNIT_CHARS and hit.start not in ends

    def _country(self, record: ScreenRecord) -> str | None:
        if not record.country or not record.country.strip():
            return None
        return self._country_names.get(fold_key(record.country), "??")

    def _text_country(self, text: str) -> tuple[str, str] | None:
        norm, index = normalise(text)
        for m in self._country_re.finditer(norm):
            if m.end() > m.start():
                return self._countries[m.group(0)], text[index[m.start()] : index[m.end() - 1] + 1]
        return None

    # ---------------------------------------------------------------- detection

    def detect(self, record: ScreenRecord) -> LocationResult:
        """Weigh every signal in the record and decide: True, False or "uncertain", with the evidence."""
        signals: list[LocationSignal] = []

        def sig(kind: str, field: str, span: str, matched: str, weight: float, why: str) -> None:
            signals.append(
                LocationSignal(
                    kind=kind, field=field, span=span, matched=matched, weight=weight, explanation=why
                )
            )

        country = self._country(record)
        if country is None:
            for field in ("address", "city", "region"):
                value = getattr(record, field)
                found = self._text_country(value) if value else None
                if found:
                    country = found[0]
                    if country == "CN":
                        sig("country_context", field, found[1], "CN", W_COUNTRY_CN, "The text names China.")
                    else:
                        sig(
                            "country_context",
                            field,
                            found[1],
                            country,
                            W_COUNTRY_TEXT_OTHER,
                            f"The text names a country other than China ({country}).",
                        )
                    break
        elif country == "CN":
            sig(
                "country_context",
                "country",
                record.country or "",
                "CN",
                W_COUNTRY_CN,
                "The country is China.",
            )
        elif country != "??":
            sig(
                "country_context",
                "country",
                record.country or "",
                country,
                W_COUNTRY_OTHER,
                f"The country is {country}, not China: the XUAR is in China.",
            )
        cn_or_unknown = country in (None, "CN", "??")

        # Structured region: ISO 3166-2 codes first, then place names.
        if record.region and record.region.strip():
            key = fold_key(record.region)
            if _ISO_XJ.match(key):
                sig(
                    "structured_region",
                    "region",
                    record.region,
                    "650000 Xinjiang (CN-XJ)",
                    W_REGION,
                    "The region code is the XUAR's (ISO 3166-2 CN-XJ, formerly CN-65; GB/T 2260 65).",
                )
            elif _ISO_OTHER.match(key) or (key.isdigit() and len(key) in (2, 6) and not key.startswith("65")):
                sig(
                    "structured_region",
                    "region",
                    record.region,
                    "another province",
                    W_REGION_OTHER,
                    "The region code names a Chinese province other than the XUAR.",
                )
            elif not self._place_signals("region", record.region, country, signals):
                self._structured_signals("region", record.region, signals)
            self._xpcc_signal("region", record.region, signals, country=country)
        if record.city and record.city.strip():
            if not self._place_signals("city", record.city, country, signals):
                self._structured_signals("city", record.city, signals)
            self._xpcc_signal("city", record.city, signals, country=country)
        if record.address and record.address.strip():
            self._place_signals("address", record.address, country, signals)
            self._xpcc_signal("address", record.address, signals, country=country)
            if cn_or_unknown:
                for m in _POSTAL_TEXT.finditer(record.address):
                    sig(
                        "postal_code",
                        "address",
                        m.group(1),
                        "XUAR postal range 83xxxx-84xxxx",
                        W_POSTAL_TEXT,
                        "A six-digit number in the address is in the XUAR's postal range.",
                    )
                    break
        self._township_signals(record, country, signals)
        self._settle_homographs(signals)
        for field in ("address", "city", "region"):
            value = getattr(record, field)
            if value:
                for m in _CODE_TEXT.finditer(value):
                    place = self._codes.get(m.group(1))
                    if place is not None and not (
                        field == "region" and value.strip() == m.group(1) and signals
                    ):
                        sig(
                            "division_code",
                            field,
                            m.group(1),
                            f"{place.division_code} {place.name_en}",
                            W_DIVISION_CODE,
                            f"{m.group(1)} is the GB/T 2260 code of {place.name_en} in the XUAR.",
                        )
                        break
        # A name repeating a place the address or city already names is the same evidence, not more; but where
        # the field named it only weakly (Aral, also a city in Kazakhstan and the Aral Sea), a name
        # that spells it unambiguously (阿拉尔市棉业) is the corroboration the weak name lacked.
        named = {
            s.matched.split(" ", 1)[0]
            for s in signals
            if s.kind in ("place_name", "structured_region") and s.weight >= THRESHOLD
        }
        for field in ("name", "name_local"):
            value = getattr(record, field)
            if value:
                self._name_signals(field, value, country, signals, named)
                self._xpcc_signal(field, value, signals, cap=W_NAME, country=country)
        for alias in record.aliases:
            self._name_signals("aliases", alias, country, signals, named)

        if record.postal_code and record.postal_code.strip():
            digits = re.sub(r"\s", "", unicodedata.normalize("NFKC", record.postal_code))
            if re.fullmatch(r"\d{6}", digits) and cn_or_unknown:
                if digits[:2] in ("83", "84"):
                    w = W_POSTAL if country == "CN" else W_POSTAL_UNKNOWN_COUNTRY
                    sig(
                        "postal_code",
                        "postal_code",
                        record.postal_code,
                        "XUAR postal range 83xxxx-84xxxx",
                        w,
                        "Chinese postal codes starting 83 or 84 belong to the XUAR.",
                    )
                elif country == "CN":
                    sig(
                        "postal_code",
                        "postal_code",
                        record.postal_code,
                        "postal code outside 83/84",
                        W_POSTAL_OTHER,
                        "A Chinese postal code outside the XUAR's 83/84 range.",
                    )
                else:
                    sig(
                        "postal_code",
                        "postal_code",
                        record.postal_code,
                        "postal code outside 83/84",
                        W_POSTAL_OTHER + 1,
                        "A six-digit postal code outside the XUAR's 83/84 range.",
                    )

        uscc = parse_uscc(record.registration_id)
        if uscc is not None:
            div = uscc.division_code
            check = "" if uscc.valid else " (its check character is wrong: a mistyped or invented code)"
            if div.startswith("65"):
                place = self._codes.get(div) or self._codes.get(div[:4] + "00")
                where = f"{place.division_code} {place.name_en}" if place else "65 Xinjiang"
                sig(
                    "uscc_division",
                    "registration_id",
                    div,
                    where,
                    W_USCC if uscc.valid else W_USCC_BAD_CHECK,
                    f"USCC positions 3-8 ({div}) say the company registered in the XUAR; that is its seat, "
                    f"not necessarily this facility{check}.",
                )
            elif div.startswith("66"):
                sig(
                    "uscc_division",
                    "registration_id",
                    div,
                    "66 XPCC (Bingtuan) registration",
                    W_USCC_XPCC,
                    f"USCC positions 3-8 ({div}) use the XPCC's registration codes (66xxxx){check}.",
                )
            elif div[:2].isdigit() and 11 <= int(div[:2]) <= 82:
                sig(
                    "uscc_division",
                    "registration_id",
                    div,
                    f"province {div[:2]}",
                    W_USCC_OTHER,
                    f"USCC positions 3-8 ({div}) say the company registered outside the XUAR{check}.",
                )

        if record.latitude is not None and record.longitude is not None and self.boundary is not None:
            lat, lon = record.latitude, record.longitude
            if not (lat == 0 and lon == 0):
                inside = self.boundary.contains(lon, lat)
                near = (
                    self.boundary.distance_to_edge_deg(lon, lat) < EDGE_DEG
                    if self._in_bbox(lon, lat)
                    else False
                )
                w = (W_COORD_EDGE if near else W_COORD) * (1 if inside else -1)
                where = "inside" if inside else "outside"
                sig(
                    "coordinates",
                    "latitude,longitude",
                    f"{lat},{lon}",
                    f"XUAR boundary ({where})",
                    w,
                    f"The coordinates fall {where} the XUAR boundary"
                    + (" (within ~5 km of it)." if near else "."),
                )

        return self._decide(signals)

    def _in_bbox(self, lon: float, lat: float) -> bool:
        assert self.boundary is not None
        x0, y0, x1, y1 = self.boundary.bbox
        return x0 - 0.1 <= lon <= x1 + 0.1 and y0 - 0.1 <= lat <= y1 + 0.1

    def _place_signals(
        self, field: str, text: str, country: str | None, signals: list[LocationSignal]
    ) -> bool:
        """Signals for the places a region, city or address field names; True if it named any place."""
        strong_w = {"region": W_REGION, "city": W_CITY, "address": W_ADDRESS}[field]
        other_w = W_REGION_OTHER if field in ("region", "city") else W_OTHER_ADDRESS
        hits = self._scan(text)
        norm = normalise(text)[0]
        corroborated = self._corroborated(hits)
        containers = [
            h
            for h in hits
            if h.entry.place is not None
            and not h.street
            and (h.entry.strength == "strong" or id(h) in corroborated)
            and _is_cjk(norm[h.start : h.end])
            and norm[h.start : h.end].endswith(_ADMIN_SUFFIXES)
        ]
        xuar_spans = {(h.start, h.end) for h in hits if id(h) in corroborated}
        seen: set[object] = set()
        for hit in hits:
            entry = hit.entry
            if entry.strength == "other":
                span_key = ("other", hit.start, hit.end)
                if (
                    hit.street
                    or entry.label in seen
                    or span_key in seen
                    or any(a < hit.end and hit.start < b for a, b in xuar_spans)
                ):
                    continue
                seen.update((entry.label, span_key))
                # Three readings that are not the place elsewhere: a county word naming the XUAR county, a
                # word inside a longer Chinese word, a name inside the XUAR unit the address gave first.
                trap: tuple[str, str] | None = None
                county = self._county_reading(hit, hits)
                if county is not None:
                    trap = (
                        f"{entry.label} (a city, not the county named)",
                        f"'{hit.span}' is followed by a county word: it names {county.name_en} in the XUAR, "
                        f"not {entry.label}, which is a prefecture-level city and no county.",
                    )
                elif hit.embedded:
                    trap = (
                        f"{entry.label} (inside a longer word)",
                        f"'{hit.span}' is part of a longer Chinese word here, not a place name standing "
                        "alone: not read as the place elsewhere in China.",
                    )
                elif (inside := self._contained_in(hit, norm, containers)) is not None:
                    trap = (
                        f"{entry.label} (a name inside {inside.name_en})",
                        f"'{hit.span}' follows {inside.name_en} in the address and is not an administrative "
                        "unit there: it names something inside it (a park, a company), not the place "
                        "elsewhere in China.",
                    )
                if trap is not None:
                    signals.append(
                        LocationSignal(
                            kind="trap",
                            field=field,
                            span=hit.span,
                            matched=trap[0],
                            weight=0.0,
                            explanation=trap[1],
                        )
                    )
                    continue
                signals.append(
                    LocationSignal(
                        kind="country_context",
                        field=field,
                        span=hit.span,
                        matched=entry.label,
                        weight=other_w,
                        explanation=f"'{hit.span}' names {entry.label}, a place in China outside the XUAR.",
                    )
                )
                continue
            place = entry.place
            assert place is not None
            if hit.street:
                if ("trap", hit.span) in seen:
                    continue
                seen.add(("trap", hit.span))
                signals.append(
                    LocationSignal(
                        kind="trap",
                        field=field,
                        span=hit.span,
                        matched=f"{place.division_code} {place.name_en}",
                        weight=W_TRAP,
                        explanation=f"'{hit.span}' is a street named after {place.name_en}, not the place: "
                        "such streets exist in many Chinese cities.",
                    )
                )
                continue
            # One signal per place and per span: "Kashi" names the prefecture and its city, once.
            if place.division_code in seen or ("span", hit.start, hit.end) in seen:
                continue
            seen.update((place.division_code, ("span", hit.start, hit.end)))
            matched = f"{place.division_code} {place.name_en}"
            region_level = place.level == "region"
            if id(hit) in corroborated and entry.strength != "strong":
                w = W_CORROBORATED if entry.strength == "weak" else strong_w
                why = (
                    f"'{hit.span}' names {place.name_en} in the XUAR: the same text names the "
                    f"{'prefecture' if place.level == 'county' else 'county'} it goes with."
                )
            elif entry.strength == "strong":
                w = strong_w
                why = f"'{hit.span}' names {place.name_en}" + ("" if region_level else " in the XUAR") + "."
            elif entry.strength == "weak":
                w = W_WEAK_COUNTY if hit.county else W_WEAK
                why = (
                    f"'{hit.span}' may name {place.name_en} in the XUAR, but it is also a common word or "
                    "another Chinese place: weak on its own."
                )
            elif country == "CN":
                w = strong_w
                why = f"'{hit.span}' names {place.name_en} in the XUAR; the country is China."
            elif country is None or country == "??":
                w = W_ABROAD_NO_COUNTRY
                why = (
                    f"'{hit.span}' may name {place.name_en} in the XUAR, but places abroad share it and "
                    "the country is not given."
                )
            else:
                signals.append(
                    LocationSignal(
                        kind="country_context",
                        field=field,
                        span=hit.span,
                        matched=f"{matched} (homonym)",
                        weight=0.0,
                        explanation=f"'{hit.span}' shares a name with {place.name_en} (XUAR); the country "
                        f"is {country}.",
                    )
                )
                continue
            if w > W_WEAK and id(hit) not in corroborated and self._names_other_town(hit, norm):
                w = W_WEAK
                why = (
                    f"'{hit.span}' is followed by a township suffix: it names a town called {hit.span}, and "
                    "the XUAR has no unambiguous township of that name (towns elsewhere in China do)."
                )
            signals.append(
                LocationSignal(
                    kind="structured_region" if field == "region" else "place_name",
                    field=field,
                    span=hit.span,
                    matched=matched,
                    weight=w,
                    explanation=why,
                )
            )
        return bool(hits)

    def _names_other_town(self, hit: _Hit, norm: str) -> bool:
        """True if a Chinese place name is the stem of a town elsewhere rather than the XUAR place (乌苏镇).

        Why: an XUAR county name followed by 镇/乡/街道 is a town of that name. The XUAR's own towns
        named after their county (玛纳斯镇, 呼图壁镇) are in the township list; a town the list lacks
        (乌苏镇, 霍城镇, both in other provinces) or shares with other provinces (青河镇, 新源镇) says
        nothing about the county.
        """
        if not self._town_cjk or not _is_cjk(norm[hit.start : hit.end]):
            return False
        tail = norm[hit.end : hit.end + 2]
        suffix = next((x for x in ("街道", "镇", "乡", "鎮", "鄉") if tail.startswith(x)), None)
        if suffix is None:
            return False
        towns = self._town_cjk.get(norm[hit.start : hit.end + len(suffix)])
        return not towns or any(t.ambiguous_in_china for t in towns)

    def _corroborated(self, hits: list[_Hit]) -> set[int]:
        """Hits whose XUAR place is confirmed by its parent or child named elsewhere in the same text.

        Why: "Jinghe" alone may be 泾河 (Shaanxi) and "Bozhou" 亳州 (Anhui), but Jinghe County with the
        abbreviation of its own prefecture, Bortala (博州), is the XUAR; two independent names agreeing on
        the hierarchy are far stronger than either.
        """
        placed = [h for h in hits if h.entry.place is not None and not h.street]
        out: set[int] = set()
        for h in placed:
            p = h.entry.place
            assert p is not None
            for other in placed:
                q = other.entry.place
                assert q is not None
                if other.start == h.start or q.division_code == p.division_code:
                    continue
                if q.division_code == p.parent_code or q.parent_code == p.division_code:
                    if other.entry.strength == "abroad" or h.entry.strength == "abroad":
                        continue
                    out.update((id(h), id(other)))
        return out

    def _contained_in(self, hit: _Hit, norm: str, containers: list[_Hit]) -> Place | None:
        """The XUAR unit a Chinese place word sits inside (和田市 | 北京工业园区), if the address says so.

        Chinese addresses run from the larger unit to the smaller; a word for another place that comes
        after an XUAR city or county, without an administrative suffix of its own, is the name of a park,
        road or company there.
        """
        key = norm[hit.start : hit.end]
        if not _is_cjk(key) or key.endswith(_ADMIN_SUFFIXES):
            return None
        if norm[hit.end : hit.end + 1] in ("省", "市", "区", "县", "州", "盟", "區", "縣"):
            return None
        for c in containers:
            if c.end <= hit.start:
                return c.entry.place
        return None

    def _township_hits(self, text: str) -> list[tuple[int, int, list[Township], bool, bool, str]]:
        """(start, end, townships, chinese, embedded, form) per township name in the text (folded positions).

        `form` is "suffix" (a suffix word or character follows), "street" (a subdistrict's pinyin before
        "Street"/"St", which is also how a road is written) or "bare" (a pinyin stem with nothing after it).
        """
        norm, _ = normalise(text)
        out: list[tuple[int, int, list[Township], bool, bool, str]] = []
        if self._town_cjk_re is not None:
            for m in self._town_cjk_re.finditer(norm):
                if m.end() == m.start() or m.group(0) not in self._town_cjk:
                    continue
                before = norm[m.start() - 1] if m.start() else ""
                embedded = _is_cjk(before) and before not in _UNIT_CHARS
                out.append((m.start(), m.end(), self._town_cjk[m.group(0)], True, embedded, "suffix"))
        if self._town_latin_re is not None:
            for m in self._town_latin_re.finditer(norm):
                out.append((m.start(), m.end(), self._town_latin[m.group(1)], False, False, "suffix"))
        taken = [(a, b) for a, b, *_ in out]
        for pattern, index, form in (
            (self._town_street_re, self._town_street, "street"),
            (self._town_bare_re, self._town_latin, "bare"),
        ):
            if pattern is None:
                continue
            for m in pattern.finditer(norm):
                if m.end() == m.start() or any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                out.append((m.start(), m.end(), index[m.group(1)], False, False, form))
                taken.append((m.start(), m.end()))
        return out

    def _township_signals(
        self, record: ScreenRecord, country: str | None, signals: list[LocationSignal]
    ) -> None:
        """One signal per township a region, city or address names, weighed by how much its name says.

        Why three weights: an unambiguous township with its suffix (塔哈其镇, "Tahaqi Zhen") places the record
        in its county, though a record naming only a town is less sure than one naming the county; an
        ambiguous name (红旗镇 is in many provinces; "Quhui" has homophones everywhere) is only supporting
        evidence; and a township whose own county or prefecture the record also names is two independent
        names agreeing on the hierarchy. A place elsewhere in China that is part of an unambiguous township's
        name (兰州 in 兰州湾镇, 广东 in 广东地乡) is that name, not the other place.
        """
        places = [s for s in signals if s.kind in ("place_name", "structured_region") and s.weight > 0]
        seen: set[str] = set()
        for field in ("region", "city", "address"):
            value = getattr(record, field)
            if not value or not value.strip():
                continue
            _, index = normalise(value)
            for start, end, towns, chinese, embedded, form in self._township_hits(value):
                span = value[index[start] : index[end - 1] + 1]
                # A place name inside the township's own name (阿瓦提 in 阿瓦提乡, 青河 in 青河镇), or one the
                # township's name is part of ("Qinghe" in "Qinghe County"), is the same evidence; any other
                # place the record names is independent.
                same = [s for s in places if s.field == field and (s.span in span or span in s.span)]
                inner = max((s.weight for s in same), default=0.0)
                named = {s.matched.split(" ", 1)[0] for s in places if s not in same}
                backed = [t for t in towns if t.county_code in named or t.county_code[:4] + "00" in named]
                if form == "bare" and not backed:
                    continue  # a bare pinyin word is a town only when its own county is named too
                town = backed[0] if backed else towns[0]
                if town.code in seen:
                    continue
                seen.add(town.code)
                ambiguous = form == "street" or any(
                    t.ambiguous_in_china if chinese else t.ambiguous_pinyin for t in towns
                )
                county = self._codes.get(town.county_code)
                where = county.name_en if county is not None else town.county_code
                others = f" (and {len(towns) - 1} more of that name)" if len(towns) > 1 else ""
                matched = f"{town.code} {town.name_zh}, {where}{others}"
                if country not in (None, "CN", "??"):
                    w, why = (
                        0.0,
                        f"'{span}' shares a name with {town.name_zh} ({where}); the country is {country}.",
                    )
                elif backed:
                    w = W_TOWNSHIP_CORROBORATED
                    why = (
                        f"'{span}' names {town.name_zh}, a township of {where} in the XUAR, and the "
                        f"record names {where} too."
                    )
                elif ambiguous or embedded:
                    w = W_TOWNSHIP_WEAK
                    why = f"'{span}' may name {town.name_zh} ({where}, XUAR), but " + (
                        "it is part of a longer word here."
                        if embedded and not ambiguous
                        else "townships elsewhere in China share that name or its pinyin: weak on its own."
                    )
                else:
                    w = W_TOWNSHIP
                    why = f"'{span}' names {town.name_zh} ({town.code}), a township of {where} in the XUAR."
                if inner:
                    if w <= inner:
                        continue  # the county or city the name starts with already counts (阿瓦提乡, 喀什镇)
                    w = round(w - inner, 2)
                if w >= W_TOWNSHIP - inner:
                    for i, s in enumerate(signals):
                        if (
                            s.field == field
                            and s.kind == "country_context"
                            and s.weight < 0
                            and s.span in span
                        ):
                            signals[i] = s.model_copy(
                                update={
                                    "kind": "trap",
                                    "weight": 0.0,
                                    "explanation": f"'{s.span}' is part of the township name '{span}' here, "
                                    "not the place elsewhere in China.",
                                }
                            )
                signals.append(
                    LocationSignal(
                        kind="structured_region" if field == "region" else "place_name",
                        field=field,
                        span=span,
                        matched=matched,
                        weight=w,
                        explanation=why,
                    )
                )

    def _structured_signals(self, field: str, text: str, signals: list[LocationSignal]) -> None:
        """A region or city field that names no place exactly: a two-syllable pinyin form, pinyin initials,
        or a one-letter slip from a region or prefecture name.

        Why only structured fields: a field that holds a region or a city and nothing else has few ways to be
        wrong, so "Xingjiang" or "WLMQ" there is the region or Urumqi; in free text the same leniency would
        turn ordinary words into places.
        """
        folded = fold_key(text)
        value = re.sub(r"\b(?:city|shi|province|sheng|region|diqu|prefecture|autonomous region)$", "", folded)
        value = value.strip()
        if not value:
            return
        place = self._structured.get(value)
        how = "the region or prefecture's name in pinyin syllables"
        if place is None and value.isascii() and value.isalpha() and 4 <= len(value) <= 6:
            place = self._initials.get(value)
            how = "the initials of the pinyin syllables of its name (an ERP abbreviation)"
        if place is None:
            for token in value.split():
                target = self._one_edit(token, field)
                if target is not None:
                    place, key = target
                    how = f"one letter off '{key}'"
                    break
        if place is None:
            return
        signals.append(
            LocationSignal(
                kind="structured_region" if field == "region" else "place_name",
                field=field,
                span=text,
                matched=f"{place.division_code} {place.name_en} (approximate)",
                weight=W_FUZZY,
                explanation=f"The {field} field '{text}' is {how}: {place.name_en}. A weaker signal than an "
                "exact name.",
            )
        )

    def _one_edit(self, token: str, field: str) -> tuple[Place, str] | None:
        """The region/prefecture name a token is one edit (same first letter) away from, if any.

        A token that is itself valid pinyin of 2+ syllables is likely another Chinese place (Taicheng is not
        a slip for Tacheng), so it is forgiven only when the field is the region and the target is the
        region itself (Xingjiang).
        """
        if len(token) < 6 or not token.isascii() or not token.isalpha():
            return None
        pinyin = _is_pinyin(token)
        for key, place in self._fuzzy.items():
            if key[0] != token[0] or abs(len(key) - len(token)) > 1 or not _one_edit(key, token):
                continue
            if pinyin and not (field == "region" and place.level == "region"):
                continue
            return place, key
        return None

    def _xpcc_signal(
        self,
        field: str,
        text: str,
        signals: list[LocationSignal],
        cap: float | None = None,
        country: str | None = None,
    ) -> None:
        """One signal if the text names a unit of the XPCC (Bingtuan), every one of which is in the XUAR.

        Divisions are numbered 1-14 (第八师, formerly 农八师 until 2012; "8th Division"); regiment farms carry
        numbers (一二一团 read digit by digit, 150团, "121st Regiment", "150 Tuan"). "团" and "Division" are
        common words, so a number alone counts only in forms the XPCC uses (3-digit 一四三团, "N Tuan"), and
        an English division or regiment counts only with the other or with "XPCC"/"Bingtuan".
        """
        found = _xpcc_units(fold_key(text), text, self._regiments)
        if found is None:
            return
        weight, span, what, needs_china = found
        if needs_china and country != "CN":
            weight = W_WEAK
        if cap is not None:
            weight = min(weight, cap)
        signals.append(
            LocationSignal(
                kind="place_name",
                field=field,
                span=span,
                matched=f"XPCC unit ({what})",
                weight=weight,
                explanation=f"'{span}' names {what} of the Xinjiang Production and Construction Corps, whose "
                "divisions and regiment farms are all in the XUAR.",
            )
        )

    def _name_signals(
        self,
        field: str,
        text: str,
        country: str | None,
        signals: list[LocationSignal],
        named: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> None:
        hits = self._scan(text)
        for hit in hits:
            entry = hit.entry
            if hit.street or entry.strength == "weak":
                continue
            if entry.strength == "other":
                if hit.embedded or self._county_reading(hit, hits) is not None:
                    continue
                signals.append(
                    LocationSignal(
                        kind="country_context",
                        field=field,
                        span=hit.span,
                        matched=entry.label,
                        weight=W_OTHER_NAME,
                        explanation=f"The name contains {entry.label}, a place in China outside the XUAR.",
                    )
                )
                return
            place = entry.place
            assert place is not None
            if entry.strength == "abroad" and country != "CN":
                continue
            if place.division_code in named:
                return  # the same place already named in the address or city: one piece of evidence
            signals.append(
                LocationSignal(
                    kind="place_name",
                    field=field,
                    span=hit.span,
                    matched=f"{place.division_code} {place.name_en}",
                    weight=W_NAME,
                    explanation=f"The name carries '{hit.span}' ({place.name_en}): company names start "
                    "with the "
                    "place of registration; weaker than an address.",
                )
            )
            return

    def _settle_homographs(self, signals: list[LocationSignal]) -> None:
        """A county name shared with a county elsewhere ("Qinghe County": Altay's 青河县 or Hebei's 清河县)
        is settled for the XUAR when the record names that XUAR county again in other words: one of its
        townships ("Tamutuogelake Xiang" with "Xinhe County") or another of its names ("Keriya Town,
        Yutian County"). Alone, the two readings cancel and a person decides."""
        for i, s in enumerate(signals):
            twins = self._homographs.get(s.matched) if s.kind == "country_context" and s.weight < 0 else None
            if not twins:
                continue
            positive = [p for p in signals if p.weight > 0 and p.kind in ("place_name", "structured_region")]
            again = next(
                (
                    p
                    for p in positive
                    if (p.field, p.span) != (s.field, s.span) and p.matched.split(" ", 1)[0][:6] in twins
                ),
                None,
            )
            if again is not None:
                signals[i] = s.model_copy(
                    update={
                        "kind": "trap",
                        "weight": 0.0,
                        "explanation": f"'{s.span}' could be {s.matched} elsewhere in China, but the record "
                        f"also names '{again.span}' in the same XUAR county: the XUAR reading.",
                    }
                )

    @staticmethod
    def _country_overrides(signals: list[LocationSignal]) -> bool:
        """A foreign country field against nothing but place names: the country decides.

        Why: a bare name such as "Kashi" (also Varanasi) or "Aksu" is exactly what homonyms abroad share,
        while the country field is an explicit statement; against site-specific evidence (coordinates, a
        postal code, a registration code) the conflict stays "uncertain".
        """
        country = any(s.kind == "country_context" and s.field == "country" and s.weight < 0 for s in signals)
        positives = [s for s in signals if s.weight > 0]
        return country and all(s.kind in ("place_name", "structured_region") for s in positives)

    def _decide(self, signals: list[LocationSignal]) -> LocationResult:
        score = max(-12.0, min(12.0, sum(s.weight for s in signals)))
        top = max((s.weight for s in signals), default=0.0)
        bottom = min((s.weight for s in signals), default=0.0)
        verdict: bool | str
        coord = next((s for s in signals if s.kind == "coordinates" and abs(s.weight) >= W_COORD), None)
        rest = score - coord.weight if coord is not None else 0.0
        if coord is not None and coord.weight > 0 and rest < 0 and abs(rest) <= COORD_OVERRIDE:
            # The site's own coordinates inside the XUAR against a place elsewhere named in the text (often
            # the head office): the site decides. The other way round (XUAR text, a point outside) stays a
            # conflict for review: a screen for the presumption must not clear a record on a point alone.
            verdict, confidence = True, 1 / (1 + math.exp(-max(coord.weight + rest, THRESHOLD)))
        elif not signals or (
            top >= CONFLICT
            and bottom <= -CONFLICT
            and abs(score) < 4
            and not self._country_overrides(signals)
        ):
            verdict, confidence = "uncertain", 0.5
        elif score >= THRESHOLD:
            verdict, confidence = True, 1 / (1 + math.exp(-score))
        elif score <= -THRESHOLD:
            verdict, confidence = False, 1 / (1 + math.exp(score))
        else:
            verdict, confidence = "uncertain", 0.5
        return LocationResult(
            in_xuar=verdict,
            confidence=round(confidence, 4),
            signals=signals,
            gazetteer_version=self.gazetteer.version,
        )


@lru_cache(maxsize=1)
def default_location_detector() -> LocationDetector:
    """The detector over the shipped gazetteer, boundary and context places, built once per process."""
    return LocationDetector(load_gazetteer(), default_boundary(), load_context_places(), load_townships())
