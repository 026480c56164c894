"""Verdict changes: which products changed verdict, when, and why, as a feed and for webhooks.

- **Snapshots.** Per tenant, each product's last judged verdict with a compact reason (the decisive
  finding's facility, rule, severity, field, value, match and list version, or the kind of gap) is one
  `VerdictSnapshot` node (key `product:<id>`), and one `ChangeTracker` node says what they were judged on:
  the tenant's data version and the list versions in force. A node per subject rather than chunked JSON
  documents: a change of one product rewrites one node (batched `UNWIND` writes through the (tenant, id)
  constraint), whereas a chunk would be rewritten whole for each product in it; seeding 100,000 products
  is one transaction of 20 batches.
- **The first screening of a tenant seeds** the snapshots and records no change (onboarding a catalogue
  is not news). After that, a product seen for the first time *is* a change (`old_verdict` null): an
  integration adding a product wants to hear its verdict.
- **Catching up** happens when (data version, list versions) differ from the tracker's. It re-judges with
  `screen_all`'s building blocks (one shared state graph, each facility through the rules once, flags
  propagated over the condensation), so its verdicts are exactly a full re-screen's, and keeps that
  judgement in memory for the next time:
  - a **list change** alone (data version unchanged, judgement in memory) reads nothing from the graph:
    only the facilities go through the new rules again, and only products whose upstream reaches a
    facility whose decisive signal changed are compared with their snapshots;
  - a **data change** (load, records, review, EPCIS) re-reads the shared state graph once (no walk per
    product); facilities whose records did not change are not re-judged (the rules remember their answers
    per record content while the lists stay the same); only snapshots that differ are written.
  Changed products take their finding from the per-product trace (cached by `TraceService`): for a
  worse verdict the new decisive finding (preferring a facility whose signal changed, and a signal citing
  a moved list version), for a better one the finding that disappeared (from the snapshot).
- **Exactly once.** Snapshots, changes and the tracker are written in one transaction that succeeds only
  if the tracker's revision is the one the judgement started from, so two processes catching up the same
  tenant cannot record a change twice (the loser reloads and finds nothing left to do).
- **When.** A worker thread in the API process polls every few seconds (one read of every tenant's data
  version plus the list versions key) and catches up the tenants that moved; `GET /v1/changes` and
  `tracegraph changes` catch the caller's tenant up first, so the feed is never stale.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, Field

from app.errors import BadRequestError, NotFoundError, StoreUnavailableError, TracegraphError
from app.perf import gc_paused
from app.store.base import GraphStore, all_product_ids
from app.trace.models import GapReason, Severity, Signal, TraceResult, Verdict
from app.trace.rules import FacilityContext, RiskRule, company_subject
from app.trace.screen_all import (
    _GAP,
    _PRESUMPTION,
    _REVIEW,
    _VERDICT,
    SNAPSHOT_BASE_S,
    SNAPSHOT_S_PER_PRODUCT,
    _Flag,
    _propagate,
    read_state_graph,
)
from app.trace.walk import State, TraceCache
from app.worker import Worker
from graph_schema import Review

log = logging.getLogger("tracegraph.changes")

#: tenants whose last judgement is kept in memory (the state graph of a 100,000-product catalogue is a
#: few hundred MB at most); a tenant evicted is judged in full at its next change, still correctly
MEMO_TENANTS = 4
#: times a catch-up is retried when another process committed first
COMMIT_ATTEMPTS = 3
#: most changes one feed page returns
MAX_PAGE = 500
#: lots are judged by their own trace (a walk each, cached per data and list versions); at most this many
#: are tracked per tenant (the first in ID order), so a tenant with a million lots cannot stall the tracker
MAX_TRACKED_LOTS = 2_000

_RANK = {
    Verdict.NO_RISK_FOUND: 0,
    Verdict.INCOMPLETE_TRACE: 1,
    Verdict.NEEDS_REVIEW: 2,
    Verdict.PRESUMPTION_APPLIES: 3,
}


class SubjectKind(StrEnum):
    """What a verdict belongs to."""

    PRODUCT = "product"
    LOT = "lot"


class VerdictReason(BaseModel):
    """Why a subject has its verdict, in brief: the decisive finding's signal, or the gap."""

    facility_id: str | None = Field(None, description="The facility carrying the finding (or the gap).")
    facility_name: str | None = Field(None, description="Its name as loaded.")
    severity: Severity | None = Field(None, description="`presumption` or `review`; empty for a gap.")
    rule: str | None = Field(None, description="The rule that fired.")
    field: str | None = Field(None, description="The field that carried the evidence.")
    value: str | None = Field(None, description="The field's value as loaded.")
    matched: str | None = Field(None, description="What it matched: a list entry, a place name.")
    reference: str | None = Field(None, description="The list (or gazetteer) version the match cites.")
    gap: GapReason | None = Field(None, description="For an incomplete trace: the kind of gap.")
    item_id: str | None = Field(None, description="For a gap: the untraced input, when known.")
    explanation: str | None = Field(None, description="One sentence a person can read.")


