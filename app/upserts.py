"""Records pushed as JSON by an ERP: the bundle contract's rows, validated and loaded the same way.

An ERP integration does not want to build zip files of CSV: it sends the changed records as JSON, one
kind or several at once. They become exactly the rows of a bundle (same column names, `|` for several
values), so the one validator checks them (file, row and column become a JSON pointer into the
request) and the one loader writes them all or nothing, upserting by the client's IDs.

An `Idempotency-Key` makes a retried request safe to send again: the first answer is kept under the key
with a hash of the request, a retry with the same request gets that answer back (even if the data has
changed since), and the same key with a different request is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import BadRequestError, BundleInvalidError, NotFoundError, Problem, TracegraphError
from app.ingest import LoadReport
from app.store.base import GraphStore, KeyLookup

Cell = str | int | float | bool | list[str] | None
Row = dict[str, Cell]

#: the record kinds, in the bundle's file names
KINDS = ("companies", "facilities", "items", "bom", "sourcing", "documents")
#: largest number of records one request may carry; bigger exports go as bundles
MAX_RECORDS = 50_000
IDEMPOTENCY_KEY_MAX = 200


class RecordsRequest(BaseModel):
    """Records of any kinds, each an object whose keys are the bundle contract's column names."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "companies": [{"company_id": "C-77", "name": "Acme Yarn Co., Ltd.", "country": "VN"}],
                    "facilities": [
                        {
                            "facility_id": "F-77",
                            "company_id": "C-77",
                            "activity": "processing",
                            "country": "VN",
                        }
                    ],
                    "sourcing": [
                        {"item_id": "YARN", "supplier_facility_id": "F-77", "buyer_facility_id": "F-SEW"}
                    ],
                }
            ]
        },
    )

    companies: list[Row] = Field(default_factory=list, description="Rows of `companies.csv`.")
    facilities: list[Row] = Field(default_factory=list, description="Rows of `facilities.csv`.")
    items: list[Row] = Field(default_factory=list, description="Rows of `items.csv`.")
    bom: list[Row] = Field(default_factory=list, description="Rows of `bom.csv`.")
    sourcing: list[Row] = Field(default_factory=list, description="Rows of `sourcing.csv`.")
    documents: list[Row] = Field(default_factory=list, description="Rows of `documents.csv`.")

    def count(self) -> int:
        return sum(len(getattr(self, kind)) for kind in KINDS)


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


