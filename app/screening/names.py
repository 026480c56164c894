"""Company-name normalisation for list matching: what of a name is identity, and what is decoration.

A supplier name as an ERP holds it ("HOSHINE SILICON IND (SHANSHAN) CO LTD") and as a list publishes it
("Hoshine Silicon Industry (Shanshan) Co., Ltd") differ in ways that carry no identity: case, width,
punctuation, abbreviations, the legal form. They also differ in ways that do: the distinctive word
("Hoshine"), the city a subsidiary is registered in ("(Shanshan)" against "(Luzhou)"). This module turns a
name into a `NormalisedName` that keeps those apart:

- ``tokens``: canonical Latin tokens (abbreviations expanded, plurals and variants folded, pinyin of
  generic Chinese words translated), legal forms removed into ``legal``;
- ``qualifiers``: places named in brackets, which say *which* subsidiary, not *whose*;
- ``han``: the Chinese name, Traditional folded to Simplified, legal forms removed;
- ``bridge``: Latin tokens derived from the Chinese name (generic words translated, places in canonical
  spelling, the rest as toneless pinyin) so 新疆中泰化学 can be compared with "Xinjiang Zhongtai Chemical".

Generic words ("technology", 科技) are kept as tokens, marked generic: dropping them would make "Xinjiang
Cotton Trading" and "Xinjiang Trading" identical, keeping them at full weight would make any two trading
companies look alike. The weight each token gets is decided by the matcher (IDF over the list entries,
scaled by the token's kind from `token_kind`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from opencc import OpenCC  # type: ignore[import-untyped]
from pypinyin import lazy_pinyin
from rapidfuzz.distance import OSA


class TokenKind(StrEnum):
    """How much a token says about identity: distinctive > city > generic > province."""

    DISTINCTIVE = "distinctive"
    GENERIC = "generic"
    CITY = "city"
    PROVINCE = "province"


#: Abbreviations seen in ERP exports and list texts, folded to one canonical word. Variants of the same
#: word (industrial/industries, electronics/electric) fold together because lists and clients mix them.
ABBREVIATIONS: dict[str, str] = {
    "co": "company",
    "cos": "company",
    "coy": "company",
    "ltd": "limited",
    "ltda": "limited",
    "lmt": "limited",
    "corp": "corporation",
    "corpn": "corporation",
    "inc": "incorporated",
    "grp": "group",
    "ind": "industry",
    "inds": "industry",
    "indus": "industry",
    "industries": "industry",
    "industrial": "industry",
    "tech": "technology",
    "techn": "technology",
    "technol": "technology",
    "technologies": "technology",
    "intl": "international",
    "int": "international",
    "mfg": "manufacturing",
    "mfr": "manufacturing",
    "manufacture": "manufacturing",
    "sci": "science",
    "sciences": "science",
    "dev": "development",
    "devt": "development",
    "eng": "engineering",
    "engg": "engineering",
    "elec": "electric",
    "electrical": "electric",
    "electronic": "electric",
    "electronics": "electric",
    "mach": "machinery",
    "machine": "machinery",
    "machines": "machinery",
    "chem": "chemical",
    "chemicals": "chemical",
    "chemistry": "chemical",
    "pharm": "pharmaceutical",
    "pharma": "pharmaceutical",
    "pharmaceuticals": "pharmaceutical",
    "biotech": "biotechnology",
    "bio": "biotechnology",
    "biological": "biotechnology",
    "textiles": "textile",
    "materials": "material",
    "matl": "material",
    "metals": "metal",
    "products": "product",
    "prod": "product",
    "accessories": "accessory",
    "garments": "garment",
    "resources": "resource",
    "equip": "equipment",
    "eqpt": "equipment",
    "svc": "service",
    "svcs": "service",
    "services": "service",
    "hldg": "holding",
    "hldgs": "holding",
    "holdings": "holding",
    "natl": "national",
    "imp": "import",
    "exp": "export",
    "trade": "trading",
    "tradg": "trading",
    "dept": "department",
    "info": "information",
    "mgmt": "management",
    "investments": "investment",
    "mines": "mine",
    "mining": "mine",
    "indl": "industry",
    "econ": "economic",
    "fdn": "foundation",
    "fdtn": "foundation",
    "assn": "association",
    "assoc": "association",
    "colour": "color",
    "inst": "institute",
    "instn": "institution",
    # chemical symbols that stand for the metal in company names ("Tengxiang Mg Products"); only those
    # that are no pinyin syllable, legal form or common word (Si, Cu, Ti, Li are pinyin; Al is an
    # Arabic article; Co and AG are legal forms; PT is Indonesia's)
    "mg": "magnesium",
    "zn": "zinc",
    # exonyms: names the lists spell from another language than Mandarin pinyin
    "zhungeer": "junggar",
    "zhungaer": "junggar",
    "dzungaria": "junggar",
    "xj": "xinjiang",
    "hk": "hongkong",
    "bj": "beijing",
    "sh": "shanghai",
    "sz": "shenzhen",
}

#: Translation variants: two English renderings of one Chinese word, folded to one spelling. Lists and
#: ERP masters translate the same registered name independently, so 学院 comes out "Academy" or "College"
#: and 厅/局 of a government organ "Department" or "Bureau"; neither choice says which organ it is (the
#: place and the organ's words do).
TRANSLATION_VARIANTS: dict[str, str] = {
    "academy": "college",
    "department": "bureau",
    # 毛纺 is "Wool Textile" or "Woollen Textile" (British and American spelling alike)
    "woollen": "wool",
    "woolen": "wool",
}

#: Legal forms: say what kind of company, never which one. "group" is here because "(Group)" is added
#: and dropped freely in practice.
LEGAL_TOKENS: frozenset[str] = frozenset(
    {
        "company",
        "limited",
        "corporation",
        "incorporated",
        "llc",
        "gmbh",
        "plc",
        "jsc",
        "pjsc",
        "ojsc",
        "cjsc",
        "ag",
        "sa",
        "bv",
        "nv",
        "pte",
        "pvt",
        "private",
        "liability",
        "joint",
        "stock",
        "share",
        "shares",
        "group",
        "lp",
        "llp",
        "kg",
        "srl",
        "spa",
        # Malaysian, Indonesian, Australian and Latin forms (CBP's orders name many such companies):
        # Sdn. Bhd. = Sendirian Berhad, Tbk = Terbuka
        "bhd",
        "berhad",
        "sdn",
        "sendirian",
        "tbk",
        "pty",
        "ltda",
        "sarl",
        # pinyin legal forms: youxian gongsi, gufen youxian gongsi, youxian zeren gongsi, jituan
        "gongsi",
        "youxian",
        "zeren",
        "gufen",
        "jituan",
        "youxiangongsi",
        "gufenyouxiangongsi",
        "youxianzerengongsi",
    }
)

#: Dropped entirely: they carry nothing, not even a generic meaning.
STOPWORDS: frozenset[str] = frozenset({"and", "the", "of", "for", "de", "la", "et", "und", "a", "an"})

#: Generic words: kept as tokens but weighted low. Common in names, weak evidence of identity.
GENERIC_TOKENS: frozenset[str] = frozenset(
    {
        "industry",
        "technology",
        "trading",
        "import",
        "export",
        "science",
        "development",
        "engineering",
        "electric",
        "machinery",
        "chemical",
        "pharmaceutical",
        "new",
        "energy",
        "material",
        "international",
        "textile",
        "apparel",
        "garment",
        "manufacturing",
        "product",
        "information",
        "holding",
        "investment",
        "logistics",
        "metal",
        "nonferrous",
        "mine",
        "agriculture",
        "agricultural",
        "food",
        "biotechnology",
        "solar",
        "green",
        "resource",
        "power",
        "equipment",
        "business",
        "commerce",
        "commercial",
        "service",
        "enterprise",
        "factory",
        "warehouse",
        "national",
        "china",
        "chinese",
        "cotton",
        "linen",
        "silicon",
        "gold",
        "spinning",
        "yarn",
        "hair",
        "accessory",
        "color",
        "colour",
        "dyed",
        "melange",
        "fruit",
        "vegetable",
        "automation",
        "system",
        "digital",
        "network",
        "intelligent",
        "security",
        "software",
        "communication",
        "photovoltaic",
        "polysilicon",
        "construction",
        "production",
        "management",
        "department",
        "general",
        "import-export",
        "cnc",
        "grinding",
        "fiber",
        "fibre",
        "plastic",
        "paper",
        "steel",
        "aluminum",
        "aluminium",
        "mineral",
        "minerals",
        "research",
        "institute",
        "center",
        "centre",
        "bureau",
        "public",
        "new-energy",
        "shipping",
        "petroleum",
        "oil",
        "gas",
        "east",
        "west",
        "western",
        "north",
        "south",
        "great",
        "golden",
        "first",
        "united",
        "global",
        "asia",
        "pacific",
        "sino",
        "tomato",
        "seed",
        "seeds",
        "oriental",
        "star",
        "sun",
    }
)

#: Generic Chinese words and their English canonical tokens, for the Chinese <-> Latin bridge.
HAN_GENERIC: dict[str, tuple[str, ...]] = {
    "新能源材料": ("new", "energy", "material"),
    "新能源": ("new", "energy"),
    "能源": ("energy",),
    "有色金属": ("nonferrous", "metal"),
    "金属": ("metal",),
    "进出口": ("import", "export"),
    "实业": ("industry",),
    "工业": ("industry",),
    "硅业": ("silicon", "industry"),
    "科技": ("technology",),
    "技术": ("technology",),
    "贸易": ("trading",),
    "商贸": ("trading",),
    "国际": ("international",),
    "材料": ("material",),
    "化学": ("chemical",),
    "化工": ("chemical",),
    "纺织": ("textile",),
    "服饰": ("apparel",),
    "服装": ("garment",),
    "发制品": ("hair", "accessory"),
    "制品": ("product",),
    "信息": ("information",),
    "电子": ("electric",),
    "电气": ("electric",),
    "机械": ("machinery",),
    "发展": ("development",),
    "投资": ("investment",),
    "控股": ("holding",),
    "矿业": ("mine",),
    "金矿": ("gold", "mine"),
    "生物": ("biotechnology",),
    "食品": ("food",),
    "农业": ("agriculture",),
    "光伏": ("photovoltaic",),
    "太阳能": ("solar",),
    "绿色": ("green",),
    "棉麻": ("cotton", "linen"),
    "黄金": ("gold",),
    "色纺": ("color", "spinning"),
    "制造": ("manufacturing",),
    "数字": ("digital",),
    "生产建设兵团": ("production", "construction", "corps"),
    # 兵团 alone is how Xinjiang writes the XPCC (生产建设兵团): the same three tokens, so "Bingtuan" and
    # "Production and Construction Corps" meet
    "兵团": ("production", "construction", "corps"),
    "西部": ("western",),
    "东方": ("east",),
    "中国": ("china",),
}

#: Chinese legal forms, longest first so 股份有限公司 is removed whole.
HAN_LEGAL: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "股份",
)

#: Place names: canonical Latin spelling -> level. Variants (Hetian/Hotan, Akesu/Aksu) fold to one.
PLACE_SYNONYMS: dict[str, str] = {
    "hetian": "hotan",
    "khotan": "hotan",
    "akesu": "aksu",
    "kashi": "kashgar",
    "tulufan": "turpan",
    "turfan": "turpan",
    "wulumuqi": "urumqi",
    "kumul": "hami",
    "kelamayi": "karamay",
    "kuerle": "korla",
    "ili": "yili",
    "aletai": "altay",
    "alaer": "alar",
    "kuche": "kuqa",
    "peking": "beijing",
    "canton": "guangzhou",
    "xizang": "tibet",
    "hong": "hongkong",
    # 内蒙古 in pinyin, as the bridge reads it ("Neimenggu Xuanda Food" = "Inner Mongolia Xuanda Food")
    "neimenggu": "mongolia",
    "xuar": "xinjiang",
    "uighur": "uyghur",
}
#: Province-level municipalities: a bracketed or trailing one designates a subsidiary as a city does
#: ("Semiconductor Manufacturing International (Beijing) Corporation" is not the parent).
MUNICIPALITIES: frozenset[str] = frozenset({"beijing", "shanghai", "tianjin", "chongqing"})
PROVINCES: frozenset[str] = frozenset(
    {
        "xinjiang",
        "beijing",
        "shanghai",
        "tianjin",
        "chongqing",
        "hebei",
        "shanxi",
        "shaanxi",
        "liaoning",
        "jilin",
        "heilongjiang",
        "jiangsu",
        "zhejiang",
        "anhui",
        "fujian",
        "jiangxi",
        "shandong",
        "henan",
        "hubei",
        "hunan",
        "guangdong",
        "hainan",
        "sichuan",
        "guizhou",
        "yunnan",
        "gansu",
        "qinghai",
        "guangxi",
        "tibet",
        "ningxia",
        "mongolia",
        "hongkong",
        "macau",
        "uyghur",
        "uighur",
        "xuar",
    }
)
#: Xinjiang's cities and counties as names spell them: one list for the matcher's province table too.
XINJIANG_CITIES: tuple[str, ...] = (
    "urumqi",
    "hotan",
    "aksu",
    "kashgar",
    "turpan",
    "hami",
    "changji",
    "karamay",
    "shihezi",
    "korla",
    "yili",
    "bortala",
    "bayingolin",
    "kizilsu",
    "altay",
    "tacheng",
    "shanshan",
    "yanqi",
    "wujiaqu",
    "tumxuk",
    "alar",
    "kuqa",
    "zhundong",
    "manas",
    "fukang",
    "kuitun",
    "wusu",
    "bole",
    "yining",
    "huocheng",
    "yarkand",
    "shache",
    "moyu",
    "lop",
    "luopu",
    "qiemo",
    "ruoqiang",
    "bachu",
    "maralbexi",
    "tekes",
    "qapqal",
    "nilka",
    "xinyuan",
    "zhaosu",
    "gongliu",
    "hatu",
)
CITIES: frozenset[str] = frozenset(
    {
        *XINJIANG_CITIES,
        "tai'an",
        "hefei",
        "nanjing",
        "nanchang",
        "hangzhou",
        "zhuhai",
        "shenzhen",
        "xiamen",
        "wuxi",
        "donghai",
        "luzhou",
        "jiaxing",
        "baoding",
        "chengdu",
        "guangzhou",
        "suzhou",
        "ningbo",
        "dongguan",
        "foshan",
        "qingdao",
        "dalian",
        "wuhan",
        "changsha",
        "xian",
        "zhengzhou",
        "jinan",
        "kunming",
        "lanzhou",
        "xining",
        "yinchuan",
        "hohhot",
        "harbin",
        "changchun",
        "shenyang",
        "shijiazhuang",
        "taiyuan",
        "fuzhou",
        "guiyang",
        "nanning",
        "haikou",
        "lhasa",
        "yangzhou",
        "changzhou",
        "nantong",
        "xuzhou",
        "wenzhou",
        "shaoxing",
        "huzhou",
        "jinhua",
        "taizhou",
        "yantai",
        "weifang",
        "zibo",
        "tangshan",
        "handan",
        "hengshui",
        "zhangjiakou",
        "langfang",
        "cangzhou",
        "baotou",
        "ordos",
        "yulin",
        "baoji",
        "mianyang",
        "leshan",
        "yibin",
        "zigong",
        "panzhihua",
        "quzhou",
        "lishui",
        "jiujiang",
        "ganzhou",
        "shangrao",
        "yichun",
        "xinyu",
        "lianyungang",
        "huaian",
        "yancheng",
        "zhenjiang",
        "zhongshan",
        "jiangmen",
        "huizhou",
        "shantou",
        "zhanjiang",
        "dongying",
        "linyi",
        "liaocheng",
        "dezhou",
        "binzhou",
        "jining",
        "weihai",
        "rizhao",
        "zaozhuang",
        "heze",
        "shouguang",
        "jiayuguan",
        "jiuquan",
        "zhangye",
        "wuwei",
        "tianshui",
        "baiyin",
        "golmud",
        "delingha",
        "kashi",
        "hetian",
    }
)
#: Chinese spellings of places, so the bridge can tell a place from a brand.
HAN_PLACES: tuple[str, ...] = (
    "新疆维吾尔自治区",
    "新疆",
    "乌鲁木齐",
    "和田",
    "阿克苏",
    "喀什",
    "吐鲁番",
    "哈密",
    "昌吉",
    "克拉玛依",
    "石河子",
    "库尔勒",
    "伊犁",
    "鄯善",
    "焉耆",
    "五家渠",
    "阿拉尔",
    "库车",
    "准东",
    "合肥",
    "南京",
    "南昌",
    "杭州",
    "珠海",
    "深圳",
    "厦门",
    "无锡",
    "东海",
    "泸州",
    "嘉兴",
    "保定",
    "天津",
    "北京",
    "上海",
    "重庆",
    "广东",
    "浙江",
    "安徽",
    "江苏",
    "河北",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "四川",
    "福建",
    "江西",
    "广州",
    "成都",
    "苏州",
    "宁波",
    "青岛",
    "大连",
    "武汉",
    "西安",
    "郑州",
    "长沙",
    "内蒙古",
    "包头",
    "鄂尔多斯",
    "甘肃",
    "青海",
    "宁夏",
    "陕西",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "云南",
    "贵州",
    "广西",
    "海南",
    "香港",
)
_HAN_PLACE_LATIN: dict[str, str] = {
    "新疆维吾尔自治区": "xinjiang",
    "内蒙古": "mongolia",
    "陕西": "shaanxi",
    "香港": "hongkong",
    "鄂尔多斯": "ordos",
    "阿拉尔": "alar",
    "库车": "kuqa",
}
#: Chinese names whose list spelling is an exonym, not pinyin (准噶尔 is "Junggar", not "zhungeer").
HAN_EXONYMS: dict[str, str] = {"准噶尔": "junggar"}
#: Characters OpenCC's t2s leaves alone but that differ between Taiwan and mainland usage.
_EXTRA_T2S = str.maketrans({"矽": "硅", "臺": "台", "鑛": "矿"})


def _by_first_char(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The words grouped by first character, in their given order (so the first that matches is the same).

    Why: the bridge tries every place and generic word at every character; only those starting with
    that character can match.
    """
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[0], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


