"""The UFLPA Entity List as shipped reference data: a CSV transcription plus a metadata sidecar.

DHS publishes the list only as HTML tables ("Name of Entity", "Effective Date") per statutory section, with
aliases and "and subsidiaries" clauses folded into the name text. We keep a reviewed transcription in
`loaders/data/uflpa_entity_list.csv` (one row per entity and section) so that:

- screening never depends on scraping a web page at request time;
- every trace can cite the exact list it was judged against: the version ID is a hash of the CSV bytes, so
  any edit to the file, however small, is a new version and "which products are newly affected?" can be
  answered by comparing two versions;
- a malformed edit fails loudly, naming file, row and column, instead of silently dropping an entity (a
  missed listed entity is the costly error here).

The sidecar `<name>.meta.json` says where the rows come from (DHS page, Federal Register notices), when
and by whom they were transcribed; CSV has no place for that.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph_schema import ListEntry, ListVersion
from loaders.lists.common import csv_header, csv_records
from loaders.lists.errors import ListFormatError

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "uflpa_entity_list.csv"

COLUMNS: tuple[str, ...] = (
    "entry_id",
    "name",
    "aliases",
    "name_local",
    "covers_subsidiaries",
    "section",
    "effective_date",
    "citation",
)
#: Columns that must hold a value on every row: a listing without its date, section or citation cannot
#: be cited in a trace, so it is an error, not a blank.
REQUIRED: frozenset[str] = frozenset(
    {"entry_id", "name", "covers_subsidiaries", "section", "effective_date", "citation"}
)
META_KEYS: tuple[str, ...] = ("list_name", "source", "retrieved_on", "transcribed_by", "notes")

#: The statute's four lists (clause (iii) is the plan, not a list, and is never used for entities).
_SECTION = re.compile(r"^2\(d\)\(2\)\(B\)\((i|ii|iv|v)\)$")
_BOOL = {"true": True, "false": False}


class UflpaListError(ListFormatError):
    """The list file or its sidecar is malformed. `file`, `row` (1-based, header = 1) and `column` say where.

    A `ListFormatError` (and so a `ValueError`): every list loader in `loaders.lists` raises the same
    class, and callers that only care "is this data usable?" need nothing project-specific.
    """


def meta_path(path: Path) -> Path:
    """`foo.csv` -> `foo.meta.json`: the sidecar travels next to the file it describes."""
    return path.with_suffix(".meta.json")


def load_uflpa_file(path: Path = DEFAULT_PATH) -> tuple[ListVersion, list[ListEntry]]:
    """Read and validate the list and its sidecar; return the version record and the entries in file order.

    The version ID is `UFLPA:<first 12 hex of sha256(CSV bytes)>`, so identical files give identical
    versions on every machine and in both stores.
    """
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    meta = _read_meta(meta_path(path))
    list_name = meta["list_name"]
    entries = _read_entries(path.name, raw, list_name)
    version = ListVersion(
        version_id=f"{list_name}:{digest[:12]}",
        list_name=list_name,
        source=meta["source"],
        retrieved_on=meta["retrieved_on"],
        sha256=digest,
        entry_count=len(entries),
    )
    return version, entries


def _read_meta(path: Path) -> dict[str, Any]:
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise UflpaListError(name, None, None, "metadata sidecar is missing") from e
    except json.JSONDecodeError as e:
        raise UflpaListError(name, e.lineno, None, f"not valid JSON: {e.msg}") from e
    if not isinstance(data, dict):
        raise UflpaListError(name, None, None, "expected a JSON object")
    for key in META_KEYS:
        if key not in data or data[key] in (None, "", []):
            raise UflpaListError(name, None, key, "required key is missing or empty")
    list_name = data["list_name"]
    if not isinstance(list_name, str):
        raise UflpaListError(name, None, "list_name", "expected a string")
    source = data["source"]
    # Several sources (the DHS page, each Federal Register notice) are kept in order and joined, so the
    # version record names them all.
    if isinstance(source, list) and all(isinstance(s, str) and s.strip() for s in source):
        source_text = "; ".join(s.strip() for s in source)
    elif isinstance(source, str):
        source_text = source.strip()
    else:
        raise UflpaListError(name, None, "source", "expected a string or a list of non-empty strings")
    try:
        retrieved_on = date.fromisoformat(str(data["retrieved_on"]))
    except ValueError as e:
        raise UflpaListError(name, None, "retrieved_on", f"expected an ISO date (YYYY-MM-DD): {e}") from e
    return {"list_name": list_name, "source": source_text, "retrieved_on": retrieved_on}


def _read_entries(file: str, raw: bytes, list_name: str) -> list[ListEntry]:
    header, reader = csv_header(file, raw, UflpaListError)
    names = [h.lower() for h in header]
    for column in COLUMNS:
        if column not in names:
            raise UflpaListError(file, 1, column, "required column is missing")
    extra = [h for h in names if h not in COLUMNS]
    if extra:
        raise UflpaListError(file, 1, extra[0], "unknown column (a typo would silently drop its data)")
    if len(set(names)) != len(names):
        dup = next(h for h in names if names.count(h) > 1)
        raise UflpaListError(file, 1, dup, "column appears twice")

    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    # Rows are counted as records (a spreadsheet's row numbers), not physical lines: a quoted cell may
    # span lines.
    for rownum, cells in csv_records(file, reader, len(names), UflpaListError):
        row = {n: c.strip() for n, c in zip(names, cells, strict=True)}
        entry_id = row["entry_id"]
        if entry_id in seen:
            raise UflpaListError(
                file, rownum, "entry_id", f"duplicate ID {entry_id!r} (first on row {seen[entry_id]})"
            )
        entries.append(_entry(file, rownum, row, list_name))
        seen[entry_id] = rownum
    if not entries:
        raise UflpaListError(file, None, None, "no entries: an empty list would clear every screening")
    return entries


def _entry(file: str, rownum: int, row: dict[str, str], list_name: str) -> ListEntry:
    for column in COLUMNS:
        if column in REQUIRED and not row[column]:
            raise UflpaListError(file, rownum, column, "required value is empty")
    covers = _BOOL.get(row["covers_subsidiaries"].lower())
    if covers is None:
        raise UflpaListError(
            file, rownum, "covers_subsidiaries", f"expected true or false, got {row['covers_subsidiaries']!r}"
        )
    if not _SECTION.match(row["section"]):
        raise UflpaListError(
            file, rownum, "section", f"expected 2(d)(2)(B)(i|ii|iv|v), got {row['section']!r}"
        )
    try:
        effective = date.fromisoformat(row["effective_date"])
    except ValueError:
        raise UflpaListError(
            file,
            rownum,
            "effective_date",
            f"expected an ISO date (YYYY-MM-DD), got {row['effective_date']!r}",
        ) from None
    aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
    try:
        return ListEntry(
            entry_id=row["entry_id"],
            list_name=list_name,
            name=row["name"],
            aliases=aliases,
            name_local=row["name_local"] or None,
            covers_subsidiaries=covers,
            section=row["section"],
            effective_date=effective,
            citation=row["citation"],
        )
    except ValidationError as e:  # pragma: no cover - every field is checked above; kept as a backstop
        first = e.errors()[0]
        where = str(first["loc"][0]) if first["loc"] else None
        raise UflpaListError(file, rownum, where, first["msg"]) from e
