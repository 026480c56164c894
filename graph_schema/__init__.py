"""The graph vocabulary shared by every store: labels, relationship types, record shapes and constraints.

Nothing here talks to a database. The stores translate these definitions into their own mechanics
(Cypher DDL for Neo4j, dict indexes for the embedded store), so the vocabulary exists exactly once.
"""

from graph_schema.records import (
    Activity,
    ApiKey,
    ApiRole,
    BomLine,
    Bundle,
    Company,
    Document,
    DocumentType,
    Facility,
    Item,
    ItemKind,
    ListEntry,
    ListVersion,
    RegistrationScheme,
    Review,
    ReviewVerdict,
    Sourcing,
)
from graph_schema.vocab import (
    CONSTRAINTS,
    INDEXES,
    SCHEMA_VERSION,
    Label,
    PropertyConstraint,
    PropertyIndex,
    Rel,
)

__all__ = [
    "CONSTRAINTS",
    "INDEXES",
    "SCHEMA_VERSION",
    "Activity",
    "ApiKey",
    "ApiRole",
    "BomLine",
    "Bundle",
    "Company",
    "Document",
    "DocumentType",
    "Facility",
    "Item",
    "ItemKind",
    "Label",
    "ListEntry",
    "ListVersion",
    "PropertyConstraint",
    "PropertyIndex",
    "RegistrationScheme",
    "Rel",
    "Review",
    "ReviewVerdict",
    "Sourcing",
]
