"""The shapes screening speaks: a loose input record, location and match results with their evidence.

A screening answer is only useful if a reviewer can see *why*: every result carries the signals (for a
location) or the per-feature scores (for a match) that produced it, each naming the field or text span
it came from and the reference data version it was judged against.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ScreenRecord(BaseModel):
    """A supplier or facility as a client knows it: any subset of these fields, however messy."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="Legal or trading name, any script.", examples=["XPCC"])
    name_local: str | None = Field(None, description="Name in the local script (e.g. Chinese).")
    aliases: list[str] = Field(default_factory=list, description="Other names the record is known by.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code or a country name.")
    address: str | None = Field(None, description="Free-text street address, any script.")
    city: str | None = Field(None, description="City or county.")
    region: str | None = Field(None, description="Province, state or ISO 3166-2 code.")
    postal_code: str | None = Field(None, description="Postal code.")
    registration_id: str | None = Field(
        None, description="Company registration number, e.g. an 18-character Chinese USCC."
    )
    latitude: float | None = Field(None, ge=-90, le=90, description="WGS 84 latitude of the site.")
    longitude: float | None = Field(None, ge=-180, le=180, description="WGS 84 longitude of the site.")


InXuar = bool | Literal["uncertain"]


class LocationSignal(BaseModel):
    """One piece of evidence about whether a record is in the XUAR, and where it came from."""

    kind: str = Field(
        description=(
            "What produced it: `structured_region`, `place_name`, `division_code`, `uscc_division`, "
            "`postal_code`, `coordinates`, `country_context` or `trap` (a known false friend such as "
            "'Xinjiang Road' in another city)."
        )
    )
    field: str = Field(description="Input field the signal was read from, e.g. `address`.")
    span: str = Field(description="The exact text (or value) in that field that produced the signal.")
    matched: str = Field(description="What it matched: a gazetteer place and code, a boundary, a country.")
    weight: float = Field(
        description="Log-odds contribution: positive points into the XUAR, negative away from it."
    )
    explanation: str = Field(description="One sentence a reviewer can read.")


class LocationResult(BaseModel):
    """The location detector's answer for one record."""

    in_xuar: InXuar = Field(
        description='`true`, `false` or `"uncertain"` when the evidence conflicts or is weak.'
    )
    confidence: float = Field(ge=0, le=1, description="Confidence in `in_xuar` (0.5 = a coin toss).")
    signals: list[LocationSignal] = Field(
        default_factory=list, description="Every piece of evidence, for and against, with where it came from."
    )
    gazetteer_version: str = Field(description="Version of the gazetteer the record was judged against.")


class Decision(StrEnum):
    """A match decision: `possible_match` is for a person to review."""

    MATCH = "match"
    POSSIBLE_MATCH = "possible_match"
    NO_MATCH = "no_match"


class MatchFeature(BaseModel):
    """One feature's part in a match score."""

    feature: str = Field(
        description=(
            "e.g. `identifier`, `name`, `alias`, `chinese_name`, `location_qualifier`, `group_structure`."
        )
    )
    score: float = Field(description="This feature's contribution to the total (negative counts against).")
    detail: str = Field(description="What was compared with what, in words.")


class Match(BaseModel):
    """A candidate list entry for a record, with its score and why. Serialised with the key `list`."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    list_name: str = Field(
        alias="list", description="List code: `UFLPA`, `BIS`, `OFAC_SDN`, `CBP_WRO`, or another CSL source."
    )
    entry_id: str = Field(description="The entry's ID within its list (stable across list versions).")
    entry_name: str = Field(description="The entry's name as the list publishes it.")
    score: float = Field(ge=0, le=1, description="How alike record and entry are, 0 to 1.")
    decision: Decision = Field(
        description="`match`, or `possible_match` for a person to confirm or reject (`POST /v1/reviews`)."
    )
    explanation: list[MatchFeature] = Field(
        default_factory=list, description="Each feature's part in the score, in words."
    )
    list_version: str = Field(description="The list version the entry was taken from.")
