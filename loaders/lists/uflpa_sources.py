"""UFLPA Entity List from its two machine-readable sources: the DHS page's HTML tables, and OpenSanctions'
FollowTheMoney export of dataset `us_dhs_uflpa`.

Both give the same entries as the reviewed CSV (`loaders/uflpa.py`): one per (entity, statutory section),
IDs `uflpa:<section>:<slug>`, so a refresh can be diffed against the shipped transcription
(`loaders.lists.history.diff_versions`) before anyone replaces it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from graph_schema import ListEntry, ListVersion
from loaders.lists.common import make_version, parse_uflpa_name, section_in, section_key, slugify, unique
from loaders.lists.errors import ListFormatError

LIST_NAME = "UFLPA"
DHS_URL = "https://www.dhs.gov/uflpa-entity-list"
_NAME_HEADERS = ("name of entity", "entity name", "name")
_DATE_HEADERS = ("effective date", "date")


def uflpa_entry_id(section: str, name: str) -> str:
    """The stable, readable entry ID shared by every UFLPA loader: `uflpa:<i|ii|iv|v>:<slug of name>`."""
    return f"uflpa:{section_key(section)}:{slugify(name)}"


def _parse_dhs_date(file: str, row: int, text: str) -> date:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ListFormatError(file, row, "Effective Date", f"expected a date like 'June 21, 2022', got {text!r}")


class _Tables(HTMLParser):
    """Collects every table's rows (cell texts) with the last statutory-section heading seen before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str | None, list[list[str]], int]] = []  # (section, rows, line of <table>)
        self._section: str | None = None
        self._text: list[str] = []  # text outside tables since the last table
        self._depth = 0
        self._rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                found = section_in(" ".join(self._text))
                if found:
                    self._section = found
                self._text = []
                self._rows = []
                self._line = self.getpos()[0]
        elif self._depth and tag == "tr":
            self._row = []
        elif self._depth and tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self.tables.append((self._section, self._rows, self._line))

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self._text.append(data)


