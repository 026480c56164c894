"""Read and validate a supply-chain bundle (`shared/FORMATS.md`, version 1) without touching any store.

A bundle arrives as a directory, a `.zip` on disk or the bytes of an upload. `read_bundle` opens it,
parses the six CSV files and checks everything that can be checked from the bundle alone; `validate_bundle`
adds what needs the tenant's existing data (references to records loaded earlier, cycles that close
through lines loaded earlier). Both collect *every* problem instead of stopping at the first, because a
compliance analyst fixing an ERP export wants one list to work through, not one round trip per typo.

Nothing here raises for bad data: problems are returned, sorted the way a person reads the bundle
(file order, then row, then column), and the caller decides to raise `BundleInvalidError`. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.

Speed matters (a 100k-row bundle validates in a few seconds): each cell is parsed once, cross-row checks
use dicts, and the store is asked one batched question per record kind (per level for graph walks).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.errors import Problem
from app.perf import gc_paused
from app.store.base import FirstLoad, GraphStore, RecordKind
from graph_schema import (
    Activity,
    BomLine,
    Bundle,
    Company,
    Document,
    DocumentType,
    Facility,
    Item,
    ItemKind,
    RegistrationScheme,
    Sourcing,
)
from graph_schema.records import Record, records_adapter
from loaders.epcis import normalize_gtin, validate_gln
from loaders.iso3166 import ALPHA2, suggest

#: Zip bomb guards: what a bundle may expand to, in total and per file (only bundle files are expanded).
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_FILE_BYTES = 1024**3
MAX_ARCHIVE_ENTRIES = 10_000
#: Past this many cycles of one kind the bundle is plainly wrong; listing more helps nobody.
MAX_CYCLES_REPORTED = 100
#: How many row numbers a summarising message lists before "…".
_ROWS_SHOWN = 10

COMPANIES = "companies.csv"
FACILITIES = "facilities.csv"
ITEMS = "items.csv"
BOM = "bom.csv"
SOURCING = "sourcing.csv"
DOCUMENTS = "documents.csv"

#: The bundle's files in dependency order, which is also the order problems are reported in.
BUNDLE_FILES: tuple[str, ...] = (COMPANIES, FACILITIES, ITEMS, BOM, SOURCING, DOCUMENTS)


# -- cell parsers ------------------------------------------------------------------------------------------
# Each takes a trimmed, non-empty cell and returns the typed value or raises `_CellError(reason)`.


class _CellError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_Parser = Callable[[str], Any]
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def _identifier(value: str) -> str:
    # `|` separates list entries (document_ids) and the parts of a sourcing link's identity.
    if "|" in value:
        raise _CellError("an ID cannot contain '|' (it separates the entries of a list)")
    return value


def _item_identifier(value: str) -> str:
    # `>` joins parent and component into a BOM line's key; an ID holding it could collide.
    if "|" in value or ">" in value:
        raise _CellError("an item ID cannot contain '|' or '>'")
    return value


def _id_list(value: str) -> list[str] | None:
    parts = _split(value)
    for part in parts:
        _identifier(part)
    return parts or None


def _text_list(value: str) -> list[str] | None:
    return _split(value) or None


def _split(value: str) -> list[str]:
    if "|" not in value:
        return [value]
    # dict.fromkeys: drop repeats but keep the order the user wrote.
    return list(dict.fromkeys([part for part in [p.strip() for p in value.split("|")] if part]))


def _enum(enum_cls: type[Enum]) -> _Parser:
    lookup = {str(member.value).casefold(): member for member in enum_cls}
    reason = "expected one of: " + ", ".join(str(member.value) for member in enum_cls)

    def parse(value: str) -> Enum:
        # "Bill of Lading" and "bill-of-lading" mean bill_of_lading; nobody should fail on that.
        key = value.casefold().replace(" ", "_").replace("-", "_")
        try:
            return lookup[key]
        except KeyError:
            raise _CellError(reason) from None

    return parse


def _number(value: str) -> float | None:
    # float() alone would also take "nan", "inf" and "1_000": none of them is a quantity anyone meant.
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and "_" not in value else None


def _percent(value: str) -> float:
    number = _number(value[:-1].rstrip() if value.endswith("%") else value)
    if number is None or not 0 <= number <= 100:
        raise _CellError("expected a number between 0 and 100")
    return number


def _quantity(value: str) -> float:
    number = _number(value)
    if number is None or number < 0:
        raise _CellError("expected a number of 0 or more")
    return number


def _coordinate(name: str, limit: int) -> _Parser:
    def parse(value: str) -> float:
        number = _number(value)
        if number is None:
            raise _CellError(f"expected a number: {name} must be between -{limit} and {limit}")
        if not -limit <= number <= limit:
            raise _CellError(f"{name} must be between -{limit} and {limit}")
        return number

    return parse


def _iso_date(value: str) -> date:
    # date.fromisoformat alone would also take 20240131 and week dates such as 2024-W05-3.
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not value[:4].isdigit():
        raise _CellError("expected an ISO date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _CellError("expected an ISO date YYYY-MM-DD (this day does not exist)") from None


def _country(value: str) -> str:
    code = value.upper()
    if code in ALPHA2:
        return code
    reason = "expected an ISO 3166-1 alpha-2 country code such as CN or US"
    hint = suggest(value)
    raise _CellError(f"{reason} (did you mean {hint}?)" if hint else reason)


def _gln(value: str) -> str:
    try:
        return validate_gln(value)
    except ValueError as e:
        raise _CellError(str(e)) from None


def _gtin(value: str) -> str:
    # Stored as 14 digits, so a GTIN-13 in the bundle and the GTIN-14 an EPCIS event carries match.
    try:
        return normalize_gtin(value)
    except ValueError as e:
        raise _CellError(str(e)) from None


def _sha256(value: str) -> str:
    if not _SHA256.fullmatch(value):
        raise _CellError("expected a SHA-256 digest: 64 hexadecimal characters")
    return value.lower()


# -- the contract's files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    name: str
    required: bool = False
    #: None = plain text, kept as written (trimmed)
    parse: _Parser | None = None


@dataclass(frozen=True)
class _FileSpec:
    file: str
    model: type[Record]
    columns: tuple[_Column, ...]
    #: the column holding each row's own ID, for duplicate detection (None: a composite identity)
    id_column: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_SPECS: dict[str, _FileSpec] = {
    spec.file: spec
    for spec in (
        _FileSpec(
            COMPANIES,
            Company,
            (
                _Column("company_id", True, _identifier),
                _Column("name", True),
                _Column("name_local"),
                _Column("aliases", parse=_text_list),
                _Column("country", True, _country),
                _Column("registration_id"),
                _Column("registration_scheme", parse=_enum(RegistrationScheme)),
                _Column("address"),
                _Column("parent_company_id", parse=_identifier),
                _Column("ownership_pct", parse=_percent),
            ),
            id_column="company_id",
        ),
        _FileSpec(
            FACILITIES,
            Facility,
            (
                _Column("facility_id", True, _identifier),
                _Column("company_id", True, _identifier),
                _Column("name"),
                _Column("activity", parse=_enum(Activity)),
                _Column("address"),
                _Column("city"),
                _Column("region"),
                _Column("postal_code"),
                _Column("country", True, _country),
                _Column("latitude", parse=_coordinate("latitude", 90)),
                _Column("longitude", parse=_coordinate("longitude", 180)),
                _Column("os_id"),
                _Column("gln", parse=_gln),
            ),
            id_column="facility_id",
        ),
        _FileSpec(
            ITEMS,
            Item,
            (
                _Column("item_id", True, _item_identifier),
                _Column("name", True),
                _Column("kind", True, _enum(ItemKind)),
                _Column("hts_code"),
                _Column("commodity"),
                _Column("gtin", parse=_gtin),
            ),
            id_column="item_id",
        ),
        _FileSpec(
            BOM,
            BomLine,
            (
                _Column("parent_item_id", True, _item_identifier),
                _Column("component_item_id", True, _item_identifier),
                _Column("quantity", parse=_quantity),
                _Column("unit"),
            ),
        ),
        _FileSpec(
            SOURCING,
            Sourcing,
            (
                _Column("item_id", True, _item_identifier),
                _Column("supplier_facility_id", True, _identifier),
                _Column("buyer_facility_id", parse=_identifier),
                _Column("share", parse=_percent),
                _Column("valid_from", parse=_iso_date),
                _Column("valid_to", parse=_iso_date),
                _Column("document_ids", parse=_id_list),
            ),
        ),
        _FileSpec(
            DOCUMENTS,
            Document,
            (
                _Column("document_id", True, _identifier),
                _Column("type", True, _enum(DocumentType)),
                _Column("number"),
                _Column("issued_on", parse=_iso_date),
                _Column("issuer_company_id", parse=_identifier),
                _Column("uri"),
                _Column("sha256", parse=_sha256),
            ),
            id_column="document_id",
        ),
    )
}

#: (file, column, kind, file that defines that kind): every reference the contract names.
_REFERENCES: tuple[tuple[str, str, RecordKind, str], ...] = (
    (COMPANIES, "parent_company_id", RecordKind.COMPANIES, COMPANIES),
    (FACILITIES, "company_id", RecordKind.COMPANIES, COMPANIES),
    (BOM, "parent_item_id", RecordKind.ITEMS, ITEMS),
    (BOM, "component_item_id", RecordKind.ITEMS, ITEMS),
    (SOURCING, "item_id", RecordKind.ITEMS, ITEMS),
    (SOURCING, "supplier_facility_id", RecordKind.FACILITIES, FACILITIES),
    (SOURCING, "buyer_facility_id", RecordKind.FACILITIES, FACILITIES),
    (SOURCING, "document_ids", RecordKind.DOCUMENTS, DOCUMENTS),
    (DOCUMENTS, "issuer_company_id", RecordKind.COMPANIES, COMPANIES),
)
_DEFINING_COLUMN: dict[RecordKind, tuple[str, str]] = {
    RecordKind.COMPANIES: (COMPANIES, "company_id"),
    RecordKind.FACILITIES: (FACILITIES, "facility_id"),
    RecordKind.ITEMS: (ITEMS, "item_id"),
    RecordKind.DOCUMENTS: (DOCUMENTS, "document_id"),
}
_SOURCING_IDENTITY = ("item_id", "supplier_facility_id", "buyer_facility_id", "valid_from")
_BOM_IDENTITY = ("parent_item_id", "component_item_id")


# -- results -----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One data row: its spreadsheet row number, the cells that parsed, and the columns that did not."""

    row: int
    values: dict[str, Any]
    bad: set[str] | None = None

    def usable(self, columns: Iterable[str]) -> bool:
        """Whether none of `columns` failed to parse (an empty cell is usable: it means "no value")."""
        return not self.bad or self.bad.isdisjoint(columns)


