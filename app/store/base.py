"""The `GraphStore` protocol: everything the service asks of a graph database.

Two backends implement it: `Neo4jStore` (a real Neo4j server, the production store) and `MemoryStore`
(networkx in process, persisted to a file; the zero-setup default). `tests/conformance` runs one suite
against both so they cannot drift apart.

Every tenant-owned read and write takes the tenant first and is scoped by it inside the store, so no
caller can forget the scope. Reads are batched (a whole frontier of the walk per call) because a
round trip per node would make a 1,000-state trace cost a second on a networked database.
Results are returned in a deterministic order (sorted by key) so both stores give identical answers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol, runtime_checkable

from graph_schema import (
    ApiKey,
    BomLine,
    Bundle,
    Company,
    Document,
    Facility,
    Item,
    ItemKind,
    ListEntry,
    ListVersion,
    Review,
    Sourcing,
)
from graph_schema.records import Lot, LotEvent, Record
from graph_schema.vocab import Label


class RecordKind(StrEnum):
    """The kinds of tenant-owned record, named as the bundle's files."""

    COMPANIES = "companies"
    FACILITIES = "facilities"
    ITEMS = "items"
    BOM = "bom"
    SOURCING = "sourcing"
    DOCUMENTS = "documents"


#: (buyer facility ID or "" for the importer itself, item ID)
SourcingKey = tuple[str, str]


class KeyLookup(StrEnum):
    """Records found by an outside identifier instead of their ID: `(label, property)` pairs, indexed."""

    FACILITY_GLN = "facility_gln"
    ITEM_GTIN = "item_gtin"
    DOCUMENT_NUMBER = "document_number"
    SOURCING_SUPPLIER = "sourcing_supplier_facility_id"  # every link a supplier facility ships on

    @property
    def label(self) -> Label:
        labels = {
            "facility": Label.FACILITY,
            "item": Label.ITEM,
            "document": Label.DOCUMENT,
            "sourcing": Label.SOURCING,
        }
        return labels[self.value.split("_")[0]]

    @property
    def field(self) -> str:
        """The record field (and node property) looked up; each has an index (`graph_schema.vocab`)."""
        return self.value.split("_", 1)[1]


@dataclass(frozen=True)
class LotLink:
    """A recorded transformation input: `output_lot_id` was made from `input_lot_id` in `event_id`,
    using `quantity` `uom` of it (the first such event by time, when several link the same pair)."""

    output_lot_id: str
    input_lot_id: str
    event_id: str
    quantity: float | None = None
    uom: str | None = None

    def props(self) -> dict[str, Any]:
        """The relationship's properties (nulls dropped: graphs do not store them)."""
        values = {"event_id": self.event_id, "quantity": self.quantity, "uom": self.uom}
        return {k: v for k, v in values.items() if v is not None}

    @classmethod
    def of(cls, output_lot_id: str, input_lot_id: str, props: Mapping[str, Any]) -> LotLink:
        event_id = str(props["event_id"])
        return cls(output_lot_id, input_lot_id, event_id, props.get("quantity"), props.get("uom"))


class Supply(NamedTuple):
    """A sourcing row with what the walk needs next: the supplier facility, its operator, the item and
    the item's bill of materials (sorted by component). `None` where a record is not loaded.

    A named tuple: a deep upstream has thousands, built and unpacked on every tier of a walk."""

    sourcing: Sourcing
    facility: Facility | None
    operator: Company | None
    item: Item | None
    bom: tuple[BomLine, ...]


class StoredComparison(NamedTuple):
    """How a bundle's records stand against the tenant's stored ones, by key: `present` are stored,
    `unchanged` are stored exactly as given (a subset of `present`)."""

    present: set[str]
    unchanged: set[str]


@dataclass(frozen=True)
class TenantInfo:
    """What the store knows of a tenant's data as a whole."""

    tenant: str
    data_version: str
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SupplyClosure:
    """Supply rows prefetched for a whole upstream: `rows` by key for every key in `asked`.

    A key in `asked` without rows has none; a key outside `asked` was not prefetched and must be read.
    """

    rows: Mapping[SourcingKey, list[Supply]]
    asked: frozenset[SourcingKey]


