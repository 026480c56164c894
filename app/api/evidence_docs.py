"""Routes for evidence: the checklist in force, a product's readiness, and documents attached or uploaded
after the bundle that named them.

Thin like every route: arguments in, a `TraceService` call, the result out; domain errors go through
`app.api.problems`. The checklist file and the document directory come from the settings
(`TRACEGRAPH_EVIDENCE_CHECKLIST`, `TRACEGRAPH_DOCUMENT_DIR`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.api.problems import ProblemDocument
from app.api.routing import add_router
from app.api.security import Permission, Principal, require
from app.config import Settings
from app.evidence.documents import DocumentFile, DocumentFiles
from app.evidence.readiness import ProductReadiness
from app.ingest import LoadReport
from app.service import TraceService
from app.upserts import AttachDocumentsRequest
from loaders.checklist import Checklist

#: the routes, declared here and added to the app one by one by `add_routes`
router = APIRouter()


def _service(request: Request) -> TraceService:
    svc: TraceService = request.app.state.service
    return svc


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Svc = Annotated[TraceService, Depends(_service)]
Config = Annotated[Settings, Depends(_settings)]
Reader = Annotated[Principal, Depends(require(Permission.READ))]
Loader = Annotated[Principal, Depends(require(Permission.LOAD))]
DocumentId = Annotated[str, Path(description="The document's `document_id`.")]

_TEXT = {
    400: "Bad request",
    401: "No valid API key: missing, malformed, unknown, expired or revoked",
    403: "The API key's role lacks the permission this needs",
    404: "Not found",
    409: "Conflict: the uploaded file's hash differs from the declared one (both are named)",
    413: "Upload too large",
    422: "Validation failed: every problem is listed in `errors`",
    500: "The evidence checklist in force is unusable (its JSON pointer is named)",
    503: "Graph store unavailable; retry after `Retry-After` seconds",
}


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": ProblemDocument,
            "content": {"application/problem+json": {}},
            "description": _TEXT[status],
        }
        for status in sorted({401, 403, 422, *statuses})
    }


class ChecklistInForce(BaseModel):
    """The evidence checklist the readiness figures are computed against."""

    version_id: str = Field(description="`<version>+<file hash>`: what readiness results cite.")
    sha256: str = Field(description="SHA-256 of the checklist file.")
    checklist: Checklist = Field(description="The checklist: sources, sectors, stages, expected records.")


@router.get(
    "/v1/checklist",
    tags=["evidence"],
    summary="The evidence checklist in force: records expected per hop, by sector, with its sources.",
    response_model=ChecklistInForce,
    responses=_problems(500),
)
def get_checklist(svc: Svc, settings: Config, caller: Reader) -> ChecklistInForce:
    checklist = svc.checklist(settings.evidence_checklist)
    return ChecklistInForce(version_id=checklist.version_id, sha256=checklist.sha256, checklist=checklist)


@router.get(
    "/v1/products/{product_id}/readiness",
    tags=["evidence"],
    summary="Per hop, the records the checklist expects and which are missing; a readiness score, explained.",
    response_model=ProductReadiness,
    responses=_problems(400, 404, 500, 503),
)
def get_readiness(
    svc: Svc,
    settings: Config,
    caller: Reader,
    product_id: Annotated[str, Path(description="The product's `item_id`.")],
) -> ProductReadiness:
    return svc.readiness(caller.tenant, product_id, settings.evidence_checklist)


@router.post(
    "/v1/sourcing/documents",
    tags=["evidence"],
    summary="Attach loaded documents to a sourcing link (added to its `document_ids`, loaded as a change).",
    response_model=LoadReport,
    responses=_problems(400, 404, 413, 503),
)
def post_sourcing_documents(svc: Svc, caller: Loader, body: AttachDocumentsRequest) -> LoadReport:
    return svc.attach_documents(caller.tenant, body)


@router.put(
    "/v1/documents/{document_id}/file",
    tags=["evidence"],
    summary="Upload a document's file (the raw body): stored by its SHA-256, recorded on the document.",
    response_model=DocumentFile,
    responses=_problems(400, 404, 409, 413, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The document's file, as is (PDF, image, ...), with its media type.",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def put_document_file(
    request: Request,
    svc: Svc,
    settings: Config,
    caller: Loader,
    document_id: DocumentId,
    x_content_sha256: Annotated[
        str | None,
        Header(description="The file's SHA-256 (hex) as the sender knows it; a different file is a 409."),
    ] = None,
) -> DocumentFile:
    # Streamed to a staging file and hashed on the way: a file may be as large as the upload limit.
    staged = await DocumentFiles(settings.document_dir).stage(request.stream())
    try:
        return await run_in_threadpool(
            svc.put_document_file,
            caller.tenant,
            document_id,
            staged,
            request.headers.get("content-type"),
            x_content_sha256,
            settings.document_dir,
        )
    finally:
        staged.path.unlink(missing_ok=True)  # kept: already moved away; refused or failed: gone


@router.get(
    "/v1/documents/{document_id}/file",
    tags=["evidence"],
    summary="Download a document's uploaded file; its SHA-256 is in `X-Content-SHA256` and the ETag.",
    response_class=FileResponse,
    responses={
        **_problems(404, 503),
        200: {"content": {"*/*": {}}, "description": "The file, as uploaded."},
    },
)
def get_document_file(svc: Svc, settings: Config, caller: Reader, document_id: DocumentId) -> FileResponse:
    path, content_type, sha256 = svc.document_file(caller.tenant, document_id, settings.document_dir)
    return FileResponse(
        path,
        media_type=content_type,
        headers={"X-Content-SHA256": sha256, "ETag": f'"{sha256}"'},
    )


def add_routes(app: FastAPI) -> None:
    """Add this module's routes to the app, each as itself (`app.api.routing`)."""
    add_router(app, router)