@dataclass
class _Table:
    file: str
    #: header position of each contract column present, for reading cells and ordering problems
    positions: dict[str, int]
    rows: list[_Row] = field(default_factory=list)


@dataclass
class ParsedBundle:
    """What a bundle turned out to hold: the records (only when nothing is wrong), every problem, and the
    facts a load report shows (rows per file, what was ignored, warnings worth a look)."""

    name: str
    bundle: Bundle | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_per_file: dict[str, int] = field(default_factory=dict)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: SHA-256 over the bundle files' names and bytes: equal digests mean the same content
    content_sha256: str = ""
    #: every file's records went to the `FirstLoad` given to `read_bundle` (only ever with no problem)
    handed_over: bool = False
    _tables: dict[str, _Table] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether the bundle may be written: no problem at all (warnings do not count)."""
        return not self.problems


# -- reading the container ---------------------------------------------------------------------------------


def _size_text(size: int) -> str:
    return f"{size / 1024**3:g} GiB" if size >= 1024**3 else f"{size:,} bytes"


@dataclass
class _Collected:
    files: dict[str, bytes] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _collect_directory(path: Path, name: str, max_total: int, max_file: int) -> _Collected:
    out = _Collected()
    chosen: list[tuple[str, Path]] = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            out.ignored.append(entry.name + "/")
            continue
        canonical = entry.name.lower()
        if canonical not in _SPECS:
            out.ignored.append(entry.name)
        elif canonical in {c for c, _ in chosen}:
            out.problems.append(Problem(name, None, None, f"two files are named {canonical}", entry.name))
        else:
            chosen.append((canonical, entry))
    total = 0
    for canonical, entry in chosen:
        size = entry.stat().st_size
        total += size
        if size > max_file:
            out.problems.append(Problem(canonical, None, None, f"file is larger than {_size_text(max_file)}"))
        elif total > max_total:
            out.problems.append(Problem(name, None, None, f"bundle is larger than {_size_text(max_total)}"))
            break
        else:
            out.files[canonical] = entry.read_bytes()
    return out


def _safe_parts(raw: str) -> list[str] | None:
    """The archive entry's path components, or None when it tries to escape the archive's folder."""
    normal = raw.replace("\\", "/")
    parts = normal.split("/")
    if normal.startswith("/") or ".." in parts or (parts and re.fullmatch(r"[A-Za-z]:", parts[0])):
        return None
    return [p for p in parts if p not in ("", ".")]


def _collect_zip(archive: zipfile.ZipFile, name: str, max_total: int, max_file: int) -> _Collected:
    out = _Collected()
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        reason = f"archive holds {len(infos):,} entries; a bundle has at most {MAX_ARCHIVE_ENTRIES:,}"
        out.problems.append(Problem(name, None, None, reason))
        return out
    entries: list[tuple[list[str], zipfile.ZipInfo]] = []
    for info in infos:
        if info.is_dir():
            continue
        parts = _safe_parts(info.filename)
        if parts is None:
            reason = "archive entry points outside the archive (path traversal); the bundle is refused"
            out.problems.append(Problem(name, None, None, reason, info.filename))
            continue
        # macOS resource forks and hidden files (.DS_Store, ._x) are noise, not content.
        if not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
            continue
        entries.append((parts, info))

    # The CSVs sit at the root, or inside the one top-level folder that zipping a folder creates.
    root: list[str] = []
    if not any(len(p) == 1 and p[0].lower() in _SPECS for p, _ in entries):
        folders = {p[0] for p, _ in entries if len(p) == 2 and p[1].lower() in _SPECS}
        if len(folders) == 1:
            root = [folders.pop()]

    chosen: dict[str, zipfile.ZipInfo] = {}
    for parts, info in entries:
        canonical = parts[-1].lower()
        if parts[:-1] != root or canonical not in _SPECS:
            out.ignored.append("/".join(parts))
        elif canonical in chosen:
            out.problems.append(Problem(name, None, None, f"two files are named {canonical}", info.filename))
        else:
            chosen[canonical] = info

    total = 0
    for canonical, info in chosen.items():
        total += info.file_size
        if info.file_size > max_file:
            out.problems.append(
                Problem(canonical, None, None, f"file expands to more than {_size_text(max_file)}")
            )
    if total > max_total:
        out.problems.append(
            Problem(name, None, None, f"archive expands to more than {_size_text(max_total)}")
        )
    if out.problems:
        return out

    for canonical, info in chosen.items():
        if info.flag_bits & 0x1:
            out.problems.append(
                Problem(canonical, None, None, "file is encrypted; send it without a password")
            )
            continue
        try:
            with archive.open(info) as handle:
                # Read one byte past the limit: the declared size could lie.
                data = handle.read(max_file + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError) as exc:
            out.problems.append(
                Problem(canonical, None, None, f"file cannot be read from the archive: {exc}")
            )
            continue
        if len(data) > max_file:
            out.problems.append(
                Problem(canonical, None, None, f"file expands to more than {_size_text(max_file)}")
            )
            continue
        out.files[canonical] = data
    return out


def _collect(source: Path | bytes, name: str, max_total: int, max_file: int) -> _Collected:
    if isinstance(source, Path) and source.is_dir():
        return _collect_directory(source, name, max_total, max_file)
    if isinstance(source, Path) and not source.exists():
        return _Collected(problems=[Problem(name, None, None, "no such directory or .zip file")])
    try:
        opened = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError):
        reason = "expected a directory or a .zip archive of the bundle's CSV files; this is neither"
        return _Collected(problems=[Problem(name, None, None, reason)])
    with opened:
        return _collect_zip(opened, name, max_total, max_file)


# -- parsing one CSV file ----------------------------------------------------------------------------------


def _decode(file: str, data: bytes, problems: list[Problem]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(file, None, None, "file is UTF-16 text; save it as UTF-8 (Excel: CSV UTF-8)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8-sig", errors="replace")
        try:
            records = sum(1 for _ in csv.reader(io.StringIO(prefix, newline="")))
        except csv.Error:
            records = prefix.count("\n")
        row = records + 1 if not prefix or prefix.endswith(("\n", "\r")) else records
        reason = (
            f"file is not UTF-8 text: byte 0x{data[exc.start]:02X} cannot be decoded; "
            "save it as UTF-8 (Excel: CSV UTF-8)"
        )
        problems.append(Problem(file, max(row, 1), None, reason))
        return None


def _header(
    file: str, cells: list[str], spec: _FileSpec, problems: list[Problem], ignored: list[str]
) -> dict[str, int]:
    """Map contract column -> position. Names are case-insensitive and trimmed; a trailing `*` copied
    from the contract's table is forgiven."""
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    known = set(spec.column_names)
    for index, cell in enumerate(cells):
        column = cell.strip().lstrip("\ufeff").strip().rstrip("*").strip().lower()
        if not column:
            continue
        if column in seen:
            reason = (
                f"column appears more than once in the header (columns {seen[column] + 1} and {index + 1})"
            )
            problems.append(Problem(file, 1, column, reason))
            continue
        seen[column] = index
        if column in known:
            positions[column] = index
        else:
            ignored.append(cell.strip())
    for spec_column in spec.columns:
        if spec_column.required and spec_column.name not in positions:
            problems.append(Problem(file, None, spec_column.name, "required column is missing"))
    return positions


