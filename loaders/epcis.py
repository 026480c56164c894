"""Read and validate a GS1 EPCIS 2.0 document (JSON / JSON-LD) against the tenant's data.

An EPCIS document records what happened to lots: commissioned at a farm, shipped, received, spun into
yarn (a TransformationEvent: input lots → output lots). tracegraph keeps, per event, the lots it names,
where it happened (a facility), when, the quantities and the business transactions; `app.trace.lots`
writes them and walks a lot's recorded inputs upstream.

Identifiers map to the tenant's records:

- locations (`readPoint`, `bizLocation`, location sources/destinations): `urn:epc:id:sgln:<prefix>.
  <locref>.<ext>` and GS1 Digital Link `…/414/<gln>` (any host) name the facility with that `gln`;
  `urn:tracegraph:facility:<facility_id>` names a facility directly (tenants without GLNs);
- lots: `urn:epc:class:lgtin:<prefix>.<itemref>.<lot>` and Digital Link `…/01/<gtin>/10/<lot>` name lot
  `<lot>` of the item with that `gtin`; `urn:epc:id:sgtin:…` and `…/01/<gtin>/21/<serial>` name a serial
  instance, kept as a lot of one; `urn:tracegraph:item:<item_id>:lot:<lot>` (or `:serial:<serial>`)
  names a lot of an item directly (tenants without GTINs);
- documents: a business transaction names a document by its `number` (the identifier ends with it, of a
  type the CBV transaction type maps to), or directly by ID as `urn:tracegraph:document:<document_id>`
  (what `POST /v1/lots/{lot_id}/documents` records).

A lot's canonical ID is `<item_id>.<lot>` (the lot with `%`, `/` and the other characters EPC URIs
escape percent-encoded, so an ID never holds a slash). Class-level identifiers without a lot
(`urn:epc:idpat:sgtin:…`, `…/01/<gtin>` alone) and logistic units (`urn:epc:id:sscc:…`) are no lot:
they are skipped with a warning.

Like a bundle, a document is checked as a whole before anything is written: every problem is collected
with the JSON pointer of the offending value and what was expected (`/epcisBody/eventList/3/bizLocation/id:
GLN 4012345000009 names no loaded facility`), and any problem means nothing is loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pydantic import ValidationError

from app.errors import BundleInvalidError, Problem
from app.store.base import GraphStore, KeyLookup, RecordKind
from graph_schema import DocumentType
from graph_schema.records import BizTransaction, EpcisEventType, LotEvent, LotQuantity, PartyRef

# -- GS1 keys ----------------------------------------------------------------------------------------


def gs1_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of a key's digits without it (weights 3, 1, 3, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def normalize_gtin(value: str) -> str:
    """A GTIN-8/12/13/14 as 14 digits; `ValueError` naming what is wrong, so a typo is not a new item."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise ValueError("expected a GTIN: 8, 12, 13 or 14 digits")
    if gs1_check_digit(digits[:-1]) != digits[-1]:
        raise ValueError(f"GTIN check digit is wrong (expected {gs1_check_digit(digits[:-1])})")
    return digits.zfill(14)


