"""Every Cypher statement the Neo4j store runs, as constants and small builders.

Builders interpolate only members of `Label`/`Rel` (and names from `graph_schema.vocab`, which are code
constants); every value travels as a parameter, so no caller-supplied string ever becomes Cypher. Keeping
the text here lets a reviewer audit the whole query surface in one file.

Conventions: `$tenant` scopes every tenant-owned match; batched statements take `$rows` and `UNWIND` it;
tenant-owned lookups always name both `tenant` and `id` so the composite uniqueness index serves them
(an `id IS NOT NULL` predicate stands in where only the tenant is known, because a composite range index
is used only when every one of its properties has a predicate).
"""

from __future__ import annotations

from app.store.base import RecordKind
from app.store.graph_model import LABEL_OF_KIND, FkRel
from graph_schema import Label, PropertyConstraint, PropertyIndex, Rel


def _props(names: tuple[str, ...]) -> str:
    for name in names:
        if not name.isidentifier():  # vocabulary constants; guard against a typo becoming Cypher
            raise ValueError(f"not a property name: {name!r}")
    return ", ".join(f"n.{name}" for name in names)


# -- schema ------------------------------------------------------------------------------------------


def create_constraint(c: PropertyConstraint) -> str:
    if not c.name.isidentifier():
        raise ValueError(f"not a constraint name: {c.name!r}")
    return (
        f"CREATE CONSTRAINT {c.name} IF NOT EXISTS "
        f"FOR (n:{Label(c.label)}) REQUIRE ({_props(c.properties)}) IS UNIQUE"
    )


def create_index(i: PropertyIndex) -> str:
    if not i.name.isidentifier():
        raise ValueError(f"not an index name: {i.name!r}")
    return f"CREATE INDEX {i.name} IF NOT EXISTS FOR (n:{Label(i.label)}) ON ({_props(i.properties)})"


AWAIT_INDEXES = "CALL db.awaitIndexes($timeout)"

READ_SCHEMA_VERSION = f"OPTIONAL MATCH (s:{Label.SCHEMA} {{id: 'schema'}}) RETURN s.version AS version"

STAMP_SCHEMA_VERSION = f"MERGE (s:{Label.SCHEMA} {{id: 'schema'}}) SET s.version = $version"

PING = "RETURN 1 AS ok"

# -- tenant data: writes -----------------------------------------------------------------------------
#
# A bundle is written label by label, each node together with the relationships its foreign keys
# derive (see `Neo4jStore._apply_bundle`). Relationship targets are passed as element IDs that earlier
# statements of the same transaction returned (or that `find_nodes` looked up), because matching a node
# by element ID reads its record directly where a (tenant, id) match costs a locking index seek; IDs
# are never kept beyond the transaction that obtained them. Row shape of a node statement:
# `{props: {..}, <REL>: [element IDs], <REL>_props: {..}}` (an update also has `node`, the element ID of
# the node to update), one `<REL>` per relationship type the statement derives; an absent list unwinds to
# nothing, and `_props` is sent only for types with properties. Node statements that `return_nodes`
# answer one row of two lists, the keys written and their nodes' element IDs, aligned because both
# collect the same stream of rows.

#: result columns of a node statement that returns its nodes
WRITTEN_KEYS = "keys"
WRITTEN_NODES = "nodes"

_RETURN_NODES = f"RETURN collect(row.props.id) AS {WRITTEN_KEYS}, collect(elementId(n)) AS {WRITTEN_NODES}"
# Every write statement returns a row, even when nobody reads it: Neo4j acknowledges a statement without
# results only once it has run to completion, which would keep the client from sending the next batch
# while the server works on this one (measured: the server idled ~10% of a bundle write).
_RETURN_COUNT = "RETURN count(*) AS written"


def _target(spec: FkRel) -> str:
    return f"UNWIND row.{Rel(spec.rel)} AS target MATCH (m:{Label(spec.target)}) WHERE elementId(m) = target"


def _relate(spec: FkRel, verb: str) -> str:
    rel = Rel(spec.rel)
    arrow = f"(m)-[r:{rel}]->(n)" if spec.incoming else f"(n)-[r:{rel}]->(m)"
    props = f" SET r = row.{rel}_props" if spec.props else ""
    return f"CALL (n, row) {{ {_target(spec)} {verb} {arrow}{props} }}"


