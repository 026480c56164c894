"""Lots from GS1 EPCIS: loading a document, reading a lot, tracing it, and marking product traces.

A product's bill of materials says what *could* be inside; lots say what *is*. An EPCIS document
(validated by `loaders.epcis`) becomes `LotEvent`s and the `Lot`s they name; each lot's facts (where it
was made, its quantity, where it was recorded) are derived from all of its events, so a later document
that adds events to a lot refines it. A load is all or nothing, changes nothing when repeated, and moves
the tenant's data version like a bundle, so cached traces refresh.

A lot's trace walks its recorded inputs (`MADE_FROM`) upstream with the same rules as a product's
trace and builds the same document (`LotTraceResult`), so evidence packs and views treat both alike:
- the facility where a lot was made goes through every rule, once per facility, and so does every
  trading or warehouse site where an event recorded a lot made elsewhere: a lot stored in the XUAR is
  judged as the product walk judges such a site there (a producing site that only received a lot made
  something downstream of it, and is not judged for it);
- a lot with inputs follows them; a lot without recorded inputs of a component its item's bill of
  materials names is a gap (`lot_inputs_not_recorded`); a lot of an item without a bill of materials,
  made at a producing site, is an origin (a trading or warehouse site originates nothing, as in the
  product walk); a lot no event says was made or commissioned anywhere is a gap (`lot_origin_unknown`);
- a loop of lots is reported as a cycle; one without an input from outside it is a gap.

A product trace is marked afterwards (`mark_lot_backed`): each link lists the lots of its item recorded
at the supplier and then at the buyer, so a reader sees which paths lot records back.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from app.errors import BadRequestError, NotFoundError, Problem
from app.perf import gc_paused
from app.store.base import GraphStore, KeyLookup, LotLink
from app.trace.models import (
    Cycle,
    DocumentRef,
    Finding,
    Gap,
    GapReason,
    Hop,
    LotGapReason,
    LotTraceResult,
    MapEdge,
    MapNode,
    ReferenceVersion,
    Role,
    Severity,
    Signal,
    SupplyMap,
    TraceResult,
    TraceStats,
)
from app.trace.rules import FacilityContext, RiskRule, company_subject
from app.trace.walk import SEVERITY_RANK, TraceCache, facility_location, find_cycles, judge, site_fields
from graph_schema import Document, Facility, Sourcing
from graph_schema.records import EpcisEventType, Lot, LotEvent
from loaders.epcis import (
    TG_DOCUMENT,
    TG_ITEM,
    EpcisInvalidError,
    IdentifierError,
    canonical_lot_id,
    parse_product,
    validate_epcis,
)

# -- loading -----------------------------------------------------------------------------------------


class Counts(BaseModel):
    created: int = Field(description="Did not exist before.")
    updated: int = Field(description="Existed and changed.")
    unchanged: int = Field(description="Identical to what was stored.")


class LinkedDocument(BaseModel):
    event_id: str = Field(description="The event whose business transaction named the document.")
    transaction: str = Field(description="The business transaction's identifier.")
    document_ids: list[str] = Field(description="The tenant's documents it was matched to.")


class EpcisLoadReport(BaseModel):
    """What loading an EPCIS document did."""

    tenant: str = Field(description="Tenant the document was loaded for.")
    document: str = Field(description="Name of the loaded document.")
    changed: bool = Field(description="False when the document matched the stored events exactly.")
    data_version: str = Field(description="The tenant's data version after the load.")
    previous_data_version: str = Field(description="The tenant's data version before the load.")
    events_received: int = Field(description="Events in the document.")
    events: Counts = Field(description="Events created, updated (same eventID, new content), unchanged.")
    lots: Counts = Field(description="Lots created, updated (new facts from new events), unchanged.")
    documents_linked: list[LinkedDocument] = Field(
        description="Business transactions matched to the tenant's documents by type and number."
    )
    warnings: list[str] = Field(description="Identifiers skipped (no lot), with their JSON pointers.")


def _utc(event: LotEvent) -> Any:
    return event.event_time.astimezone(UTC)


def _order(event: LotEvent) -> tuple[Any, str]:
    return (_utc(event), event.event_id)


def derive_lot(lot_id: str, item_id: str, lot: str, events: Iterable[LotEvent]) -> Lot:
    """A lot's facts from all of its events: where and in which event it was made (the first
    TransformationEvent that output it, else the first ObjectEvent that ADDed it), how much, and every
    facility that recorded it, first seen first."""
    ordered = sorted((e for e in events if lot_id in e.lot_ids), key=_order)
    made = next((e for e in ordered if any(q.lot_id == lot_id for q in e.outputs)), None)
    if made is None:
        made = next(
            (e for e in ordered if e.type is EpcisEventType.OBJECT and e.action == "ADD"),
            None,
        )
    quantity = None
    if made is not None:
        quantity = next(q for q in (*made.outputs, *made.lots) if q.lot_id == lot_id)
    return Lot(
        lot_id=lot_id,
        item_id=item_id,
        lot=lot,
        quantity=quantity.quantity if quantity else None,
        uom=quantity.uom if quantity else None,
        facility_id=made.facility_id if made else None,
        made_in_event_id=made.event_id if made else None,
        first_event_time=_utc(ordered[0]) if ordered else None,
        last_event_time=_utc(ordered[-1]) if ordered else None,
        facility_ids=list(dict.fromkeys(e.facility_id for e in ordered if e.facility_id)),
        event_ids=[e.event_id for e in ordered],
    )


def derive_links(lot_id: str, events: Iterable[LotEvent]) -> list[LotLink]:
    """The inputs a lot was made from, per input lot the first TransformationEvent that says so."""
    links: dict[str, LotLink] = {}
    for event in sorted(events, key=_order):
        if not any(q.lot_id == lot_id for q in event.outputs):
            continue
        for q in event.inputs:
            if q.lot_id != lot_id:
                links.setdefault(q.lot_id, LotLink(lot_id, q.lot_id, event.event_id, q.quantity, q.uom))
    return [links[k] for k in sorted(links)]


def load_epcis(store: GraphStore, tenant: str, doc: Any, name: str = "epcis.json") -> EpcisLoadReport:
    """Validate and load an EPCIS document; `EpcisInvalidError` lists every problem, nothing written.

    Events are upserted by event ID; every lot they touch is re-derived from all of its events (stored
    and new), so a document adding a shipment to last week's lot updates that lot.
    """
    parsed = validate_epcis(doc, store, tenant, name)
    if parsed.problems:
        raise EpcisInvalidError(parsed.problems)
    previous = store.data_version(tenant)
    incoming = {e.event_id: e for e in parsed.events}
    stored_events = store.get_lot_events(tenant, sorted(incoming))
    changed = [
        e
        for e in parsed.events
        if (old := stored_events.get(e.event_id)) is None or old.to_props() != e.to_props()
    ]
    created_events = sum(1 for e in changed if e.event_id not in stored_events)

    touched = {lot_id for e in changed for lot_id in e.lot_ids}
    touched |= {lot_id for e in changed if (old := stored_events.get(e.event_id)) for lot_id in old.lot_ids}
    stored_lots = store.get_lots(tenant, sorted(touched))
    clashes = [
        Problem(
            name, None, None, f"lot ID {lot_id} is stored for item {old.item_id}, lot {old.lot!r}", None, "/"
        )
        for lot_id, old in stored_lots.items()
        if lot_id in parsed.lots and parsed.lots[lot_id] != (old.item_id, old.lot)
    ]
    if clashes:
        raise EpcisInvalidError(clashes)
    # Every event of every touched lot: the stored ones (as stored, unless this document changes them).
    wanted = {eid for lot in stored_lots.values() for eid in lot.event_ids} - incoming.keys()
    events = {**store.get_lot_events(tenant, sorted(wanted)), **{e.event_id: e for e in changed}}
    for e in parsed.events:
        events.setdefault(e.event_id, e)
    by_lot: dict[str, list[LotEvent]] = defaultdict(list)
    for event in events.values():
        for lot_id in event.lot_ids:
            if lot_id in touched:
                by_lot[lot_id].append(event)
    stored_links = defaultdict(list)
    for link in store.get_lot_links(tenant, sorted(touched)):
        if link.output_lot_id in touched:
            stored_links[link.output_lot_id].append(link)

    lots: list[Lot] = []
    links: list[LotLink] = []
    created_lots = updated_lots = 0
    for lot_id in sorted(touched):
        was = stored_lots.get(lot_id)
        item_id, lot_number = parsed.lots.get(lot_id) or (was.item_id, was.lot)  # type: ignore[union-attr]
        lot = derive_lot(lot_id, item_id, lot_number, by_lot[lot_id])
        lot_links = derive_links(lot_id, by_lot[lot_id])
        if was is None or was.to_props() != lot.to_props() or stored_links[lot_id] != lot_links:
            created_lots += was is None
            updated_lots += was is not None
            lots.append(lot)
            links.extend(lot_links)
    named = len(parsed.lots)
    version = previous
    if changed or lots:
        digest = hashlib.sha256(previous.encode())
        for record in (*changed, *lots):
            digest.update(json.dumps(record.to_props(), sort_keys=True, ensure_ascii=False).encode())
        version = digest.hexdigest()[:16]
        store.write_lots(tenant, lots, changed, links, version)
    unchanged_lots = max(0, named - created_lots - updated_lots)
    return EpcisLoadReport(
        tenant=tenant,
        document=name,
        changed=version != previous,
        data_version=version,
        previous_data_version=previous,
        events_received=parsed.received,
        events=Counts(
            created=created_events,
            updated=len(changed) - created_events,
            unchanged=len(parsed.events) - len(changed),
        ),
        lots=Counts(created=created_lots, updated=updated_lots, unchanged=unchanged_lots),
        documents_linked=[
            LinkedDocument(event_id=e.event_id, transaction=bt.id, document_ids=bt.document_ids)
            for e in parsed.events
            for bt in e.biz_transactions
            if bt.document_ids
        ],
        warnings=parsed.warnings,
    )


# -- reading -----------------------------------------------------------------------------------------


class LotPage(BaseModel):
    items: list[Lot] = Field(description="Lots in ID order.")
    next_offset: int | None = Field(
        None, description="Pass as `offset` for the next page; absent at the end."
    )


class LotRef(BaseModel):
    lot_id: str = Field(description="The other lot.")
    item_id: str | None = Field(None, description="Its item.")
    event_id: str = Field(description="The TransformationEvent linking the two.")
    quantity: float | None = Field(None, description="Quantity of the input used.")
    uom: str | None = Field(None, description="Unit of that quantity.")


class LotDetail(BaseModel):
    """A lot with everything recorded about it."""

    lot: Lot = Field(description="The lot and its derived facts.")
    item_name: str | None = Field(None, description="Its item's name.")
    events: list[LotEvent] = Field(description="Every event that names it, earliest first.")
    inputs: list[LotRef] = Field(description="Lots it was made from.")
    outputs: list[LotRef] = Field(description="Lots made from it.")
    documents: list[DocumentRef] = Field(description="Documents its events' business transactions name.")


def resolve_lot_id(store: GraphStore, tenant: str, text: str) -> str:
    """The canonical ID of what a caller typed: the ID itself, or any identifier form of the lot
    (`urn:epc:class:lgtin:…`, `urn:tracegraph:item:…:lot:…`), so a scanned code finds its lot."""
    try:
        key = parse_product(text)
    except IdentifierError:
        return text
    if key is None or key.lot is None:
        return text
    if key.kind == "item":
        return canonical_lot_id(key.value, key.lot)
    found = store.find_keys(tenant, KeyLookup.ITEM_GTIN, [key.value]).get(key.value, [])
    return canonical_lot_id(found[0], key.lot) if len(found) == 1 else text


def _document_ref(doc: Document) -> DocumentRef:
    return DocumentRef(
        document_id=doc.document_id,
        type=doc.type.value,
        number=doc.number,
        issued_on=doc.issued_on.isoformat() if doc.issued_on else None,
        uri=doc.uri,
        sha256=doc.sha256,
    )


def list_lots(
    store: GraphStore, tenant: str, item_id: str | None, q: str | None, offset: int, limit: int
) -> LotPage:
    """A page of lots; one more is read to know whether another page follows."""
    found = store.list_lots(tenant, item_id=item_id, q=q or None, offset=offset, limit=limit + 1)
    more = len(found) > limit
    return LotPage(items=found[:limit], next_offset=offset + limit if more else None)


def get_lot(store: GraphStore, tenant: str, lot_id: str) -> LotDetail:
    """The lot, its events, inputs, outputs and documents; `NotFoundError` for an unknown lot."""
    with store.snapshot():
        lot = store.get_lots(tenant, [lot_id]).get(lot_id)
        if lot is None:
            raise NotFoundError(f"lot '{lot_id}' is not recorded for tenant '{tenant}'")
        events = store.get_lot_events(tenant, lot.event_ids)
        links = store.get_lot_links(tenant, [lot_id])
        others = store.get_lots(tenant, {k.input_lot_id for k in links} | {k.output_lot_id for k in links})
        item = store.get_items(tenant, [lot.item_id]).get(lot.item_id)
        ordered = sorted(events.values(), key=_order)
        docs = store.get_documents(tenant, {d for e in ordered for d in e.document_ids})

    def ref(other: str, link: LotLink) -> LotRef:
        found = others.get(other)
        return LotRef(
            lot_id=other,
            item_id=found.item_id if found else None,
            event_id=link.event_id,
            quantity=link.quantity,
            uom=link.uom,
        )

    return LotDetail(
        lot=lot,
        item_name=item.name if item else None,
        events=ordered,
        inputs=[ref(k.input_lot_id, k) for k in links if k.output_lot_id == lot_id],
        outputs=[ref(k.output_lot_id, k) for k in links if k.input_lot_id == lot_id],
        documents=[_document_ref(docs[d]) for d in sorted(docs)],
    )


def attachment_document(lot: Lot, documents: Sequence[Document]) -> dict[str, Any]:
    """An EPCIS 2.0 document recording that `documents` concern `lot`: one ObjectEvent (OBSERVE) whose
    business transactions name each document by ID (`urn:tracegraph:document:<id>`).

    Why an event and not a property: a lot's documents are those its events cite, so an attachment made
    later is one more event, loaded, diffed and versioned like any other, and visible in the lot's
    history. The event's ID and time follow from the lot and the documents alone (the time is the newest
    issue date among them, else the lot's last event), so attaching the same documents again changes
    nothing.
    """
    ids = sorted(d.document_id for d in documents)
    digest = hashlib.sha256(json.dumps([lot.lot_id, ids]).encode()).hexdigest()[:32]
    issued = [d.issued_on for d in documents if d.issued_on is not None]
    if issued:
        when = f"{max(issued).isoformat()}T00:00:00Z"
    elif lot.last_event_time is not None:
        when = lot.last_event_time.astimezone(UTC).isoformat().replace("+00:00", "Z")
    else:
        when = "1970-01-01T00:00:00Z"
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": when,
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventID": f"urn:tracegraph:attachment:{digest}",
                    "eventTime": when,
                    "eventTimeZoneOffset": "+00:00",
                    "action": "OBSERVE",
                    "epcList": [f"{TG_ITEM}{lot.item_id}:lot:{lot.lot}"],
                    "bizTransactionList": [{"bizTransaction": f"{TG_DOCUMENT}{d}"} for d in ids],
                }
            ]
        },
    }


def attach_documents(
    store: GraphStore, tenant: str, lot_id: str, document_ids: Sequence[str]
) -> EpcisLoadReport:
    """Attach stored documents to a lot (see `attachment_document`); `NotFoundError` names what is unknown."""
    if not document_ids:
        raise BadRequestError("name at least one document to attach")
    lot = store.get_lots(tenant, [lot_id]).get(lot_id)
    if lot is None:
        raise NotFoundError(f"lot '{lot_id}' is not recorded for tenant '{tenant}'")
    documents = store.get_documents(tenant, set(document_ids))
    missing = sorted(set(document_ids) - set(documents))
    if missing:
        raise NotFoundError(f"no document {', '.join(map(repr, missing))} for tenant '{tenant}'")
    return load_epcis(
        store, tenant, attachment_document(lot, list(documents.values())), f"documents attached to {lot_id}"
    )


# -- the lot trace -----------------------------------------------------------------------------------

ROOT_PREFIX = "lot:"


def _node_id(lot: Lot) -> str:
    return f"{lot.lot_id}@{lot.facility_id or '?'}"


class _LotWalk:
    """Everything read for one lot trace: the lots upstream, their links, events and documents."""

    def __init__(self, store: GraphStore, tenant: str, root: Lot) -> None:
        self.lots: dict[str, Lot] = {root.lot_id: root}
        self.inputs: dict[str, list[LotLink]] = defaultdict(list)
        self.tiers: dict[str, int] = {root.lot_id: 1}
        frontier = [root.lot_id]
        tier = 1
        while frontier:  # one round trip for the links of a whole tier, one for the lots they reach
            reached: set[str] = set()
            for link in store.get_lot_links(tenant, frontier):
                if link.output_lot_id in frontier:
                    self.inputs[link.output_lot_id].append(link)
                    if link.input_lot_id not in self.tiers:
                        self.tiers[link.input_lot_id] = tier + 1
                        reached.add(link.input_lot_id)
            self.lots.update(store.get_lots(tenant, sorted(reached)))
            frontier = sorted(reached & self.lots.keys())
            tier += 1
        self.events = store.get_lot_events(tenant, {e for lot in self.lots.values() for e in lot.event_ids})
        self.documents = store.get_documents(
            tenant, {d for e in self.events.values() for d in e.document_ids}
        )

    def documents_of(self, lot: Lot) -> list[DocumentRef]:
        ids = sorted({d for e in lot.event_ids if (ev := self.events.get(e)) for d in ev.document_ids})
        return [_document_ref(self.documents[d]) for d in ids if d in self.documents]


def trace_lot(store: GraphStore, tenant: str, lot_id: str, rules: Sequence[RiskRule]) -> LotTraceResult:
    """Walk a lot's recorded inputs upstream and judge it; `NotFoundError` for an unknown lot.

    All reads happen in one store snapshot, like a product trace.
    """
    with store.snapshot(), gc_paused():
        return _trace_lot(store, tenant, lot_id, rules)


def _trace_lot(store: GraphStore, tenant: str, lot_id: str, rules: Sequence[RiskRule]) -> LotTraceResult:
    data_version = store.data_version(tenant)
    root = store.get_lots(tenant, [lot_id]).get(lot_id)
    if root is None:
        raise NotFoundError(f"lot '{lot_id}' is not recorded for tenant '{tenant}'")
    walk = _LotWalk(store, tenant, root)
    cache = TraceCache(store, tenant)
    lots = walk.lots
    # Every site an event recorded a lot at: where it was made, and where it only passed (a trader, a
    # warehouse, a port), which the rules judge as the product walk judges a trading or warehouse site.
    cache.facilities.update(
        store.get_facilities(
            tenant,
            {lot.facility_id for lot in lots.values() if lot.facility_id}
            | {f for lot in lots.values() for f in lot.facility_ids},
        )
    )
    cache.load_owners({f.company_id for f in cache.facilities.values()})
    items = {lot.item_id for lot in lots.values()}
    cache.load_boms(items)
    cache.load_items(items | {line.component_item_id for i in items for line in cache.bom.get(i, [])})

    # Roles and gaps, lot by lot.
    roles: dict[str, Role] = {}
    gaps: list[tuple[str, str, GapReason | LotGapReason]] = []  # (lot, untraced item, reason)
    for lid in sorted(lots):
        lot = lots[lid]
        fac = cache.facilities.get(lot.facility_id) if lot.facility_id else None
        if lot.facility_id is None:
            roles[lid] = Role.UNTRACED
            gaps.append((lid, lot.item_id, LotGapReason.LOT_ORIGIN_UNKNOWN))
            continue
        if fac is None:
            roles[lid] = Role.UNTRACED
            gaps.append((lid, lot.item_id, GapReason.UNKNOWN_FACILITY))
            continue
        recorded = {lots[k.input_lot_id].item_id for k in walk.inputs.get(lid, []) if k.input_lot_id in lots}
        bom = cache.bom.get(lot.item_id, [])
        missing = [line.component_item_id for line in bom if line.component_item_id not in recorded]
        gaps.extend((lid, component, LotGapReason.LOT_INPUTS_NOT_RECORDED) for component in missing)
        if walk.inputs.get(lid):
            roles[lid] = Role.MANUFACTURE
        elif bom:
            roles[lid] = Role.UNTRACED
        elif fac.activity.originates:
            roles[lid] = Role.ORIGIN
        else:
            roles[lid] = Role.UNTRACED
            gaps.append((lid, lot.item_id, GapReason.NON_ORIGINATING_SITE))
    # Input lots never loaded as lots (cannot happen after a validated load) are untraced too.
    for lid, links in walk.inputs.items():
        for link in links:
            if link.input_lot_id not in lots:
                gaps.append((lid, link.input_lot_id, LotGapReason.LOT_ORIGIN_UNKNOWN))

    back, raw_cycles = find_cycles(
        root.lot_id, lambda lot: [(link.input_lot_id, link.input_lot_id) for link in walk.inputs.get(lot, [])]
    )
    if back:
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(lots)
        graph.add_edges_from(
            (o, k.input_lot_id) for o, ks in walk.inputs.items() for k in ks if k.input_lot_id in lots
        )
        for component in nx.strongly_connected_components(graph):
            members = set(component)
            if len(members) == 1 and not graph.has_edge(*(2 * tuple(members))):
                continue
            if not any(t not in members for m in members for t in graph.successors(m)):
                entry = min(members, key=lambda m: (walk.tiers[m], m))
                gaps.append((entry, lots[entry].item_id, GapReason.ONLY_CYCLIC_SUPPLY))
                for m in members:
                    roles[m] = Role.UNTRACED

    # Shortest evidence paths (over links that close no cycle), as in the product walk.
    parent: dict[str, tuple[str, LotLink]] = {}
    seen = {root.lot_id}
    frontier = [root.lot_id]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for link in sorted(walk.inputs.get(node, []), key=lambda k: k.input_lot_id):
                target = link.input_lot_id
                if (node, target) in back or target in seen or target not in lots:
                    continue
                seen.add(target)
                parent[target] = (node, link)
                following.append(target)
        frontier = sorted(following)

    # The sourcing rows that match each hop: the lot's item from its maker to the consuming lot's maker.
    def buyer_of(lid: str) -> str:
        if lid == root.lot_id:
            return ""
        return lots[parent[lid][0]].facility_id or "" if lid in parent else ""

    wanted_rows = {(buyer_of(lid), lots[lid].item_id) for lid in lots}
    rows = store.get_sourcing(tenant, sorted(wanted_rows))

    def sourcing_for(lid: str, buyer: str) -> Sourcing | None:
        lot = lots[lid]
        match = [s for s in rows.get((buyer, lot.item_id), []) if s.supplier_facility_id == lot.facility_id]
        return match[0] if match else None

    def hop(tier: int, lid: str) -> Hop:
        lot = lots[lid]
        fac = cache.facilities.get(lot.facility_id) if lot.facility_id else None
        company = cache.companies.get(fac.company_id) if fac else None
        item = cache.items.get(lot.item_id)
        row = sourcing_for(lid, buyer_of(lid))
        made = walk.events.get(lot.made_in_event_id) if lot.made_in_event_id else None
        return Hop(
            tier=tier,
            item_id=lot.item_id,
            item_name=item.name if item else None,
            facility_id=lot.facility_id or "",
            facility_name=fac.name if fac else None,
            activity=fac.activity.value if fac else None,
            company_id=fac.company_id if fac else None,
            company_name=company.name if company else None,
            location=facility_location(fac) if fac else None,
            sourcing_id=row.sourcing_id if row else "",
            share=row.share if row else None,
            valid_from=row.valid_from.isoformat() if row and row.valid_from else None,
            valid_to=row.valid_to.isoformat() if row and row.valid_to else None,
            documents=walk.documents_of(lot),
            lot_ids=[lid],
            lot_id=lid,
            event_id=lot.made_in_event_id,
            event_time=made.event_time.isoformat() if made else None,
            quantity=lot.quantity,
            uom=lot.uom,
        )

    def chain(lid: str) -> list[str]:
        out = [lid]
        while out[-1] in parent:
            out.append(parent[out[-1]][0])
        return list(reversed(out))

    def path(lid: str) -> list[Hop]:
        return [hop(i, x) for i, x in enumerate(chain(lid), start=1)]

    # Risk: every making facility once, through every rule; then every trading or warehouse site lots
    # only passed through (no lot of this trace was made there), with the lots it handled.
    by_facility: dict[str, list[str]] = defaultdict(list)
    ordered = sorted(lots, key=lambda x: (walk.tiers[x], x))
    for lid in ordered:
        if lots[lid].facility_id in cache.facilities:
            by_facility[str(lots[lid].facility_id)].append(lid)
    makers = set(by_facility)
    for lid in ordered:
        for site in lots[lid].facility_ids:
            fac = cache.facilities.get(site)
            # Only sites that handle goods without making anything: a producing site that merely
            # recorded a lot received it to make something downstream, which is not this lot's origin.
            if fac is None or site in makers or fac.activity.originates or lid in by_facility[site]:
                continue
            by_facility[site].append(lid)
    reviews = store.get_reviews(tenant, [company_subject(cid) for cid in sorted(cache.companies)])
    findings: list[Finding] = []
    risk_at: dict[str, Severity] = {}
    for facility_id, at in by_facility.items():
        fac = cache.facilities[facility_id]
        operator = cache.companies.get(fac.company_id)
        ctx = FacilityContext(fac, operator, cache.owners(operator), reviews)
        signals: list[Signal] = [sig for rule in rules for sig in rule.assess(ctx)]
        if not signals:
            continue
        signals.sort(key=lambda sig: (SEVERITY_RANK[sig.severity], sig.rule, sig.field))
        risk_at[facility_id] = signals[0].severity
        nearest = min(at, key=lambda x: (len(chain(x)), x))
        findings.append(
            Finding(
                facility_id=fac.facility_id,
                facility_name=fac.name,
                company_id=fac.company_id,
                company_name=operator.name if operator else None,
                severity=signals[0].severity,
                items=sorted({lots[x].item_id for x in at}),
                signals=signals,
                path=path(nearest),
            )
        )
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], len(f.path), f.facility_id))

    gap_docs = sorted(
        (
            Gap(
                reason=reason,
                item_id=item_id,
                item_name=(it.name if (it := cache.items.get(item_id)) else None),
                at_facility_id=lots[lid].facility_id,
                explanation=_gap_explanation(lots[lid], item_id, reason, cache.facilities, cache.items),
                path=path(lid),
            )
            for lid, item_id, reason in gaps
        ),
        key=lambda g: (len(g.path), g.at_facility_id or "", g.item_id, g.reason.value),
    )
    cycles = [
        Cycle(
            states=[_node_id(lots[x]) for x in loop],
            explanation="Lots loop back: " + " → ".join(loop) + "; not followed further.",
        )
        for loop in raw_cycles
    ]

    root_node = MapNode(
        id=ROOT_PREFIX + root.lot_id,
        item_id=root.item_id,
        item_name=(it.name if (it := cache.items.get(root.item_id)) else None),
        tier=0,
        role=Role.PRODUCT,
        lot_id=root.lot_id,
    )
    nodes = [root_node] + [
        _map_node(lots[x], walk.tiers[x], roles[x], cache.facilities, cache.companies, cache.items, risk_at)
        for x in sorted(lots, key=lambda x: (walk.tiers[x], x))
    ]
    root_row = sourcing_for(root.lot_id, "")
    edges = [
        MapEdge(
            source=root_node.id,
            target=_node_id(root),
            item_id=root.item_id,
            sourcing_id=root_row.sourcing_id if root_row else "",
            share=root_row.share if root_row else None,
            document_ids=[d.document_id for d in walk.documents_of(root)],
            lot_ids=[root.lot_id],
            event_id=root.made_in_event_id,
            quantity=root.quantity,
            uom=root.uom,
        )
    ]
    for output, links in walk.inputs.items():
        for link in links:
            upstream = lots.get(link.input_lot_id)
            if upstream is None:
                continue
            row = sourcing_for(link.input_lot_id, lots[output].facility_id or "")
            edges.append(
                MapEdge(
                    source=_node_id(lots[output]),
                    target=_node_id(upstream),
                    item_id=upstream.item_id,
                    sourcing_id=row.sourcing_id if row else "",
                    share=row.share if row else None,
                    document_ids=[d.document_id for d in walk.documents_of(upstream)],
                    cycle=(output, link.input_lot_id) in back,
                    lot_ids=[upstream.lot_id],
                    event_id=link.event_id,
                    quantity=link.quantity,
                    uom=link.uom,
                )
            )
    edges.sort(key=lambda e: (e.source, e.target, e.lot_ids))
    stats = TraceStats(
        states=len(lots),
        edges=len(edges),
        max_tier=max(walk.tiers.values()),
        facilities=len(by_facility),
    )
    verdict, summary = judge(findings, gap_docs, stats)
    references: list[ReferenceVersion] = [ref for rule in rules for ref in rule.references()]
    item = cache.items.get(root.item_id)
    return LotTraceResult(
        tenant=tenant,
        product_id=root.item_id,
        product_name=item.name if item else root.item_id,
        lot_id=root.lot_id,
        item_id=root.item_id,
        verdict=verdict,
        summary=summary,
        data_version=data_version,
        reference_versions=references,
        rules=[rule.name for rule in rules],
        findings=findings,
        gaps=gap_docs,
        cycles=cycles,
        supply_map=SupplyMap(nodes=nodes, edges=edges),
        stats=stats,
    )


def _map_node(
    lot: Lot,
    tier: int,
    role: Role,
    facilities: Mapping[str, Facility],
    companies: Mapping[str, Any],
    items: Mapping[str, Any],
    risk_at: Mapping[str, Severity],
) -> MapNode:
    fac = facilities.get(lot.facility_id) if lot.facility_id else None
    company = companies.get(fac.company_id) if fac else None
    item = items.get(lot.item_id)
    return MapNode(
        id=_node_id(lot),
        item_id=lot.item_id,
        item_name=item.name if item else None,
        facility_id=lot.facility_id,
        **site_fields(fac, company),
        tier=tier,
        role=role,
        risk=risk_at.get(lot.facility_id) if lot.facility_id else None,
        lot_id=lot.lot_id,
    )


def _gap_explanation(
    lot: Lot,
    item_id: str,
    reason: GapReason | LotGapReason,
    facilities: Mapping[str, Facility],
    items: Mapping[str, Any],
) -> str:
    item = items.get(item_id)
    what = f"'{item.name}' ({item_id})" if item else f"'{item_id}'"
    fac = facilities.get(lot.facility_id) if lot.facility_id else None
    where = f"{fac.name or fac.facility_id} ({fac.facility_id})" if fac else (lot.facility_id or "?")
    if reason is LotGapReason.LOT_INPUTS_NOT_RECORDED:
        return (
            f"Lot {lot.lot_id} was made at {where} from {what}, but no event records which lot of it "
            "went in: the lot's inputs cannot be traced."
        )
    if reason is LotGapReason.LOT_ORIGIN_UNKNOWN:
        return (
            f"No event says where lot {lot.lot_id} of {what} was made or commissioned: "
            "its origin is not recorded."
        )
    if reason is GapReason.NON_ORIGINATING_SITE:
        kind = fac.activity.value if fac else "non-producing"
        return (
            f"Lot {lot.lot_id} was commissioned at {where}, a {kind} site that never makes goods, and "
            "no event records what it was made from."
        )
    if reason is GapReason.ONLY_CYCLIC_SUPPLY:
        return f"Lot {lot.lot_id} and the lots it was made from only come from each other: no origin."
    return f"Facility '{lot.facility_id}', where lot {lot.lot_id} was made, is referenced but not loaded."


# -- marking product traces --------------------------------------------------------------------------


def backing_lots(lots: Collection[Lot], supplier: str | None, buyer: str | None) -> list[str]:
    """The lots that back a link: recorded at the supplier and, later, at the buyer (tier 1: supplier)."""
    out: list[str] = []
    for lot in lots:
        seen = lot.facility_ids
        if supplier is None or supplier not in seen:
            continue
        if buyer is None or (buyer in seen and seen.index(buyer) > seen.index(supplier)):
            out.append(lot.lot_id)
    return sorted(out)


def mark_lot_backed(store: GraphStore, tenant: str, result: TraceResult) -> TraceResult:
    """The trace with each link (map edges and evidence hops) listing the lots that back it.

    One store read for all links; the walk itself is untouched, and a trace without lots is returned
    as it was.
    """
    edges = result.supply_map.edges
    lots = store.lots_of_items(tenant, {e.item_id for e in edges})
    if not lots:
        return result
    nodes = {n.id: n for n in result.supply_map.nodes}
    by_sourcing: dict[str, list[str]] = {}
    marked: list[MapEdge] = []
    for edge in edges:
        supplier = nodes[edge.target].facility_id if edge.target in nodes else None
        buyer = nodes[edge.source].facility_id if edge.source in nodes else None
        backing = backing_lots(lots.get(edge.item_id, []), supplier, buyer)
        by_sourcing[edge.sourcing_id] = backing
        marked.append(edge.model_copy(update={"lot_ids": backing}) if backing else edge)

    def hops(path: list[Hop]) -> list[Hop]:
        return [
            h.model_copy(update={"lot_ids": by_sourcing[h.sourcing_id]})
            if by_sourcing.get(h.sourcing_id)
            else h
            for h in path
        ]

    return result.model_copy(
        update={
            "supply_map": SupplyMap(nodes=result.supply_map.nodes, edges=marked),
            "findings": [f.model_copy(update={"path": hops(f.path)}) for f in result.findings],
            "gaps": [g.model_copy(update={"path": hops(g.path)}) for g in result.gaps],
        }
    )
