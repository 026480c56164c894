"""CBP Withhold Release Orders and Findings (CSV from cbp.gov) -> list "CBP_WRO".

A WRO or Finding is a detention order under 19 U.S.C. 1307, not the UFLPA presumption; it is kept as its
own list so a screening result can say which it is.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from graph_schema import ListEntry, ListVersion
from loaders.lists.common import country_code, csv_header, csv_records, make_version, slugify, unique
from loaders.lists.errors import ListFormatError

LIST_NAME = "CBP_WRO"
WRO_URL = "https://www.cbp.gov/document/stats/withhold-release-orders-findings"
COLUMNS = (
    "Entity", "Country", "Country Code", "Industry", "WRO/Finding",
    "Status", "Effective Date", "Calendar Year", "Remarks", "Press Release",
)  # fmt: skip
#: "and (its) subsidiaries" in the forms CBP's releases use: "and its subordinate and affiliated entities"
#: (XPCC), "its subsidiaries, joint ventures, and affiliated entities" (Sime Darby), "wholly owned".
#: CBP writes a ship as "Fishing Vessel: <name>"; the entry ID keeps that text, the name is the ship's.
_VESSEL = re.compile(r"^\s*fishing\s+vessel\s*:\s*", re.IGNORECASE)
_COVERS = re.compile(
    r",?\s+(?:and\s+(?:its\s+|their\s+)?|(?:its|their)\s+)(?:wholly[- ]owned\s+)?"
    r"(?:subsidiaries|subordinates|subordinate(?=\s+and\s+affiliated))"
    r"(?:,?\s+(?:and\s+)?(?:joint\s+ventures|affiliated\s+entities))*\.?$",
    re.IGNORECASE,
)


def _date(file: str, row: int, text: str) -> date | None:
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ListFormatError(file, row, "Effective Date", f"expected MM/DD/YYYY, got {text!r}")


def parse_wro_csv(
    file: str, raw: bytes, *, source: str = WRO_URL, retrieved_on: date | None = None
) -> tuple[ListVersion, list[ListEntry]]:
    """Entries from the CBP WRO/Findings CSV: one per row (an entity with a WRO and a later Finding has two).

    "a/k/a" names become aliases; "and (its) subsidiaries/subordinates" sets `covers_subsidiaries`; the
    WRO-or-Finding kind is the entry's `section`, its status leads `remarks`, the press release is the
    citation. The entry ID is `cbp_wro:<slug of entity>:<wro|finding>:<effective date>`.
    """
    header, reader = csv_header(file, raw)
    lower = [h.lower() for h in header]
    for column in COLUMNS:
        if column.lower() not in lower:
            raise ListFormatError(file, 1, column, "required column is missing")
    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    for rownum, cells in csv_records(file, reader, len(header)):
        r = {col: cells[lower.index(col.lower())].strip() for col in COLUMNS}
        entity = " ".join(r["Entity"].split())
        if not entity:
            raise ListFormatError(file, rownum, "Entity", "required value is empty")
        kind = r["WRO/Finding"] or "WRO"
        effective = _date(file, rownum, r["Effective Date"])
        parts = [p.strip() for p in re.split(r",?\s+a/k/a\s+", entity)]
        name = parts[0]
        covers = bool(_COVERS.search(name))
        name = _COVERS.sub("", name).strip()
        country = country_code(r["Country Code"]) or country_code(r["Country"])
        entry_id = (
            f"cbp_wro:{slugify(name)}:{slugify(kind)}:{effective.isoformat() if effective else 'undated'}"
        )
        if entry_id in seen:
            raise ListFormatError(file, rownum, "Entity", f"duplicate row (first on row {seen[entry_id]})")
        seen[entry_id] = rownum
        vessel = _VESSEL.match(name)
        if vessel:  # "Fishing Vessel: Da Wang" names the ship "Da Wang"; the kind goes to entity_type
            name = name[vessel.end() :].strip() or name
        remarks = "; ".join(p for p in (f"Status: {r['Status']}" if r["Status"] else "", r["Remarks"]) if p)
        entries.append(
            ListEntry(
                entry_id=entry_id,
                list_name=LIST_NAME,
                name=name,
                aliases=unique(parts[1:]),
                covers_subsidiaries=covers,
                section=kind,
                effective_date=effective,
                citation=r["Press Release"] if r["Press Release"] not in ("", "N/A") else None,
                entity_type="vessel" if vessel else None,
                source_list="CBP Withhold Release Orders and Findings",
                programs=unique([r["Industry"]]),
                countries=[country] if country else [],
                remarks=remarks or None,
            )
        )
    if not entries:
        raise ListFormatError(file, None, None, "no entries: an empty list would clear every screening")
    return make_version(LIST_NAME, entries, raw, source, retrieved_on), entries
