"""Risk rules: pluggable detectors that look at one facility (with its operator and owners) at a time.

The walk knows nothing of Xinjiang or of lists; it hands each facility it reaches to every rule and
collects `Signal`s. The rules here wrap the screening detectors of `app.screening`:

- `XuarLocationRule` asks the location detector about the facility's structured location and address
  (and its operator's registration number, whose division code says where the company is registered).
  A producing site in the XUAR triggers the presumption; a trading or warehouse site there, or an
  uncertain location, needs review.
- `ListMatchRule` asks the entity matcher about the operator and each owner up the ownership chain.
  A UFLPA `match` on the operator triggers the presumption; on an owner, it does when the listing covers
  subsidiaries, otherwise it needs review. A `possible_match` needs review. A match on another list (BIS
  Entity List, OFAC SDN, a CBP Withhold Release Order...) is a different legal risk: reported for review,
  never called the presumption. An SDN owner blocks a company it owns 50% or more of, directly or through
  a chain of such holdings (OFAC's 50% rule).

A reviewer's decision on a (company, list entry) pair, when present in the context, overrides the
matcher's decision: a rejected possible match stops firing, a confirmed one fires as a match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple, Protocol

from app.screening.location import LocationDetector, default_location_detector
from app.screening.matcher import EntityMatcher, company_to_record
from app.screening.model import Decision, LocationResult, LocationSignal, Match, MatchFeature, ScreenRecord
from app.trace.models import ReferenceVersion, Severity, Signal
from graph_schema import Company, Facility, ListEntry, ListVersion, Review, ReviewVerdict

UFLPA = "UFLPA"
OFAC_SDN = "OFAC_SDN"
#: OFAC's 50% rule: an entity owned 50% or more, in aggregate, by blocked persons is itself blocked.
OFAC_BLOCKING_SHARE = 50.0


class FacilityContext(NamedTuple):
    """A facility with what its risk depends on: its operator, the operator's owners (nearest first)
    and reviewers' decisions on those companies, by review subject (`company:<id>`).

    A named tuple: a trace builds one per facility it reaches, a thousand in a deep one."""

    facility: Facility
    operator: Company | None
    owners: Sequence[Company]
    reviews: Mapping[str, Sequence[Review]] = MappingProxyType({})


class RiskRule(Protocol):
    """A detector. `references` names the data (and versions) it judges against, for the trace's record."""

    name: str

    def references(self) -> list[ReferenceVersion]: ...

    def assess(self, ctx: FacilityContext) -> list[Signal]: ...


def company_subject(company_id: str) -> str:
    """The review subject of a stored company: decisions follow the company, whatever its record says."""
    return f"company:{company_id}"


def facility_record(facility: Facility, operator: Company | None) -> ScreenRecord:
    """What the location detector sees of a facility: its own location, its operator's registration."""
    return ScreenRecord(
        name=facility.name,
        country=facility.country,
        address=facility.address,
        city=facility.city,
        region=facility.region,
        postal_code=facility.postal_code,
        latitude=facility.latitude,
        longitude=facility.longitude,
        registration_id=operator.registration_id if operator else None,
    )


class XuarLocationRule:
    """Flags facilities the location detector places in the XUAR (or cannot place with confidence)."""

    name = "xuar_location"

    def __init__(self, detector: LocationDetector) -> None:
        self.detector = detector
        #: answers per screened record: a facility met in many products' traces is located once
        self._answers: dict[tuple[object, ...], LocationResult] = {}

    def references(self) -> list[ReferenceVersion]:
        g = self.detector.gazetteer
        return [
            ReferenceVersion(
                name="xuar_gazetteer", version=g.version, source=g.source, retrieved_on=g.retrieved_on
            )
        ]

    def assess(self, ctx: FacilityContext) -> list[Signal]:
        fac = ctx.facility
        registration = ctx.operator.registration_id if ctx.operator else None
        key = (
            fac.name,
            fac.country,
            fac.address,
            fac.city,
            fac.region,
            fac.postal_code,
            fac.latitude,
            fac.longitude,
            registration,
        )
        result = self._answers.get(key)
        if result is None:
            result = self._answers[key] = self.detector.detect(facility_record(fac, ctx.operator))
        if result.in_xuar is False:
            return []
        strongest = _strongest_for(result)
        if strongest is None:
            return []
        field_name, span, matched = strongest.field, strongest.span, strongest.matched
        if result.in_xuar == "uncertain":
            rule, severity = "xuar_location_uncertain", Severity.REVIEW
            what = (
                f"the evidence about whether facility {fac.facility_id} is in the XUAR is mixed or weak "
                f"(confidence {result.confidence:.2f}); confirm its location"
            )
        elif fac.activity.originates:
            rule, severity = self.name, Severity.PRESUMPTION
            what = "goods made here are presumed made with forced labor"
        else:
            rule, severity = "xuar_transit", Severity.REVIEW
            what = f"a {fac.activity.value} site: goods pass through the XUAR, check where they were made"
        return [
            Signal(
                rule=rule,
                severity=severity,
                subject="facility",
                subject_id=fac.facility_id,
                field=field_name,
                value=span,
                matched=matched,
                reference=result.gazetteer_version,
                explanation=f"{strongest.explanation} Overall: {what}.",
                location=result,
            )
        ]


