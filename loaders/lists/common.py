"""Helpers shared by the list loaders: version records, slugs, countries, identifiers and name clauses.

Kept free of any one format so that the same rule (how an alias clause is split, how a USCC is recognised,
how a version ID is derived) gives the same answer whichever official file an entry came from.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from graph_schema import ListEntry, ListVersion
from loaders.iso3166 import is_alpha2, suggest
from loaders.lists.errors import ListFormatError

#: Country names used by OFAC, CBP and trade.gov that are not ISO 3166 short names.
_COUNTRY_NAMES: dict[str, str] = {
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "burma": "MM",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, south": "KR",
    "south korea": "KR",
    "taiwan": "TW",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "turkey": "TR",
    "turkiye": "TR",
    "czech republic": "CZ",
    "united kingdom": "GB",
    "united states": "US",
    "west bank": "PS",
    "gaza": "PS",
    "palestinian": "PS",
    "hong kong": "HK",
    "macau": "MO",
    "china": "CN",
    "people's republic of china": "CN",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
}


def content_version(list_name: str, entries: Iterable[ListEntry]) -> str:
    """`<list>:<12 hex>` from the entries' content, not the file's bytes.

    Why content: one CSL file holds thirteen lists, so each list's version must change only when *its*
    entries change; and re-serialising the same content (another CSV quoting) is not a new version.
    """
    canonical = json.dumps([e.to_props() for e in entries], sort_keys=True, ensure_ascii=False)
    return f"{list_name}:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:12]}"


def make_version(
    list_name: str, entries: list[ListEntry], raw: bytes, source: str, retrieved_on: date | None
) -> ListVersion:
    """The version record every loader returns: content-derived ID, hash of the file bytes, count."""
    return ListVersion(
        version_id=content_version(list_name, entries),
        list_name=list_name,
        source=source,
        retrieved_on=retrieved_on or date.today(),
        sha256=hashlib.sha256(raw).hexdigest(),
        entry_count=len(entries),
    )


def slugify(text: str) -> str:
    """Readable, stable ID part: lower-case ASCII letters and digits joined by single hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def country_code(text: str | None) -> str | None:
    """ISO alpha-2 code for a code or a name as the lists write it; `None` when it cannot be told.

    Unknown names are not an error: a country we cannot code must not drop a listed party.
    """
    if not text:
        return None
    value = text.strip().strip(".")
    if is_alpha2(value.upper()) and len(value) == 2:
        return value.upper()
    named = _COUNTRY_NAMES.get(value.casefold())
    if named:
        return named
    guess = suggest(value)
    return guess if guess and is_alpha2(guess) else None


def unique(values: Iterable[str]) -> list[str]:
    """Non-empty stripped values in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen[v] = None
    return list(seen)


# --- identifiers ---------------------------------------------------------------------------------------

#: ID type as the lists write it (lower-case) -> our scheme. Types not here but naming a number or code
#: get a derived scheme; descriptive "types" (gender, sanctions risk, websites) are not identifiers.
_ID_SCHEMES: dict[str, str] = {
    "unified social credit code (uscc)": "USCC",
    "unified social credit code": "USCC",
    "uscc": "USCC",
    "registration number": "REG",
    "registration id": "REG",
    "business registration number": "BRN",
    "business registration document #": "BRN",
    "company number": "COMPANY_NO",
    "uk company number": "UK_COMPANY_NO",
    "tax id no.": "TAX",
    "v.a.t. number": "VAT",
    "national id no.": "NATIONAL_ID",
    "passport": "PASSPORT",
    "swift/bic": "SWIFT",
    "vessel registration identification": "IMO",
    "identification number": "IMO",
    "imo": "IMO",
    "mmsi": "MMSI",
    "public registration number": "REG",
    "legal entity number": "LEI",
    "d-u-n-s number": "DUNS",
    "nit #": "NIT",
    "matricula mercantil no": "MATRICULA",
    "commercial registry number": "COMMERCIAL_REG",
}
_NOT_IDS = ("gender", "sanctions", "website", "email", "telephone", "phone", "fax", "directive", "prohibited")


def id_scheme(id_type: str) -> str | None:
    """Our scheme for a list's ID type, or `None` when the "type" is not an identifier at all."""
    t = " ".join(id_type.strip().rstrip(":").split()).lower()
    if not t or any(word in t for word in _NOT_IDS):
        return None
    if t in _ID_SCHEMES:
        return _ID_SCHEMES[t]
    if any(w in t for w in ("number", "no.", " id", "code", "#")):
        return re.sub(r"[^A-Z0-9]+", "_", t.upper()).strip("_")
    return None


