"""OFAC's own SDN files (`sdn.csv`, `alt.csv`, `add.csv`: header-less CSV, "-0-" for empty) -> "OFAC_SDN".

Read from OFAC rather than from the CSL because OFAC publishes first and its Remarks carry the IDs
(Unified Social Credit Code, IMO, registration numbers) that link a listed party to a supplier record.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

from graph_schema import ListEntry, ListVersion
from loaders.lists.common import (
    aliases_from_remarks,
    content_version,
    country_code,
    identifiers_from_remarks,
    unique,
)
from loaders.lists.errors import ListFormatError

LIST_NAME = "OFAC_SDN"
SDN_URL = "https://www.treasury.gov/ofac/downloads/sdn.csv"
SDN_COLUMNS = (
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
    "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks",
)  # fmt: skip
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks")


def _rows(file: str, raw: bytes, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts, "-0-" read as empty; a wrong cell count or a non-numeric ent_num is an error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # older OFAC files are Windows-1252/Latin-1
    rows: list[tuple[int, dict[str, str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rownum = 0
    while True:
        rownum += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise ListFormatError(file, rownum, None, f"not valid CSV: {e}") from e
        if not cells or all(not c.strip() or c.strip() == "\x1a" for c in cells):
            continue  # blank lines and the DOS end-of-file marker OFAC appends
        if len(cells) != len(columns):
            raise ListFormatError(file, rownum, None, f"expected {len(columns)} cells, got {len(cells)}")
        row = {col: ("" if c.strip() == "-0-" else c.strip()) for col, c in zip(columns, cells, strict=True)}
        if not row["ent_num"].isdigit():
            raise ListFormatError(file, rownum, "ent_num", f"expected a number, got {row['ent_num']!r}")
        rows.append((rownum, row))
    return rows


def parse_sdn(
    sdn: tuple[str, bytes],
    alt: tuple[str, bytes] | None = None,
    add: tuple[str, bytes] | None = None,
    *,
    source: str = SDN_URL,
    retrieved_on: date | None = None,
) -> tuple[ListVersion, list[ListEntry]]:
    """Entries from `sdn.csv` plus, when given, its `alt.csv` (aliases) and `add.csv` (addresses).

    Each argument is `(file name, bytes)`. `sha256` covers the three files' bytes in that order.
    Alias and address rows for an ent_num not in `sdn.csv` are ignored (excerpts are common).
    """
    sdn_file, sdn_raw = sdn
    aliases: dict[str, list[str]] = {}
    addresses: dict[str, list[tuple[str, str | None]]] = {}
    if alt is not None:
        for _, r in _rows(alt[0], alt[1], ALT_COLUMNS):
            aliases.setdefault(r["ent_num"], []).append(r["alt_name"])
    if add is not None:
        for _, r in _rows(add[0], add[1], ADD_COLUMNS):
            text = ", ".join(p for p in (r["address"], r["city_state_postal"], r["country"]) if p)
            if text:
                addresses.setdefault(r["ent_num"], []).append((text, country_code(r["country"])))
    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    for rownum, r in _rows(sdn_file, sdn_raw, SDN_COLUMNS):
        num = r["ent_num"]
        if num in seen:
            raise ListFormatError(sdn_file, rownum, "ent_num", f"duplicate {num} (first on row {seen[num]})")
        seen[num] = rownum
        if not r["SDN_Name"]:
            raise ListFormatError(sdn_file, rownum, "SDN_Name", "required value is empty")
        adds = addresses.get(num, [])
        remarks = r["Remarks"] or None
        entries.append(
            ListEntry(
                entry_id=f"ofac:sdn:{num}",
                list_name=LIST_NAME,
                name=r["SDN_Name"],
                aliases=unique(aliases.get(num, []) + aliases_from_remarks(remarks)),
                entity_type=r["SDN_Type"].lower() or "entity",
                source_list="Specially Designated Nationals (SDN) - Treasury Department",
                programs=unique(p.strip(" []") for p in r["Program"].split("] [")),
                countries=unique(c for _, c in adds if c),
                addresses=unique(a for a, _ in adds),
                identifiers=identifiers_from_remarks(remarks),
                remarks=remarks,
            )
        )
    if not entries:
        raise ListFormatError(sdn_file, None, None, "no entries: an empty list would clear every screening")
    digest = hashlib.sha256(sdn_raw + (alt[1] if alt else b"") + (add[1] if add else b"")).hexdigest()
    version = ListVersion(
        version_id=content_version(LIST_NAME, entries),
        list_name=LIST_NAME,
        source=source,
        retrieved_on=retrieved_on or date.today(),
        sha256=digest,
        entry_count=len(entries),
    )
    return version, entries


def load_sdn_path(
    path: Path, *, source: str = SDN_URL, retrieved_on: date | None = None
) -> tuple[ListVersion, list[ListEntry]]:
    """`path` is a directory holding `sdn.csv` (and optionally `alt.csv`, `add.csv`), or `sdn.csv` itself."""
    folder = path if path.is_dir() else path.parent
    sdn_path = folder / "sdn.csv" if path.is_dir() else path
    if not sdn_path.exists():
        raise ListFormatError(str(sdn_path), None, None, "sdn.csv not found")

    def read(p: Path) -> tuple[str, bytes] | None:
        return (p.name, p.read_bytes()) if p.exists() else None

    sdn = read(sdn_path)
    assert sdn is not None
    return parse_sdn(
        sdn, read(folder / "alt.csv"), read(folder / "add.csv"), source=source, retrieved_on=retrieved_on
    )