class FirstLoad(Protocol):
    """A tenant's first load, handed to the store file by file while the rest of the bundle is still
    being validated, and kept only if all of it turns out valid.

    On Neo4j the server writes the first files while the client parses and checks the last ones, so the
    two halves of a load (client-bound validation, server-bound writing) overlap instead of following
    each other. Nothing is visible before `commit`, and nothing of an invalid bundle is ever kept.

    `start(rows)` comes before the first record, with a bound on the bundle's row count (Neo4j sizes its
    timeout by it and writes a bundle too big for one transaction as a staged load). `add` hands over
    one kind's records, each kind at most once; `order` is the order the store writes kinds in, so a
    caller that can choose adds them in it (any order is correct). A kind never added is written as
    empty. `commit(data_version)` writes what was added and the data version, all or nothing, and
    raises whatever writing met; `close()` without a commit discards everything.
    """

    order: tuple[RecordKind, ...]

    def start(self, rows: int) -> None: ...

    def add(self, kind: RecordKind, records: Sequence[Record]) -> None: ...

    def commit(self, data_version: str) -> None: ...

    def close(self) -> None: ...


#: the order a bundle's kinds are written in when the store has no preference of its own
BUNDLE_ORDER: tuple[RecordKind, ...] = tuple(RecordKind)


class BufferedFirstLoad:
    """`FirstLoad` for a store that gains nothing from early records (the embedded store writes in this
    process, so there is nothing to overlap): it keeps them and writes the whole bundle at `commit`."""

    order = BUNDLE_ORDER

    def __init__(self, store: GraphStore, tenant: str) -> None:
        self._store = store
        self._tenant = tenant
        self._kinds: dict[RecordKind, Sequence[Record]] = {}

    def start(self, rows: int) -> None:
        pass

    def add(self, kind: RecordKind, records: Sequence[Record]) -> None:
        self._kinds[kind] = records

    def commit(self, data_version: str) -> None:
        self._store.write_bundle(self._tenant, added_bundle(self._kinds), data_version)
        self._kinds = {}

    def close(self) -> None:
        self._kinds = {}


def added_bundle(kinds: Mapping[RecordKind, Sequence[Record]]) -> Bundle:
    """The bundle made of the kinds handed to a `FirstLoad` (missing kinds empty)."""
    lists: dict[str, Any] = {kind.value: list(records) for kind, records in kinds.items()}
    return Bundle(**lists)


def compare_by_reading(
    store: GraphStore, tenant: str, kind: RecordKind, records: Sequence[Record]
) -> StoredComparison:
    """`GraphStore.compare_records` by reading the stored records back and comparing their properties:
    what the embedded store does (its records are in memory) and what the conformance suite holds the
    Neo4j store's server-side comparison to."""
    if kind is RecordKind.BOM:
        lines = [r for r in records if isinstance(r, BomLine)]
        stored = store.get_bom(tenant, {line.parent_item_id for line in lines})
        by_pair = {(s.parent_item_id, s.component_item_id): s for group in stored.values() for s in group}
        pairs = {r.key: by_pair.get((r.parent_item_id, r.component_item_id)) for r in lines}
        old: dict[str, Record] = {key: line for key, line in pairs.items() if line is not None}
    else:
        old = dict(_READERS[kind](store, tenant, [r.key for r in records]))
    unchanged = {r.key for r in records if r.key in old and old[r.key].to_props() == r.to_props()}
    return StoredComparison(set(old), unchanged)


_READERS: dict[RecordKind, Callable[[GraphStore, str, Collection[str]], Mapping[str, Record]]] = {
    RecordKind.COMPANIES: lambda store, tenant, ids: store.get_companies(tenant, ids),
    RecordKind.FACILITIES: lambda store, tenant, ids: store.get_facilities(tenant, ids),
    RecordKind.ITEMS: lambda store, tenant, ids: store.get_items(tenant, ids),
    RecordKind.SOURCING: lambda store, tenant, ids: store.get_sourcing_by_id(tenant, ids),
    RecordKind.DOCUMENTS: lambda store, tenant, ids: store.get_documents(tenant, ids),
}


