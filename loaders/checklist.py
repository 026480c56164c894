"""The evidence checklist: which records CBP expects on each hop of a supply chain, kept as data.

CBP's guidance on what proves a supply chain (purchase orders, transport documents, production records;
cotton traced to the bale, polysilicon to its quartzite, aluminum to its smelter, ...) changes over time:
the June 2022 UFLPA guidance was replaced by the consolidated forced-labor guidance of June 2026. So the
expectations live in `loaders/data/evidence_checklist.json` (or the file `TRACEGRAPH_EVIDENCE_CHECKLIST`
names), not in code: a compliance team follows new guidance by editing the file.

The file holds a `default` sector and one sector per commodity, each with aliases (the `commodity`
values of `items.csv` it covers), a `trace_to` statement (how far a trace of the sector's goods must
reach) and stages. A stage matches hops by position (the importer's own purchase or upstream), by what
the supplier does with the item (resale, manufacture, origin, untraced), by the supplier's activity and
by the item's commodity and kind; it lists the record types expected there, each `required` or
`recommended`, with a sentence citing the guidance. A malformed file is refused as a whole, each problem
named by its JSON pointer, because a checklist half read would make evidence look complete that is not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from graph_schema import Activity, DocumentType, ItemKind

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CHECKLIST = DATA_DIR / "evidence_checklist.json"
#: the sector every hop falls back to; every other sector's stages add to it
DEFAULT_SECTOR = "default"

HopPosition = Literal["tier1", "upstream"]
#: what the supplier does with the item on a hop: the walk's roles, the product root excepted
HopRole = Literal["resale", "manufacture", "origin", "untraced"]
Requirement = Literal["required", "recommended"]


class ChecklistError(ValueError):
    """The checklist file is unusable: `pointer` (RFC 6901) says where, `reason` what was expected.

    A `ValueError` like the other data-file errors (`ListFormatError`, `GazetteerError`), so callers
    that only ask "is this usable?" need nothing project-specific.
    """

    def __init__(self, file: str, pointer: str, reason: str) -> None:
        super().__init__(f"{file}, at {pointer or '/'}: {reason}")
        self.file = file
        self.pointer = pointer
        self.reason = reason


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Strict):
    """A guidance document the checklist follows."""

    id: str = Field(min_length=1, description="Short ID the `why` sentences cite, e.g. `cbp-2026`.")
    title: str = Field(min_length=1, description="The document's title.")
    publisher: str = Field(min_length=1, description="Who issued it.")
    date: dt.date = Field(description="Its publication date.")
    url: str = Field(min_length=1, description="Where it can be read.")
    note: str | None = Field(None, description="What of it the checklist uses, and caveats.")


class RecordSpec(_Strict):
    """One record a stage expects."""

    type: DocumentType = Field(description="The expected record, a `documents.csv` type.")
    accepts: list[DocumentType] = Field(
        default_factory=list,
        description="Document types that satisfy it; empty means `type` alone.",
    )
    requirement: Requirement = Field(description="`required` counts towards the hop's score.")
    why: str = Field(min_length=1, description="Why CBP expects it here, citing a source ID.")

    @property
    def accepted(self) -> list[DocumentType]:
        """The types that satisfy this record, `type` first."""
        return [self.type, *(t for t in self.accepts if t is not self.type)]


class StageMatch(_Strict):
    """Which hops a stage applies to; an empty list matches anything."""

    positions: list[HopPosition] = Field(default_factory=list, description="`tier1` or `upstream`.")
    roles: list[HopRole] = Field(default_factory=list, description="What the supplier does with the item.")
    activities: list[Activity] = Field(default_factory=list, description="The supplier facility's activity.")
    item_commodities: list[str] = Field(
        default_factory=list, description="The item's `commodity`, compared case-insensitively."
    )
    item_kinds: list[ItemKind] = Field(default_factory=list, description="The item's kind.")


class Stage(_Strict):
    """A stage of production and the records expected on hops at that stage."""

    id: str = Field(min_length=1, description="Unique within its sector.")
    name: str = Field(min_length=1, description="What the stage is, for people.")
    match: StageMatch = Field(default_factory=StageMatch, description="Which hops it applies to.")
    records: list[RecordSpec] = Field(min_length=1, description="The records expected there.")


def _origin_only() -> list[HopRole]:
    return ["origin"]


class TraceTo(_Strict):
    """How far a trace of the sector's goods must reach, as a state of the supply map."""

    statement: str = Field(min_length=1, description="What the guidance asks, e.g. `raw material: bale`.")
    roles: list[HopRole] = Field(default_factory=_origin_only, description="Roles that satisfy it.")
    activities: list[Activity] = Field(default_factory=list, description="Activities that satisfy it.")
    commodities: list[str] = Field(min_length=1, description="Item commodities that satisfy it.")
    item_kinds: list[ItemKind] = Field(default_factory=list, description="Item kinds that satisfy it.")


