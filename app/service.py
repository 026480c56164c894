"""The application service: what the API and the CLI both call. Routes and commands stay thin.

It owns the store, the risk rules (rebuilt when a list version changes) and a cache of trace results
keyed by (tenant, product, data version, reference versions): a result is reused only while nothing
it depends on has changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from pydantic import BaseModel, Field

from app.changes import ChangeKind, ChangeTracker
from app.config import PROJECT_ROOT
from app.errors import BadRequestError, NotFoundError
from app.evidence.documents import (
    DocumentFile,
    DocumentFiles,
    StagedFile,
    document_file,
    upload_document_file,
)
from app.evidence.pack import EvidencePack, TraceRecords, build_pack, read_trace_records
from app.evidence.readiness import ProductReadiness, assess_readiness, checklist_in_force
from app.ingest import LoadReport, load_bundle
from app.jobs import JobRunner
from app.reference import Detectors, build_detectors, current_versions_key, ensure_reference_data
from app.screening.model import ScreenRecord
from app.screening.service import ScreenResult, record_subject
from app.store.base import GraphStore
from app.trace.lots import (
    EpcisLoadReport,
    LotDetail,
    LotPage,
    get_lot,
    list_lots,
    load_epcis,
    mark_lot_backed,
    resolve_lot_id,
    trace_lot,
)
from app.trace.lots import (
    attach_documents as attach_lot_documents,
)
from app.trace.models import LotTraceResult, TraceResult, Verdict
from app.trace.rules import RiskRule
from app.trace.screen_all import ScreenedProduct, screen_all
from app.trace.walk import trace_product
from app.upserts import (
    AttachDocumentsRequest,
    DeactivateRequest,
    RecordsRequest,
    attach_documents,
    deactivate_links,
    load_records,
)
from app.webhooks import Webhooks
from graph_schema import ItemKind, ListEntry, ListVersion, Review, ReviewVerdict
from loaders.checklist import Checklist
from loaders.epcis import parse_json

#: the demo bundle (app/demo/README.md is its tour)
DEMO_DIR = PROJECT_ROOT / "app" / "demo" / "bundle"
#: what the demo's products should come out as (the end-to-end tests hold the walk to it)
DEMO_EXPECTED = DEMO_DIR.parent / "expected_verdicts.json"
#: the demo's lots: a GS1 EPCIS 2.0 document for two of the demo's shirts
DEMO_EPCIS = DEMO_DIR.parent / "epcis" / "shirt_lots.json"

#: what the service caches by data version: traces (products, lots) and their readiness
CachedT = TypeVar("CachedT", bound=BaseModel)

#: One request screens at most this many records; batch screening of whole catalogues is a job (issue 5).
MAX_SCREEN_RECORDS = 1000


class ProductSummary(BaseModel):
    product_id: str = Field(description="The product's `item_id`.")
    name: str = Field(description="The product's name.")
    hts_code: str | None = Field(None, description="Harmonized Tariff Schedule code.")
    commodity: str | None = Field(None, description="Commodity, e.g. cotton, polysilicon.")
    verdict: Verdict = Field(description="The product's verdict on the current data and lists.")
    summary: str = Field(description="Why, in a sentence or two.")
    findings: int = Field(description="Facilities at risk on the upstream walk.")
    gaps: int = Field(description="Untraced inputs.")


class ProductPage(BaseModel):
    items: list[ProductSummary] = Field(description="Products in ID order.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


class OffboardReport(BaseModel):
    """What offboarding a tenant deleted."""

    tenant: str = Field(description="The tenant that was offboarded.")
    records: int = Field(
        description="Records deleted from the store: the tenant's supply-chain data, lots, reviews, "
        "screening jobs, verdict snapshots and changes, webhooks and API keys."
    )
    files: int = Field(description="Uploaded document files deleted.")


class TraceView(NamedTuple):
    """A product's or a lot's trace with its readiness and the records they name, of one data version:
    what an evidence pack is built from and what the auditor's trace page shows."""

    trace: TraceResult
    readiness: ProductReadiness
    records: TraceRecords


def _pack(view: TraceView) -> EvidencePack:
    records = view.records
    return build_pack(view.trace, records.documents, records.companies, records.facilities, view.readiness)