def _strongest_for(result: LocationResult) -> LocationSignal | None:
    """The signal that speaks loudest for the XUAR: the one a reviewer should read first."""
    toward = [s for s in result.signals if s.weight > 0]
    if not toward:
        return None
    return max(toward, key=lambda s: (s.weight, s.field, s.span))


class ListMatchRule:
    """Flags facilities whose operator, or an owner up the chain, matches an entry of a screening list."""

    name = "list_match"

    def __init__(self, lists: Sequence[tuple[ListVersion, Sequence[ListEntry]]]) -> None:
        self.versions = [version for version, _ in lists]
        self.matcher = EntityMatcher(lists)
        self._entries = {(e.list_name, e.entry_id): e for _, entries in lists for e in entries}
        #: matches per company record content: the same supplier shows up in many products' traces
        self._matches: dict[tuple[object, ...], tuple[Match, ...]] = {}

    def references(self) -> list[ReferenceVersion]:
        return [
            ReferenceVersion(
                name=v.list_name,
                version=v.version_id,
                source=v.source,
                retrieved_on=v.retrieved_on.isoformat(),
            )
            for v in sorted(self.versions, key=lambda v: v.list_name)
        ]

    def screen(self, company: Company, reviews: Mapping[str, Sequence[Review]]) -> list[Match]:
        """A company's matches with reviewers' decisions applied (cached per company record)."""
        key = (
            company.name,
            company.name_local,
            tuple(company.aliases),
            company.country,
            company.address,
            company.registration_id,
        )
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = tuple(self.matcher.match(company_to_record(company)))
        if not found:  # most suppliers: nothing for a decision to confirm or reject
            return []
        return apply_reviews(found, reviews.get(company_subject(company.company_id), ()))

    def assess(self, ctx: FacilityContext) -> list[Signal]:
        signals: list[Signal] = []
        if ctx.operator is not None:
            for match in self.screen(ctx.operator, ctx.reviews):
                signals.append(self._operator_signal(ctx.operator, match))
        share = 100.0  # the aggregate holding of the chain so far, for OFAC's 50% rule
        below = ctx.operator
        for depth, owner in enumerate(ctx.owners, start=1):
            pct = below.ownership_pct if below is not None else None
            share = min(share, pct) if pct is not None else share
            known = pct is not None
            for match in self.screen(owner, ctx.reviews):
                signals.append(self._owner_signal(ctx, owner, depth, match, share if known else None))
            below = owner
        return signals

    # -- signals -------------------------------------------------------------------------------------
    def _operator_signal(self, operator: Company, match: Match) -> Signal:
        entry = self._entries.get((match.list_name, match.entry_id))
        uflpa = match.list_name == UFLPA
        decided = match.decision is Decision.MATCH
        if uflpa and decided:
            rule, severity = "uflpa_entity", Severity.PRESUMPTION
            what = (
                f"on the UFLPA Entity List{_listing(entry)}: goods it makes are presumed made with "
                "forced labor"
            )
        elif uflpa:
            rule, severity = "uflpa_possible_match", Severity.REVIEW
            what = "possibly on the UFLPA Entity List; a person must confirm or reject the match"
        else:
            rule, severity = "screening_list_match", Severity.REVIEW
            what = (
                f"{'on' if decided else 'possibly on'} {_list_title(match.list_name)}{_order_status(entry)}: "
                "a different legal risk from the UFLPA presumption, to be reviewed"
            )
        return self._signal(rule, severity, operator, match, f"Operator '{operator.name}' is {what}.")

    def _owner_signal(
        self, ctx: FacilityContext, owner: Company, depth: int, match: Match, share: float | None
    ) -> Signal:
        entry = self._entries.get((match.list_name, match.entry_id))
        operator_name = ctx.operator.name if ctx.operator else "the operator"
        up = f"{depth} level{'s' if depth > 1 else ''} up the ownership chain of {operator_name}"
        decided = match.decision is Decision.MATCH
        if match.list_name == UFLPA:
            covered = entry is not None and entry.covers_subsidiaries
            if decided and covered:
                rule, severity = "uflpa_listed_owner", Severity.PRESUMPTION
                what = "the listing covers its subsidiaries"
            elif decided:
                rule, severity = "uflpa_listed_owner", Severity.REVIEW
                what = "the listing does not name subsidiaries; review the ownership"
            else:
                rule, severity = "uflpa_possible_owner_match", Severity.REVIEW
                what = "a possible match; a person must confirm or reject it"
            text = f"'{owner.name}', {up}, is on the UFLPA Entity List{_listing(entry)}; {what}."
            if not decided:
                text = f"'{owner.name}', {up}, possibly matches a UFLPA Entity List entry; {what}."
            return self._signal(rule, severity, owner, match, text)
        title = _list_title(match.list_name)
        if match.list_name == OFAC_SDN and decided:
            if share is None:
                what = "the ownership share is not known: OFAC's 50% rule cannot be ruled out"
            elif share >= OFAC_BLOCKING_SHARE:
                what = (
                    f"it holds {share:g}% along the chain: under OFAC's 50% rule {operator_name} is blocked "
                    "as if listed"
                )
            else:
                what = (
                    f"it holds {share:g}% along the chain, under OFAC's 50% threshold; review the aggregate"
                )
            rule = "ofac_50_percent" if share is None or share >= OFAC_BLOCKING_SHARE else "sdn_owner"
            text = f"'{owner.name}', {up}, is on {title}; {what}."
            return self._signal(rule, Severity.REVIEW, owner, match, text)
        text = (
            f"'{owner.name}', {up}, is {'on' if decided else 'possibly on'} {title}: a different legal risk "
            "from the UFLPA presumption, to be reviewed."
        )
        return self._signal("screening_list_owner", Severity.REVIEW, owner, match, text)

    def _signal(self, rule: str, severity: Severity, company: Company, match: Match, text: str) -> Signal:
        field_name, value = _matched_field(company, match)
        return Signal(
            rule=rule,
            severity=severity,
            subject="company",
            subject_id=company.company_id,
            field=field_name,
            value=value,
            matched=f"{match.list_name} {match.entry_id}: {match.entry_name}",
            reference=match.list_version,
            explanation=f"{text} Match score {match.score:.2f} ({match.decision.value}).",
            match=match,
        )


