"""`Neo4jStore`: the production graph store on a Neo4j 5 server, through the official driver (sync API).

Design notes:
- All Cypher lives in `app.store.cypher`; this module only chooses statements and passes parameters.
- A bundle is written in ONE explicit transaction (tenant lock and data version first): label by label in
  `WRITE_ORDER`, each batched `UNWIND` statement writing nodes together with the relationships of their
  foreign keys, targets addressed by the element IDs earlier statements returned; CREATE for keys the
  tenant has no node of, update by element ID (re-deriving only what changed) for the others. Any failure
  rolls it all back. A tenant's first load is written by a thread of its own while the caller still
  validates the bundle (`_EarlyFirstLoad`); its data version is set last, once validation has passed.
- Reads are batched `UNWIND $ids` lookups served by the (tenant, id) uniqueness constraints and the
  indexes in `graph_schema.vocab`; results are re-sorted in Python so both stores answer identically.
- Every call carries a timeout (`Settings.store_timeout_s`; writes get more in proportion to their size),
  and driver errors are translated at this boundary into the domain's `StoreError` family.
- Screening lists: `ListVersion {id: version_id, seq}` nodes, where `seq` comes from a counter node and
  grows with every write, so the current version is the most recently written one. `ListEntry` nodes are
  version-scoped: one node per (version, entry), with `id` = JSON `[version_id, entry_id]`, linked
  `IN_VERSION` to their one version. That costs a node per entry per version, but an old version keeps the
  exact entry text it had (names and aliases change between list releases), which audit trails rely on.
"""

from __future__ import annotations

import gc
import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import Any, Literal, Protocol, TypeVar

from neo4j import (
    READ_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    Query,
    Result,
    RoutingControl,
    Session,
    Transaction,
    unit_of_work,
)
from neo4j import Record as Record_
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from pydantic import TypeAdapter

from app.config import Settings
from app.errors import (
    ConflictError,
    StoreError,
    StoreUnavailableError,
    TracegraphError,
    TransactionTooLargeError,
)
from app.perf import prompt_switching
from app.store import cypher
from app.store.base import (
    FINISHED_JOB_STATES,
    FirstLoad,
    KeyLookup,
    LotLink,
    RecordKind,
    SourcingKey,
    StoredComparison,
    Supply,
    SupplyClosure,
    TenantInfo,
    added_bundle,
    epoch_us,
    supply_closure_by_tiers,
)
from app.store.graph_model import (
    FK_RELS,
    LABEL_OF_KIND,
    FkRel,
    bom_key_candidates,
    bom_line,
    bom_props,
    bundle_records,
    list_entry_node_id,
    node_props,
    unique_by_key,
)
from graph_schema import (
    CONSTRAINTS,
    INDEXES,
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
    Review,
    Sourcing,
)
from graph_schema import migrations as migration_registry
from graph_schema.records import Lot, LotEvent, Record

R = TypeVar("R", bound=Record)
T = TypeVar("T")

#: rows per UNWIND: large enough to amortize round trips, small enough to keep messages and memory bounded
BATCH_SIZE = 5_000
#: a write may take this much longer per row than the base timeout (a 100k-row bundle gets +50 s)
WRITE_SECONDS_PER_ROW = 1 / 2_000
#: rows per transaction of a staged first load: well within a 2 GiB transaction memory limit
STAGED_ROWS_PER_TX = 50_000
#: The order a bundle's labels are written in: every label that foreign keys point at comes before the
#: labels pointing at it (documents before the sourcing rows they back), so each node is written together
#: with its relationships; only a key between nodes of one label (a company's parent) waits for a pass
#: after all nodes. Bill-of-materials lines go between documents and sourcing, which gives the last
#: document batch time to finish before sourcing rows need the documents' element IDs.
WRITE_ORDER: tuple[Label, ...] = (Label.COMPANY, Label.ITEM, Label.FACILITY, Label.DOCUMENT, Label.SOURCING)
#: BOM lines (relationships between items) are written right after this label's nodes
BOM_AFTER = Label.DOCUMENT
_KIND_OF_LABEL: dict[Label, RecordKind] = {label: kind for kind, label in LABEL_OF_KIND.items()}
#: the order a bundle's kinds are written in, BOM lines included: what `FirstLoad.order` tells a loader
KIND_WRITE_ORDER: tuple[RecordKind, ...] = tuple(
    kind
    for label in WRITE_ORDER
    for kind in ((_KIND_OF_LABEL[label], RecordKind.BOM) if label is BOM_AFTER else (_KIND_OF_LABEL[label],))
)
#: rows in the first batch of each label written (see `_ramped_chunks`)
FIRST_WRITE_BATCH = 250
#: labels whose nodes relationships point at, so their writes return element IDs
TARGET_LABELS: frozenset[Label] = frozenset({spec.target for spec in FK_RELS} | {Label.ITEM})


def _sorted_groups(out: dict[SourcingKey, list[Supply]]) -> dict[SourcingKey, list[Supply]]:
    """Keys in order and each key's rows by sourcing ID: the order every store answers in."""
    for group in out.values():
        group.sort(key=lambda row: row.sourcing.sourcing_id)
    return dict(sorted(out.items()))


def _supply_by_key(rows: Iterable[Any]) -> dict[SourcingKey, list[Supply]]:
    """Supply rows `[buyer, item, sourcing, facility, operator, item, bom]` grouped by key and sorted.

    Facility, company and item records are built once per node; an item's bill of materials comes with
    its first row (later rows of the same item may carry none).
    """
    out: dict[SourcingKey, list[Supply]] = {}
    facilities: dict[str, Facility] = {}
    companies: dict[str, Company] = {}
    items: dict[str, tuple[Item, tuple[BomLine, ...]]] = {}
    for buyer, item_id, sprops, fprops, cprops, iprops, bom in rows:
        fac = None
        if fprops is not None:
            fac = facilities.get(fprops["id"]) or facilities.setdefault(
                fprops["id"], Facility.from_props(fprops)
            )
        operator = None
        if cprops is not None:
            operator = companies.get(cprops["id"]) or companies.setdefault(
                cprops["id"], Company.from_props(cprops)
            )
        item: Item | None = None
        lines: tuple[BomLine, ...] = ()
        if iprops is not None:
            if iprops["id"] not in items:
                parts = sorted((c, p) for c, p in bom if c is not None)
                items[iprops["id"]] = (
                    Item.from_props(iprops),
                    tuple(bom_line(iprops["id"], c, p) for c, p in parts),
                )
            item, lines = items[iprops["id"]]
        out.setdefault((buyer, item_id), []).append(
            Supply(Sourcing.from_props(sprops), fac, operator, item, lines)
        )
    return _sorted_groups(out)


@dataclass(slots=True)
class KeptRecords:
    """The records kept for one (tenant, data version), by kind and ID (a bill of materials by its item)."""

    sourcing: dict[str, Sourcing] = field(default_factory=dict)
    facilities: dict[str, Facility] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    boms: dict[str, tuple[BomLine, ...]] = field(default_factory=dict)
    #: reviewers' decisions per subject, `()` for a subject read and found to have none
    reviews: dict[str, tuple[Review, ...]] = field(default_factory=dict)
    #: each sourcing row's (buyer, item) key and supply, assembled from the records above on first use
    supplies: dict[str, tuple[SourcingKey, Supply]] = field(default_factory=dict)

    def by_label(self, label: Label) -> dict[str, Any] | None:
        """The table of a bundle record kind; `None` for other labels (lots, lists), never kept."""
        tables: dict[Label, dict[str, Any]] = {
            Label.SOURCING: self.sourcing,
            Label.FACILITY: self.facilities,
            Label.COMPANY: self.companies,
            Label.ITEM: self.items,
            Label.DOCUMENT: self.documents,
        }
        return tables.get(label)

    def __len__(self) -> int:
        tables: tuple[dict[str, Any], ...] = (
            self.sourcing,
            self.facilities,
            self.companies,
            self.items,
            self.documents,
            self.boms,
            self.reviews,
        )
        return sum(len(table) for table in tables)


class DecodedRecords:
    """Records decoded from closure answers and reads, kept per (tenant, data version) across traces.

    Why: building and validating the ~4,700 records of a 1,000-state upstream costs more than the
    server's walk, and neighbouring products share most of their suppliers; once a trace has kept them,
    later closures at the same version ask the server for IDs only (`tracegraph.upstreamClosureIds`),
    which spares the server reading every property and the wire carrying them; and the records a trace
    reads after the walk (item names, documents, reviewers' decisions) are kept the same way once its
    snapshot has read the version (`Neo4jStore._kept`). A tenant's records cannot change without its
    data version changing (every write moves it in the same transaction), and every record is read
    after the version it is kept under, so it is that version's record or a newer one's.

    Bounded: the newest `versions` (tenant, version) pairs, each up to `per_version` records (a facility
    record is ~1.5 kB, so at most ~0.6 GB, and only what traces touched); older ones are dropped whole,
    and a full table stops growing (reads still decode, they just do not keep).
    """

    def __init__(self, versions: int = 4, per_version: int = 100_000) -> None:
        self._versions = versions
        self._per_version = per_version
        self._tables: OrderedDict[tuple[str, str], KeptRecords] = OrderedDict()
        #: the data version each tenant's records were last kept at
        self._latest: dict[str, str] = {}
        self._lock = threading.Lock()

    def table(self, tenant: str, version: str) -> KeptRecords | None:
        """The records kept for this tenant at this version (a new, empty table on first use); `None`
        before the tenant's first load, when there is nothing to keep."""
        if not version:
            return None
        key = (tenant, version)
        with self._lock:
            self._latest[tenant] = version
            table = self._tables.get(key)
            if table is None:
                table = self._tables[key] = KeptRecords()
                while len(self._tables) > self._versions:
                    self._tables.popitem(last=False)
            else:
                self._tables.move_to_end(key)
            return table

    def holds(self, tenant: str, version: str | None = None) -> bool:
        """Whether records are kept for `version`, or when the caller does not know it, for the version
        the tenant's last answer came at: then a closure is worth asking for IDs only (if a load came
        since, that costs one statement more, see `Neo4jStore.get_supply_closure`)."""
        with self._lock:
            version = version or self._latest.get(tenant)
            table = self._tables.get((tenant, version)) if version is not None else None
            return bool(table)

    def full(self, table: KeptRecords) -> bool:
        return len(table) >= self._per_version