def validate_gln(value: str) -> str:
    """A 13-digit GLN with a valid check digit; `ValueError` otherwise."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) != 13:
        raise ValueError("expected a GLN: 13 digits")
    if gs1_check_digit(digits[:-1]) != digits[-1]:
        raise ValueError(f"GLN check digit is wrong (expected {gs1_check_digit(digits[:-1])})")
    return digits


#: characters an EPC URI percent-encodes in a lot or serial (GS1 Tag Data Standard), plus non-ASCII
_LOT_SAFE = "!'()*+,-.:;=_"


def canonical_lot_id(item_id: str, lot: str) -> str:
    """The one ID a lot has whatever form the document named it in: `<item_id>.<lot>`.

    The lot is percent-encoded the way EPC URIs encode it, so the ID has no slash and fits a URL path.
    """
    return f"{item_id}.{quote(lot, safe=_LOT_SAFE)}"


# -- identifiers -------------------------------------------------------------------------------------


class IdentifierError(ValueError):
    """An identifier of a known form that is malformed (reason: what was expected)."""


@dataclass(frozen=True)
class LocationKey:
    """A location named by GLN (`gln`) or by tracegraph facility ID (`facility`)."""

    kind: str
    value: str


@dataclass(frozen=True)
class ProductKey:
    """An item named by GTIN (`gtin`) or item ID (`item`), with its lot (or serial), if any."""

    kind: str
    value: str
    lot: str | None


_SGLN = re.compile(r"urn:epc:id:sgln:(\d+)\.(\d*)\.(.+)", re.IGNORECASE)
_GTIN_URN = re.compile(r"urn:epc:(class:lgtin|id:sgtin|idpat:sgtin):(\d+)\.(\d+)\.(.+)", re.IGNORECASE)
_TG_FACILITY = "urn:tracegraph:facility:"
TG_ITEM = "urn:tracegraph:item:"
#: a business transaction naming one of the tenant's documents by its ID
TG_DOCUMENT = "urn:tracegraph:document:"


def _digital_link(uri: str) -> dict[str, str] | None:
    """The GS1 application identifiers of a Digital Link URI's path (`{"01": gtin, "10": lot}`).

    A Digital Link may have any host and a path prefix before its primary key, so the path is read from
    the first segment that is a primary key (01 or 414).
    """
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https"):
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for start, segment in enumerate(segments):
        if segment in ("01", "414") and start + 1 < len(segments):
            tail = segments[start:]
            if len(tail) % 2:
                raise IdentifierError("a GS1 Digital Link path is pairs of application identifier / value")
            return {tail[i]: tail[i + 1] for i in range(0, len(tail), 2)}
    return None


def parse_location(uri: str) -> LocationKey | None:
    """The facility key a `readPoint`/`bizLocation` identifier names; `None` for a form not a location."""
    if uri.startswith(_TG_FACILITY):
        facility_id = unquote(uri[len(_TG_FACILITY) :])
        if not facility_id:
            raise IdentifierError("expected a facility ID after urn:tracegraph:facility:")
        return LocationKey("facility", facility_id)
    if uri.lower().startswith("urn:epc:id:sgln:"):
        m = _SGLN.fullmatch(uri)
        if m is None or len(m.group(1) + m.group(2)) != 12:
            raise IdentifierError(
                "expected urn:epc:id:sgln:<company prefix>.<location reference>.<extension> "
                "with 12 digits in prefix and reference together"
            )
        body = m.group(1) + m.group(2)
        return LocationKey("gln", body + gs1_check_digit(body))
    link = _digital_link(uri)
    if link is not None and "414" in link:
        try:
            return LocationKey("gln", validate_gln(link["414"]))
        except ValueError as e:
            raise IdentifierError(f"Digital Link /414/: {e}") from None
    return None


def parse_product(uri: str) -> ProductKey | None:
    """The item (and lot or serial) an EPC or EPC class names; `None` for a form that is no product."""
    if uri.startswith(TG_ITEM):
        rest = uri[len(TG_ITEM) :]
        for marker in (":lot:", ":serial:"):
            if marker in rest:
                item_id, lot = rest.split(marker, 1)
                if not item_id or not lot:
                    raise IdentifierError(f"expected urn:tracegraph:item:<item_id>{marker}<value>")
                return ProductKey("item", unquote(item_id), unquote(lot))
        if not rest:
            raise IdentifierError("expected an item ID after urn:tracegraph:item:")
        return ProductKey("item", unquote(rest), None)
    if uri.lower().startswith(("urn:epc:class:lgtin:", "urn:epc:id:sgtin:", "urn:epc:idpat:sgtin:")):
        m = _GTIN_URN.fullmatch(uri)
        if m is None or len(m.group(2) + m.group(3)) != 13:
            raise IdentifierError(
                "expected <company prefix>.<indicator and item reference>.<lot or serial> "
                "with 13 digits in prefix and reference together"
            )
        prefix, reference, lot = m.group(2), m.group(3), m.group(4)
        body = reference[0] + prefix + reference[1:]
        gtin = body + gs1_check_digit(body)
        if m.group(1).lower() == "idpat:sgtin":
            return ProductKey("gtin", gtin, None)  # a class pattern: `*` stands for any serial
        return ProductKey("gtin", gtin, unquote(lot))
    link = _digital_link(uri)
    if link is not None and "01" in link:
        try:
            gtin = normalize_gtin(link["01"])
        except ValueError as e:
            raise IdentifierError(f"Digital Link /01/: {e}") from None
        # A serial identifies the instance, as an SGTIN does, so both forms give the same lot ID.
        return ProductKey("gtin", gtin, link.get("21") or link.get("10"))
    return None


# -- CBV values --------------------------------------------------------------------------------------

_CBV_PREFIXES = {
    "bizstep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-"),
    "disp": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-"),
    "btt": ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-", "cbv:BTT-"),
    "sdt": ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-", "cbv:SDT-"),
}


def cbv_short(kind: str, value: str) -> str:
    """A CBV value in its short form (`shipping`), whichever of the URN, Web URI or compact forms came."""
    for prefix in _CBV_PREFIXES[kind]:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


#: CBV business transaction types and the document types whose numbers they carry
BTT_DOCUMENT_TYPES: dict[str, frozenset[DocumentType]] = {
    "po": frozenset({DocumentType.PURCHASE_ORDER}),
    "poc": frozenset({DocumentType.PURCHASE_ORDER}),
    "inv": frozenset({DocumentType.COMMERCIAL_INVOICE}),
    "desadv": frozenset({DocumentType.PACKING_LIST}),
    "recadv": frozenset({DocumentType.PACKING_LIST, DocumentType.TRANSPORT_DOCUMENT}),
    "bol": frozenset({DocumentType.BILL_OF_LADING, DocumentType.TRANSPORT_DOCUMENT}),
    "prodorder": frozenset({DocumentType.PRODUCTION_RECORD}),
    "cert": frozenset({DocumentType.CERTIFICATE_OF_ORIGIN, DocumentType.MILL_CERTIFICATE}),
    "testres": frozenset({DocumentType.ISOTOPE_TEST}),
}

# -- the document's structure ------------------------------------------------------------------------

EVENT_TYPES = {t.value: t for t in EpcisEventType}
ACTIONS = ("ADD", "OBSERVE", "DELETE")
_OFFSET = re.compile(r"[+-](?:[01]\d|2[0-3]):[0-5]\d")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
#: lists of EPCs and of quantities per event type: (JSON key, role in the event)
_EPC_LISTS: dict[EpcisEventType, tuple[tuple[str, str, bool], ...]] = {
    EpcisEventType.OBJECT: (("epcList", "lots", False), ("quantityList", "lots", True)),
    EpcisEventType.AGGREGATION: (("childEPCs", "lots", False), ("childQuantityList", "lots", True)),
    EpcisEventType.ASSOCIATION: (("childEPCs", "lots", False), ("childQuantityList", "lots", True)),
    EpcisEventType.TRANSACTION: (("epcList", "lots", False), ("quantityList", "lots", True)),
    EpcisEventType.TRANSFORMATION: (
        ("inputEPCList", "inputs", False),
        ("inputQuantityList", "inputs", True),
        ("outputEPCList", "outputs", False),
        ("outputQuantityList", "outputs", True),
    ),
}


class EpcisInvalidError(BundleInvalidError):
    """An EPCIS document failed validation: every problem with its JSON pointer; nothing was written."""

    title = "EPCIS document failed validation"
    slug = "epcis-invalid"


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """A JSON pointer (RFC 6901) to a value of the document."""
    return "".join("/" + _escape(t) for t in tokens)


@dataclass
class _Ref:
    """An identifier met in the document, waiting for the store to say what it names."""

    at: str  # JSON pointer
    uri: str


@dataclass
class _RawQuantity:
    at: str
    key: ProductKey
    quantity: float | None
    uom: str | None


@dataclass
class _RawEvent:
    """One event after the structural pass: values checked, identifiers parsed, not yet resolved."""

    at: str
    event_id: str
    type: EpcisEventType
    action: str | None
    event_time: datetime
    offset: str
    biz_step: str | None
    disposition: str | None
    read_point: tuple[str, LocationKey] | None
    biz_location: tuple[str, LocationKey] | None
    quantities: dict[str, list[_RawQuantity]] = field(default_factory=lambda: defaultdict(list))
    biz_transactions: list[tuple[str | None, str]] = field(default_factory=list)
    sources: list[tuple[str, str, LocationKey | None]] = field(default_factory=list)
    destinations: list[tuple[str, str, LocationKey | None]] = field(default_factory=list)


@dataclass
class ParsedEpcis:
    """What a document holds once checked: the events (only when nothing is wrong), every problem, the
    lots it names (`lot_id -> (item_id, lot)`) and warnings about what was skipped."""

    name: str
    events: list[LotEvent] = field(default_factory=list)
    lots: dict[str, tuple[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    received: int = 0


class _Checker:
    """The structural pass: collects problems with pointers and parses what is well-formed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.warnings: list[str] = []

    def problem(self, at: str, reason: str, value: Any = None) -> None:
        shown = None if value is None else (value if isinstance(value, str) else json.dumps(value))
        self.problems.append(Problem(self.name, None, None, reason, shown, at or "/"))

    def string(self, obj: Mapping[str, Any], key: str, at: str, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(pointer_join(at, key), f"{key} is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(pointer_join(at, key), f"expected {key} as a non-empty string", value)
            return None
        return value.strip()

    def date_time(self, obj: Mapping[str, Any], key: str, at: str) -> datetime | None:
        text = self.string(obj, key, at, required=True)
        if text is None:
            return None
        try:
            if not _DATE_TIME.fullmatch(text):
                raise ValueError
            return datetime.fromisoformat(text)
        except ValueError:
            self.problem(
                pointer_join(at, key),
                "expected an ISO 8601 date-time with its offset, e.g. 2025-04-01T08:00:00+08:00",
                text,
            )
            return None

    def array(self, obj: Mapping[str, Any], key: str, at: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(pointer_join(at, key), f"expected {key} as an array", value)
            return []
        return value

    def location(self, event: Mapping[str, Any], key: str, at: str) -> tuple[str, LocationKey] | None:
        value = event.get(key)
        if value is None:
            return None
        here = pointer_join(at, key)
        if not isinstance(value, dict):
            self.problem(here, f'expected {key} as an object {{"id": "<location>"}}', value)
            return None
        uri = self.string(value, "id", here, required=True)
        if uri is None:
            return None
        return self._location_key(pointer_join(here, "id"), uri, required=True)

    def _location_key(self, at: str, uri: str, required: bool) -> tuple[str, LocationKey] | None:
        try:
            key = parse_location(uri)
        except IdentifierError as e:
            self.problem(at, str(e), uri)
            return None
        if key is None:
            if required:
                self.problem(
                    at,
                    "expected a location: urn:epc:id:sgln:…, a GS1 Digital Link with /414/<gln>, or "
                    "urn:tracegraph:facility:<facility_id>",
                    uri,
                )
            return None
        return (at, key)

    def product(self, at: str, uri: str) -> ProductKey | None:
        try:
            key = parse_product(uri)
        except IdentifierError as e:
            self.problem(at, str(e), uri)
            return None
        if key is None:
            if not uri.lower().startswith(("urn:epc:id:sscc:", "urn:epc:id:grai:", "urn:epc:id:giai:")):
                self.problem(
                    at,
                    "expected a product: urn:epc:class:lgtin:…, urn:epc:id:sgtin:…, a GS1 Digital Link "
                    "with /01/<gtin>/10/<lot>, or urn:tracegraph:item:<item_id>:lot:<lot>",
                    uri,
                )
            else:
                self.warnings.append(f"{at}: {uri} is a logistic unit or asset, not a lot; not recorded")
            return None
        if key.lot is None:
            self.warnings.append(f"{at}: {uri} names an item class without a lot; not recorded")
            return None
        return key

    def event(self, index: int, raw: Any, base: str) -> _RawEvent | None:
        at = pointer_join(base, index)
        if not isinstance(raw, dict):
            self.problem(at, "expected an event object", raw)
            return None
        before = len(self.problems)
        kind_text = raw.get("type")
        kind = EVENT_TYPES.get(kind_text) if isinstance(kind_text, str) else None
        if kind is None:
            self.problem(pointer_join(at, "type"), "expected one of: " + ", ".join(EVENT_TYPES), kind_text)
            return None
        event_time = self.date_time(raw, "eventTime", at)
        offset = self.string(raw, "eventTimeZoneOffset", at, required=True)
        if offset is not None and not _OFFSET.fullmatch(offset):
            self.problem(pointer_join(at, "eventTimeZoneOffset"), "expected an offset such as +08:00", offset)
        action = self.string(raw, "action", at, required=kind is not EpcisEventType.TRANSFORMATION)
        if action is not None and action not in ACTIONS:
            self.problem(pointer_join(at, "action"), "expected ADD, OBSERVE or DELETE", action)
        event_id = self.string(raw, "eventID", at)
        biz_step = self.string(raw, "bizStep", at)
        disposition = self.string(raw, "disposition", at)
        read_point = self.location(raw, "readPoint", at)
        biz_location = self.location(raw, "bizLocation", at)
        if kind is EpcisEventType.AGGREGATION and action in ("ADD", "DELETE"):
            self.string(raw, "parentID", at, required=True)
        parsed = _RawEvent(
            at=at,
            event_id=event_id or _event_hash(raw),
            type=kind,
            action=action,
            event_time=event_time or datetime.min,
            offset=offset or "",
            biz_step=cbv_short("bizstep", biz_step) if biz_step else None,
            disposition=cbv_short("disp", disposition) if disposition else None,
            read_point=read_point,
            biz_location=biz_location,
        )
        seen_any = False
        for key, role, quantified in _EPC_LISTS[kind]:
            for i, entry in enumerate(self.array(raw, key, at)):
                seen_any = True
                here = pointer_join(at, key, i)
                quantity = self._quantity(here, entry) if quantified else self._epc(here, entry)
                if quantity is not None:
                    parsed.quantities[role].append(quantity)
        if kind is EpcisEventType.TRANSFORMATION and not seen_any:
            self.problem(at, "a TransformationEvent needs inputs (inputEPCList/inputQuantityList) or outputs")
        elif not seen_any and kind is not EpcisEventType.AGGREGATION:
            self.problem(at, f"a {kind.value} needs an epcList or a quantityList naming what it records")
        transactions = self.array(raw, "bizTransactionList", at)
        if kind is EpcisEventType.TRANSACTION and not transactions:
            self.problem(
                pointer_join(at, "bizTransactionList"), "a TransactionEvent needs bizTransactionList"
            )
        for i, entry in enumerate(transactions):
            here = pointer_join(at, "bizTransactionList", i)
            if not isinstance(entry, dict):
                self.problem(here, 'expected {"type": …, "bizTransaction": …}', entry)
                continue
            bt = self.string(entry, "bizTransaction", here, required=True)
            bt_type = self.string(entry, "type", here)
            if bt is not None:
                parsed.biz_transactions.append((cbv_short("btt", bt_type) if bt_type else None, bt))
        for key, member, out in (
            ("sourceList", "source", parsed.sources),
            ("destinationList", "destination", parsed.destinations),
        ):
            for i, entry in enumerate(self.array(raw, key, at)):
                here = pointer_join(at, key, i)
                if not isinstance(entry, dict):
                    self.problem(here, f'expected {{"type": …, "{member}": …}}', entry)
                    continue
                party_type = self.string(entry, "type", here, required=True)
                party = self.string(entry, member, here, required=True)
                if party_type is None or party is None:
                    continue
                located = self._location_key(pointer_join(here, member), party, required=False)
                out.append((cbv_short("sdt", party_type), party, located[1] if located else None))
        return parsed if len(self.problems) == before else None

    def _epc(self, at: str, value: Any) -> _RawQuantity | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(at, "expected an EPC URI string", value)
            return None
        key = self.product(at, value.strip())
        return _RawQuantity(at, key, None, None) if key else None

    def _quantity(self, at: str, value: Any) -> _RawQuantity | None:
        if not isinstance(value, dict):
            self.problem(at, 'expected a quantity element {"epcClass": …, "quantity": …, "uom": …}', value)
            return None
        epc_class = self.string(value, "epcClass", at, required=True)
        amount = value.get("quantity")
        if amount is None:
            self.problem(pointer_join(at, "quantity"), "quantity is required")
        elif isinstance(amount, bool) or not isinstance(amount, int | float) or amount < 0:
            self.problem(pointer_join(at, "quantity"), "expected a number of 0 or more", amount)
            amount = None
        uom = self.string(value, "uom", at)
        if epc_class is None or amount is None:
            return None
        here = pointer_join(at, "epcClass")
        key = self.product(here, epc_class)
        return _RawQuantity(here, key, float(amount), uom) if key else None


def pointer_join(base: str, *tokens: str | int) -> str:
    """`base` followed by more tokens."""
    return base + pointer(*tokens)


def _event_hash(raw: Mapping[str, Any]) -> str:
    """An ID for an event without `eventID`: a hash of its content, so a reload finds the same event.

    `recordTime` is left out: it says when a repository captured the event, not what happened.
    """
    content = {k: v for k, v in raw.items() if k not in ("recordTime", "eventID")}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"tg-hash:{digest[:32]}"


def _event_list(checker: _Checker, doc: Any) -> tuple[str, list[Any]] | None:
    """Check the document's envelope; the event list and its pointer, or `None` if it has none."""
    if not isinstance(doc, dict):
        checker.problem("", "expected an EPCIS document: a JSON object", None)
        return None
    context = doc.get("@context")
    if context is None:
        checker.problem("/@context", "@context is required (the EPCIS 2.0 JSON-LD context)")
    elif not isinstance(context, str | list) or (isinstance(context, list) and not context):
        checker.problem("/@context", "expected @context as a URI or an array", context)
    doc_type = doc.get("type")
    if doc_type not in ("EPCISDocument", "EPCISQueryDocument"):
        checker.problem("/type", "expected EPCISDocument or EPCISQueryDocument", doc_type)
    version = doc.get("schemaVersion")
    if version not in ("2.0", "2.0.0"):
        checker.problem("/schemaVersion", 'expected schemaVersion "2.0"', version)
    checker.date_time(doc, "creationDate", "")
    body = doc.get("epcisBody")
    if not isinstance(body, dict):
        checker.problem("/epcisBody", "epcisBody is required: an object holding eventList", body)
        return None
    if doc_type == "EPCISQueryDocument":
        results = body.get("queryResults")
        results_body = results.get("resultsBody") if isinstance(results, dict) else None
        if not isinstance(results_body, dict):
            checker.problem("/epcisBody/queryResults/resultsBody", "expected the query's resultsBody object")
            return None
        base, events = "/epcisBody/queryResults/resultsBody", results_body.get("eventList")
    else:
        base, events = "/epcisBody", body.get("eventList")
    if not isinstance(events, list):
        checker.problem(base + "/eventList", "expected eventList as an array of events", events)
        return None
    return base + "/eventList", events


def read_epcis(doc: Any, name: str = "epcis.json") -> tuple[ParsedEpcis, list[_RawEvent]]:
    """The structural pass alone (no store): problems with pointers, and the events that parsed."""
    checker = _Checker(name)
    parsed = ParsedEpcis(name=name)
    events: list[_RawEvent] = []
    found = _event_list(checker, doc)
    if found is not None:
        base, raw_events = found
        parsed.received = len(raw_events)
        for index, raw in enumerate(raw_events):
            event = checker.event(index, raw, base)
            if event is not None:
                events.append(event)
        first: dict[str, str] = {}
        for event in events:
            if event.event_id in first:
                checker.problem(
                    pointer_join(event.at, "eventID"),
                    f"eventID is used twice in this document (first at {first[event.event_id]})",
                    event.event_id,
                )
            first.setdefault(event.event_id, event.at)
    parsed.problems = checker.problems
    parsed.warnings = checker.warnings
    return parsed, events


def _lookup(
    store: GraphStore, tenant: str, lookup: KeyLookup, kind: RecordKind, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[str]]:
    """What each (kind, value) key names: IDs found by the GS1 key, or the ID itself if it exists."""
    wanted = set(keys)
    by_key = store.find_keys(tenant, lookup, sorted({v for k, v in wanted if k != "id"}))
    exists = store.existing_keys(tenant, kind, sorted({v for k, v in wanted if k == "id"}))
    return {
        (k, v): ([v] if v in exists else []) if k == "id" else by_key.get(v, []) for k, v in sorted(wanted)
    }


def validate_epcis(doc: Any, store: GraphStore, tenant: str, name: str = "epcis.json") -> ParsedEpcis:
    """Everything a load must check: the structure, then every identifier against the tenant's data.

    Raises nothing for bad data; `events` is set only when no problem was found.
    """
    parsed, raw_events = read_epcis(doc, name)
    checker = _Checker(name)

    def loc(key: LocationKey) -> tuple[str, str]:
        return ("id" if key.kind == "facility" else key.kind, key.value)

    def prod(key: ProductKey) -> tuple[str, str]:
        return ("id" if key.kind == "item" else key.kind, key.value)

    locations = [loc(k) for e in raw_events for _, k in filter(None, (e.read_point, e.biz_location))] + [
        loc(k) for e in raw_events for *_, k in (*e.sources, *e.destinations) if k is not None
    ]
    products = [prod(q.key) for e in raw_events for qs in e.quantities.values() for q in qs]
    facilities = _lookup(store, tenant, KeyLookup.FACILITY_GLN, RecordKind.FACILITIES, locations)
    items = _lookup(store, tenant, KeyLookup.ITEM_GTIN, RecordKind.ITEMS, products)
    documents = _documents(store, tenant, {bt for e in raw_events for bt in e.biz_transactions})

    def facility_of(at: str, key: LocationKey, required: bool = True) -> str | None:
        found = facilities[loc(key)]
        what = f"GLN {key.value}" if key.kind == "gln" else f"facility '{key.value}'"
        if len(found) == 1:
            return found[0]
        if not found and required:
            hint = " (add its gln to facilities.csv)" if key.kind == "gln" else ""
            checker.problem(at, f"{what} names no loaded facility{hint}", key.value)
        elif found:
            checker.problem(at, f"{what} names several facilities ({', '.join(found)}); expected one")
        return None

    lots: dict[str, tuple[str, str]] = {}
    lot_at: dict[str, str] = {}
    out: list[LotEvent] = []
    for e in raw_events:
        before = len(checker.problems)
        read_point = facility_of(*e.read_point) if e.read_point else None
        biz_location = facility_of(*e.biz_location) if e.biz_location else None
        roles: dict[str, list[LotQuantity]] = {"lots": [], "inputs": [], "outputs": []}
        for role, quantities in e.quantities.items():
            for q in quantities:
                found = items[prod(q.key)]
                what = f"GTIN {q.key.value}" if q.key.kind == "gtin" else f"item '{q.key.value}'"
                if len(found) != 1:
                    reason = (
                        f"{what} names no loaded item"
                        + (" (add its gtin to items.csv)" if q.key.kind == "gtin" else "")
                        if not found
                        else f"{what} names several items ({', '.join(found)}); expected one"
                    )
                    checker.problem(q.at, reason, q.key.value)
                    continue
                assert q.key.lot is not None
                lot_id = canonical_lot_id(found[0], q.key.lot)
                if lots.setdefault(lot_id, (found[0], q.key.lot)) != (found[0], q.key.lot):
                    checker.problem(
                        q.at, f"lot ID {lot_id} also stands for another item and lot at {lot_at[lot_id]}"
                    )
                lot_at.setdefault(lot_id, q.at)
                roles[role].append(LotQuantity(lot_id=lot_id, quantity=q.quantity, uom=q.uom))
        if len(checker.problems) != before:
            continue
        try:
            out.append(
                LotEvent(
                    event_id=e.event_id,
                    type=e.type,
                    action=e.action,
                    event_time=e.event_time,
                    event_time_zone_offset=e.offset,
                    biz_step=e.biz_step,
                    disposition=e.disposition,
                    read_point=read_point,
                    biz_location=biz_location,
                    lots=_merged(roles["lots"]),
                    inputs=_merged(roles["inputs"]),
                    outputs=_merged(roles["outputs"]),
                    biz_transactions=[
                        BizTransaction(type=t, id=i, document_ids=documents.get((t, i), []))
                        for t, i in e.biz_transactions
                    ],
                    sources=[_party(t, i, k, facilities) for t, i, k in e.sources],
                    destinations=[_party(t, i, k, facilities) for t, i, k in e.destinations],
                )
            )
        except ValidationError as exc:  # a check above let through what the record refuses
            for error in exc.errors():
                checker.problem(e.at, str(error["msg"]))
    parsed.problems = sorted(parsed.problems + checker.problems, key=_problem_order)
    parsed.warnings += checker.warnings
    if not parsed.problems:
        parsed.events = sorted(out, key=lambda ev: (ev.event_time, ev.event_id))
        parsed.lots = dict(sorted(lots.items()))
    return parsed


def _problem_order(problem: Problem) -> tuple[list[tuple[int, int, str]], str]:
    """Document order: array indexes compare as numbers (event 10 after event 9)."""
    tokens = (problem.pointer or "").split("/")
    return ([(0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens], problem.reason)


def _merged(quantities: list[LotQuantity]) -> list[LotQuantity]:
    """One entry per lot (an event may name a lot in its EPC list and its quantity list), sorted."""
    out: dict[str, LotQuantity] = {}
    for q in quantities:
        old = out.get(q.lot_id)
        if old is None or (old.quantity is None and q.quantity is not None):
            out[q.lot_id] = q
        elif old.quantity is not None and q.quantity is not None and old.uom == q.uom:
            out[q.lot_id] = LotQuantity(lot_id=q.lot_id, quantity=old.quantity + q.quantity, uom=q.uom)
    return [out[k] for k in sorted(out)]


def _party(
    party_type: str, party: str, key: LocationKey | None, facilities: Mapping[tuple[str, str], list[str]]
) -> PartyRef:
    found = facilities.get(("id" if key.kind == "facility" else key.kind, key.value), []) if key else []
    return PartyRef(type=party_type, id=party, facility_id=found[0] if len(found) == 1 else None)


_BOUNDARY = re.compile(r"[^0-9A-Za-z]")


def _number_candidates(transaction_id: str) -> list[str]:
    """Every tail of an identifier that starts after a separator: the numbers it may end with."""
    tails = [transaction_id]
    tails += [transaction_id[m.end() :] for m in _BOUNDARY.finditer(transaction_id)]
    return [t for t in tails if t]


def _documents(
    store: GraphStore, tenant: str, transactions: set[tuple[str | None, str]]
) -> dict[tuple[str | None, str], list[str]]:
    """The tenant's documents each business transaction names: of a type its CBV type maps to (any type
    for an untyped transaction) and whose `number` ends the identifier; the longest such number wins."""
    if not transactions:
        return {}
    direct = {t: t[1][len(TG_DOCUMENT) :] for t in transactions if t[1].startswith(TG_DOCUMENT)}
    known = store.get_documents(tenant, sorted(set(direct.values()))) if direct else {}
    candidates = {
        t: _number_candidates(t[1])
        for t in transactions
        if t not in direct and (t[0] is None or t[0] in BTT_DOCUMENT_TYPES)
    }
    numbers = store.find_keys(
        tenant, KeyLookup.DOCUMENT_NUMBER, sorted({n for c in candidates.values() for n in c})
    )
    records = store.get_documents(tenant, sorted({d for ids in numbers.values() for d in ids}))
    out: dict[tuple[str | None, str], list[str]] = {t: [d] for t, d in direct.items() if d in known}
    for (bt_type, bt_id), tails in sorted(candidates.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        types = BTT_DOCUMENT_TYPES.get(bt_type) if bt_type else None
        for tail in tails:  # longest first
            matched = sorted(
                d
                for d in numbers.get(tail, [])
                if d in records and (types is None or records[d].type in types)
            )
            if matched:
                out[(bt_type, bt_id)] = matched
                break
    return out


def parse_json(data: bytes, name: str) -> Any:
    """The document's JSON; `EpcisInvalidError` (pointer `/`) if it is not JSON at all."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError) as e:
        raise EpcisInvalidError([Problem(name, None, None, f"not a JSON document: {e}", None, "/")]) from None