def as_bundle(request: RecordsRequest) -> bytes:
    """The records as a bundle zip: one CSV per kind sent, columns in the order first seen."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for kind in KINDS:
            rows: list[Row] = getattr(request, kind)
            if not rows:
                continue
            columns: dict[str, None] = {}
            for row in rows:
                columns.update(dict.fromkeys(row))
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow(_cell(row.get(c)) for c in columns)
            archive.writestr(f"{kind}.csv", text.getvalue())
    return buffer.getvalue()


def _pointed(problem: Problem) -> Problem:
    """A bundle problem located in the JSON request: `/companies/3/country` for row 5 of companies.csv."""
    kind = problem.file.removesuffix(".csv")
    if kind not in KINDS:
        return problem
    pointer = f"/{kind}"
    if problem.row is not None and problem.row >= 2:
        pointer += f"/{problem.row - 2}"
        if problem.column:
            pointer += f"/{problem.column}"
    return Problem(problem.file, problem.row, problem.column, problem.reason, problem.value, pointer)


def load_records(
    store: GraphStore,
    tenant: str,
    request: RecordsRequest,
    load: Callable[[bytes], LoadReport],
    idempotency_key: str | None = None,
) -> tuple[LoadReport, bool]:
    """Validate and load the records; the report, and whether it is a replay of an earlier answer."""
    if not 1 <= request.count() <= MAX_RECORDS:
        raise BadRequestError(f"send between 1 and {MAX_RECORDS} records; bigger exports go as bundles")
    digest = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
    if idempotency_key is not None:
        if not 1 <= len(idempotency_key) <= IDEMPOTENCY_KEY_MAX:
            raise BadRequestError(f"Idempotency-Key must be 1-{IDEMPOTENCY_KEY_MAX} characters")
        kept = store.get_idempotent(tenant, idempotency_key)
        if kept is not None:
            if kept.get("request_sha256") != digest:
                raise IdempotencyKeyReusedError(
                    "this Idempotency-Key was used for a different request; use a new key for new records"
                )
            return LoadReport.model_validate(kept["report"]), True
    try:
        report = load(as_bundle(request))
    except BundleInvalidError as e:
        raise BundleInvalidError([_pointed(p) for p in e.problems]) from e
    if idempotency_key is not None:
        answer: Mapping[str, object] = {
            "request_sha256": digest,
            "report": json.loads(report.model_dump_json()),
        }
        store.put_idempotent(tenant, idempotency_key, answer)
    return report, False


class LinkRef(BaseModel):
    """A sourcing link as the bundle identifies it."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(description="The item supplied.")
    supplier_facility_id: str = Field(description="The supplier facility.")
    buyer_facility_id: str | None = Field(None, description="The buyer facility; absent = the importer.")
    valid_from: date | None = Field(None, description="The link's `valid_from`, if it has one.")

    @property
    def sourcing_id(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else ""
        return f"{self.item_id}|{self.supplier_facility_id}|{self.buyer_facility_id or ''}|{start}"


class DeactivateRequest(BaseModel):
    """Sourcing links that ended, and when: named one by one, or every link of a supplier that was dropped."""

    model_config = ConfigDict(extra="forbid")

    links: list[LinkRef] = Field(
        default_factory=list, max_length=MAX_RECORDS, description="Links that ended."
    )
    supplier_facility_ids: list[str] = Field(
        default_factory=list,
        max_length=MAX_RECORDS,
        description=(
            "Supplier facilities no longer used (an ERP's inactive vendor site): every link they supply that "
            "is still running at `as_of` ends then; links that ended earlier keep their day."
        ),
    )
    as_of: date | None = Field(None, description="Their last day (`valid_to`); default: today.")

    @model_validator(mode="after")
    def _something_to_end(self) -> DeactivateRequest:
        if not self.links and not self.supplier_facility_ids:
            raise ValueError("name `links` or `supplier_facility_ids` to deactivate")
        return self


def deactivate_links(
    store: GraphStore, tenant: str, request: DeactivateRequest, load: Callable[[bytes], LoadReport]
) -> LoadReport:
    """End sourcing links by setting their `valid_to`; everything else about them stays.

    A link that ended stays in the graph and in traces, marked with its last day: under the bundle
    contract validity qualifies a link and never hides a risk (goods bought before the end may still be
    in stock), so "deactivating" a supplier records the fact rather than erasing the evidence.
    """
    ids = [link.sourcing_id for link in request.links]
    found = store.get_sourcing_by_id(tenant, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"{len(missing)} sourcing link(s) not loaded: {', '.join(missing[:10])}")
    as_of = request.as_of or date.today()
    if request.supplier_facility_ids:
        suppliers = set(request.supplier_facility_ids)
        unknown = sorted(suppliers - set(store.get_facilities(tenant, suppliers)))
        if unknown:
            raise NotFoundError(
                f"{len(unknown)} supplier facility(ies) not loaded: {', '.join(unknown[:10])}"
            )
        shipped = store.find_keys(tenant, KeyLookup.SOURCING_SUPPLIER, suppliers)
        running = store.get_sourcing_by_id(tenant, {i for ids_ in shipped.values() for i in ids_})
        ended_before: set[str] = set()
        for sourcing_id, link in sorted(running.items()):
            if sourcing_id in found:
                continue
            ids.append(sourcing_id)
            found[sourcing_id] = link
            if link.valid_to is not None and link.valid_to < as_of:
                ended_before.add(sourcing_id)  # reported unchanged: it keeps its own last day
        if not ids:
            raise BadRequestError(f"no sourcing link is supplied by {', '.join(sorted(suppliers)[:10])}")
    else:
        ended_before = set()
    last_day = as_of.isoformat()
    rows: list[Row] = []
    for sourcing_id in ids:
        current = found[sourcing_id].model_dump(mode="json", exclude_none=True)
        rows.append(current if sourcing_id in ended_before else {**current, "valid_to": last_day})
    report, _ = load_records(store, tenant, RecordsRequest(sourcing=rows), load)
    return report


class AttachDocumentsRequest(BaseModel):
    """Documents already loaded, to back one sourcing link."""

    model_config = ConfigDict(extra="forbid")

    sourcing_id: str = Field(
        description="The link, as traces show it: `item|supplier|buyer|valid_from` (empty parts for none).",
        examples=["LINT|F-CCG-GIN|F-QHC-TRD|2025-01-01"],
    )
    document_ids: list[str] = Field(
        min_length=1, max_length=1000, description="Documents to add to the link's `document_ids`."
    )


def attach_documents(
    store: GraphStore, tenant: str, request: AttachDocumentsRequest, load: Callable[[bytes], LoadReport]
) -> LoadReport:
    """Add documents to a sourcing link's `document_ids` (keeping those it has), loaded like any change.

    Evidence often arrives after the link was loaded; attaching it is an upsert of the sourcing row, so it
    is validated, versioned and visible in the next trace like a bundle's rows. An unknown link is a 404;
    an unknown document is a 422 pointing at it in the request, and nothing is written.
    """
    found = store.get_sourcing_by_id(tenant, [request.sourcing_id]).get(request.sourcing_id)
    if found is None:
        raise NotFoundError(f"no sourcing link '{request.sourcing_id}'")
    known = store.get_documents(tenant, sorted(set(request.document_ids)))
    problems = [
        Problem(
            "request",
            None,
            "document_ids",
            "no document with this ID is loaded",
            doc_id,
            f"/document_ids/{i}",
        )
        for i, doc_id in enumerate(request.document_ids)
        if doc_id not in known
    ]
    if problems:
        raise BundleInvalidError(problems)
    current = found.model_dump(mode="json", exclude_none=True)
    merged = list(dict.fromkeys([*found.document_ids, *request.document_ids]))
    report, _ = load_records(
        store, tenant, RecordsRequest(sourcing=[{**current, "document_ids": merged}]), load
    )
    return report


class IdempotencyKeyReusedError(TracegraphError):
    status = 422
    title = "Idempotency-Key reused"
    slug = "idempotency-key-reused"
