"""Labels, relationship types, constraints and indexes.

Only members of these enums are ever interpolated into Cypher; every value travels as a parameter.
`SCHEMA_VERSION` is stamped into the store at start-up; a store finding an older version runs the
migrations registered for it (see `graph_schema.migrations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCHEMA_VERSION = 1


class Label(StrEnum):
    """Node labels. Tenant-owned labels carry `tenant` and `id`; reference labels carry neither tenant."""

    COMPANY = "Company"
    FACILITY = "Facility"
    ITEM = "Item"
    SOURCING = "Sourcing"
    DOCUMENT = "Document"
    REVIEW = "Review"  # a reviewer's decision on a possible list match
    SCREENING_JOB = "ScreeningJob"  # a batch screening: state and progress (JSON in `data`)
    SCREENING_RESULTS = "ScreeningResults"  # one saved chunk of a job's results (JSON in `data`)
    IDEMPOTENT_REQUEST = "IdempotentRequest"  # a write's answer kept under its Idempotency-Key
    # Verdict change tracking and webhooks (`app.changes`, `app.webhooks`); documents as JSON in `data`.
    VERDICT_SNAPSHOT = "VerdictSnapshot"  # a product's (or lot's) last judged verdict and why
    VERDICT_CHANGE = "VerdictChange"  # one change of a verdict, numbered by `seq` per tenant
    CHANGE_TRACKER = "ChangeTracker"  # what a tenant's snapshots were judged on (one per tenant)
    WEBHOOK = "Webhook"  # a subscription to verdict changes, with its signing secret
    WEBHOOK_DELIVERY = "WebhookDelivery"  # one payload for one webhook and every attempt to send it
    LOT = "Lot"  # a lot (or serial instance) of an item, from GS1 EPCIS events
    LOT_EVENT = "LotEvent"  # one EPCIS event (the whole event as JSON in `data`)
    TENANT = "Tenant"
    # Shared reference data (no tenant): screening lists and their versions.
    LIST_VERSION = "ListVersion"
    LIST_ENTRY = "ListEntry"
    SCHEMA = "SchemaInfo"
    # Access control: global, looked up by key ID; `drop_tenant` deletes a tenant's keys with its data.
    API_KEY = "ApiKey"

    @property
    def tenant_owned(self) -> bool:
        return self in TENANT_OWNED


TENANT_OWNED: frozenset[Label] = frozenset(
    {
        Label.COMPANY,
        Label.FACILITY,
        Label.ITEM,
        Label.SOURCING,
        Label.DOCUMENT,
        Label.REVIEW,
        Label.SCREENING_JOB,
        Label.SCREENING_RESULTS,
        Label.IDEMPOTENT_REQUEST,
        Label.VERDICT_SNAPSHOT,
        Label.VERDICT_CHANGE,
        Label.CHANGE_TRACKER,
        Label.WEBHOOK,
        Label.WEBHOOK_DELIVERY,
        Label.LOT,
        Label.LOT_EVENT,
    }
)


class Rel(StrEnum):
    """Relationship types, each written `(from)-[:TYPE]->(to)` as documented."""

    OPERATES = "OPERATES"  # (Company)-[:OPERATES]->(Facility)
    OWNS = "OWNS"  # (parent Company)-[:OWNS {ownership_pct}]->(Company)
    HAS_COMPONENT = "HAS_COMPONENT"  # (Item)-[:HAS_COMPONENT {quantity, unit}]->(Item)
    OF_ITEM = "OF_ITEM"  # (Sourcing)-[:OF_ITEM]->(Item)
    SUPPLIED_BY = "SUPPLIED_BY"  # (Sourcing)-[:SUPPLIED_BY]->(supplier Facility)
    DELIVERED_TO = "DELIVERED_TO"  # (Sourcing)-[:DELIVERED_TO]->(buyer Facility); absent = the importer
    BACKED_BY = "BACKED_BY"  # (Sourcing)-[:BACKED_BY]->(Document)
    ISSUED_BY = "ISSUED_BY"  # (Document)-[:ISSUED_BY]->(Company)
    IN_VERSION = "IN_VERSION"  # (ListEntry)-[:IN_VERSION]->(ListVersion)
    MADE_FROM = "MADE_FROM"  # (output Lot)-[:MADE_FROM {event_id, quantity, uom}]->(input Lot)
    RECORDED_IN = "RECORDED_IN"  # (Lot)-[:RECORDED_IN]->(LotEvent)
    AT = "AT"  # (LotEvent)-[:AT]->(Facility): where the event happened (bizLocation, else readPoint)
    CITES = "CITES"  # (LotEvent)-[:CITES]->(Document): a business transaction naming the document


@dataclass(frozen=True)
class PropertyConstraint:
    """A uniqueness constraint over one or more properties of one label."""

    name: str
    label: Label
    properties: tuple[str, ...]


@dataclass(frozen=True)
class PropertyIndex:
    """A range index that a hot read path relies on."""

    name: str
    label: Label
    properties: tuple[str, ...]


CONSTRAINTS: tuple[PropertyConstraint, ...] = (
    *(
        PropertyConstraint(f"tg_{label.value.lower()}_key", label, ("tenant", "id"))
        for label in sorted(TENANT_OWNED)
    ),
    PropertyConstraint("tg_tenant_key", Label.TENANT, ("id",)),
    PropertyConstraint("tg_list_version_key", Label.LIST_VERSION, ("id",)),
    PropertyConstraint("tg_list_entry_key", Label.LIST_ENTRY, ("id",)),
    PropertyConstraint("tg_schema_key", Label.SCHEMA, ("id",)),
    PropertyConstraint("tg_api_key_key", Label.API_KEY, ("id",)),
)

INDEXES: tuple[PropertyIndex, ...] = (
    # The walk asks "who supplies item I to buyer B?" for whole frontiers at once.
    PropertyIndex("tg_sourcing_into", Label.SOURCING, ("tenant", "buyer_key", "item_id")),
    PropertyIndex("tg_item_kind", Label.ITEM, ("tenant", "kind")),
    PropertyIndex("tg_list_entry_list", Label.LIST_ENTRY, ("list_name",)),
    PropertyIndex("tg_review_subject", Label.REVIEW, ("tenant", "subject")),
    PropertyIndex("tg_job_results", Label.SCREENING_RESULTS, ("tenant", "job_id", "start")),
    # The change feed pages by sequence number; a webhook's delivery log; the dispatcher's queue.
    PropertyIndex("tg_change_seq", Label.VERDICT_CHANGE, ("tenant", "seq")),
    PropertyIndex("tg_delivery_webhook", Label.WEBHOOK_DELIVERY, ("tenant", "webhook_id")),
    PropertyIndex("tg_delivery_pending", Label.WEBHOOK_DELIVERY, ("pending",)),
    # EPCIS identifiers resolve to facilities and items; business transactions to documents by number;
    # a product trace asks for the lots of the items on its edges.
    PropertyIndex("tg_facility_gln", Label.FACILITY, ("tenant", "gln")),
    PropertyIndex("tg_item_gtin", Label.ITEM, ("tenant", "gtin")),
    PropertyIndex("tg_document_number", Label.DOCUMENT, ("tenant", "number")),
    PropertyIndex("tg_sourcing_supplier", Label.SOURCING, ("tenant", "supplier_facility_id")),
    PropertyIndex("tg_lot_item", Label.LOT, ("tenant", "item_id")),
    # An admin lists a tenant's keys; offboarding deletes them.
    PropertyIndex("tg_api_key_tenant", Label.API_KEY, ("tenant",)),
)
