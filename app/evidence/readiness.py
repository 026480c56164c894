"""Readiness: for each hop of a trace, which records CBP expects there, which exist and which are missing.

The expectations come from the evidence checklist kept as data (`loaders/checklist.py`), so following a
change in CBP's guidance means editing a JSON file, not this code.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from app.errors import TracegraphError
from app.evidence.mass_balance import (
    LotQuantity,
    MassBalanceFinding,
    bom_findings,
    lot_balance,
    share_findings,
)
from app.store.base import GraphStore
from app.trace.models import Gap, MapEdge, MapNode, Role, SupplyMap, Verdict
from graph_schema import Document, Item
from loaders.checklist import (
    DEFAULT_CHECKLIST,
    DEFAULT_SECTOR,
    Checklist,
    ChecklistError,
    Stage,
    StageMatch,
    load_checklist,
)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Requirement(StrEnum):
    """How strongly the checklist expects a record: missing `required` ones keep a hop from being ready."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"


class Position(StrEnum):
    """Where a hop sits: the importer's own purchase (tier 1) or a link further upstream."""

    TIER1 = "tier1"
    UPSTREAM = "upstream"


class ExpectedRecord(Model):
    """One record the checklist expects on a hop, and whether the hop has it."""

    type: str = Field(description="The expected record, a `documents.csv` type.", examples=["bill_of_lading"])
    accepts: list[str] = Field(
        description="Document types that satisfy it (e.g. a transport document or a bill of lading)."
    )
    requirement: Requirement = Field(description="`required` counts towards the score; `recommended` not.")
    why: str = Field(description="Why CBP expects it here, citing the guidance.")
    stage: str = Field(description="The checklist stage that asks for it, `<sector>/<stage id>`.")
    present: bool = Field(description="True if at least one document of an accepted type backs the hop.")
    document_ids: list[str] = Field(
        default_factory=list, description="The hop's documents of an accepted type, in ID order."
    )


class HopReadiness(Model):
    """One sourcing link of the trace with the records expected on it."""

    sourcing_id: str = Field(description="Identity of the sourcing row: item|supplier|buyer|valid_from.")
    lot_id: str | None = Field(None, description="The lot moving along this hop, for lot traces.")
    tier: int = Field(description="Tier of the supplier: 1 is the importer's direct supplier.")
    item_id: str = Field(description="The item that moves along this hop.")
    item_name: str | None = Field(None, description="The item's name.")
    item_commodity: str | None = Field(None, description="The item's commodity as loaded.")
    supplier_facility_id: str = Field(description="The supplying facility.")
    supplier_activity: str | None = Field(None, description="What the supplier does: farm, mine, trading...")
    buyer_facility_id: str | None = Field(None, description="The buying facility; empty for the importer.")
    position: Position = Field(description="`tier1` (the importer buys) or `upstream`.")
    stage: Role = Field(
        description=(
            "What the supplier does with the item on this hop: `resale`, `manufacture`, `origin` or "
            "`untraced` (the walk stopped there)."
        )
    )
    sector: str = Field(description="The checklist sector of the hop's item (`default` if none matches).")
    checklist_stages: list[str] = Field(
        description="The checklist stages that matched this hop, `<sector>/<stage id>`."
    )
    expected: list[ExpectedRecord] = Field(description="Every record expected here, required ones first.")
    document_ids: list[str] = Field(
        default_factory=list, description="Every document backing the hop, expected or not, in ID order."
    )
    score: float = Field(
        description="Present required records / all required records (1 when the checklist requires none)."
    )
    recommended_score: float = Field(
        description="Present recommended records / all recommended (1 when none); not part of `score`."
    )
    missing_required: list[str] = Field(description="Types of the required records that are missing.")
    missing_recommended: list[str] = Field(description="Types of the recommended records that are missing.")
    explanation: str = Field(description="What this hop has and lacks, in a sentence.")


class TraceToCheck(Model):
    """The sector's statement of how far a trace must reach (e.g. cotton: to the bale at the gin)."""

    sector: str = Field(description="The product's sector.")
    statement: str = Field(description="What the checklist asks, e.g. `raw material: cotton bale`.")
    met: bool = Field(
        description="True if the trace reaches such a state and no input of the sector is left untraced."
    )
    reached: list[str] = Field(description="Supply-map states (`item@facility`) that satisfy the statement.")
    untraced: list[str] = Field(description="Untraced inputs of the sector's materials (item IDs).")
    explanation: str = Field(description="Whether and where the trace meets the statement.")


