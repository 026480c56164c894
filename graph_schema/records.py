"""Record shapes: the properties each node carries, shared by loaders, stores and the walk.

The field names are the bundle contract's column names (`shared/FORMATS.md`, version 1), so a value keeps
one name from the CSV cell to the graph property to the API field. Records are immutable and validated;
stores persist `record.to_props()` and rebuild with `Model.from_props()`, so both stores hold identical
values (dates as ISO strings, lists as lists).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar, Generic, Self, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

_T = TypeVar("_T")


class cached_value(Generic[_T]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """`functools.cached_property` without its lock (Python 3.11 takes an RLock on every first access,
    which costs more than the key it caches when a load builds 120k records). The value lands in the
    instance's `__dict__`, which shadows this non-data descriptor from then on; racing threads may both
    compute it, which is harmless for a pure function of a frozen record."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, obj: object, owner: type[Any] | None = None) -> _T: ...

    def __get__(self, obj: object | None, owner: type[Any] | None = None) -> _T | Self:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


class Activity(StrEnum):
    """What a facility does. Trading and warehouse sites never make or originate goods."""

    FARM = "farm"
    MINE = "mine"
    PROCESSING = "processing"
    MANUFACTURING = "manufacturing"
    TRADING = "trading"
    WAREHOUSE = "warehouse"
    OTHER = "other"

    @property
    def originates(self) -> bool:
        return self not in (Activity.TRADING, Activity.WAREHOUSE)


class ItemKind(StrEnum):
    PRODUCT = "product"
    COMPONENT = "component"
    MATERIAL = "material"


class RegistrationScheme(StrEnum):
    USCC = "USCC"
    LEI = "LEI"
    DUNS = "DUNS"
    OTHER = "OTHER"


class DocumentType(StrEnum):
    PURCHASE_ORDER = "purchase_order"
    COMMERCIAL_INVOICE = "commercial_invoice"
    PACKING_LIST = "packing_list"
    BILL_OF_LADING = "bill_of_lading"
    CERTIFICATE_OF_ORIGIN = "certificate_of_origin"
    PRODUCTION_RECORD = "production_record"
    PAYMENT_RECORD = "payment_record"
    TRANSPORT_DOCUMENT = "transport_document"
    MILL_CERTIFICATE = "mill_certificate"
    AUDIT_REPORT = "audit_report"
    AFFIDAVIT = "affidavit"
    ISOTOPE_TEST = "isotope_test"
    OTHER = "other"


class Record(BaseModel):
    """Base of every stored record: frozen, strict about unknown fields, with a stable key."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", use_enum_values=False, ignored_types=(cached_value,)
    )

    #: name of the field holding the record's ID (the bundle's `*_id` column)
    id_field: ClassVar[str]

    # Cached like `Sourcing.sourcing_id`: a load asks each record's key about seven times (duplicate
    # checks, the diff, write batches), ~900k lookups for a 120k-row bundle.
    @cached_value
    def key(self) -> str:
        """The record's identity inside its tenant."""
        return str(getattr(self, self.id_field))

    def to_props(self) -> dict[str, Any]:
        """Plain JSON-compatible properties, `None` values dropped (graphs do not store nulls)."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v is not None}

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; values cached from the fields (e.g. `Sourcing.sourcing_id`) are dropped when fields
        change, so the copy derives its own."""
        copied = super().model_copy(update=update, deep=deep)
        if update:
            fields = type(self).model_fields
            for name in [k for k in copied.__dict__ if k not in fields]:
                del copied.__dict__[name]
        return copied

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Self:
        """Rebuild from stored properties, ignoring store bookkeeping such as `tenant` and `id`."""
        names = cls.model_fields
        return cls.model_validate({k: v for k, v in props.items() if k in names})

    @classmethod
    def from_fields(cls, props: dict[str, Any]) -> Self:
        """`from_props` for properties a reader already stripped of bookkeeping (the closure procedure's):
        validated as they are, skipping the filter that costs as much as the validation; a stray key (a
        property an older release stored) still takes the filtering path."""
        try:
            return cls.model_validate(props)
        except ValidationError:
            return cls.from_props(props)