def _rederive(specs: tuple[FkRel, ...]) -> list[str]:
    """Bring a node's FK relationships in line with `row`: drop those whose target is no longer listed,
    MERGE the listed ones. An unchanged relationship is neither deleted nor re-created, so re-writing an
    unchanged record writes nothing, and a changed one re-points only what changed."""
    parts = []
    for incoming in (True, False):
        group = [s for s in specs if s.incoming is incoming]
        if group:
            names = "|".join(str(Rel(s.rel)) for s in group)
            pattern = f"(n)<-[old:{names}]-(m)" if incoming else f"(n)-[old:{names}]->(m)"
            parts.append(
                f"CALL (n, row) {{ MATCH {pattern} "
                "WHERE NOT elementId(m) IN coalesce(row[type(old)], []) DELETE old }"
            )
    return parts + [_relate(s, "MERGE") for s in specs]


def create_nodes(label: Label, specs: tuple[FkRel, ...], *, return_nodes: bool) -> str:
    """CREATE nodes with their FK relationships, for keys the tenant has no node of.

    The caller establishes that inside the transaction, after `LOCK_TENANT` (so no other bundle can add
    such a node before commit); should another writer slip in anyway, the uniqueness constraint fails the
    statement and the whole bundle rolls back. CREATE skips MERGE's locking lookup, and a new node has no
    relationships to drop or to match against.
    """
    parts = ["UNWIND $rows AS row", f"CREATE (n:{Label(label)})", "SET n = row.props"]
    if specs:
        parts += ["WITH n, row", *(_relate(s, "CREATE") for s in specs)]
    parts.append(_RETURN_NODES if return_nodes else _RETURN_COUNT)
    return "\n".join(parts)


def update_nodes(label: Label, specs: tuple[FkRel, ...]) -> str:
    """Replace the whole property map of existing nodes, found by element ID (`{node, props, ..}` rows;
    `props` holds `tenant` and `id` too, so a property absent from the new record disappears), and
    re-derive their FK relationships (`_rederive`). Returns how many rows found their node, which the
    caller checks: a node deleted since it was looked up must fail the bundle, not be skipped."""
    parts = [
        "UNWIND $rows AS row",
        f"MATCH (n:{Label(label)}) WHERE elementId(n) = row.node",
        "SET n = row.props",
    ]
    if specs:
        parts += ["WITH n, row", *_rederive(specs)]
    parts.append(_RETURN_COUNT)
    return "\n".join(parts)


def rederive_relationships(label: Label, specs: tuple[FkRel, ...]) -> str:
    """Re-derive FK relationships of nodes written earlier in the transaction, addressed by element ID
    (`{node: element ID, <REL>: [..]}` rows): for foreign keys between nodes of one label (a company's
    parent), whose target may be written after the node that names it."""
    lab = Label(label)
    return "\n".join(
        [
            "UNWIND $rows AS row",
            f"MATCH (n:{lab}) WHERE elementId(n) = row.node",
            *_rederive(specs),
            _RETURN_COUNT,
        ]
    )


def find_nodes(label: Label) -> str:
    """Element IDs of the tenant's nodes with the given keys (absent keys are left out)."""
    return (
        f"UNWIND $ids AS node_id MATCH (n:{Label(label)} {{tenant: $tenant, id: node_id}}) "
        f"RETURN collect(node_id) AS {WRITTEN_KEYS}, collect(elementId(n)) AS {WRITTEN_NODES}"
    )


def _bom(verb: str) -> str:
    return f"""
UNWIND $rows AS row
MATCH (p:{Label.ITEM}) WHERE elementId(p) = row.parent
MATCH (c:{Label.ITEM}) WHERE elementId(c) = row.component
{verb} (p)-[r:{Rel.HAS_COMPONENT}]->(c)
SET r = row.props
{_RETURN_COUNT}
"""


# BOM lines by their items' element IDs (rows `{parent, component, props}`, one per pair). CREATE only
# for lines with an item created by this bundle, so that no line between the two can exist yet.
UPSERT_BOM = _bom("MERGE")
CREATE_BOM = _bom("CREATE")