class ProductReadiness(Model):
    """How ready a product's (or lot's) evidence is to answer a detention, hop by hop, with the gaps."""

    tenant: str = Field(description="Tenant whose data was assessed.")
    product_id: str = Field(description="The product's `item_id`.")
    product_name: str = Field(description="The product's name.")
    lot_id: str | None = Field(None, description="The lot assessed, for lot traces; empty for a product.")
    sector: str = Field(description="The product's checklist sector (`default` if its commodity has none).")
    checklist_version: str = Field(description="Version of the evidence checklist applied.")
    data_version: str = Field(description="Version of the tenant's data the trace was made on.")
    score: float = Field(
        description=(
            "0..1: mean hop score × traced fraction; below 1 while any required record, input, trace-to "
            "statement or mass balance is missing or wrong (see `explanation`)."
        )
    )
    ready: bool = Field(description="True only when `score` is 1: every hop documented, nothing untraced.")
    hop_score: float = Field(description="Mean of the hops' scores (0 without hops).")
    traced_fraction: float = Field(
        description="Ends of the trace reached at an origin / all ends (origins plus untraced inputs)."
    )
    hops: list[HopReadiness] = Field(description="Every sourcing link of the trace once, by tier then ID.")
    untraced_inputs: list[Gap] = Field(description="Inputs the trace could not follow to an origin.")
    trace_to: TraceToCheck | None = Field(
        None, description="The sector's trace-to statement and whether the trace meets it."
    )
    mass_balance: list[MassBalanceFinding] = Field(
        description="Quantities that do not add up (sourcing shares, bills of materials, lots)."
    )
    explanation: str = Field(description="How the score was reached and what keeps it below 1.")


class ChecklistUnusableError(TracegraphError):
    """The checklist in force cannot be read: a server configuration fault, not the caller's."""

    status = 500
    title = "Evidence checklist unusable"
    slug = "checklist-unusable"

    def __init__(self, error: ChecklistError) -> None:
        super().__init__(str(error))
        self.pointer = error.pointer

    def extra(self) -> dict[str, Any]:
        return {"pointer": self.pointer}


#: loaded checklists by (path, modification time, size): an edited file is read again on the next call
_CHECKLISTS: dict[tuple[str, int, int], Checklist] = {}
_CHECKLISTS_LOCK = threading.Lock()


def checklist_in_force(path: Path | None = None) -> Checklist:
    """The checklist at `path` (the shipped one by default), re-read whenever the file changes.

    Results depend on the file, not on code, so an edit must show on the next request without a
    restart; keying the cache by modification time and size does that at the cost of one `stat`.
    """
    path = path or DEFAULT_CHECKLIST
    try:
        stat = path.stat()
    except OSError as e:
        raise ChecklistUnusableError(
            ChecklistError(path.name, "", f"cannot read the file: {e.strerror}")
        ) from e
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _CHECKLISTS_LOCK:
        found = _CHECKLISTS.get(key)
    if found is not None:
        return found
    try:
        checklist = load_checklist(path)
    except ChecklistError as e:
        raise ChecklistUnusableError(e) from e
    with _CHECKLISTS_LOCK:
        if len(_CHECKLISTS) > 16:
            _CHECKLISTS.clear()
        _CHECKLISTS[key] = checklist
    return checklist


class TraceLike(Protocol):
    """What readiness reads of a trace: a product's `TraceResult` or a lot's trace (which adds `lot_id`)."""

    @property
    def tenant(self) -> str: ...

    @property
    def product_id(self) -> str: ...

    @property
    def product_name(self) -> str: ...

    @property
    def data_version(self) -> str: ...

    @property
    def verdict(self) -> Verdict: ...

    @property
    def gaps(self) -> list[Gap]: ...

    @property
    def supply_map(self) -> SupplyMap: ...


_STRENGTH = {Requirement.RECOMMENDED: 0, Requirement.REQUIRED: 1}


@dataclass
class _Expected:
    """One expected record while stages are merged: the strongest requirement, the latest stage's why."""

    spec_type: str
    accepts: list[str]
    requirement: Requirement
    why: str
    stage: str


