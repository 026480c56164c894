"""The evidence pack: one trace told as the submission CBP asks for (`shared/DOMAIN.md` §5).

An executive summary, a table of contents, the supply chain as numbered steps (step N = one sourcing
link, buyer ← supplier), the tier table of every party with its role, address and location finding, the
exhibit index (every document numbered by the step it backs: `E-3.2` is step 3's second document, with
its SHA-256), the risk findings with their evidence, list versions and the steps that lead to them, the
gaps, and the missing documents and mass-balance findings of the readiness check.

`build_pack` is a pure function of a TraceResult-shaped subject (a product or a lot trace) and the
records it names, so the same data gives the same pack: every list is sorted and `stamped_at` is taken
from the data, never from the wall clock. The renderers (`app.evidence.render`) only format this model.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from app.evidence.mass_balance import MassBalanceFinding
from app.evidence.readiness import ProductReadiness
from app.screening.model import InXuar
from app.store.base import GraphStore
from app.trace.models import (
    Cycle,
    Finding,
    Hop,
    LotTraceResult,
    MapEdge,
    MapNode,
    ReferenceVersion,
    Role,
    Severity,
    Signal,
    SupplyMap,
    TraceResult,
    Verdict,
)
from graph_schema import Company, Document, DocumentType, Facility

#: Version of the pack's shape; bumped when a field changes meaning, so archived packs stay readable.
PACK_VERSION = "1"

#: The rule whose signals carry the location detector's answer.
LOCATION_RULE = "xuar_location"
#: The reference data set that the location detector judges against.
GAZETTEER = "xuar_gazetteer"

VERDICT_TEXT = {
    Verdict.PRESUMPTION_APPLIES: "the UFLPA rebuttable presumption applies",
    Verdict.NEEDS_REVIEW: "needs review by a person",
    Verdict.INCOMPLETE_TRACE: "incomplete trace: no risk found, but inputs are untraced",
    Verdict.NO_RISK_FOUND: "no risk found on a complete trace",
}
ROLE_TEXT = {
    Role.MANUFACTURE: "makes",
    Role.RESALE: "resells",
    Role.ORIGIN: "originates",
    Role.UNTRACED: "passes on, untraced,",
    Role.PRODUCT: "imports",
}
#: the order documents are listed in within a step: the trade's own order (order, invoice, shipping...)
DOCUMENT_ORDER = {t.value: i for i, t in enumerate(DocumentType)}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class SubjectKind(StrEnum):
    PRODUCT = "product"
    LOT = "lot"


class PackSubject(Model):
    kind: SubjectKind = Field(description="`product` or `lot`.")
    id: str = Field(description="The product's `item_id`, or the lot's ID.")
    name: str = Field(description="The product's name (for a lot: its item's name).")
    product_id: str = Field(description="The traced item: the product itself, or the lot's item.")
    state: str = Field(description="The subject's root state in the trace's supply map.")


class ContentsEntry(Model):
    number: int = Field(description="Section number.")
    anchor: str = Field(description="The section's anchor in the HTML page, e.g. `exhibits`.")
    title: str = Field(description="Section title.")
    entries: int | None = Field(None, description="How many rows the section holds, where it is a table.")


class PackStep(Model):
    """One sourcing link: step N of the supply chain, goods moving from supplier to buyer."""

    step: int = Field(description="Step number, 1 = the importer's purchase; numbered tier by tier.")
    tier: int = Field(description="The supplier's tier on this link: 1 is the importer's direct supplier.")
    item_id: str = Field(description="The item that moves along the link.")
    item_name: str | None = Field(None, description="The item's name.")
    buyer_facility_id: str | None = Field(None, description="The buying facility; empty for the importer.")
    buyer_name: str = Field(description="The buying facility's name, or `importer (<tenant>)`.")
    supplier_facility_id: str | None = Field(None, description="The supplying facility.")
    supplier_name: str = Field(description="The supplying facility's name (its ID if it has none).")
    supplier_company: str | None = Field(None, description="The supplier's operator company.")
    supplier_role: Role = Field(description="What the supplier does with the item: make, resell, originate.")
    supplier_country: str | None = Field(None, description="The supplier's country.")
    share: float | None = Field(None, description="Percent of the buyer's volume from this supplier.")
    sourcing_id: str = Field(description="Identity of the sourcing row: item|supplier|buyer|valid_from.")
    buyer_state: str = Field(description="The buyer's state in the trace's supply map (`item@facility`).")
    supplier_state: str = Field(description="The supplier's state in the trace's supply map.")
    exhibits: list[str] = Field(description="Exhibit numbers of the documents backing this link.")
    risk: Severity | None = Field(None, description="The strongest finding at the supplier, if any.")
    lot_ids: list[str] = Field(
        default_factory=list, description="Lots moving along this link (lot traces, or lot-backed links)."
    )
    quantity: float | None = Field(None, description="In a lot trace: the quantity of the lot consumed.")
    uom: str | None = Field(None, description="Unit of that quantity.")
    cycle: bool = Field(False, description="True if this link closes a loop and was not followed.")
    readiness_score: float | None = Field(
        None, description="Share of the records the checklist requires here that are on file (0..1)."
    )


class LocationFinding(Model):
    in_xuar: InXuar | None = Field(
        description='`true`, `false`, `"uncertain"`; empty for a company that is not a site.'
    )
    summary: str = Field(description="The finding in a sentence, e.g. `no XUAR signal`.")
    evidence: list[str] = Field(
        default_factory=list, description="The detector's signals: field, text and what it matched."
    )
    reference: str | None = Field(None, description="The gazetteer version the site was judged against.")


class PackParty(Model):
    """A row of the tier table: a facility on the chain, or a company behind one (an owner)."""

    party_id: str = Field(description="`facility:<id>` or `company:<id>`.")
    tier: int | None = Field(None, description="The lowest tier the facility appears at; empty for owners.")
    role: str = Field(description="Its role in the chain, e.g. `tier 3: makes Cotton yarn (manufacturing)`.")
    name: str = Field(description="The facility's name, or the company's.")
    company_id: str | None = Field(None, description="The operator (or, for an owner, the company itself).")
    company_name: str | None = Field(None, description="The operator's legal name.")
    name_local: str | None = Field(None, description="The operator's name in the local script.")
    registration_id: str | None = Field(None, description="The operator's registration number.")
    address: str | None = Field(None, description="Street address, city, region, postal code, as loaded.")
    city: str | None = Field(None, description="City or town.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country.")
    steps: list[int] = Field(description="Steps where this party supplies (for owners: their companies').")
    location: LocationFinding = Field(description="Whether the site is in the XUAR, with the evidence.")
    risk: Severity | None = Field(None, description="The strongest finding at this party, if any.")


class Exhibit(Model):
    """A document in the exhibit index, numbered by the first step it backs."""

    number: str = Field(description="`E-<step>.<n>`: the n-th document of that step.", examples=["E-3.2"])
    step: int = Field(description="The first step this document backs.")
    steps: list[int] = Field(description="Every step this document backs.")
    document_id: str = Field(description="The document's ID in the tenant's data.")
    type: str = Field(description="Document type, e.g. `commercial_invoice`.")
    number_on_document: str | None = Field(None, description="The document's own number.")
    issued_on: date | None = Field(None, description="Issue date.")
    issuer_company_id: str | None = Field(None, description="Who issued it.")
    issuer_name: str | None = Field(None, description="The issuer's name.")
    uri: str | None = Field(None, description="Where the document itself can be fetched.")
    sha256: str | None = Field(None, description="Hash of the document file, to prove it was not altered.")
    on_file: bool = Field(description="False if a link names this document but no such record is loaded.")


class PackFinding(Model):
    """One signal of a finding: which rule fired at which facility, on what evidence, against which list."""

    number: str = Field(description="`F-<finding>.<signal>`.", examples=["F-1.1"])
    severity: Severity = Field(description="`presumption` or `review`.")
    facility_id: str = Field(description="The facility at risk.")
    facility_name: str | None = Field(None, description="Its name.")
    company_name: str | None = Field(None, description="Its operator's name.")
    rule: str = Field(description="The rule that fired.")
    subject: str = Field(description="What the rule looked at: `facility:<id>` or `company:<id>`.")
    field: str = Field(description="The field that carried the evidence.")
    value: str = Field(description="The field's value as loaded.")
    matched: str = Field(description="What it matched: a place, a list entry.")
    explanation: str = Field(description="The rule's explanation.")
    reference_name: str | None = Field(None, description="The list or gazetteer, e.g. `UFLPA`.")
    reference: str = Field(description="The list or gazetteer version the rule judged against.")
    evidence: list[str] = Field(description="The detector's evidence: location signals or match features.")
    path_steps: list[int] = Field(description="The steps from the importer to this facility, in order.")
    path: str = Field(description="The same path in words: product ← supplier ← ... ← this facility.")


class PackGap(Model):
    number: str = Field(description="`G-<n>`.")
    reason: str = Field(description="Why the walk stopped (a `GapReason`).")
    item_id: str = Field(description="The untraced input.")
    item_name: str | None = Field(None, description="Its name.")
    at_facility_id: str | None = Field(None, description="Where it is needed; empty for the importer.")
    at_facility_name: str | None = Field(None, description="That facility's name.")
    at_state: str = Field(description="The supply-map state where the input is needed (or the product).")
    explanation: str = Field(description="What is missing, and where.")
    path_steps: list[int] = Field(description="The steps from the importer to where the trace stops.")


class MissingDocument(Model):
    """A record the evidence checklist expects on a step that the data does not have."""

    step: int | None = Field(None, description="The step (sourcing link) lacking it.")
    sourcing_id: str = Field(description="The link's sourcing ID.")
    tier: int = Field(description="The supplier's tier.")
    item_name: str | None = Field(None, description="The item moving on the link.")
    supplier_facility_id: str = Field(description="The supplier.")
    type: str = Field(description="The missing record's type, e.g. `bill_of_lading`.")
    requirement: str = Field(description="`required` (counts towards readiness) or `recommended`.")
    why: str = Field(description="Why CBP expects it there.")


class ReadinessSummary(Model):
    score: float = Field(description="0..1: how ready the evidence is (1 = every required record on file).")
    ready: bool = Field(description="True only when the score is 1.")
    checklist_version: str = Field(description="Version of the evidence checklist applied.")
    sector: str = Field(description="The checklist sector applied.")
    trace_to: str | None = Field(None, description="The sector's trace-to statement and whether it is met.")
    explanation: str = Field(description="How the score was reached.")


class PackCounts(Model):
    steps: int = Field(description="Sourcing links in the trace.")
    undocumented_steps: int = Field(description="Links without a single document.")
    parties: int = Field(description="Rows of the tier table.")
    exhibits: int = Field(description="Documents in the exhibit index.")
    findings: int = Field(description="Facilities at risk.")
    presumption: int = Field(description="Facilities whose findings trigger the presumption.")
    review: int = Field(description="Facilities whose findings need review only.")
    gaps: int = Field(description="Untraced inputs.")
    cycles: int = Field(description="Loops in the supply data.")
    missing_documents: int = Field(description="Records the checklist expects that are not on file.")
    max_tier: int = Field(description="Deepest tier reached.")


class EvidencePack(Model):
    """The submission: everything CBP asks of a supply-chain tracing, from one trace, in a fixed order."""

    pack_version: str = Field(description="Version of this document's shape.")
    subject: PackSubject = Field(description="What the pack is about: a product or a lot.")
    tenant: str = Field(description="Tenant whose data was traced.")
    data_version: str = Field(description="Version of the tenant's data the pack was built from.")
    stamped_at: date = Field(
        description=(
            "The pack's date: the newest date in the data it rests on (reference lists' retrieval, "
            "documents' issue, links' start), never the wall clock, so the same data gives the same pack."
        )
    )
    reference_versions: list[ReferenceVersion] = Field(description="Every list and gazetteer version used.")
    verdict: Verdict = Field(description="The trace's verdict.")
    verdict_text: str = Field(description="The verdict in words.")
    executive_summary: list[str] = Field(description="Paragraphs a person reads first.")
    contents: list[ContentsEntry] = Field(description="Table of contents.")
    counts: PackCounts = Field(description="How much is in each section.")
    steps: list[PackStep] = Field(description="Numbered supply-chain steps, tier by tier.")
    parties: list[PackParty] = Field(description="The tier table: every party with role and location.")
    exhibits: list[Exhibit] = Field(description="The exhibit index, by exhibit number.")
    findings: list[PackFinding] = Field(description="Risk findings, strongest first, one row per signal.")
    gaps: list[PackGap] = Field(description="Inputs that could not be traced to an origin.")
    cycles: list[Cycle] = Field(description="Loops found in the supply data.")
    missing_documents: list[MissingDocument] = Field(
        description="Records the evidence checklist expects that are not on file, by step."
    )
    mass_balance: list[MassBalanceFinding] = Field(description="Quantities that do not add up.")
    readiness: ReadinessSummary | None = Field(None, description="The readiness score, when assessed.")


# -- building ----------------------------------------------------------------------------------------


def build_pack(
    trace: TraceResult,
    documents: Mapping[str, Document],
    companies: Mapping[str, Company],
    facilities: Mapping[str, Facility],
    readiness: ProductReadiness | None = None,
    stamped_at: date | None = None,
) -> EvidencePack:
    """The pack for one trace, from the records it names (`read_trace_records` reads them).

    Pure and deterministic: the service reads the records in the trace's snapshot and passes them in,
    so tests build packs from hand-made records and two builds of the same data are identical. A lot
    trace (`LotTraceResult`) gives a lot's pack.
    """
    lot_id = trace.lot_id if isinstance(trace, LotTraceResult) else None
    smap = trace.supply_map
    nodes = {node.id: node for node in smap.nodes}
    root = _root_id(smap, trace.product_id)
    chain = _Chain(smap, root)
    risk = _facility_risk(trace.findings)
    exhibits, exhibits_by_step = _exhibits(chain.edges, documents, companies)
    hop_scores = {(h.sourcing_id, h.lot_id): h.score for h in readiness.hops} if readiness else {}
    steps = [
        _step(number, edge, nodes, trace.tenant, exhibits_by_step, risk, hop_scores)
        for number, edge in enumerate(chain.edges, 1)
    ]
    steps_at_facility: dict[str, set[int]] = defaultdict(set)
    for step in steps:
        if step.supplier_facility_id is not None:
            steps_at_facility[step.supplier_facility_id].add(step.step)
    findings = _findings(trace, chain)
    parties = _parties(trace, nodes, companies, facilities, steps_at_facility, risk)
    gaps = [
        PackGap(
            number=f"G-{i}",
            reason=gap.reason.value,
            item_id=gap.item_id,
            item_name=gap.item_name,
            at_facility_id=gap.at_facility_id,
            at_facility_name=_facility_name(gap.at_facility_id, facilities),
            at_state=chain.follow(gap.path)[1],
            explanation=gap.explanation,
            path_steps=chain.follow(gap.path)[0],
        )
        for i, gap in enumerate(trace.gaps, 1)
    ]
    step_of_link: dict[tuple[str, str | None], int] = {}
    for step in steps:
        lots: list[str | None] = [*step.lot_ids, None]
        for lot in lots:
            step_of_link.setdefault((step.sourcing_id, lot), step.step)
    missing = _missing_documents(readiness, step_of_link)
    counts = PackCounts(
        steps=len(steps),
        undocumented_steps=sum(1 for s in steps if not s.exhibits and not s.cycle),
        parties=len(parties),
        exhibits=len(exhibits),
        findings=len(trace.findings),
        presumption=sum(1 for f in trace.findings if f.severity is Severity.PRESUMPTION),
        review=sum(1 for f in trace.findings if f.severity is Severity.REVIEW),
        gaps=len(gaps),
        cycles=len(trace.cycles),
        missing_documents=len(missing),
        max_tier=trace.stats.max_tier,
    )
    subject = PackSubject(
        kind=SubjectKind.LOT if lot_id is not None else SubjectKind.PRODUCT,
        id=lot_id if lot_id is not None else trace.product_id,
        name=trace.product_name,
        product_id=trace.product_id,
        state=root,
    )
    summary_of_readiness = _readiness_summary(readiness)
    return EvidencePack(
        pack_version=PACK_VERSION,
        subject=subject,
        tenant=trace.tenant,
        data_version=trace.data_version,
        stamped_at=stamped_at or _data_date(trace, exhibits),
        reference_versions=sorted(trace.reference_versions, key=lambda r: (r.name, r.version)),
        verdict=trace.verdict,
        verdict_text=VERDICT_TEXT[trace.verdict],
        executive_summary=_executive_summary(trace, subject, counts, summary_of_readiness),
        contents=_contents(counts, len(findings)),
        counts=counts,
        steps=steps,
        parties=parties,
        exhibits=exhibits,
        findings=findings,
        gaps=gaps,
        cycles=list(trace.cycles),
        missing_documents=missing,
        mass_balance=sorted(
            readiness.mass_balance if readiness else [],
            key=lambda m: (m.check.value, m.item_id, m.facility_id or "", m.lot_id or ""),
        ),
        readiness=summary_of_readiness,
    )


class TraceRecords(NamedTuple):
    """The tenant's stored records a trace names: what a pack and the auditor's page show beside it."""

    documents: dict[str, Document]
    companies: dict[str, Company]
    facilities: dict[str, Facility]


def read_trace_records(store: GraphStore, tenant: str, trace: TraceResult) -> TraceRecords:
    """Read every record a trace names; call it inside the trace's `store.snapshot()` so that they are
    of the trace's data version.

    One reader for the pack and the auditor's page, so both show the same records: the documents on its
    links and their issuers, every facility of the map and of its gaps with its operator and the
    operator's owner, and every owner a list signal names (the tier table gives their addresses).
    """
    document_ids = {d for edge in trace.supply_map.edges for d in edge.document_ids}
    facility_ids = {n.facility_id for n in trace.supply_map.nodes if n.facility_id}
    facility_ids |= {g.at_facility_id for g in trace.gaps if g.at_facility_id}
    company_ids = {n.company_id for n in trace.supply_map.nodes if n.company_id}
    for finding in trace.findings:
        company_ids |= {s.subject_id for s in finding.signals if s.subject == "company"}
    documents = store.get_documents(tenant, sorted(document_ids))
    facilities = store.get_facilities(tenant, sorted(facility_ids))
    company_ids |= {d.issuer_company_id for d in documents.values() if d.issuer_company_id}
    company_ids |= {f.company_id for f in facilities.values()}
    companies = store.get_companies(tenant, sorted(company_ids))
    owners = {c.parent_company_id for c in companies.values() if c.parent_company_id} - companies.keys()
    if owners:
        companies.update(store.get_companies(tenant, sorted(owners)))
    return TraceRecords(documents, companies, facilities)


def _root_id(smap: SupplyMap, product_id: str) -> str:
    roots = sorted(n.id for n in smap.nodes if n.role is Role.PRODUCT)
    return roots[0] if roots else f"product:{product_id}"


class _Chain:
    """The supply map's links numbered as steps, and evidence paths read back as step numbers."""

    def __init__(self, smap: SupplyMap, root: str) -> None:
        self.root = root
        self.nodes = {n.id: n for n in smap.nodes}
        tiers = {n.id: n.tier for n in smap.nodes}
        #: step N is edges[N - 1]: tier by tier from the importer upstream, then by buyer, item, supplier
        self.edges = sorted(
            smap.edges,
            key=lambda e: (
                tiers.get(e.source, 0) + 1,
                e.source,
                e.item_id,
                e.target,
                e.sourcing_id,
                e.lot_ids,
            ),
        )
        self.out: dict[str, list[tuple[int, MapEdge]]] = defaultdict(list)
        for number, edge in enumerate(self.edges, 1):
            self.out[edge.source].append((number, edge))

    def follow(self, path: Sequence[Hop]) -> tuple[list[int], str]:
        """The steps along an evidence path from the root, and the state it ends at.

        A hop names a facility, an item, a sourcing link and (in lot traces) a lot, not a map state,
        so each is matched among the links leaving the previous state.
        """
        steps: list[int] = []
        state = self.root
        for hop in path:
            best: tuple[int, int, MapEdge] | None = None
            for number, edge in self.out.get(state, []):
                node = self.nodes.get(edge.target)
                if node is None or node.facility_id != hop.facility_id or node.item_id != hop.item_id:
                    continue
                if hop.lot_id is not None and node.lot_id != hop.lot_id:
                    continue
                rank = 0 if edge.sourcing_id == hop.sourcing_id else 1
                if best is None or (rank, number) < best[:2]:
                    best = (rank, number, edge)
            if best is None:
                break
            steps.append(best[1])
            state = best[2].target
        return steps, state