def _supply_from_closure(
    rows: Iterable[Any],
    nodes: Sequence[dict[str, Any]],
    boms: Iterable[Any],
    kept: KeptRecords | None = None,
    room: bool = True,
) -> dict[SourcingKey, list[Supply]]:
    """The closure procedure's compact answer as `_supply_by_key` gives it: rows
    `[buyer, item, sourcing id, sourcing, facility, operator, item]` whose last three are indexes into
    `nodes` (each facility, company and item sent once), and `boms` as
    `[item index, [[component, props], ...]]`. Each node becomes a record once, however many links point
    at it; with `kept` (a `DecodedRecords` table of the answer's data version) a record decoded by an
    earlier answer is reused, and new ones are added while there is `room`.
    """
    kept = KeptRecords() if kept is None else kept
    lines: dict[int, tuple[BomLine, ...]] = {}
    for index, bom in boms:
        iid = nodes[index]["item_id"]
        found = kept.boms.get(iid)
        if found is None:
            parts = sorted((c, p) for c, p in bom if c is not None)
            found = tuple(bom_line(iid, c, p) for c, p in parts)
            if room:
                kept.boms[iid] = found
        lines[index] = found
    facilities: dict[int, Facility] = {}
    companies: dict[int, Company] = {}
    items: dict[int, Item] = {}

    def record(index: int, built: dict[int, Any], table: dict[str, Any], id_field: str, model: Any) -> Any:
        got = built.get(index)
        if got is None:
            props = nodes[index]
            got = table.get(props[id_field])
            if got is None:
                got = model.from_fields(props)
                if room:
                    table[props[id_field]] = got
            built[index] = got
        return got

    out: dict[SourcingKey, list[Supply]] = {}
    for buyer, item_id, sid, sprops, fi, ci, ii in rows:
        fac = None if fi is None else record(fi, facilities, kept.facilities, "facility_id", Facility)
        operator = None if ci is None else record(ci, companies, kept.companies, "company_id", Company)
        item = None if ii is None else record(ii, items, kept.items, "item_id", Item)
        sourcing = kept.sourcing.get(sid)
        if sourcing is None:
            sourcing = Sourcing.from_fields(sprops)
            if room:
                kept.sourcing[sid] = sourcing
        out.setdefault((buyer, item_id), []).append(
            Supply(sourcing, fac, operator, item, lines.get(ii, ()) if ii is not None else ())
        )
    return _sorted_groups(out)


def _supply_from_ids(rows: Iterable[Sequence[Any]], kept: KeptRecords) -> dict[SourcingKey, list[Supply]]:
    """The IDs-only closure answer, `[sourcing, facility, operator, item]` per row, from kept records
    (`Neo4jStore` has fetched any that were missing before calling this). A row's supply is assembled
    once per version: its sourcing row's relationships cannot change without the version changing."""
    supplies = kept.supplies
    grouped: dict[SourcingKey, list[tuple[str, Supply]]] = {}
    for sid, fid, cid, iid in rows:
        got = supplies.get(sid)
        if got is None:
            row = kept.sourcing[sid]
            got = supplies[sid] = (
                (row.buyer_key, row.item_id),
                Supply(
                    row,
                    None if fid is None else kept.facilities[fid],
                    None if cid is None else kept.companies[cid],
                    None if iid is None else kept.items[iid],
                    () if iid is None else kept.boms[iid],
                ),
            )
        grouped.setdefault(got[0], []).append((sid, got[1]))
    # Each key's rows by sourcing ID, as `_sorted_groups` orders them, sorting on the IDs at hand. The
    # keys themselves stay unsorted: a closure is looked up by key, never walked in key order, and at L
    # sorting its ~275k keys cost ~0.6 s of a whole-catalogue screen.
    return {key: [supply for _, supply in sorted(group, key=itemgetter(0))] for key, group in grouped.items()}


class _Results(Protocol):
    """What the write path reads of a statement's result: its one record, or its summary."""

    def single(self, strict: Literal[True]) -> Any: ...

    def consume(self) -> Any: ...


class _Runner(Protocol):
    """A transaction as the write path uses it: a driver `Transaction`, or a `_StagedTx`."""

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kwparameters: Any) -> _Results: ...


class _Settled:
    """A statement's result read before its transaction committed (the driver discards unread results
    at commit), so the write path can still read it afterwards."""

    def __init__(self, result: Result) -> None:
        self._result: Result | None = result
        self._records: list[Record_] = []
        self._summary: Any = None

    def settle(self) -> None:
        if self._result is not None:
            self._records = list(self._result)
            self._summary = self._result.consume()
            self._result = None

    def single(self, strict: Literal[True]) -> Any:
        self.settle()
        if len(self._records) != 1:
            raise StoreError(f"expected one record from a write statement, got {len(self._records)}")
        return self._records[0]

    def consume(self) -> Any:
        self.settle()
        return self._summary


class _StagedTx:
    """Runs a big first load as a series of transactions of about `rows_per_tx` rows each.

    Every statement's result is read before its transaction commits, so the bundle writer, which sends
    statements ahead and reads their results later, works unchanged.
    """

    def __init__(self, session: Session, timeout: float, rows_per_tx: int) -> None:
        self._session = session
        self._timeout = timeout
        self._rows_per_tx = rows_per_tx
        self._rows = 0
        self._open: list[_Settled] = []
        self._tx = session.begin_transaction(timeout=timeout)

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kwparameters: Any) -> _Settled:
        settled = _Settled(self._tx.run(query, parameters, **kwparameters))
        self._open.append(settled)
        rows = kwparameters.get("rows")
        self._rows += len(rows) if isinstance(rows, list) else 1
        if self._rows >= self._rows_per_tx:
            self.commit()
            self._tx = self._session.begin_transaction(timeout=self._timeout)
        return settled

    def commit(self) -> None:
        for settled in self._open:
            settled.settle()
        self._open = []
        self._rows = 0
        self._tx.commit()

    def close(self) -> None:
        self._tx.close()


