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
- a USCC says where the company registered, which is weaker evidence about one of its facilities.

Conflicting strong evidence (an Urumqi address with Kazakh coordinates) yields "uncertain", not a guess.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.screening.model import LocationResult, LocationSignal, ScreenRecord
from app.screening.uscc import parse_uscc
from loaders.gazetteer import (
    Boundary,
    ContextPlace,
    Gazetteer,
    Place,
    default_boundary,
    load_context_places,
    load_gazetteer,
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
THRESHOLD = 2.0
CONFLICT = 3.0
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
_ISO_XJ = re.compile(r"^(?:cn[\s\-_]*)?(?:xj|65|650000)$")
_ISO_OTHER = re.compile(r"^cn[\s\-_]*(?:[a-z]{2}|\d{2})$")
# Compounds in which an XUAR name is not a place (AkzoNobel, Hami melon, "warehouse workshop", "located at").
_EXCLUSIONS = ("阿克苏诺贝尔", "哈密瓜", "仓库车", "位于田", "hami melon", "akzo nobel")
_CJK_STREET = re.compile(r"[东西南北中一二三四五六七八九十]{0,2}(?:路|街|大街|大道|道|巷|胡同|弄)")
_LATIN_STREET = re.compile(
    r" ?(?:(?:north|south|east|west|middle|central|nan|bei|dong|xi|zhong|n|s|e|w|1st|2nd|3rd) )?"
    r"(?:road|rd|street|str|st|avenue|ave|lu|jie|dadao|lane|alley|boulevard|blvd)(?![a-z0-9])"
)
_LATIN_COUNTY = re.compile(r" (?:xian|county)(?![a-z0-9])")
# Latin words that are administrative suffixes after a place name ("Shule Xian" is Shule County, not Xi'an).
_SUFFIX_WORDS = frozenset({"xian"})
_ADMIN_SUFFIXES = ("市", "县", "區", "区", "州", "地区", "縣")
_POSTAL_TEXT = re.compile(r"(?<!\d)(8[34]\d{4})(?!\d)")
_CODE_TEXT = re.compile(r"(?<![\d])(6[56]\d{4})(?!\d)")


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    out = "".join(c for c in unicodedata.normalize("NFD", out) if not unicodedata.combining(c)).casefold()
    result = []
    for c in out:
        if c in "'’`ʼ‘":
            continue
        if c.isalnum() or "\u3400" <= c <= "\u9fff":
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


class LocationDetector:
    """Decides whether a record is in the XUAR from a gazetteer, a boundary and other-China context."""

    def __init__(
        self, gazetteer: Gazetteer, boundary: Boundary | None, context: Iterable[ContextPlace] = ()
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
        for ctx in context:
            label = ctx.names_zh[0]
            for name in (*ctx.names_zh, *ctx.names_latin):
                if fold_key(name) not in xuar_keys:
                    add(
                        name,
                        _Entry(
                            None,
                            "other",
                            ctx,
                            label=f"{label} ({ctx.names_latin[0] if ctx.names_latin else ''})",
                        ),
                    )
        self._entries = entries
        latin = [k for k in entries if not _is_cjk(k)]
        cjk = [k for k in entries if _is_cjk(k)]
        self._latin = re.compile(r"(?<![a-z0-9])(?:" + _trie_pattern(latin) + r")(?![a-z0-9])")
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
                suffix = key in _SUFFIX_WORDS and m.start() - 1 == previous_end
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
        return hits

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
            else:
                self._place_signals("region", record.region, country, signals)
        if record.city and record.city.strip():
            self._place_signals("city", record.city, country, signals)
        if record.address and record.address.strip():
            self._place_signals("address", record.address, country, signals)
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
        for field in ("name", "name_local"):
            value = getattr(record, field)
            if value:
                self._name_signals(field, value, country, signals)
        for alias in record.aliases:
            self._name_signals("aliases", alias, country, signals)

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
    ) -> None:
        strong_w = {"region": W_REGION, "city": W_CITY, "address": W_ADDRESS}[field]
        other_w = W_REGION_OTHER if field in ("region", "city") else W_OTHER_ADDRESS
        seen: set[object] = set()
        for hit in self._scan(text):
            entry = hit.entry
            if entry.strength == "other":
                if hit.street or entry.label in seen:
                    continue
                seen.add(entry.label)
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
            if place.division_code in seen:
                continue
            seen.add(place.division_code)
            matched = f"{place.division_code} {place.name_en}"
            region_level = place.level == "region"
            if entry.strength == "strong":
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

    def _name_signals(
        self, field: str, text: str, country: str | None, signals: list[LocationSignal]
    ) -> None:
        for hit in self._scan(text):
            entry = hit.entry
            if hit.street or entry.strength == "weak":
                continue
            if entry.strength == "other":
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

    def _decide(self, signals: list[LocationSignal]) -> LocationResult:
        score = max(-12.0, min(12.0, sum(s.weight for s in signals)))
        top = max((s.weight for s in signals), default=0.0)
        bottom = min((s.weight for s in signals), default=0.0)
        verdict: bool | str
        if not signals or (top >= CONFLICT and bottom <= -CONFLICT and abs(score) < 4):
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
    return LocationDetector(load_gazetteer(), default_boundary(), load_context_places())