class VerdictSnapshot(BaseModel):
    """A subject's last judged verdict and why, as stored."""

    subject_kind: SubjectKind
    subject_id: str
    subject_name: str
    verdict: Verdict
    reason: VerdictReason | None = None
    data_version: str = Field(description="The data version this verdict and reason were judged on.")
    lists_key: str = Field(description="The list versions in force when they were judged.")
    judged_at: datetime


class ListMove(BaseModel):
    before: str | None = Field(description="The version in force before (empty: the list was new).")
    after: str | None = Field(description="The version in force after (empty: the list was retired).")


class ChangeKind(StrEnum):
    """What moved between two judgements."""

    LOAD = "load"  # a bundle or records loaded through this service
    REVIEW = "review"  # a reviewer's decision
    LIST = "list"  # a screening list version
    DATA = "data"  # the tenant's data, by a writer this process did not see (another process, EPCIS, ...)


class ChangeCause(BaseModel):
    """What moved between the judgement before and the one that saw the change."""

    kinds: list[ChangeKind] = Field(description="`load`, `review`, `list`, `data` (any other data writer).")
    data_version_before: str | None = Field(
        description="The tenant's data version at the previous judgement."
    )
    data_version_after: str = Field(description="The tenant's data version at this judgement.")
    lists: dict[str, ListMove] = Field(
        default_factory=dict, description="Lists whose version in force moved: name → before/after."
    )


class VerdictChange(BaseModel):
    """One subject's verdict changed: from what to what, after what, and the finding that did it."""

    seq: int = Field(description="Position in the tenant's feed: grows by one per change, never reused.")
    changed_at: datetime = Field(description="When the change was recorded (UTC).")
    subject_kind: SubjectKind = Field(description="`product` (or `lot`).")
    subject_id: str = Field(description="The product's `item_id`.")
    subject_name: str = Field(description="The product's name.")
    old_verdict: Verdict | None = Field(description="The verdict before; empty when first seen.")
    new_verdict: Verdict = Field(description="The verdict now.")
    cause: ChangeCause = Field(description="What moved: data and list versions before and after.")
    finding: VerdictReason | None = Field(
        description=(
            "For a worse verdict, the new decisive finding with its signal; for a better one, the "
            "finding that disappeared."
        )
    )
    finding_status: str | None = Field(description="`appeared` or `disappeared`.")
    explanation: str = Field(description="What happened, in a sentence.")


class ChangePage(BaseModel):
    items: list[VerdictChange] = Field(description="Changes, newest first.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for older changes; absent at the end."
    )


class TrackerState(BaseModel):
    """What a tenant's snapshots were judged on; `revision` counts commits (compare-and-set)."""

    revision: int
    seq: int = 0
    data_version: str
    lists_key: str
    lists: dict[str, str] = Field(default_factory=dict)
    judged_at: datetime
    subjects: int = 0
    #: how the last catch-up judged: `seed`, `full`, `data` or `list`, and how many subjects it compared
    mode: str = "seed"
    compared: int = 0


def subject_key(kind: SubjectKind, subject_id: str) -> str:
    """A snapshot's key: kind and ID, so products and lots never collide."""
    return f"{kind.value}:{subject_id}"


def parse_lists_key(key: str) -> dict[str, str]:
    """`current_versions_key`'s `name=version|…` back into a mapping."""
    pairs = (part.split("=", 1) for part in key.split("|") if "=" in part)
    return {name: version for name, version in pairs}