def closure_keys(item_id: str, facility_id: str, bom: Iterable[BomLine]) -> list[SourcingKey]:
    """The keys a state (item, facility) asks about: the item itself (resale) and its components.

    The walk and every prefetch ask exactly these, so a prefetched closure covers a walk's reads.
    """
    return [(facility_id, item_id), *((facility_id, line.component_item_id) for line in bom)]


def supply_closure_by_tiers(store: GraphStore, tenant: str, keys: Collection[SourcingKey]) -> SupplyClosure:
    """A closure built from `get_supply`, one call per tier: the portable way every store has.

    It follows every row (a superset of what the walk follows), asking `closure_keys` of each state it
    reaches once.
    """
    rows: dict[SourcingKey, list[Supply]] = {}
    asked: set[SourcingKey] = set()
    seen: set[tuple[str, str]] = set()
    frontier = set(keys)
    while frontier:
        asked |= frontier
        got = store.get_supply(tenant, sorted(frontier))
        rows.update(got)
        following: set[SourcingKey] = set()
        for group in got.values():
            for row in group:
                state = (row.sourcing.item_id, row.sourcing.supplier_facility_id)
                if row.item is None or row.facility is None or state in seen:
                    continue
                seen.add(state)
                following.update(closure_keys(state[0], state[1], row.bom))
        frontier = following - asked
    return SupplyClosure(rows=rows, asked=frozenset(asked))


def all_product_ids(store: GraphStore, tenant: str) -> list[str]:
    """Every product of a tenant in ID order, read in pages (a catalogue can hold 100,000)."""
    ids: list[str] = []
    after: str | None = None
    while True:
        page = store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=5000)
        if not page:
            return ids
        ids.extend(item.item_id for item in page)
        after = page[-1].item_id


def epoch_us(iso: str) -> int:
    """An ISO 8601 time as integer microseconds since the epoch (naive = UTC): both stores compare times
    as these, whatever the text's formatting (with or without fractions, `Z` or `+00:00`)."""
    when = datetime.fromisoformat(iso)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


#: job statuses after which a job never runs again (`app.jobs.JobStatus.finished`)
FINISHED_JOB_STATES = frozenset({"done", "failed", "cancelled"})