_EXONYMS_AT = _by_first_char(HAN_EXONYMS)
_PLACES_AT = _by_first_char(HAN_PLACES)
_GENERIC_AT = _by_first_char(sorted(HAN_GENERIC, key=len, reverse=True))


@cache
def _han_place_latin(place: str) -> str:
    return _HAN_PLACE_LATIN.get(place) or "".join(lazy_pinyin(place))


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BRACKET = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_LATIN_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: single letters joined by dots: "s.a.", "l.l.c", "s. a."
_DOTTED = re.compile(r"(?<![a-z0-9])[a-z](?:\.\s?[a-z])+\.?(?![a-z0-9])")
#: bracketed abbreviations of a legal form: India's "(P) Ltd" is Private Limited
_BRACKET_LEGAL: frozenset[str] = frozenset({"p"})
_t2s = OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC (full-width -> ASCII, compatibility forms), Traditional -> Simplified, lower-case.

    Why: the same supplier arrives full-width from a Chinese ERP, in Traditional characters from a Hong
    Kong or Taiwan office and upper-case from a customs filing; none of that is identity.
    """
    if text.isascii():
        return text.lower()  # NFKC and NFD leave ASCII as it is, and it has no Chinese or accents
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u3001", ",").replace("\u3002", ".").replace("\u00b7", " ")
    if _HAN.search(text):
        text = str(_t2s.convert(text)).translate(_EXTRA_T2S)
    # accents (é -> e): a transliteration choice, not identity
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return text.lower()


def has_han(text: str | None) -> bool:
    """True if the text contains Chinese characters (and so can be compared with a list's Chinese name)."""
    return bool(text and _HAN.search(text))


def canonical_place(token: str) -> str:
    """Fold a place spelling to one canonical form (Hetian -> hotan, Luopu -> lop, Aqsu -> aksu), leaving
    other tokens unchanged."""
    return PLACE_SYNONYMS.get(token) or _gazetteer_folds().get(token, token)


#: Words after a place name that say what kind of division it is ("Lop County", "Aksu City").
_DIVISION_WORDS: frozenset[str] = frozenset({"county", "city", "prefecture", "shi", "xian", "diqu"})


@lru_cache(maxsize=1)
def _gazetteer_folds() -> dict[str, str]:
    """One-word Latin names of the XUAR's divisions (pinyin, Uyghur and other romanisations) -> the
    spelling the matcher's place tables use for that division.

    Why: a company name carries its county or city in whatever romanisation its translator chose
    ("Luopu County Meixin" for the listed "Lop County Meixin", "Aqsu Huafu" for "Aksu Huafu"); the
    gazetteer (`loaders/data/xuar_gazetteer.csv`, each name sourced there) already knows every name of
    each division, so it is the one source of these variants. Only divisions the tables already name
    are folded, a word that is already something else (a generic word, a legal form, another place) is
    never taken for a place, and a word naming two different divisions is left alone.
    """
    try:
        from loaders.gazetteer import load_gazetteer

        places = load_gazetteer().places
    except (OSError, ValueError):  # pragma: no cover - the shipped file is checked by its own tests
        return {}
    known = CITIES | PROVINCES
    reserved = GENERIC_TOKENS | LEGAL_TOKENS | STOPWORDS | frozenset(ABBREVIATIONS)
    out: dict[str, str] = {}
    clash: set[str] = set()
    for place in places:
        words: list[str] = []
        # a weak name (one that is also something else: 乌市 "Wushi", 博州 "Bozhou") only when it is the
        # division's own pinyin ("Luopu" for Lop County)
        pinyin = place.pinyin_spaced.replace(" ", "").lower()
        weak = [n for n in place.weak_names if fold(n) == pinyin]
        for name in (place.name_en, *place.names, *weak):
            parts = fold(name).replace("-", " ").replace("'", "").split()
            while len(parts) > 1 and parts[-1] in _DIVISION_WORDS:
                parts.pop()
            if len(parts) == 1 and parts[0].isascii() and parts[0].isalpha() and len(parts[0]) >= 3:
                words.append(parts[0])
        canon = next((c for c in (PLACE_SYNONYMS.get(w, w) for w in words) if c in known), None)
        if canon is None:
            continue
        for w in words:
            if w in reserved or w in PLACE_SYNONYMS or w == canon:
                continue
            if w in known and w != pinyin:
                continue  # a place of its own in the tables, unless it is this division's pinyin
            if out.setdefault(w, canon) != canon:
                clash.add(w)
    for w in clash:
        del out[w]
    return out


def token_kind(token: str) -> TokenKind:
    """What a canonical token is: the weight the matcher gives it depends on this."""
    if token in PROVINCES:
        return TokenKind.PROVINCE
    if token in CITIES:
        return TokenKind.CITY
    if token in GENERIC_TOKENS:
        return TokenKind.GENERIC
    return TokenKind.DISTINCTIVE


@lru_cache(maxsize=1)
def _pinyin_generic() -> dict[str, tuple[str, ...]]:
    """Pinyin spellings of the generic Chinese words ("huaxue" -> chemical), built from `HAN_GENERIC`.

    Why: names romanised wholesale ("Xinjiang Zhongtai Huaxue Gufen Youxian Gongsi") should meet the
    translated list spelling ("Xinjiang Zhongtai Chemical Co., Ltd.").
    """
    out: dict[str, tuple[str, ...]] = {}
    for han, english in HAN_GENERIC.items():
        key = "".join(lazy_pinyin(han))
        out.setdefault(key, english)
    return out


def _canonical_latin(raw_tokens: list[str]) -> list[str]:
    """Expand abbreviations, translate pinyin generic words, join split pinyin words, fold places."""
    pg = _pinyin_generic()
    out: list[str] = []
    i = 0
    while i < len(raw_tokens):
        tok = raw_tokens[i]
        # "hua xue" / "xin neng yuan": a generic word romanised syllable by syllable
        joined = False
        for span in (3, 2):
            if i + span <= len(raw_tokens):
                cand = "".join(raw_tokens[i : i + span])
                if cand in pg:
                    out.extend(pg[cand])
                    i += span
                    joined = True
                    break
        if joined:
            continue
        if tok in _PLACE_PHRASE_FIRST and i + 1 < len(raw_tokens):
            second = raw_tokens[i + 1]
            # "Inner Mongolai": the second word may carry a slip `_word` corrects
            phrase = _PLACE_PHRASES.get((tok, second)) or _PLACE_PHRASES.get((tok, _word(second)))
            if phrase is not None:
                out.append(phrase)
                i += 2
                continue
        if tok in pg and tok not in GENERIC_TOKENS:
            out.extend(pg[tok])
        else:
            out.append(_word(tok))
        i += 1
    return out


@lru_cache(maxsize=65536)
def _word(token: str) -> str:
    """One Latin word in canonical form: abbreviation expanded, slip corrected, compound ending and
    translation variant folded, place spelling folded."""
    word = ABBREVIATIONS.get(token) or _decompound(_spell(token))
    word = _generic_stem(ABBREVIATIONS.get(word, word))
    return canonical_place(TRANSLATION_VARIANTS.get(word, word))


@lru_cache(maxsize=65536)
def _generic_stem(word: str) -> str:
    """Fold the plural or -ing form of a generic word to the word ("foods" -> food, "warehousing" ->
    warehouse); any other word is returned as it is.

    Why: lists and ERP masters translate the same 食品 or 仓储 as "Food" or "Foods", "Warehouse" or
    "Warehousing"; left apart, the variant counts as an unmatched distinctive word and sinks an otherwise
    exact name. Only generic words fold: a trade name ending in "s" or "ing" is spelt as registered.
    """
    if len(word) < 5 or word in GENERIC_TOKENS or not word.isalpha():
        return word
    if word.endswith("s") and word[:-1] in GENERIC_TOKENS:
        return word[:-1]
    if word.endswith("ing"):
        stem = word[:-3]
        for cand in (stem, stem + "e"):
            if cand in GENERIC_TOKENS:
                return cand
    return word


#: Places written in two words, folded to the one token the rest of the tables use.
_PLACE_PHRASES: dict[tuple[str, str], str] = {
    ("hong", "kong"): "hongkong",
    ("inner", "mongolia"): "mongolia",
    ("nei", "menggu"): "mongolia",
}
_PLACE_PHRASE_FIRST: frozenset[str] = frozenset(a for a, _ in _PLACE_PHRASES)


@lru_cache(maxsize=1)
def _compound_suffixes() -> tuple[tuple[str, str], ...]:
    """Variant endings of generic words (electronics -> electric), longest first, for `_decompound`."""
    pairs = {(k, v) for k, v in ABBREVIATIONS.items() if len(k) >= 6 and v in GENERIC_TOKENS and k != v}
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=65536)
def _decompound(token: str) -> str:
    """Fold the generic word a compound ends with: "microelectronics" -> "microelectric".

    Why: the same name is written "Microelectronics" and "Micro-electronics"; the hyphenated form is two
    tokens whose second folds (electronics -> electric), so the one-word form must fold its ending the same
    way for the matcher's join of adjacent tokens ("micro" + "electric") to find it.
    """
    if len(token) < 6 or not token.isalpha() or token in ABBREVIATIONS:
        return token
    if len(token) >= 9:
        for suffix, canonical in _compound_suffixes():
            if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                return token[: -len(suffix)] + canonical
        # one slip in a long ending ("Microelectronis"): the ending is a known word, so a letter dropped,
        # added, swapped or mistyped in it is a typing error, not another name
        for suffix, canonical in _compound_suffixes():
            n = len(suffix)
            if n < 8:
                continue
            for cut in (n - 1, n, n + 1):
                stem = token[:-cut]
                if len(stem) >= 3 and OSA.distance(token[-cut:], suffix, score_cutoff=1) <= 1:
                    return stem + canonical
    vocab = _vocabulary()
    if vocab.get(token) == token:
        return token
    for suffix, canonical in _JOINED_ABBREVIATIONS.items():
        # "PuTech" is "Pu-Tech" written joined: its second half is the abbreviation the hyphenated form
        # expands ("tech" -> technology), so the joined form expands it too
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            return token[: -len(suffix)] + canonical
    return token


