"""`MemoryStore`: the zero-setup graph store, networkx in process, persisted to one JSON file.

It holds the same graph model as Neo4j (see `app.store.graph_model`): one node per record keyed by
(label, tenant, id), relationships derived from foreign keys, BOM lines as HAS_COMPONENT edges. Reads go
through derived secondary indexes (sourcing by (tenant, buyer, item), IDs per (tenant, label), BOM lines
per tenant) that are rebuilt on load and never persisted, so the file format is just nodes and edges.

Several processes may share the file (`tracegraph load` while the server runs):
- every write takes an exclusive `flock` on `<file>.lock`, reloads the file if another process changed it,
  applies, and replaces the file atomically (temp file in the same directory, fsync, `os.replace`), so
  neither process loses the other's writes and a reader never sees half a file;
- every call first checks the file's (mtime, size, inode) and reloads when it changed, so each process
  sees the others' committed writes.

A write is all or nothing: each mutation records its inverse in an undo journal; if applying or
persisting fails, the journal is replayed backwards and the indexes rebuilt, leaving the store (memory
and file) exactly as before.
"""

from __future__ import annotations

import bisect
import copy
import fcntl
import json
import os
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import networkx as nx
from pydantic import TypeAdapter

from app.errors import ConflictError, StoreError
from app.perf import gc_paused
from app.store.base import (
    FINISHED_JOB_STATES,
    BufferedFirstLoad,
    FirstLoad,
    KeyLookup,
    LotLink,
    RecordKind,
    SourcingKey,
    StoredComparison,
    Supply,
    SupplyClosure,
    TenantInfo,
    compare_by_reading,
    epoch_us,
    supply_closure_by_tiers,
)
from app.store.graph_model import (
    FK_RELS,
    LABEL_OF_KIND,
    NODE_KINDS,
    bom_line,
    bom_props,
    bundle_records,
    list_entry_node_id,
    node_props,
)
from graph_schema import (
    SCHEMA_VERSION,
    ApiKey,
    BomLine,
    Bundle,
    Company,
    Document,
    Facility,
    Item,
    ItemKind,
    Label,
    ListEntry,
    ListVersion,
    Rel,
    Review,
    Sourcing,
)
from graph_schema import migrations as migration_registry
from graph_schema.records import Lot, LotEvent, Record
from graph_schema.vocab import TENANT_OWNED

#: (label, tenant or "" for shared reference data, id)
NodeKey = tuple[str, str, str]
Undo = list[Callable[[], None]]
R = TypeVar("R", bound=Record)

FILE_FORMAT = "tracegraph-memory/1"
SCHEMA_KEY: NodeKey = (Label.SCHEMA.value, "", "schema")


def _key(label: Label, tenant: str, node_id: str) -> NodeKey:
    return (label.value, tenant, node_id)


