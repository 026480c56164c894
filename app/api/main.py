"""The FastAPI application: routes call the service; errors go through `app.api.problems`.

Until API keys arrive (issue 5) the tenant comes from the `X-Tenant-ID` header, defaulting to
`Settings.default_tenant`; that is a development convenience, not an access control.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Header, Path, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.api import problems
from app.api.problems import ProblemDocument
from app.api.schemas import ListVersionsResponse, ReviewRequest, ScreenRequest, ScreenResponse
from app.config import Settings
from app.errors import BadRequestError, StoreUnavailableError, UploadTooLargeError
from app.ingest import LoadReport
from app.screening.service import ListVersionRef
from app.service import ProductPage, TraceService
from app.store.base import GraphStore
from app.store.factory import build_store
from app.trace.models import TraceResult, Verdict
from graph_schema import Review

log = logging.getLogger("tracegraph.api")

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDocument, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (400, "Bad request"),
        (404, "Not found"),
        (413, "Upload too large"),
        (422, "Validation failed: every problem is listed in `errors`"),
        (503, "Graph store unavailable; retry after `Retry-After` seconds"),
    )
}

TENANT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def get_service(request: Request) -> TraceService:
    """The app's service, created at start-up by the lifespan."""
    svc: TraceService = request.app.state.service
    return svc


def get_tenant(
    request: Request,
    x_tenant_id: Annotated[
        str | None,
        Header(description="Tenant whose data to use (development mode, until API keys arrive)."),
    ] = None,
) -> str:
    """The request's tenant; refuses IDs that could not have been created by a load."""
    settings: Settings = request.app.state.settings
    value = x_tenant_id or settings.default_tenant
    if not re.match(TENANT_ID_PATTERN, value):
        raise BadRequestError("X-Tenant-ID must be 1-64 letters, digits, '.', '_' or '-'")
    return value


Svc = Annotated[TraceService, Depends(get_service)]
Tenant = Annotated[str, Depends(get_tenant)]


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app; tests pass their own store, the server opens the configured one."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        service = TraceService(store if store is not None else build_store(settings))
        try:
            service.start()
        except StoreUnavailableError as e:
            log.warning("graph store unavailable at start-up (%s); will retry on each request", e.detail)
        app.state.service = service
        try:
            yield
        finally:
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
    problems.install(app)

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
        responses={k: PROBLEM_RESPONSES[k] for k in (400, 413, 422, 503)},
    )
    async def post_bundle(
        svc: Svc,
        tenant_id: Tenant,
        file: Annotated[UploadFile, File(description="The bundle: a zip holding the CSV files.")],
    ) -> LoadReport:
        limit = settings.max_upload_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise UploadTooLargeError(f"the upload exceeds {limit} bytes")
        if not data:
            raise BadRequestError("the upload is empty")
        return await run_in_threadpool(svc.load, tenant_id, data, file.filename or "upload.zip")

    @app.get(
        "/v1/products",
        tags=["products"],
        summary="List products with their verdicts, optionally filtered by verdict.",
        response_model=ProductPage,
        responses={k: PROBLEM_RESPONSES[k] for k in (400, 422, 503)},
    )
    def list_products(
        svc: Svc,
        tenant_id: Tenant,
        verdict: Annotated[Verdict | None, Query(description="Only products with this verdict.")] = None,
        cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> ProductPage:
        return svc.list_products(tenant_id, verdict=verdict, cursor=cursor, limit=limit)

    @app.get(
        "/v1/products/{product_id}/trace",
        tags=["products"],
        summary="Trace a product upstream: verdict, findings with evidence paths, gaps, cycles, supply map.",
        response_model=TraceResult,
        responses={k: PROBLEM_RESPONSES[k] for k in (400, 404, 422, 503)},
    )
    def get_trace(
        svc: Svc,
        tenant_id: Tenant,
        product_id: Annotated[str, Path(description="The product's `item_id`.")],
    ) -> TraceResult:
        return svc.trace(tenant_id, product_id)

    @app.post(
        "/v1/screen",
        tags=["screening"],
        summary="Screen supplier or facility records: XUAR location and list matches, with evidence.",
        response_model=ScreenResponse,
        responses={k: PROBLEM_RESPONSES[k] for k in (400, 422, 503)},
    )
    def post_screen(svc: Svc, tenant_id: Tenant, body: ScreenRequest) -> ScreenResponse:
        return ScreenResponse(results=svc.screen(tenant_id, body.records))

    @app.post(
        "/v1/reviews",
        tags=["screening"],
        summary="Confirm or reject a possible list match; later traces and screenings honour it.",
        response_model=Review,
        status_code=201,
        responses={k: PROBLEM_RESPONSES[k] for k in (400, 422, 503)},
    )
    def post_review(svc: Svc, tenant_id: Tenant, body: ReviewRequest) -> Review:
        return svc.review(
            tenant_id, body.subject, body.list_name, body.entry_id, body.verdict, body.reviewer, body.reason
        )

    @app.get(
        "/v1/lists",
        tags=["screening"],
        summary="Screening list versions: the one in force per list, and the history.",
        response_model=ListVersionsResponse,
        responses={503: PROBLEM_RESPONSES[503]},
    )
    def get_lists(svc: Svc) -> ListVersionsResponse:
        history = [ListVersionRef.of(v) for v in svc.list_versions()]
        current: dict[str, ListVersionRef] = {}
        for ref in history:
            current.setdefault(ref.list, ref)
        return ListVersionsResponse(current=[current[k] for k in sorted(current)], history=history)

    return app