def _parse_file(file: str, text: str, problems: list[Problem], ignored: list[str]) -> _Table:
    spec = _SPECS[file]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(file, 1, None, f"the header row is not valid CSV: {exc}"))
        return _Table(file, {})
    if header is None or not any(cell.strip() for cell in header):
        problems.append(Problem(file, None, None, "file is empty: expected a header row naming its columns"))
        return _Table(file, {})
    positions = _header(file, header, spec, problems, ignored)
    table = _Table(file, positions)
    width = len(header)
    plan = [(c.name, positions[c.name], c.required, c.parse) for c in spec.columns if c.name in positions]
    rows = table.rows
    row_number = 1
    try:
        for raw in reader:
            row_number += 1
            cells = [cell.strip() for cell in raw]
            if not any(cells):
                continue  # blank line: spreadsheets show it, so it still counts as a row number
            if len(cells) > width and any(cells[width:]):
                reason = f"row has {len(cells)} cells but the header names {width} columns"
                problems.append(Problem(file, row_number, None, reason))
            values: dict[str, Any] = {}
            bad: set[str] | None = None
            size = len(cells)
            for name, position, required, parse in plan:
                value = cells[position] if position < size else ""
                if not value:
                    if required:
                        problems.append(Problem(file, row_number, name, "required value is empty"))
                        bad = (bad or set()) | {name}
                    continue
                if parse is None:
                    values[name] = value
                    continue
                try:
                    parsed = parse(value)
                except _CellError as exc:
                    problems.append(Problem(file, row_number, name, exc.reason, value))
                    bad = (bad or set()) | {name}
                    continue
                if parsed is not None:
                    values[name] = parsed
            rows.append(_Row(row_number, values, bad))
    except csv.Error as exc:
        problems.append(Problem(file, row_number + 1, None, f"not valid CSV from here on: {exc}"))
    return table


