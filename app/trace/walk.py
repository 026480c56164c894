"""The upstream walk of `shared/FORMATS.md`, store-agnostic, and the verdict built from it.

How it runs:
1. Breadth first from the product, one tier per round. A state is an (item, facility) pair; each is
   expanded once however many paths reach it, so the cost follows the size of the upstream subgraph,
   never the number of paths. Each round asks the store for a whole frontier at once (facilities,
   operators, items, bills of materials, sourcing rows): a handful of round trips per tier.
2. At each state: a facility that buys the same item resells it (its suppliers are walked); otherwise a
   trading or warehouse site cannot originate anything (a gap); otherwise the item's bill of materials
   explodes into components, each walked to its suppliers (a component nobody supplies is a gap); an
   item with no bill of materials is an origin.
3. A depth-first pass over the resulting state graph finds cycles (the same state again on one path):
   the closing link is reported and not followed. An input whose only suppliers close cycles is a gap.
4. Every facility reached goes through every risk rule once; each finding carries the shortest
   evidence path from the product, with the documents backing every hop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import networkx as nx
from pydantic import TypeAdapter

from app.errors import NotFoundError
from app.perf import gc_paused
from app.store.base import GraphStore, SourcingKey, Supply, closure_keys
from app.trace.models import (
    Cycle,
    DocumentRef,
    Finding,
    Gap,
    GapReason,
    Hop,
    Location,
    MapEdge,
    MapNode,
    ReferenceVersion,
    Role,
    Severity,
    Signal,
    SupplyMap,
    TraceResult,
    TraceStats,
    Verdict,
)
from app.trace.rules import FacilityContext, RiskRule, company_subject
from graph_schema import BomLine, Company, Document, Facility, Item, Sourcing

N = TypeVar("N", bound=Hashable)
L = TypeVar("L", bound=Hashable)


class State(NamedTuple):
    """An item at a facility. The root (the importer's product) has `facility_id == ""`.

    A named tuple, not a dataclass: states are hashed and compared hundreds of thousands of times in a
    big trace, and tuple hashing is done in C.
    """

    item_id: str
    facility_id: str

    @property
    def node_id(self) -> str:
        return f"product:{self.item_id}" if not self.facility_id else f"{self.item_id}@{self.facility_id}"


class Link(NamedTuple):
    """A followed sourcing row: `target` supplies `item_id` to the state that holds this link.

    A named tuple for the same reason as `State`: a deep trace makes thousands, and a frozen dataclass
    sets each field through `object.__setattr__`."""

    target: State
    item_id: str
    sourcing: Sourcing


@dataclass
class RawGap:
    state: State
    item_id: str
    reason: GapReason


@dataclass
class TraceCache:
    """Everything fetched for one trace, so each record crosses the store boundary once."""

    store: GraphStore
    tenant: str
    facilities: dict[str, Facility] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    bom: dict[str, list[BomLine]] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    _seen_items: set[str] = field(default_factory=set)
    _seen_companies: set[str] = field(default_factory=set)
    _seen_documents: set[str] = field(default_factory=set)

    _seen_boms: set[str] = field(default_factory=set)
    #: the upstream read ahead in one call (see `prefetch`), and the keys it covers
    _ahead: Mapping[SourcingKey, list[Supply]] = field(default_factory=dict)
    _ahead_asked: frozenset[SourcingKey] = frozenset()

    def prefetch(self, keys: Collection[SourcingKey]) -> None:
        """Read the whole upstream of `keys` at once; the tiers then read from it, not from the store."""
        closure = self.store.get_supply_closure(self.tenant, keys)
        self._ahead, self._ahead_asked = closure.rows, closure.asked

    def load_items(self, ids: Iterable[str]) -> None:
        """Item records, for names in the document (asked once, at the end of the walk)."""
        todo = sorted(set(ids) - self._seen_items)
        if todo:
            self._seen_items.update(todo)
            self.items.update(self.store.get_items(self.tenant, todo))

    def load_boms(self, ids: Iterable[str]) -> None:
        todo = sorted(set(ids) - self._seen_boms)
        if todo:
            self._seen_boms.update(todo)
            self.bom.update(self.store.get_bom(self.tenant, todo))

    def supply(self, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Sourcing]]:
        """The sourcing rows for `keys`, keeping the supplier facilities and operators that come along."""
        ahead = self._ahead
        missing = [k for k in keys if k not in self._ahead_asked]
        rows = {k: ahead[k] for k in keys if k in ahead}
        if missing:  # not covered by the prefetch (a store without one): ask the store
            rows.update(self.store.get_supply(self.tenant, sorted(missing)))
        out: dict[SourcingKey, list[Sourcing]] = {}
        parents: set[str] = set()
        facilities, companies, items = self.facilities, self.companies, self.items
        for key, group in rows.items():
            out[key] = [row.sourcing for row in group]
            for _, facility, operator, item, bom in group:
                if facility is not None:
                    facilities[facility.facility_id] = facility
                if operator is not None and operator.company_id not in companies:
                    companies[operator.company_id] = operator
                    self._seen_companies.add(operator.company_id)
                    if operator.parent_company_id:
                        parents.add(operator.parent_company_id)
                if item is not None and item.item_id not in self._seen_items:
                    items[item.item_id] = item
                    self._seen_items.add(item.item_id)
                    self.bom[item.item_id] = list(bom)
                    self._seen_boms.add(item.item_id)
        self.load_owners(parents)
        return out

    def load_owners(self, ids: Iterable[str]) -> None:
        """Owners up the ownership chains, one batch per level of ownership."""
        wanted = set(ids)
        while True:
            todo_companies = sorted(wanted - self._seen_companies)
            if not todo_companies:
                break
            self._seen_companies.update(todo_companies)
            got = self.store.get_companies(self.tenant, todo_companies)
            self.companies.update(got)
            wanted = {c.parent_company_id for c in got.values() if c.parent_company_id}

    def load_documents(self, ids: Iterable[str]) -> None:
        todo = sorted(set(ids) - self._seen_documents)
        if todo:
            self._seen_documents.update(todo)
            self.documents.update(self.store.get_documents(self.tenant, todo))

    def owners(self, company: Company | None) -> list[Company]:
        """The ownership chain above `company`, nearest first; stops at a loop or a missing record."""
        chain: list[Company] = []
        seen: set[str] = set()
        current = company
        while current is not None and current.parent_company_id and current.parent_company_id not in seen:
            seen.add(current.company_id)
            parent = self.companies.get(current.parent_company_id)
            if parent is None:
                break
            chain.append(parent)
            current = parent
        return chain


@dataclass
class _Walk:
    """The state graph the breadth-first pass builds."""

    root: State
    links: dict[State, list[Link]] = field(default_factory=lambda: defaultdict(list))
    roles: dict[State, Role] = field(default_factory=dict)
    tiers: dict[State, int] = field(default_factory=dict)
    gaps: list[RawGap] = field(default_factory=list)


def step(
    state: State,
    facility: Facility | None,
    bom: Sequence[BomLine],
    rows: Mapping[SourcingKey, list[Sourcing]],
) -> tuple[Role, list[Link], list[RawGap]]:
    """What happens at one (item, facility) state: its role, the links followed, the gaps found.

    The rules of `shared/FORMATS.md` in one place: a facility that buys the item itself resells it
    (its suppliers are followed); a trading or warehouse site that buys nothing is untraced; an item
    without a bill of materials originates here; otherwise each component's suppliers are followed and
    a component nobody supplies is a gap. It depends on the state alone, never on the product being
    traced, which is what lets `screen_all` judge every product from one shared state graph.
    """
    if facility is None:
        return Role.UNTRACED, [], [RawGap(state, state.item_id, GapReason.UNKNOWN_FACILITY)]
    resale = rows.get((state.facility_id, state.item_id), [])
    if resale:
        return (
            Role.RESALE,
            [Link(State(state.item_id, r.supplier_facility_id), state.item_id, r) for r in resale],
            [],
        )
    if not facility.activity.originates:
        return Role.UNTRACED, [], [RawGap(state, state.item_id, GapReason.NON_ORIGINATING_SITE)]
    if not bom:
        return Role.ORIGIN, [], []
    links: list[Link] = []
    gaps: list[RawGap] = []
    for line in bom:
        component = line.component_item_id
        supplied = rows.get((state.facility_id, component), [])
        if not supplied:
            gaps.append(RawGap(state, component, GapReason.NO_COMPONENT_SOURCING))
        links.extend(Link(State(component, r.supplier_facility_id), component, r) for r in supplied)
    return Role.MANUFACTURE, links, gaps


def _expand(store: GraphStore, tenant: str, cache: TraceCache, root: State) -> _Walk:
    walk = _Walk(root=root)
    walk.roles[root] = Role.PRODUCT
    walk.tiers[root] = 0
    cache.prefetch([("", root.item_id)])
    tier1 = cache.supply([("", root.item_id)]).get(("", root.item_id), [])
    if not tier1:
        walk.gaps.append(RawGap(root, root.item_id, GapReason.NO_TIER1_SOURCING))
    frontier: set[State] = set()
    for row in tier1:
        child = State(root.item_id, row.supplier_facility_id)
        walk.links[root].append(Link(child, root.item_id, row))
        if child not in walk.tiers:
            walk.tiers[child] = 1
            frontier.add(child)
    tier = 1
    while frontier:
        states = sorted(frontier)
        cache.load_boms(s.item_id for s in states)
        # One round trip for both questions a state may ask: "do you buy this item yourself?" (resale)
        # and "who supplies the components?" (manufacture); the suppliers' facilities and operators
        # come with the answer, ready for the next tier.
        keys: set[SourcingKey] = set()
        for s in states:
            keys.update(closure_keys(s.item_id, s.facility_id, cache.bom.get(s.item_id, [])))
        rows = cache.supply(keys)
        following: set[State] = set()
        for s in states:
            role, new_links, gaps = step(
                s, cache.facilities.get(s.facility_id), cache.bom.get(s.item_id, []), rows
            )
            walk.roles[s] = role
            walk.gaps.extend(gaps)
            walk.links[s].extend(new_links)
            for link in new_links:
                if link.target not in walk.tiers:
                    walk.tiers[link.target] = tier + 1
                    following.add(link.target)
        frontier = following
        tier += 1
    for links in walk.links.values():
        links.sort(key=lambda lk: (lk.target, lk.sourcing.sourcing_id))
    return walk


def find_cycles(
    root: N, links: Callable[[N], Sequence[tuple[L, N]]]
) -> tuple[set[tuple[N, L]], list[list[N]]]:
    """Loops reachable from `root`: the (node, link) pairs that close one, and each loop's nodes.

    Depth-first in the order `links` gives (node → [(link, target)]), iteratively, so a deep chain cannot
    overflow the stack; a link back to a node on the current path closes a cycle. One routine for the
    product walk (states and sourcing links) and the lot trace (lots and their input links).
    """
    back: set[tuple[N, L]] = set()
    cycles: list[list[N]] = []
    on_path: dict[N, int] = {root: 0}
    path: list[N] = [root]
    done: set[N] = set()
    # each frame: a node on the path and the iterator over its links (asked once per node)
    stack: list[tuple[N, Iterator[tuple[L, N]]]] = [(root, iter(links(root)))]
    while stack:
        node, out = stack[-1]
        edge = next(out, None)
        if edge is not None:
            link, target = edge
            if target in on_path:
                back.add((node, link))
                cycles.append([*path[on_path[target] :], target])
            elif target not in done:
                on_path[target] = len(path)
                path.append(target)
                stack.append((target, iter(links(target))))
        else:
            stack.pop()
            path.pop()
            del on_path[node]
            done.add(node)
    return back, cycles


def _loop_gaps(walk: _Walk) -> None:
    """A supply loop with no supplier outside it never reaches an origin: one gap per such loop.

    Loops are made of resale links only (a bill-of-materials cycle is refused at load), so every state
    in one holds the same item. A loop that does have an outside supplier is traced through it.
    """
    graph: nx.DiGraph[State] = nx.DiGraph()
    graph.add_nodes_from(walk.tiers)
    graph.add_edges_from((s, lk.target) for s, links in walk.links.items() for lk in links)
    for component in nx.strongly_connected_components(graph):
        members: set[State] = set(component)
        if len(members) == 1:
            (only,) = members
            if not graph.has_edge(only, only):
                continue
        leaves = any(t not in members for m in members for t in graph.successors(m))
        if not leaves:
            entry = min(members, key=lambda m: (walk.tiers[m], m))
            walk.gaps.append(RawGap(entry, entry.item_id, GapReason.ONLY_CYCLIC_SUPPLY))
            for m in members:
                walk.roles[m] = Role.UNTRACED


def _shortest_paths(walk: _Walk, back: set[tuple[State, str]]) -> dict[State, tuple[State, Link]]:
    """Breadth first over links that close no cycle: each state's parent on one shortest path."""
    parent: dict[State, tuple[State, Link]] = {}
    seen = {walk.root}
    frontier = [walk.root]
    while frontier:
        following: list[State] = []
        for node in frontier:
            for link in walk.links.get(node, []):
                if (node, link.sourcing.sourcing_id) in back or link.target in seen:
                    continue
                seen.add(link.target)
                parent[link.target] = (node, link)
                following.append(link.target)
        frontier = sorted(following)
    return parent


class _Builder:
    """Turns the state graph into the trace document: hops, findings, gaps, map."""

    def __init__(self, cache: TraceCache, walk: _Walk, parent: dict[State, tuple[State, Link]]) -> None:
        self.cache = cache
        self.walk = walk
        self.parent = parent
        self._depth: dict[State, int] = {walk.root: 0}

    def depth(self, state: State) -> int:
        """Hops on the evidence path to `state` (its position in the shortest-path tree)."""
        pending: list[State] = []
        while state not in self._depth:
            pending.append(state)
            state = self.parent[state][0] if state in self.parent else self.walk.root
        base = self._depth[state]
        for offset, s in enumerate(reversed(pending), start=1):
            self._depth[s] = base + offset
        return self._depth[pending[0]] if pending else base

    def chain(self, state: State) -> list[Link]:
        links: list[Link] = []
        while state in self.parent:
            state, link = self.parent[state]
            links.append(link)
        links.reverse()
        return links

    def hop(self, tier: int, link: Link) -> Hop:
        c = self.cache
        fac = c.facilities.get(link.target.facility_id)
        company = c.companies.get(fac.company_id) if fac else None
        item = c.items.get(link.item_id)
        row = link.sourcing
        docs = [
            DocumentRef(
                document_id=d,
                type=doc.type.value,
                number=doc.number,
                issued_on=doc.issued_on.isoformat() if doc.issued_on else None,
                uri=doc.uri,
                sha256=doc.sha256,
            )
            for d in row.document_ids
            if (doc := c.documents.get(d)) is not None
        ]
        return Hop(
            tier=tier,
            item_id=link.item_id,
            item_name=item.name if item else None,
            facility_id=link.target.facility_id,
            facility_name=fac.name if fac else None,
            activity=fac.activity.value if fac else None,
            company_id=fac.company_id if fac else None,
            company_name=company.name if company else None,
            location=facility_location(fac) if fac else None,
            sourcing_id=row.sourcing_id,
            share=row.share,
            valid_from=row.valid_from.isoformat() if row.valid_from else None,
            valid_to=row.valid_to.isoformat() if row.valid_to else None,
            documents=docs,
        )

    def path(self, state: State) -> list[Hop]:
        return [self.hop(i, link) for i, link in enumerate(self.chain(state), start=1)]


def facility_location(fac: Facility) -> Location:
    """The facility's location as a trace shows it: what was loaded, never what a detector inferred."""
    return Location(
        country=fac.country,
        region=fac.region,
        city=fac.city,
        address=fac.address,
        postal_code=fac.postal_code,
        latitude=fac.latitude,
        longitude=fac.longitude,
    )


def _gap_explanation(gap: RawGap, cache: TraceCache) -> str:
    item = cache.items.get(gap.item_id)
    what = f"'{item.name}' ({gap.item_id})" if item else f"'{gap.item_id}'"
    fac = cache.facilities.get(gap.state.facility_id)
    where = f"{fac.name or fac.facility_id} ({fac.facility_id})" if fac else gap.state.facility_id
    match gap.reason:
        case GapReason.NO_TIER1_SOURCING:
            return f"No tier-1 supplier is recorded for product {what}: nothing upstream can be traced."
        case GapReason.NO_COMPONENT_SOURCING:
            return f"{where} makes its goods from {what}, but no supplier of it to this facility is recorded."
        case GapReason.NON_ORIGINATING_SITE:
            kind = fac.activity.value if fac else "non-producing"
            return (
                f"{where} is a {kind} site, which never makes goods, and no supplier of {what} "
                "to it is recorded."
            )
        case GapReason.ONLY_CYCLIC_SUPPLY:
            return (
                f"{where} and the traders it buys {what} from only supply each other: the loop has no "
                "supplier outside it, so the item never reaches an origin."
            )
        case GapReason.UNKNOWN_FACILITY:
            return f"Facility '{gap.state.facility_id}' is referenced but not loaded."


#: strongest first: the order of signals and findings in every trace document (products and lots)
SEVERITY_RANK = {Severity.PRESUMPTION: 0, Severity.REVIEW: 1}


def _facilities(count: int) -> str:
    return f"{count} upstream facilit{'ies' if count > 1 else 'y'}"


def judge(findings: Sequence[Finding], gaps: Sequence[Gap], stats: TraceStats) -> tuple[Verdict, str]:
    """The verdict and its one-sentence summary, from the findings and gaps alone.

    Shared by product and lot traces, so the same evidence always reads the same way.
    """
    hard = [f for f in findings if f.severity is Severity.PRESUMPTION]
    if hard:
        first = hard[0]
        return (
            Verdict.PRESUMPTION_APPLIES,
            f"{_facilities(len(hard))} trigger{'' if len(hard) > 1 else 's'} the UFLPA presumption; "
            f"first: {first.facility_name or first.facility_id} at tier {len(first.path)}: "
            f"{first.signals[0].explanation}",
        )
    if findings:
        first = findings[0]
        return (
            Verdict.NEEDS_REVIEW,
            f"{_facilities(len(findings))} need{'' if len(findings) > 1 else 's'} review; first: "
            f"{first.facility_name or first.facility_id}: {first.signals[0].explanation}",
        )
    if gaps:
        return (
            Verdict.INCOMPLETE_TRACE,
            f"No risk found, but {len(gaps)} input{'s are' if len(gaps) > 1 else ' is'} untraced, so the "
            f"trace cannot yet show the goods are free of XUAR inputs; first: {gaps[0].explanation}",
        )
    return (
        Verdict.NO_RISK_FOUND,
        f"Every input traced to an origin across {stats.states} states and {stats.max_tier} tiers; "
        "no rule fired.",
    )


def trace_product(store: GraphStore, tenant: str, product_id: str, rules: Sequence[RiskRule]) -> TraceResult:
    """Walk a product's upstream tiers and judge it; raises `NotFoundError` for an unknown product.

    All reads happen in one store snapshot, so a load committing meanwhile cannot mix into the trace.
    """
    with store.snapshot(), gc_paused():
        return _trace(store, tenant, product_id, rules)


def _trace(store: GraphStore, tenant: str, product_id: str, rules: Sequence[RiskRule]) -> TraceResult:
    cache = TraceCache(store, tenant)
    data_version = store.data_version(tenant)
    cache.load_items([product_id])
    product = cache.items.get(product_id)
    if product is None:
        raise NotFoundError(f"product '{product_id}' is not loaded for tenant '{tenant}'")
    root = State(product_id, "")
    walk = _expand(store, tenant, cache, root)
    back, raw_cycles = find_cycles(
        walk.root, lambda state: [(lk.sourcing.sourcing_id, lk.target) for lk in walk.links.get(state, [])]
    )

    if back:  # without a cycle-closing link there is no loop to look for
        _loop_gaps(walk)
    parent = _shortest_paths(walk, back)
    cache.load_items({s.item_id for s in walk.tiers} | {g.item_id for g in walk.gaps})
    builder = _Builder(cache, walk, parent)

    # Risk: every facility once, through every rule.
    states = sorted((s for s in walk.tiers if s != root), key=lambda s: (walk.tiers[s], s))
    by_facility: dict[str, list[State]] = defaultdict(list)
    for s in states:
        by_facility[s.facility_id].append(s)
    flagged: list[tuple[Facility, Company | None, list[Signal], list[State], State]] = []
    risk_at: dict[str, Severity] = {}
    # Reviewers' decisions on any company the rules will look at (operators and their owners), one read.
    reviews = store.get_reviews(tenant, [company_subject(cid) for cid in sorted(cache.companies)])
    for facility_id, at in by_facility.items():
        fac = cache.facilities.get(facility_id)
        if fac is None:
            continue
        operator = cache.companies.get(fac.company_id)
        ctx = FacilityContext(fac, operator, cache.owners(operator), reviews)
        signals: list[Signal] = [sig for rule in rules for sig in rule.assess(ctx)]
        if not signals:
            continue
        signals.sort(key=lambda sig: (SEVERITY_RANK[sig.severity], sig.rule, sig.field))
        risk_at[facility_id] = signals[0].severity
        flagged.append((fac, operator, signals, at, min(at, key=lambda s: (builder.depth(s), s))))

    # Documents are fetched for the hops that evidence paths show, not for the whole upstream.
    shown = [nearest for *_, nearest in flagged] + [g.state for g in walk.gaps]
    cache.load_documents(d for s in shown for lk in builder.chain(s) for d in lk.sourcing.document_ids)
    findings = [
        Finding(
            facility_id=fac.facility_id,
            facility_name=fac.name,
            company_id=fac.company_id,
            company_name=operator.name if operator else None,
            severity=signals[0].severity,
            items=sorted({s.item_id for s in at}),
            signals=signals,
            path=builder.path(nearest),
        )
        for fac, operator, signals, at, nearest in flagged
    ]
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], len(f.path), f.facility_id))

    gaps = sorted(
        (
            Gap(
                reason=g.reason,
                item_id=g.item_id,
                item_name=(it.name if (it := cache.items.get(g.item_id)) else None),
                at_facility_id=g.state.facility_id or None,
                explanation=_gap_explanation(g, cache),
                path=builder.path(g.state),
            )
            for g in walk.gaps
        ),
        key=lambda g: (len(g.path), g.at_facility_id or "", g.item_id, g.reason.value),
    )
    cycles = [
        Cycle(
            states=[s.node_id for s in loop],
            explanation="Supply loops back: "
            + " → ".join(s.node_id for s in loop)
            + "; not followed further.",
        )
        for loop in raw_cycles
    ]

    # The map is most of a big document: its thousands of nodes and edges are validated in one call each.
    nodes = _MAP_NODES.validate_python([_map_node(s, walk, cache, risk_at) for s in (root, *states)])
    edges = _MAP_EDGES.validate_python(
        sorted(
            (
                {
                    "source": s.node_id,
                    "target": lk.target.node_id,
                    "item_id": lk.item_id,
                    "sourcing_id": lk.sourcing.sourcing_id,
                    "share": lk.sourcing.share,
                    "document_ids": list(lk.sourcing.document_ids),
                    "cycle": (s, lk.sourcing.sourcing_id) in back,
                }
                for s, links in walk.links.items()
                for lk in links
            ),
            key=lambda e: (e["source"], e["target"], e["sourcing_id"]),
        )
    )
    stats = TraceStats(
        states=len(states),
        edges=len(edges),
        max_tier=max(walk.tiers.values()),
        facilities=len(by_facility),
    )
    verdict, summary = judge(findings, gaps, stats)
    references: list[ReferenceVersion] = [ref for rule in rules for ref in rule.references()]
    return TraceResult(
        tenant=tenant,
        product_id=product_id,
        product_name=product.name,
        verdict=verdict,
        summary=summary,
        data_version=data_version,
        reference_versions=references,
        rules=[rule.name for rule in rules],
        findings=findings,
        gaps=gaps,
        cycles=cycles,
        supply_map=SupplyMap(nodes=nodes, edges=edges),
        stats=stats,
    )


