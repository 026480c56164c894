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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from app.screening.model import Decision, Match, MatchFeature, ScreenRecord
from app.screening.names import (
    CITIES,
    PROVINCES,
    NormalisedName,
    TokenKind,
    fold,
    is_pinyin_word,
    latin_tokens,
    normalise,
    other_pinyin_name,
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

#: Which province a city is in, so "Guangdong Esquel" and "Changji Esquel" conflict.
CITY_PROVINCE: dict[str, str] = {
    **{
        c: "xinjiang"
        for c in [
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
        ]
    },
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


@dataclass
class _Prepared:
    entry: ListEntry
    version_id: str
    names: list[_Name]
    countries: frozenset[str]
    usccs: frozenset[str]
    other_ids: frozenset[str]
    keys: set[str] = field(default_factory=set)


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
    rest = [t for t in toks[i:] if t in CITIES]
    return frozenset(prefix), frozenset(rest) | frozenset(q for q in norm.qualifiers if q in CITIES)


def _make_name(label: str, text: str) -> _Name | None:
    norm = normalise(text)
    if not norm.latin and not norm.han:
        return None
    prefix, designators = _split_places(norm)
    return _Name(label, norm, prefix, designators)


def _adjacent_pairs(tokens: Sequence[str]) -> Iterable[str]:
    for a, b in itertools.pairwise(tokens):
        yield a + b


def _name_keys(norm: NormalisedName) -> set[str]:
    keys: set[str] = set()
    toks = norm.latin
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


@dataclass
class _NameScore:
    score: float
    feature: str
    detail: str
    generic_only: bool
    query: _Name
    entry: _Name


class EntityMatcher:
    """Screens records against any number of list versions through an inverted index.

    Why an index: screening runs on every supplier at onboarding and every facility met in a trace, against
    thousands of entries; candidates come from shared tokens, token prefixes (typos), Chinese character
    bigrams and identifiers, and only the best `MAX_CANDIDATES` are scored in full.
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

    # -- building ---------------------------------------------------------------------------------------

    def _add(self, entry: ListEntry, version_id: str, implied: frozenset[str]) -> None:
        names: list[_Name] = []
        for label, text in (
            ("name", entry.name),
            *(("alias", a) for a in entry.aliases),
            ("chinese_name", entry.name_local or ""),
        ):
            if text:
                made = _make_name(label, text)
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
            prepared.keys |= _name_keys(name.norm)
        prepared.keys |= {"id:" + c for c in usccs} | {"id:" + c for c in others}
        for key in prepared.keys:
            self._index[key].append(idx)

    @property
    def entry_count(self) -> int:
        """How many entries (over all lists) the matcher holds."""
        return len(self._entries)

    # -- weights and token similarity -------------------------------------------------------------------

    def _weight(self, token: str) -> float:
        return self._idf.get(token, self._idf_max) * KIND_WEIGHT[token_kind(token)]

    @staticmethod
    def _token_sim(a: str, b: str, pinyin: frozenset[str]) -> float:
        """1 for equal tokens; 0.9/0.8 for one/two typing errors in a distinctive word; 0.85 for a pinyin
        run and a brand spelling that share its first syllable and the next initial (大全 daquan ~ Daqo)."""
        if a == b:
            return 1.0
        ka = token_kind(a)
        if ka is not TokenKind.DISTINCTIVE or token_kind(b) is not TokenKind.DISTINCTIVE:
            return 0.0
        la, lb = len(a), len(b)
        if min(la, lb) >= 4 and abs(la - lb) <= 2 and a[0] == b[0]:
            if other_pinyin_name(a, b):
                return 0.0
            dist = OSA.distance(a, b, score_cutoff=2)
            if dist == 1:
                return 0.9
            if dist == 2 and min(la, lb) >= 8:
                return 0.8
        if min(la, lb) >= 4:
            py, other = (a, b) if la > lb else (b, a)
            if (
                (py in pinyin or (len(py) >= 5 and is_pinyin_word(py)))
                and other[:3] == py[:3]
                and not is_pinyin_word(other)
            ):
                return 0.85
        return 0.0

    def _compare_tokens(
        self,
        qa: Sequence[str],
        eb: Sequence[str],
        pinyin: frozenset[str],
    ) -> tuple[float, bool, list[str]]:
        """Weighted soft Dice of two token lists; also whether only generic/place tokens matched.

        Adjacent tokens on one side are joined when the join is a token on the other ("Hua Fu" ~ "Huafu").
        """
        a, b = list(qa), list(eb)
        a = self._merge(a, set(b))
        b = self._merge(b, set(a))
        if not a or not b:
            return 0.0, True, []
        wa = [self._weight(t) for t in a]
        wb = [self._weight(t) for t in b]
        sa = [max(self._token_sim(t, u, pinyin) for u in b) for t in a]
        sb = [max(self._token_sim(u, t, pinyin) for t in a) for u in b]
        total = sum(wa) + sum(wb)
        score = (
            sum(w * s for w, s in zip(wa, sa, strict=True)) + sum(w * s for w, s in zip(wb, sb, strict=True))
        ) / total
        matched = [t for t, s in zip(a, sa, strict=True) if s > 0]
        distinctive_b = [u for u in b if token_kind(u) is TokenKind.DISTINCTIVE]
        if distinctive_b:
            generic_only = not any(
                s > 0 and token_kind(u) is TokenKind.DISTINCTIVE for u, s in zip(b, sb, strict=True)
            )
        else:
            # an entry named only in generic words must be matched in full ("Xinjiang Cotton Trading")
            generic_only = not all(s >= 1.0 for s in sb) or not all(s >= 1.0 for s in sa)
        return score, generic_only, matched

    @staticmethod
    def _merge(tokens: list[str], other: set[str]) -> list[str]:
        if len(tokens) < 2:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens) and tokens[i] + tokens[i + 1] in other and tokens[i] not in other:
                out.append(tokens[i] + tokens[i + 1])
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        return out

    # -- scoring ----------------------------------------------------------------------------------------

    def _compare_names(self, q: _Name, e: _Name, places: frozenset[str] = frozenset()) -> _NameScore:
        qn, en = q.norm, e.norm
        best = _NameScore(0.0, "name", "", True, q, e)
        if qn.han and en.han:
            ratio = fuzz.ratio(qn.han, en.han) / 100.0
            if ratio > best.score:
                detail = (
                    f"Chinese names equal after Traditional->Simplified and legal forms: {qn.han}"
                    if ratio == 1.0
                    else f"Chinese names {qn.han} ~ {en.han} (similarity {ratio:.2f})"
                )
                # one character apart in a 2-4 character trade name is another company more often than
                # a typo: only near-identical Chinese names count as name evidence on their own
                score = ratio if ratio == 1.0 else max(0.0, ratio - 0.1)
                best = _NameScore(score, "chinese_name", detail, ratio < 0.75, q, e)
        confirmed = tuple(sorted((e.designators & places) - set(qn.latin) - set(qn.qualifiers)))
        qa, eb = (*qn.latin, *qn.qualifiers, *confirmed), (*en.latin, *en.qualifiers)
        if qn.latin and en.latin:
            pinyin = qn.bridge_pinyin | en.bridge_pinyin
            score, generic_only, matched = self._compare_tokens(qa, eb, pinyin)
            bridged = not qn.tokens or not en.tokens
            feature = "pinyin_bridge" if bridged else ("alias" if e.label == "alias" else "name")
            if score > best.score or (score == best.score and not generic_only and best.generic_only):
                detail = (
                    f"{' '.join(qa)} ~ {' '.join(eb)} (weighted token overlap {score:.2f}; "
                    f"shared: {', '.join(matched) or 'none'})"
                )
                if bridged:
                    detail = "via pinyin of the Chinese name: " + detail
                best = _NameScore(score, feature, detail, generic_only, q, e)
        return best

    def _record_names(self, record: ScreenRecord) -> list[_Name]:
        out: list[_Name] = []
        for label, text in (
            ("name", record.name),
            ("chinese_name", record.name_local),
            *(("alias", a) for a in record.aliases),
        ):
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

    def _score(
        self,
        p: _Prepared,
        names: list[_Name],
        places: set[str],
        country: str | None,
        uscc_code: str | None,
        uscc_valid: bool,
        other_id: str | None,
    ) -> tuple[float, bool, list[MatchFeature]]:
        """Score one entry; returns (score, capped-at-review, features)."""
        self.scored += 1
        features: list[MatchFeature] = []
        best: _NameScore | None = None
        for q in names:
            for e in p.names:
                ns = self._compare_names(q, e, frozenset(places))
                if (
                    best is None
                    or ns.score > best.score
                    or (ns.score == best.score and best.generic_only and not ns.generic_only)
                ):
                    best = ns
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
            score, capped = self._places(best, places, score, features)

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

    def _places(
        self, best: _NameScore, places: set[str], score: float, features: list[MatchFeature]
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
        # registration prefixes must not conflict
        qp, ep = q.prefix_places, e.prefix_places
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
            keys |= _name_keys(name.norm)
        weight: dict[int, float] = defaultdict(float)
        for key in keys:
            postings = self._index.get(key)
            if not postings:
                continue
            w = self._key_weight[key] * (10.0 if key.startswith("id:") else 1.0)
            for idx in postings:
                weight[idx] += w
        ranked = sorted(weight, key=lambda i: -weight[i])
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
        country = normalise_country(record.country)
        results: list[Match] = []
        for idx in self._candidates(names, ident_keys):
            p = self._entries[idx]
            score, capped, features = self._score(
                p,
                names,
                places,
                country,
                uscc.code if uscc else None,
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
            results.append(
                Match(
                    list_name=p.entry.list_name,
                    entry_id=p.entry.entry_id,
                    entry_name=p.entry.name,
                    score=round(score, 4),
                    decision=decision,
                    explanation=features,
                    list_version=p.version_id,
                )
            )
        results.sort(key=lambda m: (-m.score, m.list_name, m.entry_id))
        return results[:limit]


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
