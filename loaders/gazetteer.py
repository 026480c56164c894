"""The XUAR place-name gazetteer: reference data shipped as a versioned CSV with a metadata sidecar.

The foundation's location rule needs the region and its prefecture-level divisions in every spelling a
supplier record may use; keeping them in `loaders/data/` (with source and date) means the list can be
corrected or extended without touching the rule.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
PREFECTURES_FILE = DATA_DIR / "xuar_prefectures.csv"


@dataclass(frozen=True)
class Place:
    """A division of the XUAR and every name it goes by."""

    division_code: str
    name_en: str
    level: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """The places plus the version (source, date, content hash) every location finding cites."""

    places: tuple[Place, ...]
    source: str
    retrieved_on: str
    sha256: str

    @property
    def version(self) -> str:
        return f"xuar-gazetteer:{self.retrieved_on}:{self.sha256[:12]}"


class GazetteerError(ValueError):
    """The gazetteer file is malformed; the message names file, row and column."""


def load_gazetteer(path: Path = PREFECTURES_FILE) -> Gazetteer:
    """Read the gazetteer and its sidecar; fail loudly on a malformed row rather than miss a place."""
    raw = path.read_bytes()
    meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
    places: list[Place] = []
    reader = csv.DictReader(raw.decode("utf-8-sig").splitlines())
    for rownum, row in enumerate(reader, start=2):
        for column in ("division_code", "name_en", "level", "names"):
            if not (row.get(column) or "").strip():
                raise GazetteerError(f"{path.name}, row {rownum}, column {column}: required value is empty")
        names = tuple(n.strip() for n in row["names"].split("|") if n.strip())
        places.append(
            Place(row["division_code"].strip(), row["name_en"].strip(), row["level"].strip(), names)
        )
    return Gazetteer(
        places=tuple(places),
        source=str(meta["source"]),
        retrieved_on=str(meta["retrieved_on"]),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
