"""How records become nodes and relationships: the one mapping both stores follow.

A record's foreign-key properties are the source of truth; relationships are derived from them so the
graph can be walked and inspected (Neo4j Browser, networkx). Keeping the derivation in one table means the
embedded store and Neo4j cannot disagree on which relationship a column produces or on its direction.
Nothing here talks to a database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from app.store.base import RecordKind
from graph_schema import (
    Bundle,
    Company,
    Document,
    Facility,
    Item,
    Label,
    Rel,
    Sourcing,
)
from graph_schema.records import BomLine, Record

R = TypeVar("R", bound=Record)

#: The tenant-owned kinds stored as nodes, in the order a bundle is written (BOM lines are relationships).
NODE_KINDS: tuple[tuple[RecordKind, Label, type[Record]], ...] = (
    (RecordKind.COMPANIES, Label.COMPANY, Company),
    (RecordKind.FACILITIES, Label.FACILITY, Facility),
    (RecordKind.ITEMS, Label.ITEM, Item),
    (RecordKind.SOURCING, Label.SOURCING, Sourcing),
    (RecordKind.DOCUMENTS, Label.DOCUMENT, Document),
)

LABEL_OF_KIND: dict[RecordKind, Label] = {kind: label for kind, label, _ in NODE_KINDS}
RECORD_TYPE_OF_LABEL: dict[Label, type[Record]] = {label: rtype for _, label, rtype in NODE_KINDS}


def bundle_records(bundle: Bundle, label: Label) -> list[Record]:
    """The bundle's records that become nodes of `label`, one per key (the last wins, as upserts would)."""
    by_label: dict[Label, list[Any]] = {
        Label.COMPANY: bundle.companies,
        Label.FACILITY: bundle.facilities,
        Label.ITEM: bundle.items,
        Label.SOURCING: bundle.sourcing,
        Label.DOCUMENT: bundle.documents,
    }
    return unique_by_key(by_label[label])


def unique_by_key(records: Sequence[R]) -> list[R]:
    """One record per key, the last one given winning, as upserts in that order would leave them."""
    return list({r.key: r for r in records}.values())


@dataclass(frozen=True)
class FkRel:
    """One foreign key and the relationship it produces.

    `incoming` means the relationship points at the record's node, `(target)-[rel]->(node)`, as OWNS and
    OPERATES do (the parent owns the child; the company operates the facility). `props` is None for the
    relationship types that carry no properties, so the Neo4j store sends nothing for them.
    """

    label: Label
    rel: Rel
    target: Label
    incoming: bool
    targets: Callable[[Any], list[str]]
    props: Callable[[Any], dict[str, Any]] | None = None


def _ownership(company: Company) -> dict[str, Any]:
    return {} if company.ownership_pct is None else {"ownership_pct": company.ownership_pct}


FK_RELS: tuple[FkRel, ...] = (
    FkRel(Label.COMPANY, Rel.OWNS, Label.COMPANY, True, lambda c: _opt(c.parent_company_id), _ownership),
    FkRel(Label.FACILITY, Rel.OPERATES, Label.COMPANY, True, lambda f: [f.company_id]),
    FkRel(Label.SOURCING, Rel.OF_ITEM, Label.ITEM, False, lambda s: [s.item_id]),
    FkRel(Label.SOURCING, Rel.SUPPLIED_BY, Label.FACILITY, False, lambda s: [s.supplier_facility_id]),
    FkRel(Label.SOURCING, Rel.DELIVERED_TO, Label.FACILITY, False, lambda s: _opt(s.buyer_facility_id)),
    FkRel(Label.SOURCING, Rel.BACKED_BY, Label.DOCUMENT, False, lambda s: sorted(set(s.document_ids))),
    FkRel(Label.DOCUMENT, Rel.ISSUED_BY, Label.COMPANY, False, lambda d: _opt(d.issuer_company_id)),
)


def _opt(value: str | None) -> list[str]:
    return [] if value is None else [value]


def node_props(tenant: str, record: Record) -> dict[str, Any]:
    """The full property map of a tenant-owned node.

    It carries `tenant` and `id` (the uniqueness key) so that replacing the whole map on upsert keeps the
    key, and sourcing nodes carry `buyer_key` because the walk's hottest lookup is indexed on it.
    """
    props = record.to_props()
    props["tenant"] = tenant
    props["id"] = record.key
    if isinstance(record, Sourcing):
        props["buyer_key"] = record.buyer_key
    return props


def bom_props(line: BomLine) -> dict[str, Any]:
    """HAS_COMPONENT properties; the line's identity is its two end nodes."""
    return {k: v for k, v in (("quantity", line.quantity), ("unit", line.unit)) if v is not None}


def bom_line(parent_id: str, component_id: str, props: dict[str, Any]) -> BomLine:
    return BomLine(parent_item_id=parent_id, component_item_id=component_id, **props)


def bom_key_candidates(line_id: str) -> list[tuple[str, str]]:
    """Every (parent, component) pair a `line_id` could stand for.

    IDs may themselves contain `>`, so `a>b>c` is either `(a, b>c)` or `(a>b, c)`; a key exists if any
    reading does, which is exactly what `BomLine.line_id` equality means.
    """
    parts = line_id.split(">")
    return [(">".join(parts[:i]), ">".join(parts[i:])) for i in range(1, len(parts))]


def list_entry_node_id(version_id: str, entry_id: str) -> str:
    """The node ID of an entry within one list version.

    Entries are version-scoped (one node per version and entry) so an older version keeps the exact entry
    text it was screened against; JSON encoding keeps the pair unambiguous whatever characters IDs hold.
    """
    return json.dumps([version_id, entry_id], ensure_ascii=False)