def _matches(
    match: StageMatch,
    position: Position,
    role: Role,
    activity: str | None,
    commodity: str | None,
    kind: str | None,
) -> bool:
    if match.positions and position.value not in match.positions:
        return False
    if match.roles and role.value not in match.roles:
        return False
    if match.activities and activity not in {a.value for a in match.activities}:
        return False
    if match.item_commodities and (commodity or "").strip().lower() not in {
        c.strip().lower() for c in match.item_commodities
    }:
        return False
    return not match.item_kinds or kind in {k.value for k in match.item_kinds}


def _stages_for(checklist: Checklist, sector: str, *facts: Any) -> list[tuple[str, Stage]]:
    """The stages matching a hop: the default sector's first, then the hop's own sector's."""
    keys = [DEFAULT_SECTOR] if sector == DEFAULT_SECTOR else [DEFAULT_SECTOR, sector]
    return [
        (key, stage)
        for key in keys
        for stage in checklist.sectors[key].stages
        if _matches(stage.match, *facts)
    ]


def _merge(stages: Sequence[tuple[str, Stage]]) -> list[_Expected]:
    """One expectation per record type: the strongest requirement wins, the most specific stage (the
    sector's over the default's, a later stage over an earlier one) gives the reason."""
    merged: dict[str, _Expected] = {}
    for sector, stage in stages:
        for spec in stage.records:
            requirement = Requirement(spec.requirement)
            accepts = [t.value for t in spec.accepted]
            label = f"{sector}/{stage.id}"
            current = merged.get(spec.type.value)
            if current is None:
                merged[spec.type.value] = _Expected(spec.type.value, accepts, requirement, spec.why, label)
                continue
            current.accepts += [t for t in accepts if t not in current.accepts]
            if _STRENGTH[requirement] >= _STRENGTH[current.requirement]:
                current.requirement, current.why, current.stage = requirement, spec.why, label
    ordered = sorted(merged.values(), key=lambda e: -_STRENGTH[e.requirement])  # stable: checklist order
    return ordered


def _ratio(present: int, total: int) -> float:
    return 1.0 if total == 0 else round(present / total, 4)


def _hop(
    edge: MapEdge,
    source: MapNode | None,
    target: MapNode,
    item: Item | None,
    documents: Mapping[str, Document],
    checklist: Checklist,
) -> HopReadiness:
    position = Position.TIER1 if source is None or source.facility_id is None else Position.UPSTREAM
    commodity = item.commodity if item else None
    kind = item.kind.value if item else None
    sector = checklist.sector_of(commodity)
    stages = _stages_for(checklist, sector, position, target.role, target.activity, commodity, kind)
    docs = sorted(
        (documents[d] for d in set(edge.document_ids) if d in documents), key=lambda d: d.document_id
    )
    expected: list[ExpectedRecord] = []
    for want in _merge(stages):
        ids = [d.document_id for d in docs if d.type.value in want.accepts]
        expected.append(
            ExpectedRecord(
                type=want.spec_type,
                accepts=want.accepts,
                requirement=want.requirement,
                why=want.why,
                stage=want.stage,
                present=bool(ids),
                document_ids=ids,
            )
        )
    required = [e for e in expected if e.requirement is Requirement.REQUIRED]
    recommended = [e for e in expected if e.requirement is Requirement.RECOMMENDED]
    missing_required = [e.type for e in required if not e.present]
    missing_recommended = [e.type for e in recommended if not e.present]
    score = _ratio(len(required) - len(missing_required), len(required))
    buyer = source.facility_id if source is not None else None
    what = f"{target.item_name or edge.item_id} from {target.facility_name or target.facility_id}"
    what += f" to {source.facility_name or buyer}" if buyer and source is not None else " to the importer"
    if not docs:
        state = "no documents back this link"
    else:
        state = f"{len(required) - len(missing_required)} of {len(required)} required records present"
    if missing_required:
        state += f"; missing required: {', '.join(missing_required)}"
    if missing_recommended:
        state += f"; missing recommended: {', '.join(missing_recommended)}"
    return HopReadiness(
        sourcing_id=edge.sourcing_id,
        lot_id=getattr(target, "lot_id", None) or getattr(edge, "lot_id", None),
        tier=target.tier,
        item_id=edge.item_id,
        item_name=target.item_name,
        item_commodity=commodity,
        supplier_facility_id=target.facility_id or "",
        supplier_activity=target.activity,
        buyer_facility_id=buyer,
        position=position,
        stage=target.role,
        sector=sector,
        checklist_stages=sorted({label for label in (f"{s}/{st.id}" for s, st in stages)}),
        expected=expected,
        document_ids=[d.document_id for d in docs],
        score=score,
        recommended_score=_ratio(len(recommended) - len(missing_recommended), len(recommended)),
        missing_required=missing_required,
        missing_recommended=missing_recommended,
        explanation=f"{what} ({target.role.value}, {sector} checklist): {state}.",
    )