#: Abbreviations that end brand names written with a hyphen ("Pu-Tech", "Sino-Chem"), expanded when the
#: hyphen is dropped too (`_decompound`).
_JOINED_ABBREVIATIONS: dict[str, str] = {"tech": "technology", "chem": "chemical", "pharm": "pharmaceutical"}


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Single-deletion variants of the known words (legal forms, generic words, places) -> the word."""
    words = {*LEGAL_TOKENS, *GENERIC_TOKENS, *PROVINCES, *CITIES, *ABBREVIATIONS.values()}
    # spelt-out variants ("accessories", "industries"): a slip in one is as harmless as in the word
    words |= {k for k in ABBREVIATIONS if len(k) >= 7}
    words |= {*TRANSLATION_VARIANTS, *TRANSLATION_VARIANTS.values()}
    out: dict[str, str] = {}
    for w in sorted(words):
        if len(w) >= 5 and w.isalpha():
            for v in (w, *(w[:i] + w[i + 1 :] for i in range(len(w)))):
                out.setdefault(v, w)
    return out


@lru_cache(maxsize=65536)  # pure, and every token of every name goes through it
def _spell(token: str) -> str:
    """Correct a one-letter slip in a *known* word ("Gruop", "Xinjaing", "Intelilgent").

    Why only known words: a typo in the trade name is the matcher's business (a fuzzy token match it can
    report); a typo in "Group" or "Xinjiang" would otherwise turn a decoration into an unmatched,
    distinctive-looking token and sink an otherwise exact name.
    """
    if len(token) < 5 or not token.isalpha():
        return token
    vocab = _vocabulary()
    if vocab.get(token) == token or token in ABBREVIATIONS:
        return token
    for v in (token, *(token[:i] + token[i + 1 :] for i in range(len(token)))):
        word = vocab.get(v)
        if word and word[0] == token[0] and OSA.distance(token, word, score_cutoff=1) <= 1:
            # places only by transposition: Tanyuan is a trade name, not a misspelt Taiyuan
            if (word in CITIES or word in PROVINCES) and sorted(word) != sorted(token):
                continue
            return word
    return token


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable pypinyin knows (about 410)."""
    from pypinyin.constants import PINYIN_DICT

    chars = "".join(chr(c) for c in PINYIN_DICT if 0x4E00 <= c <= 0x9FFF)
    return frozenset(s for s in lazy_pinyin(chars) if s.isalpha())


