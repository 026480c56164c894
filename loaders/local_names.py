"""Registered Chinese names of screening-list entries, as a versioned supplement with a source per row.

DHS and BIS publish English names only, so a supplier record written only in Chinese (an ERP master of a
Chinese subsidiary, a business-licence scan) cannot match an English-only entry by name. Users expect the
screener to know the registered Chinese names of listed Chinese companies. This module reads
`loaders/data/entity_local_names.csv` (columns `list,entry_name,name_local,source,evidence,retrieved_on`),
in which every Chinese name cites the public page that ties it to that company, and applies it to the
entries of a list version:

- keyed on (list code, entry name normalised by NFKC, case folding and whitespace), so a refresh from the
  DHS page, OpenSanctions or the CSL gets the same names as the shipped transcription;
- an entry without `name_local` gets the first name; any further name (a former name, another registered
  form) goes to `aliases` unless already there; nothing the official list says is overwritten;
- the version the entries belong to changes with the names it used (their digest is folded into the
  version's ID and sha256, and its `source` names the supplement), so a screening result still names
  exactly the data it was judged against.

Names are per entity: a subsidiary's Chinese name is never given to its parent's entry or the other way
round, and the loader refuses one Chinese name on two different entries of the same list, the usual sign
of that mistake.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from app.screening.names import fold
from graph_schema import ListEntry, ListVersion
from loaders.lists.common import csv_header, csv_records
from loaders.lists.errors import ListFormatError

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "entity_local_names.csv"

COLUMNS: tuple[str, ...] = ("list", "entry_name", "name_local", "source", "evidence", "retrieved_on")
#: The list codes the loaders give versions (`ListVersion.list_name`) that can carry Chinese names.
LISTS: frozenset[str] = frozenset({"UFLPA", "BIS", "OFAC_SDN", "CBP_WRO"})
#: Evidence is a short quote from the source, not a copy of it.
MAX_EVIDENCE = 120

#: How a version's `source` names the supplement it used (after the official source).
SOURCE_NOTE = "; Chinese names: "

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_URL = re.compile(r"^https?://\S+$")


class LocalNamesError(ListFormatError):
    """The Chinese-name supplement is malformed. `file`, `row` (header = 1) and `column` say where.

    A `ListFormatError`, like every list loader's error, so the CLI and the service report it the same way
    and nothing loads half a supplement.
    """


def normalise_name(text: str) -> str:
    """The matching key of an entry name: NFKC, case-folded, whitespace collapsed.

    Why so little: the key must find the entry whichever official file it came from (the DHS page writes
    "Co., Ltd." where a transcription may have a full-width comma or a double space), but it must not make
    two different legal names equal, so punctuation and legal forms are left alone.
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class LocalName:
    """One row of the supplement: a Chinese name of one list entry and the page that shows it."""

    list_name: str
    entry_name: str
    name_local: str
    source: str
    evidence: str
    retrieved_on: date
    row: int


@dataclass(frozen=True)
class LocalNames:
    """The parsed supplement: its rows in file order and the content hash of the file."""

    file: str
    sha256: str
    rows: tuple[LocalName, ...]
    index: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, sha256: str, rows: Iterable[LocalName]) -> LocalNames:
        """Build the (list, normalised entry name) -> names index once, for lookups per entry."""
        kept = tuple(rows)
        index: dict[tuple[str, str], list[str]] = {}
        for r in kept:
            names = index.setdefault((r.list_name, normalise_name(r.entry_name)), [])
            if r.name_local not in names:
                names.append(r.name_local)
        return cls(file, sha256, kept, {k: tuple(v) for k, v in index.items()})

    def names_for(self, list_name: str, entry_name: str) -> tuple[str, ...]:
        """The Chinese names given for one entry, in file order (the first is the registered name)."""
        return self.index.get((list_name, normalise_name(entry_name)), ())

    def __len__(self) -> int:
        return len(self.rows)