# -- checks across rows ------------------------------------------------------------------------------------


def _row_list(rows: Iterable[int]) -> str:
    shown = sorted(rows)
    text = ", ".join(str(r) for r in shown[:_ROWS_SHOWN])
    return text + (", …" if len(shown) > _ROWS_SHOWN else "")


def _duplicates(
    table: _Table,
    identity: tuple[str, ...],
    column: str | None,
    describe: Callable[[tuple[Any, ...]], tuple[str, str]],
    problems: list[Problem],
) -> None:
    """Report every repeated identity: later rows name the first, the first names the repeats.

    `describe(key)` gives (what a repeat says before ", first seen in row N", what the first row says
    before "in row(s) …")."""
    columns = {c.name: c for c in _SPECS[table.file].columns}
    required = [i for i, c in enumerate(identity) if columns[c].required]
    first: dict[tuple[Any, ...], int] = {}
    repeats: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for row in table.rows:
        if not row.usable(identity):
            continue
        key = tuple(map(row.values.get, identity))
        if None in key and any(key[i] is None for i in required):
            continue
        seen = first.setdefault(key, row.row)
        if seen != row.row:
            repeats[key].append(row.row)
    for key, later in repeats.items():
        again, original = describe(key)
        value = str(key[0]) if column else None
        problems.append(
            Problem(table.file, first[key], column, f"{original} in row(s) {_row_list(later)}", value)
        )
        for row_number in later:
            reason = f"{again}, first seen in row {first[key]}"
            problems.append(Problem(table.file, row_number, column, reason, value))


