"""Screening one record or many: both detectors, reviewers' decisions and the list versions used.

`POST /v1/screen` and `tracegraph screen` call this for suppliers met before any bundle exists (at
onboarding); the trace's rules use the same detectors on the facilities they meet, so a supplier screens
the same way in both places.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from app.screening.location import LocationDetector
from app.screening.matcher import EntityMatcher
from app.screening.model import LocationResult, Match, ScreenRecord
from app.trace.rules import apply_reviews
from graph_schema import ListEntry, ListVersion, Review


class ListVersionRef(BaseModel):
    """A list version a screening result was judged against."""

    list: str = Field(description="List code, e.g. `UFLPA`, `BIS`, `OFAC_SDN`, `CBP_WRO`.")
    version_id: str = Field(description="The version's ID (derived from its content hash).")
    source: str = Field(description="Where the list was loaded from.")
    retrieved_on: str = Field(description="When it was retrieved (ISO 8601).")
    sha256: str = Field(description="Hash of the source file.")
    entry_count: int = Field(description="Entries in this version.")

    @classmethod
    def of(cls, version: ListVersion) -> ListVersionRef:
        return cls(
            list=version.list_name,
            version_id=version.version_id,
            source=version.source,
            retrieved_on=version.retrieved_on.isoformat(),
            sha256=version.sha256,
            entry_count=version.entry_count,
        )


class ScreenResult(BaseModel):
    """Where the record is and who it is, with the evidence and the reference versions behind both."""

    subject: str = Field(
        description=(
            "The record's review subject: a reviewer's decision on one of its matches (`POST /v1/reviews`) "
            "is honoured whenever a record with the same normalised fields is screened again."
        )
    )
    xuar: LocationResult = Field(description="The XUAR location detector's answer.")
    matches: list[Match] = Field(
        description="List entries that match or possibly match, best first; reviewers' decisions applied."
    )
    list_versions: list[ListVersionRef] = Field(
        description="Every list version the record was screened against."
    )


def record_subject(record: ScreenRecord) -> str:
    """A stable subject for a record without an ID: the hash of its normalised fields.

    Whitespace, case and Unicode width do not change it, so a reviewer's decision survives an ERP
    re-export; any change of substance (another name, another registration number) asks for a new review.
    """

    def norm(value: object) -> object:
        if isinstance(value, str):
            return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
        if isinstance(value, list):
            return sorted(str(norm(v)) for v in value)
        return value

    fields = {k: norm(v) for k, v in record.model_dump().items() if v not in (None, [], "")}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"record:{digest[:32]}"


class Screener:
    """Both detectors over the current list versions; cheap to call, rebuilt when a list changes."""

    def __init__(
        self, location: LocationDetector, lists: Sequence[tuple[ListVersion, Sequence[ListEntry]]]
    ) -> None:
        self.location = location
        self.matcher = EntityMatcher(lists)
        self.versions = sorted((ListVersionRef.of(v) for v, _ in lists), key=lambda r: r.list)

    def screen(
        self, records: Sequence[ScreenRecord], reviews: Mapping[str, Sequence[Review]] | None = None
    ) -> list[ScreenResult]:
        """One result per record, in order. `reviews` are the tenant's decisions by subject."""
        decided = reviews or {}
        out: list[ScreenResult] = []
        for record in records:
            subject = record_subject(record)
            matches = apply_reviews(self.matcher.match(record), decided.get(subject, ()))
            out.append(
                ScreenResult(
                    subject=subject,
                    xuar=self.location.detect(record),
                    matches=matches,
                    list_versions=self.versions,
                )
            )
        return out
