"""The XUAR gazetteer: every division of the region in every spelling, shipped as a versioned CSV + sidecar.

Location screening is only as good as its place list, and the list changes (re-divisions, new XPCC cities),
so it lives in `loaders/data/xuar_gazetteer.csv` with source and date in `xuar_gazetteer.meta.json`, and
`loaders/gazetteer_build.py` regenerates it from the official GB/T 2260 code list. This module only reads
it: a malformed file fails loudly (file, row, column) because a silently skipped row is a missed place.

Each place keeps its names in three groups, because "is this name evidence of the XUAR?" depends on it:
- `names`: names that identify the place on their own in a Chinese address (what `app/trace/rules.py`'s
  simple rule matches);
- `weak_names`: names that are also common words or other Chinese places (天山, 温泉, Yiwu, Baicheng):
  evidence only with corroboration;
- `abroad_names`: the subset of `names` that are also places outside China (Aksu, Altay): evidence only
  when the country is China.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_FILE = DATA_DIR / "xuar_gazetteer.csv"
BOUNDARY_FILE = DATA_DIR / "xuar_boundary.geojson"

LEVELS = frozenset({"region", "prefecture", "county", "xpcc_city"})
REQUIRED = ("division_code", "level", "name_en", "name_zh", "short_zh", "pinyin")
COLUMNS = (
    "division_code",
    "parent_code",
    "level",
    "name_en",
    "name_zh",
    "name_zh_hant",
    "short_zh",
    "short_zh_hant",
    "pinyin_tones",
    "pinyin",
    "pinyin_spaced",
    "latin_variants",
    "local_names",
    "historic_codes",
    "ambiguous",
    "ambiguous_in_china",
    "ambiguous_abroad",
    "note",
)
_CODE = re.compile(r"^65\d{4}$")


def fold(text: str) -> str:
    """The comparison key for a name: NFKC, no diacritics or tone marks, case-folded, apostrophes dropped.

    Used both to build the matcher and to compare ambiguity flags, so "Ürümqi", "URUMQI" and "Wūlǔmùqí"
    reach the same key as their plain spellings.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"['’`ʼ‘]", "", text).strip()


