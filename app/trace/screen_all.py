"""Judge many products at once without walking shared upstream subgraphs again for each one.

A product's verdict depends only on what its walk can reach: a facility with a presumption signal, one
with any signal, a gap. And what happens at an (item, facility) state (`walk.step`) depends on the state
alone, never on the product. So the states of all products form one graph, each state and each facility
is judged once, and the verdict of every product is a reachability question answered by propagating
flags backwards over the graph's condensation (strongly connected components, so supply loops are
handled): one pass, linear in the size of the graph, however many products share it.

Evidence paths are not built here: a verdict names one facility to look at, and the per-product trace
(`trace_product`) builds the full document when someone opens it. A test holds `screen_all` to exactly
the per-product walk's verdicts on generated and hand-built graphs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from app.perf import gc_paused
from app.store.base import GraphStore, SourcingKey, closure_keys
from app.trace.models import GapReason, Severity, Verdict
from app.trace.rules import FacilityContext, RiskRule, company_subject
from app.trace.walk import RawGap, State, TraceCache, step

#: products whose upstream is read together (one closure call on Neo4j): shared upstreams are read once per
#: chunk, so chunks are large; the bound keeps one read of a million-node graph within memory
CHUNK = 20_000
#: one read transaction covers the whole screening (one consistent view); it may take this long
SNAPSHOT_BASE_S = 60.0
SNAPSHOT_S_PER_PRODUCT = 0.05

_NONE, _GAP, _REVIEW, _PRESUMPTION = 0, 1, 2, 3
_VERDICT = {
    _PRESUMPTION: Verdict.PRESUMPTION_APPLIES,
    _REVIEW: Verdict.NEEDS_REVIEW,
    _GAP: Verdict.INCOMPLETE_TRACE,
    _NONE: Verdict.NO_RISK_FOUND,
}


class ScreenedProduct(BaseModel):
    """One product's verdict from a batch screening, with where to look first."""

    product_id: str = Field(description="The product's `item_id`.")
    verdict: Verdict = Field(description="Exactly the verdict `GET /v1/products/{id}/trace` gives.")
    facility_id: str | None = Field(
        None,
        description=(
            "For `presumption_applies` and `needs_review`: one facility upstream that carries the "
            "decisive finding (open the product's trace for every finding and its evidence path)."
        ),
    )
    rule: str | None = Field(None, description="The rule that fired at that facility.")
    gap: GapReason | None = Field(
        None, description="For `incomplete_trace`: the kind of one untraced input upstream."
    )


@dataclass
class _Flag:
    """The worst thing reachable from a node, and one witness of it."""

    level: int = _NONE
    facility_id: str | None = None
    rule: str | None = None
    gap: GapReason | None = None

    def absorb(self, other: _Flag) -> None:
        """Keep the worse of the two; between equally bad ones, the smaller (facility, rule, gap), so the
        witness does not depend on the order the graph was read or walked in."""
        if other.level < self.level or other.level == _NONE:
            return
        if other.level == self.level and other._witness() >= self._witness():
            return
        self.level, self.facility_id, self.rule, self.gap = (
            other.level,
            other.facility_id,
            other.rule,
            other.gap,
        )

    def _witness(self) -> tuple[str, str, str]:
        return (self.facility_id or "", self.rule or "", self.gap.value if self.gap else "")


def screen_all(
    store: GraphStore,
    tenant: str,
    product_ids: Sequence[str],
    rules: Sequence[RiskRule],
    progress: Callable[[int], None] | None = None,
) -> list[ScreenedProduct]:
    """Verdicts for `product_ids` (in that order), each upstream state and facility judged once.

    `progress(n)` is called as products' upstreams are read (n = products read so far), so a job can
    report how far it is; the judging after the last read is fast.
    """
    with store.snapshot(timeout_s=SNAPSHOT_BASE_S + SNAPSHOT_S_PER_PRODUCT * len(product_ids)), gc_paused():
        cache = TraceCache(store, tenant)
        _, graph, own = read_state_graph(cache, product_ids, progress)
        _judge_facilities(store, tenant, cache, graph, own, rules)
        reach = _propagate(graph, own)
        out: list[ScreenedProduct] = []
        for pid in product_ids:
            if pid not in cache.items:
                continue
            flag = reach[State(pid, "")]
            out.append(
                ScreenedProduct(
                    product_id=pid,
                    verdict=_VERDICT[flag.level],
                    facility_id=flag.facility_id if flag.level >= _REVIEW else None,
                    rule=flag.rule if flag.level >= _REVIEW else None,
                    gap=flag.gap if flag.level == _GAP else None,
                )
            )
        # Freed by reference counting while the collector is still paused: at L the state graph is
        # millions of objects, and each collection that found them alive after the pause rescanned them
        # all (~4 s of a 17 s screen of 12,586 products, measured with cProfile).
        del cache, graph, own, reach
    return out