@lru_cache(maxsize=65536)
def pinyin_split(token: str) -> tuple[str, ...] | None:
    """The token as the fewest Mandarin syllables of 2+ letters ("zhongtai" -> zhong, tai), or None."""
    syl = pinyin_syllables()
    n = len(token)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prefix = best[i]
        if prefix is None:
            continue
        for j in range(i + 2, min(n, i + 6) + 1):
            if token[i:j] in syl:
                cand = (*prefix, token[i:j])
                current = best[j]
                if current is None or len(cand) < len(current):
                    best[j] = cand
    return best[n]


def is_pinyin_word(token: str) -> bool:
    """True if the token splits into Mandarin syllables ("zhongtai", "tanyuan")."""
    return pinyin_split(token) is not None


def other_pinyin_name(a: str, b: str) -> bool:
    """True when two tokens are valid pinyin of as many syllables, differing in exactly one syllable.

    Why: Zhongtai / Zhongtian or Tanyuan / Tianyuan are other trade names far more often than typing
    errors, so the matcher does not forgive that one letter; "Chenugang" (three syllables against the two
    of "Chenguang") is still a typo.
    """
    sa, sb = pinyin_split(a), pinyin_split(b)
    if sa is None or sb is None or len(sa) != len(sb) or len(sa) < 2:
        return False
    return sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def latin_tokens(text: str) -> list[str]:
    """Canonical Latin tokens of already-folded text, legal forms and stopwords included."""
    return list(_latin_tokens(text))