def _facility_risk(findings: Sequence[Finding]) -> dict[str, Severity]:
    out: dict[str, Severity] = {}
    for finding in findings:
        if out.get(finding.facility_id) is not Severity.PRESUMPTION:
            out[finding.facility_id] = finding.severity
    return out


def _step(
    number: int,
    edge: MapEdge,
    nodes: Mapping[str, MapNode],
    tenant: str,
    exhibits_by_step: Mapping[int, list[str]],
    risk: Mapping[str, Severity],
    hop_scores: Mapping[tuple[str, str | None], float],
) -> PackStep:
    buyer, supplier = nodes.get(edge.source), nodes.get(edge.target)
    buyer_facility = buyer.facility_id if buyer else None
    supplier_facility = supplier.facility_id if supplier else None
    return PackStep(
        step=number,
        tier=(buyer.tier if buyer else 0) + 1,
        item_id=edge.item_id,
        item_name=supplier.item_name if supplier else None,
        buyer_facility_id=buyer_facility,
        buyer_name=(buyer.facility_name or buyer_facility)
        if buyer and buyer_facility
        else f"importer ({tenant})",
        supplier_facility_id=supplier_facility,
        supplier_name=(supplier.facility_name or supplier_facility or edge.target)
        if supplier
        else edge.target,
        supplier_company=supplier.company_name if supplier else None,
        supplier_role=supplier.role if supplier else Role.UNTRACED,
        supplier_country=supplier.country if supplier else None,
        share=edge.share,
        sourcing_id=edge.sourcing_id,
        buyer_state=edge.source,
        supplier_state=edge.target,
        exhibits=exhibits_by_step.get(number, []),
        risk=risk.get(supplier_facility) if supplier_facility else None,
        cycle=edge.cycle,
        readiness_score=next(
            (
                hop_scores[k]
                for k in ((edge.sourcing_id, lot) for lot in [*edge.lot_ids, None])
                if k in hop_scores
            ),
            None,
        ),
        lot_ids=list(edge.lot_ids),
        quantity=edge.quantity,
        uom=edge.uom,
    )