class MemoryStore:
    """The embedded store; `path=None` keeps everything in memory (tests, throwaway runs)."""

    backend = "memory"

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.RLock()
        #: > 0 while a snapshot is open (its thread holds the lock): reads skip the reload check
        self._frozen = 0
        self._graph: Any = nx.MultiDiGraph()
        #: (mtime_ns, size, inode) of the file as last read or written; None = no file seen
        self._stamp: tuple[int, int, int] | None = None
        self._rebuild_indexes()
        with self._lock:
            self._refresh()

    # -- lifecycle -----------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Run pending migrations and stamp `SCHEMA_VERSION`, so an older file is upgraded on open."""
        with self._transaction() as undo:
            current = self._schema_version_locked()
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self._path} has schema version {current}, newer than this release's "
                    f"{SCHEMA_VERSION}; upgrade tracegraph"
                )
            if current == SCHEMA_VERSION and SCHEMA_KEY in self._graph:
                return
            for version, migration in migration_registry.pending(current):
                if migration.memory is not None:
                    # Migrations rewrite the graph wholesale: run them on a deep copy and keep the
                    # original object, which earlier undo steps refer to, for a rollback.
                    previous = self._graph
                    undo.append(partial(self._set_graph, previous))
                    self._graph = copy.deepcopy(previous)
                    migration.memory(self._graph)
                    self._rebuild_indexes()  # the migration may have changed indexed properties
                self._put_node(SCHEMA_KEY, {"id": "schema", "version": version}, undo)
            self._put_node(SCHEMA_KEY, {"id": "schema", "version": SCHEMA_VERSION}, undo)

    def schema_version(self) -> int:
        """The schema version recorded in the store (0 if never stamped), for status reports."""
        with self._lock:
            self._refresh()
            return self._schema_version_locked()

    def ping(self) -> None:
        """No server to reach; re-reading a changed file here surfaces a corrupt one as `StoreError`."""
        with self._lock:
            self._refresh()

    def close(self) -> None:
        """Nothing to release: the file lock is held only for the duration of each write."""

    # -- tenant data: writes -------------------------------------------------------------------------
    def write_bundle(self, tenant: str, bundle: Bundle, data_version: str) -> None:
        """Upsert every record by key and set the tenant's data version, all or nothing."""
        with self._transaction() as undo:
            for _, label, _ in NODE_KINDS:
                for record in bundle_records(bundle, label):
                    self._put_node(_key(label, tenant, record.key), node_props(tenant, record), undo)
            for line in bundle.bom:
                self._put_bom_line(tenant, line, undo)
            # Relationships after all nodes, so a reference to a node later in the bundle still resolves.
            for spec in FK_RELS:
                for record in bundle_records(bundle, spec.label):
                    node = _key(spec.label, tenant, record.key)
                    self._drop_edges(node, spec.rel, spec.incoming, undo)
                    for target_id in spec.targets(record):
                        target = _key(spec.target, tenant, target_id)
                        if target not in self._graph:
                            continue  # not loaded (yet): the FK property still holds the reference
                        ends = (target, node) if spec.incoming else (node, target)
                        props = spec.props(record) if spec.props else {}
                        self._put_edge(ends[0], ends[1], spec.rel, props, undo)
            tenant_key = _key(Label.TENANT, "", tenant)
            self._put_node(tenant_key, {"id": tenant, "data_version": data_version}, undo)

    def first_load(self, tenant: str) -> FirstLoad:
        """Records are kept until `commit` writes them in one go: in process there is nothing to overlap."""
        return BufferedFirstLoad(self, tenant)

    def drop_tenant(self, tenant: str) -> int:
        """Delete every record of a tenant, all or nothing (the embedded store has no size limit on it)."""
        owned = {label.value for label in TENANT_OWNED}
        tenant_key = _key(Label.TENANT, "", tenant)
        with self._transaction() as undo:
            doomed = [k for k in self._graph.nodes if (k[0] in owned and k[1] == tenant) or k == tenant_key]
            # The tenant's API keys go too: an offboarded tenant keeps no access (see `GraphStore`).
            doomed += [_key(Label.API_KEY, "", k) for k in sorted(self._api_keys.get(tenant, ()))]
            if not doomed:
                return 0
            previous = self._graph
            undo.append(partial(self._set_graph, previous))
            graph = previous.copy()
            graph.remove_nodes_from(doomed)
            self._graph = graph
            self._rebuild_indexes()
            return sum(1 for k in doomed if k != tenant_key)

    # -- tenant data: reads --------------------------------------------------------------------------
    @contextmanager
    def snapshot(self, timeout_s: float | None = None) -> Iterator[None]:
        """Reads in the block see one state: the file is re-read at most once, at the start (no timeout:
        in process, nothing can hang on a server)."""
        with self._lock:
            self._refresh()
            self._frozen += 1
            try:
                yield
            finally:
                self._frozen -= 1

    def data_version(self, tenant: str) -> str:
        """The tenant's data version, "" before the first load."""
        with self._lock:
            self._refresh()
            node = self._graph.nodes.get(_key(Label.TENANT, "", tenant))
            return str(node["props"].get("data_version", "")) if node else ""

    def tenant_info(self, tenant: str) -> TenantInfo:
        """Data version ("" before the first load) and record counts per kind."""
        with self._lock:
            self._refresh()
            node = self._graph.nodes.get(_key(Label.TENANT, "", tenant))
            counts = {
                kind.value: len(self._ids.get((tenant, label), ())) for kind, label in LABEL_OF_KIND.items()
            }
            counts[RecordKind.BOM.value] = len(self._bom_ids.get(tenant, ()))
            version = str(node["props"].get("data_version", "")) if node else ""
            return TenantInfo(tenant=tenant, data_version=version, counts=counts)

    def existing_keys(self, tenant: str, kind: RecordKind, keys: Collection[str]) -> set[str]:
        """Which of `keys` the tenant already has, to resolve a bundle's references to earlier loads."""
        with self._lock:
            self._refresh()
            if kind is RecordKind.BOM:
                known = self._bom_ids.get(tenant, set())
            else:
                known = self._ids.get((tenant, LABEL_OF_KIND[kind]), set())
            return {k for k in keys if k in known}

    def compare_records(self, tenant: str, kind: RecordKind, records: Sequence[Record]) -> StoredComparison:
        """Compared with the stored records themselves, which are in memory already."""
        with self._lock:
            return compare_by_reading(self, tenant, kind, records)

    def get_companies(self, tenant: str, ids: Collection[str]) -> dict[str, Company]:
        return self._get(tenant, Label.COMPANY, Company, ids)

    def get_facilities(self, tenant: str, ids: Collection[str]) -> dict[str, Facility]:
        return self._get(tenant, Label.FACILITY, Facility, ids)

    def get_items(self, tenant: str, ids: Collection[str]) -> dict[str, Item]:
        return self._get(tenant, Label.ITEM, Item, ids)

    def get_documents(self, tenant: str, ids: Collection[str]) -> dict[str, Document]:
        return self._get(tenant, Label.DOCUMENT, Document, ids)

    def get_sourcing_by_id(self, tenant: str, ids: Collection[str]) -> dict[str, Sourcing]:
        return self._get(tenant, Label.SOURCING, Sourcing, ids)

    def get_bom(self, tenant: str, parent_ids: Collection[str]) -> dict[str, list[BomLine]]:
        """Bill-of-materials lines per parent item, sorted by component; parents without lines absent."""
        with self._lock:
            self._refresh()
            out: dict[str, list[BomLine]] = {}
            rel = Rel.HAS_COMPONENT.value
            for parent in sorted(set(parent_ids)):
                node = _key(Label.ITEM, tenant, parent)
                if node not in self._graph:
                    continue
                lines = [
                    self._line(node, child, parent, keyed[rel])
                    for child, keyed in self._graph._succ[node].items()
                    if rel in keyed
                ]
                if lines:
                    out[parent] = sorted(lines, key=lambda line: line.component_item_id)
            return out

    def get_supply(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Supply]]:
        """Sourcing rows per (buyer, item) with each supplier facility and its operator."""
        with self._lock:
            rows = self.get_sourcing(tenant, keys)
            facilities = self.get_facilities(
                tenant, {s.supplier_facility_id for group in rows.values() for s in group}
            )
            operators = self.get_companies(tenant, {f.company_id for f in facilities.values()})
            item_ids = {s.item_id for group in rows.values() for s in group}
            items = self.get_items(tenant, item_ids)
            boms = self.get_bom(tenant, item_ids)
            return {
                key: [
                    Supply(
                        s,
                        fac := facilities.get(s.supplier_facility_id),
                        operators.get(fac.company_id) if fac else None,
                        items.get(s.item_id),
                        tuple(boms.get(s.item_id, ())),
                    )
                    for s in group
                ]
                for key, group in rows.items()
            }

    def get_supply_closure(self, tenant: str, keys: Collection[SourcingKey]) -> SupplyClosure:
        """Tier by tier: in process, a tier costs a function call, not a round trip."""
        with self.snapshot():
            return supply_closure_by_tiers(self, tenant, keys)

    def get_sourcing(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Sourcing]]:
        """Sourcing rows per (buyer, item), sorted by `sourcing_id`; keys without rows absent."""
        with self._lock:
            self._refresh()
            out: dict[SourcingKey, list[Sourcing]] = {}
            for buyer, item in sorted(set(keys)):
                ids = self._into.get((tenant, buyer, item))
                if ids:
                    out[(buyer, item)] = [
                        self._record(_key(Label.SOURCING, tenant, i), Sourcing) for i in sorted(ids)
                    ]
            return out

    def list_items(
        self, tenant: str, kind: ItemKind | None = None, after: str | None = None, limit: int = 100
    ) -> list[Item]:
        """Items in ID order after `after` (keyset pagination), optionally of one kind."""
        with self._lock:
            self._refresh()
            ids = self._sorted_ids(tenant, Label.ITEM)
            start = 0
            if after is not None:
                start = bisect.bisect_right(ids, after)
            out: list[Item] = []
            for item_id in ids[start:]:
                if len(out) >= limit:
                    break
                props = self._graph.nodes[_key(Label.ITEM, tenant, item_id)]["props"]
                if kind is None or props.get("kind") == kind.value:
                    out.append(Item.from_props(props))
            return out

    def find_keys(self, tenant: str, lookup: KeyLookup, values: Collection[str]) -> dict[str, list[str]]:
        """IDs per looked-up value: a scan of the tenant's nodes of that label (in process, cheap)."""
        wanted = set(values)
        with self._lock:
            self._refresh()
            out: dict[str, list[str]] = {}
            for node_id in self._sorted_ids(tenant, lookup.label):
                value = self._graph.nodes[_key(lookup.label, tenant, node_id)]["props"].get(lookup.field)
                if value in wanted:
                    out.setdefault(value, []).append(node_id)
            return dict(sorted(out.items()))

    # -- lots ----------------------------------------------------------------------------------------
    def write_lots(
        self,
        tenant: str,
        lots: Sequence[Lot],
        events: Sequence[LotEvent],
        links: Sequence[LotLink],
        data_version: str,
    ) -> None:
        """Upsert lots and events with their relationships and set the data version, all or nothing."""
        with self._transaction() as undo:
            for lot in lots:
                self._put_node(_key(Label.LOT, tenant, lot.lot_id), node_props(tenant, lot), undo)
            for event in events:
                node = _key(Label.LOT_EVENT, tenant, event.event_id)
                self._put_node(node, node_props(tenant, event), undo)
                self._drop_edges(node, Rel.RECORDED_IN, True, undo)
                self._drop_edges(node, Rel.AT, False, undo)
                self._drop_edges(node, Rel.CITES, False, undo)
                for lot_id in event.lot_ids:
                    lot_node = _key(Label.LOT, tenant, lot_id)
                    if lot_node not in self._graph:
                        raise ConflictError(f"event {event.event_id!r} names lot {lot_id!r}, not stored")
                    self._put_edge(lot_node, node, Rel.RECORDED_IN, {}, undo)
                targets = [(Label.FACILITY, f, Rel.AT) for f in filter(None, [event.facility_id])]
                targets += [(Label.DOCUMENT, d, Rel.CITES) for d in event.document_ids]
                for label, target_id, rel in targets:
                    target = _key(label, tenant, target_id)
                    if target in self._graph:
                        self._put_edge(node, target, rel, {}, undo)
            for lot in lots:
                self._drop_edges(_key(Label.LOT, tenant, lot.lot_id), Rel.MADE_FROM, False, undo)
            for link in links:
                ends = [_key(Label.LOT, tenant, i) for i in (link.output_lot_id, link.input_lot_id)]
                if any(end not in self._graph for end in ends):
                    raise ConflictError(f"a MADE_FROM link names an unknown lot: {link}")
                self._put_edge(ends[0], ends[1], Rel.MADE_FROM, link.props(), undo)
            tenant_key = _key(Label.TENANT, "", tenant)
            self._put_node(tenant_key, {"id": tenant, "data_version": data_version}, undo)

    def get_lots(self, tenant: str, ids: Collection[str]) -> dict[str, Lot]:
        return self._get(tenant, Label.LOT, Lot, ids)

    def get_lot_events(self, tenant: str, ids: Collection[str]) -> dict[str, LotEvent]:
        return self._get(tenant, Label.LOT_EVENT, LotEvent, ids)

    def get_lot_links(self, tenant: str, lot_ids: Collection[str]) -> list[LotLink]:
        """Every MADE_FROM link touching the lots, sorted by (output, input)."""
        with self._lock:
            self._refresh()
            found: dict[tuple[str, str], LotLink] = {}
            for lot_id in set(lot_ids):
                node = _key(Label.LOT, tenant, lot_id)
                if node not in self._graph:
                    continue
                for u, v, rel, data in (
                    *self._graph.out_edges(node, keys=True, data=True),
                    *self._graph.in_edges(node, keys=True, data=True),
                ):
                    if rel == Rel.MADE_FROM.value:
                        found[(u[2], v[2])] = LotLink.of(u[2], v[2], data["props"])
            return [found[k] for k in sorted(found)]

    def list_lots(
        self, tenant: str, item_id: str | None = None, q: str | None = None, offset: int = 0, limit: int = 100
    ) -> list[Lot]:
        """Lots in ID order, filtered by item and by a case-insensitive part of the ID."""
        needle = q.casefold() if q else None
        with self._lock:
            self._refresh()
            out: list[Lot] = []
            skipped = 0
            for lot_id in self._sorted_ids(tenant, Label.LOT):
                if len(out) >= limit:
                    break
                if needle is not None and needle not in lot_id.casefold():
                    continue
                lot = self._record(_key(Label.LOT, tenant, lot_id), Lot)
                if item_id is not None and lot.item_id != item_id:
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                out.append(lot)
            return out

    def lots_of_items(self, tenant: str, item_ids: Collection[str]) -> dict[str, list[Lot]]:
        """Every lot of each item, sorted by ID."""
        wanted = set(item_ids)
        with self._lock:
            self._refresh()
            out: dict[str, list[Lot]] = {}
            for lot_id in self._sorted_ids(tenant, Label.LOT):
                lot = self._record(_key(Label.LOT, tenant, lot_id), Lot)
                if lot.item_id in wanted:
                    out.setdefault(lot.item_id, []).append(lot)
            return dict(sorted(out.items()))

    # -- shared reference data -----------------------------------------------------------------------
    def write_list_version(self, version: ListVersion, entries: list[ListEntry]) -> None:
        """Store one version of a screening list (idempotent by `version_id`) and make it current.

        Each write takes the next sequence number of its list, so "current" is the most recently written
        version even when two versions share a `retrieved_on` date.
        """
        with self._transaction() as undo:
            vkey = _key(Label.LIST_VERSION, "", version.version_id)
            for old in sorted(self._list_entries.get(version.version_id, ())):
                self._drop_node(_key(Label.LIST_ENTRY, "", old), undo)
            seq = max((s for s, _ in self._list_seq.values()), default=0) + 1
            self._put_node(vkey, {**version.to_props(), "id": version.version_id, "seq": seq}, undo)
            for entry in entries:
                ekey = _key(Label.LIST_ENTRY, "", list_entry_node_id(version.version_id, entry.entry_id))
                self._put_node(ekey, {**entry.to_props(), "id": ekey[2]}, undo)
                self._put_edge(ekey, vkey, Rel.IN_VERSION, {}, undo)

    def current_list_version(self, list_name: str) -> ListVersion | None:
        """The newest version of a list, without its entries."""
        with self._lock:
            self._refresh()
            current = self._list_seq.get(list_name)
            if current is None:
                return None
            node = self._graph.nodes[_key(Label.LIST_VERSION, "", current[1])]
            return ListVersion.from_props(node["props"])

    def current_list(self, list_name: str) -> tuple[ListVersion, list[ListEntry]] | None:
        """The newest version of a list with its entries sorted by ID, or `None` if never loaded."""
        with self._lock:
            self._refresh()
            current = self._list_seq.get(list_name)
            if current is None:
                return None
            version_id = current[1]
            vprops = self._graph.nodes[_key(Label.LIST_VERSION, "", version_id)]["props"]
            entries = [
                ListEntry.from_props(self._graph.nodes[_key(Label.LIST_ENTRY, "", eid)]["props"])
                for eid in self._list_entries.get(version_id, ())
            ]
            entries.sort(key=lambda e: e.entry_id)
            return ListVersion.from_props(vprops), entries

    def list_versions(self, list_name: str | None = None) -> list[ListVersion]:
        """Every stored version (of one list, or of all), newest first."""
        with self._lock:
            self._refresh()
            found: list[tuple[int, ListVersion]] = []
            for version_id in self._list_versions:
                props = self._graph.nodes[_key(Label.LIST_VERSION, "", version_id)]["props"]
                if list_name is None or props["list_name"] == list_name:
                    found.append((int(props["seq"]), ListVersion.from_props(props)))
            found.sort(key=lambda pair: pair[0], reverse=True)
            return [version for _, version in found]

    def list_entries(self, version_id: str) -> list[ListEntry]:
        """The entries of one version sorted by ID."""
        with self._lock:
            self._refresh()
            entries = [
                ListEntry.from_props(self._graph.nodes[_key(Label.LIST_ENTRY, "", eid)]["props"])
                for eid in self._list_entries.get(version_id, ())
            ]
            entries.sort(key=lambda e: e.entry_id)
            return entries

    def drop_list(self, list_name: str) -> int:
        """Delete every version of a list with its entries, all or nothing."""
        with self._transaction() as undo:
            doomed = [
                vid
                for vid in sorted(self._list_versions)
                if self._graph.nodes[_key(Label.LIST_VERSION, "", vid)]["props"]["list_name"] == list_name
            ]
            if not doomed:
                return 0
            previous = self._graph
            undo.append(partial(self._set_graph, previous))
            graph = previous.copy()
            for vid in doomed:
                graph.remove_nodes_from(
                    [_key(Label.LIST_ENTRY, "", e) for e in self._list_entries.get(vid, ())]
                )
                graph.remove_node(_key(Label.LIST_VERSION, "", vid))
            self._graph = graph
            self._rebuild_indexes()
            return len(doomed)

    # -- reviewer decisions --------------------------------------------------------------------------
    def put_review(self, tenant: str, review: Review, data_version: str) -> None:
        """Store a decision (replacing one with the same ID) and move the tenant to `data_version`."""
        with self._transaction() as undo:
            key = _key(Label.REVIEW, tenant, review.review_id)
            self._put_node(key, {**review.to_props(), "tenant": tenant, "id": review.review_id}, undo)
            tenant_key = _key(Label.TENANT, "", tenant)
            self._put_node(tenant_key, {"id": tenant, "data_version": data_version}, undo)

    def get_reviews(self, tenant: str, subjects: Collection[str]) -> dict[str, list[Review]]:
        """Decisions per subject, sorted by (list, entry)."""
        wanted = set(subjects)
        with self._lock:
            self._refresh()
            out: dict[str, list[Review]] = {}
            for review_id in self._sorted_ids(tenant, Label.REVIEW):
                review = self._record(_key(Label.REVIEW, tenant, review_id), Review)
                if review.subject in wanted:
                    out.setdefault(review.subject, []).append(review)
            for reviews in out.values():
                reviews.sort(key=lambda r: (r.list_name, r.entry_id))
            return dict(sorted(out.items()))

    # -- graph mutation with an undo journal ---------------------------------------------------------
    def _put_node(self, key: NodeKey, props: dict[str, Any], undo: Undo) -> None:
        graph = self._graph
        if key in graph:
            old = graph.nodes[key]["props"]
            undo.append(lambda: graph.nodes[key].__setitem__("props", old))
        else:
            undo.append(lambda: graph.remove_node(key))
        graph.add_node(key, props=props)
        self._index_node(key, props)

    def _drop_node(self, key: NodeKey, undo: Undo) -> None:
        graph = self._graph
        props = graph.nodes[key]["props"]
        edges = [(u, v, k, d) for u, v, k, d in graph.in_edges(key, keys=True, data=True)]
        edges += [(u, v, k, d) for u, v, k, d in graph.out_edges(key, keys=True, data=True)]

        def restore() -> None:
            graph.add_node(key, props=props)
            for u, v, k, d in edges:
                graph.add_edge(u, v, key=k, **d)

        graph.remove_node(key)
        undo.append(restore)
        self._unindex_node(key, props)

    def _put_edge(self, u: NodeKey, v: NodeKey, rel: Rel, props: dict[str, Any], undo: Undo) -> None:
        graph = self._graph
        if graph.has_edge(u, v, key=rel.value):
            old = graph.edges[u, v, rel.value]["props"]
            undo.append(lambda: graph.edges[u, v, rel.value].__setitem__("props", old))
        else:
            undo.append(lambda: graph.remove_edge(u, v, key=rel.value))
        graph.add_edge(u, v, key=rel.value, props=props)

    def _drop_edges(self, node: NodeKey, rel: Rel, incoming: bool, undo: Undo) -> None:
        graph = self._graph
        # The raw adjacency dicts ({neighbour: {rel: data}}): networkx's read-only views cost a Python
        # call per access, which dominated bulk loads.
        neighbours: dict[NodeKey, dict[str, Any]] = graph._pred[node] if incoming else graph._succ[node]
        if not neighbours:
            return
        found = [(other, keyed[rel.value]) for other, keyed in neighbours.items() if rel.value in keyed]
        for other, data in found:
            u, v = (other, node) if incoming else (node, other)
            graph.remove_edge(u, v, key=rel.value)
            undo.append(partial(graph.add_edge, u, v, rel.value, **data))

    def _put_bom_line(self, tenant: str, line: BomLine, undo: Undo) -> None:
        parent = _key(Label.ITEM, tenant, line.parent_item_id)
        child = _key(Label.ITEM, tenant, line.component_item_id)
        missing = [n[2] for n in (parent, child) if n not in self._graph]
        if missing:
            # A BOM line is a relationship and cannot outlive its items; the loader resolves references
            # first, so reaching this means a caller skipped validation.
            raise ConflictError(f"BOM line {line.line_id!r} names unknown item(s) {', '.join(missing)}")
        self._put_edge(parent, child, Rel.HAS_COMPONENT, bom_props(line), undo)
        self._bom_ids.setdefault(tenant, set()).add(line.line_id)

    # -- derived indexes -----------------------------------------------------------------------------
    def _rebuild_indexes(self) -> None:
        #: node key -> (the property dict it was built from, the record); see `_record`
        self._built: dict[NodeKey, tuple[dict[str, Any], Record]] = {}
        #: (parent, component) node keys -> (the edge's property dict, the line); see `_line`
        self._built_lines: dict[tuple[NodeKey, NodeKey], tuple[dict[str, Any], BomLine]] = {}
        self._ids: dict[tuple[str, Label], set[str]] = {}
        self._sorted: dict[tuple[str, Label], list[str]] = {}
        self._into: dict[tuple[str, str, str], set[str]] = {}
        self._bom_ids: dict[str, set[str]] = {}
        #: list name -> (seq, version_id) of its current version
        self._list_seq: dict[str, tuple[int, str]] = {}
        #: version_id -> node IDs of its entries
        self._list_entries: dict[str, set[str]] = {}
        #: every stored list version's ID
        self._list_versions: set[str] = set()
        #: tenant -> IDs of its API keys
        self._api_keys: dict[str, set[str]] = {}
        for key, data in self._graph.nodes(data=True):
            self._index_node(key, data["props"])
        for u, v, rel in self._graph.edges(keys=True):
            if rel == Rel.HAS_COMPONENT.value:
                self._bom_ids.setdefault(u[1], set()).add(f"{u[2]}>{v[2]}")

    def _index_node(self, key: NodeKey, props: dict[str, Any]) -> None:
        label, tenant, node_id = Label(key[0]), key[1], key[2]
        if label.tenant_owned:
            ids = self._ids.setdefault((tenant, label), set())
            if node_id not in ids:
                ids.add(node_id)
                self._sorted.pop((tenant, label), None)
            if label is Label.SOURCING:
                self._into.setdefault((tenant, props["buyer_key"], props["item_id"]), set()).add(node_id)
        elif label is Label.LIST_VERSION:
            self._list_versions.add(node_id)
            name, seq = props["list_name"], int(props["seq"])
            if name not in self._list_seq or self._list_seq[name][0] < seq:
                self._list_seq[name] = (seq, node_id)
        elif label is Label.LIST_ENTRY:
            version_id = json.loads(node_id)[0]
            self._list_entries.setdefault(version_id, set()).add(node_id)
        elif label is Label.API_KEY:
            self._api_keys.setdefault(props["tenant"], set()).add(node_id)

    def _unindex_node(self, key: NodeKey, props: dict[str, Any]) -> None:
        # Only list entries are ever removed (a list version rewritten under the same ID).
        if key[0] == Label.LIST_ENTRY.value:
            self._list_entries.get(json.loads(key[2])[0], set()).discard(key[2])

    def _sorted_ids(self, tenant: str, label: Label) -> list[str]:
        cached = self._sorted.get((tenant, label))
        if cached is None:
            cached = sorted(self._ids.get((tenant, label), ()))
            self._sorted[(tenant, label)] = cached
        return cached

    def _get(self, tenant: str, label: Label, rtype: type[R], ids: Collection[str]) -> dict[str, R]:
        with self._lock:
            self._refresh()
            nodes = self._graph.nodes
            out: dict[str, R] = {}
            for node_id in sorted(set(ids)):
                key = _key(label, tenant, node_id)
                if key in nodes:
                    out[node_id] = self._record(key, rtype)
            return out

    def _line(self, node: NodeKey, child: NodeKey, parent_id: str, data: dict[str, Any]) -> BomLine:
        """The HAS_COMPONENT edge as a `BomLine`, built once per version of its properties (as `_record`
        does for nodes: a write replaces the edge's property dict, so identity tells a stale line)."""
        props = data["props"]
        hit = self._built_lines.get((node, child))
        if hit is not None and hit[0] is props:
            return hit[1]
        line = bom_line(parent_id, child[2], props)
        self._built_lines[(node, child)] = (props, line)
        return line

    def _record(self, key: NodeKey, rtype: type[R]) -> R:
        """The node as a record, built once per version of its properties.

        Records are immutable and a write replaces a node's property dict (an undo restores the old
        one), so a cached record is current exactly while it was built from the very same dict.
        """
        props = self._graph.nodes[key]["props"]
        hit = self._built.get(key)
        if hit is not None and hit[0] is props:
            return cast(R, hit[1])
        record = rtype.from_props(props)
        self._built[key] = (props, record)
        return record

    def _schema_version_locked(self) -> int:
        node = self._graph.nodes.get(SCHEMA_KEY)
        return int(node["props"]["version"]) if node else 0

    def _set_graph(self, graph: Any) -> None:
        self._graph = graph

    # -- transactions and the file -------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[Undo]:
        """Serialize a write across threads and processes and make it all or nothing."""
        with self._lock, self._file_lock(), gc_paused():
            self._refresh(force=True)  # apply on top of whatever another process committed meanwhile
            undo: Undo = []
            try:
                yield undo
                if undo:  # something changed
                    self._persist()
            except BaseException as e:
                for step in reversed(undo):
                    step()
                self._rebuild_indexes()
                if isinstance(e, OSError):
                    raise StoreError(f"could not save the graph to {self._path}: {e}") from e
                raise

    def _file_lock(self) -> Any:
        if self._path is None:
            return nullcontext()
        return _flock(self._path.with_name(self._path.name + ".lock"))

    def _refresh(self, force: bool = False) -> None:
        """Reload from the file if another process (or instance) replaced it since we last looked.

        Inside a snapshot reads keep the state they started with; a write (`force`) always looks.
        """
        if self._path is None or (self._frozen and not force):
            return
        try:
            st = os.stat(self._path)
        except FileNotFoundError:
            if self._stamp is not None:  # the file was removed: start over empty, as a new store would
                self._graph = nx.MultiDiGraph()
                self._stamp = None
                self._rebuild_indexes()
            return
        except OSError as e:
            raise StoreError(f"cannot read the graph file {self._path}: {e}") from e
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp != self._stamp:
            with gc_paused():
                self._load()

    def _load(self) -> None:
        assert self._path is not None
        try:
            with open(self._path, encoding="utf-8") as fh:
                st = os.fstat(fh.fileno())
                doc = json.load(fh)
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot read the graph file {self._path}: {e}") from e
        if not isinstance(doc, dict) or doc.get("format") != FILE_FORMAT:
            raise StoreError(f"{self._path} is not a tracegraph graph file (format {FILE_FORMAT})")
        graph: Any = nx.MultiDiGraph()
        for label, tenant, node_id, props in doc["nodes"]:
            graph.add_node((label, tenant, node_id), props=props)
        for u, v, rel, props in doc["edges"]:
            graph.add_edge(tuple(u), tuple(v), key=rel, props=props)
        self._graph = graph
        self._stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        self._rebuild_indexes()

    def _persist(self) -> None:
        if self._path is None:
            return
        doc = {
            "format": FILE_FORMAT,
            "nodes": [[*key, data["props"]] for key, data in self._graph.nodes(data=True)],
            "edges": [[u, v, k, d["props"]] for u, v, k, d in self._graph.edges(keys=True, data=True)],
        }
        directory = self._path.parent
        tmp = directory / f".{self._path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                # dumps, not dump: only the one-shot path uses the C encoder (several times faster).
                fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(directory)
        st = os.stat(self._path)
        self._stamp = (st.st_mtime_ns, st.st_size, st.st_ino)

    # -- screening jobs ------------------------------------------------------------------------------
    def put_job(self, tenant: str, job_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace the job's node."""
        with self._transaction() as undo:
            props = {"tenant": tenant, "id": job_id, "data": json.dumps(data, sort_keys=True)}
            self._put_node(_key(Label.SCREENING_JOB, tenant, job_id), props, undo)

    def get_job(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        """The job's document, or `None`."""
        with self._lock:
            self._refresh()
            node = self._graph.nodes.get(_key(Label.SCREENING_JOB, tenant, job_id))
            return dict(json.loads(node["props"]["data"])) if node else None

    def unfinished_jobs(self) -> list[tuple[str, str]]:
        """Every unfinished job of every tenant, oldest first."""
        with self._lock:
            self._refresh()
            found: list[tuple[str, str, str]] = []
            for (label, tenant, node_id), attrs in self._graph.nodes(data=True):
                if label != Label.SCREENING_JOB.value:
                    continue
                data = json.loads(attrs["props"]["data"])
                if str(data.get("status")) not in FINISHED_JOB_STATES:
                    found.append((str(data.get("created_at")), tenant, node_id))
            return [(tenant, job_id) for _, tenant, job_id in sorted(found)]

    def put_job_results(
        self, tenant: str, job_id: str, start: int, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """One node per saved chunk, replaced if the chunk is saved again."""
        with self._transaction() as undo:
            node_id = f"{job_id}:{start:09d}"
            props = {
                "tenant": tenant,
                "id": node_id,
                "job_id": job_id,
                "start": start,
                "count": len(rows),
                "data": json.dumps(list(rows), sort_keys=True),
            }
            self._put_node(_key(Label.SCREENING_RESULTS, tenant, node_id), props, undo)

    def get_job_results(self, tenant: str, job_id: str, start: int, limit: int) -> list[dict[str, Any]]:
        """Results from the chunks overlapping `start .. start + limit`, cut to that range."""
        with self._lock:
            self._refresh()
            out: list[dict[str, Any]] = []
            prefix = f"{job_id}:"
            for node_id in self._sorted_ids(tenant, Label.SCREENING_RESULTS):
                if not node_id.startswith(prefix):
                    continue
                props = self._graph.nodes[_key(Label.SCREENING_RESULTS, tenant, node_id)]["props"]
                first, count = int(props["start"]), int(props["count"])
                if first + count <= start or first >= start + limit:
                    continue
                out.extend(json.loads(props["data"])[max(0, start - first) :])
            return out[:limit]

    # -- idempotent writes ---------------------------------------------------------------------------
    def put_idempotent(self, tenant: str, key: str, data: Mapping[str, Any]) -> None:
        """Keep the answer under the key."""
        with self._transaction() as undo:
            props = {"tenant": tenant, "id": key, "data": json.dumps(data, sort_keys=True)}
            self._put_node(_key(Label.IDEMPOTENT_REQUEST, tenant, key), props, undo)

    def get_idempotent(self, tenant: str, key: str) -> dict[str, Any] | None:
        """What was kept under the key, or `None`."""
        with self._lock:
            self._refresh()
            node = self._graph.nodes.get(_key(Label.IDEMPOTENT_REQUEST, tenant, key))
            return dict(json.loads(node["props"]["data"])) if node else None

    # -- verdict changes -----------------------------------------------------------------------------
    def tenant_data_versions(self) -> dict[str, str]:
        """Every tenant's data version, tenants in ID order."""
        with self._lock:
            self._refresh()
            found = {
                node_id: str(attrs["props"].get("data_version", ""))
                for (label, _, node_id), attrs in self._graph.nodes(data=True)
                if label == Label.TENANT.value and attrs["props"].get("data_version")
            }
            return dict(sorted(found.items()))

    def get_change_tracker(self, tenant: str) -> dict[str, Any] | None:
        """The tracker's document, or `None`."""
        return self._document(Label.CHANGE_TRACKER, tenant, "tracker")

    def get_verdict_snapshots(self, tenant: str, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        """Snapshots by key, in key order."""
        with self._lock:
            self._refresh()
            out: dict[str, dict[str, Any]] = {}
            for key in sorted(set(keys)):
                node = self._graph.nodes.get(_key(Label.VERDICT_SNAPSHOT, tenant, key))
                if node is not None:
                    out[key] = dict(json.loads(node["props"]["data"]))
            return out

    def commit_verdict_changes(
        self,
        tenant: str,
        expected_revision: int,
        tracker: Mapping[str, Any],
        snapshots: Mapping[str, Mapping[str, Any]],
        changes: Sequence[Mapping[str, Any]],
    ) -> bool:
        """All in one transaction, after checking the revision under the file lock."""
        with self._transaction() as undo:
            tracker_key = _key(Label.CHANGE_TRACKER, tenant, "tracker")
            node = self._graph.nodes.get(tracker_key)
            if (int(node["props"]["revision"]) if node else 0) != expected_revision:
                return False
            for key, data in snapshots.items():
                props: dict[str, Any] = {"tenant": tenant, "id": key, "data": json.dumps(data)}
                self._put_node(_key(Label.VERDICT_SNAPSHOT, tenant, key), props, undo)
            for change in changes:
                seq = int(change["seq"])
                props = {
                    "tenant": tenant,
                    "id": f"{seq:012d}",
                    "seq": seq,
                    "at_us": epoch_us(str(change["changed_at"])),
                    "subject_kind": str(change["subject_kind"]),
                    "data": json.dumps(change, sort_keys=True),
                }
                self._put_node(_key(Label.VERDICT_CHANGE, tenant, props["id"]), props, undo)
            props = {
                "tenant": tenant,
                "id": "tracker",
                "revision": int(tracker["revision"]),
                "data": json.dumps(tracker, sort_keys=True),
            }
            self._put_node(tracker_key, props, undo)
            return True

    def list_verdict_changes(
        self,
        tenant: str,
        after_seq: int = 0,
        before_seq: int | None = None,
        since: datetime | None = None,
        subject_kind: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Newest first, walking the tenant's changes backwards by `seq`."""
        since_us = epoch_us(since.isoformat()) if since is not None else None
        with self._lock:
            self._refresh()
            out: list[dict[str, Any]] = []
            for node_id in reversed(self._sorted_ids(tenant, Label.VERDICT_CHANGE)):
                if len(out) >= limit:
                    break
                props = self._graph.nodes[_key(Label.VERDICT_CHANGE, tenant, node_id)]["props"]
                seq = int(props["seq"])
                if seq <= after_seq:
                    break
                if before_seq is not None and seq >= before_seq:
                    continue
                if since_us is not None and int(props["at_us"]) < since_us:
                    break  # older still further back: changes are appended in time order
                if subject_kind is not None and props["subject_kind"] != subject_kind:
                    continue
                out.append(dict(json.loads(props["data"])))
            return out

    # -- webhooks ------------------------------------------------------------------------------------
    def put_webhook(
        self, tenant: str, webhook_id: str, data: Mapping[str, Any], expected: Mapping[str, Any] | None = None
    ) -> bool:
        """Create or replace the subscription's node (with `expected`: only if it still holds that)."""
        with self._transaction() as undo:
            key = _key(Label.WEBHOOK, tenant, webhook_id)
            if expected is not None:
                node = self._graph.nodes.get(key)
                if node is None or node["props"]["data"] != json.dumps(expected, sort_keys=True):
                    return False
            props = {"tenant": tenant, "id": webhook_id, "data": json.dumps(data, sort_keys=True)}
            self._put_node(key, props, undo)
            return True

    def get_webhook(self, tenant: str, webhook_id: str) -> dict[str, Any] | None:
        """The subscription's document, or `None`."""
        return self._document(Label.WEBHOOK, tenant, webhook_id)

    def list_webhooks(self, tenant: str) -> list[dict[str, Any]]:
        """Every subscription of the tenant, by (created_at, ID)."""
        with self._lock:
            self._refresh()
            found = [
                json.loads(self._graph.nodes[_key(Label.WEBHOOK, tenant, i)]["props"]["data"])
                for i in self._sorted_ids(tenant, Label.WEBHOOK)
                if _key(Label.WEBHOOK, tenant, i) in self._graph
            ]
            return sorted(found, key=lambda d: (epoch_us(str(d["created_at"])), str(d.get("webhook_id"))))

    def delete_webhook(self, tenant: str, webhook_id: str) -> bool:
        """Delete the subscription and its deliveries in one transaction."""
        with self._transaction() as undo:
            node = _key(Label.WEBHOOK, tenant, webhook_id)
            if node not in self._graph:
                return False
            for delivery_id in self._sorted_ids(tenant, Label.WEBHOOK_DELIVERY):
                key = _key(Label.WEBHOOK_DELIVERY, tenant, delivery_id)
                if key in self._graph and self._graph.nodes[key]["props"]["webhook_id"] == webhook_id:
                    self._drop_node(key, undo)
            self._drop_node(node, undo)
            return True

    def put_webhook_delivery(self, tenant: str, delivery_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace the delivery's node."""
        with self._transaction() as undo:
            props = {
                "tenant": tenant,
                "id": delivery_id,
                "webhook_id": str(data["webhook_id"]),
                "data": json.dumps(data, sort_keys=True),
            }
            self._put_node(_key(Label.WEBHOOK_DELIVERY, tenant, delivery_id), props, undo)

    def get_webhook_delivery(self, tenant: str, delivery_id: str) -> dict[str, Any] | None:
        """The delivery's document, or `None`."""
        return self._document(Label.WEBHOOK_DELIVERY, tenant, delivery_id)

    def list_webhook_deliveries(self, tenant: str, webhook_id: str, limit: int) -> list[dict[str, Any]]:
        """The subscription's deliveries by (created_at, ID), newest first."""
        with self._lock:
            self._refresh()
            found = []
            for delivery_id in self._sorted_ids(tenant, Label.WEBHOOK_DELIVERY):
                key = _key(Label.WEBHOOK_DELIVERY, tenant, delivery_id)
                if key in self._graph and self._graph.nodes[key]["props"]["webhook_id"] == webhook_id:
                    found.append(json.loads(self._graph.nodes[key]["props"]["data"]))
            found.sort(key=lambda d: (epoch_us(str(d["created_at"])), str(d["delivery_id"])), reverse=True)
            return found[:limit]

    def pending_webhook_deliveries(self) -> list[tuple[str, str]]:
        """Every pending delivery of every tenant, the earliest due first."""
        with self._lock:
            self._refresh()
            found: list[tuple[int, str, str]] = []
            for (label, tenant, node_id), attrs in self._graph.nodes(data=True):
                if label != Label.WEBHOOK_DELIVERY.value:
                    continue
                data = json.loads(attrs["props"]["data"])
                if data.get("status") == "pending":
                    due = data.get("next_attempt_at")
                    found.append((epoch_us(str(due)) if due else 0, tenant, node_id))
            return [(tenant, delivery_id) for _, tenant, delivery_id in sorted(found)]

    def webhook_tenants(self) -> list[str]:
        """Every tenant with a subscription."""
        with self._lock:
            self._refresh()
            return sorted({key[1] for key in self._graph.nodes if key[0] == Label.WEBHOOK.value})

    def _document(self, label: Label, tenant: str, node_id: str) -> dict[str, Any] | None:
        with self._lock:
            self._refresh()
            node = self._graph.nodes.get(_key(label, tenant, node_id))
            return dict(json.loads(node["props"]["data"])) if node else None

    # -- API keys ------------------------------------------------------------------------------------
    def put_api_key(self, key: ApiKey) -> None:
        """Store a newly issued key; `ConflictError` if the ID exists (keys are never replaced)."""
        with self._transaction() as undo:
            node = _key(Label.API_KEY, "", key.key_id)
            if node in self._graph:
                raise ConflictError(f"API key {key.key_id!r} exists already")
            self._put_node(node, {**key.to_props(), "id": key.key_id}, undo)

    def get_api_key(self, key_id: str) -> ApiKey | None:
        """The key with this ID, or `None`."""
        with self._lock:
            self._refresh()
            node = _key(Label.API_KEY, "", key_id)
            return self._record(node, ApiKey) if node in self._graph else None

    def list_api_keys(self, tenant: str) -> list[ApiKey]:
        """Every key of a tenant, sorted by (created_at, key_id)."""
        with self._lock:
            self._refresh()
            keys = [self._record(_key(Label.API_KEY, "", k), ApiKey) for k in self._api_keys.get(tenant, ())]
            return sorted(keys, key=lambda k: (k.created_at, k.key_id))

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> ApiKey | None:
        """Set `revoked_at` unless already set; the key after, or `None` if unknown."""
        with self._transaction() as undo:
            node = _key(Label.API_KEY, "", key_id)
            if node not in self._graph:
                return None
            props = self._graph.nodes[node]["props"]
            if "revoked_at" not in props:
                when = TypeAdapter(datetime).dump_python(revoked_at, mode="json")
                self._put_node(node, {**props, "revoked_at": when}, undo)
            return self._record(node, ApiKey)


@contextmanager
def _flock(lock_path: Path) -> Iterator[None]:
    """An exclusive advisory lock held across one read-modify-write of the graph file."""
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError(f"cannot open the lock file {lock_path}: {e}") from e
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; best effort, as some filesystems refuse to fsync a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