@dataclass
class _Judged:
    """One tenant's judgement, kept in memory so the next change need not start from nothing."""

    data_version: str
    lists_key: str
    names: dict[str, str]
    cache: TraceCache
    graph: dict[State, set[State]]
    gaps: dict[State, _Flag]
    reviews: dict[str, list[Review]]
    signals: dict[str, Signal] = field(default_factory=dict)
    reach: dict[State, _Flag] = field(default_factory=dict)
    snapshots: dict[str, VerdictSnapshot] = field(default_factory=dict)
    revision: int = 0
    _upstream: dict[State, list[State]] | None = None

    def judge(self, rules: Sequence[RiskRule]) -> None:
        """Every facility once through every rule (its worst signal, chosen as `screen_all` does), then
        the worst flag reachable from every state."""
        signals: dict[str, Signal] = {}
        facilities = sorted({s.facility_id for s in self.graph if s.facility_id})
        for facility_id in facilities:
            fac = self.cache.facilities.get(facility_id)
            if fac is None:
                continue
            operator = self.cache.companies.get(fac.company_id)
            ctx = FacilityContext(fac, operator, self.cache.owners(operator), self.reviews)
            found = [sig for rule in rules for sig in rule.assess(ctx)]
            if found:
                signals[facility_id] = min(
                    found, key=lambda sig: (sig.severity is not Severity.PRESUMPTION, sig.rule, sig.field)
                )
        self.signals = signals
        own: dict[State, _Flag] = {}
        for state in self.graph:
            flag = own[state] = _Flag()
            if state in self.gaps:
                flag.absorb(self.gaps[state])
            sig = signals.get(state.facility_id) if state.facility_id else None
            if sig is not None:
                level = _PRESUMPTION if sig.severity is Severity.PRESUMPTION else _REVIEW
                flag.absorb(_Flag(level, facility_id=state.facility_id, rule=sig.rule))
        self.reach = _propagate(self.graph, own)

    def verdict(self, product_id: str) -> tuple[Verdict, VerdictReason | None]:
        flag = self.reach[State(product_id, "")]
        verdict = _VERDICT[flag.level]
        if flag.level >= _REVIEW and flag.facility_id is not None:
            return verdict, self.reason_at(flag.facility_id)
        if flag.level == _GAP:
            return verdict, VerdictReason(gap=flag.gap, explanation=f"An input is untraced ({flag.gap}).")
        return verdict, None

    def reason_at(self, facility_id: str) -> VerdictReason:
        sig = self.signals[facility_id]
        fac = self.cache.facilities.get(facility_id)
        return _signal_reason(facility_id, fac.name if fac else None, sig)

    def products_reaching(self, facilities: set[str]) -> set[str]:
        """Products whose upstream reaches any of these facilities (backwards over the state graph)."""
        if self._upstream is None:
            upstream: dict[State, list[State]] = {}
            for source, targets in self.graph.items():
                for target in targets:
                    upstream.setdefault(target, []).append(source)
            self._upstream = upstream
        todo = [s for s in self.graph if s.facility_id in facilities]
        seen = set(todo)
        while todo:
            state = todo.pop()
            for parent in self._upstream.get(state, ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {s.item_id for s in seen if not s.facility_id}


def _signal_reason(facility_id: str, facility_name: str | None, sig: Signal) -> VerdictReason:
    return VerdictReason(
        facility_id=facility_id,
        facility_name=facility_name,
        severity=sig.severity,
        rule=sig.rule,
        field=sig.field,
        value=sig.value,
        matched=sig.matched,
        reference=sig.reference,
        explanation=sig.explanation,
    )


def _read(store: GraphStore, tenant: str) -> _Judged:
    """The tenant's whole state graph, read once in one snapshot (as `screen_all` reads it)."""
    with store.snapshot(timeout_s=SNAPSHOT_BASE_S), gc_paused():
        data_version = store.data_version(tenant)
        product_ids = all_product_ids(store, tenant)
    with store.snapshot(timeout_s=SNAPSHOT_BASE_S + SNAPSHOT_S_PER_PRODUCT * len(product_ids)), gc_paused():
        if store.data_version(tenant) != data_version:
            raise _MovedError()
        cache = TraceCache(store, tenant)
        roots, graph, own = read_state_graph(cache, product_ids)
        reviews = store.get_reviews(tenant, [company_subject(cid) for cid in sorted(cache.companies)])
    # Drop the prefetched rows: judging again needs only the facilities and companies.
    cache._ahead, cache._ahead_asked = {}, frozenset()
    gaps = {state: flag for state, flag in own.items() if flag.level}
    names = {pid: cache.items[pid].name for pid in roots}
    return _Judged(data_version, "", names, cache, graph, gaps, reviews)


class _MovedError(Exception):
    """The data moved while it was being read: read again."""


class ChangeTracker:
    """Keeps each tenant's verdict snapshots current and records every change of verdict."""

    def __init__(
        self,
        store: GraphStore,
        rules: Callable[[], tuple[list[RiskRule], str]],
        trace: Callable[[str, str], TraceResult],
        trace_lot: Callable[[str, str], TraceResult] | None = None,
    ) -> None:
        self.store = store
        self._rules = rules
        self._trace = trace
        self._trace_lot = trace_lot
        #: called with the tenant after changes were committed (the webhooks' enqueue)
        self.on_changes: Callable[[str], object] | None = None
        self._memo: OrderedDict[str, _Judged] = OrderedDict()
        self._hints: dict[str, set[ChangeKind]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        #: (data version, lists key) each tenant was last seen caught up at, by this process's poll
        self._seen: dict[str, tuple[str, str]] = {}
        self._worker = Worker("tracegraph-changes", self.poll, "change tracking")

    # -- what moved ----------------------------------------------------------------------------------
    def note(self, tenant: str, kind: ChangeKind) -> None:
        """Remember what kind of write this process made, so the change can say it (`load`, `review`).

        A write this process did not see (another process, another path) shows as `data`.
        """
        with self._guard:
            self._hints.setdefault(tenant, set()).add(kind)
        self._worker.wake()

    # -- the feed ------------------------------------------------------------------------------------
    def feed(
        self,
        tenant: str,
        since: str | None = None,
        subject_kind: SubjectKind | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> ChangePage:
        """Changes newest first: after `since` (a change's `seq`, or an ISO 8601 time: at or after it).

        `cursor` is the `seq` below which the next page starts; pages are stable while changes arrive.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise BadRequestError(f"query parameter 'limit': expected 1 to {MAX_PAGE}, got {limit}")
        after_seq, since_time = _parse_since(since)
        before: int | None = None
        if cursor is not None:
            if not cursor.isdigit():
                raise BadRequestError(f"query parameter 'cursor': expected a `next_cursor`, got '{cursor}'")
            before = int(cursor)
        rows = self.store.list_verdict_changes(
            tenant,
            after_seq=after_seq,
            before_seq=before,
            since=since_time,
            subject_kind=subject_kind.value if subject_kind else None,
            limit=limit + 1,
        )
        items = [VerdictChange.model_validate(r) for r in rows[:limit]]
        more = len(rows) > limit
        return ChangePage(items=items, next_cursor=str(items[-1].seq) if more and items else None)

    def state(self, tenant: str) -> TrackerState | None:
        raw = self.store.get_change_tracker(tenant)
        return TrackerState.model_validate(raw) if raw else None

    # -- catching up ---------------------------------------------------------------------------------
    def catch_up(self, tenant: str) -> list[VerdictChange]:
        """Judge the tenant again if its data or a list moved since the last judgement; the new changes.

        Safe to call from several threads and processes at once: per tenant, one judgement commits.
        """
        with self._lock_for(tenant):
            for _ in range(COMMIT_ATTEMPTS):
                try:
                    done = self._catch_up_once(tenant)
                except _MovedError:
                    continue
                if done is not None:
                    return done
            log.warning("change tracking of tenant %s kept losing to other writers; will retry", tenant)
            return []

    def _catch_up_once(self, tenant: str) -> list[VerdictChange] | None:
        state = self.state(tenant)
        data_version = self.store.data_version(tenant)
        if not data_version:
            return []  # nothing loaded yet
        rules, lists_key = self._rules()
        if state is not None and (state.data_version, state.lists_key) == (data_version, lists_key):
            self._seen[tenant] = (data_version, lists_key)
            return []
        with self._guard:
            hints = set(self._hints.get(tenant, ()))
        # Taken out while judging and put back only after a commit: a judgement that fails half-way must
        # not leave a picture that looks current but whose changes were never recorded.
        memo = self._memo.pop(tenant, None)
        if memo is not None and (state is None or memo.revision != state.revision):
            memo = None  # another process committed since: our picture is stale
        moved_facilities: set[str] = set()
        if memo is not None and memo.data_version == data_version:
            mode = "list"
            judged = memo
            before = dict(judged.signals)
            judged.judge(rules)
            judged.lists_key = lists_key
            moved_facilities = _moved(before, judged.signals)
            candidates = judged.products_reaching(moved_facilities)
        else:
            judged = _read(self.store, tenant)
            judged.judge(rules)
            judged.lists_key = lists_key
            if memo is not None:
                mode = "data"
                judged.snapshots = memo.snapshots
                moved_facilities = _moved(memo.signals, judged.signals)
            else:
                mode = "full" if state is not None else "seed"
                keys = [subject_key(SubjectKind.PRODUCT, pid) for pid in judged.names]
                judged.snapshots = {
                    k: VerdictSnapshot.model_validate(v)
                    for k, v in self.store.get_verdict_snapshots(tenant, keys).items()
                }
            candidates = set(judged.names)
        now = datetime.now(UTC)
        cause = _cause(state, data_version, lists_key, hints)
        written: dict[str, VerdictSnapshot] = {}
        changes: list[VerdictChange] = []
        seq = state.seq if state else 0
        subjects: list[_Subject] = []
        for pid in sorted(candidates):
            verdict, reason = judged.verdict(pid)
            subjects.append(_Subject(SubjectKind.PRODUCT, pid, judged.names[pid], verdict, reason))
        subjects.extend(self._judge_lots(tenant, judged, moved_facilities, cause))
        for subject in subjects:
            kind, sid, name, verdict, reason = subject[:5]
            key = subject_key(kind, sid)
            old = judged.snapshots.get(key)
            if old is not None and (old.verdict, old.reason, old.subject_name) == (verdict, reason, name):
                continue
            written[key] = VerdictSnapshot(
                subject_kind=kind,
                subject_id=sid,
                subject_name=name,
                verdict=verdict,
                reason=reason,
                data_version=data_version,
                lists_key=lists_key,
                judged_at=now,
            )
            if state is None or (old is not None and old.verdict is verdict):
                continue  # the seed, or the same verdict for another reason: not a change
            seq += 1
            changes.append(self._change(seq, now, subject, old, cause, moved_facilities, tenant))
        new_state = TrackerState(
            revision=(state.revision if state else 0) + 1,
            seq=seq,
            data_version=data_version,
            lists_key=lists_key,
            lists=parse_lists_key(lists_key),
            judged_at=now,
            subjects=len(judged.names) + sum(1 for s in subjects if s.kind is SubjectKind.LOT),
            mode=mode,
            compared=len(subjects),
        )
        committed = self.store.commit_verdict_changes(
            tenant,
            state.revision if state else 0,
            new_state.model_dump(mode="json"),
            {k: v.model_dump(mode="json") for k, v in written.items()},
            [c.model_dump(mode="json") for c in changes],
        )
        if not committed:
            return None
        judged.snapshots.update(written)
        judged.revision = new_state.revision
        self._remember(tenant, judged)
        with self._guard:
            self._hints[tenant] = self._hints.get(tenant, set()) - hints
        self._seen[tenant] = (data_version, lists_key)
        log.info(
            "tenant %s judged (%s): %d compared, %d snapshots written, %d changes",
            tenant,
            mode,
            len(subjects),
            len(written),
            len(changes),
        )
        if changes and self.on_changes is not None:
            self.on_changes(tenant)
        return changes

    def _change(
        self,
        seq: int,
        now: datetime,
        subject: _Subject,
        old: VerdictSnapshot | None,
        cause: ChangeCause,
        moved_facilities: set[str],
        tenant: str,
    ) -> VerdictChange:
        verdict, reason = subject.verdict, subject.reason
        worse = old is None or _RANK[verdict] > _RANK[old.verdict]
        finding: VerdictReason | None
        if worse:
            result = subject.result
            if result is None:
                result = self._traced(tenant, subject.subject_id)
            found = _pick_finding(result, verdict, cause, moved_facilities) if result is not None else None
            finding = found or reason
            status = "appeared" if finding is not None else None
        else:
            finding = old.reason if old is not None else None
            status = "disappeared" if finding is not None else None
        return VerdictChange(
            seq=seq,
            changed_at=now,
            subject_kind=subject.kind,
            subject_id=subject.subject_id,
            subject_name=subject.name,
            old_verdict=old.verdict if old else None,
            new_verdict=verdict,
            cause=cause,
            finding=finding,
            finding_status=status,
            explanation=_explain(subject.name, subject.subject_id, old, verdict, cause, finding, worse),
        )

    def _traced(self, tenant: str, product_id: str) -> TraceResult | None:
        try:
            return self._trace(tenant, product_id)
        except NotFoundError:
            return None

    def _judge_lots(
        self, tenant: str, judged: _Judged, moved: set[str], cause: ChangeCause
    ) -> list[_Subject]:
        """Every tracked lot, judged by its own trace (cached per data and list versions)."""
        if self._trace_lot is None:
            return []
        lots: list[tuple[str, str]] = []
        while len(lots) < MAX_TRACKED_LOTS:
            page = self.store.list_lots(
                tenant, offset=len(lots), limit=min(1000, MAX_TRACKED_LOTS - len(lots))
            )
            lots.extend((lot.lot_id, lot.lot) for lot in page)
            if not page:
                break
        if len(lots) == MAX_TRACKED_LOTS and self.store.list_lots(tenant, offset=len(lots), limit=1):
            log.warning(
                "tenant %s has more than %d lots; changes are tracked for the first", tenant, len(lots)
            )
        keys = [subject_key(SubjectKind.LOT, lot_id) for lot_id, _ in lots]
        unknown = [k for k in keys if k not in judged.snapshots]
        for key, raw in self.store.get_verdict_snapshots(tenant, unknown).items():
            judged.snapshots[key] = VerdictSnapshot.model_validate(raw)
        out: list[_Subject] = []
        for lot_id, number in lots:
            try:
                result = self._trace_lot(tenant, lot_id)
            except NotFoundError:
                continue
            if result.data_version != cause.data_version_after:
                raise _MovedError()  # the data moved while judging: judge again
            out.append(
                _Subject(
                    SubjectKind.LOT,
                    lot_id,
                    f"{result.product_name}, lot {number}",
                    result.verdict,
                    _trace_reason(result),
                    result,
                )
            )
        return out

    # -- the worker ----------------------------------------------------------------------------------
    def poll(self) -> int:
        """Catch up every tenant whose data version or list versions moved; returns changes recorded."""
        versions = self.store.tenant_data_versions()
        _, lists_key = self._rules()
        recorded = 0
        for tenant, data_version in versions.items():
            if self._worker.stopping:
                break
            if self._seen.get(tenant) == (data_version, lists_key):
                continue
            try:
                recorded += len(self.catch_up(tenant))
            except StoreUnavailableError:
                raise  # the store is down: stop this round, the next poll retries
            except TracegraphError as e:  # this tenant's trouble (e.g. mid-load) must not stall the others
                log.warning("change tracking of tenant %s failed: %s", tenant, e.detail)
        return recorded

    def start(self, poll_s: float = 5.0) -> None:
        """Start the polling worker (idempotent)."""
        self._worker.start(poll_s)

    def stop(self, timeout: float = 10.0) -> None:
        self._worker.stop(timeout)

    # -- plumbing ------------------------------------------------------------------------------------
    def _lock_for(self, tenant: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(tenant, threading.Lock())

    def _remember(self, tenant: str, judged: _Judged) -> None:
        self._memo[tenant] = judged
        self._memo.move_to_end(tenant)
        while len(self._memo) > MEMO_TENANTS:
            self._memo.popitem(last=False)


class _Subject(NamedTuple):
    """A product or lot as judged now (with its trace when that is how it was judged)."""

    kind: SubjectKind
    subject_id: str
    name: str
    verdict: Verdict
    reason: VerdictReason | None
    result: TraceResult | None = None


def _trace_reason(result: TraceResult) -> VerdictReason | None:
    """A trace's decisive reason: its strongest finding's first signal, else its first gap."""
    if result.findings:
        finding = result.findings[0]
        return _signal_reason(finding.facility_id, finding.facility_name, finding.signals[0])
    if result.gaps:
        gap = result.gaps[0]
        return VerdictReason(
            facility_id=gap.at_facility_id, gap=gap.reason, item_id=gap.item_id, explanation=gap.explanation
        )
    return None


def _pick_finding(
    result: TraceResult, verdict: Verdict, cause: ChangeCause, moved: set[str]
) -> VerdictReason | None:
    """The finding of a trace that best explains a worse verdict: of the verdict's severity, at a facility
    whose signal changed if any, with a signal citing a list version that moved if any."""
    if result.data_version != cause.data_version_after or result.verdict is not verdict:
        return None  # the data moved on meanwhile: the compact reason stands in
    if verdict is Verdict.INCOMPLETE_TRACE:
        return _trace_reason(result) if result.gaps else None
    wanted = Severity.PRESUMPTION if verdict is Verdict.PRESUMPTION_APPLIES else Severity.REVIEW
    candidates = [f for f in result.findings if f.severity is wanted]
    if not candidates:
        return None
    chosen = next((f for f in candidates if f.facility_id in moved), candidates[0])
    signals = [s for s in chosen.signals if s.severity is wanted]
    new_versions = {move.after for move in cause.lists.values() if move.after}
    sig = next((s for s in signals if s.reference in new_versions), signals[0])
    return _signal_reason(chosen.facility_id, chosen.facility_name, sig)


def _moved(before: dict[str, Signal], after: dict[str, Signal]) -> set[str]:
    """Facilities whose decisive signal differs (appeared, disappeared, or says something else)."""
    return {
        f for f in before.keys() | after.keys() if _signal_key(before.get(f)) != _signal_key(after.get(f))
    }


def _signal_key(sig: Signal | None) -> tuple[str, ...] | None:
    if sig is None:
        return None
    return (sig.rule, sig.severity.value, sig.field, sig.value, sig.matched, sig.reference, sig.explanation)


def _cause(
    state: TrackerState | None, data_version: str, lists_key: str, hints: Iterable[ChangeKind]
) -> ChangeCause:
    before = state.lists if state else {}
    after = parse_lists_key(lists_key)
    lists = {
        name: ListMove(before=before.get(name), after=after.get(name))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    }
    kinds: set[ChangeKind] = set()
    if state is None or state.data_version != data_version:
        kinds |= set(hints) or {ChangeKind.DATA}
    if lists:
        kinds.add(ChangeKind.LIST)
    return ChangeCause(
        kinds=sorted(kinds),
        data_version_before=state.data_version if state else None,
        data_version_after=data_version,
        lists=lists,
    )


def _trigger(cause: ChangeCause) -> str:
    parts = [
        f"{name} moved from {m.before or 'nothing'} to {m.after or 'nothing'}"
        for name, m in cause.lists.items()
    ]
    data = [k.value for k in cause.kinds if k is not ChangeKind.LIST]
    if data:
        parts.append(f"a change of the data ({', '.join(data)})")
    return " and ".join(parts) or "a re-screening"


def _explain(
    name: str,
    product_id: str,
    old: VerdictSnapshot | None,
    verdict: Verdict,
    cause: ChangeCause,
    finding: VerdictReason | None,
    worse: bool,
) -> str:
    who = f"'{name}' ({product_id})"
    if old is None:
        text = f"{who} was screened for the first time after {_trigger(cause)}: {verdict.value}"
        return text + (f". {finding.explanation}" if finding and finding.explanation else ".")
    text = f"{who} went from {old.verdict.value} to {verdict.value} after {_trigger(cause)}"
    if finding is None:
        return text + "."
    where = finding.facility_name or finding.facility_id
    what = f"{finding.rule} at {where}" if finding.rule else f"an untraced input ({finding.gap})"
    if worse:
        return f"{text}: {what}. {finding.explanation or ''}".rstrip()
    return f"{text}: no longer {what}."


def _parse_since(since: str | None) -> tuple[int, datetime | None]:
    """`since` as (after this seq, at or after this time)."""
    if since is None or not since.strip():
        return 0, None
    text = since.strip()
    if text.isdigit():
        return int(text), None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequestError(
            f"query parameter 'since': expected an ISO 8601 time (e.g. 2026-05-01T00:00:00Z) or a change's "
            f"seq, got '{since}'"
        ) from None
    return 0, when if when.tzinfo else when.replace(tzinfo=UTC)