class Sector(_Strict):
    """The expectations for one commodity's goods."""

    name: str = Field(min_length=1, description="What goods the sector covers.")
    aliases: list[str] = Field(
        default_factory=list, description="Other `commodity` values that belong to this sector."
    )
    trace_to: TraceTo | None = Field(None, description="How far a trace must reach; none for `default`.")
    yield_loss_pct: float = Field(
        0.0, ge=0, le=100, description="Documented process loss allowed by the lot mass balance, in %."
    )
    stages: list[Stage] = Field(default_factory=list, description="Stages and their expected records.")


class MassBalanceSettings(_Strict):
    tolerance_pct: float = Field(
        5.0, ge=0, le=100, description="Allowed difference before quantities are flagged, in %."
    )


class Checklist(_Strict):
    """The evidence checklist in force: versioned, sourced, one `default` sector plus commodity sectors."""

    version: str = Field(min_length=1, description="The checklist's own version, set by its editors.")
    title: str = Field(min_length=1, description="What the checklist is.")
    retrieved_on: dt.date = Field(description="When the guidance was last read for this version.")
    source: list[Source] = Field(min_length=1, description="The guidance documents it follows.")
    mass_balance: MassBalanceSettings = Field(
        default_factory=MassBalanceSettings, description="Tolerances of the mass-balance checks."
    )
    sectors: dict[str, Sector] = Field(description="`default` plus one sector per commodity.")

    _sha256: str = PrivateAttr(default="")

    @property
    def sha256(self) -> str:
        """Hash of the file the checklist was read from ("" if built in memory)."""
        return self._sha256

    @property
    def version_id(self) -> str:
        """`<version>+<file hash>`: an edit that forgets to bump `version` still shows in results."""
        return f"{self.version}+{self._sha256[:12]}" if self._sha256 else self.version

    def sector_of(self, commodity: str | None) -> str:
        """The sector key a `commodity` value belongs to (by key or alias), `default` if none."""
        if not commodity:
            return DEFAULT_SECTOR
        folded = commodity.strip().lower()
        for key, sector in self.sectors.items():
            if folded == key or folded in (a.strip().lower() for a in sector.aliases):
                return key
        return DEFAULT_SECTOR


def _pointer(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON pointer (RFC 6901 escaping)."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc if p not in ("", None)]
    return "".join(f"/{p}" for p in parts)


def _check_consistency(checklist: Checklist, file: str) -> None:
    """What the schema cannot say: a default sector, unique names, one spec per type in a stage."""
    if DEFAULT_SECTOR not in checklist.sectors:
        raise ChecklistError(
            file, "/sectors", f"a '{DEFAULT_SECTOR}' sector is required: it applies to every hop"
        )
    owner: dict[str, str] = {}
    for key, sector in checklist.sectors.items():
        where = _pointer(("sectors", key))
        if not key or key != key.strip().lower():
            raise ChecklistError(file, where, "a sector key must be lower case, without surrounding spaces")
        for i, name in enumerate((key, *sector.aliases)):
            folded = name.strip().lower()
            if folded in owner and owner[folded] != key:
                at = where if i == 0 else f"{where}/aliases/{i - 1}"
                raise ChecklistError(file, at, f"'{name}' already names sector '{owner[folded]}'")
            owner[folded] = key
        stage_ids: set[str] = set()
        for s, stage in enumerate(sector.stages):
            if stage.id in stage_ids:
                raise ChecklistError(file, f"{where}/stages/{s}/id", f"stage ID '{stage.id}' is used twice")
            stage_ids.add(stage.id)
            types: set[DocumentType] = set()
            for r, spec in enumerate(stage.records):
                if spec.type in types:
                    raise ChecklistError(
                        file,
                        f"{where}/stages/{s}/records/{r}/type",
                        f"'{spec.type.value}' is listed twice in this stage; merge the two",
                    )
                types.add(spec.type)


def parse_checklist(raw: bytes, file: str = "evidence_checklist.json") -> Checklist:
    """Validate checklist bytes; a `ChecklistError` names the first problem's JSON pointer."""
    try:
        data: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ChecklistError(file, "", f"not UTF-8 text: {e.reason}") from e
    except json.JSONDecodeError as e:
        raise ChecklistError(file, "", f"not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from e
    if not isinstance(data, dict):
        raise ChecklistError(file, "", "expected a JSON object with version, source and sectors")
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        loc = tuple(first["loc"])
        # a failed model validator reports the model's own location; say what it expected
        reason = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "missing":
            reason = "required key is missing"
        elif first["type"] == "extra_forbidden":
            reason = "unknown key (a typo?); see loaders/checklist.py for the keys a checklist has"
        elif "input" in first and first["type"] not in ("value_error",):
            reason += f" (got {json.dumps(first['input'], default=str)[:80]})"
        raise ChecklistError(file, _pointer(loc), reason) from e
    _check_consistency(checklist, file)
    checklist._sha256 = hashlib.sha256(raw).hexdigest()
    return checklist


def load_checklist(path: Path | None = None) -> Checklist:
    """Read and validate a checklist file (the shipped one by default)."""
    path = path or DEFAULT_CHECKLIST
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ChecklistError(path.name, "", f"cannot read the file: {e.strerror or e}") from e
    return parse_checklist(raw, path.name)