def identifier(id_type: str, value: str) -> str | None:
    """`"SCHEME:value"` for an ID, `None` when the type is not an identifier. IMO numbers lose the prefix."""
    scheme = id_scheme(id_type)
    value = value.strip().rstrip(".;")
    if scheme is None or not value:
        return None
    if scheme == "IMO":
        value = re.sub(r"^IMO\s*", "", value)
    return f"{scheme}:{value}" if value else None


#: "<type> <value> (<country>)" items of OFAC remarks, e.g. "Unified Social Credit Code (USCC)
#: 91650100MA776UYJ1P (China)" or "Tax ID No. 52-2083095 (United States)"; "alt." prefixes repeats.
_REMARK_ID = re.compile(
    r"^(?:alt\.\s+)?(?P<type>Unified Social Credit Code \(USCC\)|Registration Number|Registration ID|"
    r"Business Registration Number|Business Registration Document #|Company Number|UK Company Number|"
    r"Tax ID No\.|V\.A\.T\. Number|National ID No\.|Passport|SWIFT/BIC|Public Registration Number|"
    r"Legal Entity Number|D-U-N-S Number|NIT #|Vessel Registration Identification|Identification Number|"
    r"MMSI)\s+(?:IMO\s+)?(?P<value>[^\s(;]+)"
)


def identifiers_from_remarks(remarks: str | None) -> list[str]:
    """Identifiers OFAC writes into its free-text Remarks ("...; Unified Social Credit Code (USCC) 9165...").

    Why parse prose: the SDN CSV has no ID column, and a USCC is the strongest link from a listed party to
    a supplier record (and, via its division code, to the XUAR).
    """
    if not remarks:
        return []
    found: list[str] = []
    for part in remarks.split(";"):
        m = _REMARK_ID.match(part.strip())
        if m:
            ident = identifier(m.group("type"), m.group("value"))
            if ident:
                found.append(ident)
    return unique(found)


def aliases_from_remarks(remarks: str | None) -> list[str]:
    """Names in OFAC's "a.k.a. 'X'" / "f.k.a. 'X'" remark items (the same names `alt.csv` lists)."""
    if not remarks:
        return []
    return unique(m.group(2) for m in re.finditer(r"\b([af])\.k\.a\.\s+'([^']+)'", remarks))


# --- UFLPA name text ---------------------------------------------------------------------------------------

_ALIAS_OPEN = re.compile(
    r"\(\s*(?:also known as|formerly known as|a\.k\.a\.|f\.k\.a\."
    r"|(?:and|including)\s+\w+\s+alias(?:es)?\s*:)",
    re.IGNORECASE,
)
_KNOWN_AS = re.compile(r",?\s*(?:and\s+)?(?:also|formerly)\s+known\s+as\s+", re.IGNORECASE)
_COVERS = re.compile(
    r",?\s+(?:and\s+(?:its\s+)?subsidiaries|and\s+its\s+subordinate\s+and\s+affiliated\s+entities)\s*\.?$",
    re.IGNORECASE,
)
_NAMED_SUBS = re.compile(
    r",?\s+and\s+its\s+(?:\w+\s+)?(?:[\w-]+-based\s+)?subsidiar(?:y|ies)(?:,\s*which\s+include)?\s+(?P<subs>.+)$",
    re.IGNORECASE,
)
#: Where " and " may separate two names: after a company-form suffix ("... Co., Ltd. and JWD Technology").
_AND_AFTER_SUFFIX = re.compile(
    r"(\bLtd\.?|\bCo\.|\bLimited|\bInc\.|\bCorporation|\bCompany|\bGroup)\s*,?\s+and\s+", re.IGNORECASE
)


def _split_after_suffix(text: str) -> list[str]:
    """Split at " and " where the left side ends in a company-form suffix, keeping the suffix."""
    parts: list[str] = []
    last = 0
    for m in _AND_AFTER_SUFFIX.finditer(text):
        parts.append(text[last : m.end(1)])
        last = m.end()
    parts.append(text[last:])
    return parts


@dataclass
class ParsedName:
    """A UFLPA "Name of Entity" cell split into its parts."""

    name: str
    aliases: list[str] = field(default_factory=list)
    covers_subsidiaries: bool = False
    subsidiaries: list[str] = field(default_factory=list)