def _exhibits(
    edges: Sequence[MapEdge],
    documents: Mapping[str, Document],
    companies: Mapping[str, Company],
) -> tuple[list[Exhibit], dict[int, list[str]]]:
    """Each document once, numbered at the first step it backs; each step lists its exhibits."""
    first: dict[str, str] = {}
    backs: dict[str, list[int]] = defaultdict(list)
    per_step: dict[int, list[str]] = {}
    placed: list[tuple[str, int, str]] = []
    for step, edge in enumerate(edges, 1):
        new_here = 0
        ids = sorted(
            set(edge.document_ids),
            key=lambda d: (DOCUMENT_ORDER.get(_doc_type(documents.get(d)), len(DOCUMENT_ORDER)), d),
        )
        numbers: list[str] = []
        for doc_id in ids:
            backs[doc_id].append(step)
            if doc_id not in first:
                new_here += 1
                first[doc_id] = f"E-{step}.{new_here}"
                placed.append((doc_id, step, first[doc_id]))
            numbers.append(first[doc_id])
        per_step[step] = numbers
    out = []
    for doc_id, step, number in placed:
        doc = documents.get(doc_id)
        issuer = doc.issuer_company_id if doc else None
        out.append(
            Exhibit(
                number=number,
                step=step,
                steps=sorted(set(backs[doc_id])),
                document_id=doc_id,
                type=_doc_type(doc) or "unknown",
                number_on_document=doc.number if doc else None,
                issued_on=doc.issued_on if doc else None,
                issuer_company_id=issuer,
                issuer_name=companies[issuer].name if issuer and issuer in companies else None,
                uri=doc.uri if doc else None,
                sha256=doc.sha256 if doc else None,
                on_file=doc is not None,
            )
        )
    return out, per_step


