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


def upsert_nodes(label: Label) -> str:
    """Replace each node's whole property map (each row is that map, `tenant` and `id` included), so a
    property absent from the new record disappears."""
    return f"UNWIND $rows AS row MERGE (n:{Label(label)} {{tenant: $tenant, id: row.id}}) SET n = row"


def rederive_relationships(label: Label, specs: tuple[FkRel, ...]) -> str:
    """Drop the FK-derived relationships of each node and create them anew from its current FKs.

    The old relationships of these types are all deleted first, so the new ones can be CREATEd rather
    than MERGEd (no existence check and lock per relationship). That relies on each node appearing once
    per bundle (`bundle_records` keeps the last record per key), on target lists without duplicates,
    and on `LOCK_TENANT`, which keeps two bundles from re-deriving the same node at once.
    One statement per label handles all of its foreign keys, so a batch matches its nodes once.
    Row shape: `{id, <REL>: [target ids], <REL>_props: {..}}` per relationship type; an absent list
    unwinds to nothing and `_props` is sent only for types with properties. Targets not (yet) in the
    graph are skipped: the FK property remains the source of truth.
    """
    lab = Label(label)
    parts = [f"UNWIND $rows AS row MATCH (n:{lab} {{tenant: $tenant, id: row.id}})"]
    incoming = [s for s in specs if s.incoming]
    outgoing = [s for s in specs if not s.incoming]
    if incoming:
        names = "|".join(str(Rel(s.rel)) for s in incoming)
        parts.append(f"CALL (n) {{ MATCH (n)<-[old:{names}]-() DELETE old }}")
    if outgoing:
        names = "|".join(str(Rel(s.rel)) for s in outgoing)
        parts.append(f"CALL (n) {{ MATCH (n)-[old:{names}]->() DELETE old }}")
    for s in specs:
        rel, target = Rel(s.rel), Label(s.target)
        arrow = f"(m)-[r:{rel}]->(n)" if s.incoming else f"(n)-[r:{rel}]->(m)"
        parts.append(
            f"CALL (n, row) {{ UNWIND row.{rel} AS target_id "
            f"MATCH (m:{target} {{tenant: $tenant, id: target_id}}) "
            f"CREATE {arrow}{f' SET r = row.{rel}_props' if s.props else ''} }}"
        )
    return "\n".join(parts)


UPSERT_BOM = f"""
UNWIND $rows AS row
MATCH (p:{Label.ITEM} {{tenant: $tenant, id: row.parent}})
MATCH (c:{Label.ITEM} {{tenant: $tenant, id: row.component}})
MERGE (p)-[r:{Rel.HAS_COMPONENT}]->(c)
SET r = row.props
RETURN count(r) AS written
"""

# Run first in a bundle's transaction: writing the tenant node takes its write lock until commit, so bundles
# for one tenant are applied one after the other (other tenants are not held up).
LOCK_TENANT = f"MERGE (t:{Label.TENANT} {{id: $tenant}}) SET t.data_version = $data_version"

# -- tenant data: reads ------------------------------------------------------------------------------


# Batched reads return ONE record holding a collected list: the Python driver pays a socket read per
# record, so a thousand small records cost several times more than one list of a thousand maps.
# The store sorts in Python, so no ORDER BY is needed here.


def get_nodes(label: Label) -> str:
    return (
        f"UNWIND $ids AS node_id MATCH (n:{Label(label)} {{tenant: $tenant, id: node_id}}) "
        "RETURN collect(properties(n)) AS rows"
    )


def existing_ids(label: Label) -> str:
    return (
        f"UNWIND $ids AS node_id MATCH (n:{Label(label)} {{tenant: $tenant, id: node_id}}) RETURN n.id AS id"
    )


EXISTING_BOM_KEYS = f"""
UNWIND $rows AS row
MATCH (p:{Label.ITEM} {{tenant: $tenant, id: row.parent}})-[:{Rel.HAS_COMPONENT}]->
      (c:{Label.ITEM} {{tenant: $tenant, id: row.component}})
RETURN DISTINCT row.key AS key
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

DATA_VERSION = f"MATCH (t:{Label.TENANT} {{id: $tenant}}) RETURN coalesce(t.data_version, '') AS data_version"

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