# Run first in a bundle's transaction: writing the tenant node takes its write lock until commit, so bundles
# for one tenant are applied one after the other (other tenants are not held up).
LOCK_TENANT = (
    f"MERGE (t:{Label.TENANT} {{id: $tenant}}) SET t.data_version = $data_version RETURN t.loading AS loading"
)
# Last in an early first load's transaction (`FirstLoad`), whose version is known only once the bundle
# has been validated; until then `LOCK_TENANT` holds a placeholder nobody outside the transaction sees.
SET_DATA_VERSION = f"MATCH (t:{Label.TENANT} {{id: $tenant}}) SET t.data_version = $data_version"


def populated_labels(labels: tuple[Label, ...]) -> str:
    """One row, a boolean per label (column named by the label): does the tenant have any such node?"""
    return "RETURN " + ", ".join(
        f"EXISTS {{ MATCH (n:{Label(lab)}) WHERE n.tenant = $tenant AND n.id IS NOT NULL }} AS {Label(lab)}"
        for lab in labels
    )


# -- tenant data: reads ------------------------------------------------------------------------------


# Batched reads return ONE record holding a collected list: the Python driver pays a socket read per
# record, so a thousand small records cost several times more than one list of a thousand maps.
# The store sorts in Python, so no ORDER BY is needed here.


def get_nodes(label: Label) -> str:
    return (
        f"UNWIND $ids AS node_id MATCH (n:{Label(label)} {{tenant: $tenant, id: node_id}}) "
        "RETURN collect(properties(n)) AS rows"
    )


# Both answer in one record (`rows`): a bundle's references to earlier loads can name tens of thousands of
# keys, and one Bolt message per key cost the client ~50 us each to receive. (A load's change detection
# asks `compare_nodes` below instead.)
def existing_ids(label: Label) -> str:
    return (
        f"UNWIND $ids AS node_id MATCH (n:{Label(label)} {{tenant: $tenant, id: node_id}}) "
        "RETURN collect(n.id) AS rows"
    )


EXISTING_BOM_KEYS = f"""
UNWIND $rows AS row
MATCH (p:{Label.ITEM} {{tenant: $tenant, id: row.parent}})-[:{Rel.HAS_COMPONENT}]->
      (c:{Label.ITEM} {{tenant: $tenant, id: row.component}})
RETURN collect(DISTINCT row.key) AS rows
"""


# A load's change detection compares on the server: each row sends a record's key and its full property
# map as it would be written (`[key, props]`; BOM lines `[key, parent, component, props]`), and only
# `[key, equal]` comes back for the stored ones, one record per batch.
def compare_nodes(label: Label) -> str:
    return (
        f"UNWIND $rows AS row MATCH (n:{Label(label)} {{tenant: $tenant, id: row[0]}}) "
        "RETURN collect([row[0], properties(n) = row[1]]) AS rows"
    )


COMPARE_BOM = f"""
UNWIND $rows AS row
MATCH (p:{Label.ITEM} {{tenant: $tenant, id: row[1]}})-[r:{Rel.HAS_COMPONENT}]->
      (c:{Label.ITEM} {{tenant: $tenant, id: row[2]}})
RETURN collect([row[0], properties(r) = row[3]]) AS rows
"""

GET_BOM = f"""
UNWIND $ids AS parent_id
MATCH (p:{Label.ITEM} {{tenant: $tenant, id: parent_id}})-[r:{Rel.HAS_COMPONENT}]->(c:{Label.ITEM})
RETURN collect([p.id, c.id, properties(r)]) AS rows
"""

# The supplier and its operator are reached along relationships (cheaper than two more index seeks per
# row); they exist for every sourcing row, because a bundle's references must resolve when it loads.
GET_SUPPLY = f"""
UNWIND $keys AS k
MATCH (s:{Label.SOURCING} {{tenant: $tenant, buyer_key: k[0], item_id: k[1]}})
OPTIONAL MATCH (s)-[:{Rel.SUPPLIED_BY}]->(f:{Label.FACILITY})
OPTIONAL MATCH (f)<-[:{Rel.OPERATES}]-(c:{Label.COMPANY})
OPTIONAL MATCH (s)-[:{Rel.OF_ITEM}]->(i:{Label.ITEM})
CALL (i) {{
  OPTIONAL MATCH (i)-[r:{Rel.HAS_COMPONENT}]->(x:{Label.ITEM})
  RETURN collect([x.id, properties(r)]) AS bom
}}
RETURN collect([k[0], k[1], properties(s), properties(f), properties(c), properties(i), bom]) AS rows
"""