def _describe_id(column: str) -> Callable[[tuple[Any, ...]], tuple[str, str]]:
    def describe(key: tuple[Any, ...]) -> tuple[str, str]:
        return f"duplicate {column} '{key[0]}'", f"{column} '{key[0]}' appears again"

    return describe


def _check_rows(
    tables: Mapping[str, _Table], problems: list[Problem], warnings: list[str], today: date
) -> None:
    for file, table in tables.items():
        spec = _SPECS[file]
        if spec.id_column:
            _duplicates(table, (spec.id_column,), spec.id_column, _describe_id(spec.id_column), problems)

    if companies := tables.get(COMPANIES):
        orphan_pct: list[int] = []
        for row in companies.rows:
            values = row.values
            parent = values.get("parent_company_id")
            if parent is not None and parent == values.get("company_id"):
                reason = "a company cannot be its own parent"
                problems.append(Problem(COMPANIES, row.row, "parent_company_id", reason, parent))
            if parent is None and "ownership_pct" in values and row.usable(("parent_company_id",)):
                orphan_pct.append(row.row)
        if orphan_pct:
            warnings.append(
                f"{COMPANIES}: ownership_pct is given without a parent_company_id and means nothing "
                f"(rows {_row_list(orphan_pct)})"
            )

    if facilities := tables.get(FACILITIES):
        for row in facilities.rows:
            values = row.values
            has_lat = "latitude" in values or not row.usable(("latitude",))
            has_long = "longitude" in values or not row.usable(("longitude",))
            if has_lat != has_long:
                empty = "longitude" if has_lat else "latitude"
                reason = f"latitude and longitude must come together: {empty} is empty"
                problems.append(Problem(FACILITIES, row.row, empty, reason))

    if bom := tables.get(BOM):
        for row in bom.rows:
            parent = row.values.get("parent_item_id")
            if parent is not None and parent == row.values.get("component_item_id"):
                reason = "an item cannot be a component of itself"
                problems.append(Problem(BOM, row.row, "component_item_id", reason, parent))
        _duplicates(
            bom,
            _BOM_IDENTITY,
            None,
            lambda key: (
                f"duplicate bill of materials line {key[0]} → {key[1]}",
                f"bill of materials line {key[0]} → {key[1]} appears again",
            ),
            problems,
        )

    if sourcing := tables.get(SOURCING):
        _check_sourcing(sourcing, problems, warnings, today)


def _check_sourcing(table: _Table, problems: list[Problem], warnings: list[str], today: date) -> None:
    expired: list[int] = []
    shares: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for row in table.rows:
        values = row.values
        start: date | None = values.get("valid_from")
        end: date | None = values.get("valid_to")
        if start is not None and end is not None and start > end:
            reason = f"valid_to is before valid_from ({start.isoformat()})"
            problems.append(Problem(SOURCING, row.row, "valid_to", reason, end.isoformat()))
        supplier = values.get("supplier_facility_id")
        if supplier is not None and supplier == values.get("buyer_facility_id"):
            reason = "a facility cannot supply itself"
            problems.append(Problem(SOURCING, row.row, "buyer_facility_id", reason, supplier))
        if end is not None and end < today:
            expired.append(row.row)
        share: float | None = values.get("share")
        current = (start is None or start <= today) and (end is None or end >= today)
        if share is not None and current and "item_id" in values:
            shares[(values.get("buyer_facility_id") or "", values["item_id"])].append((row.row, share))
    _duplicates(
        table,
        _SOURCING_IDENTITY,
        None,
        lambda key: (
            "duplicate sourcing link (same item_id, supplier_facility_id, buyer_facility_id and valid_from)",
            "the same sourcing link (item_id, supplier_facility_id, buyer_facility_id, valid_from) "
            "appears again",
        ),
        problems,
    )
    if expired:
        warnings.append(
            f"{SOURCING}: {len(expired)} link(s) have a valid_to in the past; expired links are still walked "
            f"(rows {_row_list(expired)})"
        )
    for (buyer, item), entries in sorted(shares.items()):
        total = sum(share for _, share in entries)
        if total > 100 + 1e-9:
            who = f"facility '{buyer}'" if buyer else "the importer"
            warnings.append(
                f"{SOURCING}: current shares of item '{item}' bought by {who} add up to {total:g}% "
                f"(rows {_row_list(r for r, _ in entries)})"
            )