def _doc_type(doc: Document | None) -> str:
    return doc.type.value if doc is not None else ""


def _path_text(product_name: str, path: Sequence[Hop]) -> str:
    names = [
        product_name,
        *(f"{h.facility_name or h.facility_id} ({h.item_name or h.item_id})" for h in path),
    ]
    return " ← ".join(names)


def _evidence(signal: Signal) -> list[str]:
    if signal.location is not None:
        return [
            f"{s.field} '{s.span}' → {s.matched} (weight {s.weight:g}): {s.explanation}"
            for s in signal.location.signals
        ]
    if signal.match is not None:
        match = signal.match
        return [
            f"{match.list_name} entry {match.entry_id} '{match.entry_name}': score {match.score:.2f}, "
            f"{match.decision.value}",
            *(f"{f.feature} {f.score:+.2f}: {f.detail}" for f in match.explanation),
        ]
    return []


def _findings(trace: TraceResult, chain: _Chain) -> list[PackFinding]:
    names = {r.version: r.name for r in trace.reference_versions}
    out = []
    for i, finding in enumerate(trace.findings, 1):
        path_steps, _ = chain.follow(finding.path)
        path = _path_text(trace.product_name, finding.path)
        for j, signal in enumerate(finding.signals, 1):
            out.append(
                PackFinding(
                    number=f"F-{i}.{j}",
                    severity=signal.severity,
                    facility_id=finding.facility_id,
                    facility_name=finding.facility_name,
                    company_name=finding.company_name,
                    rule=signal.rule,
                    subject=f"{signal.subject}:{signal.subject_id}",
                    field=signal.field,
                    value=signal.value,
                    matched=signal.matched,
                    explanation=signal.explanation,
                    reference_name=names.get(signal.reference),
                    reference=signal.reference,
                    evidence=_evidence(signal),
                    path_steps=path_steps,
                    path=path,
                )
            )
    return out