# tracegraph's server-side procedures (scripts/neo4j/procedures): the whole upstream in one call, with
# its records or with their IDs only.
SUPPLY_CLOSURE_PROCEDURES = ("tracegraph.upstreamClosure", "tracegraph.upstreamClosureIds")
# The tenant's data version is read before the closure, in the same statement: the client keeps the
# records it decoded per (tenant, version), and every write moves the version (`LOCK_TENANT`).
_TENANT_VERSION = f"MATCH (t:{Label.TENANT} {{id: $tenant}}) WITH coalesce(t.data_version, '') AS version "
SUPPLY_CLOSURE = (
    f"{_TENANT_VERSION}CALL {SUPPLY_CLOSURE_PROCEDURES[0]}($tenant, $keys) YIELD rows, nodes, boms, asked "
    "RETURN version, rows, nodes, boms, asked"
)
SUPPLY_CLOSURE_IDS = (
    f"{_TENANT_VERSION}CALL {SUPPLY_CLOSURE_PROCEDURES[1]}($tenant, $keys) YIELD rows, asked "
    "RETURN version, rows, asked"
)
HAS_PROCEDURES = "SHOW PROCEDURES YIELD name WHERE name IN $names RETURN count(*) = size($names) AS found"

GET_SOURCING = f"""
UNWIND $keys AS k
MATCH (s:{Label.SOURCING} {{tenant: $tenant, buyer_key: k[0], item_id: k[1]}})
RETURN collect([k[0], k[1], properties(s)]) AS rows
"""

LIST_ITEMS = f"""
MATCH (n:{Label.ITEM})
WHERE n.tenant = $tenant AND n.id > $after AND ($kind IS NULL OR n.kind = $kind)
RETURN properties(n) AS props
ORDER BY n.id
LIMIT $limit
"""


def _count_kind(kind: RecordKind) -> str:
    if kind is RecordKind.BOM:
        return (
            f"CALL () {{ MATCH (p:{Label.ITEM})-[r:{Rel.HAS_COMPONENT}]->() "
            f"WHERE p.tenant = $tenant AND p.id IS NOT NULL RETURN count(r) AS {RecordKind(kind)} }}"
        )
    label = LABEL_OF_KIND[kind]
    return (
        f"CALL () {{ MATCH (n:{label}) WHERE n.tenant = $tenant AND n.id IS NOT NULL "
        f"RETURN count(n) AS {RecordKind(kind)} }}"
    )


TENANT_INFO = "\n".join(
    [
        f"OPTIONAL MATCH (t:{Label.TENANT} {{id: $tenant}})",
        *(_count_kind(kind) for kind in RecordKind),
        "RETURN coalesce(t.data_version, '') AS data_version, "
        + ", ".join(str(RecordKind(kind)) for kind in RecordKind),
    ]
)


def drop_tenant_nodes(label: Label) -> str:
    """Delete one label's nodes of a tenant in batches, each its own transaction (auto-commit only)."""
    return (
        f"MATCH (n:{Label(label)}) WHERE n.tenant = $tenant AND n.id IS NOT NULL "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS "
        "RETURN count(*) AS deleted"
    )


DROP_TENANT = f"MATCH (t:{Label.TENANT} {{id: $tenant}}) DELETE t"

DATA_VERSION = (
    f"MATCH (t:{Label.TENANT} {{id: $tenant}}) "
    "RETURN coalesce(t.data_version, '') AS data_version, t.loading AS loading"
)

# A staged first load (see `Neo4jStore.write_bundle`): marked on the tenant before its batches commit,
# so readers and other loads stay away until it is complete; cleared with the data version at the end.
BEGIN_STAGED_LOAD = f"""
MERGE (t:{Label.TENANT} {{id: $tenant}})
WITH t, t.loading AS busy, coalesce(t.data_version, '') AS version
SET t.loading = CASE WHEN busy IS NULL AND version = '' THEN $load_id ELSE busy END
RETURN busy, version
"""