# -- cycles ------------------------------------------------------------------------------------------------

#: (from, to, the bundle row that declares the edge or None for a line already loaded)
_Edge = tuple[str, str, int | None]
_Graph = dict[str, dict[str, int | None]]


def _find_cycles(graph: _Graph, limit: int) -> Iterator[list[_Edge]]:
    """Yield one cycle per back edge of an iterative depth-first search (deterministic: sorted order).

    Every cyclic graph has a back edge, so a bundle with any cycle gets at least one report, and each
    reported cycle is distinct. Enumerating *all* elementary cycles could be exponential."""
    on_path: dict[str, int] = {}
    done: set[str] = set()
    found = 0
    for start in sorted(graph):
        if start in done:
            continue
        nodes = [start]
        edges: list[_Edge] = []
        stack = [iter(sorted(graph[start].items()))]
        on_path[start] = 0
        while stack:
            step = next(stack[-1], None)
            if step is None:
                node = nodes.pop()
                del on_path[node]
                done.add(node)
                stack.pop()
                if edges:
                    edges.pop()
                continue
            child, row = step
            if child in on_path:
                yield [*edges[on_path[child] :], (nodes[-1], child, row)]
                found += 1
                if found >= limit:
                    return
            elif child not in done:
                on_path[child] = len(nodes)
                nodes.append(child)
                edges.append((nodes[-2], child, row))
                stack.append(iter(sorted(graph.get(child, {}).items())))


def _cycle_problems(
    graph: _Graph, file: str, column: str, label: str, want: Callable[[list[_Edge]], bool]
) -> list[Problem]:
    """One problem per cycle, at the bundle row that closes it (the last one in the file), with the
    cycle spelled from that row's own edge."""
    problems: list[Problem] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for cycle in _find_cycles(graph, MAX_CYCLES_REPORTED):
        rows = [row for _, _, row in cycle if row is not None]
        signature = frozenset((a, b) for a, b, _ in cycle)
        if not rows or not want(cycle) or signature in seen:
            continue
        seen.add(signature)
        closing = max(rows)
        at = next(i for i, (_, _, row) in enumerate(cycle) if row == closing)
        cycle = cycle[at:] + cycle[:at]
        reason = f"{label}: " + " → ".join([cycle[0][0], *(b for _, b, _ in cycle)])
        others = sorted(row for row in rows if row != closing)
        if others:
            reason += f" (other lines: row{'s' if len(others) > 1 else ''} {_row_list(others)})"
        loaded = [f"{a} → {b}" for a, b, row in cycle if row is None]
        if loaded:
            reason += "; already loaded: " + ", ".join(loaded)
        problems.append(Problem(file, closing, column, reason, cycle[0][1]))
    return problems


_BOM_LABEL = "bill of materials cycle"
_OWNERSHIP_LABEL = "ownership chain loops (each → points to the parent company)"


def _bom_graph(tables: Mapping[str, _Table]) -> _Graph:
    graph: _Graph = defaultdict(dict)
    if bom := tables.get(BOM):
        for row in bom.rows:
            parent = row.values.get("parent_item_id")
            component = row.values.get("component_item_id")
            if parent is not None and component is not None and parent != component:
                graph[parent].setdefault(component, row.row)
    return graph


def _ownership_graph(tables: Mapping[str, _Table]) -> _Graph:
    graph: _Graph = defaultdict(dict)
    if companies := tables.get(COMPANIES):
        for row in companies.rows:
            company = row.values.get("company_id")
            parent = row.values.get("parent_company_id")
            if company is not None and parent is not None and parent != company and company not in graph:
                graph[company][parent] = row.row
    return graph


def _bundle_cycles(tables: Mapping[str, _Table]) -> list[Problem]:
    def everything(cycle: list[_Edge]) -> bool:
        return True

    return [
        *_cycle_problems(_bom_graph(tables), BOM, "component_item_id", _BOM_LABEL, everything),
        *_cycle_problems(
            _ownership_graph(tables), COMPANIES, "parent_company_id", _OWNERSHIP_LABEL, everything
        ),
    ]


def _through_loaded(cycle: list[_Edge]) -> bool:
    # Cycles made only of bundle rows were reported by `read_bundle` already.
    return any(row is None for _, _, row in cycle)


# -- building records --------------------------------------------------------------------------------------