def _trace_to(
    checklist: Checklist,
    sector: str,
    nodes: Sequence[MapNode],
    gaps: Sequence[Gap],
    items: Mapping[str, Item],
) -> TraceToCheck | None:
    spec = checklist.sectors[sector].trace_to
    if spec is None:
        return None
    commodities = {c.strip().lower() for c in spec.commodities}
    activities = {a.value for a in spec.activities}
    kinds = {k.value for k in spec.item_kinds}
    reached: list[str] = []
    for node in nodes:
        item = items.get(node.item_id)
        if item is None or node.facility_id is None or node.role.value not in spec.roles:
            continue
        if (item.commodity or "").strip().lower() not in commodities:
            continue
        if activities and node.activity not in activities:
            continue
        if kinds and item.kind.value not in kinds:
            continue
        reached.append(node.id)
    untraced = sorted(
        {
            gap.item_id
            for gap in gaps
            if gap.item_id in items and checklist.sector_of(items[gap.item_id].commodity) == sector
        }
    )
    met = bool(reached) and not untraced
    if met:
        explanation = (
            f"Met: the trace reaches {', '.join(sorted(reached))} and leaves no {sector} input untraced."
        )
    elif not reached:
        explanation = f"Not met: no state of the trace is '{spec.statement}'"
        explanation += f"; {', '.join(untraced)} could not be traced." if untraced else "."
    else:
        explanation = (
            f"Not met: the trace reaches {', '.join(sorted(reached))}, but {', '.join(untraced)} "
            "could not be traced that far."
        )
    return TraceToCheck(
        sector=sector,
        statement=spec.statement,
        met=met,
        reached=sorted(reached),
        untraced=untraced,
        explanation=explanation,
    )


def _lot_findings(
    store: GraphStore, tenant: str, lot_ids: set[str], checklist: Checklist
) -> list[MassBalanceFinding]:
    """Each lot of a lot trace that has a quantity against the input lots it was made from.

    An input counts with the quantity its transformation event says was used, else the input lot's own
    quantity; the tolerance is the checklist's plus the output item's sector's documented yield loss.
    """
    with store.snapshot():
        links = [
            link for link in store.get_lot_links(tenant, sorted(lot_ids)) if link.output_lot_id in lot_ids
        ]
        lots = store.get_lots(tenant, sorted(lot_ids | {link.input_lot_id for link in links}))
        items = store.get_items(tenant, sorted({lot.item_id for lot in lots.values()}))
        bom = store.get_bom(tenant, sorted({lots[i].item_id for i in lot_ids if i in lots}))
    out: list[MassBalanceFinding] = []
    for lot_id in sorted(lot_ids):
        lot = lots.get(lot_id)
        if lot is None or lot.quantity is None or not lot.uom:
            continue
        inputs = []
        for link in links:
            source = lots.get(link.input_lot_id)
            if link.output_lot_id != lot_id or source is None:
                continue
            quantity, unit = (
                (link.quantity, link.uom) if link.quantity is not None else (source.quantity, source.uom)
            )
            if quantity is not None and unit:
                inputs.append(LotQuantity(source.lot_id, source.item_id, quantity, unit))
        item = items.get(lot.item_id)
        sector = checklist.sectors[checklist.sector_of(item.commodity if item else None)]
        out += lot_balance(
            LotQuantity(lot.lot_id, lot.item_id, lot.quantity, lot.uom),
            inputs,
            bom.get(lot.item_id, []),
            checklist.mass_balance.tolerance_pct,
            sector.yield_loss_pct,
        )
    return out