def _address(facility: Facility | None, company: Company | None) -> str | None:
    if facility is not None:
        parts = [facility.address, facility.city, facility.region, facility.postal_code]
    elif company is not None:
        parts = [company.address]
    else:
        return None
    text = ", ".join(p for p in parts if p)
    return text or None


def _location(trace: TraceResult, facility_id: str, gazetteer: str | None) -> LocationFinding:
    for finding in trace.findings:
        if finding.facility_id != facility_id:
            continue
        for signal in finding.signals:
            if signal.rule == LOCATION_RULE and signal.location is not None:
                result = signal.location
                where = {True: "in the XUAR", False: "not in the XUAR", "uncertain": "uncertain"}
                return LocationFinding(
                    in_xuar=result.in_xuar,
                    summary=f"{where[result.in_xuar]} (confidence {result.confidence:.2f}): "
                    f"{signal.explanation}",
                    evidence=[f"{s.field} '{s.span}' → {s.matched}" for s in result.signals],
                    reference=result.gazetteer_version,
                )
    return LocationFinding(
        in_xuar=False,
        summary="no XUAR signal: nothing in the site's address, coordinates or registration places it there",
        reference=gazetteer,
    )


def _parties(
    trace: TraceResult,
    nodes: Mapping[str, MapNode],
    companies: Mapping[str, Company],
    facilities: Mapping[str, Facility],
    steps_at_facility: Mapping[str, set[int]],
    risk: Mapping[str, Severity],
) -> list[PackParty]:
    gazetteer = next((r.version for r in trace.reference_versions if r.name == GAZETTEER), None)
    states: dict[str, list[MapNode]] = defaultdict(list)
    for node in nodes.values():
        if node.facility_id:
            states[node.facility_id].append(node)
    parties: list[PackParty] = []
    for facility_id, at in states.items():
        at.sort(key=lambda n: (n.tier, n.item_id))
        facility = facilities.get(facility_id)
        company = companies.get(at[0].company_id or "")
        activity = at[0].activity or (facility.activity.value if facility else None)
        roles = "; ".join(f"tier {n.tier}: {ROLE_TEXT[n.role]} {n.item_name or n.item_id}" for n in at) + (
            f" ({activity})" if activity else ""
        )
        parties.append(
            PackParty(
                party_id=f"facility:{facility_id}",
                tier=at[0].tier,
                role=roles,
                name=at[0].facility_name or facility_id,
                company_id=at[0].company_id,
                company_name=at[0].company_name,
                name_local=company.name_local if company else None,
                registration_id=company.registration_id if company else None,
                address=_address(facility, company),
                city=facility.city if facility else at[0].city,
                country=facility.country if facility else at[0].country,
                steps=sorted(steps_at_facility.get(facility_id, set())),
                location=_location(trace, facility_id, gazetteer),
                risk=risk.get(facility_id),
            )
        )
    operators = {n.company_id for n in nodes.values() if n.company_id}
    owners: dict[str, tuple[Severity, set[str]]] = {}
    for finding in trace.findings:
        for signal in finding.signals:
            if signal.subject == "company" and signal.subject_id not in operators:
                severity, of = owners.get(signal.subject_id, (signal.severity, set()))
                if signal.severity is Severity.PRESUMPTION:
                    severity = Severity.PRESUMPTION
                owners[signal.subject_id] = (severity, of | {finding.facility_id})
    for company_id, (severity, of) in owners.items():
        company = companies.get(company_id)
        parties.append(
            PackParty(
                party_id=f"company:{company_id}",
                role="owner up the ownership chain of the operator of " + ", ".join(sorted(of)),
                name=company.name if company else company_id,
                company_id=company_id,
                company_name=company.name if company else None,
                name_local=company.name_local if company else None,
                registration_id=company.registration_id if company else None,
                address=_address(None, company),
                country=company.country if company else None,
                steps=sorted({s for f in of for s in steps_at_facility.get(f, set())}),
                location=LocationFinding(
                    in_xuar=None, summary="a company, not a site: screened against the lists, not located"
                ),
                risk=severity,
            )
        )
    return sorted(parties, key=lambda p: (p.tier is None, p.tier or 0, p.name, p.party_id))


