"""Both stores hold the same relationships, derived from foreign keys, and re-point them on upsert.

Reads go through FK properties, so relationships are invisible to the protocol; they matter to anyone
exploring the graph (Neo4j Browser, networkx) and must not go stale. This test looks inside each store.
"""

from __future__ import annotations

from typing import Any

from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.store.neo4j_store import Neo4jStore
from graph_schema import Label
from tests.builders import bom_line, bundle, company, document, facility, item, sourcing

Edge = tuple[str, str, str, tuple[tuple[str, Any], ...]]


def _edges(store: GraphStore, tenant: str) -> set[Edge]:
    """(type, from id, to id, properties) of every relationship starting at one of the tenant's nodes."""
    if isinstance(store, MemoryStore):
        return {
            (rel, u[2], v[2], tuple(sorted(d["props"].items())))
            for u, v, rel, d in store._graph.edges(keys=True, data=True)
            if u[1] == tenant
        }
    assert isinstance(store, Neo4jStore)
    out: set[Edge] = set()
    for label in (Label.COMPANY, Label.FACILITY, Label.ITEM, Label.SOURCING, Label.DOCUMENT):
        rows = store._read(
            f"MATCH (a:{label} {{tenant: $tenant}})-[r]->(b) "
            "RETURN type(r) AS rel, a.id AS a, b.id AS b, properties(r) AS props",
            tenant=tenant,
        )
        out |= {(r["rel"], r["a"], r["b"], tuple(sorted(r["props"].items()))) for r in rows}
    return out


def test_relationships_follow_foreign_keys(store: GraphStore, tenant: str) -> None:
    tier1 = sourcing("shirt", "F2")
    tier2 = sourcing("yarn", "F1", "F2", document_ids=["D1"])
    store.write_bundle(
        tenant,
        bundle(
            companies=[
                company("P1"),
                company("C1", parent_company_id="P1", ownership_pct=51.5),
                company("C2"),
            ],
            facilities=[facility("F1", "C1"), facility("F2", "C2")],
            items=[item("shirt"), item("yarn")],
            bom=[bom_line("shirt", "yarn", quantity=0.3, unit="kg")],
            sourcing=[tier1, tier2],
            documents=[document("D1", issuer_company_id="C1"), document("D2")],
        ),
        "v1",
    )
    s1, s2 = tier1.sourcing_id, tier2.sourcing_id
    assert _edges(store, tenant) == {
        ("OWNS", "P1", "C1", (("ownership_pct", 51.5),)),
        ("OPERATES", "C1", "F1", ()),
        ("OPERATES", "C2", "F2", ()),
        ("HAS_COMPONENT", "shirt", "yarn", (("quantity", 0.3), ("unit", "kg"))),
        ("OF_ITEM", s1, "shirt", ()),
        ("SUPPLIED_BY", s1, "F2", ()),  # tier 1: no DELIVERED_TO, the importer is the buyer
        ("OF_ITEM", s2, "yarn", ()),
        ("SUPPLIED_BY", s2, "F1", ()),
        ("DELIVERED_TO", s2, "F2", ()),
        ("BACKED_BY", s2, "D1", ()),
        ("ISSUED_BY", "D1", "C1", ()),
    }

    store.write_bundle(
        tenant,
        bundle(
            companies=[company("C1")],  # parent removed
            facilities=[facility("F1", "C2")],  # operator changed
            sourcing=[sourcing("yarn", "F1", "F2", document_ids=["D2"])],  # evidence replaced
        ),
        "v2",
    )
    edges = _edges(store, tenant)
    assert not any(e[0] == "OWNS" for e in edges)
    assert {e for e in edges if e[0] == "OPERATES"} == {
        ("OPERATES", "C2", "F1", ()),
        ("OPERATES", "C2", "F2", ()),
    }
    assert {e for e in edges if e[0] == "BACKED_BY"} == {("BACKED_BY", s2, "D2", ())}
    assert len(edges) == 10  # the other seven untouched
