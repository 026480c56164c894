"""The entity matcher: is this supplier on a list, and which entry, with the evidence for it.

Built once from any number of `(ListVersion, entries)` pairs (UFLPA, BIS Entity List, OFAC SDN, CBP WRO...)
into an inverted index, then asked per record. The two costly errors pull in opposite directions: a missed
listed entity lets goods through under the UFLPA presumption; a false match against a sibling subsidiary
or a company that merely shares "Xinjiang ... Trading Co" stops a clean shipment and teaches reviewers to
ignore the tool. So the score is built from features a reviewer can check, each reported with its
contribution:

- ``identifier``: a valid USCC equal to the entry's is near-decisive; a different valid USCC counts
  strongly against; a USCC that fails its check character is reported as a warning and not used;
- ``name`` / ``alias`` / ``chinese_name`` / ``pinyin_bridge``: weighted token overlap of normalised names
  (`app.screening.names`), rare tokens weighing more (IDF over the entries), generic words and places less;
- ``location_qualifier``: a place that designates a subsidiary ("(Shanshan)", "... Hami Gold Mine") must
  agree; a different city is strong evidence of a different (sibling) company, a missing one caps the
  decision at `possible_match`;
- ``country``: a conflicting country lowers the score and caps at `possible_match`; a missing one is
  neutral;
- ``generic_only``: names that share only legal forms, generic words and places never reach a match.

Decision thresholds are the constants below; `docs/screening.md` has the evaluation they were set on.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from app.screening.model import Decision, Match, MatchFeature, ScreenRecord
from app.screening.names import (
    CITIES,
    LEGAL_TOKENS,
    MUNICIPALITIES,
    PROVINCES,
    XINJIANG_CITIES,
    NormalisedName,
    TokenKind,
    basic_normalise,
    fold,
    is_pinyin_word,
    latin_tokens,
    normalise,
    other_pinyin_name,
    pinyin_split,
    split_acronym,
    token_kind,
)
from app.screening.uscc import normalise_uscc, parse_uscc
from graph_schema import Company, ListEntry, ListVersion

#: At or above: `match` (treated as the entity, e.g. the UFLPA presumption applies).
MATCH_THRESHOLD = 0.85
#: At or above (and below `MATCH_THRESHOLD`, or capped): `possible_match`, for a person to review.
POSSIBLE_THRESHOLD = 0.60
#: A cap just under the match threshold: evidence is strong but something (a subsidiary's city, the
#: country) is unconfirmed or conflicting, so a person must decide.
REVIEW_CAP = MATCH_THRESHOLD - 0.01
#: Names sharing only generic words, places and legal forms cannot score above this (below possible).
GENERIC_ONLY_CAP = POSSIBLE_THRESHOLD - 0.05
#: A valid USCC equal to the entry's: the score is raised to at least this.
IDENTIFIER_MATCH_SCORE = 0.99
#: Two different valid USCCs: two different registered companies.
IDENTIFIER_CONFLICT_PENALTY = 0.5
#: A non-USCC registration number equal to one the entry lists.
OTHER_IDENTIFIER_MATCH_SCORE = 0.95
#: A subsidiary-designating city that differs ("(Shanshan)" vs "(Luzhou)"): a sibling company.
CITY_CONFLICT_PENALTY = 0.4
#: Cities or provinces in the registration prefix that differ ("Turpan Esquel" vs "Changji Esquel").
PREFIX_CONFLICT_PENALTY = 0.3
#: The record's country conflicts with every country the entry is known in.
COUNTRY_CONFLICT_PENALTY = 0.15
#: A designating city of the entry confirmed by the record's city or address.
QUALIFIER_SUPPORT = 0.05

#: Weight multipliers by token kind, applied on top of IDF.
KIND_WEIGHT: dict[TokenKind, float] = {
    TokenKind.DISTINCTIVE: 1.0,
    TokenKind.CITY: 0.6,
    TokenKind.GENERIC: 0.25,
    TokenKind.PROVINCE: 0.3,
}
#: How many index candidates (ranked by shared key weight) are scored in full per record.
MAX_CANDIDATES = 40
#: Skip the feature-by-feature scoring of a candidate whose best name score cannot reach
#: `POSSIBLE_THRESHOLD` even with every bonus (its decision is `no_match` whatever the rest says). Off
#: when `no_match` results are asked for; tests turn it off to check it drops nothing it should keep.
_PRUNE_HOPELESS = True

#: Countries a list's entries are in when the list itself does not say: UFLPA lists PRC entities only.
LIST_IMPLIED_COUNTRIES: dict[str, frozenset[str]] = {"UFLPA": frozenset({"CN", "HK"})}
#: Treated as one jurisdiction when comparing countries (lists file Hong Kong fronts under China).
_GREATER_CHINA = frozenset({"CN", "HK", "MO"})
_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN",
    "prc": "CN",
    "peoples republic of china": "CN",
    "people s republic of china": "CN",
    "中国": "CN",
    "hong kong": "HK",
    "hongkong": "HK",
    "macau": "MO",
    "macao": "MO",
    "united states": "US",
    "usa": "US",
    "united states of america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "germany": "DE",
    "japan": "JP",
    "vietnam": "VN",
    "viet nam": "VN",
    "india": "IN",
    "turkey": "TR",
    "turkiye": "TR",
    "malaysia": "MY",
    "singapore": "SG",
    "taiwan": "TW",
    "korea": "KR",
    "south korea": "KR",
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "pakistan": "PK",
    "bangladesh": "BD",
    "indonesia": "ID",
    "thailand": "TH",
    "cambodia": "KH",
    "mexico": "MX",
    "canada": "CA",
    "australia": "AU",
    "france": "FR",
    "italy": "IT",
    "cayman islands": "KY",
    "united arab emirates": "AE",
    "uae": "AE",
}

#: Places that designate a subsidiary when they follow the trade name or stand in brackets: cities, and
#: the municipalities that are province and city at once ("... International (Beijing) Corporation").
_CITY_LEVEL: frozenset[str] = CITIES | MUNICIPALITIES
#: Legal forms that say "a group of companies" (集团), and words that name a group-like body whose units
#: carry its name (the XPCC's "Corps"): see `EntityMatcher._group_structure`.
_GROUP_FORMS: frozenset[str] = frozenset({"group", "jituan", "集团"})
_GROUP_WORDS: frozenset[str] = frozenset({"corps"})

#: Which province a city is in, so "Guangdong Esquel" and "Changji Esquel" conflict.
CITY_PROVINCE: dict[str, str] = {
    **dict.fromkeys(XINJIANG_CITIES, "xinjiang"),
    "hefei": "anhui",
    "nanjing": "jiangsu",
    "wuxi": "jiangsu",
    "donghai": "jiangsu",
    "suzhou": "jiangsu",
    "changzhou": "jiangsu",
    "nantong": "jiangsu",
    "xuzhou": "jiangsu",
    "yangzhou": "jiangsu",
    "lianyungang": "jiangsu",
    "nanchang": "jiangxi",
    "hangzhou": "zhejiang",
    "jiaxing": "zhejiang",
    "ningbo": "zhejiang",
    "wenzhou": "zhejiang",
    "shaoxing": "zhejiang",
    "huzhou": "zhejiang",
    "zhuhai": "guangdong",
    "shenzhen": "guangdong",
    "guangzhou": "guangdong",
    "dongguan": "guangdong",
    "foshan": "guangdong",
    "xiamen": "fujian",
    "fuzhou": "fujian",
    "luzhou": "sichuan",
    "chengdu": "sichuan",
    "baoding": "hebei",
    "shijiazhuang": "hebei",
    "qingdao": "shandong",
    "jinan": "shandong",
    "wuhan": "hubei",
    "changsha": "hunan",
    "xian": "shaanxi",
    "zhengzhou": "henan",
    "baotou": "mongolia",
    "ordos": "mongolia",
}


def normalise_country(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 from a code or a common name; `None` when unknown (so it stays neutral)."""
    if not value:
        return None
    text = fold(value).strip()
    if re.fullmatch(r"[a-z]{2}", text):
        return text.upper()
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    return _COUNTRY_NAMES.get(text) or _COUNTRY_NAMES.get(text.removeprefix("the "))


