"""Screening lists as versioned reference data: one entry point for every official format.

`load_list_file(path, fmt)` returns `(ListVersion, entries)` pairs (a CSL file gives one pair per source
list); nothing is written. Every version carries a content-derived ID, the file's sha256, the source and
the retrieval date, so each screening result can name the exact list version it was made against, and
`history.diff_versions` can say what a refresh changed.

`load_shipped()` loads the excerpts shipped under `loaders/data/lists/` (each with a `.meta.json` saying
its format, source, date and how complete it is).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from graph_schema import ListEntry, ListVersion
from loaders.lists.cbp import parse_wro_csv
from loaders.lists.csl import parse_csl_csv, parse_csl_json
from loaders.lists.errors import ListFormatError
from loaders.lists.history import ChangedEntry, ListDiff, diff_versions
from loaders.lists.ofac import load_sdn_path
from loaders.lists.uflpa_sources import parse_dhs_html, parse_ftm

__all__ = [
    "FORMATS",
    "SHIPPED_DIR",
    "ChangedEntry",
    "ListDiff",
    "ListFormatError",
    "diff_versions",
    "load_list_file",
    "load_shipped",
]

Loaded = list[tuple[ListVersion, list[ListEntry]]]
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "lists"


def _uflpa_csv(path: Path, retrieved_on: date | None) -> Loaded:
    # Imported here: loaders.uflpa imports this package's error class.
    from loaders.uflpa import load_uflpa_file

    version, entries = load_uflpa_file(path)
    if retrieved_on is not None:
        version = version.model_copy(update={"retrieved_on": retrieved_on})
    return [(version, entries)]


def _one(parser: Callable[..., tuple[ListVersion, list[ListEntry]]]) -> Callable[[Path, date | None], Loaded]:
    def load(path: Path, retrieved_on: date | None) -> Loaded:
        return [parser(path.name, path.read_bytes(), retrieved_on=retrieved_on)]

    return load


def _many(parser: Callable[..., Loaded]) -> Callable[[Path, date | None], Loaded]:
    def load(path: Path, retrieved_on: date | None) -> Loaded:
        return parser(path.name, path.read_bytes(), retrieved_on=retrieved_on)

    return load


def _sdn(path: Path, retrieved_on: date | None) -> Loaded:
    return [load_sdn_path(path, retrieved_on=retrieved_on)]


#: format name -> loader. Each is documented with the module that implements it.
FORMATS: dict[str, Callable[[Path, date | None], Loaded]] = {
    "uflpa-csv": _uflpa_csv,  # loaders/uflpa.py: the reviewed transcription + .meta.json sidecar
    "uflpa-dhs-html": _one(parse_dhs_html),  # the DHS page's per-section tables
    "uflpa-ftm": _one(parse_ftm),  # OpenSanctions us_dhs_uflpa, FollowTheMoney JSON lines
    "csl-csv": _many(parse_csl_csv),  # trade.gov Consolidated Screening List, CSV
    "csl-json": _many(parse_csl_json),  # trade.gov Consolidated Screening List, JSON
    "ofac-sdn": _sdn,  # sdn.csv (+ alt.csv, add.csv): a directory or sdn.csv itself
    "cbp-wro-csv": _one(parse_wro_csv),  # CBP Withhold Release Orders and Findings
}


def load_list_file(path: Path | str, fmt: str, retrieved_on: date | None = None) -> Loaded:
    """Parse one official list file; return its versions and entries (several for the CSL).

    Why one function: the service and the CLI refresh any list the same way, and an unknown format or a
    missing file fails with the same `ListFormatError` (a `ValueError`) as malformed content.
    """
    path = Path(path)
    loader = FORMATS.get(fmt)
    if loader is None:
        raise ListFormatError(
            str(path), None, None, f"unknown format {fmt!r}; expected one of {sorted(FORMATS)}"
        )
    if not path.exists():
        raise ListFormatError(str(path), None, None, "file not found")
    # Imported here: loaders.local_names imports this package's helpers. Chinese names of listed entities
    # (loaders/data/entity_local_names.csv) are applied to every format, shipped or refreshed.
    from loaders.local_names import with_local_names

    return with_local_names(loader(path, retrieved_on))


def load_shipped(directory: Path = SHIPPED_DIR) -> Loaded:
    """Load every shipped list excerpt under `loaders/data/lists/` as its `.meta.json` describes it.

    The meta file names `file`, `format`, `source` and `retrieved_on`; the returned versions carry that
    source and date (not today's), so a screening against shipped data cites where the data came from.
    """
    loaded: Loaded = []
    for meta_file in sorted(directory.glob("*.meta.json")):
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ListFormatError(meta_file.name, e.lineno, None, f"not valid JSON: {e.msg}") from e
        for key in ("file", "format", "source", "retrieved_on"):
            if not meta.get(key):
                raise ListFormatError(meta_file.name, None, key, "required key is missing or empty")
        try:
            retrieved = date.fromisoformat(str(meta["retrieved_on"]))
        except ValueError as e:
            raise ListFormatError(meta_file.name, None, "retrieved_on", f"expected an ISO date: {e}") from e
        from loaders.local_names import restate_source  # keeps the Chinese-names note load_list_file added

        for version, entries in load_list_file(directory / meta["file"], meta["format"], retrieved):
            loaded.append((restate_source(version, str(meta["source"])), entries))
    return loaded