def _build_file(file: str, table: _Table | None, problems: list[Problem]) -> list[Record]:
    spec = _SPECS[file]
    rows = table.rows if table else []
    records: list[Record] = []
    try:  # the whole file in one call; a refusal is rare, and then each row is asked for its problems
        records = records_adapter(spec.model).validate_python([row.values for row in rows])
    except ValidationError:
        for row in rows:
            try:
                records.append(spec.model.model_validate(row.values))
            except ValidationError as exc:  # a parser let through what the model refuses: a problem
                for error in exc.errors():
                    column = str(error["loc"][0]) if error["loc"] else None
                    problems.append(Problem(file, row.row, column, str(error["msg"])))
    records.sort(key=lambda record: record.key)
    return records


def _build(
    tables: Mapping[str, _Table], problems: list[Problem], built: Mapping[str, list[Record]] | None = None
) -> Bundle:
    """The bundle's records, file by file; `built` holds the files already built (handed over early)."""
    done = built or {}
    records: dict[str, Any] = {
        file.removesuffix(".csv"): done[file]
        if file in done
        else _build_file(file, tables.get(file), problems)
        for file in _SPECS
    }
    return Bundle(**records)


# -- public API --------------------------------------------------------------------------------------------


def _sort(problems: list[Problem], tables: Mapping[str, _Table]) -> list[Problem]:
    file_rank = {file: index for index, file in enumerate(BUNDLE_FILES)}

    def key(problem: Problem) -> tuple[int, int, int, str]:
        column_rank = -1
        if problem.column is not None:
            table = tables.get(problem.file)
            spec = _SPECS.get(problem.file)
            if table is not None and problem.column in table.positions:
                column_rank = table.positions[problem.column]
            elif spec is not None and problem.column in spec.column_names:
                column_rank = 10_000 + spec.column_names.index(problem.column)
            else:
                column_rank = 20_000
        row = problem.row if problem.row is not None else 0
        return (file_rank.get(problem.file, -1), row, column_rank, problem.reason)

    return sorted(problems, key=key)


@gc_paused()
def read_bundle(
    source: Path | bytes,
    name: str | None = None,
    *,
    today: date | None = None,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_file_bytes: int = MAX_FILE_BYTES,
    early: FirstLoad | None = None,
) -> ParsedBundle:
    """Open and check a bundle on its own, before any store is involved.

    `source` is a directory, a `.zip` path or the bytes of an uploaded zip; `name` labels problems about
    the bundle as a whole (default: the path's name, or "upload.zip"). Every problem that the bundle alone
    reveals is collected; `bundle` holds the records only when there is none. References to records
    loaded earlier and cycles through them need the tenant's data: use `validate_bundle` for a load.
    `today` dates the "expired link" warning (tests pin it).

    With `early` (a tenant's first load, see `FirstLoad`), files are read in the order the store writes
    them, and each file's records are handed over as soon as it is parsed, while no problem has been
    found yet; `handed_over` then says whether every file went. Whoever passed `early` commits or closes it.
    """
    label = name or (source.name if isinstance(source, Path) else "upload.zip")
    parsed = ParsedBundle(name=label)
    collected = _collect(source, label, max_total_bytes, max_file_bytes)
    problems = collected.problems
    parsed.ignored_files = collected.ignored
    if collected.ignored:
        parsed.warnings.append("ignored files not in the bundle contract: " + ", ".join(collected.ignored))

    digest = hashlib.sha256()
    for file in BUNDLE_FILES:
        if (data := collected.files.get(file)) is not None:
            digest.update(f"{file}\0{len(data)}\0".encode())
            digest.update(data)
    parsed.content_sha256 = digest.hexdigest()

    taker = early if early is not None and not problems else None  # stops taking at the first problem
    order = BUNDLE_FILES
    if taker is not None:
        # A row takes at least one line, so this bounds the row count before anything is parsed.
        taker.start(sum(data.count(b"\n") + 1 for data in collected.files.values()))
        wanted = [f"{kind.value}.csv" for kind in taker.order]
        order = tuple(wanted) + tuple(f for f in BUNDLE_FILES if f not in wanted)
    built: dict[str, list[Record]] = {}
    for file in order:
        data = collected.files.get(file)
        if data is None:
            if taker is not None and not problems:
                taker.add(RecordKind(file.removesuffix(".csv")), [])  # no file: none of that kind to wait for
            continue
        text = _decode(file, data, problems)
        if text is None:
            continue
        ignored: list[str] = []
        table = _parse_file(file, text, problems, ignored)
        parsed._tables[file] = table
        parsed.rows_per_file[file] = len(table.rows)
        if ignored:
            parsed.ignored_columns[file] = ignored
            parsed.warnings.append(
                f"{file}: ignored columns not in the bundle contract: {', '.join(ignored)}"
            )
        if table.positions and not table.rows:
            parsed.warnings.append(f"{file} has a header but no data rows")
        if taker is not None and not problems:
            records = _build_file(file, table, problems)
            if not problems:
                built[file] = records
                taker.add(RecordKind(file.removesuffix(".csv")), records)

    if not collected.files and not collected.problems:
        reason = (
            "no bundle files found: expected at least one of " + ", ".join(BUNDLE_FILES) + " at the top level"
            " (or inside one top-level folder of a zip)"
        )
        problems.append(Problem(label, None, None, reason))

    _check_rows(parsed._tables, problems, parsed.warnings, today or date.today())
    problems.extend(_bundle_cycles(parsed._tables))
    if not problems:
        parsed.bundle = _build(parsed._tables, problems, built)
        if problems:
            parsed.bundle = None
    parsed.handed_over = taker is not None and not problems
    parsed.problems = _sort(problems, parsed._tables)
    return parsed