def _same_jurisdiction(a: str, b: str) -> bool:
    return a == b or (a in _GREATER_CHINA and b in _GREATER_CHINA)


def _province_of(place: str) -> str:
    return place if place in PROVINCES else CITY_PROVINCE.get(place, place)


@dataclass(frozen=True)
class _Name:
    label: str  # name | alias | chinese_name
    norm: NormalisedName
    #: leading places (the registration-division prefix) and the places that designate a subsidiary
    prefix_places: frozenset[str]
    designators: frozenset[str]
    #: the tokens compared (latin + qualifiers) and the set of both: built once, compared many times
    compared: tuple[str, ...]
    own: frozenset[str]
    #: how many tokens the registration prefix takes at the start of `compared`; whether the name has
    #: any distinctive token; whether any name of its entry mentions a place (`_prefix_drop` reads these)
    prefix_len: int = 0
    has_distinctive: bool = False
    entry_has_place: bool = False
    #: its tokens that may be acronyms (`_acronym_merge`); whether its legal form says "group"
    acronyms: frozenset[str] = frozenset()
    is_group: bool = False
    #: its distinctive tokens
    distinctive: frozenset[str] = frozenset()
    #: the numbers it carries and whether it says trader or maker (`_business_identity` reads these);
    #: whether it has a generic word at all
    numbers: frozenset[str] = frozenset()
    business: str = ""
    has_generic: bool = False


@dataclass(frozen=True)
class _Profile:
    """A name's compared tokens with this matcher's weights, as `EntityMatcher._name_bound` reads them."""

    name: _Name
    han: str
    has_latin: bool
    own: frozenset[str]
    designators: frozenset[str]
    #: token -> its weight times the times it occurs, and the sum of those
    weight: dict[str, float]
    total: float
    #: adjacent tokens joined: if one is a token of the other name, `_compare_tokens` joins them
    joins: frozenset[str]
    #: the tokens that can be similar to a different token (`_fuzzy_eligible`), by first letter
    fuzzy: dict[str, tuple[str, ...]]
    letters: frozenset[str]
    #: the weight of those tokens, by first letter
    fuzzy_weight: dict[str, float]
    #: acronym-like tokens, and the initials of runs of tokens (`_acronym_merge` may join them)
    acronyms: frozenset[str] = frozenset()
    runs: frozenset[str] = frozenset()
    #: the cut last word (`NormalisedName.tail`), and the weight of the registration prefix
    tail: str = ""
    prefix_weight: float = 0.0
    #: `name.entry_has_place`; whether `acronyms` or `tail` is set (one test on the common path)
    entry_has_place: bool = False
    special: bool = False
    #: the tokens after the prefix that no misspelling can match: `_prefix_drop` needs them all in the
    #: entry's name
    rest_fixed: frozenset[str] = frozenset()


@dataclass
class _Prepared:
    entry: ListEntry
    version_id: str
    names: list[_Name]
    countries: frozenset[str]
    usccs: frozenset[str]
    other_ids: frozenset[str]
    keys: set[str] = field(default_factory=set)
    #: `names` as the pruning bound reads them (filled once the weights are known)
    profiles: list[_Profile] = field(default_factory=list)


def _split_places(norm: NormalisedName) -> tuple[frozenset[str], frozenset[str]]:
    """Places before the first non-place token are the registration prefix; the rest designate.

    Why: Chinese company names are division + trade name + industry + form
    (新疆 大全 新能源 股份有限公司). The division prefix is often dropped in ERP records; a place *after*
    the trade name ("Western Gold Hami Gold Mine", "(Shanshan)") names a different subsidiary and is
    identity.
    """
    toks = norm.latin
    prefix: list[str] = []
    i = 0
    while i < len(toks) and (toks[i] in PROVINCES or toks[i] in CITIES):
        prefix.append(toks[i])
        i += 1
    rest = [t for t in toks[i:] if t in _CITY_LEVEL]
    return frozenset(prefix), frozenset(rest) | frozenset(q for q in norm.qualifiers if q in _CITY_LEVEL)


def _make_name(label: str, text: str, entry_has_place: bool = False) -> _Name | None:
    norm = normalise(text)
    if not norm.latin and not norm.han:
        return None
    prefix, designators = _split_places(norm)
    latin = norm.latin
    compared = (*latin, *norm.qualifiers)
    prefix_len = 0
    while prefix_len < len(latin) and latin[prefix_len] in prefix:
        prefix_len += 1
    distinctive: list[str] = []
    acronyms: list[str] = []
    capitals = norm.capitals
    for t in latin:
        flags = _token_flags(t)
        if flags:
            distinctive.append(t)
            # in a mixed-case name only a word in capitals is an acronym ("Camel" is not)
            if flags == 2 and (capitals is None or t in capitals):
                acronyms.append(t)
    return _Name(
        label,
        norm,
        prefix,
        designators,
        compared,
        frozenset(compared),
        prefix_len,
        bool(distinctive),
        entry_has_place,
        frozenset(acronyms),
        not _GROUP_FORMS.isdisjoint(norm.legal) or not _GROUP_WORDS.isdisjoint(latin),
        frozenset(distinctive),
        _numbers(latin),
        _business_kind(latin),
        any(token_kind(t) is TokenKind.GENERIC for t in compared),
    )


_DIGITS = re.compile(r"\d+")
#: Words that say a business trades, and words that say it makes: one of each is two businesses.
_TRADER_WORDS: frozenset[str] = frozenset({"trading", "import", "export", "commerce", "commercial"})
_MAKER_WORDS: frozenset[str] = frozenset({"factory", "manufacturing", "plant", "mill"})


#: Legal forms by kind: a name's kinds must meet the other name's (`EntityMatcher._legal_conflict`).
#: Forms that vary in translation (company, corporation, incorporated, group, private) have no kind.
_LEGAL_FAMILIES: dict[str, str] = {
    "limited": "Ltd",
    "ltda": "Ltd",
    "sa": "SA",
    "spa": "SpA",
    "srl": "Srl",
    "sarl": "Sarl",
    "gmbh": "GmbH",
    "ag": "AG",
    "kg": "KG",
    "bv": "BV",
    "nv": "NV",
    "llc": "LLC",
    "jsc": "JSC",
    "pjsc": "JSC",
    "ojsc": "JSC",
    "cjsc": "JSC",
    "bhd": "Bhd",
    "berhad": "Bhd",
    "tbk": "Tbk",
}


@lru_cache(maxsize=1 << 12)
def _legal_families(legal: tuple[str, ...]) -> frozenset[str]:
    """The kinds of a name's legal forms; "Limited Liability" is an LLC, "Joint Stock" a JSC."""
    words = set(legal)
    kinds = {_LEGAL_FAMILIES[w] for w in words if w in _LEGAL_FAMILIES}
    if "liability" in words:
        kinds.discard("Ltd")
        kinds.add("LLC")
    if {"joint", "stock"} <= words:
        kinds.add("JSC")
    return frozenset(kinds)


def _numbers(tokens: Sequence[str]) -> frozenset[str]:
    """The numbers a name carries ("No. 4" -> 4, "121st" -> 121), without leading zeros."""
    return frozenset(n.lstrip("0") or "0" for t in tokens if not t.isalpha() for n in _DIGITS.findall(t))


def _business_kind(tokens: Sequence[str]) -> str:
    """ "trader" or "maker" when the name says only one of them, else ""."""
    trader = not _TRADER_WORDS.isdisjoint(tokens)
    maker = not _MAKER_WORDS.isdisjoint(tokens)
    if trader == maker:
        return ""
    return "trader" if trader else "maker"