def assess_readiness(store: GraphStore, trace: TraceLike, checklist: Checklist) -> ProductReadiness:
    """How ready a trace's evidence is: each sourcing link against the checklist, plus the gaps, the
    sector's trace-to statement and the mass balance, in one score that cannot hide a gap.

    The score is the mean of the hop scores times the traced fraction (ends of the trace that reach an
    origin, over all ends including untraced inputs). Any missing required record, untraced input,
    unmet trace-to statement or mass-balance finding caps it at 0.99, so "ready" (a score of 1) means
    nothing is known to be missing.
    """
    tenant = trace.tenant
    nodes = {node.id: node for node in trace.supply_map.nodes}
    # one hop per sourcing link (per link and lot in a lot trace), at its nearest tier
    edges: dict[tuple[str, str], MapEdge] = {}
    for edge in trace.supply_map.edges:
        target = nodes.get(edge.target)
        if target is None:
            continue
        key = (edge.sourcing_id, getattr(target, "lot_id", None) or "")
        known = edges.get(key)
        if known is None or target.tier < nodes[known.target].tier:
            edges[key] = edge
    item_ids = {trace.product_id, *(n.item_id for n in nodes.values()), *(g.item_id for g in trace.gaps)}
    doc_ids = {d for edge in edges.values() for d in edge.document_ids}
    keys = {
        ((nodes[e.source].facility_id or "") if e.source in nodes else "", e.item_id) for e in edges.values()
    }
    with store.snapshot():
        items = store.get_items(tenant, sorted(item_ids))
        documents = store.get_documents(tenant, sorted(doc_ids)) if doc_ids else {}
        sourcing = store.get_sourcing(tenant, sorted(keys)) if keys else {}
        bom = store.get_bom(tenant, sorted(item_ids))

    hops = sorted(
        (
            _hop(
                edge,
                nodes.get(edge.source),
                nodes[edge.target],
                items.get(edge.item_id),
                documents,
                checklist,
            )
            for edge in edges.values()
        ),
        key=lambda h: (h.tier, h.sourcing_id),
    )
    product = items.get(trace.product_id)
    sector = checklist.sector_of(product.commodity if product else None)
    trace_to = _trace_to(checklist, sector, list(nodes.values()), trace.gaps, items)
    tolerance = checklist.mass_balance.tolerance_pct
    mass_balance = share_findings(sourcing, tolerance) + bom_findings(bom, tolerance)
    lot_ids = {lot for lot in (getattr(n, "lot_id", None) for n in nodes.values()) if lot}
    traced_lot = getattr(trace, "lot_id", None)
    if traced_lot:
        lot_ids.add(str(traced_lot))
    if lot_ids:
        mass_balance += _lot_findings(store, tenant, lot_ids, checklist)

    origins = sum(1 for n in nodes.values() if n.role is Role.ORIGIN)
    ends = origins + len(trace.gaps)
    traced_fraction = round(origins / ends, 4) if ends else 0.0
    hop_score = round(sum(h.score for h in hops) / len(hops), 4) if hops else 0.0
    raw = round(hop_score * traced_fraction, 4)

    short = [h for h in hops if h.missing_required]
    blockers: list[str] = []
    if not hops:
        blockers.append("no sourcing link is on record")
    if short:
        blockers.append(f"{len(short)} of {len(hops)} hops lack required records")
    if trace.gaps:
        blockers.append(f"{len(trace.gaps)} input{'s' if len(trace.gaps) != 1 else ''} untraced")
    if ends and not origins:
        blockers.append("no branch reaches an origin")
    if trace_to is not None and not trace_to.met:
        blockers.append(f"the {sector} trace-to statement ('{trace_to.statement}') is not met")
    if mass_balance:
        blockers.append(f"{len(mass_balance)} mass-balance finding{'s' if len(mass_balance) != 1 else ''}")
    score = min(raw, 0.99) if blockers else raw
    ready = not blockers and score == 1.0
    explanation = (
        f"Score {score:.2f} = mean hop score {hop_score:.2f} × traced fraction {traced_fraction:.2f} "
        f"({origins} of {ends} ends of the trace reach an origin)"
    )
    if blockers:
        explanation += f"; not ready: {'; '.join(blockers)}"
        if raw > 0.99:
            explanation += " (capped at 0.99)"
    else:
        explanation += "; every hop carries its required records and every input is traced"
    explanation += (
        f". The verdict ({trace.verdict.value}) is separate: readiness says whether the evidence is "
        "complete, not whether it clears the goods."
    )
    return ProductReadiness(
        tenant=tenant,
        product_id=trace.product_id,
        product_name=trace.product_name,
        lot_id=getattr(trace, "lot_id", None),
        sector=sector,
        checklist_version=checklist.version_id,
        data_version=trace.data_version,
        score=score,
        ready=ready,
        hop_score=hop_score,
        traced_fraction=traced_fraction,
        hops=hops,
        untraced_inputs=list(trace.gaps),
        trace_to=trace_to,
        mass_balance=mass_balance,
        explanation=explanation,
    )