def validate_references(parsed: ParsedBundle, store: GraphStore, tenant: str) -> list[Problem]:
    """Problems for references that resolve neither inside the bundle nor to the tenant's loaded data.

    A sourcing row may name a facility loaded yesterday, so a reference missing from the bundle is looked
    up in the store: one `existing_keys` call per record kind, whatever the bundle's size.
    """
    tables = parsed._tables
    defined: dict[RecordKind, set[str]] = {}
    for kind, (file, column) in _DEFINING_COLUMN.items():
        table = tables.get(file)
        defined[kind] = {row.values[column] for row in table.rows if column in row.values} if table else set()

    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for file, column, kind, _ in _REFERENCES:
        if table := tables.get(file):
            named: set[str] = set()
            for row in table.rows:
                named.update(_refs(row.values.get(column)))
            if elsewhere := named - defined[kind]:
                wanted[kind] |= elsewhere
    missing: dict[RecordKind, set[str]] = {}
    for kind, refs in wanted.items():
        missing[kind] = refs - store.existing_keys(tenant, kind, sorted(refs))

    problems: list[Problem] = []
    for file, column, kind, target in _REFERENCES:
        unresolved = missing.get(kind)
        table = tables.get(file)
        if not unresolved or table is None:
            continue
        label = "document_id" if column == "document_ids" else column
        for row in table.rows:
            for ref in _refs(row.values.get(column)):
                if ref in unresolved:
                    reason = f"{label} '{ref}' is neither in {target} nor already loaded"
                    problems.append(Problem(file, row.row, column, reason, ref))
    return _sort(problems, tables)


def _refs(value: Any) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def validate_cycles(parsed: ParsedBundle, store: GraphStore, tenant: str) -> list[Problem]:
    """Cycles that close through what the tenant already has: bills of materials and ownership chains.

    A bundle's BOM line (P, C) replaces the loaded (P, C) line and leaves P's other lines in place, so the
    graph checked is the union of both. Loaded lines are fetched level by level from the bundle's items
    (one `get_bom` call per level); a company in the bundle replaces its loaded parent link. Cycles made
    only of bundle rows are `read_bundle`'s to report.
    """
    tables = parsed._tables
    problems: list[Problem] = []

    bom = _bom_graph(tables)
    if bom:
        frontier = set(bom) | {component for lines in bom.values() for component in lines}
        seen = set(frontier)
        while frontier:
            reached: set[str] = set()
            for parent, lines in store.get_bom(tenant, sorted(frontier)).items():
                for line in lines:
                    component = line.component_item_id
                    if component != parent:
                        bom[parent].setdefault(component, None)
                        reached.add(component)
            frontier = reached - seen
            seen |= frontier
        problems += _cycle_problems(bom, BOM, "component_item_id", _BOM_LABEL, _through_loaded)

    ownership = _ownership_graph(tables)
    if ownership:
        in_bundle = {row.values["company_id"] for row in tables[COMPANIES].rows if "company_id" in row.values}
        frontier = {p for parents in ownership.values() for p in parents} - in_bundle
        seen = set(frontier)
        while frontier:
            nxt: set[str] = set()
            for company_id, company in store.get_companies(tenant, sorted(frontier)).items():
                owner = company.parent_company_id
                if owner is not None and owner != company_id:
                    ownership[company_id][owner] = None
                    if owner not in in_bundle and owner not in seen:
                        nxt.add(owner)
            seen |= nxt
            frontier = nxt
        problems += _cycle_problems(
            ownership, COMPANIES, "parent_company_id", _OWNERSHIP_LABEL, _through_loaded
        )
    return _sort(problems, tables)


@gc_paused()
def validate_bundle(
    source: Path | bytes,
    store: GraphStore,
    tenant: str,
    name: str | None = None,
    *,
    today: date | None = None,
    early: FirstLoad | None = None,
) -> ParsedBundle:
    """Everything a load must check: `read_bundle`, then references and cycles against the tenant's data.

    Raises nothing for bad data; `bundle` is set only when no problem was found, and the caller raises
    `BundleInvalidError(parsed.problems)` otherwise, so nothing of an invalid bundle is ever written
    (records handed to `early` on the way are discarded when the caller closes it without a commit).
    """
    parsed = read_bundle(source, name, today=today, early=early)
    extra = validate_references(parsed, store, tenant) + validate_cycles(parsed, store, tenant)
    if extra:
        parsed.problems = _sort(parsed.problems + extra, parsed._tables)
        parsed.bundle = None
        parsed.handed_over = False
    return parsed