@lru_cache(maxsize=65536)  # the matcher tokenises a record's address twice (as a name and for places)
def _latin_tokens(text: str) -> tuple[str, ...]:
    if "." in text:
        # dotted initials are one word: "S.A." = SA, "L.L.C." = LLC (so legal forms are found as such)
        text = _DOTTED.sub(lambda m: m.group(0).replace(".", "").replace(" ", ""), text)
    raw = [t.replace("'", "") for t in _LATIN_TOKEN.findall(text.replace("&", " and "))]
    return tuple(_canonical_latin(_join_letters(raw)))


def _join_letters(raw: list[str]) -> list[str]:
    """Join a run of 2+ single letters into one word: "R I A" (an ERP's "R.I.A.") = RIA, "L L C" = LLC.

    Why: initials lose their dots in ERP exports; as separate letters they match nothing (and "a" is
    even a stopword), while the dotted spelling on the other side is one word.
    """
    if sum(len(t) == 1 for t in raw) < 2:
        return raw
    out: list[str] = []
    run: list[str] = []
    for t in (*raw, ""):
        if len(t) == 1 and t.isalpha():
            run.append(t)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if t:
            out.append(t)
    return out


@dataclass(frozen=True)
class NormalisedName:
    """A name split into what identifies (tokens, han) and what qualifies or decorates it."""

    original: str
    #: Canonical Latin tokens, legal forms and stopwords removed, bracketed places removed.
    tokens: tuple[str, ...]
    #: Legal-form tokens found (e.g. company, limited, group), for the explanation only.
    legal: tuple[str, ...]
    #: Canonical places named in brackets: "(Shanshan)" -> ("shanshan",).
    qualifiers: tuple[str, ...]
    #: Simplified Chinese name, legal forms and bracketed qualifiers removed ("" if no Chinese).
    han: str
    #: Latin tokens derived from the Chinese name (the pinyin bridge); empty if no Chinese.
    bridge: tuple[str, ...]
    #: Which bridge tokens are raw pinyin (not a translated generic word or a known place).
    bridge_pinyin: frozenset[str]
    #: The last word as written, when the name may have been cut by a fixed-width field (a long Latin
    #: name ending in a letter, whose last token is that word): "XINJIANG SAILING INFORMATION TECHNO" ->
    #: "techno". The matcher lets it stand for a longer word it begins. "" otherwise.
    tail: str = ""
    #: Words written in capitals in a name that also has lower case ("SZ DJI Technology" -> sz, dji),
    #: lower-cased; None when the name has no lower case at all (ERP capitals say nothing).
    capitals: frozenset[str] | None = None
    #: A country written in brackets after the legal form ("Camel Group Co., Ltd. (PRC)" -> "CN"): a note
    #: on where the company is, removed from the name. "" if none.
    country_note: str = ""
    #: The Latin words in the order written, legal forms and bracketed words included, stopwords left
    #: out: what `EntityMatcher` aligns a name cut by a fixed-width field with ("… CORPORATI" against
    #: "… Corporation Reserve Library"). Empty for a name without Latin words.
    sequence: tuple[str, ...] = ()
    #: How the name may have been cut by a fixed-width ERP field (`cut_end`): "width" (its length is a
    #: common field width, so it may end on a word boundary), "word" (long, ending in a letter, so only a
    #: last word that is the beginning of a longer one was cut), or "" (not cut).
    cut: str = ""

    @property
    def latin(self) -> tuple[str, ...]:
        """The tokens to compare with Latin names: the name's own, or the bridge for a Chinese-only name."""
        return self.tokens if self.tokens else self.bridge

    @property
    def places(self) -> frozenset[str]:
        """Every place the name mentions, in its words or in brackets."""
        toks = self.tokens if self.tokens else self.bridge
        return frozenset(t for t in (*toks, *self.qualifiers) if t in PROVINCES or t in CITIES)