END_STAGED_LOAD = f"""
MATCH (t:{Label.TENANT} {{id: $tenant}}) WHERE t.loading = $load_id
SET t.data_version = $data_version
REMOVE t.loading
"""

ABANDON_STAGED_LOAD = f"""
MATCH (t:{Label.TENANT} {{id: $tenant}}) WHERE t.loading = $load_id
REMOVE t.loading
"""

# Every node of the database, from the count store (no scan): what a benchmark reports it started from.
COUNT_ALL_NODES = "MATCH (n) RETURN count(n) AS nodes"

TENANT_LOADING = f"MATCH (t:{Label.TENANT} {{id: $tenant}}) RETURN t.loading AS loading"

# -- screening lists ---------------------------------------------------------------------------------

CURRENT_LIST_VERSION = f"""
MATCH (v:{Label.LIST_VERSION} {{list_name: $list_name}})
RETURN properties(v) AS version ORDER BY v.seq DESC LIMIT 1
"""

DELETE_LIST_VERSION_ENTRIES = f"""
MATCH (e:{Label.LIST_ENTRY})-[:{Rel.IN_VERSION}]->(:{Label.LIST_VERSION} {{id: $version_id}})
DETACH DELETE e
"""

# A single counter node serializes list writes (its update takes a write lock), so sequence numbers are
# strictly increasing even when two loaders race; "current" is the highest.
UPSERT_LIST_VERSION = f"""
MERGE (c:{Label.SCHEMA} {{id: 'list_sequence'}})
SET c.value = coalesce(c.value, 0) + 1
WITH c.value AS seq
MERGE (v:{Label.LIST_VERSION} {{id: $version_id}})
SET v = $props, v.seq = seq
"""

ADD_LIST_ENTRIES = f"""
MATCH (v:{Label.LIST_VERSION} {{id: $version_id}})
UNWIND $rows AS row
MERGE (e:{Label.LIST_ENTRY} {{id: row.id}})
SET e = row
MERGE (e)-[:{Rel.IN_VERSION}]->(v)
"""

CURRENT_LIST = f"""
MATCH (v:{Label.LIST_VERSION} {{list_name: $list_name}})
WITH v ORDER BY v.seq DESC LIMIT 1
OPTIONAL MATCH (e:{Label.LIST_ENTRY})-[:{Rel.IN_VERSION}]->(v)
RETURN properties(v) AS version, collect(properties(e)) AS entries
"""

LIST_VERSIONS = f"""
MATCH (v:{Label.LIST_VERSION})
WHERE $list_name IS NULL OR v.list_name = $list_name
RETURN properties(v) AS version ORDER BY v.seq DESC
"""

LIST_ENTRIES = f"""
MATCH (e:{Label.LIST_ENTRY})-[:{Rel.IN_VERSION}]->(:{Label.LIST_VERSION} {{id: $version_id}})
RETURN collect(properties(e)) AS rows
"""

DROP_LIST = f"""
MATCH (v:{Label.LIST_VERSION} {{list_name: $list_name}})
OPTIONAL MATCH (e:{Label.LIST_ENTRY})-[:{Rel.IN_VERSION}]->(v)
WITH v, collect(e) AS entries
FOREACH (e IN entries | DETACH DELETE e)
DETACH DELETE v
RETURN count(v) AS deleted
"""

# -- reviewer decisions ------------------------------------------------------------------------------

PUT_REVIEW = f"""
MERGE (r:{Label.REVIEW} {{tenant: $tenant, id: $id}})
SET r = $props
"""

GET_REVIEWS = f"""
UNWIND $subjects AS subject
MATCH (r:{Label.REVIEW} {{tenant: $tenant, subject: subject}})
RETURN collect(properties(r)) AS rows
"""


# -- API keys ----------------------------------------------------------------------------------------
# Keys are global nodes `(:ApiKey {id: key_id, tenant, role, secret_hash, ..})`, looked up by `id`
# through the `tg_api_key_key` constraint; a tenant's keys through the `tg_api_key_tenant` index.