def _chunks(rows: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _ParamList(list[T]):
    """A list parameter that the driver's debug log names by its length instead of spelling it out.

    The driver formats every RUN's parameters for its debug log before the logger decides whether to
    write anything, so a 5,000-row batch was turned into a string and dropped: ~5 ms of client CPU per
    batch, ~0.3 s of a 120k-row load. The list is packed as any other; a debug log reads "<5000 items>",
    which also keeps the tenant's data out of it.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} items>"


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn driver errors into domain errors, so nothing above the store knows Neo4j is behind it."""
    try:
        yield
    except TracegraphError:
        raise
    except IncompleteCommit as e:
        raise StoreUnavailableError(
            f"Neo4j connection lost while committing ({action}); the write may or may not have been applied"
        ) from e
    except (ServiceUnavailable, SessionExpired) as e:
        raise StoreUnavailableError(f"Neo4j is unavailable ({action}): {e}", retry_after=5) from e
    except TransientError as e:
        if (e.code or "").endswith("MemoryPoolOutOfMemoryError"):
            raise TransactionTooLargeError(
                f"{action} needs more memory than one Neo4j transaction may use ({e.message}); nothing was "
                "written. Split the bundle, or raise the server's limit (TRACEGRAPH_NEO4J_TX_MEMORY for "
                "scripts/neo4j.sh, db.memory.transaction.max elsewhere)."
            ) from e
        raise StoreUnavailableError(f"Neo4j is busy ({action}): {e.message}", retry_after=1) from e
    except ConstraintError as e:
        raise ConflictError(f"{action} conflicts with existing data: {e.message}") from e
    except AuthError as e:
        raise StoreError(f"Neo4j refused the credentials ({action}): {e.message}") from e
    except Neo4jError as e:
        raise StoreError(f"Neo4j failed ({action}): {e.code}: {e.message}") from e
    except DriverError as e:
        raise StoreError(f"Neo4j driver failed ({action}): {e}") from e


class Neo4jStore:
    """The Neo4j backend of `GraphStore`; one driver (connection pool) per store, shared by threads."""

    backend = "neo4j"

    def __init__(self, settings: Settings, *, batch_size: int = BATCH_SIZE) -> None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        self._database = settings.neo4j_database
        self._timeout = settings.store_timeout_s
        self._batch_size = batch_size
        #: the read transaction of the calling thread's open `snapshot()`, if any
        self._local = threading.local()
        self._use_procedures = settings.neo4j_procedures
        #: a tenant's first load at least this big is written in committed batches (0: never)
        self._staged_rows = settings.neo4j_staged_load_rows
        #: whether the server has tracegraph's closure procedure; asked on first use
        self._closure_procedure: bool | None = None
        #: records decoded from closure answers, per (tenant, data version)
        self._decoded = DecodedRecords()
        try:
            self._driver: Driver = GraphDatabase.driver(
                settings.neo4j_uri,
                auth=(settings.neo4j_user, password),
                connection_timeout=min(5.0, self._timeout),
                connection_acquisition_timeout=self._timeout,
                # Reads retry transient failures, but a server that is down should become a 503 quickly.
                max_transaction_retry_time=min(5.0, self._timeout),
                # "Property key does not exist" hints fire on every query touching a label no data has
                # used yet (e.g. the job worker's poll on a fresh database): noise, not a problem.
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
            )
        except (DriverError, ValueError) as e:
            raise StoreError(f"cannot configure the Neo4j driver for {settings.neo4j_uri}: {e}") from e

    # -- lifecycle -----------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create constraints and indexes, run pending migrations, stamp `SCHEMA_VERSION`; idempotent."""
        for constraint in CONSTRAINTS:
            self._ddl(cypher.create_constraint(constraint))
        for index in INDEXES:
            self._ddl(cypher.create_index(index))
        # New indexes populate in the background; wait, or the first reads would fall back to label scans.
        self._write(cypher.AWAIT_INDEXES, timeout=int(self._timeout))
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"the Neo4j database has schema version {current}, newer than this release's "
                f"{SCHEMA_VERSION}; upgrade tracegraph"
            )
        if current == SCHEMA_VERSION:
            return
        with _translated("migrating the schema"), self._driver.session(database=self._database) as session:
            # Each migration commits together with its version stamp: a crash resumes at the next one.
            for version, migration in migration_registry.pending(current):
                tx = session.begin_transaction(timeout=self._timeout * 10)
                try:
                    for statement in migration.cypher:
                        tx.run(statement).consume()
                    tx.run(cypher.STAMP_SCHEMA_VERSION, version=version).consume()
                    tx.commit()
                finally:
                    tx.close()
        self._write(cypher.STAMP_SCHEMA_VERSION, version=SCHEMA_VERSION)

    def schema_version(self) -> int:
        """The schema version recorded in the database (0 if never stamped)."""
        rows = self._read(cypher.READ_SCHEMA_VERSION)
        version = rows[0]["version"] if rows else None
        return int(version) if version is not None else 0

    def ping(self) -> None:
        """One round trip without retries, so a health check answers as fast as the outage is detected."""
        with _translated("ping"), self._driver.session(database=self._database) as session:
            session.run(Query(cypher.PING, timeout=min(5.0, self._timeout))).consume()

    def close(self) -> None:
        self._driver.close()

    def database_nodes(self) -> int:
        """Nodes in the whole database, every tenant's and the reference data: a long-used database
        loads measurably slower than a fresh one, so benchmarks say which one they ran on."""
        rows = self._read(cypher.COUNT_ALL_NODES)
        return int(rows[0]["nodes"]) if rows else 0

    # -- tenant data: writes -------------------------------------------------------------------------
    def write_bundle(self, tenant: str, bundle: Bundle, data_version: str) -> None:
        """Upsert every record by key and set the tenant's data version, all or nothing.

        Normally in one transaction. A tenant's first load of at least `staged_load_rows` rows (an ERP's
        initial export: a million rows do not fit in one transaction's memory) is written in batches
        that commit as they go, while the tenant is marked as loading: readers get a 503 and other
        loads a 409 until the last batch is in and the data version is set, and a failure deletes what
        was written, so the load is still all or nothing as far as anyone can see.
        """
        if self.stages(bundle.size()) and self._write_staged(tenant, bundle, data_version):
            return
        timeout = self._timeout + bundle.size() * WRITE_SECONDS_PER_ROW
        with (
            _translated("writing a bundle"),
            _gc_frozen(),
            self._driver.session(database=self._database) as session,
        ):
            tx = session.begin_transaction(timeout=timeout)
            try:
                self._apply_bundle(tx, tenant, _GivenBundle(bundle), data_version)
                tx.commit()
            finally:
                tx.close()  # rolls back unless committed

    def stages(self, rows: int) -> bool:
        """Whether a first load of this many rows is written as a staged load (committed batches): such a
        load is validated whole before it starts, and benchmarks say which kind they measured."""
        return 0 < self._staged_rows <= rows

    def _write_staged(self, tenant: str, bundle: Bundle, data_version: str) -> bool:
        """The staged first load; `False` (nothing done) when the tenant already has data."""
        load_id = uuid.uuid4().hex
        with _translated("starting a load"), self._driver.session(database=self._database) as session:
            row = session.execute_write(
                lambda tx: tx.run(cypher.BEGIN_STAGED_LOAD, tenant=tenant, load_id=load_id).single(
                    strict=True
                )
            )
        if row["busy"] is not None:
            raise ConflictError(f"tenant '{tenant}' is being loaded by another request; try again later")
        if row["version"]:
            return False
        timeout = self._timeout + STAGED_ROWS_PER_TX * WRITE_SECONDS_PER_ROW * 4
        try:
            with (
                _translated("writing a bundle (staged first load)"),
                _gc_frozen(),
                self._driver.session(database=self._database) as session,
            ):
                staged = _StagedTx(session, timeout, STAGED_ROWS_PER_TX)
                try:
                    self._apply_bundle(staged, tenant, _GivenBundle(bundle), data_version, lock=False)
                    staged.commit()
                finally:
                    staged.close()
                session.run(
                    Query(cypher.END_STAGED_LOAD, timeout=self._timeout),
                    tenant=tenant,
                    load_id=load_id,
                    data_version=data_version,
                ).consume()
        except BaseException:
            self._abandon_staged(tenant, load_id)
            raise
        return True

    def _abandon_staged(self, tenant: str, load_id: str) -> None:
        """Delete what a failed staged first load wrote (the tenant had no data before it) and unmark it.

        Only the bundle's kinds of records go: keys, reviews and jobs the tenant already had stay.
        """
        with _translated("undoing a failed load"), self._driver.session(database=self._database) as session:
            for label in reversed(WRITE_ORDER):
                session.run(
                    Query(cypher.drop_tenant_nodes(label), timeout=self._timeout * 20),
                    tenant=tenant,
                    batch=self._batch_size,
                ).consume()
            session.run(
                Query(cypher.ABANDON_STAGED_LOAD, timeout=self._timeout), tenant=tenant, load_id=load_id
            ).consume()

    def _apply_bundle(
        self, tx: _Runner, tenant: str, source: _RecordSource, data_version: str, lock: bool = True
    ) -> None:
        """Write the bundle inside `tx`: the tenant lock, then each label in `WRITE_ORDER` with the
        relationships of its foreign keys, the BOM lines, and last the keys between nodes of one label.

        Which records are new is settled after taking the lock, so no other bundle can change it before
        commit: for a label the tenant has no node of yet, all of them (a first load costs no lookup at
        all); otherwise one batched lookup of the bundle's keys, which also yields the element IDs of the
        nodes to update. New nodes are CREATEd with their relationships, without MERGE's locking lookup and
        with no old relationships to drop; existing ones are updated by element ID and their relationships
        re-derived, touching only what changed.
        """
        if lock:
            busy = tx.run(cypher.LOCK_TENANT, tenant=tenant, data_version=data_version).single(strict=True)
            if busy["loading"] is not None:
                raise ConflictError(f"tenant '{tenant}' is being loaded by another request; try again later")
        found = tx.run(cypher.populated_labels(WRITE_ORDER), tenant=tenant).single(strict=True)
        records: dict[Label, list[Record]] = {}

        def of(label: Label) -> list[Record]:  # a label's records, asked of the source when first needed
            if label not in records:
                records[label] = source.records(label)
            return records[label]

        writer = _BundleWriter(self, tx, tenant)
        writer.find_existing({label: of(label) for label in WRITE_ORDER if found[label.value]})
        written: set[Label] = set()
        deferred: list[tuple[Label, tuple[FkRel, ...]]] = []
        for label in WRITE_ORDER:
            specs = tuple(s for s in FK_RELS if s.label is label)
            inline = tuple(s for s in specs if s.target in written)
            if len(inline) < len(specs):
                deferred.append((label, tuple(s for s in specs if s.target not in written)))
            writer.write_nodes(label, of(label), inline)
            written.add(label)
            if label is BOM_AFTER and (bom := source.bom()):
                self._write_bom(writer, bom)
        for label, specs in deferred:
            writer.rederive(label, of(label), specs)
        writer.check_updates()

    def _write_bom(self, writer: _BundleWriter, lines: list[BomLine]) -> None:
        """Write BOM lines between items found by element ID; a line naming an unknown item fails all.
        Lines with an item this bundle created are CREATEd (no line can exist yet), the others MERGEd."""
        unique = {(b.parent_item_id, b.component_item_id): b for b in lines}  # the last wins, as upserts
        keys = {key for pair in unique for key in pair}
        items = writer.element_ids(Label.ITEM, keys)
        missing = sorted(keys - items.keys())
        if missing:
            # A BOM line is a relationship and cannot outlive its items; the loader resolves references
            # first, so reaching this means a caller skipped validation. Raising rolls everything back.
            raise ConflictError(f"BOM lines name unknown item(s) {', '.join(missing)}")
        created = writer.created(Label.ITEM)
        rows: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
        for (parent, component), b in unique.items():
            row = {"parent": items[parent], "component": items[component], "props": bom_props(b)}
            rows[parent in created or component in created].append(row)
        writer.run_batches(cypher.UPSERT_BOM, rows[False])
        writer.run_batches(cypher.CREATE_BOM, rows[True])

    def _run_batches(self, tx: _Runner, query: str, rows: list[dict[str, Any]], **params: Any) -> None:
        for chunk in _chunks(rows, self._batch_size):
            self._run_batch(tx, query, chunk, **params)

    def _run_batch(self, tx: _Runner, query: str, rows: Sequence[dict[str, Any]], **params: Any) -> _Results:
        """Send one UNWIND statement over one batch without waiting for it to finish.

        Bolt pipelines statements within a transaction, so the next batch is encoded while the server
        still executes this one; errors surface at the latest on commit, which then fails and rolls back.
        This is also the seam tests use to inject a failure mid-write.
        """
        return tx.run(query, rows=_ParamList(rows), **params)

    def first_load(self, tenant: str) -> FirstLoad:
        """Write each kind as it is handed over, from a thread of its own, in one transaction that commits
        only when the caller, having validated everything, says so (see `_EarlyFirstLoad`)."""
        return _EarlyFirstLoad(self, tenant)

    def drop_tenant(self, tenant: str) -> int:
        """Delete every record of a tenant in batches of their own transactions (see the protocol)."""
        deleted = 0
        with _translated("dropping a tenant"), self._driver.session(database=self._database) as session:
            # Referring nodes first, so a dense node (an item thousands of sourcing rows point at) has
            # lost its relationships batch by batch before it is deleted: deleting it with them in one
            # batch can exceed a transaction's memory.
            for label in (
                Label.LOT,
                Label.LOT_EVENT,
                Label.REVIEW,
                Label.SCREENING_JOB,
                Label.SCREENING_RESULTS,
                Label.IDEMPOTENT_REQUEST,
                Label.VERDICT_SNAPSHOT,
                Label.VERDICT_CHANGE,
                Label.CHANGE_TRACKER,
                Label.WEBHOOK,
                Label.WEBHOOK_DELIVERY,
                Label.API_KEY,
                *reversed(WRITE_ORDER),
            ):  # keys go too: no access is left
                result = session.run(
                    Query(cypher.drop_tenant_nodes(label), timeout=self._timeout * 20),
                    tenant=tenant,
                    batch=self._batch_size,
                )
                deleted += sum(int(r["deleted"]) for r in result)
            session.run(Query(cypher.DROP_TENANT, timeout=self._timeout), tenant=tenant).consume()
        return deleted

    # -- tenant data: reads --------------------------------------------------------------------------
    @contextmanager
    def snapshot(self, timeout_s: float | None = None) -> Iterator[None]:
        """Run the block's reads in one read transaction (per thread): one consistent view, and each
        query is a single pipelined round trip instead of a managed transaction of its own."""
        if getattr(self._local, "tx", None) is not None:
            yield
            return
        with (
            _translated("reading"),
            self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session,
        ):
            tx = session.begin_transaction(timeout=timeout_s or self._timeout)
            self._local.tx = tx
            self._local.versions = {}
            try:
                yield
            finally:
                self._local.tx = None
                self._local.versions = {}
                tx.close()

    def _noted_version(self, tenant: str, version: str) -> None:
        """Remember, for the rest of this thread's snapshot, the tenant's version read in it: records read
        after it are kept under it (see `_kept`)."""
        if getattr(self._local, "tx", None) is not None and version:
            self._local.versions[tenant] = version

    def _kept(self, tenant: str) -> KeptRecords | None:
        """The kept records of the version this snapshot read for the tenant, if it read one.

        Neo4j reads commit-by-commit (read committed), so a record read after the version was read is that
        version's or a newer one's; kept under the older version, it is only ever served to readers that
        read that version, who could have read the newer record themselves. A record read before the
        version is never kept, which is what could make a table stale.
        """
        version = self._snapshot_version(tenant)
        return None if version is None else self._decoded.table(tenant, version)

    def _snapshot_version(self, tenant: str) -> str | None:
        """The tenant's version as this thread's open snapshot read it, if it did."""
        if getattr(self._local, "tx", None) is None:
            return None
        versions: dict[str, str] = self._local.versions
        return versions.get(tenant)

    def data_version(self, tenant: str) -> str:
        """The tenant's data version, "" before the first load; 503 while a staged first load runs."""
        rows = self._read(cypher.DATA_VERSION, tenant=tenant)
        if rows and rows[0]["loading"] is not None:
            raise StoreUnavailableError(
                f"tenant '{tenant}' is being loaded for the first time; its data is not ready yet",
                retry_after=30,
            )
        version = str(rows[0]["data_version"]) if rows else ""
        self._noted_version(tenant, version)
        return version

    def tenant_info(self, tenant: str) -> TenantInfo:
        """Data version ("" before the first load) and record counts per kind."""
        [row] = self._read(cypher.TENANT_INFO, tenant=tenant)
        counts = {kind.value: int(row[kind.value]) for kind in RecordKind}
        return TenantInfo(tenant=tenant, data_version=str(row["data_version"]), counts=counts)

    def existing_keys(self, tenant: str, kind: RecordKind, keys: Collection[str]) -> set[str]:
        """Which of `keys` the tenant already has, to resolve a bundle's references to earlier loads."""
        wanted = sorted(set(keys))
        if kind is RecordKind.BOM:
            rows = [{"key": k, "parent": p, "component": c} for k in wanted for p, c in bom_key_candidates(k)]
            return set(self._collected_batches(cypher.EXISTING_BOM_KEYS, "rows", rows, tenant=tenant))
        query = cypher.existing_ids(LABEL_OF_KIND[kind])
        return set(self._collected_batches(query, "ids", wanted, tenant=tenant))

    def compare_records(self, tenant: str, kind: RecordKind, records: Sequence[Record]) -> StoredComparison:
        """Compared on the server: the records' properties go up and only (key, equal) comes back.

        Reading every stored record back to compare it here was most of a no-change reload (the server
        encoding, the client decoding and validating 120k records). The property maps sent are exactly
        what `write_bundle` stores, so equal maps mean a write would change nothing; the conformance
        suite holds this to `compare_by_reading`.
        """
        if kind is RecordKind.BOM:
            query = cypher.COMPARE_BOM
            rows = [
                [r.key, r.parent_item_id, r.component_item_id, bom_props(r)]
                for r in records
                if isinstance(r, BomLine)
            ]
        else:
            query = cypher.compare_nodes(LABEL_OF_KIND[kind])
            rows = [[r.key, node_props(tenant, r)] for r in records]
        present: set[str] = set()
        unchanged: set[str] = set()
        for key, equal in self._collected_batches(query, "rows", rows, tenant=tenant):
            present.add(key)
            if equal:
                unchanged.add(key)
        return StoredComparison(present, unchanged)

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
        return self._kept_groups(tenant, lambda kept: kept.boms, parent_ids, partial(self._read_bom, tenant))

    def _read_bom(self, tenant: str, parent_ids: Sequence[str]) -> dict[str, list[BomLine]]:
        out: dict[str, list[BomLine]] = {}
        for parent, component, props in self._collected_batches(
            cypher.GET_BOM, "ids", parent_ids, tenant=tenant
        ):
            out.setdefault(parent, []).append(bom_line(parent, component, props))
        for lines in out.values():
            lines.sort(key=lambda line: line.component_item_id)
        return dict(sorted(out.items()))

    def get_supply(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Supply]]:
        """Sourcing rows per (buyer, item) with each supplier facility and its operator, one query."""
        wanted = [[b, i] for b, i in sorted(set(keys))]
        return _supply_by_key(self._collected_batches(cypher.GET_SUPPLY, "keys", wanted, tenant=tenant))

    def get_supply_closure(self, tenant: str, keys: Collection[SourcingKey]) -> SupplyClosure:
        """The whole upstream in one call to tracegraph's server-side procedure when the server has it
        (`scripts/neo4j.sh` builds it into the plugins folder); otherwise tier by tier.

        Once records are kept for the tenant's version (`DecodedRecords`), the server is asked for IDs
        only and the few records not yet kept are read by ID; an answer that finds most of them missing
        (a load since the last trace) is asked again with its records. Both reads share one transaction,
        so they see one version.
        """
        if not self._has_closure_procedure():
            return supply_closure_by_tiers(self, tenant, keys)
        wanted = _ParamList([b, i] for b, i in sorted(set(keys)))
        with self.snapshot():
            if self._decoded.holds(tenant, self._snapshot_version(tenant)):
                records = self._read(cypher.SUPPLY_CLOSURE_IDS, tenant=tenant, keys=wanted)
                if not records:
                    return SupplyClosure(rows={}, asked=frozenset())
                got = records[0]
                self._noted_version(tenant, str(got["version"]))
                kept = self._decoded.table(tenant, str(got["version"]))
                if kept is not None and self._fill_kept(tenant, got["rows"], kept):
                    return SupplyClosure(
                        rows=_supply_from_ids(got["rows"], kept),
                        asked=frozenset((b, i) for b, i in got["asked"]),
                    )
            records = self._read(cypher.SUPPLY_CLOSURE, tenant=tenant, keys=wanted)
            if records:
                self._noted_version(tenant, str(records[0]["version"]))
        if not records:
            return SupplyClosure(rows={}, asked=frozenset())
        got = records[0]
        kept = self._decoded.table(tenant, str(got["version"]))
        return SupplyClosure(
            rows=_supply_from_closure(
                got["rows"],
                got["nodes"],
                got["boms"],
                kept,
                room=kept is not None and not self._decoded.full(kept),
            ),
            asked=frozenset((b, i) for b, i in got["asked"]),
        )

    def _fill_kept(self, tenant: str, rows: Sequence[Sequence[Any]], kept: KeptRecords) -> bool:
        """Read by ID the records an IDs-only closure names that `kept` (the table of the snapshot's
        version) lacks, so that they are kept; `False` (nothing read) when more than a quarter of the rows
        miss one, where the closure with its records is cheaper than reading them by ID, or when the table
        is full (the closure with its records is then decoded without keeping them)."""
        sourcing: set[str] = set()
        facilities: set[str] = set()
        companies: set[str] = set()
        items: set[str] = set()
        boms: set[str] = set()
        misses = 0
        for sid, fid, cid, iid in rows:
            miss = False
            if sid not in kept.sourcing:
                sourcing.add(sid)
                miss = True
            if fid is not None and fid not in kept.facilities:
                facilities.add(fid)
                miss = True
            if cid is not None and cid not in kept.companies:
                companies.add(cid)
                miss = True
            if iid is not None and iid not in kept.items:
                items.add(iid)
                miss = True
            if iid is not None and iid not in kept.boms:  # an item read by ID is kept without its lines
                boms.add(iid)
                miss = True
            misses += miss
        if not misses:
            return True
        if misses * 4 > len(rows) or self._decoded.full(kept):
            return False
        # Inside this snapshot, which has read `kept`'s version, the reads by ID keep what they read.
        self.get_sourcing_by_id(tenant, sourcing)
        self.get_facilities(tenant, facilities)
        self.get_companies(tenant, companies)
        self.get_items(tenant, items)
        self.get_bom(tenant, boms)
        # Not all kept (a record deleted since the closure ran, reads being read committed, or the table
        # filled meanwhile): ask again with records.
        return (
            sourcing <= kept.sourcing.keys()
            and facilities <= kept.facilities.keys()
            and companies <= kept.companies.keys()
            and items <= kept.items.keys()
            and boms <= kept.boms.keys()
        )

    def _has_closure_procedure(self) -> bool:
        """Whether the server has the closure procedure (asked once; `use_procedures=False` skips it)."""
        if self._closure_procedure is None:
            if not self._use_procedures:
                self._closure_procedure = False
            else:
                found = self._read(cypher.HAS_PROCEDURES, names=list(cypher.SUPPLY_CLOSURE_PROCEDURES))
                self._closure_procedure = bool(found and found[0]["found"])
        return self._closure_procedure

    def get_sourcing(self, tenant: str, keys: Collection[SourcingKey]) -> dict[SourcingKey, list[Sourcing]]:
        """Sourcing rows per (buyer, item), sorted by `sourcing_id`; keys without rows absent."""
        out: dict[SourcingKey, list[Sourcing]] = {}
        wanted = [[b, i] for b, i in sorted(set(keys))]
        for buyer, item, props in self._collected_batches(cypher.GET_SOURCING, "keys", wanted, tenant=tenant):
            out.setdefault((buyer, item), []).append(Sourcing.from_props(props))
        for rows in out.values():
            rows.sort(key=lambda s: s.sourcing_id)
        return dict(sorted(out.items()))

    def list_items(
        self, tenant: str, kind: ItemKind | None = None, after: str | None = None, limit: int = 100
    ) -> list[Item]:
        """Items in ID order after `after` (keyset pagination), optionally of one kind."""
        if limit <= 0:
            return []
        rows = self._read(
            cypher.LIST_ITEMS,
            tenant=tenant,
            # Every string sorts after None-as-"" except "" itself, which no bundle uses as an ID.
            after="" if after is None else after,
            kind=None if kind is None else kind.value,
            limit=limit,
        )
        return [Item.from_props(r["props"]) for r in rows]

    def find_keys(self, tenant: str, lookup: KeyLookup, values: Collection[str]) -> dict[str, list[str]]:
        """IDs per looked-up value, one indexed query per batch of values."""
        out: dict[str, set[str]] = {}
        query = cypher.find_keys(lookup.label, lookup.field)
        for value, node_id in self._collected_batches(query, "values", sorted(set(values)), tenant=tenant):
            out.setdefault(value, set()).add(node_id)
        return {value: sorted(ids) for value, ids in sorted(out.items())}

    # -- lots ----------------------------------------------------------------------------------------
    def write_lots(
        self,
        tenant: str,
        lots: Sequence[Lot],
        events: Sequence[LotEvent],
        links: Sequence[LotLink],
        data_version: str,
    ) -> None:
        """Lots, then events with their relationships, then the lots' inputs, in one transaction."""
        lot_rows = [{"id": lot.lot_id, "props": node_props(tenant, lot)} for lot in lots]
        event_rows = [
            {
                "id": e.event_id,
                "props": node_props(tenant, e),
                "lots": e.lot_ids,
                "facilities": [e.facility_id] if e.facility_id else [],
                "documents": e.document_ids,
            }
            for e in events
        ]
        link_rows = [{"output": k.output_lot_id, "input": k.input_lot_id, "props": k.props()} for k in links]
        size = len(lot_rows) + len(event_rows) + len(link_rows)
        with _translated("writing lots"), self._driver.session(database=self._database) as session:
            tx = session.begin_transaction(timeout=self._timeout + size * WRITE_SECONDS_PER_ROW)
            try:
                busy = tx.run(cypher.LOCK_TENANT, tenant=tenant, data_version=data_version).single(True)
                if busy["loading"] is not None:
                    raise ConflictError(f"tenant '{tenant}' is being loaded by another request; try later")
                for chunk in _chunks(lot_rows, self._batch_size):
                    tx.run(cypher.UPSERT_LOTS, tenant=tenant, rows=_ParamList(chunk)).consume()
                for chunk in _chunks(event_rows, self._batch_size):
                    row = tx.run(cypher.UPSERT_LOT_EVENTS, tenant=tenant, rows=_ParamList(chunk)).single(True)
                    if row["written"] != len(chunk):
                        raise ConflictError("an event names a lot that is not stored; nothing was written")
                for ids in _chunks([lot.lot_id for lot in lots], self._batch_size):
                    tx.run(cypher.DROP_LOT_INPUTS, tenant=tenant, ids=_ParamList(ids)).consume()
                for chunk in _chunks(link_rows, self._batch_size):
                    row = tx.run(cypher.UPSERT_LOT_LINKS, tenant=tenant, rows=_ParamList(chunk)).single(
                        strict=True
                    )
                    if row["written"] != len(chunk):
                        raise ConflictError("a MADE_FROM link names a lot that is not stored")
                tx.commit()
            finally:
                tx.close()

    def get_lots(self, tenant: str, ids: Collection[str]) -> dict[str, Lot]:
        return self._get(tenant, Label.LOT, Lot, ids)

    def get_lot_events(self, tenant: str, ids: Collection[str]) -> dict[str, LotEvent]:
        return self._get(tenant, Label.LOT_EVENT, LotEvent, ids)

    def get_lot_links(self, tenant: str, lot_ids: Collection[str]) -> list[LotLink]:
        """Every MADE_FROM link touching the lots, sorted by (output, input)."""
        found: dict[tuple[str, str], LotLink] = {}
        rows = self._collected_batches(cypher.GET_LOT_LINKS, "ids", sorted(set(lot_ids)), tenant=tenant)
        for output, input_, props in rows:
            found[(output, input_)] = LotLink.of(output, input_, props)
        return [found[k] for k in sorted(found)]

    def list_lots(
        self, tenant: str, item_id: str | None = None, q: str | None = None, offset: int = 0, limit: int = 100
    ) -> list[Lot]:
        """Lots in ID order, filtered by item and by a case-insensitive part of the ID."""
        if limit <= 0:
            return []
        rows = self._read(
            cypher.LIST_LOTS,
            tenant=tenant,
            item_id=item_id,
            q=q.lower() if q else None,
            offset=max(0, offset),
            limit=limit,
        )
        return [Lot.from_props(r["props"]) for r in rows]

    def lots_of_items(self, tenant: str, item_ids: Collection[str]) -> dict[str, list[Lot]]:
        """Every lot of each item, sorted by ID (one indexed query per batch of items)."""
        out: dict[str, list[Lot]] = {}
        for props in self._collected_batches(
            cypher.LOTS_OF_ITEMS, "ids", sorted(set(item_ids)), tenant=tenant
        ):
            lot = Lot.from_props(props)
            out.setdefault(lot.item_id, []).append(lot)
        for lots in out.values():
            lots.sort(key=lambda lot: lot.lot_id)
        return dict(sorted(out.items()))

    # -- shared reference data -----------------------------------------------------------------------
    def write_list_version(self, version: ListVersion, entries: list[ListEntry]) -> None:
        """Store one version of a screening list (idempotent by `version_id`) and make it current."""
        vid = version.version_id
        rows = [{**e.to_props(), "id": list_entry_node_id(vid, e.entry_id)} for e in entries]
        timeout = self._timeout + len(rows) * WRITE_SECONDS_PER_ROW
        with _translated("writing a list version"), self._driver.session(database=self._database) as session:
            tx = session.begin_transaction(timeout=timeout)
            try:
                tx.run(cypher.DELETE_LIST_VERSION_ENTRIES, version_id=vid).consume()
                props = {**version.to_props(), "id": vid}
                tx.run(cypher.UPSERT_LIST_VERSION, version_id=vid, props=props).consume()
                self._run_batches(tx, cypher.ADD_LIST_ENTRIES, rows, version_id=vid)
                tx.commit()
            finally:
                tx.close()

    def current_list_version(self, list_name: str) -> ListVersion | None:
        """The newest version of a list, without its entries."""
        rows = self._read(cypher.CURRENT_LIST_VERSION, list_name=list_name)
        return ListVersion.from_props(rows[0]["version"]) if rows else None

    def current_list(self, list_name: str) -> tuple[ListVersion, list[ListEntry]] | None:
        """The newest version of a list with its entries sorted by ID, or `None` if never loaded."""
        rows = self._read(cypher.CURRENT_LIST, list_name=list_name)
        if not rows:
            return None
        version = ListVersion.from_props(rows[0]["version"])
        entries = sorted((ListEntry.from_props(e) for e in rows[0]["entries"]), key=lambda e: e.entry_id)
        return version, entries

    def list_versions(self, list_name: str | None = None) -> list[ListVersion]:
        """Every stored version (of one list, or of all), newest first."""
        rows = self._read(cypher.LIST_VERSIONS, list_name=list_name)
        return [ListVersion.from_props(r["version"]) for r in rows]

    def list_entries(self, version_id: str) -> list[ListEntry]:
        """The entries of one version sorted by ID."""
        entries = (
            ListEntry.from_props(p) for p in self._collected(cypher.LIST_ENTRIES, version_id=version_id)
        )
        return sorted(entries, key=lambda e: e.entry_id)

    def drop_list(self, list_name: str) -> int:
        """Delete every version of a list with its entries, in one transaction."""
        with _translated("dropping a list"), self._driver.session(database=self._database) as session:
            record = session.execute_write(
                unit_of_work(timeout=self._timeout * 10)(
                    lambda tx: tx.run(cypher.DROP_LIST, list_name=list_name).single(strict=True)
                )
            )
            return int(record["deleted"])

    # -- reviewer decisions --------------------------------------------------------------------------
    def put_review(self, tenant: str, review: Review, data_version: str) -> None:
        """Store a decision (replacing one with the same ID) and move the tenant to `data_version`."""
        props = {**review.to_props(), "tenant": tenant, "id": review.review_id}
        rid = review.review_id

        @unit_of_work(timeout=self._timeout)
        def work(tx: ManagedTransaction) -> None:
            tx.run(cypher.LOCK_TENANT, tenant=tenant, data_version=data_version).consume()
            tx.run(cypher.PUT_REVIEW, tenant=tenant, id=rid, props=props).consume()

        with _translated("writing a review"), self._driver.session(database=self._database) as session:
            session.execute_write(work)

    def get_reviews(self, tenant: str, subjects: Collection[str]) -> dict[str, list[Review]]:
        """Decisions per subject, sorted by (list, entry)."""
        read = partial(self._read_reviews, tenant)
        return self._kept_groups(tenant, lambda kept: kept.reviews, subjects, read)

    def _read_reviews(self, tenant: str, subjects: Sequence[str]) -> dict[str, list[Review]]:
        out: dict[str, list[Review]] = {}
        for props in self._collected_batches(cypher.GET_REVIEWS, "subjects", subjects, tenant=tenant):
            review = Review.from_props(props)
            out.setdefault(review.subject, []).append(review)
        for reviews in out.values():
            reviews.sort(key=lambda r: (r.list_name, r.entry_id))
        return dict(sorted(out.items()))

    # -- plumbing ------------------------------------------------------------------------------------
    def _get(self, tenant: str, label: Label, rtype: type[R], ids: Collection[str]) -> dict[str, R]:
        """Records by ID; inside a snapshot that read the tenant's version, kept ones are not read again."""
        wanted = sorted(set(ids))
        kept = self._kept(tenant)
        table = None if kept is None else kept.by_label(label)
        out: dict[str, R] = {} if table is None else {i: table[i] for i in wanted if i in table}
        todo = [i for i in wanted if i not in out]
        query = cypher.get_nodes(label)
        for props in self._collected_batches(query, "ids", todo, tenant=tenant):
            out[props["id"]] = rtype.from_props(props)
        if kept is not None and table is not None and todo and not self._decoded.full(kept):
            table.update((i, out[i]) for i in todo if i in out)
        return dict(sorted(out.items()))

    def _kept_groups(
        self,
        tenant: str,
        table_of: Callable[[KeptRecords], dict[str, tuple[T, ...]]],
        keys: Collection[str],
        read: Callable[[Sequence[str]], dict[str, list[T]]],
    ) -> dict[str, list[T]]:
        """Groups by key (bill-of-materials lines by item, decisions by subject), inside a snapshot that
        read the tenant's version read once per version: a key found to have none is kept as `()`, which
        is most of them. Keys without a group are left out, as `read` leaves them."""
        wanted = sorted(set(keys))
        kept = self._kept(tenant)
        if kept is None:
            return read(wanted)
        table = table_of(kept)
        todo = [k for k in wanted if k not in table]
        got = read(todo) if todo else {}
        if todo and not self._decoded.full(kept):
            table.update((k, tuple(got.get(k, ()))) for k in todo)
        found = {k: list(got[k]) if k in got else list(table.get(k, ())) for k in wanted}
        return {k: group for k, group in found.items() if group}

    def _collected(self, query: str, **params: Any) -> list[Any]:
        """The `rows` list of a query that returns one record with everything collected into it."""
        records = self._read(query, **params)
        return list(records[0]["rows"]) if records else []

    def _collected_batches(self, query: str, name: str, values: Sequence[Any], **params: Any) -> list[Any]:
        """`_collected` over `values` (the `name` parameter) in batches, all of them sent before the first
        answer is read, so the server runs one batch while the client encodes the next instead of each
        waiting for the other. One read transaction (the snapshot's when inside one), bounded by the
        store's timeout per batch as separate queries would be."""
        batches = [_ParamList(chunk) for chunk in _chunks(values, self._batch_size)]
        if len(batches) <= 1:
            return self._collected(query, **params, **{name: batches[0]}) if batches else []

        def work(tx: Transaction | ManagedTransaction) -> list[Any]:
            results = [tx.run(query, params, **{name: batch}) for batch in batches]
            return [row for result in results for row in result.single(strict=True)["rows"]]

        tx: Transaction | None = getattr(self._local, "tx", None)
        with _translated("reading"):
            if tx is not None:
                return work(tx)
            with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                return session.execute_read(unit_of_work(timeout=self._timeout * len(batches))(work))

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        tx: Transaction | None = getattr(self._local, "tx", None)
        if tx is not None:  # inside snapshot(): the open read transaction carries the timeout
            with _translated("reading"):
                result = tx.run(query, params)
                return _plain(result.keys(), result)
        with _translated("reading"):
            records, _, keys = self._driver.execute_query(
                Query(query, timeout=self._timeout),
                params,
                routing_=RoutingControl.READ,
                database_=self._database,
            )
        return _plain(keys, records)

    def _write(self, query: str, **params: Any) -> None:
        with _translated("writing"):
            self._driver.execute_query(
                Query(query, timeout=self._timeout),
                params,
                routing_=RoutingControl.WRITE,
                database_=self._database,
            )

    def _ddl(self, statement: str) -> None:
        """Run one schema statement; another process creating the same rule at the same moment is fine."""
        try:
            self._write(statement)
        except StoreError as e:
            cause = e.__cause__
            if isinstance(cause, ClientError) and "AlreadyExists" in (cause.code or ""):
                return
            raise

    # -- screening jobs ------------------------------------------------------------------------------
    def put_job(self, tenant: str, job_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace the job's node; its document travels as JSON."""
        self._write(
            cypher.PUT_JOB,
            tenant=tenant,
            id=job_id,
            status=str(data.get("status")),
            finished=str(data.get("status")) in FINISHED_JOB_STATES,
            created_at=str(data.get("created_at")),
            data=json.dumps(data, sort_keys=True),
        )

    def get_job(self, tenant: str, job_id: str) -> dict[str, Any] | None:
        """The job's document, or `None`."""
        rows = self._read(cypher.GET_JOB, tenant=tenant, id=job_id)
        return dict(json.loads(rows[0]["data"])) if rows else None

    def unfinished_jobs(self) -> list[tuple[str, str]]:
        """Every unfinished job of every tenant, oldest first."""
        return [(r["tenant"], r["id"]) for r in self._read(cypher.UNFINISHED_JOBS)]

    def put_job_results(
        self, tenant: str, job_id: str, start: int, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """One node per saved chunk, replaced if the chunk is saved again (a resumed job)."""
        self._write(
            cypher.PUT_JOB_RESULTS,
            tenant=tenant,
            id=f"{job_id}:{start:09d}",
            job_id=job_id,
            start=start,
            count=len(rows),
            data=json.dumps(list(rows), sort_keys=True),
        )

    def get_job_results(self, tenant: str, job_id: str, start: int, limit: int) -> list[dict[str, Any]]:
        """Results from the chunks overlapping `start .. start + limit`, cut to that range."""
        out: list[dict[str, Any]] = []
        for row in self._read(
            cypher.GET_JOB_RESULTS, tenant=tenant, job_id=job_id, start=start, end=start + limit
        ):
            chunk = json.loads(row["data"])
            first = int(row["start"])
            out.extend(chunk[max(0, start - first) :])
        return out[:limit]

    # -- idempotent writes ---------------------------------------------------------------------------
    def put_idempotent(self, tenant: str, key: str, data: Mapping[str, Any]) -> None:
        """Keep the answer under the key (JSON)."""
        self._write(cypher.PUT_IDEMPOTENT, tenant=tenant, id=key, data=json.dumps(data, sort_keys=True))

    def get_idempotent(self, tenant: str, key: str) -> dict[str, Any] | None:
        """What was kept under the key, or `None`."""
        rows = self._read(cypher.GET_IDEMPOTENT, tenant=tenant, id=key)
        return dict(json.loads(rows[0]["data"])) if rows else None

    # -- verdict changes -----------------------------------------------------------------------------
    def tenant_data_versions(self) -> dict[str, str]:
        """Every tenant's data version in one read (tenants mid-way through a first load left out)."""
        return {r["tenant"]: r["data_version"] for r in self._read(cypher.TENANT_DATA_VERSIONS)}

    def get_change_tracker(self, tenant: str) -> dict[str, Any] | None:
        """The tracker's document, or `None`."""
        rows = self._read(cypher.GET_CHANGE_TRACKER, tenant=tenant)
        return dict(json.loads(rows[0]["data"])) if rows and rows[0]["data"] else None

    def get_verdict_snapshots(self, tenant: str, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        """Snapshots by key, read in batches through the (tenant, id) constraint."""
        out: dict[str, dict[str, Any]] = {}
        for key, data in self._collected_batches(
            cypher.GET_VERDICT_SNAPSHOTS, "ids", sorted(set(keys)), tenant=tenant
        ):
            out[key] = dict(json.loads(data))
        return dict(sorted(out.items()))

    def commit_verdict_changes(
        self,
        tenant: str,
        expected_revision: int,
        tracker: Mapping[str, Any],
        snapshots: Mapping[str, Mapping[str, Any]],
        changes: Sequence[Mapping[str, Any]],
    ) -> bool:
        """One transaction: lock the tracker, compare its revision, write everything or nothing."""
        snapshot_rows = [{"id": k, "data": json.dumps(v, sort_keys=True)} for k, v in snapshots.items()]
        change_rows = [
            {
                "id": f"{int(c['seq']):012d}",
                "seq": int(c["seq"]),
                "at_us": epoch_us(str(c["changed_at"])),
                "subject_kind": str(c["subject_kind"]),
                "data": json.dumps(c, sort_keys=True),
            }
            for c in changes
        ]
        timeout = self._timeout + (len(snapshot_rows) + len(change_rows)) * WRITE_SECONDS_PER_ROW
        with (
            _translated("recording verdict changes"),
            self._driver.session(database=self._database) as session,
        ):
            tx = session.begin_transaction(timeout=timeout)
            try:
                row = tx.run(cypher.LOCK_CHANGE_TRACKER, tenant=tenant).single(strict=True)
                if int(row["revision"]) != expected_revision:
                    return False  # another process got there first; closing rolls the lock back
                self._run_batches(tx, cypher.PUT_VERDICT_SNAPSHOTS, snapshot_rows, tenant=tenant)
                self._run_batches(tx, cypher.ADD_VERDICT_CHANGES, change_rows, tenant=tenant)
                tx.run(
                    cypher.PUT_CHANGE_TRACKER,
                    tenant=tenant,
                    revision=int(tracker["revision"]),
                    data=json.dumps(tracker, sort_keys=True),
                ).consume()
                tx.commit()
                return True
            finally:
                tx.close()

    def list_verdict_changes(
        self,
        tenant: str,
        after_seq: int = 0,
        before_seq: int | None = None,
        since: datetime | None = None,
        subject_kind: str | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Newest first, through the (tenant, seq) index."""
        rows = self._read(
            cypher.LIST_VERDICT_CHANGES,
            tenant=tenant,
            after=after_seq,
            before=before_seq,
            since=epoch_us(since.isoformat()) if since is not None else None,
            kind=subject_kind,
            limit=limit,
        )
        return [dict(json.loads(r["data"])) for r in rows]

    # -- webhooks ------------------------------------------------------------------------------------
    def put_webhook(
        self, tenant: str, webhook_id: str, data: Mapping[str, Any], expected: Mapping[str, Any] | None = None
    ) -> bool:
        """Create or replace the subscription's node (with `expected`: only if it still holds that); its
        document travels as JSON, written with sorted keys so that equal documents are equal text."""
        params: dict[str, Any] = {
            "tenant": tenant,
            "id": webhook_id,
            "created_at": epoch_us(str(data["created_at"])),
            "data": json.dumps(data, sort_keys=True),
        }
        if expected is None:
            self._write(cypher.PUT_WEBHOOK, **params)
            return True

        @unit_of_work(timeout=self._timeout)
        def work(tx: ManagedTransaction) -> int:
            query = cypher.REPLACE_WEBHOOK
            return int(tx.run(query, params, expected=json.dumps(expected, sort_keys=True)).single(True)[0])

        with _translated("replacing a webhook"), self._driver.session(database=self._database) as session:
            return session.execute_write(work) > 0

    def get_webhook(self, tenant: str, webhook_id: str) -> dict[str, Any] | None:
        """The subscription's document, or `None`."""
        rows = self._read(cypher.GET_WEBHOOK, tenant=tenant, id=webhook_id)
        return dict(json.loads(rows[0]["data"])) if rows else None

    def list_webhooks(self, tenant: str) -> list[dict[str, Any]]:
        """Every subscription of the tenant, oldest first."""
        return [dict(json.loads(r["data"])) for r in self._read(cypher.LIST_WEBHOOKS, tenant=tenant)]

    def delete_webhook(self, tenant: str, webhook_id: str) -> bool:
        """The subscription and its deliveries in one transaction."""

        @unit_of_work(timeout=self._timeout)
        def work(tx: ManagedTransaction) -> int:
            return int(tx.run(cypher.DELETE_WEBHOOK, tenant=tenant, id=webhook_id).single(strict=True)[0])

        with _translated("deleting a webhook"), self._driver.session(database=self._database) as session:
            return session.execute_write(work) > 0

    def put_webhook_delivery(self, tenant: str, delivery_id: str, data: Mapping[str, Any]) -> None:
        """Create or replace the delivery's node; `pending` and the due time are indexed for the queue."""
        due = data.get("next_attempt_at")
        self._write(
            cypher.PUT_WEBHOOK_DELIVERY,
            tenant=tenant,
            id=delivery_id,
            webhook_id=str(data["webhook_id"]),
            created_at=epoch_us(str(data["created_at"])),
            pending=data.get("status") == "pending",
            next_attempt_at=epoch_us(str(due)) if due else None,
            data=json.dumps(data, sort_keys=True),
        )

    def get_webhook_delivery(self, tenant: str, delivery_id: str) -> dict[str, Any] | None:
        """The delivery's document, or `None`."""
        rows = self._read(cypher.GET_WEBHOOK_DELIVERY, tenant=tenant, id=delivery_id)
        return dict(json.loads(rows[0]["data"])) if rows else None

    def list_webhook_deliveries(self, tenant: str, webhook_id: str, limit: int) -> list[dict[str, Any]]:
        """The subscription's deliveries, newest first."""
        rows = self._read(cypher.LIST_WEBHOOK_DELIVERIES, tenant=tenant, webhook_id=webhook_id, limit=limit)
        return [dict(json.loads(r["data"])) for r in rows]

    def pending_webhook_deliveries(self) -> list[tuple[str, str]]:
        """Every pending delivery of every tenant, the earliest due first."""
        return [(r["tenant"], r["id"]) for r in self._read(cypher.PENDING_WEBHOOK_DELIVERIES)]

    def webhook_tenants(self) -> list[str]:
        """Every tenant with a subscription."""
        return sorted(self._collected(cypher.WEBHOOK_TENANTS))

    # -- API keys ------------------------------------------------------------------------------------
    def put_api_key(self, key: ApiKey) -> None:
        """Create the key's node; the uniqueness constraint turns a duplicate ID into `ConflictError`."""
        props = {**key.to_props(), "id": key.key_id}
        with _translated("storing an API key"):
            self._write(cypher.CREATE_API_KEY, props=props)

    def get_api_key(self, key_id: str) -> ApiKey | None:
        """The key with this ID (one index seek: asked on every authenticated request)."""
        rows = self._read(cypher.GET_API_KEY, key_id=key_id)
        return ApiKey.from_props(rows[0]["props"]) if rows else None

    def list_api_keys(self, tenant: str) -> list[ApiKey]:
        """Every key of a tenant, sorted by (created_at, key_id)."""
        keys = [ApiKey.from_props(p) for p in self._collected(cypher.LIST_API_KEYS, tenant=tenant)]
        return sorted(keys, key=lambda k: (k.created_at, k.key_id))

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> ApiKey | None:
        """Set `revoked_at` unless already set, in one statement (two revocations cannot race)."""
        when = TypeAdapter(datetime).dump_python(revoked_at, mode="json")

        @unit_of_work(timeout=self._timeout)
        def work(tx: ManagedTransaction) -> list[Any]:
            return [r["props"] for r in tx.run(cypher.REVOKE_API_KEY, key_id=key_id, revoked_at=when)]

        with _translated("revoking an API key"), self._driver.session(database=self._database) as session:
            rows = session.execute_write(work)
        return ApiKey.from_props(rows[0]) if rows else None


def _plain(keys: Sequence[str], records: Iterable[Record_]) -> list[dict[str, Any]]:
    """Records as dicts without `Record.data()`, which re-walks every nested value to convert graph
    types; our queries return only maps, lists and scalars, so that walk is pure overhead."""
    return [dict(zip(keys, record, strict=True)) for record in records]


def _ramped_chunks(rows: Sequence[T], size: int, first: int = FIRST_WRITE_BATCH) -> Iterator[Sequence[T]]:
    """Batches that start small and grow by half up to `size`.

    The server runs one batch while the client builds the next, so it waits whenever a batch takes less
    to run than the next one takes to build. A batch runs 1.6-3x longer than it takes to build (sourcing
    rows, with four relationship types, are the tightest), so growing by half keeps the server busy; a
    label's first batch is small, so the switch from the previous label (whose last batch may be short)
    costs the server only the time to build a few hundred rows.
    """
    start, step = 0, min(first, size)
    while start < len(rows):
        yield rows[start : start + step]
        start += step
        step = min(step * 3 // 2, size)


@contextmanager
def _gc_frozen() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off the objects that exist before a bulk write.

    A 100k-record bundle is ~800k tracked objects, and the rows built for the write trigger several full
    collections that would rescan all of them: about a second of client CPU, during which the server
    waits for its next batch. Freezing only exempts those objects from scanning until the write ends;
    reference counting frees as before, and any cyclic garbage among them is found by the next
    collection after `unfreeze`. Skipped when something is frozen already (an application may freeze its
    start-up objects on purpose, and we must not thaw them; a concurrent write has it covered). Harmless
    if threads interleave: each call only moves objects between generations.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _RecordSource(Protocol):
    """Where `_apply_bundle` gets a bundle's records: all at hand, or handed over while being validated."""

    def records(self, label: Label) -> list[Record]: ...

    def bom(self) -> list[BomLine]: ...


class _GivenBundle:
    """A whole, validated bundle."""

    def __init__(self, bundle: Bundle) -> None:
        self._bundle = bundle

    def records(self, label: Label) -> list[Record]:
        return bundle_records(self._bundle, label)

    def bom(self) -> list[BomLine]:
        return self._bundle.bom


class _AbandonedError(Exception):
    """The caller closed an early first load without committing it: roll back and stop."""


class _EarlyFirstLoad:
    """`FirstLoad` on Neo4j: a writer thread runs `_apply_bundle` over the kinds as they are handed over,
    in one transaction that holds the tenant's lock from the start and commits only on `commit`.

    A bundle that may be too big for one transaction (a staged load, whose batches commit as they go) is
    not written early: nothing of a bundle may be committed before all of it is valid. Its records are
    kept and `commit` hands them to `write_bundle`, as the embedded store's `BufferedFirstLoad` does.

    The caller's thread validates the bundle (client CPU) while this one streams the statements and
    mostly waits on the server, so the server writes the first files while the last ones are still
    being parsed. The writer waits for each kind in `KIND_WRITE_ORDER`; `close` without a commit wakes
    it to roll back. A failure in the writer is kept and raised by `commit`, which only a valid bundle
    reaches, so a validation report is never replaced by an error the invalid data caused.
    """

    order = KIND_WRITE_ORDER

    def __init__(self, store: Neo4jStore, tenant: str) -> None:
        self._store = store
        self._tenant = tenant
        self._changed = threading.Condition()
        self._kinds: dict[RecordKind, Sequence[Record]] = {}
        self._ended = False
        #: set by `commit`; still None when the load ended is abandoned
        self._version: str | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._timeout = store._timeout

    def start(self, rows: int) -> None:
        """Start the writer, unless a bundle of up to `rows` rows may be a staged load."""
        if self._thread is None and not self._store.stages(rows):
            self._timeout = self._store._timeout + rows * WRITE_SECONDS_PER_ROW
            self._thread = threading.Thread(
                target=self._write, name=f"first-load:{self._tenant}", daemon=True
            )
            self._thread.start()

    def add(self, kind: RecordKind, records: Sequence[Record]) -> None:
        with self._changed:
            self._kinds[kind] = records
            self._changed.notify_all()

    def commit(self, data_version: str) -> None:
        if self._thread is None:  # not started (a staged load): write the usual way
            self._store.write_bundle(self._tenant, added_bundle(self._kinds), data_version)
            return
        self._end(data_version)
        with _translated("writing a bundle"):
            if self._error is not None:
                raise self._error

    def close(self) -> None:
        if self._thread is not None:
            self._end(None)

    def _end(self, version: str | None) -> None:
        with self._changed:
            if not self._ended:
                self._ended, self._version = True, version
                self._changed.notify_all()
        assert self._thread is not None
        self._thread.join()

    # -- the writer thread ---------------------------------------------------------------------------
    def records(self, label: Label) -> list[Record]:
        return unique_by_key(self._kind(_KIND_OF_LABEL[label]))

    def bom(self) -> list[BomLine]:
        return [line for line in self._kind(RecordKind.BOM) if isinstance(line, BomLine)]

    def _kind(self, kind: RecordKind) -> Sequence[Record]:
        with self._changed:
            self._changed.wait_for(lambda: kind in self._kinds or self._ended)
            if self._ended and self._version is None:
                raise _AbandonedError
            return self._kinds.get(kind, ())

    def _decision(self) -> str | None:
        """Wait for the caller: the data version to commit with, or None to roll back."""
        with self._changed:
            self._changed.wait_for(lambda: self._ended)
            return self._version

    def _write(self) -> None:
        try:
            with (
                prompt_switching(),
                _gc_frozen(),
                self._store._driver.session(database=self._store._database) as session,
            ):
                tx = session.begin_transaction(timeout=self._timeout)
                try:
                    # The data version is not known before validation ends; set last, in the same transaction.
                    self._store._apply_bundle(tx, self._tenant, self, data_version="")
                    version = self._decision()
                    if version is not None:
                        tx.run(cypher.SET_DATA_VERSION, tenant=self._tenant, data_version=version).consume()
                        tx.commit()
                finally:
                    tx.close()  # rolls back unless committed
        except _AbandonedError:
            pass
        except BaseException as e:  # raised by `commit`, in the caller's thread
            self._error = e


class _BundleWriter:
    """The state of one bundle's write inside one transaction: the element IDs of the tenant's nodes this
    transaction wrote or looked up, by label and key, and which of them it created.

    Element IDs come back from the CREATE statements (kept as pending results, read once later statements
    have been sent, so the pipeline never stalls on them) and are only used inside this transaction.
    """

    def __init__(self, store: Neo4jStore, tx: _Runner, tenant: str) -> None:
        self._store = store
        self._tx = tx
        self._tenant = tenant
        self._existing: dict[Label, dict[str, str]] = {}
        self._created: dict[Label, set[str]] = {label: set() for label in WRITE_ORDER}
        self._nodes: dict[Label, dict[str, str]] = {label: {} for label in WRITE_ORDER}
        self._absent: dict[Label, set[str]] = {label: set() for label in WRITE_ORDER}
        self._pending: dict[Label, list[_Results]] = {label: [] for label in WRITE_ORDER}
        self._updates: list[tuple[_Results, int]] = []
        self._batch = store._batch_size

    def find_existing(self, records: Mapping[Label, Sequence[Record]]) -> None:
        """Look up which of these records' keys the tenant has (all statements sent before any is read)."""
        found = {
            label: [self._find(label, keys) for keys in _chunks([r.key for r in rs], self._batch)]
            for label, rs in records.items()
        }
        for label, results in found.items():
            self._existing[label] = {}
            for result in results:
                self._existing[label].update(_written(result))

    def created(self, label: Label) -> set[str]:
        return self._created[label]

    def run_batches(self, query: str, rows: Sequence[dict[str, Any]]) -> list[_Results]:
        return [
            self._store._run_batch(self._tx, query, chunk, tenant=self._tenant)
            for chunk in _ramped_chunks(rows, self._batch)
        ]

    def write_nodes(self, label: Label, records: Sequence[Record], specs: tuple[FkRel, ...]) -> None:
        """Write one label's nodes with the relationships of `specs`: update the existing ones, create the
        others. Each batch's rows are built just before it is sent, so the server runs one batch while the
        next is being built."""
        existing = self._existing.get(label, {})
        updates = [r for r in records if r.key in existing]
        if updates:
            self._nodes[label].update(existing)
            query = cypher.update_nodes(label, specs)
            for chunk in _ramped_chunks(updates, self._batch):
                rows = [{"node": existing[r.key], "props": node_props(self._tenant, r)} for r in chunk]
                self._add_relationships(rows, chunk, specs)
                self._updates.append(
                    (self._store._run_batch(self._tx, query, rows, tenant=self._tenant), len(rows))
                )
        creates = [r for r in records if r.key not in existing]
        self._created[label].update(r.key for r in creates)
        returns = label in TARGET_LABELS
        query = cypher.create_nodes(label, specs, return_nodes=returns)
        for chunk in _ramped_chunks(creates, self._batch):
            rows = [{"props": node_props(self._tenant, r)} for r in chunk]
            self._add_relationships(rows, chunk, specs)
            result = self._store._run_batch(self._tx, query, rows, tenant=self._tenant)
            if returns:
                self._pending[label].append(result)

    def rederive(self, label: Label, records: Sequence[Record], specs: tuple[FkRel, ...]) -> None:
        """Second pass for keys between nodes of one label, all written by now. Nodes this bundle created
        have no old relationship to drop, so of those only the ones with targets are sent."""
        nodes = self._element_ids_written(label)
        created = self._created[label]
        rows = [{"node": nodes[r.key]} for r in records]
        self._add_relationships(rows, records, specs)
        rows = [row for row, r in zip(rows, records, strict=True) if len(row) > 1 or r.key not in created]
        self.run_batches(cypher.rederive_relationships(label, specs), rows)

    def check_updates(self) -> None:
        """Fail the bundle if a node looked up at its start was gone when it was to be updated: only a writer
        bypassing the tenant lock could do that, and silently skipping the record would lose it."""
        for result, expected in self._updates:
            if result.single(strict=True)["written"] != expected:
                raise ConflictError("records of this bundle were deleted while it was being written")

    def element_ids(self, label: Label, keys: Collection[str]) -> dict[str, str]:
        """Element IDs of the tenant's `label` nodes by key, for the `keys` that exist (and any others
        already known): written by this transaction, or else looked up once."""
        known = self._element_ids_written(label)
        absent = self._absent[label]
        unknown = sorted(k for k in keys if k not in known and k not in absent)
        for chunk in _chunks(unknown, self._batch):
            known.update(_written(self._find(label, chunk)))
        absent.update(k for k in unknown if k not in known)
        return known

    def _find(self, label: Label, keys: Sequence[str]) -> _Results:
        return self._tx.run(cypher.find_nodes(label), tenant=self._tenant, ids=_ParamList(keys))

    def _element_ids_written(self, label: Label) -> dict[str, str]:
        known = self._nodes[label]
        for result in self._pending[label]:
            known.update(_written(result))
        self._pending[label].clear()
        return known

    def _add_relationships(
        self, rows: list[dict[str, Any]], records: Sequence[Record], specs: tuple[FkRel, ...]
    ) -> None:
        """Add to each record's row the element IDs of its FK targets, per relationship type. Targets not
        in the graph are left out: the FK property stays the source of truth (as in the memory store)."""
        for spec in specs:
            name, props_name = spec.rel.value, f"{spec.rel.value}_props"
            targets = [spec.targets(r) for r in records]
            found = self.element_ids(spec.target, {key for keys in targets for key in keys})
            for row, record, keys in zip(rows, records, targets, strict=True):
                ids = [found[k] for k in keys if k in found]
                if ids:
                    row[name] = ids
                    if spec.props is not None:
                        row[props_name] = spec.props(record)


def _written(result: _Results) -> Iterator[tuple[str, str]]:
    """(key, element ID) pairs from a statement returning `cypher.WRITTEN_KEYS` and `WRITTEN_NODES`."""
    row = result.single(strict=True)
    return zip(row[cypher.WRITTEN_KEYS], row[cypher.WRITTEN_NODES], strict=True)