def _strip_han_legal(han: str) -> tuple[str, list[str]]:
    found: list[str] = []
    for form in HAN_LEGAL:
        if form in han:
            found.append(form)
            han = han.replace(form, "")
    return han, found


def _bridge(han: str) -> tuple[list[str], set[str]]:
    """Segment a Chinese name into generic words, places and the rest; render each in Latin tokens."""
    tokens: list[str] = []
    pinyin_tokens: set[str] = set()
    run: list[str] = []

    def flush() -> None:
        # a run of characters that is neither a place nor a generic word: the trade name, mostly two
        # characters a word; an odd last character joins the word before it
        chunks = [run[i : i + 2] for i in range(0, len(run), 2)]
        if len(chunks) > 1 and len(chunks[-1]) == 1:
            last = chunks.pop()
            chunks[-1] = chunks[-1] + last
        for chunk in chunks:
            tok = "".join(lazy_pinyin("".join(chunk)))
            tokens.append(canonical_place(tok))
            if tok not in CITIES and tok not in PROVINCES:
                pinyin_tokens.add(tok)
        run.clear()

    i = 0
    while i < len(han):
        hit = False
        first = han[i]
        for han_word in _EXONYMS_AT.get(first, ()):
            if han.startswith(han_word, i):
                flush()
                tokens.append(HAN_EXONYMS[han_word])
                i += len(han_word)
                hit = True
                break
        if hit:
            continue
        for place in _PLACES_AT.get(first, ()):
            if han.startswith(place, i):
                flush()
                tokens.append(canonical_place(_han_place_latin(place)))
                i += len(place)
                hit = True
                break
        if hit:
            continue
        for word in _GENERIC_AT.get(first, ()):
            if han.startswith(word, i):
                flush()
                tokens.extend(HAN_GENERIC[word])
                i += len(word)
                hit = True
                break
        if hit:
            continue
        ch = han[i]
        if _HAN.match(ch):
            run.append(ch)
        else:
            flush()
        i += 1
    flush()
    return tokens, pinyin_tokens