@runtime_checkable
class GraphStore(Protocol):
    """A tenant-scoped supply-chain graph plus shared reference data."""

    backend: str

    # -- lifecycle -----------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Apply constraints and indexes and migrate to `SCHEMA_VERSION`; idempotent."""
        ...

    def ping(self) -> None:
        """Raise `StoreUnavailableError` unless the store answers now."""
        ...

    def close(self) -> None: ...

    # -- tenant data: writes -------------------------------------------------------------------------
    def write_bundle(self, tenant: str, bundle: Bundle, data_version: str) -> None:
        """Upsert every record by key and set the tenant's data version, all or nothing.

        The caller has validated the bundle; a failure here leaves the store as it was.
        """
        ...

    def first_load(self, tenant: str) -> FirstLoad:
        """A `FirstLoad` for a tenant with no data yet: its records are taken while the bundle is still
        being validated (see `FirstLoad`). If the tenant gets data in the meantime, the load still
        upserts by key, as `write_bundle` does."""
        ...

    def drop_tenant(self, tenant: str) -> int:
        """Delete every record of a tenant and its data version; returns how many records went.

        For offboarding a tenant and for benchmarks, which must not leave their data behind. A
        million-record tenant cannot be deleted in one transaction of bounded memory, so on Neo4j this
        runs in batches of their own: after a failure, call it again to finish.
        """
        ...

    # -- tenant data: reads --------------------------------------------------------------------------
    def snapshot(self, timeout_s: float | None = None) -> AbstractContextManager[None]:
        """Make every read in the block see one consistent state of the data.

        `timeout_s` overrides the store's timeout for the whole block, for work known to be long
        (screening a whole catalogue reads for minutes); a single trace keeps the default.

        A trace reads a frontier per tier; without a snapshot a load committing between two tiers could
        give a trace that mixes old and new data. On Neo4j the block is one read transaction (which also
        saves a round trip per query); the embedded store reads under its lock. Nested blocks join the
        outer one.
        """
        ...

    def data_version(self, tenant: str) -> str:
        """The tenant's data version, "" before the first load; cheap, asked on every trace."""
        ...

    def tenant_info(self, tenant: str) -> TenantInfo:
        """Data version ("" before the first load) and record counts per kind (counts every record)."""
        ...

    def existing_keys(self, tenant: str, kind: RecordKind, keys: Collection[str]) -> set[str]:
        """Which of `keys` the tenant already has, to resolve a bundle's references to earlier loads."""
        ...

    def compare_records(self, tenant: str, kind: RecordKind, records: Sequence[Record]) -> StoredComparison:
        """Which of these records (all of `kind`) the tenant has, and which it has exactly as given.

        The load's change detection: a reload of an ERP's unchanged master data must write nothing and
        keep the data version. "Exactly" means equal stored properties (`Record.to_props`); BOM lines
        are identified by their (parent, component) pair. `compare_by_reading` is the reference answer;
        a store may compare where the data lives instead of shipping every record back.
        """
        ...

    def get_companies(self, tenant: str, ids: Collection[str]) -> dict[str, Company]: ...

    def get_facilities(self, tenant: str, ids: Collection[str]) -> dict[str, Facility]: ...

    def get_items(self, tenant: str, ids: Collection[str]) -> dict[str, Item]: ...

    def get_documents(self, tenant: str, ids: Collection[str]) -> dict[str, Document]: ...

    def get_bom(self, tenant: str, parent_ids: Collection[str]) -> dict[str, list[BomLine]]:
        """Bill-of-materials lines per parent item, sorted by component; parents without lines absent."""
        ...

    def get_sourcing(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Sourcing]]:
        """Sourcing rows per (buyer, item), sorted by `sourcing_id`; keys without rows absent."""
        ...

    def get_supply_closure(self, tenant: str, keys: Collection[SourcingKey]) -> SupplyClosure:
        """Every supply row upstream of `keys`, as `get_supply` would give it tier by tier.

        A trace on a networked store spends most of its time on per-tier round trips and index seeks;
        a store that can walk the whole upstream server-side in one call (Neo4j with tracegraph's
        procedure) answers here, others return `supply_closure_by_tiers`.
        """
        ...

    def get_supply(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Supply]]:
        """`get_sourcing` joined with each supplier, its operator, the item and its bill of materials.

        This is the walk's whole question per tier ("who supplies these items to these buyers, where
        are they, who runs them, and what is the item made of?"); one call per tier keeps a trace at
        one round trip per tier, which is what makes a 1,000-state trace fast on a networked database.
        """
        ...

    def get_sourcing_by_id(self, tenant: str, ids: Collection[str]) -> dict[str, Sourcing]:
        """Sourcing rows by `sourcing_id`, for the loader's change detection."""
        ...

    def list_items(
        self, tenant: str, kind: ItemKind | None = None, after: str | None = None, limit: int = 100
    ) -> list[Item]:
        """Items in ID order after `after` (keyset pagination), optionally of one kind."""
        ...

    def find_keys(self, tenant: str, lookup: KeyLookup, values: Collection[str]) -> dict[str, list[str]]:
        """IDs of the records whose `lookup` property equals each value (sorted; values without any absent).

        EPCIS documents name facilities by GLN, items by GTIN and documents by their own number, never by
        the tenant's IDs; a value may name several records, which the caller reports.
        """
        ...

    # -- lots (GS1 EPCIS, tenant-owned) --------------------------------------------------------------
    def write_lots(
        self,
        tenant: str,
        lots: Sequence[Lot],
        events: Sequence[LotEvent],
        links: Sequence[LotLink],
        data_version: str,
    ) -> None:
        """Upsert lots and events and set the tenant's data version, all or nothing.

        Relationships follow the records: each written event's `(:Lot)-[:RECORDED_IN]->` from the lots
        it names, `-[:AT]->` its facility and `-[:CITES]->` its documents are replaced; each written
        lot's outgoing `MADE_FROM` set becomes exactly the `links` whose output it is. The caller has
        validated everything (facilities, documents and every named lot exist or are written here).
        """
        ...

    def get_lots(self, tenant: str, ids: Collection[str]) -> dict[str, Lot]: ...

    def get_lot_events(self, tenant: str, ids: Collection[str]) -> dict[str, LotEvent]: ...

    def get_lot_links(self, tenant: str, lot_ids: Collection[str]) -> list[LotLink]:
        """Every `MADE_FROM` link with one of `lot_ids` at either end, sorted by (output, input)."""
        ...

    def list_lots(
        self, tenant: str, item_id: str | None = None, q: str | None = None, offset: int = 0, limit: int = 100
    ) -> list[Lot]:
        """Lots in ID order, of one item and/or whose ID contains `q` (case-insensitive)."""
        ...

    def lots_of_items(self, tenant: str, item_ids: Collection[str]) -> dict[str, list[Lot]]:
        """Every lot of each item, sorted by ID; items without lots absent (a product trace's one read)."""
        ...

    # -- shared reference data -----------------------------------------------------------------------
    def write_list_version(self, version: ListVersion, entries: list[ListEntry]) -> None:
        """Store one version of a screening list (idempotent by `version_id`) and make it current."""
        ...

    def current_list_version(self, list_name: str) -> ListVersion | None:
        """The newest version of a list without its entries: a cheap check that cached rules are current."""
        ...

    def current_list(self, list_name: str) -> tuple[ListVersion, list[ListEntry]] | None:
        """The newest version of a list with its entries sorted by ID, or `None` if never loaded."""
        ...

    def list_versions(self, list_name: str | None = None) -> list[ListVersion]:
        """Every stored version (of one list, or of all), newest first: the lists' history."""
        ...

    def list_entries(self, version_id: str) -> list[ListEntry]:
        """The entries of one version sorted by ID (empty for an unknown version)."""
        ...

    def drop_list(self, list_name: str) -> int:
        """Retire a list: delete every version of it with its entries; returns the versions deleted.

        Every list in the store is screened against, so a list loaded by mistake (or a test's) must be
        removable as a whole.
        """
        ...

    # -- reviewer decisions (tenant-owned) -----------------------------------------------------------
    def put_review(self, tenant: str, review: Review, data_version: str) -> None:
        """Store a decision (replacing one with the same ID) and move the tenant to `data_version`.

        A decision changes what a trace says, so it is a change of the tenant's data like a load:
        anything cached under the old data version stops being served.
        """
        ...

    def get_reviews(self, tenant: str, subjects: Collection[str]) -> dict[str, list[Review]]:
        """Decisions per subject, each list sorted by (list, entry); subjects without any absent."""
        ...

    # -- screening jobs (tenant-owned) ---------------------------------------------------------------
    # A job and its results are JSON documents owned by `app.jobs`; the store keeps them so that any
    # instance of the service sees them and a restart loses nothing.
    def put_job(self, tenant: str, job_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace a job's document (its `status` decides whether it is unfinished)."""
        ...

    def get_job(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        """The job's document, or `None` for an unknown job (or another tenant's)."""
        ...

    def unfinished_jobs(self) -> list[tuple[str, str]]:
        """(tenant, job_id) of every job not done, failed or cancelled, oldest first: a worker's queue."""
        ...

    def put_job_results(
        self, tenant: str, job_id: str, start: int, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Save results `start .. start + len(rows)` of a job (replacing a chunk saved at `start`)."""
        ...

    def get_job_results(self, tenant: str, job_id: str, start: int, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` saved results from index `start`, in order."""
        ...

    # -- idempotent writes (tenant-owned) ------------------------------------------------------------
    def put_idempotent(self, tenant: str, key: str, data: Mapping[str, Any]) -> None:
        """Keep a write's request hash and answer under the client's `Idempotency-Key`."""
        ...

    def get_idempotent(self, tenant: str, key: str) -> dict[str, Any] | None:
        """What was kept under that key, or `None`."""
        ...

    # -- verdict changes (tenant-owned) --------------------------------------------------------------
    # Documents owned by `app.changes`: each subject's last judged verdict (key `product:<id>` or
    # `lot:<id>`), the tenant's change feed, and what the snapshots were judged on. Kept in the store so
    # that every process of the service sees one feed and a restart forgets nothing.
    def tenant_data_versions(self) -> dict[str, str]:
        """Every tenant's data version (tenants that loaded or reviewed anything; none mid-first-load).

        One cheap read, the change tracker's poll: a tenant whose version did not move needs no work.
        """
        ...

    def get_change_tracker(self, tenant: str) -> dict[str, Any] | None:
        """What the tenant's snapshots were last judged on (its `revision` counts commits), or `None`."""
        ...

    def get_verdict_snapshots(self, tenant: str, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        """The snapshots of these subjects by key; subjects never judged are absent."""
        ...

    def commit_verdict_changes(
        self,
        tenant: str,
        expected_revision: int,
        tracker: Mapping[str, Any],
        snapshots: Mapping[str, Mapping[str, Any]],
        changes: Sequence[Mapping[str, Any]],
    ) -> bool:
        """Write snapshots (by key), append changes and replace the tracker document, all or nothing.

        Only if the stored tracker's revision is still `expected_revision` (0 when there is none):
        otherwise nothing is written and the answer is `False`, so two processes catching up the same
        tenant at once cannot record a change twice. A change carries `seq`, `changed_at` (ISO 8601) and
        `subject_kind`; the tracker carries the new `revision`.
        """
        ...

    def list_verdict_changes(
        self,
        tenant: str,
        after_seq: int = 0,
        before_seq: int | None = None,
        since: datetime | None = None,
        subject_kind: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Changes with `after_seq < seq < before_seq`, changed at or after `since`, newest first."""
        ...

    # -- webhooks (tenant-owned) ---------------------------------------------------------------------
    # Subscriptions and their delivery log, JSON documents owned by `app.webhooks`. A delivery's
    # `status` is `pending` until it was delivered or gave up; pending ones are the dispatcher's queue,
    # so a restarted service resumes them.
    def put_webhook(
        self, tenant: str, webhook_id: str, data: Mapping[str, Any], expected: Mapping[str, Any] | None = None
    ) -> bool:
        """Create or replace a subscription's document (it carries `created_at`); always `True`.

        With `expected`, replace it only if the stored document still equals `expected` (and say whether
        it did): a key rotation rewriting secrets from a command must not undo the cursor a running
        service moved meanwhile.
        """
        ...

    def get_webhook(self, tenant: str, webhook_id: str) -> dict[str, Any] | None:
        """The subscription's document, or `None` (also for another tenant's)."""
        ...

    def list_webhooks(self, tenant: str) -> list[dict[str, Any]]:
        """Every subscription of a tenant, oldest first."""
        ...

    def delete_webhook(self, tenant: str, webhook_id: str) -> bool:
        """Delete a subscription with its delivery log; `False` if there was none."""
        ...

    def put_webhook_delivery(self, tenant: str, delivery_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace a delivery (carrying `webhook_id`, `created_at`, `status`, `next_attempt_at`)."""
        ...

    def get_webhook_delivery(self, tenant: str, delivery_id: str) -> dict[str, Any] | None:
        """The delivery's document, or `None`."""
        ...

    def list_webhook_deliveries(self, tenant: str, webhook_id: str, limit: int) -> list[dict[str, Any]]:
        """A subscription's deliveries, newest first."""
        ...

    def pending_webhook_deliveries(self) -> list[tuple[str, str]]:
        """(tenant, delivery_id) of every pending delivery of every tenant, the earliest due first."""
        ...

    def webhook_tenants(self) -> list[str]:
        """Every tenant with at least one subscription, sorted: a key rotation goes over all of them."""
        ...

    # -- API keys ------------------------------------------------------------------------------------
    # Keys are global (a request's tenant is learnt from its key), so these take no tenant scope except
    # for listing; `drop_tenant` deletes a tenant's keys with its data, since an offboarded tenant must
    # lose its access too. Only hashes are stored: see `app.keys`.
    def put_api_key(self, key: ApiKey) -> None:
        """Store a newly issued key; `ConflictError` if its `key_id` exists (keys are never replaced)."""
        ...

    def get_api_key(self, key_id: str) -> ApiKey | None:
        """The key with this ID, revoked and expired ones included (the caller decides), or `None`."""
        ...

    def list_api_keys(self, tenant: str) -> list[ApiKey]:
        """Every key of a tenant, revoked and expired ones included, sorted by (created_at, key_id)."""
        ...

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> ApiKey | None:
        """Mark a key revoked (a second revocation keeps the first time); the key after, or `None`."""
        ...