def load_local_names(path: Path = DEFAULT_PATH) -> LocalNames:
    """Read and validate the supplement; a malformed row fails naming file, row, column and what was expected.

    Why strict: a name without a source cannot be defended to an auditor, and a Chinese name put on the
    wrong entry would flag a company that is not listed (or a parent for its subsidiary), so the file is
    refused rather than partly used.
    """
    file = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LocalNamesError(file, None, None, "file not found") from None
    cells, reader = csv_header(
        file, raw, LocalNamesError, f"file is empty; expected the header {','.join(COLUMNS)}"
    )
    header = [h.lower() for h in cells]
    for column in COLUMNS:
        if column not in header:
            raise LocalNamesError(file, 1, column, "required column is missing")
    for column in header:
        if column not in COLUMNS:
            raise LocalNamesError(file, 1, column, "unknown column (a typo would silently drop its data)")
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise LocalNamesError(file, 1, dup, "column appears twice")

    rows: list[LocalName] = []
    seen: dict[tuple[str, str, str], int] = {}
    owner: dict[tuple[str, str], tuple[str, int]] = {}
    for rownum, cells in csv_records(file, reader, len(header), LocalNamesError):
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        entry = _row(file, rownum, row)
        key = (entry.list_name, normalise_name(entry.entry_name), entry.name_local)
        if key in seen:
            raise LocalNamesError(
                file, rownum, "name_local", f"the same name for the same entry is already on row {seen[key]}"
            )
        seen[key] = rownum
        # Compared as the matcher reads them (Traditional folded to Simplified): one name in each script
        # on two entries would flag both companies for one supplier.
        same = (entry.list_name, fold(entry.name_local))
        other = owner.get(same)
        if other is not None and normalise_name(other[0]) != normalise_name(entry.entry_name):
            raise LocalNamesError(
                file,
                rownum,
                "name_local",
                f"{entry.name_local!r} is already the name of {other[0]!r} (row {other[1]}); one registered "
                "name belongs to one entity (a parent's name on a subsidiary, or the other way round?)",
            )
        owner.setdefault(same, (entry.entry_name, rownum))
        rows.append(entry)
    return LocalNames.of(file, hashlib.sha256(raw).hexdigest(), rows)


def _row(file: str, rownum: int, row: dict[str, str]) -> LocalName:
    for column in COLUMNS:
        if not row[column]:
            raise LocalNamesError(file, rownum, column, "required value is empty")
    if row["list"] not in LISTS:
        raise LocalNamesError(file, rownum, "list", f"expected one of {sorted(LISTS)}, got {row['list']!r}")
    name_local = unicodedata.normalize("NFKC", row["name_local"])
    if not _HAN.search(name_local) or _LATIN.search(name_local):
        raise LocalNamesError(
            file, rownum, "name_local", f"expected a name in Chinese characters, got {row['name_local']!r}"
        )
    if not _URL.match(row["source"]):
        raise LocalNamesError(
            file,
            rownum,
            "source",
            f"expected the http(s) URL of the page that shows the name, got {row['source']!r}",
        )
    if len(row["evidence"]) > MAX_EVIDENCE:
        raise LocalNamesError(
            file,
            rownum,
            "evidence",
            f"expected a quote of at most {MAX_EVIDENCE} characters, got {len(row['evidence'])}",
        )
    if row["name_local"] not in row["evidence"] and name_local not in unicodedata.normalize(
        "NFKC", row["evidence"]
    ):
        raise LocalNamesError(file, rownum, "evidence", "the quote must show the Chinese name it supports")
    try:
        retrieved = date.fromisoformat(row["retrieved_on"])
    except ValueError:
        raise LocalNamesError(
            file, rownum, "retrieved_on", f"expected an ISO date (YYYY-MM-DD), got {row['retrieved_on']!r}"
        ) from None
    return LocalName(
        list_name=row["list"],
        entry_name=row["entry_name"],
        name_local=name_local,
        source=row["source"],
        evidence=row["evidence"],
        retrieved_on=retrieved,
        row=rownum,
    )