def _facility_name(facility_id: str | None, facilities: Mapping[str, Facility]) -> str | None:
    if facility_id is None:
        return None
    facility = facilities.get(facility_id)
    return (facility.name or facility_id) if facility else facility_id


def _missing_documents(
    readiness: ProductReadiness | None, step_of_link: Mapping[tuple[str, str | None], int]
) -> list[MissingDocument]:
    if readiness is None:
        return []
    out = []
    for hop in readiness.hops:
        for expected in hop.expected:
            if expected.present:
                continue
            out.append(
                MissingDocument(
                    step=step_of_link.get((hop.sourcing_id, hop.lot_id)),
                    sourcing_id=hop.sourcing_id,
                    tier=hop.tier,
                    item_name=hop.item_name,
                    supplier_facility_id=hop.supplier_facility_id,
                    type=expected.type,
                    requirement=expected.requirement.value,
                    why=expected.why,
                )
            )
    return sorted(out, key=lambda m: (m.step is None, m.step or 0, m.sourcing_id, m.requirement, m.type))


def _readiness_summary(readiness: ProductReadiness | None) -> ReadinessSummary | None:
    if readiness is None:
        return None
    trace_to = None
    if readiness.trace_to is not None:
        met = "met" if readiness.trace_to.met else "not met"
        trace_to = f"{readiness.trace_to.statement} ({met}): {readiness.trace_to.explanation}"
    return ReadinessSummary(
        score=readiness.score,
        ready=readiness.ready,
        checklist_version=readiness.checklist_version,
        sector=readiness.sector,
        trace_to=trace_to,
        explanation=readiness.explanation,
    )