@lru_cache(maxsize=65536)
def normalise(name: str) -> NormalisedName:
    """Normalise one name (any script). Cached: list names are normalised once, queries repeat a lot."""
    folded = fold(name)
    qualifiers: list[str] = []
    legal: list[str] = []
    inline: list[str] = []

    # Bracketed parts: a place is a qualifier ("(Shanshan)"), a legal form is dropped ("(Group)"), anything
    # else (an acronym, "(SMIC)") stays part of the name.
    def bracket(m: re.Match[str]) -> str:
        inner = m.group(1)
        inner_han = "".join(_HAN.findall(inner))
        toks = latin_tokens(inner) if not inner_han else list(_bridge(_strip_han_legal(inner_han)[0])[0])
        if inner.strip() in _BRACKET_LEGAL:
            legal.append(inner.strip())
            return " "
        if inner_han and inner_han in HAN_LEGAL:
            legal.append(inner_han)
            return " "
        if toks and all(t in PROVINCES or t in CITIES for t in toks):
            qualifiers.extend(toks)
            return " "
        if toks and all(t in LEGAL_TOKENS for t in toks):
            legal.extend(toks)
            return " "
        inline.append(inner)
        return " " + inner + " "

    country_note = ""
    if folded.rstrip().endswith((")", "]")):
        country_note, folded = _country_bracket(folded)
    stripped = _BRACKET.sub(bracket, folded)
    han_raw = "".join(_HAN.findall(stripped))
    han, han_legal = _strip_han_legal(han_raw)
    legal.extend(han_legal)
    latin_part = _HAN.sub(" ", stripped)
    tokens: list[str] = []
    for tok in latin_tokens(latin_part):
        if tok in STOPWORDS:
            continue
        if tok in LEGAL_TOKENS:
            if tok == "corporation" and tokens[-2:] == ["production", "construction"]:
                # "Production and Construction Corp.": the XPCC's "Corps", abbreviated as a legal form
                tokens.append("corps")
            else:
                legal.append(tok)
            continue
        tokens.append(tok)
    if tokens and not han and _cut_legal_form(name, tokens[-1]):
        legal.append(tokens.pop())  # "… CO., LT": a legal form cut by a fixed-width field
    tokens = _fold_phrases(tokens)
    bridge, pinyin_tokens = _bridge(han) if han else ([], set())
    return NormalisedName(
        original=name,
        tokens=tuple(tokens),
        legal=tuple(legal),
        qualifiers=tuple(dict.fromkeys(qualifiers)),
        han=han,
        bridge=tuple(bridge),
        bridge_pinyin=frozenset(pinyin_tokens),
        tail=_cut_tail(name, latin_part, tokens) if not han else "",
        capitals=_capitals(name),
        country_note=country_note,
        sequence=tuple(t for t in latin_tokens(_HAN.sub(" ", folded)) if t not in STOPWORDS),
        cut="" if han else cut_end(name),
    )


#: Brackets that name a country, as words (`latin_tokens` of the bracket) -> ISO 3166-1 alpha-2.
_COUNTRY_BRACKETS: dict[tuple[str, ...], str] = {
    ("prc",): "CN",
    ("pr", "china"): "CN",
    ("china",): "CN",
    ("peoples", "republic", "china"): "CN",
    ("cn",): "CN",
    ("hongkong",): "HK",
    ("hksar",): "HK",
}
_TRAILING_BRACKET = re.compile(r"[(\[]([^()\[\]]*)[)\]][\s.,;]*$")


def _country_bracket(folded: str) -> tuple[str, str]:
    """(country code, the name without it) when the name ends in a bracketed country after its legal
    form: "camel group co., ltd. (prc)" -> ("CN", "camel group co., ltd."); ("", name) otherwise.

    Why: ERP masters append the country to the name; read as a word of the name, "PRC" is a distinctive
    token the list lacks and sinks the match. Only after a legal form other than "Group": before it, a
    bracketed country is part of the registered name of a foreign group's local company ("Siemens
    (China) Co., Ltd." is not Siemens AG), and "Esquel Group (Hong Kong)" is the group's Hong Kong arm.
    """
    m = _TRAILING_BRACKET.search(folded)
    if m is None:
        return "", folded
    words = tuple(t for t in latin_tokens(m.group(1)) if t != "of")
    code = _COUNTRY_BRACKETS.get(words)
    before = latin_tokens(folded[: m.start()])
    if code is None or not before or before[-1] not in LEGAL_TOKENS or before[-1] == "group":
        return "", folded
    return code, folded[: m.start()].rstrip()


#: Widths of ERP name fields seen in exports: a name of exactly this length may have been cut anywhere,
#: on a word boundary too.
FIELD_WIDTHS: frozenset[int] = frozenset({30, 35, 40})


def cut_end(name: str) -> str:
    """How a Latin name may have been cut by a fixed-width field: "width", "word" or "" (see
    `NormalisedName.cut`).

    Why two kinds: a name whose length is a field width ("LOP COUNTY NO. 4 VOCATIONAL SKILLS ", 35
    characters with the space the field kept) may have lost whole words; any other long name ending in a
    letter may only have lost the end of its last word, and only a last word that begins a longer word
    of the entry says so. A short name is never read as cut: it is more likely a shorter name.
    """
    text = name.strip()
    if len(text) < TRUNCATION_MIN_CHARS or not text.isascii():
        return ""
    if len(name) in FIELD_WIDTHS or len(text) in FIELD_WIDTHS:
        return "width"
    return "word" if text[-1].isalpha() else ""


_ASCII_UPPER = re.compile(r"[A-Z]")
#: a word of 2+ Latin capitals standing alone ("DJI" in "SZ DJI Technology", not the "T" of "Technology")
_ASCII_CAPS = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")


def _capitals(name: str) -> frozenset[str] | None:
    """See `NormalisedName.capitals`: in a mixed-case name, capitals mark an acronym."""
    if name.isupper() or name.islower() or not _ASCII_UPPER.search(name):
        return None  # all capitals, all lower case, or no Latin capital at all
    return frozenset(w.lower() for w in _ASCII_CAPS.findall(name))


#: A Latin name at least this long that ends in a letter may have been cut by a fixed-width ERP field
#: (30, 35 and 40 characters are common widths).
TRUNCATION_MIN_CHARS = 30
#: Ethnic words between a province and "autonomous region" (新疆维吾尔自治区, 广西壮族自治区...).
_AUTONOMOUS_ETHNIC: frozenset[str] = frozenset({"uyghur", "weiwuer", "zhuang", "zhuangzu", "hui", "huizu"})
#: A name without any of these words has no phrase for `_fold_phrases` to fold.
_PHRASE_STARTS: frozenset[str] = frozenset({"autonomous", "zizhiqu", "people", "peoples", "science"})