class TraceService:
    """Loads bundles and traces products for tenants over one store."""

    def __init__(self, store: GraphStore, cache_size: int = 4096) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._detectors: Detectors | None = None
        #: product traces by (tenant, product, data version, lists key); lot traces by
        #: (tenant, "lot", lot, data version, lists key)
        self._cache: OrderedDict[tuple[str, ...], BaseModel] = OrderedDict()
        self._cache_size = cache_size
        self._started = False
        self._start_lock = threading.Lock()
        #: batch screenings, run by a background worker in the API process (see `app.jobs`)
        self.jobs = JobRunner(store, self.rules)
        #: verdict changes (`app.changes`) and the webhooks they are pushed to (`app.webhooks`)
        self.changes = ChangeTracker(store, self.rules, self.trace, self.trace_lot)
        self.webhooks = Webhooks(store)
        self.changes.on_changes = self.webhooks.enqueue

    def start(self) -> None:
        """Apply the schema and the bundled reference data; idempotent, and cheap once it succeeded.

        Called at start-up and again before each operation, so a service started while its store was
        down gets ready by itself once the store answers (until then operations raise 503s).
        """
        if self._started:
            return
        with self._start_lock:
            if not self._started:
                self.store.ensure_schema()
                ensure_reference_data(self.store)
                self._started = True

    def detectors(self) -> Detectors:
        """Rules and screener bound to the current list versions (rebuilt only when a version changes)."""
        self.start()
        key = current_versions_key(self.store)
        with self._lock:
            if self._detectors is None or key != self._detectors.key:
                self._detectors = build_detectors(self.store)
            return self._detectors

    def rules(self) -> tuple[list[RiskRule], str]:
        """Risk rules and the key of the list versions they are bound to."""
        detectors = self.detectors()
        return detectors.rules, detectors.key

    def load(
        self,
        tenant: str,
        source: Path | bytes,
        name: str | None = None,
        progress: Callable[[int, str], None] | None = None,
    ) -> LoadReport:
        self.start()
        report = load_bundle(self.store, tenant, source, name, progress=progress)
        if report.changed:
            self.changes.note(tenant, ChangeKind.LOAD)
        return report

    def upsert(
        self, tenant: str, request: RecordsRequest, idempotency_key: str | None
    ) -> tuple[LoadReport, bool]:
        """Records sent as JSON, loaded like a bundle; the report and whether it is a replayed answer."""
        self.start()
        return load_records(
            self.store, tenant, request, lambda data: self.load(tenant, data, "records.json"), idempotency_key
        )

    def deactivate(self, tenant: str, request: DeactivateRequest) -> LoadReport:
        """End sourcing links (their `valid_to`), loaded like any other change."""
        self.start()
        return deactivate_links(
            self.store, tenant, request, lambda data: self.load(tenant, data, "records.json")
        )

    # -- evidence: the checklist, readiness per product, documents attached and uploaded later -------------
    def checklist(self, path: Path | None = None) -> Checklist:
        """The evidence checklist in force (`path`, or the shipped one), re-read when the file changes."""
        return checklist_in_force(path)

    def readiness(self, tenant: str, product_id: str, checklist_path: Path | None = None) -> ProductReadiness:
        """The product's evidence against the checklist, cached like traces (data, lists, checklist)."""
        checklist = checklist_in_force(checklist_path)
        _, rules_key = self.rules()
        data_version = self.store.data_version(tenant)
        return self._cached(
            (tenant, "readiness", product_id, data_version, rules_key, checklist.version_id),
            lambda: assess_readiness(self.store, self.trace(tenant, product_id), checklist),
        )

    def lot_readiness(self, tenant: str, lot_id: str, checklist_path: Path | None = None) -> ProductReadiness:
        """A lot's evidence against the checklist (its hops are lot links), cached like the product's."""
        checklist = checklist_in_force(checklist_path)
        _, rules_key = self.rules()
        canonical = resolve_lot_id(self.store, tenant, lot_id)
        data_version = self.store.data_version(tenant)
        return self._cached(
            (tenant, "lot-readiness", canonical, data_version, rules_key, checklist.version_id),
            lambda: assess_readiness(self.store, self.trace_lot(tenant, canonical), checklist),
        )

    def attach_documents(self, tenant: str, request: AttachDocumentsRequest) -> LoadReport:
        """Add loaded documents to a sourcing link, loaded like any other change."""
        self.start()
        return attach_documents(
            self.store, tenant, request, lambda data: self.load(tenant, data, "records.json")
        )

    def put_document_file(
        self,
        tenant: str,
        document_id: str,
        content: bytes | StagedFile,
        content_type: str | None,
        declared_sha256: str | None,
        document_dir: Path,
    ) -> DocumentFile:
        """Store a document's file and record its hash and URI on the document."""
        self.start()
        return upload_document_file(
            self.store,
            tenant,
            document_id,
            content,
            content_type,
            declared_sha256,
            DocumentFiles(document_dir),
            lambda data: self.load(tenant, data, "records.json"),
        )

    def document_file(self, tenant: str, document_id: str, document_dir: Path) -> tuple[Path, str, str]:
        """A document's uploaded file: its path, media type and SHA-256."""
        self.start()
        return document_file(self.store, tenant, document_id, DocumentFiles(document_dir))

    def offboard(self, tenant: str, document_dir: Path) -> OffboardReport:
        """Delete everything a tenant has, for a customer that leaves: its records and keys in the
        store, its uploaded files, and what this process cached of its traces.

        The store deletes in batches of their own transactions (a million records do not fit in one),
        so an interrupted offboarding is finished by running it again; files go after the records, so
        no record is left naming a file that is gone. Reference data (lists, gazetteers) is shared and
        stays."""
        self.start()
        records = self.store.drop_tenant(tenant)
        files = DocumentFiles(document_dir).drop(tenant)
        with self._lock:
            for key in [k for k in self._cache if k[0] == tenant]:
                del self._cache[key]
        return OffboardReport(tenant=tenant, records=records, files=files)

    def screen_products(
        self, tenant: str, product_ids: list[str], progress: Callable[[int], None] | None = None
    ) -> list[ScreenedProduct]:
        """Verdicts for many products at once (shared upstreams judged once), in the order given."""
        rules, _ = self.rules()
        return screen_all(self.store, tenant, product_ids, rules, progress=progress)

    def trace(self, tenant: str, product_id: str) -> TraceResult:
        rules, rules_key = self.rules()
        data_version = self.store.data_version(tenant)

        def build() -> TraceResult:
            # The walk, then its links marked with the lots that back them, on one snapshot.
            with self.store.snapshot():
                result = trace_product(self.store, tenant, product_id, rules)
                return mark_lot_backed(self.store, tenant, result)

        return self._cached((tenant, product_id, data_version, rules_key), build)

    def _cached(self, key: tuple[str, ...], build: Callable[[], CachedT]) -> CachedT:
        """A trace (or readiness) from the cache, or built and remembered: keys carry the data and list
        versions, so a hit is never stale; the least recently used go first."""
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return cast(CachedT, hit)
        result = build()
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    # -- lots (GS1 EPCIS) ----------------------------------------------------------------------------
    def load_epcis(self, tenant: str, document: Any, name: str = "epcis.json") -> EpcisLoadReport:
        """Load an EPCIS 2.0 document's events and lots, all or nothing (see `app.trace.lots`)."""
        self.start()
        report = load_epcis(self.store, tenant, document, name)
        if report.changed:
            self.changes.note(tenant, ChangeKind.LOAD)
        return report

    def load_demo(self, tenant: str) -> tuple[LoadReport, EpcisLoadReport]:
        """The demo bundle and its lots, as `tracegraph serve --load-demo` shows them (app/demo/README.md)."""
        report = self.load(tenant, DEMO_DIR)
        lots = self.load_epcis(tenant, parse_json(DEMO_EPCIS.read_bytes(), DEMO_EPCIS.name), DEMO_EPCIS.name)
        return report, lots

    def attach_lot_documents(self, tenant: str, lot_id: str, document_ids: list[str]) -> EpcisLoadReport:
        """Attach stored documents to a lot, recorded as an EPCIS event (`app.trace.lots`)."""
        self.start()
        report = attach_lot_documents(
            self.store, tenant, resolve_lot_id(self.store, tenant, lot_id), document_ids
        )
        if report.changed:
            self.changes.note(tenant, ChangeKind.LOAD)
        return report

    def list_lots(
        self, tenant: str, item_id: str | None = None, q: str | None = None, offset: int = 0, limit: int = 50
    ) -> LotPage:
        if not 1 <= limit <= 500 or offset < 0:
            raise BadRequestError("limit must be between 1 and 500 and offset 0 or more")
        self.start()
        return list_lots(self.store, tenant, item_id, q, offset, limit)

    def get_lot(self, tenant: str, lot_id: str) -> LotDetail:
        """A lot by its canonical ID or any identifier form (an LGTIN URN, a Digital Link's lot)."""
        self.start()
        return get_lot(self.store, tenant, resolve_lot_id(self.store, tenant, lot_id))

    def trace_lot(self, tenant: str, lot_id: str) -> LotTraceResult:
        """A lot's trace, cached like a product's by data and list versions."""
        rules, rules_key = self.rules()
        canonical = resolve_lot_id(self.store, tenant, lot_id)
        data_version = self.store.data_version(tenant)
        return self._cached(
            (tenant, "lot", canonical, data_version, rules_key),
            lambda: trace_lot(self.store, tenant, canonical, rules),
        )

    # -- evidence packs (`app.evidence.pack`) and the auditor's pages -------------------------------------
    def product_view(self, tenant: str, product_id: str, checklist_path: Path | None = None) -> TraceView:
        """A product's trace, its readiness and the records they name, read in one snapshot so that all
        of it is of one data version (404 for a product the tenant does not have)."""
        with self.store.snapshot():
            trace = self.trace(tenant, product_id)
            readiness = self.readiness(tenant, product_id, checklist_path)
            return TraceView(trace, readiness, read_trace_records(self.store, tenant, trace))

    def lot_view(self, tenant: str, lot_id: str, checklist_path: Path | None = None) -> TraceView:
        """A lot's trace, readiness and records, like `product_view` (any identifier form of the lot)."""
        with self.store.snapshot():
            trace = self.trace_lot(tenant, lot_id)
            readiness = self.lot_readiness(tenant, trace.lot_id, checklist_path)
            return TraceView(trace, readiness, read_trace_records(self.store, tenant, trace))

    def evidence_pack(self, tenant: str, product_id: str, checklist_path: Path | None = None) -> EvidencePack:
        """A product's evidence pack, built from `product_view`."""
        return _pack(self.product_view(tenant, product_id, checklist_path))

    def lot_evidence_pack(self, tenant: str, lot_id: str, checklist_path: Path | None = None) -> EvidencePack:
        """A lot's evidence pack, built like a product's from the lot's view."""
        return _pack(self.lot_view(tenant, lot_id, checklist_path))

    def list_products(
        self, tenant: str, verdict: Verdict | None = None, cursor: str | None = None, limit: int = 50
    ) -> ProductPage:
        """Products in ID order, with verdicts; filtering by verdict traces as many products as needed."""
        if not 1 <= limit <= 500:
            raise BadRequestError("limit must be between 1 and 500")
        out: list[ProductSummary] = []
        after = cursor
        while len(out) < limit:
            batch = self.store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=limit)
            if not batch:
                return ProductPage(items=out, next_cursor=None)
            for item in batch:
                after = item.item_id
                result = self.trace(tenant, item.item_id)
                if verdict is not None and result.verdict is not verdict:
                    continue
                out.append(
                    ProductSummary(
                        product_id=item.item_id,
                        name=item.name,
                        hts_code=item.hts_code,
                        commodity=item.commodity,
                        verdict=result.verdict,
                        summary=result.summary,
                        findings=len(result.findings),
                        gaps=len(result.gaps),
                    )
                )
                if len(out) == limit:
                    break
        more = self.store.list_items(tenant, kind=ItemKind.PRODUCT, after=after, limit=1)
        return ProductPage(items=out, next_cursor=after if more else None)

    # -- screening -----------------------------------------------------------------------------------
    def screen(self, tenant: str, records: list[ScreenRecord]) -> list[ScreenResult]:
        """Screen records met outside any bundle (onboarding), honouring the tenant's earlier reviews."""
        if not 1 <= len(records) <= MAX_SCREEN_RECORDS:
            raise BadRequestError(f"send between 1 and {MAX_SCREEN_RECORDS} records")
        screener = self.detectors().screener
        reviews = self.store.get_reviews(tenant, sorted({record_subject(r) for r in records}))
        return screener.screen(records, reviews)

    def review(
        self,
        tenant: str,
        subject: str,
        list_name: str,
        entry_id: str,
        verdict: ReviewVerdict,
        reviewer: str,
        reason: str,
    ) -> Review:
        """Record a person's decision on a (subject, list entry) pair; later traces and screens honour it."""
        self.start()
        if not subject.startswith(("company:", "record:")):
            raise BadRequestError("subject must be 'company:<company_id>' or a screening result's 'record:…'")
        if not reviewer.strip() or not reason.strip():
            raise BadRequestError("a review needs who decided (reviewer) and why (reason)")
        decision = Review(
            review_id=f"{subject}|{list_name}|{entry_id}",
            subject=subject,
            list_name=list_name,
            entry_id=entry_id,
            verdict=verdict,
            reviewer=reviewer.strip(),
            reason=reason.strip(),
            decided_at=datetime.now(UTC),
        )
        previous = self.store.data_version(tenant)
        digest = hashlib.sha256(f"{previous}\n{decision.model_dump_json()}".encode()).hexdigest()
        self.store.put_review(tenant, decision, digest[:16])
        self.changes.note(tenant, ChangeKind.REVIEW)
        return decision

    # -- screening lists -----------------------------------------------------------------------------
    def list_versions(self, list_name: str | None = None) -> list[ListVersion]:
        self.start()
        return self.store.list_versions(list_name)

    def list_entries(self, version_id: str) -> list[ListEntry]:
        """One version's entries; an unknown version is a 404, not an empty list."""
        self.start()
        if not any(v.version_id == version_id for v in self.store.list_versions()):
            raise NotFoundError(f"no list version '{version_id}'")
        return self.store.list_entries(version_id)

    def add_list_versions(self, loaded: list[tuple[ListVersion, list[ListEntry]]]) -> list[ListVersion]:
        """Make freshly parsed list versions current (each written all or nothing; parsing came first)."""
        self.start()
        for version, entries in loaded:
            self.store.write_list_version(version, entries)
        return [version for version, _ in loaded]