def _closing(text: str, start: int) -> int:
    """Index of the `)` matching the `(` at `start`, or -1 when the cell's brackets do not balance."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def split_names(text: str) -> list[str]:
    """Split a list of names ("A; B; and C", "A and B", "A, and formerly known as B") into names.

    Commas alone never split: "Co., Ltd." is inside nearly every name. " and " splits only after a
    company-form suffix, so "Cotton and Linen Co., Ltd." stays whole.
    """
    names: list[str] = []
    for part in text.split(";"):
        for piece in _KNOWN_AS.split(part):
            for name in _split_after_suffix(piece):
                name = re.sub(r"^\s*(?:and|or)\s+", "", name).strip().rstrip(",").strip()
                if name:
                    names.append(name)
    return unique(names)


def parse_uflpa_name(text: str) -> ParsedName:
    """Split a DHS "Name of Entity" cell into main name, aliases/former names and subsidiary coverage.

    Handles "(also known as ...)", "(formerly known as ...)", "(including N aliases: ...)", "(and two
    aliases: ...)", "and subsidiaries", "and its subordinate and affiliated entities" and "and its eight
    Zhuhai-based subsidiaries, which include A, B, ...". Brackets that are part of the name ("Hoshine
    Silicon Industry (Shanshan) Co., Ltd") are kept.
    """
    text = " ".join(text.split())
    covers = False
    subsidiaries: list[str] = []
    m = _NAMED_SUBS.search(text)
    if m and "(" not in m.group("subs")[:1]:
        subs = m.group("subs").strip()
        subsidiaries = unique(
            s for part in subs.split(";") for s in _split_after_suffix(part.replace(", and ", ", "))
        )
        # Named subsidiaries are separated by commas after their "Ltd."; split there too.
        subsidiaries = unique(
            re.sub(r"^\s*and\s+", "", x).strip().rstrip(",")
            for s in subsidiaries
            for x in re.split(r"(?<=Ltd\.),\s+", s)
        )
        text = text[: m.start()]
    c = _COVERS.search(text)
    if c:
        covers = True
        text = text[: c.start()]
    aliases: list[str] = []
    a = _ALIAS_OPEN.search(text)
    if a:
        end = _closing(text, a.start())
        inner_end = end if end != -1 else len(text)
        aliases = split_names(text[a.end() : inner_end])
        rest = text[inner_end + 1 :] if end != -1 else ""
        text = (text[: a.start()] + " " + rest).strip()
        c = _COVERS.search(text)
        if c:
            covers = True
            text = text[: c.start()]
    name = text.strip().rstrip(",;").strip()
    return ParsedName(name=name, aliases=aliases, covers_subsidiaries=covers, subsidiaries=subsidiaries)


_SECTION_IN_TEXT = re.compile(r"2\(d\)\(2\)\(B\)\((i{1,3}|iv|v)\)")


def section_in(text: str) -> str | None:
    """The statutory clause ("2(d)(2)(B)(ii)") named in a heading or program text, if any."""
    m = _SECTION_IN_TEXT.search(text)
    return f"2(d)(2)(B)({m.group(1)})" if m else None


def section_key(section: str) -> str:
    """`2(d)(2)(B)(ii)` -> `ii`: the section part of a UFLPA entry ID."""
    m = _SECTION_IN_TEXT.search(section)
    return m.group(1) if m else slugify(section)


def csv_header(
    file: str,
    raw: bytes,
    error: type[ListFormatError] = ListFormatError,
    empty: str = "file is empty; expected a header row",
) -> tuple[list[str], Iterator[list[str]]]:
    """A CSV file's header cells (stripped) and a reader at its first data row (for `csv_records`).

    UTF-8 with or without a byte-order mark; anything else, an empty file or a header that is not valid
    CSV is an `error` naming the file (and row 1), so every list format fails the same way.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise error(file, None, None, f"not UTF-8: {e}") from e
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise error(file, 1, None, empty) from None
    except csv.Error as e:
        raise error(file, 1, None, f"not valid CSV: {e}") from e
    return header, reader


def csv_records(
    file: str, reader: Iterator[list[str]], width: int, error: type[ListFormatError] = ListFormatError
) -> Iterator[tuple[int, list[str]]]:
    """The data rows after the header, each with its row number as a spreadsheet shows it (header = 1;
    a quoted cell may span lines, so rows are records, not lines). Blank rows are skipped; a row that is
    not valid CSV or has another number of cells than the header is an `error` naming the row."""
    rownum = 1
    while True:
        rownum += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise error(file, rownum, None, f"not valid CSV: {e}") from e
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise error(file, rownum, None, f"expected {width} cells like the header, got {len(cells)}")
        yield rownum, cells