def apply_reviews(matches: Sequence[Match], reviews: Sequence[Review]) -> list[Match]:
    """Reviewers' decisions win over the matcher's: confirmed → `match`, rejected → dropped.

    A rejected match is dropped rather than kept as `no_match`, because every consumer of matches (the
    trace, the screening answer's review queue) treats presence as "look at this".
    """
    decided = {(r.list_name, r.entry_id): r for r in reviews}
    out: list[Match] = []
    for match in matches:
        review = decided.get((match.list_name, match.entry_id))
        if review is None:
            out.append(match)
            continue
        if review.verdict is ReviewVerdict.REJECTED:
            continue
        feature = MatchFeature(
            feature="review",
            score=0.0,
            detail=(
                f"confirmed by {review.reviewer} on {review.decided_at.date().isoformat()}: {review.reason}"
            ),
        )
        out.append(
            match.model_copy(
                update={"decision": Decision.MATCH, "explanation": [*match.explanation, feature]}
            )
        )
    return out


def _matched_field(company: Company, match: Match) -> tuple[str, str]:
    """Which of the company's fields carried the match, for the signal's `field`/`value`."""
    features = {f.feature for f in match.explanation}
    if "identifier" in features and company.registration_id:
        return "registration_id", company.registration_id
    if "chinese_name" in features and company.name_local:
        return "name_local", company.name_local
    return "name", company.name


def _listing(entry: ListEntry | None) -> str:
    if entry is None:
        return ""
    bits = [b for b in (entry.section, str(entry.effective_date) if entry.effective_date else None) if b]
    cite = f", {entry.citation}" if entry.citation else ""
    return f" as '{entry.name}' ({', '.join(bits)}{cite})" if bits else f" as '{entry.name}'"


_TITLES = {
    UFLPA: "the UFLPA Entity List",
    "BIS": "the BIS Entity List",
    OFAC_SDN: "OFAC's SDN List",
    "CBP_WRO": "a CBP Withhold Release Order or Finding",
}


def _order_status(entry: ListEntry | None) -> str:
    """A CBP order's status when it is not in force as issued: a modified or revoked WRO is history an
    auditor weighs differently from an active detention order, so the finding says which it is."""
    remarks = (entry.remarks or "") if entry is not None else ""
    if not remarks.startswith("Status: "):
        return ""
    status = remarks.removeprefix("Status: ").split(";", 1)[0].strip()
    return "" if not status or status.lower() == "active" else f" (an order CBP lists as {status.lower()})"


def _list_title(list_name: str) -> str:
    return _TITLES.get(list_name, f"the {list_name} list")


@lru_cache(maxsize=1)
def default_location_rule() -> XuarLocationRule:
    """The location rule over the shipped gazetteer and boundary, built once per process."""
    return XuarLocationRule(default_location_detector())