def _with_acronyms(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The names, each "Name (ACRONYM)" replaced by the name and the acronym as an alias (`split_acronym`)."""
    out: list[tuple[str, str]] = []
    for label, text in texts:
        split = split_acronym(text) if label != "chinese_name" else None
        if split is None:
            out.append((label, text))
        else:
            out.extend(((label, split[0]), ("alias", split[1])))
    return out


def _adjacent_pairs(tokens: Sequence[str]) -> Iterable[str]:
    for a, b in itertools.pairwise(tokens):
        yield a + b


#: Length of an acronym a list or a record writes for a spelled-out name ("DJI", "XPCC", "SMIC").
ACRONYM_LETTERS = (3, 5)


@lru_cache(maxsize=1 << 16)
def _is_acronym(token: str) -> bool:
    """Can this token be an acronym: 3-5 letters, no known word, no pinyin ("DJI", not "Dahua")."""
    lo, hi = ACRONYM_LETTERS
    return (
        lo <= len(token) <= hi
        and token.isalpha()
        and token_kind(token) is TokenKind.DISTINCTIVE
        and not is_pinyin_word(token)
    )


@lru_cache(maxsize=1 << 16)
def _token_flags(token: str) -> int:
    """0 for a token that is not distinctive, 1 for a distinctive one, 2 for one that may be an acronym."""
    if token_kind(token) is not TokenKind.DISTINCTIVE:
        return 0
    return 2 if _is_acronym(token) else 1


@lru_cache(maxsize=1 << 16)
def _initials(token: str) -> tuple[str, bool]:
    """What a token gives an acronym: its first letter, or each syllable's for a pinyin trade name
    ("Dajiang" -> "dj", as "Da-Jiang" gives "d" and "j"); "" if it cannot be part of one. And whether
    it is a distinctive word that is not pinyin ("Innovations", "Corps", "Semiconductor")."""
    if not token.isalpha():
        return "", False
    if token_kind(token) is not TokenKind.DISTINCTIVE:
        return token[0], False
    split = pinyin_split(token)
    if split is None:
        return token[0], True
    return ("".join(s[0] for s in split) if len(split) >= 2 else token[0]), False


@lru_cache(maxsize=1 << 16)
def _run_initials(tokens: tuple[str, ...]) -> frozenset[str]:
    """The initials of every run `_initial_runs` finds: what an acronym of the other name must be."""
    if len(tokens) < 2:
        return frozenset()
    return frozenset(r for _, _, r in _initial_runs(tokens))


def _initial_runs(tokens: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, initials) of every run of 2+ consecutive tokens whose initials make an acronym's
    length, with a distinctive word that is not pinyin among them: "Da-Jiang Innovations" is DJI, but
    a run of pinyin syllables alone ("Kai Tong Kang") is another romanised name far more often than the
    spelling-out of an acronym."""
    lo, hi = ACRONYM_LETTERS
    parts = [_initials(t) for t in tokens]
    n = len(parts)
    for i in range(n - 1):
        acc, distinctive = parts[i]
        if not acc:
            continue
        for j in range(i + 1, n):
            more, d = parts[j]
            if not more:
                break
            acc += more
            distinctive = distinctive or d
            if len(acc) > hi:
                break
            if len(acc) >= lo and distinctive:
                yield i, j + 1, acc


def _acronym_merge(tokens: list[str], acronyms: frozenset[str]) -> list[str]:
    """Replace each run of `tokens` whose initials are one of `acronyms` (the other name's) by it.

    Why: lists publish the acronym an entity trades under ("SZ DJI Technology", "XPCC") and records spell
    it out ("Da-Jiang Innovations Technology"), or the other way round; as separate tokens neither side
    matches anything.
    """
    if len(tokens) < 2:
        return tokens
    wanted = acronyms.difference(tokens)
    if wanted.isdisjoint(_run_initials(tuple(tokens))):
        return tokens
    found = [(i, j, u) for i, j, u in _initial_runs(tokens) if u in wanted]
    if not found:
        return tokens
    out: list[str] = []
    i = 0
    for start, end, acronym in sorted(found, key=lambda r: (r[0], r[0] - r[1])):
        if start < i:
            continue
        out.extend(tokens[i:start])
        out.append(acronym)
        i = end
    out.extend(tokens[i:])
    return out


def _name_keys(name: _Name, query: bool = False) -> set[str]:
    """Index keys of a name. Acronym keys pair up across sides: an entry's acronym with a query's run of
    initials ("A:"), an entry's run of initials with a query's acronym ("R:")."""
    keys: set[str] = set()
    norm = name.norm
    toks = norm.latin
    acronym_key, run_key = ("R:", "A:") if query else ("A:", "R:")
    keys.update(acronym_key + t for t in name.acronyms)
    keys.update(run_key + r for r in _run_initials(toks))
    for t in (*toks, *norm.qualifiers):
        keys.add("t:" + t)
        if len(t) >= 4 and token_kind(t) is TokenKind.DISTINCTIVE:
            keys.add("p:" + t[:3])
            # single-deletion neighbourhood: a one-letter typo on either side still shares a key
            keys.add("d:" + t)
            keys.update("d:" + t[:i] + t[i + 1 :] for i in range(len(t)))
    for pair in _adjacent_pairs(toks):
        keys.add("t:" + pair)
    han = norm.han
    for i in range(len(han) - 1):
        keys.add("h:" + han[i : i + 2])
    if len(han) == 1:
        keys.add("h:" + han)
    return keys


@lru_cache(maxsize=1 << 18)
def _fuzzy_sim(a: str, b: str) -> tuple[float, str | None]:
    """`EntityMatcher._token_sim` of two different tokens without the pinyin set: (similarity, None), or
    (0.0, py) when the answer is 0.85 if `py` is a pinyin run of the names compared and 0 otherwise.

    Why cached: the same pairs of trade words and places recur across records; OSA and the pinyin split
    are the costly part of a comparison.
    """
    if token_kind(a) is not TokenKind.DISTINCTIVE or token_kind(b) is not TokenKind.DISTINCTIVE:
        return 0.0, None
    la, lb = len(a), len(b)
    if min(la, lb) >= 4 and abs(la - lb) <= 2 and a[0] == b[0]:
        if other_pinyin_name(a, b):
            return 0.0, None
        dist = OSA.distance(a, b, score_cutoff=2)
        if dist == 1:
            return 0.9, None
        if dist == 2 and min(la, lb) >= 8:
            return 0.8, None
    if min(la, lb) >= 4:
        py, other = (a, b) if la > lb else (b, a)
        if other[:3] == py[:3] and not is_pinyin_word(other):
            if len(py) >= 5 and is_pinyin_word(py):
                return 0.85, None
            return 0.0, py
    return 0.0, None


@lru_cache(maxsize=1 << 16)
def _fuzzy_eligible(token: str) -> bool:
    """Can this token be similar to a *different* token at all? (`_fuzzy_sim` is 0 unless both are.)

    Why: both are distinctive, 4+ letters and share the first letter, or the similarity is 0; checking
    that first skips almost every pair of a comparison.
    """
    return len(token) >= 4 and token_kind(token) is TokenKind.DISTINCTIVE


@dataclass
class _NameScore:
    score: float
    feature: str
    generic_only: bool
    query: _Name
    entry: _Name
    #: what the explanation line is made from, formatted only for the pair that wins (most are dropped):
    #: the Chinese-name similarity, or the compared tokens and the query tokens that matched
    ratio: float = 0.0
    tokens: tuple[Sequence[str], Sequence[str], list[str], list[float]] | None = None
    #: the entry's (joined) tokens with their similarities, for `EntityMatcher._group_structure`
    entry_sims: tuple[list[str], list[float]] = ([], [])

    @property
    def detail(self) -> str:
        qn, en = self.query.norm, self.entry.norm
        if self.feature == "chinese_name":
            if self.ratio == 1.0:
                return f"Chinese names equal after Traditional->Simplified and legal forms: {qn.han}"
            return f"Chinese names {qn.han} ~ {en.han} (similarity {self.ratio:.2f})"
        if self.tokens is None:
            return ""
        qa, eb, a, sa = self.tokens
        matched = [t for t, s in zip(a, sa, strict=True) if s > 0]
        detail = (
            f"{' '.join(qa)} ~ {' '.join(eb)} (weighted token overlap {self.score:.2f}; "
            f"shared: {', '.join(matched) or 'none'})"
        )
        if self.feature == "pinyin_bridge":
            detail = "via pinyin of the Chinese name: " + detail
        return detail


class EntityMatcher:
    """Screens records against any number of list versions through an inverted index.

    Why an index: screening runs on every supplier at onboarding and every facility met in a trace, against
    thousands of entries; candidates come from shared tokens, token prefixes (typos), Chinese character
    bigrams and identifiers, and only the best `MAX_CANDIDATES` are scored in full. Of those, a candidate
    whose names cannot reach `POSSIBLE_THRESHOLD` (`_name_bound`, from weights prepared at build time) is
    dropped before the full comparison: most candidates of a supplier that is on no list.
    """

    def __init__(self, lists: Sequence[tuple[ListVersion, Sequence[ListEntry]]]) -> None:
        self._entries: list[_Prepared] = []
        self._index: dict[str, list[int]] = defaultdict(list)
        #: how many full scorings were run (tests check the index does its job)
        self.scored = 0
        for version, entries in lists:
            implied = LIST_IMPLIED_COUNTRIES.get(version.list_name, frozenset())
            for entry in entries:
                self._add(entry, version.version_id, implied)
        n = len(self._entries)
        df: dict[str, int] = defaultdict(int)
        for p in self._entries:
            for t in {t for name in p.names for t in name.norm.latin}:
                df[t] += 1
        self._idf: dict[str, float] = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self._idf_max = math.log(n + 1) + 1.0
        self._key_weight: dict[str, float] = {
            k: math.log((n + 1) / (len(v) + 1)) + 1.0 for k, v in self._index.items()
        }
        #: key -> (its weight in candidate ranking, identifiers ten times over; its postings)
        self._postings: dict[str, tuple[float, list[int]]] = {
            k: (self._key_weight[k] * (10.0 if k.startswith("id:") else 1.0), v)
            for k, v in self._index.items()
            if v
        }
        #: every entry token's weight, looked up instead of recomputed in each comparison
        self._weights: dict[str, float] = {
            t: self._idf.get(t, self._idf_max) * KIND_WEIGHT[token_kind(t)]
            for p in self._entries
            for name in p.names
            for t in name.compared
        }
        for p in self._entries:
            p.profiles = [self._profile(name) for name in p.names]

    # -- building ---------------------------------------------------------------------------------------

    def _add(self, entry: ListEntry, version_id: str, implied: frozenset[str]) -> None:
        texts = [
            (label, text)
            for label, text in (
                ("name", entry.name),
                *(("alias", a) for a in entry.aliases),
                ("chinese_name", entry.name_local or ""),
            )
            if text
        ]
        texts = _with_acronyms(texts)
        has_place = any(normalise(text).places for _, text in texts)
        names: list[_Name] = []
        for label, text in texts:
            made = _make_name(label, text, has_place)
            if made is not None:
                names.append(made)
        countries = frozenset(c.upper() for c in entry.countries) or implied
        usccs: set[str] = set()
        others: set[str] = set()
        for ident in entry.identifiers:
            value = ident.split(":", 1)[1] if ":" in ident else ident
            parsed = parse_uscc(value)
            if parsed is not None:
                usccs.add(parsed.code)
            else:
                others.add(normalise_uscc(value))
        prepared = _Prepared(entry, version_id, names, countries, frozenset(usccs), frozenset(others))
        idx = len(self._entries)
        self._entries.append(prepared)
        for name in names:
            prepared.keys |= _name_keys(name)
        prepared.keys |= {"id:" + c for c in usccs} | {"id:" + c for c in others}
        for key in prepared.keys:
            self._index[key].append(idx)

    def _profile(self, name: _Name) -> _Profile:
        weight: dict[str, float] = {}
        for t in name.compared:
            weight[t] = weight.get(t, 0.0) + self._weight(t)
        fuzzy: dict[str, list[str]] = defaultdict(list)
        for t in weight:
            if _fuzzy_eligible(t):
                fuzzy[t[0]].append(t)
        joins = frozenset(a + b for a, b in itertools.pairwise(name.compared))
        return _Profile(
            name,
            name.norm.han,
            bool(name.norm.latin),
            name.own,
            name.designators,
            weight,
            sum(weight.values()),
            joins,
            {k: tuple(v) for k, v in fuzzy.items()},
            frozenset(fuzzy),
            {k: sum(weight[t] for t in v) for k, v in fuzzy.items()},
            name.acronyms,
            _run_initials(name.norm.latin),
            name.norm.tail,
            sum(self._weight(t) for t in name.compared[: name.prefix_len]) if name.prefix_len else 0.0,
            name.entry_has_place,
            bool(name.acronyms or name.norm.tail or name.norm.cut),
            frozenset(t for t in name.compared[name.prefix_len :] if not _fuzzy_eligible(t))
            if name.prefix_len
            else frozenset(),
        )

    @property
    def entry_count(self) -> int:
        """How many entries (over all lists) the matcher holds."""
        return len(self._entries)

    # -- weights and token similarity -------------------------------------------------------------------

    def _weight(self, token: str) -> float:
        w = self._weights.get(token)
        if w is None:
            w = self._idf.get(token, self._idf_max) * KIND_WEIGHT[token_kind(token)]
        return w

    @staticmethod
    def _token_sim(a: str, b: str, pinyin: frozenset[str]) -> float:
        """1 for equal tokens; 0.9/0.8 for one/two typing errors in a distinctive word; 0.85 for a pinyin
        run and a brand spelling that share its first syllable and the next initial (大全 daquan ~ Daqo)."""
        if a == b:
            return 1.0
        sim, py = _fuzzy_sim(a, b)
        return 0.85 if py is not None and py in pinyin else sim

    def _best_sims(
        self, a: Sequence[str], b: Sequence[str], pinyin: frozenset[str], in_b: set[str] | None = None
    ) -> list[float]:
        """For each token of `a`, `max(_token_sim(t, u) for u in b)`, trying only the pairs that can be
        non-zero (equal tokens, or both `_fuzzy_eligible` with the same first letter). `in_b`: `set(b)`
        if the caller has it."""
        if in_b is None:
            in_b = set(b)
        fuzzy_b = [u for u in b if _fuzzy_eligible(u)]
        out: list[float] = []
        for t in a:
            if t in in_b:
                out.append(1.0)
            elif fuzzy_b and _fuzzy_eligible(t):
                first = t[0]
                out.append(
                    max((self._token_sim(t, u, pinyin) for u in fuzzy_b if u[0] == first), default=0.0)
                )
            else:
                out.append(0.0)
        return out

    def _compare_tokens(
        self,
        qa: Sequence[str],
        eb: Sequence[str],
        pinyin: frozenset[str],
        ignore: str | None = None,
        acronyms_a: frozenset[str] = frozenset(),
        acronyms_b: frozenset[str] = frozenset(),
    ) -> tuple[float, bool, tuple[list[str], list[float]], tuple[list[str], list[float]]]:
        """Weighted soft Dice of two token lists; also whether only generic/place tokens matched, and the
        (joined) query tokens with their similarities, for the explanation.

        Adjacent tokens on one side are joined when the join is a token on the other ("Hua Fu" ~ "Huafu").
        `ignore`: an entry token that a cut query word was read as; it counts in the score but is no
        evidence that the names share a distinctive word. `acronyms_a` / `acronyms_b`: the tokens of each
        side that may be acronyms of a run of the other's (`_acronym_merge`).
        """
        a = self._merge(list(qa), set(eb))
        set_a = set(a)
        b = self._merge(list(eb), set_a)
        if acronyms_b:
            a = _acronym_merge(a, acronyms_b)
            set_a = set(a)
        if acronyms_a:
            b = _acronym_merge(b, acronyms_a)
        if not a or not b:
            return 0.0, True, ([], []), ([], [])
        set_b = set(b)
        weight = self._weight
        wa = [weight(t) for t in a]
        wb = [weight(t) for t in b]
        sa = self._best_sims(a, b, pinyin, set_b)
        sb = self._best_sims(b, a, pinyin, set_a)
        total = sum(wa) + sum(wb)
        score = (
            sum(w * s for w, s in zip(wa, sa, strict=True)) + sum(w * s for w, s in zip(wb, sb, strict=True))
        ) / total
        if any(token_kind(u) is TokenKind.DISTINCTIVE for u in b):
            generic_only = not any(
                s > 0 and u != ignore and token_kind(u) is TokenKind.DISTINCTIVE
                for u, s in zip(b, sb, strict=True)
            )
        else:
            # an entry named only in generic words must be matched in full ("Xinjiang Cotton Trading")
            generic_only = not all(s >= 1.0 for s in sb) or not all(s >= 1.0 for s in sa)
        return score, generic_only, (a, sa), (b, sb)

    @staticmethod
    def _merge(tokens: list[str], other: set[str]) -> list[str]:
        if len(tokens) < 2:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            # joined when the join is the other side's word and one of the two is not ("Gold Mine" ~
            # "Goldmine", though "gold" is also a word of "Western Gold Karamay Hatu Goldmine")
            if (
                i + 1 < len(tokens)
                and tokens[i] + tokens[i + 1] in other
                and (tokens[i] not in other or tokens[i + 1] not in other)
            ):
                out.append(tokens[i] + tokens[i + 1])
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        return out

    # -- scoring ----------------------------------------------------------------------------------------

    @staticmethod
    def _prefix_drop(q: _Name, e: _Name, tokens: Sequence[str]) -> int:
        """How many leading `tokens` (the query's, as compared) to leave out of the comparison with `e`.

        Why: a leading place is the registration prefix (珠海 in 珠海纳思达), which a list often leaves
        out of the name it publishes ("Ninestar Corporation") while the ERP holds the registered name
        ("Zhuhai Ninestar Corporation"): against an entry that names no place in any of its names, the
        prefix neither confirms nor contradicts. Only when the rest of the query adds no word of its own:
        "Zhuhai Ninestar Information Technology" is a subsidiary, not "Ninestar". Not when either name has
        no distinctive word (the place is then what tells "Xinjiang Cotton Trading" from any cotton
        trader). The other way, an entry's prefix missing from the record still counts (at a place's low
        weight): "JA Solar Technology" is the parent of the listed "Donghai JA Solar Technology".
        """
        n = q.prefix_len
        if not n or e.entry_has_place or not (q.has_distinctive and e.has_distinctive):
            return 0
        own = e.own
        for t in tokens[n:]:
            # every other word of the query is the entry's, or may be one misspelt
            if t not in own and not any(_fuzzy_sim(t, u) != (0.0, None) for u in own):
                return 0
        return n

    @staticmethod
    def _tail_target(q: _Name, e: _Name) -> str | None:
        """The entry word that the query's cut last word begins, at the place the cut falls, or None.

        Why: fixed-width ERP fields cut long names ("XINJIANG SAILING INFORMATION TECHNO"); the fragment
        is then no word at all, and counted as an unmatched distinctive token it sinks a name that agrees
        up to the cut. Only a word after every entry word the query shares can be the one cut, and only
        when the names agree on a distinctive word before the cut (or the entry has none): a cut word is
        no evidence of identity by itself.
        """
        tail = q.norm.tail
        if q.norm.latin[-1] in e.own or (e.distinctive and q.distinctive.isdisjoint(e.distinctive)):
            return None
        ordered = (*e.norm.latin, *e.norm.legal)
        n = len(tail)
        found = [i for i, u in enumerate(ordered) if len(u) > n and u.startswith(tail)]
        if not found:
            return None
        own = q.own
        seen = max((i for i, u in enumerate(ordered) if u in own), default=-1)
        for i in found:
            if i > seen and ordered[i] not in own:
                return ordered[i]
        return None

    @staticmethod
    def _cut_prefix(q: _Name, e: _Name) -> tuple[str | None, tuple[str, ...]] | None:
        """(the entry word the query's cut last word stands for, or None if it was cut after a whole
        word; the entry's words the query covers) when the query is the entry's name cut by a
        fixed-width field and the entry goes on after the cut; None otherwise.

        Why: "CHINA COTTON GROUP SHANDONG LOGISTI" (35 characters) is "China Cotton Group Shandong
        Logistics Park Co., Ltd." cut by the field; the words after the cut are cut off, not missing,
        and counted as missing they sink the match. Read so only when the query is, word for word and in
        order, the beginning of the entry's name (its last word equal to the entry's word there, or a
        strict beginning of it of 3+ letters; a whole last word only at a field width, see
        `names.cut_end`), and only when what the query covers identifies the entry: a distinctive word
        before the cut, or a legal form (the list's words up to "Group" or "Corporation" are a whole
        company's name, the rest names its unit), or nothing distinctive cut off. So
        "XINJIANG NEW ENERGY MATERIAL TECHNOL" is not read as the listed "... Technology Gaoxin": the
        trade name is what was cut off.
        """
        kind = q.norm.cut
        qs, es = q.norm.sequence, e.norm.sequence
        k = len(qs)
        if not kind or k < 3 or len(es) <= k or qs[: k - 1] != es[: k - 1]:
            return None
        last, target = qs[-1], es[k - 1]
        if last == target:
            if kind != "width":
                return None
            completed = None
        elif len(last) >= 3 and target.startswith(last) and last.isalpha():
            completed = target
        else:
            return None
        kept = es[:k]
        evidence = [t for t in qs[: k - 1] if t not in LEGAL_TOKENS and _token_flags(t)]
        if completed is None and last not in LEGAL_TOKENS and _token_flags(last):
            evidence.append(last)
        if (
            evidence
            or not LEGAL_TOKENS.isdisjoint(kept[1:])
            or not any(_token_flags(t) for t in es[k:] if t not in LEGAL_TOKENS)
        ):
            return completed, kept
        return None

    def _compare_names(self, q: _Name, e: _Name, places: frozenset[str] = frozenset()) -> _NameScore:
        qn, en = q.norm, e.norm
        best = _NameScore(0.0, "name", True, q, e)
        if qn.han and en.han:
            ratio = fuzz.ratio(qn.han, en.han) / 100.0
            if ratio > best.score:
                # one character apart in a 2-4 character trade name is another company more often than
                # a typo: only near-identical Chinese names count as name evidence on their own
                score = ratio if ratio == 1.0 else max(0.0, ratio - 0.1)
                best = _NameScore(score, "chinese_name", ratio < 0.75, q, e, ratio=ratio)
        if qn.latin and en.latin:
            on_site = e.designators & places  # usually empty: then the query's tokens are as prepared
            confirmed = tuple(sorted(on_site - q.own)) if on_site else ()
            qa: Sequence[str] = q.compared
            eb: Sequence[str] = e.compared
            cut_prefix = self._cut_prefix(q, e) if qn.cut else None
            completed: str | None = None
            if cut_prefix is not None:
                completed, kept = cut_prefix
                # the entry's words after the cut are left out: cut off, not missing
                left = Counter(kept)
                cut_eb: list[str] = []
                for t in eb:
                    if left[t] > 0:
                        left[t] -= 1
                        cut_eb.append(t)
                eb = tuple(cut_eb)
                if completed is not None and qn.latin[-1] == qn.sequence[-1]:
                    last = len(qn.latin) - 1
                    keep = completed not in LEGAL_TOKENS
                    qa = (*qa[:last], *((completed,) if keep else ()), *qa[last + 1 :])
            elif qn.tail:
                completed = self._tail_target(q, e)
            if completed is not None and cut_prefix is None:
                cut = len(qn.latin) - 1
                keep = completed not in LEGAL_TOKENS and (
                    len(qn.tail) >= 3 or token_kind(completed) is not TokenKind.DISTINCTIVE
                )
                qa = (*qa[:cut], *((completed,) if keep else ()), *qa[cut + 1 :])
            if q.prefix_len and not e.entry_has_place:
                qa = qa[self._prefix_drop(q, e, qa) :]
            if confirmed:
                qa = (*qa, *confirmed)
            pinyin = qn.bridge_pinyin | en.bridge_pinyin
            score, generic_only, (a, sa), entry_sims = self._compare_tokens(
                qa, eb, pinyin, completed, q.acronyms, e.acronyms
            )
            bridged = not qn.tokens or not en.tokens
            feature = "pinyin_bridge" if bridged else ("alias" if e.label == "alias" else "name")
            if score > best.score or (score == best.score and not generic_only and best.generic_only):
                best = _NameScore(
                    score, feature, generic_only, q, e, tokens=(qa, eb, a, sa), entry_sims=entry_sims
                )
        return best

    def _record_names(self, record: ScreenRecord) -> list[_Name]:
        out: list[_Name] = []
        texts = [
            (label, text)
            for label, text in (
                ("name", record.name),
                ("chinese_name", record.name_local),
                *(("alias", a) for a in record.aliases),
            )
            if text
        ]
        for label, text in _with_acronyms(texts):
            if text:
                made = _make_name(label, text)
                if made is not None:
                    out.append(made)
        return out

    @staticmethod
    def _record_places(record: ScreenRecord) -> set[str]:
        places: set[str] = set()
        for text in (record.city, record.region, record.address):
            if not text:
                continue
            norm = normalise(text)
            for t in (*latin_tokens(fold(text)), *norm.bridge, *norm.qualifiers):
                if t in CITIES or t in PROVINCES:
                    places.add(t)
        return places

    def _best_name(self, p: _Prepared, names: list[_Name], places: frozenset[str]) -> _NameScore | None:
        """The best comparison of any of the record's names with any of the entry's."""
        best: _NameScore | None = None
        for q in names:
            for e in p.names:
                ns = self._compare_names(q, e, places)
                if (
                    best is None
                    or ns.score > best.score
                    or (ns.score == best.score and best.generic_only and not ns.generic_only)
                ):
                    best = ns
        return best

    def _name_bound(self, q: _Profile, e: _Profile, places: frozenset[str], level: float) -> float:
        """At least `_compare_names(q.name, e.name, places).score`, for a fraction of its cost.

        1.0 when tokens may be joined or a place is confirmed from the record's location. Otherwise the
        weighted soft Dice from the precomputed weights, first with 0.9 (the most a token that is not in
        the other name can get) for each token that can be similar to one of the other name's at all;
        only if that reaches `level` are those similarities computed, which gives the score itself (up
        to the order floats are summed in).
        """
        bound = 0.0
        if q.han and e.han:
            ratio = fuzz.ratio(q.han, e.han) / 100.0
            bound = ratio if ratio == 1.0 else max(0.0, ratio - 0.1)
        if not (q.has_latin and e.has_latin):
            return bound
        if (
            not q.joins.isdisjoint(e.own)
            or not e.joins.isdisjoint(q.own)
            or (e.designators and (e.designators & places) - q.own)
        ):
            return 1.0
        if (q.special or e.acronyms) and (
            (q.acronyms and not q.acronyms.isdisjoint(e.runs))
            or (e.acronyms and not e.acronyms.isdisjoint(q.runs))
            or (q.tail and self._tail_target(q.name, e.name) is not None)
            or (q.name.norm.cut and self._cut_prefix(q.name, e.name) is not None)
        ):
            return 1.0
        shared = q.own & e.own
        num = 0.0
        for t in shared:
            num += q.weight[t] + e.weight[t]
        total = q.total + e.total
        # a registration prefix left out (`_prefix_drop`) is a place the entry lacks, never shared: a
        # total without it bounds the score whenever `_prefix_drop` may leave it out
        if q.prefix_weight and not e.entry_has_place and q.rest_fixed <= e.own:
            total -= q.prefix_weight
            if total <= 0.0:
                return 1.0
        letters = q.letters & e.letters
        if letters:
            # a shared token counted again at 0.9 only makes the coarse bound looser
            coarse = num
            for c in letters:
                coarse += 0.9 * (q.fuzzy_weight[c] + e.fuzzy_weight[c])
            if coarse / total < level:
                return max(bound, coarse / total)
            pinyin = q.name.norm.bridge_pinyin | e.name.norm.bridge_pinyin
            sim = self._token_sim
            for c in letters:
                qs, es = q.fuzzy[c], e.fuzzy[c]
                for t in qs:
                    if t not in shared:
                        num += q.weight[t] * max([sim(t, u, pinyin) for u in es])
                for u in es:
                    if u not in shared:
                        num += e.weight[u] * max([sim(u, t, pinyin) for t in qs])
        return max(bound, num / total)

    def _hopeless(
        self,
        p: _Prepared,
        queries: list[_Profile],
        places: frozenset[str],
        uscc_code: str | None,
        other_id: str | None,
    ) -> bool:
        """True if `_score` must give this entry less than `POSSIBLE_THRESHOLD` (so `no_match`).

        Sound because everything `_score` adds to the best name score is at most `QUALIFIER_SUPPORT`
        (the generic-only cap and the place, identifier-conflict and country terms only lower it), except
        an equal identifier, which is excluded here; the margin covers float rounding in the bound.
        """
        if uscc_code is not None and uscc_code in p.usccs:
            return False
        if other_id is not None and other_id in p.other_ids:
            return False
        reachable = POSSIBLE_THRESHOLD - QUALIFIER_SUPPORT - 1e-9
        for q in queries:
            for e in p.profiles:
                if self._name_bound(q, e, places, reachable) >= reachable:
                    return False
        return True

    def _score(
        self,
        p: _Prepared,
        best: _NameScore | None,
        places: set[str],
        country: str | None,
        uscc_code: str | None,
        uscc_valid: bool,
        other_id: str | None,
    ) -> tuple[float, bool, list[MatchFeature]]:
        """Score one entry from its best name comparison; returns (score, capped-at-review, features)."""
        self.scored += 1
        features: list[MatchFeature] = []
        score = 0.0
        capped = False
        if best is not None and best.score > 0:
            score = best.score
            features.append(MatchFeature(feature=best.feature, score=round(score, 4), detail=best.detail))
            if best.generic_only and score > GENERIC_ONLY_CAP:
                features.append(
                    MatchFeature(
                        feature="generic_only",
                        score=round(GENERIC_ONLY_CAP - score, 4),
                        detail="only legal forms, generic words or places shared: no evidence of identity",
                    )
                )
                score = GENERIC_ONLY_CAP
            score, capped = self._places(best, places, score, features, p.names)
            if self._group_structure(best, features):
                capped = True
            if score >= POSSIBLE_THRESHOLD:  # below, nothing it can say changes the decision
                penalty, review = self._business_identity(best, features)
                score -= penalty
                capped = capped or review
                if score >= MATCH_THRESHOLD and not capped:
                    capped = self._inserted_word(best, features) or self._legal_conflict(best, features)

        # identifier
        if uscc_code is not None and not uscc_valid:
            features.append(
                MatchFeature(
                    feature="identifier_warning",
                    score=0.0,
                    detail=f"registration number {uscc_code} fails the USCC check character: likely "
                    "mistyped, "
                    "not used as evidence",
                )
            )
        if uscc_code is not None and uscc_valid and p.usccs:
            if uscc_code in p.usccs:
                gain = max(0.0, IDENTIFIER_MATCH_SCORE - score)
                features.append(
                    MatchFeature(feature="identifier", score=round(gain, 4), detail=f"USCC {uscc_code} equal")
                )
                return IDENTIFIER_MATCH_SCORE, False, features
            features.append(
                MatchFeature(
                    feature="identifier",
                    score=-IDENTIFIER_CONFLICT_PENALTY,
                    detail=f"USCC {uscc_code} differs from the entry's {', '.join(sorted(p.usccs))}",
                )
            )
            score -= IDENTIFIER_CONFLICT_PENALTY
        elif other_id is not None and other_id in p.other_ids:
            gain = max(0.0, OTHER_IDENTIFIER_MATCH_SCORE - score)
            features.append(
                MatchFeature(
                    feature="identifier", score=round(gain, 4), detail=f"registration {other_id} equal"
                )
            )
            score = max(score, OTHER_IDENTIFIER_MATCH_SCORE)

        # country
        if country and p.countries and not any(_same_jurisdiction(country, c) for c in p.countries):
            features.append(
                MatchFeature(
                    feature="country",
                    score=-COUNTRY_CONFLICT_PENALTY,
                    detail=f"record country {country} vs entry {', '.join(sorted(p.countries))}",
                )
            )
            score -= COUNTRY_CONFLICT_PENALTY
            capped = True
        return max(0.0, min(1.0, score)), capped, features

    @staticmethod
    def _group_structure(best: _NameScore, features: list[MatchFeature]) -> bool:
        """True (and a feature) when one name is a group's and the other adds industry words to it.

        Why: "Xinjiang Zhongtai (Group)" against "Xinjiang Zhongtai Chemical", "Camel Trading" against
        "Camel Group", "Bingtuan Cotton" against the XPCC: a group and a company named after it with a
        line of business are parent and subsidiary, two legal entities, though the industry word weighs
        little. Adding or dropping "(Group)" alone stays a match. When both names are a group's, only
        industry words after a group word ("... Corps Cotton") are a unit's line of business; words
        before it ("Production and Construction" against "Xinjiang Corps") are the group's own name.
        """
        q, e = best.query, best.entry
        if not (q.is_group or e.is_group) or best.tokens is None or best.feature == "chinese_name":
            return False
        _, _, a, sa = best.tokens
        b, sb = best.entry_sims
        for group, other, toks, sims in ((q, e, b, sb), (e, q, a, sa)):
            if not group.is_group:
                continue
            start = 0
            if other.is_group:
                marks = [i for i, t in enumerate(toks) if t in _GROUP_WORDS]
                if not marks:
                    continue  # the group word is a legal form: where it stood is not known
                start = marks[0] + 1
            extra = sorted(
                {
                    t
                    for t, s in zip(toks[start:], sims[start:], strict=True)
                    if s == 0.0 and token_kind(t) is TokenKind.GENERIC
                }
            )
            if extra:
                features.append(
                    MatchFeature(
                        feature="group_structure",
                        score=0.0,
                        detail=f"{group.norm.original!r} is a group, {other.norm.original!r} adds "
                        f"{', '.join(extra)}: a parent or subsidiary, for a person to confirm",
                    )
                )
                return True
        return False

    @staticmethod
    def _inserted_word(best: _NameScore, features: list[MatchFeature]) -> bool:
        """True (and a feature) when the record has a word inside the entry's name that the entry lacks.

        Why: "Giant Steel Manufacturing" against the listed "Giant Manufacturing": the added word sits
        between words the names share, where a registered name carries its line of business, so it names
        another business ("Steel" weighs little as a generic word, yet it is the whole difference).
        Records drop words of a registered name, or add a place or a legal form before or after it; they
        do not insert a word into it. Places are judged by `_places`, numbers by `_business_identity`.
        """
        if best.tokens is None or best.feature not in ("name", "alias"):
            return False
        _, _, a, sa = best.tokens
        matched = [i for i, v in enumerate(sa) if v > 0.0]
        if len(matched) < 2:
            return False
        inside = [
            t
            for t, v in zip(a[matched[0] + 1 : matched[-1]], sa[matched[0] + 1 : matched[-1]], strict=True)
            if v == 0.0 and t.isalpha() and t not in CITIES and t not in PROVINCES
        ]
        if not inside:
            return False
        features.append(
            MatchFeature(
                feature="inserted_word",
                score=0.0,
                detail=f"the record adds {', '.join(inside)} inside the entry's name: possibly another "
                "business of that name, for a person to confirm",
            )
        )
        return True

    @staticmethod
    def _legal_conflict(best: _NameScore, features: list[MatchFeature]) -> bool:
        """True (and a feature) when both names give a legal form and the forms are of different kinds.

        Why: "TNK Trade Limited" (a Cypriot company) and "TNK Trading International S.A." (a Swiss one)
        share their words once "Trade" folds to "Trading", yet a Limited and an S.A. are two registered
        companies. Only forms that do not vary in translation count (`_LEGAL_FAMILIES`): "Co., Ltd.",
        "Corporation" and "Group" render the same Chinese company in different lists.
        """
        if best.feature == "chinese_name":
            return False
        q_kind, e_kind = _legal_families(best.query.norm.legal), _legal_families(best.entry.norm.legal)
        if not q_kind or not e_kind or not q_kind.isdisjoint(e_kind):
            return False
        features.append(
            MatchFeature(
                feature="legal_form",
                score=0.0,
                detail=f"record is a {'/'.join(sorted(q_kind))}, entry a {'/'.join(sorted(e_kind))}: "
                "another registered company, for a person to confirm",
            )
        )
        return True

    @staticmethod
    def _business_identity(best: _NameScore, features: list[MatchFeature]) -> tuple[float, bool]:
        """(penalty, capped at review) for words that tell two businesses apart though they weigh little.

        Why: the soft Dice weighs a number or a line of business low, yet each names another entity:
        - numbers are identity: "Lop County No. 3 ... Center" is not the listed "No. 4" (another numbered
          unit of the same organ): a conflict costs as much as a sibling's city;
        - a trader is not a factory: "Tianjin Malleable Iron Trading" against the listed "Tianjin Malleable
          Iron Factory" shares the trade name, not the business (capped for a person to confirm);
        - an entry named by a trade name alone ("Xinjiang Zhonghe") against a record that adds trading to
          it ("Xinjiang Zhonghe Cotton Trading"): a trader sharing the name as often as a subsidiary
          (capped for a person to confirm, as `_group_structure` does for groups). An added industry word
          alone is not enough: lists publish "NetPosa" for "NetPosa Technologies".
        """
        if best.tokens is None or best.feature == "chinese_name":
            return 0.0, False
        q, e = best.query, best.entry
        qn, en = q.numbers, e.numbers
        if qn and en and qn != en:
            features.append(
                MatchFeature(
                    feature="number",
                    score=-CITY_CONFLICT_PENALTY,
                    detail=f"record numbered {', '.join(sorted(qn))}, entry {', '.join(sorted(en))}: "
                    "another numbered unit",
                )
            )
            return CITY_CONFLICT_PENALTY, False
        q_kind, e_kind = q.business, e.business
        if q_kind and e_kind and q_kind != e_kind:
            features.append(
                MatchFeature(
                    feature="business_type",
                    score=0.0,
                    detail=f"record is a {q_kind}, entry a {e_kind}: another business of the same name, "
                    "for a person to confirm",
                )
            )
            return 0.0, True
        _, _, a, sa = best.tokens
        if e.has_distinctive and not e.has_generic:
            extra = sorted(
                {t for t, v in zip(a, sa, strict=True) if v == 0.0 and token_kind(t) is TokenKind.GENERIC}
            )
            # only a trader: lists publish a short name for a registered one ("NetPosa" for "NetPosa
            # Technologies"), so an added industry word alone is no sign of another company
            if not _TRADER_WORDS.isdisjoint(extra):
                features.append(
                    MatchFeature(
                        feature="added_business",
                        score=0.0,
                        detail=f"the entry is a trade name alone; the record adds {', '.join(extra)}: "
                        "possibly another company of that name, for a person to confirm",
                    )
                )
                return 0.0, True
        return 0.0, False

    def _places(
        self,
        best: _NameScore,
        places: set[str],
        score: float,
        features: list[MatchFeature],
        entry_names: Sequence[_Name] = (),
    ) -> tuple[float, bool]:
        q, e = best.query, best.entry
        capped = False
        q_all = q.prefix_places | q.designators | places
        # designating places (subsidiary cities) must agree
        if e.designators:
            if e.designators & q_all:
                if e.designators & places and not e.designators & (q.prefix_places | q.designators):
                    features.append(
                        MatchFeature(
                            feature="location_qualifier",
                            score=QUALIFIER_SUPPORT,
                            detail=f"entry's {', '.join(sorted(e.designators))} confirmed by the record's "
                            "location",
                        )
                    )
                    score += QUALIFIER_SUPPORT
            elif q.designators or {t for t in places if t in CITIES}:
                other = q.designators or frozenset(t for t in places if t in CITIES)
                features.append(
                    MatchFeature(
                        feature="location_qualifier",
                        score=-CITY_CONFLICT_PENALTY,
                        detail=f"entry designates {', '.join(sorted(e.designators))}, record names "
                        f"{', '.join(sorted(other))}: a different (sibling) company",
                    )
                )
                score -= CITY_CONFLICT_PENALTY
            else:
                features.append(
                    MatchFeature(
                        feature="location_qualifier",
                        score=0.0,
                        detail=f"entry is the {', '.join(sorted(e.designators))} company; the record does "
                        "not say "
                        "where it is, so a person must confirm",
                    )
                )
                capped = True
        elif q.designators - e.prefix_places:
            extra = q.designators - e.prefix_places
            features.append(
                MatchFeature(
                    feature="location_qualifier",
                    score=0.0,
                    detail=f"record names a {', '.join(sorted(extra))} company; the entry names none: "
                    "a parent or "
                    "sibling, for a person to confirm",
                )
            )
            capped = True
        # registration prefixes must not conflict; an alias without one ("Production and Construction
        # Corps") is still the entry registered where its other names say ("Xinjiang ..."), so a record
        # registered elsewhere ("Heilongjiang Production and Construction Corps") conflicts with it
        qp, ep = q.prefix_places, e.prefix_places
        if qp and not ep:
            ep = frozenset().union(*(n.prefix_places for n in entry_names))
        if qp and ep and not qp & ep:
            q_prov = {_province_of(t) for t in qp}
            e_prov = {_province_of(t) for t in ep}
            q_city = {t for t in qp if t in CITIES}
            e_city = {t for t in ep if t in CITIES}
            if (q_city and e_city) or not q_prov & e_prov:
                features.append(
                    MatchFeature(
                        feature="location_qualifier",
                        score=-PREFIX_CONFLICT_PENALTY,
                        detail=f"registered in {', '.join(sorted(qp))} vs {', '.join(sorted(ep))}",
                    )
                )
                score -= PREFIX_CONFLICT_PENALTY
        return score, capped

    # -- public API -------------------------------------------------------------------------------------

    def _candidates(self, names: list[_Name], ident_keys: list[str]) -> list[int]:
        keys: set[str] = set(ident_keys)
        for name in names:
            keys |= _name_keys(name, query=True)
        weight: dict[int, float] = defaultdict(float)
        index = self._postings
        for key in keys:
            hit = index.get(key)
            if hit is None:
                continue
            w, postings = hit
            for idx in postings:
                weight[idx] += w
        # heaviest first, ties in first-seen order (a stable sort): a C key instead of a lambda
        ranked = sorted(weight, key=weight.__getitem__, reverse=True)
        return ranked[:MAX_CANDIDATES]

    def match(self, record: ScreenRecord, limit: int = 5, include_no_match: bool = False) -> list[Match]:
        """The best entries for a record, best first: `match` and `possible_match` only unless asked.

        Why `possible_match` is returned at all: it is the review queue; a reviewer must see the sibling
        subsidiary or the unconfirmed city rather than have it silently dropped.
        """
        names = self._record_names(record)
        uscc = parse_uscc(record.registration_id)
        other_id = normalise_uscc(record.registration_id) if record.registration_id and uscc is None else None
        ident_keys = []
        if uscc is not None:
            ident_keys.append("id:" + uscc.code)
        if other_id:
            ident_keys.append("id:" + other_id)
        places = self._record_places(record)
        frozen_places = frozenset(places)
        # a country the name carries in brackets ("... Co., Ltd. (PRC)") stands in for a missing one
        country = normalise_country(record.country) or next(
            (n.norm.country_note for n in names if n.norm.country_note), None
        )
        uscc_code = uscc.code if uscc else None
        prune = _PRUNE_HOPELESS and not include_no_match
        profiles = [self._profile(name) for name in names] if prune else []
        results: list[Match] = []
        exact: list[tuple[Match, bool]] = []
        for idx in self._candidates(names, ident_keys):
            p = self._entries[idx]
            # most candidates of a record that matches nothing stop here, before any full comparison
            if prune and self._hopeless(p, profiles, frozen_places, uscc_code, other_id):
                continue
            best = self._best_name(p, names, frozen_places)
            score, capped, features = self._score(
                p,
                best,
                places,
                country,
                uscc_code,
                uscc.valid if uscc else False,
                other_id,
            )
            if score >= MATCH_THRESHOLD and not capped:
                decision = Decision.MATCH
            elif score >= POSSIBLE_THRESHOLD:
                decision = Decision.POSSIBLE_MATCH
                score = min(score, REVIEW_CAP) if capped else score
            else:
                decision = Decision.NO_MATCH
            if decision is Decision.NO_MATCH and not include_no_match:
                continue
            found = Match(
                list_name=p.entry.list_name,
                entry_id=p.entry.entry_id,
                entry_name=p.entry.name,
                score=round(score, 4),
                decision=decision,
                explanation=features,
                list_version=p.version_id,
            )
            results.append(found)
            if decision is Decision.MATCH and best is not None:
                exact.append((found, _written_alike(best)))
        if len(exact) > 1 and any(same for _, same in exact):
            _prefer_exact(exact)
        results.sort(key=lambda m: (-m.score, m.list_name, m.entry_id))
        return results[:limit]


def _written_alike(best: _NameScore) -> bool:
    """Whether the record's name is the entry's name or alias as written (case and punctuation aside)."""
    return best.score >= 1.0 and basic_normalise(best.query.norm.original) == basic_normalise(
        best.entry.norm.original
    )


def _prefer_exact(found: list[tuple[Match, bool]]) -> None:
    """Demote to `possible_match` every match whose entry the record's name only resembles, when another
    entry bears that very name.

    Why: OFAC rows share words across their aliases ("TNK Trade Limited", an alias of Rosneft Trade
    Limited, and "TNK Trading International S.A."); the record that is one entry's name letter for letter
    names that entry, and the look-alike is for a person to confirm. Only entries of the same list are
    demoted (each list spells its entries its own way, so a record exact on one list says nothing about
    another list's entry for the same company), and only below a perfect score.
    """
    exact = [m for m, same in found if same]
    exact_lists = {m.list_name for m in exact}
    for m, same in found:
        if same or m.score >= 1.0 or m.list_name not in exact_lists:
            continue
        twin = next(e for e in exact if e.list_name == m.list_name)
        m.decision = Decision.POSSIBLE_MATCH
        m.score = min(m.score, REVIEW_CAP)
        m.explanation.append(
            MatchFeature(
                feature="exact_elsewhere",
                score=0.0,
                detail=f"the record's name is {twin.entry_name!r} ({twin.list_name}) as written; "
                "this entry only resembles it",
            )
        )


def company_to_record(company: Company) -> ScreenRecord:
    """A graph `Company` as a `ScreenRecord`, so an owner chain can be screened link by link."""
    return ScreenRecord(
        name=company.name,
        name_local=company.name_local,
        aliases=list(company.aliases),
        country=company.country,
        address=company.address,
        registration_id=company.registration_id,
    )


def match_company(matcher: EntityMatcher, company: Company, limit: int = 5) -> list[Match]:
    """Screen one company of an ownership chain (`screen_owner_chain` calls this per link)."""
    return matcher.match(company_to_record(company), limit=limit)