def read_state_graph(
    cache: TraceCache, product_ids: Sequence[str], progress: Callable[[int], None] | None = None
) -> tuple[list[str], dict[State, set[State]], dict[State, _Flag]]:
    """The loaded products among `product_ids` and the one state graph upstream of them (each state's
    suppliers, and what each state is on its own), read in chunks of `CHUNK` products; `progress(n)` after
    each chunk. `screen_all` and the change tracker read the same graph this way."""
    cache.load_items(product_ids)
    roots = [pid for pid in product_ids if pid in cache.items]
    graph: dict[State, set[State]] = {}
    own: dict[State, _Flag] = {}
    done: set[State] = set()
    for start in range(0, len(roots), CHUNK):
        chunk = roots[start : start + CHUNK]
        _read_upstream(cache, chunk, graph, own, done)
        if progress is not None:
            progress(start + len(chunk))
    return roots, graph, own


def _read_upstream(
    cache: TraceCache,
    products: Sequence[str],
    graph: dict[State, set[State]],
    own: dict[State, _Flag],
    done: set[State],
) -> None:
    """Add the states upstream of `products` to the graph, breadth first, each state expanded once."""
    cache.prefetch([("", pid) for pid in products])
    roots = [State(pid, "") for pid in products]
    tier1 = cache.supply([("", pid) for pid in products])
    frontier: set[State] = set()
    for root in roots:
        graph.setdefault(root, set())
        own.setdefault(root, _Flag())
        rows = tier1.get(("", root.item_id), [])
        if not rows:
            _add_gaps(own, [RawGap(root, root.item_id, GapReason.NO_TIER1_SOURCING)])
        for row in rows:
            child = State(root.item_id, row.supplier_facility_id)
            graph[root].add(child)
            if child not in done:
                frontier.add(child)
    while frontier:
        states = sorted(frontier)
        done.update(states)
        cache.load_boms(s.item_id for s in states)
        keys: set[SourcingKey] = set()
        for s in states:
            keys.update(closure_keys(s.item_id, s.facility_id, cache.bom.get(s.item_id, [])))
        rows_by_key = cache.supply(keys)
        following: set[State] = set()
        for s in states:
            targets = graph.setdefault(s, set())
            own.setdefault(s, _Flag())
            _, links, gaps = step(
                s, cache.facilities.get(s.facility_id), cache.bom.get(s.item_id, []), rows_by_key
            )
            _add_gaps(own, gaps)
            for link in links:
                targets.add(link.target)
                if link.target not in done:
                    following.add(link.target)
        frontier = following


def _add_gaps(own: dict[State, _Flag], gaps: Iterable[RawGap]) -> None:
    for gap in gaps:
        flag = own.setdefault(gap.state, _Flag())
        flag.absorb(_Flag(_GAP, gap=gap.reason))


def _judge_facilities(
    store: GraphStore,
    tenant: str,
    cache: TraceCache,
    graph: dict[State, set[State]],
    own: dict[State, _Flag],
    rules: Sequence[RiskRule],
) -> None:
    """Every facility once through every rule; its worst signal marks each of its states."""
    by_facility: dict[str, list[State]] = defaultdict(list)
    for s in graph:
        if s.facility_id:
            by_facility[s.facility_id].append(s)
    reviews = store.get_reviews(tenant, [company_subject(cid) for cid in sorted(cache.companies)])
    for facility_id in sorted(by_facility):
        fac = cache.facilities.get(facility_id)
        if fac is None:
            continue
        operator = cache.companies.get(fac.company_id)
        ctx = FacilityContext(fac, operator, cache.owners(operator), reviews)
        signals = [sig for rule in rules for sig in rule.assess(ctx)]
        if not signals:
            continue
        worst = min(signals, key=lambda sig: (sig.severity is not Severity.PRESUMPTION, sig.rule, sig.field))
        level = _PRESUMPTION if worst.severity is Severity.PRESUMPTION else _REVIEW
        for s in by_facility[facility_id]:
            own[s].absorb(_Flag(level, facility_id=facility_id, rule=worst.rule))


def _propagate(graph: dict[State, set[State]], own: dict[State, _Flag]) -> dict[State, _Flag]:
    """The worst flag reachable from each state, in one pass over the strongly connected components.

    Tarjan's algorithm (iterative: supply chains can be deeper than Python's recursion) finishes each
    component after every component it reaches, so their flags are known when it is judged. A loop no
    supplier outside feeds is a gap, as in the per-product walk's `_loop_gaps`.
    """
    index: dict[State, int] = {}
    low: dict[State, int] = {}
    on_stack: set[State] = set()
    stack: list[State] = []
    component_of: dict[State, int] = {}
    flags: list[_Flag] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work: list[tuple[State, Iterator[State]]] = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph.get(nxt, ()))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members: list[State] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                flags.append(_judge_component(graph, own, members, component_of, flags))
                for member in members:
                    component_of[member] = len(flags) - 1
    return {node: flags[component_of[node]] for node in graph}


def _judge_component(
    graph: dict[State, set[State]],
    own: dict[State, _Flag],
    members: list[State],
    component_of: dict[State, int],
    flags: list[_Flag],
) -> _Flag:
    """A finished component's flag: its members' own, the components it reaches, a loop gap if closed."""
    inside = set(members)
    flag = _Flag()
    leaves = False
    for member in members:
        flag.absorb(own.get(member, _Flag()))
        for target in graph.get(member, ()):
            if target not in inside:
                leaves = True
                flag.absorb(flags[component_of[target]])
    looped = len(members) > 1 or members[0] in graph.get(members[0], ())
    if looped and not leaves:
        flag.absorb(_Flag(_GAP, gap=GapReason.ONLY_CYCLIC_SUPPLY))
    return flag