# CREATE, not MERGE: a key is never replaced, and the uniqueness constraint refuses a duplicate ID.
CREATE_API_KEY = f"CREATE (k:{Label.API_KEY}) SET k = $props"

GET_API_KEY = f"MATCH (k:{Label.API_KEY} {{id: $key_id}}) RETURN properties(k) AS props"

LIST_API_KEYS = f"MATCH (k:{Label.API_KEY}) WHERE k.tenant = $tenant RETURN collect(properties(k)) AS rows"

REVOKE_API_KEY = f"""
MATCH (k:{Label.API_KEY} {{id: $key_id}})
SET k.revoked_at = coalesce(k.revoked_at, $revoked_at)
RETURN properties(k) AS props
"""


# -- screening jobs ----------------------------------------------------------------------------------
# `(:ScreeningJob {tenant, id, status, finished, created_at, data})` and one
# `(:ScreeningResults {tenant, id, job_id, start, count, data})` per saved chunk; `data` is JSON.

PUT_JOB = f"""
MERGE (j:{Label.SCREENING_JOB} {{tenant: $tenant, id: $id}})
SET j.status = $status, j.finished = $finished, j.created_at = $created_at, j.data = $data
"""

GET_JOB = f"MATCH (j:{Label.SCREENING_JOB} {{tenant: $tenant, id: $id}}) RETURN j.data AS data"

UNFINISHED_JOBS = f"""
MATCH (j:{Label.SCREENING_JOB}) WHERE j.finished = false
RETURN j.tenant AS tenant, j.id AS id ORDER BY j.created_at, j.id
"""

PUT_JOB_RESULTS = f"""
MERGE (r:{Label.SCREENING_RESULTS} {{tenant: $tenant, id: $id}})
SET r.job_id = $job_id, r.start = $start, r.count = $count, r.data = $data
"""

GET_JOB_RESULTS = f"""
MATCH (r:{Label.SCREENING_RESULTS} {{tenant: $tenant, job_id: $job_id}})
WHERE r.start < $end AND r.start + r.count > $start
RETURN r.start AS start, r.data AS data ORDER BY r.start
"""

# -- idempotent writes -------------------------------------------------------------------------------

PUT_IDEMPOTENT = f"""
MERGE (r:{Label.IDEMPOTENT_REQUEST} {{tenant: $tenant, id: $id}})
SET r.data = $data
"""

GET_IDEMPOTENT = f"MATCH (r:{Label.IDEMPOTENT_REQUEST} {{tenant: $tenant, id: $id}}) RETURN r.data AS data"

# -- verdict changes ---------------------------------------------------------------------------------
# `(:VerdictSnapshot {tenant, id: "product:<id>", data})`, `(:VerdictChange {tenant, id, seq, at_us,
# subject_kind, data})` and one `(:ChangeTracker {tenant, id: "tracker", revision, data})`; `data` is JSON.

TENANT_DATA_VERSIONS = f"""
MATCH (t:{Label.TENANT})
WHERE t.data_version IS NOT NULL AND t.data_version <> '' AND t.loading IS NULL
RETURN t.id AS tenant, t.data_version AS data_version ORDER BY t.id
"""

GET_CHANGE_TRACKER = (
    f"MATCH (t:{Label.CHANGE_TRACKER} {{tenant: $tenant, id: 'tracker'}}) RETURN t.data AS data"
)

# Taking the tracker's write lock first (the SET) makes a concurrent commit wait for this one, and the
# revision read after it is the committed one: compare-and-set.
LOCK_CHANGE_TRACKER = f"""
MERGE (t:{Label.CHANGE_TRACKER} {{tenant: $tenant, id: 'tracker'}})
ON CREATE SET t.revision = 0
SET t.locked = true
RETURN t.revision AS revision
"""

PUT_CHANGE_TRACKER = f"""
MATCH (t:{Label.CHANGE_TRACKER} {{tenant: $tenant, id: 'tracker'}})
SET t.revision = $revision, t.data = $data
REMOVE t.locked
"""

PUT_VERDICT_SNAPSHOTS = f"""
UNWIND $rows AS row
MERGE (s:{Label.VERDICT_SNAPSHOT} {{tenant: $tenant, id: row.id}})
SET s.data = row.data
"""