@cache
def records_adapter(kind: type[Record]) -> TypeAdapter[list[Any]]:
    """One validator and serializer per record class for whole lists: a bundle's tens of thousands of rows
    are validated (or dumped) in one call into pydantic's core instead of one call per record, about
    twice as fast; building an adapter costs more than using one, hence the cache."""
    return TypeAdapter(list[kind])  # type: ignore[valid-type]


class Company(Record):
    id_field: ClassVar[str] = "company_id"

    company_id: str
    name: str
    name_local: str | None = None
    aliases: list[str] = Field(default_factory=list)
    country: str
    registration_id: str | None = None
    registration_scheme: RegistrationScheme | None = None
    address: str | None = None
    parent_company_id: str | None = None
    ownership_pct: float | None = None


class Facility(Record):
    id_field: ClassVar[str] = "facility_id"

    facility_id: str
    company_id: str
    name: str | None = None
    activity: Activity = Activity.MANUFACTURING
    address: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str
    latitude: float | None = None
    longitude: float | None = None
    os_id: str | None = None
    #: GS1 Global Location Number (13 digits, check digit valid): what EPCIS events name the site by
    gln: str | None = None


class Item(Record):
    id_field: ClassVar[str] = "item_id"

    item_id: str
    name: str
    kind: ItemKind
    hts_code: str | None = None
    commodity: str | None = None
    #: GS1 GTIN as 14 digits (GTIN-8/12/13 padded with zeros): what EPCIS events name the item by
    gtin: str | None = None


class BomLine(Record):
    id_field: ClassVar[str] = "line_id"

    parent_item_id: str
    component_item_id: str
    quantity: float | None = None
    unit: str | None = None

    @property
    def line_id(self) -> str:
        return f"{self.parent_item_id}>{self.component_item_id}"


class Sourcing(Record):
    """One sourcing link. Its identity is (item, supplier, buyer, valid_from): the same link may recur
    with another validity window, and a later bundle updates a link by that identity."""

    id_field: ClassVar[str] = "sourcing_id"

    item_id: str
    supplier_facility_id: str
    buyer_facility_id: str | None = None
    share: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    document_ids: list[str] = Field(default_factory=list)

    # Cached: the walk, the writer and the diff ask for a link's identity many times per record, and a
    # frozen record's identity never changes (`Record.model_copy` drops the cache of an updated copy).
    @cached_value
    def sourcing_id(self) -> str:
        parts = (
            self.item_id,
            self.supplier_facility_id,
            self.buyer_facility_id or "",
            self.valid_from.isoformat() if self.valid_from else "",
        )
        return "|".join(parts)

    @cached_value
    def buyer_key(self) -> str:
        """The buyer as an indexable string: `""` is the importer itself (a tier-1 purchase)."""
        return self.buyer_facility_id or ""


class Document(Record):
    id_field: ClassVar[str] = "document_id"

    document_id: str
    type: DocumentType
    number: str | None = None
    issued_on: date | None = None
    issuer_company_id: str | None = None
    uri: str | None = None
    sha256: str | None = None


class EpcisEventType(StrEnum):
    """The GS1 EPCIS 2.0 event types tracegraph records."""

    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"
    TRANSACTION = "TransactionEvent"
    TRANSFORMATION = "TransformationEvent"
    ASSOCIATION = "AssociationEvent"


class LotQuantity(BaseModel):
    """A lot as one event names it, with the quantity the event gives (none for a lot of one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lot_id: str = Field(description="Canonical lot ID, `<item_id>.<lot>`.")
    quantity: float | None = Field(None, description="Quantity of the lot in this event.")
    uom: str | None = Field(None, description="Unit of measure (UN/CEFACT Rec. 20 code, e.g. KGM).")


class BizTransaction(BaseModel):
    """A business transaction an event names, and the documents of the tenant it was matched to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str | None = Field(None, description="CBV business transaction type, short form (`po`, `inv`).")
    id: str = Field(description="The transaction's identifier as the event gives it.")
    document_ids: list[str] = Field(
        default_factory=list, description="The tenant's documents whose number ends this identifier."
    )