def site_fields(fac: Facility | None, company: Company | None) -> dict[str, Any]:
    """A map node's description of its site: the same for a product's states and a lot's."""
    return {
        "facility_name": fac.name if fac else None,
        "company_id": fac.company_id if fac else None,
        "company_name": company.name if company else None,
        "activity": fac.activity.value if fac else None,
        "country": fac.country if fac else None,
        "region": fac.region if fac else None,
        "city": fac.city if fac else None,
    }


_MAP_NODES = TypeAdapter(list[MapNode])
_MAP_EDGES = TypeAdapter(list[MapEdge])


def _map_node(state: State, walk: _Walk, cache: TraceCache, risk_at: dict[str, Severity]) -> dict[str, Any]:
    """A supply-map node's fields (validated with the others, see `_MAP_NODES`)."""
    item = cache.items.get(state.item_id)
    fac = cache.facilities.get(state.facility_id) if state.facility_id else None
    company = cache.companies.get(fac.company_id) if fac else None
    return {
        "id": state.node_id,
        "item_id": state.item_id,
        "item_name": item.name if item else None,
        "facility_id": state.facility_id or None,
        **site_fields(fac, company),
        "tier": walk.tiers[state],
        "role": walk.roles.get(state, Role.UNTRACED),
        "risk": risk_at.get(state.facility_id) if state.facility_id else None,
    }