def _fold_phrases(tokens: list[str]) -> list[str]:
    """Fold multi-word variants that say the same thing to one form.

    - "Xinjiang Uyghur Autonomous Region" is the province Xinjiang (as 新疆维吾尔自治区 is in the bridge):
      lists write the full form, ERP records the short one;
    - "People's Government" between a place and an organ ("XUAR People's Government Public Security
      Bureau") only says whose organ it is: dropped unless it ends the name (the government itself);
    - "Science and Technology" and "Technology" both translate 科技.
    """
    if _PHRASE_STARTS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if out and out[-1] in PROVINCES:
            j = i + 1 if tok in _AUTONOMOUS_ETHNIC else i
            if tokens[j : j + 2] == ["autonomous", "region"]:
                i = j + 2
                continue
            if tokens[j : j + 1] == ["zizhiqu"]:
                i = j + 1
                continue
        if tok in ("people", "peoples") and i + 2 < n and tokens[i + 1] == "government":
            i += 2
            continue
        if tok == "science" and i + 1 < n and tokens[i + 1] == "technology":
            i += 1
            continue
        out.append(tok)
        i += 1
    return out


#: Legal forms as written in full, whose cut-off beginnings ("LT", "CORPORATI", "LIMI") end ERP names.
_LEGAL_WORDS: tuple[str, ...] = ("limited", "ltd", "corporation", "company", "incorporated", "berhad")


def _cut_legal_form(name: str, last: str) -> bool:
    """Whether the name's last word is the beginning of a legal form cut off by a fixed-width field.

    Only at the end of a name long enough to have been cut (`TRUNCATION_MIN_CHARS`), ending in a letter,
    and only for a word that is not a word of its own: "WESTERN GOLD HAMI GOLD MINE CO., LT" ends in a
    cut "Ltd", whose "LT" would otherwise count as a distinctive word the entry lacks.
    """
    text = name.strip()
    if len(text) < TRUNCATION_MIN_CHARS or not text[-1].isalpha() or len(last) < 2:
        return False
    if _vocabulary().get(last) == last or last in ABBREVIATIONS:
        return False
    return any(word.startswith(last) and word != last for word in _LEGAL_WORDS)


def _cut_tail(name: str, latin_part: str, tokens: list[str]) -> str:
    """The last word as written if the name may end in a cut word, else "" (see `NormalisedName.tail`)."""
    text = name.strip()
    if len(text) < TRUNCATION_MIN_CHARS or not text[-1].isalpha() or not tokens:
        return ""
    raw = _LATIN_TOKEN.findall(latin_part)
    if not raw:
        return ""
    last = raw[-1].replace("'", "")
    if _vocabulary().get(last) == last:
        return ""  # a whole known word ("Bureau", "Technology"): nothing was cut from it
    canonical = latin_tokens(last)
    return last if len(canonical) == 1 and canonical[0] == tokens[-1] else ""


def split_acronym(name: str) -> tuple[str, str] | None:
    """(the name without its bracketed acronym, the acronym) when a bracket holds the initials of the
    words before it: "Xinjiang Production and Construction Corps (XPCC)" -> ("Xinjiang Production and
    Construction Corps", "XPCC"); None otherwise.

    Why: lists and records add an entity's acronym in brackets, and compared as one more word of the
    name it sinks the match with the name written without it ("Xinjiang Production and Construction
    Corps") or with the acronym alone ("AASPT"). Both are names of the entity, so each counts as one.
    A bracket that is not the initials of the words before it ("(Shanshan)", "(SMIC)" after another
    name) is left to `normalise`.
    """
    if "(" not in name and "[" not in name:
        return None
    for m in _BRACKET.finditer(name):
        acronym = m.group(1).strip()
        unit = _UNIT_ACRONYM.fullmatch(acronym)
        if unit is not None and _is_unit_acronym(name[: m.start()], unit.group(1), unit.group(2)):
            rest = (name[: m.start()] + " " + name[m.end() :]).strip(" ,;")
            return " ".join(rest.split()), acronym
        if not (2 <= len(acronym) <= 8 and acronym.isascii() and acronym.isalpha()):
            continue
        words = [w for w in _LATIN_TOKEN.findall(fold(name[: m.start()])) if w.isalpha()]
        key = acronym.lower()
        for kept in (words, [w for w in words if w not in STOPWORDS]):
            initials = "".join(w[0] for w in kept)
            if len(kept) >= len(key) and initials.endswith(key):
                rest = (name[: m.start()] + " " + name[m.end() :]).strip(" ,;")
                return " ".join(rest.split()), acronym
    return None


#: "CETC 13": a group's acronym and the number of one of its units
_UNIT_ACRONYM = re.compile(r"([A-Za-z]{2,8})[\s-]?(\d{1,4})")


def _is_unit_acronym(before: str, letters: str, number: str) -> bool:
    """Whether "LETTERS NUMBER" abbreviates the name before it: the letters are the initials of its
    first words (legal forms such as "Group" may be skipped, as "CETC" skips it in "China Electronics
    Technology Group Corporation") and the number is a number of the name ("13th").

    Why: lists name a numbered unit of a group with the group's acronym and the unit's number in
    brackets ("... 13th Research Institute (CETC 13)"); a record that leaves the bracket out is the same
    unit, and one that gives only "CETC 13" is too. A code in capitals after a mixed-case name counts
    without the initials (the list may give the unit's name alone before it).
    """
    words = [w for w in _LATIN_TOKEN.findall(fold(before)) if w not in STOPWORDS]
    numbers = {n.lstrip("0") for w in words for n in re.findall(r"\d+", w)}
    if number.lstrip("0") not in numbers:
        return False
    if letters.isupper() and not before.isupper():
        return True  # a code in capitals after a name in mixed case ("13th Research Institute (CETC 13)")
    key = letters.lower()
    initials = ""
    for w in words:
        if len(initials) == len(key) or not w.isalpha():
            break
        if w in LEGAL_TOKENS and w != "corporation" and not key[len(initials) :].startswith(w[0]):
            continue
        initials += w[0]
        if not key.startswith(initials):
            return False
    return initials == key


def basic_normalise(name: str) -> str:
    """Lower-case, punctuation stripped, whitespace collapsed: what the rapidfuzz baseline is given.

    Kept here so the baseline and our matcher fold Unicode the same way and differ only in what they
    do beyond that.
    """
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())
