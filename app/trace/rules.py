"""Risk rules: pluggable detectors that look at one facility (with its operator and owners) at a time.

The walk knows nothing of Xinjiang or of lists; it hands each facility it reaches to every rule and
collects `Signal`s. Replacing a detector (the full gazetteer and the entity matcher of issue 3) means
writing another `RiskRule`, not touching the walk.

The foundation's rules are deliberately simple:
- `xuar_location`: a facility in CN whose region, city or address names Xinjiang or one of its
  prefecture-level divisions. A producing site there triggers the presumption; a trading or warehouse
  site there (goods in transit) needs review.
- `uflpa_entity`: the operator's normalised name, local name or an alias equals a UFLPA Entity List
  entry's name or alias. A listed parent up the ownership chain triggers the presumption when the
  listing covers subsidiaries, otherwise it needs review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from app.trace.models import ReferenceVersion, Severity, Signal
from graph_schema import Company, Facility, ListEntry, ListVersion
from loaders.gazetteer import Gazetteer, load_gazetteer

UFLPA = "UFLPA"


@dataclass(frozen=True)
class FacilityContext:
    """A facility with what its risk depends on: its operator and the operator's owners, nearest first."""

    facility: Facility
    operator: Company | None
    owners: Sequence[Company]


class RiskRule(Protocol):
    """A detector. `references` names the data (and versions) it judges against, for the trace's record."""

    name: str

    def references(self) -> list[ReferenceVersion]: ...

    def assess(self, ctx: FacilityContext) -> list[Signal]: ...


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Compare names the way a person would: width, case, punctuation and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    cleaned = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(cleaned.split())


def _is_cjk(term: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in term)


class XuarLocationRule:
    """Flags facilities in China whose structured location or address names the XUAR or a prefecture."""

    name = "xuar_location"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        terms: dict[str, str] = {}
        for place in gazetteer.places:
            for alias in place.names:
                terms[normalise_name(alias)] = place.name_en
        self._terms = terms
        latin = sorted((t for t in terms if not _is_cjk(t)), key=len, reverse=True)
        cjk = sorted((t for t in terms if _is_cjk(t)), key=len, reverse=True)
        latin_re = r"\b(?:" + "|".join(re.escape(t) for t in latin) + r")\b"
        cjk_re = "|".join(re.escape(t) for t in cjk)
        self._pattern = re.compile(f"{latin_re}|{cjk_re}" if cjk else latin_re)

    def references(self) -> list[ReferenceVersion]:
        return [
            ReferenceVersion(
                name="xuar_gazetteer",
                version=self.gazetteer.version,
                source=self.gazetteer.source,
                retrieved_on=self.gazetteer.retrieved_on,
            )
        ]

    def assess(self, ctx: FacilityContext) -> list[Signal]:
        fac = ctx.facility
        if fac.country.upper() != "CN":
            return []
        for field_name in ("region", "city", "address"):
            value = getattr(fac, field_name)
            if not value:
                continue
            hit = self._pattern.search(normalise_name(value))
            if hit is None:
                continue
            place = self._terms[hit.group(0)]
            producing = fac.activity.originates
            severity = Severity.PRESUMPTION if producing else Severity.REVIEW
            what = (
                "goods made here are presumed made with forced labor"
                if producing
                else f"a {fac.activity.value} site: goods pass through the XUAR, check where they were made"
            )
            return [
                Signal(
                    rule=self.name if producing else "xuar_transit",
                    severity=severity,
                    subject="facility",
                    subject_id=fac.facility_id,
                    field=field_name,
                    value=value,
                    matched=place,
                    reference=self.gazetteer.version,
                    explanation=f"Facility {field_name} '{value}' names {place} in the XUAR; {what}.",
                )
            ]
        return []


class EntityListRule:
    """Flags facilities whose operator, or an owner up the chain, is on a screening list by exact name."""

    name = "uflpa_entity"

    def __init__(self, version: ListVersion, entries: Iterable[ListEntry]) -> None:
        self.version = version
        index: dict[str, ListEntry] = {}
        for entry in entries:
            for label in (entry.name, entry.name_local, *entry.aliases):
                if label:
                    index.setdefault(normalise_name(label), entry)
        self._index = index

    def references(self) -> list[ReferenceVersion]:
        v = self.version
        return [
            ReferenceVersion(
                name=v.list_name,
                version=v.version_id,
                source=v.source,
                retrieved_on=v.retrieved_on.isoformat(),
            )
        ]

    def _lookup(self, company: Company) -> tuple[str, str, ListEntry] | None:
        for field_name, label in (
            ("name", company.name),
            ("name_local", company.name_local),
            *(("aliases", a) for a in company.aliases),
        ):
            if label:
                entry = self._index.get(normalise_name(label))
                if entry is not None:
                    return field_name, label, entry
        return None

    def assess(self, ctx: FacilityContext) -> list[Signal]:
        signals: list[Signal] = []
        listing = self.version.list_name
        if ctx.operator is not None:
            hit = self._lookup(ctx.operator)
            if hit is not None:
                field_name, label, entry = hit
                signals.append(
                    Signal(
                        rule=self.name,
                        severity=Severity.PRESUMPTION,
                        subject="company",
                        subject_id=ctx.operator.company_id,
                        field=field_name,
                        value=label,
                        matched=f"{entry.entry_id}: {entry.name}",
                        reference=self.version.version_id,
                        explanation=(
                            f"Operator '{ctx.operator.name}' is on the {listing} Entity List as "
                            f"'{entry.name}' (effective {entry.effective_date}, {entry.citation})."
                        ),
                    )
                )
                return signals
        for depth, owner in enumerate(ctx.owners, start=1):
            hit = self._lookup(owner)
            if hit is None:
                continue
            field_name, label, entry = hit
            covered = entry.covers_subsidiaries
            severity = Severity.PRESUMPTION if covered else Severity.REVIEW
            scope = (
                "the listing covers its subsidiaries"
                if covered
                else "the listing does not name subsidiaries; review the ownership"
            )
            operator_name = ctx.operator.name if ctx.operator else "the operator"
            signals.append(
                Signal(
                    rule="uflpa_listed_owner",
                    severity=severity,
                    subject="company",
                    subject_id=owner.company_id,
                    field=field_name,
                    value=label,
                    matched=f"{entry.entry_id}: {entry.name}",
                    reference=self.version.version_id,
                    explanation=(
                        f"'{owner.name}', {depth} level{'s' if depth > 1 else ''} up the ownership chain of "
                        f"{operator_name}, is on the {listing} Entity List as '{entry.name}'; {scope}."
                    ),
                )
            )
            break
        return signals


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    return load_gazetteer()
