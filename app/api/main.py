"""The FastAPI application: routes call the service; errors go through `app.api.problems`.

Every route but the operational ones depends on `app.api.security.require(permission)`: the tenant of
every call comes from the caller's verified API key (or, in key-less local mode, `X-Tenant-ID`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Header, Path, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.api import changes as changes_api
from app.api import evidence_docs, limits, problems
from app.api import lots as lots_api
from app.api import packs as packs_api
from app.api.problems import ProblemDocument
from app.api.schemas import (
    KeyRequest,
    ListVersionsResponse,
    ReviewRequest,
    ScreeningRequest,
    ScreenRequest,
    ScreenResponse,
)
from app.api.security import Permission, Principal, require
from app.config import Environment, Settings, check_auth
from app.errors import BadRequestError, StoreUnavailableError, UploadTooLargeError
from app.ingest import LoadReport
from app.jobs import JobView, ResultFormat, ResultPage, stream_results
from app.keys import (
    TENANT_ID_PATTERN,
    ApiKeyInfo,
    IssuedKey,
    KeyVerifier,
    issue_key,
    list_keys,
    revoke_key,
)
from app.screening.service import ListVersionRef
from app.sealing import Sealer
from app.service import ProductPage, TraceService
from app.store.base import GraphStore
from app.store.factory import build_store
from app.trace.models import TraceResult, Verdict
from app.upserts import Cell, DeactivateRequest, RecordsRequest
from app.web import routes as web
from graph_schema import Review

log = logging.getLogger("tracegraph.api")

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDocument, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (400, "Bad request"),
        (401, "No valid API key: missing, malformed, unknown, expired or revoked"),
        (403, "The API key's role lacks the permission this needs"),
        (404, "Not found"),
        (413, "Upload too large"),
        (422, "Validation failed: every problem is listed in `errors`"),
        (503, "Graph store unavailable; retry after `Retry-After` seconds"),
    )
}


def protected(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem responses of a route behind an API key: 401, 403 and 422 (its headers are parameters,
    so FastAPI would otherwise document its own validation error) plus `statuses`."""
    return {k: PROBLEM_RESPONSES[k] for k in sorted({401, 403, 422, *statuses})}


def get_service(request: Request) -> TraceService:
    """The app's service, created at start-up by the lifespan."""
    svc: TraceService = request.app.state.service
    return svc


Svc = Annotated[TraceService, Depends(get_service)]
#: the caller, admitted by the permission its route needs (see `app.api.security.ROLE_PERMISSIONS`)
Reader = Annotated[Principal, Depends(require(Permission.READ))]
Loader = Annotated[Principal, Depends(require(Permission.LOAD))]
Screener = Annotated[Principal, Depends(require(Permission.SCREEN))]
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW))]
ListReader = Annotated[Principal, Depends(require(Permission.READ, Permission.SCREEN))]
Admin = Annotated[Principal, Depends(require(Permission.ADMIN))]
JobReader = Annotated[Principal, Depends(require(Permission.READ, Permission.SCREEN))]
TenantPath = Annotated[str, Path(description="The tenant's ID.", pattern=TENANT_ID_PATTERN)]


#: records an ERP can PUT one at a time, by the path ID (BOM lines and sourcing go through /v1/records)
RECORD_PATHS = {
    "companies": "company_id",
    "facilities": "facility_id",
    "items": "item_id",
    "documents": "document_id",
}