GET_VERDICT_SNAPSHOTS = f"""
UNWIND $ids AS id
MATCH (s:{Label.VERDICT_SNAPSHOT} {{tenant: $tenant, id: id}})
RETURN collect([s.id, s.data]) AS rows
"""

ADD_VERDICT_CHANGES = f"""
UNWIND $rows AS row
CREATE (c:{Label.VERDICT_CHANGE})
SET c = row, c.tenant = $tenant
"""

LIST_VERDICT_CHANGES = f"""
MATCH (c:{Label.VERDICT_CHANGE})
WHERE c.tenant = $tenant AND c.seq > $after AND ($before IS NULL OR c.seq < $before)
  AND ($since IS NULL OR c.at_us >= $since) AND ($kind IS NULL OR c.subject_kind = $kind)
RETURN c.data AS data ORDER BY c.seq DESC LIMIT $limit
"""

# -- webhooks ----------------------------------------------------------------------------------------
# `(:Webhook {tenant, id, created_at, data})`, `(:WebhookDelivery {tenant, id, webhook_id, created_at,
# pending, next_attempt_at, data})`; `data` is JSON.

PUT_WEBHOOK = f"""
MERGE (w:{Label.WEBHOOK} {{tenant: $tenant, id: $id}})
SET w.created_at = $created_at, w.data = $data
"""

# Compare-and-set: replaces the document only if it is still the one the caller read.
REPLACE_WEBHOOK = f"""
MATCH (w:{Label.WEBHOOK} {{tenant: $tenant, id: $id}}) WHERE w.data = $expected
SET w.created_at = $created_at, w.data = $data
RETURN count(w) AS written
"""

GET_WEBHOOK = f"MATCH (w:{Label.WEBHOOK} {{tenant: $tenant, id: $id}}) RETURN w.data AS data"

WEBHOOK_TENANTS = f"MATCH (w:{Label.WEBHOOK}) RETURN collect(DISTINCT w.tenant) AS rows"

LIST_WEBHOOKS = f"""
MATCH (w:{Label.WEBHOOK}) WHERE w.tenant = $tenant AND w.id IS NOT NULL
RETURN w.data AS data ORDER BY w.created_at, w.id
"""

DELETE_WEBHOOK = f"""
MATCH (w:{Label.WEBHOOK} {{tenant: $tenant, id: $id}})
CALL (w) {{
  MATCH (d:{Label.WEBHOOK_DELIVERY} {{tenant: $tenant, webhook_id: $id}})
  DETACH DELETE d
}}
DETACH DELETE w
RETURN count(*) AS deleted
"""

PUT_WEBHOOK_DELIVERY = f"""
MERGE (d:{Label.WEBHOOK_DELIVERY} {{tenant: $tenant, id: $id}})
SET d.webhook_id = $webhook_id, d.created_at = $created_at, d.pending = $pending,
    d.next_attempt_at = $next_attempt_at, d.data = $data
"""

GET_WEBHOOK_DELIVERY = (
    f"MATCH (d:{Label.WEBHOOK_DELIVERY} {{tenant: $tenant, id: $id}}) RETURN d.data AS data"
)

LIST_WEBHOOK_DELIVERIES = f"""
MATCH (d:{Label.WEBHOOK_DELIVERY} {{tenant: $tenant, webhook_id: $webhook_id}})
RETURN d.data AS data ORDER BY d.created_at DESC, d.id DESC LIMIT $limit
"""

PENDING_WEBHOOK_DELIVERIES = f"""
MATCH (d:{Label.WEBHOOK_DELIVERY}) WHERE d.pending = true
RETURN d.tenant AS tenant, d.id AS id ORDER BY d.next_attempt_at, d.id
"""

# -- lots (GS1 EPCIS) --------------------------------------------------------------------------------
# `(:Lot {tenant, id, item_id, ..})`, `(:LotEvent {tenant, id, type, event_time, data})` (`data`: the
# whole event as JSON), `(:Lot)-[:RECORDED_IN]->(:LotEvent)-[:AT]->(:Facility)`,
# `(:LotEvent)-[:CITES]->(:Document)` and `(output:Lot)-[:MADE_FROM {event_id, quantity, uom}]->(input:Lot)`.


