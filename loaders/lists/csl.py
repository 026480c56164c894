"""The Consolidated Screening List (trade.gov), CSV download or JSON (API / download), split per source list.

One CSL file holds thirteen US export and sanctions lists; a hit on the BIS Entity List is a different
legal risk from an SDN hit (and neither is the UFLPA presumption), so each source becomes its own list and
version, with a code ("BIS", "OFAC_SDN", ...) that screening results can name.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from graph_schema import ListEntry, ListVersion
from loaders.lists.common import (
    country_code,
    csv_header,
    csv_records,
    identifier,
    make_version,
    slugify,
    unique,
)
from loaders.lists.errors import ListFormatError

CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"

#: trade.gov `source` strings -> our list codes. Unknown sources get a derived code (`source_code`).
SOURCE_CODES: dict[str, str] = {
    "Entity List (EL) - Bureau of Industry and Security": "BIS",
    "Specially Designated Nationals (SDN) - Treasury Department": "OFAC_SDN",
    "Unverified List (UVL) - Bureau of Industry and Security": "BIS_UVL",
    "Denied Persons List (DPL) - Bureau of Industry and Security": "BIS_DPL",
    "Military End User (MEU) List - Bureau of Industry and Security": "BIS_MEU",
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": "OFAC_SSI",
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": "OFAC_NS_MBS",
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": "OFAC_CMIC",
    "Foreign Sanctions Evaders (FSE) - Treasury Department": "OFAC_FSE",
    "Palestinian Legislative Council List (PLC) - Treasury Department": "OFAC_PLC",
    "Capta List (CAP) - Treasury Department": "OFAC_CAPTA",
    "Correspondent Account or Payable-Through Account Sanctions (CAPTA) - Treasury Department": "OFAC_CAPTA",
    "Nonproliferation Sanctions (ISN) - State Department": "ISN",
    "ITAR Debarred (DTC) - State Department": "DDTC_DEBARRED",
}
_AGENCY_PREFIX = {"treasury": "OFAC", "industry and security": "BIS", "state department": "STATE"}

#: Columns a CSV must have (`_id` is absent from older downloads and optional).
REQUIRED_COLUMNS = (
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "addresses",
    "federal_register_notice",
    "start_date",
    "remarks",
    "alt_names",
    "ids",
)
_SUCCESSOR = re.compile(r";?\s*and any successor, sub-unit, or subsidiary thereof\.?\s*$", re.IGNORECASE)


def source_code(source: str) -> str:
    """List code for a trade.gov `source` string: the known table, else agency prefix + acronym.

    A new source must not stop a refresh; it gets a readable derived code (e.g. "OFAC_XYZ") and the lead
    can add it to `SOURCE_CODES`.
    """
    source = " ".join(source.split())
    if source in SOURCE_CODES:
        return SOURCE_CODES[source]
    acronym = re.search(r"\(([A-Za-z][A-Za-z0-9 -]*)\)", source)
    prefix = next((p for k, p in _AGENCY_PREFIX.items() if k in source.lower()), "CSL")
    core = acronym.group(1) if acronym else source.split(" - ")[0]
    return f"{prefix}_{re.sub(r'[^A-Z0-9]+', '_', core.upper()).strip('_')}"


def _split(text: str | None, sep: str = ";") -> list[str]:
    if not text:
        return []
    return unique(re.sub(r"^\s*and\s+", "", p) for p in text.split(sep))


def _csv_ids(text: str) -> list[str]:
    """CSV `ids`: "Type, number, country; ..." (current) or "country, number, Type" (older downloads)."""
    found: list[str] = []
    for item in _split(text):
        parts = [p.strip() for p in item.split(",")]
        if len(parts) < 2:
            continue
        if len(parts) >= 3 and len(parts[0]) == 2 and parts[0].isupper() and country_code(parts[0]):
            id_type, number = parts[-1], ", ".join(parts[1:-1])  # older order: country, number, type
        elif len(parts) >= 3 and country_code(parts[-1]) and len(parts[-1]) == 2:
            id_type, number = parts[0], ", ".join(parts[1:-1])
        else:
            id_type, number = parts[0], ", ".join(parts[1:])
        ident = identifier(id_type, number)
        if ident:
            found.append(ident)
    return unique(found)


def _csv_address_countries(addresses: list[str]) -> list[str]:
    """The trailing ", CN" of each CSL CSV address (an address may be only a country code)."""
    codes = []
    for a in addresses:
        last = a.rsplit(",", 1)[-1].strip()
        if len(last) == 2 and (code := country_code(last)):
            codes.append(code)
    return unique(codes)


def _date(file: str, row: int, column: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ListFormatError(
            file, row, column, f"expected an ISO date (YYYY-MM-DD), got {value!r}"
        ) from None


def _entry(
    file: str,
    row: int,
    r: dict[str, Any],
    addresses: list[str],
    countries: list[str],
    alt_names: list[str],
    ids: list[str],
) -> tuple[str, ListEntry]:
    source = str(r.get("source") or "").strip()
    if not source:
        raise ListFormatError(file, row, "source", "required value is empty")
    raw_name = str(r.get("name") or "").strip()
    if not raw_name:
        raise ListFormatError(file, row, "name", "required value is empty")
    code = source_code(source)
    name = _SUCCESSOR.sub("", raw_name).strip()
    entity_number = str(r.get("entity_number") or "").strip()
    key = entity_number or str(r.get("_id") or "").strip() or slugify(name)
    programs = r.get("programs")
    program_list = _split(programs) if isinstance(programs, str) else unique(str(p) for p in programs or [])
    entity_type = str(r.get("type") or "").strip().lower() or None
    entry = ListEntry(
        entry_id=f"ofac:sdn:{entity_number}"
        if code == "OFAC_SDN" and entity_number
        else f"csl:{code.lower()}:{key}",
        list_name=code,
        name=name,
        aliases=alt_names,
        covers_subsidiaries=name != raw_name,
        effective_date=_date(file, row, "start_date", r.get("start_date")),
        citation=str(r.get("federal_register_notice") or "").strip() or None,
        entity_type=entity_type,
        source_list=source,
        programs=program_list,
        countries=countries,
        addresses=addresses,
        identifiers=ids,
        remarks=str(r.get("remarks") or "").strip() or None,
    )
    return code, entry


def _versions(
    file: str, raw: bytes, by_list: dict[str, list[ListEntry]], source: str, retrieved_on: date | None
) -> list[tuple[ListVersion, list[ListEntry]]]:
    if not by_list:
        raise ListFormatError(file, None, None, "no entries: an empty list would clear every screening")
    return [
        (make_version(code, entries, raw, source, retrieved_on), entries) for code, entries in by_list.items()
    ]


def _add(
    file: str,
    row: int,
    by_list: dict[str, list[ListEntry]],
    seen: dict[str, int],
    code: str,
    entry: ListEntry,
) -> None:
    entry_id = entry.entry_id
    if entry_id in seen:
        # Names used as keys (no entity number, no _id) may legitimately repeat: number them in file order.
        n = 2
        while f"{entry_id}-{n}" in seen:
            n += 1
        if entry_id.rsplit(":", 1)[-1] != slugify(entry.name):
            raise ListFormatError(
                file, row, "_id", f"duplicate entry {entry_id!r} (first on row {seen[entry_id]})"
            )
        entry = entry.model_copy(update={"entry_id": f"{entry_id}-{n}"})
    seen[entry.entry_id] = row
    by_list.setdefault(code, []).append(entry)


def parse_csl_csv(
    file: str, raw: bytes, *, source: str = CSL_URL, retrieved_on: date | None = None
) -> list[tuple[ListVersion, list[ListEntry]]]:
    """Entries per source list from the CSL CSV download (header row; columns as trade.gov publishes)."""
    cells, reader = csv_header(file, raw)
    header = [h.lower() for h in cells]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise ListFormatError(file, 1, column, "required column is missing")
    by_list: dict[str, list[ListEntry]] = {}
    seen: dict[str, int] = {}
    for rownum, cells in csv_records(file, reader, len(header)):
        r = dict(zip(header, (c.strip() for c in cells), strict=True))
        addresses = _split(r["addresses"])
        code, entry = _entry(
            file,
            rownum,
            r,
            addresses,
            _csv_address_countries(addresses),
            _split(r["alt_names"]),
            _csv_ids(r["ids"]),
        )
        _add(file, rownum, by_list, seen, code, entry)
    return _versions(file, raw, by_list, source, retrieved_on)


def _json_address(a: Any) -> tuple[str, str | None]:
    if isinstance(a, str):
        return a.strip(), None
    if not isinstance(a, dict):
        return "", None
    parts = [str(a.get(k) or "").strip() for k in ("address", "city", "state", "postal_code", "country")]
    return ", ".join(p for p in parts if p), country_code(str(a.get("country") or ""))


def parse_csl_json(
    file: str, raw: bytes, *, source: str = CSL_URL, retrieved_on: date | None = None
) -> list[tuple[ListVersion, list[ListEntry]]]:
    """Entries per source list from CSL JSON: `{"results": [...]}` (API and download) or a bare list.

    JSON differs from the CSV in shape only: addresses are objects (`address, city, state, postal_code,
    country`), `alt_names` and `ids` are lists (`ids` of `{type, number, country, ...}`).
    """
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ListFormatError(file, None, None, f"not UTF-8: {e}") from e
    except json.JSONDecodeError as e:
        raise ListFormatError(file, e.lineno, None, f"not valid JSON: {e.msg} (column {e.colno})") from e
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise ListFormatError(file, None, "results", "expected {'results': [...]} or a list of entries")
    by_list: dict[str, list[ListEntry]] = {}
    seen: dict[str, int] = {}
    for index, r in enumerate(results, start=1):
        if not isinstance(r, dict):
            raise ListFormatError(file, index, None, "expected an object")
        for column in ("source", "name"):
            if column not in r:
                raise ListFormatError(file, index, column, "required field is missing")
        addresses, countries = [], []
        for a in r.get("addresses") or []:
            text, code = _json_address(a)
            if text:
                addresses.append(text)
            if code:
                countries.append(code)
        alt = r.get("alt_names") or []
        alt_names = _split(alt) if isinstance(alt, str) else unique(str(x) for x in alt)
        ids: list[str] = []
        for i in r.get("ids") or []:
            if isinstance(i, dict):
                ident = identifier(str(i.get("type") or ""), str(i.get("number") or ""))
                if ident:
                    ids.append(ident)
        code, entry = _entry(file, index, r, unique(addresses), unique(countries), alt_names, unique(ids))
        _add(file, index, by_list, seen, code, entry)
    return _versions(file, raw, by_list, source, retrieved_on)