def _add_record_put(app: FastAPI, kind: str, id_field: str) -> None:
    """`PUT /v1/{kind}/{id}`: one record upserted by the client's ID (idempotent by nature)."""

    def put_record(
        svc: Svc,
        caller: Loader,
        body: dict[str, Cell],
        record_id: str = Path(description=f"The record's `{id_field}`."),
    ) -> LoadReport:
        given = body.get(id_field)
        if given is not None and given != record_id:
            raise BadRequestError(f"the body's {id_field} '{given}' differs from the path's '{record_id}'")
        request = RecordsRequest.model_validate({kind: [{**body, id_field: record_id}]})
        report, _ = svc.upsert(caller.tenant, request, None)
        return report

    app.put(
        f"/v1/{kind}/{{record_id}}",
        tags=["bundles"],
        summary=f"Upsert one of the tenant's {kind} by ID (the body: the record's bundle columns).",
        response_model=LoadReport,
        responses=protected(400, 413, 422, 503),
        name=f"put_{kind}",
    )(put_record)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; tests pass their own store, the server opens the configured one."""
    settings = settings or Settings()
    check_auth(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        service = TraceService(store if store is not None else build_store(settings))
        try:
            service.start()
        except StoreUnavailableError as e:
            log.warning("graph store unavailable at start-up (%s); will retry on each request", e.detail)
        app.state.service = service
        if settings.run_jobs:
            service.jobs.start()
        service.webhooks.sealer = Sealer(settings.secrets_key)
        allow_private = settings.webhook_allow_private
        service.webhooks.allow_private = (
            settings.env is not Environment.PRODUCTION if allow_private is None else allow_private
        )
        if settings.run_change_tracker:
            service.changes.start(settings.change_poll_s)
            service.webhooks.start()
        try:
            yield
        finally:
            service.jobs.stop()
            service.changes.stop()
            service.webhooks.stop()
            if owned:
                service.store.close()

    app = FastAPI(
        title="tracegraph",
        version=__version__,
        summary="Supply-chain traceability for forced-labor (UFLPA) import compliance.",
        description=(
            "Load supply-chain bundles, walk every product's upstream tiers, and get a verdict with the "
            "evidence paths behind it. Errors are RFC 9457 problem documents."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.key_verifier = KeyVerifier()
    problems.install(app)
    limits.install(app, settings)

    @app.get("/healthz", tags=["ops"], summary="Liveness: the process answers.")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["ops"],
        summary="Readiness: the graph store answers.",
        responses={503: PROBLEM_RESPONSES[503]},
    )
    def readyz(svc: Svc) -> dict[str, str]:
        svc.store.ping()
        return {"status": "ready", "store": svc.store.backend}

    @app.post(
        "/v1/bundles",
        tags=["bundles"],
        summary="Load a supply-chain bundle (a .zip of the contract's CSV files).",
        response_model=LoadReport,
        responses=protected(400, 413, 422, 503),
    )
    async def post_bundle(
        svc: Svc,
        caller: Loader,
        file: Annotated[UploadFile, File(description="The bundle: a zip holding the CSV files.")],
    ) -> LoadReport:
        limit = settings.max_upload_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise UploadTooLargeError(f"the upload exceeds {limit} bytes")
        if not data:
            raise BadRequestError("the upload is empty")
        return await run_in_threadpool(svc.load, caller.tenant, data, file.filename or "upload.zip")

    @app.post(
        "/v1/records",
        tags=["bundles"],
        summary="Upsert records as JSON (for ERPs): validated and loaded like a bundle, all or nothing.",
        response_model=LoadReport,
        responses=protected(400, 413, 422, 503),
    )
    def post_records(
        svc: Svc,
        caller: Loader,
        body: RecordsRequest,
        response: Response,
        idempotency_key: Annotated[
            str | None,
            Header(description="Makes a retry safe: the same key and request get the first answer back."),
        ] = None,
    ) -> LoadReport:
        report, replayed = svc.upsert(caller.tenant, body, idempotency_key)
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return report

    @app.post(
        "/v1/sourcing/deactivate",
        tags=["bundles"],
        summary="End sourcing links: they keep their evidence and are marked with their last day.",
        response_model=LoadReport,
        responses=protected(400, 404, 413, 422, 503),
    )
    def deactivate_sourcing(svc: Svc, caller: Loader, body: DeactivateRequest) -> LoadReport:
        return svc.deactivate(caller.tenant, body)

    for kind, id_field in RECORD_PATHS.items():
        _add_record_put(app, kind, id_field)

    @app.get(
        "/v1/products",
        tags=["products"],
        summary="List products with their verdicts, optionally filtered by verdict.",
        response_model=ProductPage,
        responses=protected(400, 422, 503),
    )
    def list_products(
        svc: Svc,
        caller: Reader,
        verdict: Annotated[Verdict | None, Query(description="Only products with this verdict.")] = None,
        cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> ProductPage:
        return svc.list_products(caller.tenant, verdict=verdict, cursor=cursor, limit=limit)

    @app.get(
        "/v1/products/{product_id}/trace",
        tags=["products"],
        summary="Trace a product upstream: verdict, findings with evidence paths, gaps, cycles, supply map.",
        response_model=TraceResult,
        responses=protected(400, 404, 422, 503),
    )
    def get_trace(
        svc: Svc,
        caller: Reader,
        product_id: Annotated[str, Path(description="The product's `item_id`.")],
    ) -> TraceResult:
        return svc.trace(caller.tenant, product_id)

    @app.post(
        "/v1/screen",
        tags=["screening"],
        summary="Screen supplier or facility records: XUAR location and list matches, with evidence.",
        response_model=ScreenResponse,
        responses=protected(400, 422, 503),
    )
    def post_screen(svc: Svc, caller: Screener, body: ScreenRequest) -> ScreenResponse:
        return ScreenResponse(results=svc.screen(caller.tenant, body.records))

    @app.post(
        "/v1/reviews",
        tags=["screening"],
        summary="Confirm or reject a possible list match; later traces and screenings honour it.",
        response_model=Review,
        status_code=201,
        responses=protected(400, 422, 503),
    )
    def post_review(svc: Svc, caller: Reviewer, body: ReviewRequest) -> Review:
        return svc.review(
            caller.tenant,
            body.subject,
            body.list_name,
            body.entry_id,
            body.verdict,
            body.reviewer,
            body.reason,
        )

    @app.post(
        "/v1/screenings",
        tags=["screening"],
        summary="Start a batch screening of named products (up to 100,000) or of all; returns the job.",
        response_model=JobView,
        status_code=202,
        responses=protected(400, 404, 422, 503),
    )
    def post_screening(svc: Svc, caller: Screener, body: ScreeningRequest) -> JobView:
        if body.all == (body.product_ids is not None):
            raise BadRequestError("give either product_ids or all: true")
        job = svc.jobs.submit(caller.tenant, None if body.all else body.product_ids, body.callback_url)
        return JobView.of(job)

    @app.get(
        "/v1/screenings/{job_id}",
        tags=["screening"],
        summary="A batch screening's progress: done, total, estimated time left, verdict counts.",
        response_model=JobView,
        responses=protected(404, 503),
    )
    def get_screening(svc: Svc, caller: JobReader, job_id: Annotated[str, Path()]) -> JobView:
        return JobView.of(svc.jobs.get(caller.tenant, job_id))

    @app.post(
        "/v1/screenings/{job_id}/cancel",
        tags=["screening"],
        summary="Cancel a batch screening (results saved so far stay readable).",
        response_model=JobView,
        responses=protected(404, 503),
    )
    def cancel_screening(svc: Svc, caller: Screener, job_id: Annotated[str, Path()]) -> JobView:
        return JobView.of(svc.jobs.cancel(caller.tenant, job_id))

    @app.get(
        "/v1/screenings/{job_id}/results",
        tags=["screening"],
        summary="A batch screening's verdicts: a JSON page, or the whole set streamed as NDJSON or CSV.",
        response_model=ResultPage,
        responses={
            **protected(404, 503),
            200: {
                "content": {"application/x-ndjson": {}, "text/csv": {}},
                "description": "A page (JSON), or every result so far (NDJSON, CSV).",
            },
        },
    )
    def get_screening_results(
        svc: Svc,
        caller: JobReader,
        job_id: Annotated[str, Path()],
        result_format: Annotated[
            ResultFormat, Query(alias="format", description="`json` (paged), `ndjson` or `csv`.")
        ] = ResultFormat.JSON,
        cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> Any:
        if result_format is ResultFormat.JSON:
            return svc.jobs.results(caller.tenant, job_id, cursor, limit)
        svc.jobs.get(caller.tenant, job_id)  # 404 before the stream starts
        lines = stream_results(svc.jobs, caller.tenant, job_id, result_format)
        media = "application/x-ndjson" if result_format is ResultFormat.NDJSON else "text/csv"
        return StreamingResponse(lines, media_type=media)

    @app.get(
        "/v1/lists",
        tags=["screening"],
        summary="Screening list versions: the one in force per list, and the history.",
        response_model=ListVersionsResponse,
        responses=protected(503),
    )
    def get_lists(svc: Svc, caller: ListReader) -> ListVersionsResponse:
        history = [ListVersionRef.of(v) for v in svc.list_versions()]
        current: dict[str, ListVersionRef] = {}
        for ref in history:
            current.setdefault(ref.list, ref)
        return ListVersionsResponse(current=[current[k] for k in sorted(current)], history=history)

    # -- keys (admin) --------------------------------------------------------------------------------
    @app.post(
        "/v1/tenants/{tenant}/keys",
        tags=["keys"],
        summary="Issue an API key for a tenant; the response carries the secret, shown this once only.",
        response_model=IssuedKey,
        status_code=201,
        responses=protected(400, 422, 503),
    )
    def post_key(svc: Svc, caller: Admin, tenant: TenantPath, body: KeyRequest) -> IssuedKey:
        return issue_key(
            svc.store,
            tenant,
            body.role,
            body.name,
            f"key:{caller.key_id}",
            description=body.description,
            expires_in_days=body.expires_in_days,
        )

    @app.get(
        "/v1/tenants/{tenant}/keys",
        tags=["keys"],
        summary="A tenant's keys, revoked and expired ones included; never their secrets.",
        response_model=list[ApiKeyInfo],
        responses=protected(400, 422, 503),
    )
    def get_keys(svc: Svc, caller: Admin, tenant: TenantPath) -> list[ApiKeyInfo]:
        return list_keys(svc.store, tenant)

    @app.delete(
        "/v1/keys/{key_id}",
        tags=["keys"],
        summary="Revoke a key for good: it stops working on the next request.",
        response_model=ApiKeyInfo,
        responses=protected(404, 503),
    )
    def delete_key(
        svc: Svc, caller: Admin, key_id: Annotated[str, Path(description="The key's `key_id`.")]
    ) -> ApiKeyInfo:
        return revoke_key(svc.store, key_id)

    evidence_docs.add_routes(app)  # checklist, readiness, documents attached or uploaded later
    changes_api.add_routes(app)  # the change feed and webhooks
    lots_api.add_routes(app)  # GS1 EPCIS documents in, lots and their traces out
    packs_api.add_routes(app)  # evidence packs of products and lots: JSON, CSV zip, HTML, PDF
    web.add_routes(app)  # the auditor's pages under /ui (READ suffices) and their static files
    return app