def find_keys(label: Label, field: str) -> str:
    """IDs of the tenant's `label` nodes by the value of `field` (served by its (tenant, field) index)."""
    _props((field,))
    return (
        f"UNWIND $values AS value MATCH (n:{Label(label)}) WHERE n.tenant = $tenant AND n.{field} = value "
        "RETURN collect([value, n.id]) AS rows"
    )


UPSERT_LOTS = f"""
UNWIND $rows AS row
MERGE (n:{Label.LOT} {{tenant: $tenant, id: row.id}})
SET n = row.props
RETURN count(*) AS written
"""

# Rows `{id, props, lots, facilities, documents}`: the event's relationships are replaced by the listed
# ones (lots are written first; a lot, facility or document not found is left out and counted by the
# caller's check).
UPSERT_LOT_EVENTS = f"""
UNWIND $rows AS row
MERGE (e:{Label.LOT_EVENT} {{tenant: $tenant, id: row.id}})
SET e = row.props
WITH e, row
CALL (e) {{ MATCH (e)<-[r:{Rel.RECORDED_IN}]-() DELETE r }}
CALL (e) {{ MATCH (e)-[r:{Rel.AT}|{Rel.CITES}]->() DELETE r }}
CALL (e, row) {{
  UNWIND row.lots AS lot_id
  MATCH (l:{Label.LOT} {{tenant: $tenant, id: lot_id}})
  CREATE (l)-[:{Rel.RECORDED_IN}]->(e)
}}
CALL (e, row) {{
  UNWIND row.facilities AS facility_id
  MATCH (f:{Label.FACILITY} {{tenant: $tenant, id: facility_id}})
  CREATE (e)-[:{Rel.AT}]->(f)
}}
CALL (e, row) {{
  UNWIND row.documents AS document_id
  MATCH (d:{Label.DOCUMENT} {{tenant: $tenant, id: document_id}})
  CREATE (e)-[:{Rel.CITES}]->(d)
}}
CALL (e) {{ MATCH (e)<-[r:{Rel.RECORDED_IN}]-() RETURN count(r) AS recorded }}
RETURN sum(CASE WHEN recorded = size(row.lots) THEN 1 ELSE 0 END) AS written
"""

DROP_LOT_INPUTS = f"""
UNWIND $ids AS lot_id
MATCH (:{Label.LOT} {{tenant: $tenant, id: lot_id}})-[r:{Rel.MADE_FROM}]->()
DELETE r
RETURN count(*) AS written
"""

UPSERT_LOT_LINKS = f"""
UNWIND $rows AS row
MATCH (o:{Label.LOT} {{tenant: $tenant, id: row.output}})
MATCH (i:{Label.LOT} {{tenant: $tenant, id: row.input}})
MERGE (o)-[r:{Rel.MADE_FROM}]->(i)
SET r = row.props
RETURN count(*) AS written
"""

GET_LOT_LINKS = f"""
UNWIND $ids AS lot_id
MATCH (l:{Label.LOT} {{tenant: $tenant, id: lot_id}})
CALL (l) {{
  MATCH (l)-[r:{Rel.MADE_FROM}]->(x:{Label.LOT}) RETURN l.id AS output, x.id AS input, properties(r) AS props
  UNION
  MATCH (x:{Label.LOT})-[r:{Rel.MADE_FROM}]->(l) RETURN x.id AS output, l.id AS input, properties(r) AS props
}}
RETURN collect([output, input, props]) AS rows
"""

LIST_LOTS = f"""
MATCH (n:{Label.LOT})
WHERE n.tenant = $tenant AND n.id IS NOT NULL
  AND ($item_id IS NULL OR n.item_id = $item_id) AND ($q IS NULL OR toLower(n.id) CONTAINS $q)
RETURN properties(n) AS props
ORDER BY n.id
SKIP $offset
LIMIT $limit
"""

LOTS_OF_ITEMS = f"""
UNWIND $ids AS item_id
MATCH (n:{Label.LOT} {{tenant: $tenant, item_id: item_id}})
RETURN collect(properties(n)) AS rows
"""