@dataclass(frozen=True)
class Place:
    """A division of the XUAR (or the region itself) with every name it goes by."""

    division_code: str
    parent_code: str
    level: str
    name_en: str
    name_zh: str
    names: tuple[str, ...]
    weak_names: tuple[str, ...] = ()
    abroad_names: tuple[str, ...] = ()
    historic_codes: tuple[str, ...] = ()
    note: str = ""
    pinyin_spaced: str = (
        ""  # "Wu Lu Mu Qi": syllables, for initials (WLMQ) and two-syllable forms (Xin Jiang)
    )

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every alias, strong and weak."""
        return self.names + self.weak_names

    @property
    def codes(self) -> tuple[str, ...]:
        """The current division code first, then any historic ones."""
        return (self.division_code, *self.historic_codes)


@dataclass(frozen=True)
class Gazetteer:
    """The places plus the version (source, date, content hash) every location finding cites."""

    places: tuple[Place, ...]
    source: str
    retrieved_on: str
    sha256: str

    @property
    def version(self) -> str:
        """Names the exact data: a finding can be reproduced against the same file."""
        return f"xuar-gazetteer:{self.retrieved_on}:{self.sha256[:12]}"

    def by_code(self) -> dict[str, Place]:
        """Every current and historic code to its place."""
        index: dict[str, Place] = {}
        for place in self.places:
            for code in place.codes:
                index.setdefault(code, place)
        return index


class GazetteerError(ValueError):
    """The gazetteer file is malformed; the message names file, row and column."""


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _names_of(row: dict[str, str]) -> list[str]:
    names: list[str] = []
    en = row["name_en"].strip()
    names.append(en)
    if "," in en:
        names.append(en.split(",")[0].strip())
    for column in ("name_zh", "name_zh_hant", "short_zh", "short_zh_hant", "pinyin_tones", "pinyin"):
        if (row.get(column) or "").strip():
            names.append(row[column].strip())
    spaced = (row.get("pinyin_spaced") or "").strip()
    if len(spaced.split()) >= 3:  # "Ha Mi", "Yi Li": two spaced syllables are too easily something else
        names.append(spaced)
    names.extend(_split(row.get("latin_variants")))
    names.extend(_split(row.get("local_names")))  # Uyghur (both scripts), Kazakh, Kyrgyz, Russian
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        if name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def _row_place(path: Path, rownum: int, row: dict[str, str]) -> Place:
    def fail(column: str, message: str) -> GazetteerError:
        return GazetteerError(f"{path.name}, row {rownum}, column {column}: {message}")

    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            raise fail(column, "required value is empty")
    code = row["division_code"].strip()
    if not _CODE.match(code):
        raise fail("division_code", f"{code!r} is not a 6-digit XUAR (65xxxx) GB/T 2260 code")
    level = row["level"].strip()
    if level not in LEVELS:
        raise fail("level", f"{level!r} is not one of {sorted(LEVELS)}")
    historic: list[str] = []
    for item in (row.get("historic_codes") or "").split(";"):
        item = item.strip()
        if not item:
            continue
        old = item.split(":")[0].strip()
        if not _CODE.match(old):
            raise fail("historic_codes", f"{item!r} does not start with a 65xxxx code")
        historic.append(old)
    ambiguous = (row.get("ambiguous") or "false").strip().lower()
    if ambiguous not in ("true", "false"):
        raise fail("ambiguous", f"{ambiguous!r} is not true or false")
    all_names = _names_of(row)
    weak_keys = {fold(n) for n in _split(row.get("ambiguous_in_china"))}
    abroad_keys = {fold(n) for n in _split(row.get("ambiguous_abroad"))}
    strong = tuple(n for n in all_names if fold(n) not in weak_keys)
    weak = tuple(n for n in all_names if fold(n) in weak_keys)
    # A flagged name that is not among the place's names is still an alias (e.g. "Manas" beside "Manasi").
    for key_name in _split(row.get("ambiguous_in_china")):
        if fold(key_name) not in {fold(n) for n in weak}:
            weak += (key_name,)
    abroad = tuple(n for n in strong if fold(n) in abroad_keys)
    for key_name in _split(row.get("ambiguous_abroad")):
        if fold(key_name) not in {fold(n) for n in strong + weak}:
            strong += (key_name,)
            abroad += (key_name,)
    if (weak_keys or abroad_keys) and ambiguous != "true":
        raise fail("ambiguous", "names are flagged ambiguous but the flag is false")
    return Place(
        division_code=code,
        parent_code=(row.get("parent_code") or "").strip(),
        level=level,
        name_en=row["name_en"].strip(),
        name_zh=row["name_zh"].strip(),
        names=strong,
        weak_names=weak,
        abroad_names=abroad,
        historic_codes=tuple(historic),
        note=(row.get("note") or "").strip(),
        pinyin_spaced=(row.get("pinyin_spaced") or "").strip(),
    )


def load_gazetteer(path: Path = GAZETTEER_FILE) -> Gazetteer:
    """Read the gazetteer and its sidecar; fail loudly on a malformed row rather than miss a place."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer ({exc.strerror})") from exc
    meta_path = path.with_suffix(".meta.json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        source, retrieved_on = str(meta["source"]), str(meta["retrieved_on"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GazetteerError(f"{meta_path.name}: needs a JSON object with source and retrieved_on") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path.name}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for column in REQUIRED:
        if column not in header:
            raise GazetteerError(f"{path.name}, row 1, column {column}: missing from the header")
    places: list[Place] = []
    seen: dict[str, int] = {}
    for rownum, row in enumerate(reader, start=2):
        if None in row:
            raise GazetteerError(
                f"{path.name}, row {rownum}, column {len(header) + 1}: more values than columns"
            )
        place = _row_place(path, rownum, row)
        if place.division_code in seen:
            raise GazetteerError(
                f"{path.name}, row {rownum}, column division_code: {place.division_code} repeats row "
                f"{seen[place.division_code]}"
            )
        seen[place.division_code] = rownum
        places.append(place)
    if not places:
        raise GazetteerError(f"{path.name}: no places")
    return Gazetteer(
        places=tuple(places),
        source=source,
        retrieved_on=retrieved_on,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@dataclass(frozen=True)
class Boundary:
    """A polygon (outer rings, holes ignored) with its bounding box, for point-in-polygon tests."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]
    source: str
    retrieved_on: str

    def contains(self, lon: float, lat: float) -> bool:
        """Ray casting (even-odd) over every outer ring; pure Python because the polygon is small."""
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        inside = False
        for ring in self.rings:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i]
                xj, yj = ring[j]
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
        return inside

    def distance_to_edge_deg(self, lon: float, lat: float) -> float:
        """Approximate distance (degrees) from the point to the nearest boundary segment."""
        best = float("inf")
        for ring in self.rings:
            for (ax, ay), (bx, by) in pairwise(ring):
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((lon - ax) * dx + (lat - ay) * dy) / length2))
                px, py = ax + t * dx - lon, ay + t * dy - lat
                best = min(best, (px * px + py * py) ** 0.5)
        return best


def load_boundary(path: Path = BOUNDARY_FILE) -> Boundary:
    """Read the XUAR boundary GeoJSON (Polygon or MultiPolygon) and its sidecar."""
    meta_path = path.with_suffix(".meta.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        geometries = [f["geometry"] for f in data["features"]] if "features" in data else [data]
        rings: list[tuple[tuple[float, float], ...]] = []
        for geom in geometries:
            polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            for polygon in polygons:
                rings.append(tuple((float(p[0]), float(p[1])) for p in polygon[0]))
        source, retrieved_on = str(meta["source"]), str(meta["retrieved_on"])
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise GazetteerError(
            f"{path.name}: not a readable GeoJSON polygon with a meta sidecar ({exc})"
        ) from exc
    if not rings or any(len(r) < 4 for r in rings):
        raise GazetteerError(f"{path.name}: the boundary needs at least one ring of 4 or more points")
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return Boundary(tuple(rings), (min(xs), min(ys), max(xs), max(ys)), source, retrieved_on)


@lru_cache(maxsize=1)
def default_boundary() -> Boundary:
    """The shipped boundary, read once per process."""
    return load_boundary()


CONTEXT_FILE = DATA_DIR / "xuar_context_places.csv"


@dataclass(frozen=True)
class ContextPlace:
    """A province or city elsewhere in China: as an address's place, evidence against the XUAR."""

    code: str
    province_code: str
    names_zh: tuple[str, ...]
    names_latin: tuple[str, ...]


def _csv_rows(path: Path, what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) of a reference CSV; an unreadable file names itself and what it holds."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read {what} ({exc})") from exc
    return enumerate(csv.DictReader(io.StringIO(text)), start=2)


def load_context_places(path: Path = CONTEXT_FILE) -> tuple[ContextPlace, ...]:
    """Read the other-China places file (same failure rules as the gazetteer)."""
    places: list[ContextPlace] = []
    for rownum, row in _csv_rows(path, "the context places"):
        province = (row.get("province_code") or "").strip()
        if not re.fullmatch(r"\d{6}", province) or province.startswith("65"):
            raise GazetteerError(
                f"{path.name}, row {rownum}, column province_code: {province!r} is not valid"
            )
        names_zh = tuple(_split(row.get("name_zh")))
        if not names_zh:
            raise GazetteerError(f"{path.name}, row {rownum}, column name_zh: required value is empty")
        places.append(
            ContextPlace((row.get("code") or "").strip(), province, names_zh, tuple(_split(row.get("latin"))))
        )
    return tuple(places)


TOWNSHIPS_FILE = DATA_DIR / "xuar_townships.csv"
_TOWNSHIP_CODE = re.compile(r"^65\d{7}$")


@dataclass(frozen=True)
class Township:
    """A township-level unit of the XUAR (镇, 乡, 街道, farm) with the names it is matched by."""

    code: str
    county_code: str
    name_zh: str
    stem_zh: str
    kind: str
    name_zh_hant: str = ""
    stem_zh_hant: str = ""
    pinyin: str = ""
    pinyin_spaced: str = ""
    ambiguous_in_china: bool = True
    ambiguous_pinyin: bool = True


def load_townships(path: Path = TOWNSHIPS_FILE) -> tuple[Township, ...]:
    """Read the township file (same failure rules as the gazetteer: file, row and column on a bad row).

    Why fail loudly: a township flagged wrongly as unambiguous turns a town elsewhere in China into an XUAR
    finding, so a malformed flag must stop the load rather than default to either value.
    """
    out: list[Township] = []
    for rownum, row in _csv_rows(path, "the townships"):

        def fail(column: str, message: str, rownum: int = rownum) -> GazetteerError:
            return GazetteerError(f"{path.name}, row {rownum}, column {column}: {message}")

        code = (row.get("code") or "").strip()
        if not _TOWNSHIP_CODE.match(code):
            raise fail("code", f"{code!r} is not a 9-digit XUAR (65xxxxxxx) township code")
        flags = {}
        for column in ("ambiguous_in_china", "ambiguous_pinyin"):
            value = (row.get(column) or "").strip().lower()
            if value not in ("true", "false"):
                raise fail(column, f"{value!r} is not true or false")
            flags[column] = value == "true"
        out.append(
            Township(
                code=code,
                county_code=(row.get("county_code") or "").strip(),
                name_zh=(row.get("name_zh") or "").strip(),
                stem_zh=(row.get("stem_zh") or "").strip(),
                kind=(row.get("kind") or "").strip(),
                name_zh_hant=(row.get("name_zh_hant") or "").strip(),
                stem_zh_hant=(row.get("stem_zh_hant") or "").strip(),
                pinyin=(row.get("pinyin") or "").strip(),
                pinyin_spaced=(row.get("pinyin_spaced") or "").strip(),
                ambiguous_in_china=flags["ambiguous_in_china"],
                ambiguous_pinyin=flags["ambiguous_pinyin"],
            )
        )
    if not out:
        raise GazetteerError(f"{path.name}: no townships")
    return tuple(out)