class PartyRef(BaseModel):
    """An EPCIS source or destination: its type, its identifier and, for a known location, the facility."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="CBV source/destination type, short form (`owning_party`, `location`).")
    id: str = Field(description="The identifier as the event gives it.")
    facility_id: str | None = Field(None, description="The facility it names, when it is a known location.")


class LotEvent(Record):
    """One EPCIS event, normalised: lots by canonical ID, locations by facility ID, CBV values short.

    Stored as one node whose `data` property holds the whole record as JSON (a graph property cannot
    hold a list of maps); `event_time` and `type` are also kept as plain properties.
    """

    id_field: ClassVar[str] = "event_id"

    event_id: str = Field(description="The event's `eventID`, or `tg-hash:` + a hash of its content.")
    type: EpcisEventType = Field(description="ObjectEvent, AggregationEvent, TransactionEvent, ...")
    action: str | None = Field(None, description="ADD, OBSERVE or DELETE; none for a TransformationEvent.")
    event_time: datetime = Field(description="When the event happened, with its offset.")
    event_time_zone_offset: str = Field(description="The event's local offset, e.g. `+08:00`.")
    biz_step: str | None = Field(None, description="CBV business step, short form (`shipping`).")
    disposition: str | None = Field(None, description="CBV disposition, short form (`in_transit`).")
    read_point: str | None = Field(None, description="Facility of the `readPoint`.")
    biz_location: str | None = Field(None, description="Facility of the `bizLocation`.")
    lots: list[LotQuantity] = Field(
        default_factory=list, description="Lots the event observes (EPC lists, quantity lists, children)."
    )
    inputs: list[LotQuantity] = Field(default_factory=list, description="TransformationEvent inputs.")
    outputs: list[LotQuantity] = Field(default_factory=list, description="TransformationEvent outputs.")
    biz_transactions: list[BizTransaction] = Field(
        default_factory=list, description="Business transactions (PO, invoice, despatch advice, B/L)."
    )
    sources: list[PartyRef] = Field(default_factory=list, description="EPCIS `sourceList`.")
    destinations: list[PartyRef] = Field(default_factory=list, description="EPCIS `destinationList`.")

    @property
    def facility_id(self) -> str | None:
        """Where the event happened: its business location, else where it was read."""
        return self.biz_location or self.read_point

    @property
    def lot_ids(self) -> list[str]:
        """Every lot the event names, sorted."""
        return sorted({q.lot_id for q in (*self.lots, *self.inputs, *self.outputs)})

    @property
    def document_ids(self) -> list[str]:
        """Every document its business transactions were matched to, sorted."""
        return sorted({d for bt in self.biz_transactions for d in bt.document_ids})

    def to_props(self) -> dict[str, Any]:
        data = super().to_props()
        return {
            "event_id": self.event_id,
            "type": self.type.value,
            "event_time": data["event_time"],
            "data": json.dumps(data, sort_keys=True, ensure_ascii=False),
        }

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Self:
        return cls.model_validate(json.loads(props["data"]))


class Lot(Record):
    """A lot (or a serial instance: a lot of one) of an item, as its EPCIS events describe it.

    Everything but the identity is derived from the lot's events when they are loaded: where it was
    made (the TransformationEvent that output it, else the ObjectEvent that commissioned it), its
    quantity there, and every facility where an event recorded it.
    """

    id_field: ClassVar[str] = "lot_id"

    lot_id: str = Field(description="Canonical lot ID: `<item_id>.<lot>`.")
    item_id: str = Field(description="The item the lot is of.")
    lot: str = Field(description="The lot number (or serial number) as the events give it.")
    quantity: float | None = Field(None, description="Quantity made or commissioned, if recorded.")
    uom: str | None = Field(None, description="Unit of that quantity.")
    facility_id: str | None = Field(None, description="Where the lot was made or commissioned, if known.")
    made_in_event_id: str | None = Field(None, description="The event that made or commissioned it.")
    first_event_time: datetime | None = Field(None, description="Time of its first recorded event (UTC).")
    last_event_time: datetime | None = Field(None, description="Time of its last recorded event (UTC).")
    facility_ids: list[str] = Field(
        default_factory=list, description="Every facility where an event recorded it, first seen first."
    )
    event_ids: list[str] = Field(default_factory=list, description="Its events, earliest first.")


class ListVersion(Record):
    """One load of a screening list: where it came from, when, and a hash of its content."""

    id_field: ClassVar[str] = "version_id"

    version_id: str
    list_name: str
    source: str
    retrieved_on: date
    sha256: str
    entry_count: int


class ListEntry(Record):
    """One entry of a screening list (shared reference data, not owned by a tenant)."""

    id_field: ClassVar[str] = "entry_id"

    entry_id: str
    list_name: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    name_local: str | None = None
    covers_subsidiaries: bool = False
    section: str | None = None
    effective_date: date | None = None
    citation: str | None = None
    #: The rest is what lists other than UFLPA publish (CSL, OFAC, CBP); UFLPA rows leave them empty.
    entity_type: str | None = None  # entity | individual | vessel | aircraft, as the source says
    source_list: str | None = None  # the source's own name for the list, e.g. "Entity List (EL) - BIS"
    programs: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # ISO 3166-1 alpha-2
    addresses: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)  # "scheme:value", e.g. "USCC:91650…"
    remarks: str | None = None


class ReviewVerdict(StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Review(Record):
    """A person's decision on a possible list match, honoured whenever the same subject is screened again.

    `subject` names what was screened: `company:<company_id>` for a stored company (the decision follows
    the company whatever its record later says), or `record:<fingerprint>` for a record screened without
    an ID (the decision applies only to a record with the same normalised fields).
    """

    id_field: ClassVar[str] = "review_id"

    review_id: str = Field(description="`<subject>|<list>|<entry_id>`: one decision per pair.")
    subject: str = Field(description="What was screened: `company:<id>` or `record:<fingerprint>`.")
    list_name: str = Field(description="List code of the entry, e.g. `UFLPA`.")
    entry_id: str = Field(description="The list entry decided on.")
    verdict: ReviewVerdict = Field(description="`confirmed` or `rejected`.")
    reviewer: str = Field(description="Who decided.")
    reason: str = Field(description="Why: the evidence relied on.")
    decided_at: datetime = Field(description="When (UTC).")


class ApiRole(StrEnum):
    """What an API key may do; the permissions of each role are in `app.api.security.ROLE_PERMISSIONS`."""

    ADMIN = "admin"  # tenants and keys, no tenant data
    IMPORTER = "importer"  # load, screen, review, read
    AUDITOR = "auditor"  # read only
    INTEGRATION = "integration"  # load and screen (a machine feeding bundles, screening at onboarding)


class ApiKey(Record):
    """An API key as stored: who it speaks for (tenant, role) and a salted hash of its secret, never the
    secret itself, so a copy of the store grants no access.

    Keys are global, looked up by `key_id` (the public part of `tg_<key_id>_<secret>`), because the key is
    how a request's tenant becomes known; they are not tenant data a bundle can touch.
    """

    id_field: ClassVar[str] = "key_id"

    key_id: str = Field(description="Public identifier of the key (the part after `tg_`).")
    tenant: str = Field(description="Tenant the key acts for.")
    role: ApiRole = Field(description="`admin`, `importer`, `auditor` or `integration`.")
    secret_hash: str = Field(description="`scrypt$n$r$p$salt$hash` of the secret (base64); never the secret.")
    name: str = Field(description="What the key is for, e.g. the integration using it.")
    description: str | None = Field(None, description="Longer note on the key's purpose.")
    created_at: datetime = Field(description="When the key was issued (UTC).")
    created_by: str = Field(description="Who issued it: `key:<admin key_id>` or `cli:<os user>`.")
    expires_at: datetime | None = Field(None, description="When the key stops working (UTC); none = never.")
    revoked_at: datetime | None = Field(None, description="When the key was revoked (UTC), if it was.")

    def is_active(self, now: datetime) -> bool:
        """Usable at `now`: neither revoked nor expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass
class Bundle:
    """A validated set of records to write for one tenant, in dependency order."""

    companies: list[Company] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    bom: list[BomLine] = field(default_factory=list)
    sourcing: list[Sourcing] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any((self.companies, self.facilities, self.items, self.bom, self.sourcing, self.documents))

    def size(self) -> int:
        return sum(
            len(x)
            for x in (self.companies, self.facilities, self.items, self.bom, self.sourcing, self.documents)
        )