def parse_dhs_html(
    file: str, raw: bytes, *, source: str = DHS_URL, retrieved_on: date | None = None
) -> tuple[ListVersion, list[ListEntry]]:
    """Entries from the DHS UFLPA Entity List page: one table per statutory section.

    Each table's section comes from the nearest preceding heading naming "2(d)(2)(B)(...)"; aliases,
    former names and subsidiary clauses are parsed out of the "Name of Entity" text, and subsidiaries named
    in it become entries of their own. A table without a section heading, a row without a date, or a page
    with no entity table is an error: a silently skipped table is a missed listed entity.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ListFormatError(file, None, None, f"not UTF-8: {e}") from e
    parser = _Tables()
    parser.feed(text)
    parser.close()
    entries: list[ListEntry] = []
    seen: dict[str, str] = {}
    for section, rows, line in parser.tables:
        if not rows:
            continue
        header = [h.strip().lower() for h in rows[0]]
        name_col = next((i for i, h in enumerate(header) if h in _NAME_HEADERS), None)
        date_col = next((i for i, h in enumerate(header) if h in _DATE_HEADERS), None)
        if name_col is None and date_col is None:
            continue  # not an entity table (layout tables do occur on dhs.gov)
        where = f"{file} (table at line {line})"
        if name_col is None:
            raise ListFormatError(where, 1, "Name of Entity", "required column is missing")
        if date_col is None:
            raise ListFormatError(where, 1, "Effective Date", "required column is missing")
        if section is None:
            raise ListFormatError(where, None, None, "no '2(d)(2)(B)(...)' section heading before this table")
        for rownum, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) <= max(name_col, date_col):
                raise ListFormatError(where, rownum, None, f"expected {len(header)} cells, got {len(cells)}")
            name_text = cells[name_col]
            if not name_text:
                raise ListFormatError(where, rownum, "Name of Entity", "empty name")
            effective = _parse_dhs_date(where, rownum, cells[date_col])
            parsed = parse_uflpa_name(name_text)
            citation = f"DHS UFLPA Entity List, {section}, effective {effective.isoformat()}"
            main = ListEntry(
                entry_id=uflpa_entry_id(section, parsed.name),
                list_name=LIST_NAME,
                name=parsed.name,
                aliases=parsed.aliases,
                covers_subsidiaries=parsed.covers_subsidiaries,
                section=section,
                effective_date=effective,
                citation=citation,
                source_list="UFLPA Entity List",
                countries=["CN"],
                remarks=name_text if name_text != parsed.name else None,
            )
            for entry in [main] + [
                ListEntry(
                    entry_id=uflpa_entry_id(section, sub),
                    list_name=LIST_NAME,
                    name=sub,
                    section=section,
                    effective_date=effective,
                    citation=citation,
                    source_list="UFLPA Entity List",
                    countries=["CN"],
                    remarks=f"listed as a subsidiary of {parsed.name}",
                )
                for sub in parsed.subsidiaries
            ]:
                if entry.entry_id in seen:
                    raise ListFormatError(
                        where, rownum, "Name of Entity", f"{entry.name!r} is listed twice in {section}"
                    )
                seen[entry.entry_id] = where
                entries.append(entry)
    if not entries:
        raise ListFormatError(file, None, None, "no UFLPA entity table found (expected 'Name of Entity')")
    return make_version(LIST_NAME, entries, raw, source, retrieved_on), entries


# --- OpenSanctions FollowTheMoney -------------------------------------------------------------------------

_ENTITY_SCHEMAS = {"Company", "Organization", "LegalEntity", "Person", "PublicBody"}


def _props(file: str, line: int, obj: dict[str, Any]) -> dict[str, list[Any]]:
    props = obj.get("properties", {})
    if not isinstance(props, dict) or not all(isinstance(v, list) for v in props.values()):
        raise ListFormatError(file, line, "properties", "expected an object of lists")
    return props


def _strs(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def parse_ftm(
    file: str, raw: bytes, *, source: str | None = None, retrieved_on: date | None = None
) -> tuple[ListVersion, list[ListEntry]]:
    """Entries from OpenSanctions' `us_dhs_uflpa` FollowTheMoney export (`entities.ftm.json`, JSON lines,
    or `targets.nested.json`, where sanctions are nested under `properties.sanctions`).

    The section and effective date come from each entity's Sanction (`program` names the section,
    `startDate` the date); an entity listed under two sections yields two entries, like the DHS table.
    A listed entity without a Sanction carrying a section is an error (it could not be cited).
    """
    objects: list[tuple[int, dict[str, Any]]] = []
    for lineno, line in enumerate(raw.decode("utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ListFormatError(file, lineno, None, f"not valid JSON: {e.msg} (column {e.colno})") from e
        if not isinstance(obj, dict) or not isinstance(obj.get("schema"), str) or "id" not in obj:
            raise ListFormatError(file, lineno, "schema", "expected an entity object with 'id' and 'schema'")
        objects.append((lineno, obj))
    sanctions: dict[str, list[tuple[int, dict[str, list[Any]]]]] = {}
    for lineno, obj in objects:
        if obj["schema"] == "Sanction":
            props = _props(file, lineno, obj)
            for ent in props.get("entity", []):
                ent_id = ent.get("id") if isinstance(ent, dict) else ent
                if isinstance(ent_id, str):
                    sanctions.setdefault(ent_id, []).append((lineno, props))
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for lineno, obj in objects:
        if obj["schema"] not in _ENTITY_SCHEMAS:
            continue
        props = _props(file, lineno, obj)
        names = _strs(props.get("name", []))
        if not names:
            raise ListFormatError(file, lineno, "properties.name", "entity has no name")
        nested = [
            (lineno, _props(file, lineno, s)) for s in props.get("sanctions", []) if isinstance(s, dict)
        ]
        listings = sanctions.get(str(obj["id"]), []) + nested
        if not listings:
            raise ListFormatError(
                file, lineno, "sanctions", f"{names[0]!r} has no Sanction naming its section"
            )
        for s_line, s_props in listings:
            programs = _strs(s_props.get("program", [])) + _strs(s_props.get("provisions", []))
            section = next((sec for p in programs if (sec := section_in(p))), None)
            if section is None:
                raise ListFormatError(file, s_line, "program", f"no 2(d)(2)(B) section in {programs!r}")
            start = _strs(s_props.get("startDate", []))
            effective: date | None = None
            if start:
                try:
                    effective = date.fromisoformat(start[0][:10])
                except ValueError:
                    raise ListFormatError(
                        file, s_line, "startDate", f"not an ISO date: {start[0]!r}"
                    ) from None
            entry_id = uflpa_entry_id(section, names[0])
            if entry_id in seen:
                continue  # the same listing reached through both a flat and a nested Sanction
            seen.add(entry_id)
            notes = _strs(props.get("notes", []))
            entries.append(
                ListEntry(
                    entry_id=entry_id,
                    list_name=LIST_NAME,
                    name=names[0],
                    aliases=unique(
                        names[1:] + _strs(props.get("alias", [])) + _strs(props.get("previousName", []))
                    ),
                    covers_subsidiaries=any(re.search(r"subsidiar|subordinate", n, re.I) for n in notes),
                    section=section,
                    effective_date=effective,
                    citation="; ".join(_strs(s_props.get("sourceUrl", [])) + programs) or None,
                    entity_type=str(obj["schema"]).lower(),
                    source_list="UFLPA Entity List (OpenSanctions us_dhs_uflpa)",
                    programs=programs,
                    countries=unique(c.upper() for c in _strs(props.get("country", [])) if len(c) == 2),
                    remarks="; ".join(notes) or None,
                )
            )
    if not entries:
        raise ListFormatError(file, None, None, "no listed entities (Company/Organization/...) in the file")
    version = make_version(
        LIST_NAME,
        entries,
        raw,
        source or f"OpenSanctions us_dhs_uflpa FtM export ({Path(file).name})",
        retrieved_on,
    )
    return version, entries