def apply_local_names(entries: Iterable[ListEntry], names: LocalNames) -> list[ListEntry]:
    """The entries with their Chinese names: the first fills an empty `name_local`, the rest become aliases.

    What the official list says wins: an existing `name_local` is kept (the supplement's names then go to
    `aliases`), and an alias already present is not repeated. Entries without a row come back unchanged.
    """
    out: list[ListEntry] = []
    for entry in entries:
        found = names.names_for(entry.list_name, entry.name)
        if not found:
            out.append(entry)
            continue
        name_local = entry.name_local or found[0]
        aliases = list(entry.aliases)
        for n in found:
            if n != name_local and n not in aliases:
                aliases.append(n)
        if name_local == entry.name_local and aliases == entry.aliases:
            out.append(entry)
        else:
            out.append(entry.model_copy(update={"name_local": name_local, "aliases": aliases}))
    return out


def apply_to_version(
    version: ListVersion, entries: list[ListEntry], names: LocalNames
) -> tuple[ListVersion, list[ListEntry]]:
    """One list version with the supplement applied, and a version record that says so.

    The names actually used (entry name -> Chinese names, for the entries of this version that have any)
    are hashed and folded into the version's sha256 and ID, and the supplement is named in `source`, so a
    change to a Chinese name is a new version of exactly the lists it touches. A version that no row
    matches is returned as it was: its ID still names the official file alone.
    """
    updated = apply_local_names(entries, names)
    used = sorted(
        {
            (normalise_name(e.name), names.names_for(e.list_name, e.name))
            for e in entries
            if names.names_for(e.list_name, e.name)
        }
    )
    if not used:
        return version, updated
    part = hashlib.sha256(json.dumps(used, ensure_ascii=False).encode("utf-8")).hexdigest()
    folded = hashlib.sha256(f"{version.sha256}+{part}".encode()).hexdigest()
    count = sum(len(n) for _, n in used)
    return (
        version.model_copy(
            update={
                "version_id": f"{version.list_name}:{folded[:12]}",
                "sha256": folded,
                "source": f"{version.source}{SOURCE_NOTE}loaders/data/{names.file} "
                f"({count} names for {len(used)} entries, sha256 {part[:12]})",
            }
        ),
        updated,
    )


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int, size: int) -> LocalNames:
    return load_local_names(path)


def shipped_local_names(path: Path = DEFAULT_PATH) -> LocalNames:
    """The shipped supplement, parsed once per file content (re-read when the file changes)."""
    stat = path.stat() if path.exists() else None
    if stat is None:
        raise LocalNamesError(path.name, None, None, "file not found")
    return _cached(path, stat.st_mtime_ns, stat.st_size)


def with_local_names(
    loaded: list[tuple[ListVersion, list[ListEntry]]], names: LocalNames | None = None
) -> list[tuple[ListVersion, list[ListEntry]]]:
    """Every version of a load with the supplement applied (the shipped one unless `names` is given).

    This is the hook `loaders.lists.load_list_file` calls, so shipped excerpts, the UFLPA transcription
    loaded as `uflpa-csv` and a refresh from the DHS page, OpenSanctions, the CSL or OFAC all get the same
    names, and each version records which supplement it used.
    """
    supplement = names if names is not None else shipped_local_names()
    return [apply_to_version(version, entries, supplement) for version, entries in loaded]


def restate_source(version: ListVersion, source: str) -> ListVersion:
    """`version` with its official source replaced by `source`, keeping the note on the supplement used.

    Why: `load_shipped` replaces a parser's source with the one its `.meta.json` gives; the version must
    still say which Chinese names it carries, since its ID was derived from them.
    """
    _, sep, note = version.source.partition(SOURCE_NOTE)
    return version.model_copy(update={"source": f"{source}{sep}{note}"})