def _data_date(trace: TraceResult, exhibits: Sequence[Exhibit]) -> date:
    """The newest date the pack's data carries: what `stamped_at` is when the caller gives none."""
    dates = [e.issued_on for e in exhibits if e.issued_on is not None]
    for ref in trace.reference_versions:
        if ref.retrieved_on:
            dates.append(date.fromisoformat(ref.retrieved_on[:10]))
    for edge in trace.supply_map.edges:
        valid_from = edge.sourcing_id.rsplit("|", 1)[-1]
        if len(valid_from) == 10:
            with contextlib.suppress(ValueError):
                dates.append(date.fromisoformat(valid_from))
    return max(dates, default=date(1970, 1, 1))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _executive_summary(
    trace: TraceResult, subject: PackSubject, counts: PackCounts, readiness: ReadinessSummary | None
) -> list[str]:
    what = (
        f"lot {subject.id} of {trace.product_name} ({trace.product_id})"
        if subject.kind is SubjectKind.LOT
        else f"{trace.product_name} ({trace.product_id})"
    )
    lists = ", ".join(
        f"{r.name} {r.version}" for r in trace.reference_versions if r.name in ("UFLPA", GAZETTEER)
    )
    paragraphs = [
        f"This pack documents the supply chain of {what}, imported by tenant {trace.tenant}, as recorded "
        f"in data version {trace.data_version}. The trace followed {_plural(counts.steps, 'sourcing link')} "
        f"through {_plural(counts.parties, 'party', 'parties')} up to tier {counts.max_tier}, and screened "
        f"every facility for location in the Xinjiang Uyghur Autonomous Region (XUAR) and every operator "
        f"and owner against the screening lists in force ({lists or 'see the reference versions'}).",
        f"Verdict: {VERDICT_TEXT[trace.verdict]}. {trace.summary}",
    ]
    if counts.findings:
        paragraphs.append(
            f"{_plural(counts.findings, 'facility', 'facilities')} on the chain "
            f"{'is' if counts.findings == 1 else 'are'} at risk: {counts.presumption} trigger the "
            f"presumption and {counts.review} need review. Section 5 gives each rule's evidence, the list "
            f"or gazetteer version it used and the numbered steps that lead to the facility."
        )
    else:
        paragraphs.append("No facility on the chain triggered a risk rule.")
    missing = [
        f"{_plural(counts.gaps, 'input')} could not be traced to an origin"
        if counts.gaps
        else "every input was traced to an origin",
        f"{_plural(counts.undocumented_steps, 'step')} of {counts.steps} "
        f"{'has' if counts.undocumented_steps == 1 else 'have'} no document on file",
    ]
    if readiness is not None:
        missing.append(
            f"the evidence checklist ({readiness.checklist_version}) finds "
            f"{_plural(counts.missing_documents, 'expected record')} missing, a readiness score of "
            f"{readiness.score:.0%}"
        )
    if counts.cycles:
        missing.append(
            f"{_plural(counts.cycles, 'loop')} in the supply data "
            f"{'was' if counts.cycles == 1 else 'were'} reported and not followed"
        )
    paragraphs.append("What is missing: " + "; ".join(missing) + ".")
    paragraphs.append(
        f"{_plural(counts.exhibits, 'document')} {'is' if counts.exhibits == 1 else 'are'} indexed as "
        f"exhibits, numbered by the step they back (E-3.2 is the second document of step 3), each with "
        f"its reference number and SHA-256 hash so the file can be checked against this index."
    )
    return paragraphs


def _contents(counts: PackCounts, finding_rows: int) -> list[ContentsEntry]:
    sections = [
        ("summary", "Executive summary", None),
        ("flow-chart", "Supply-chain flow chart", None),
        ("steps", "Supply-chain steps", counts.steps),
        ("parties", "Parties by tier", counts.parties),
        ("findings", "Risk findings and their evidence", finding_rows),
        ("gaps", "Gaps and missing documents", counts.gaps + counts.missing_documents),
        ("exhibits", "Exhibit index", counts.exhibits),
        ("references", "Reference data versions", None),
    ]
    return [
        ContentsEntry(number=i, anchor=anchor, title=title, entries=n)
        for i, (anchor, title, n) in enumerate(sections, 1)
    ]
