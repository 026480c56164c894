"""Routes for evidence packs: a product's or a lot's submission as JSON, a CSV zip, HTML or PDF.

Reading a pack is `read` (importer, auditor), like a trace. The pack is deterministic, so its ETag
(data version, a hash of the pack, format) lets a client or proxy revalidate without the service
rendering the PDF again: a matching `If-None-Match` is answered 304 before rendering.

No `from __future__ import annotations` here: the routes' parameters name `Svc`, imported inside
`add_routes` (to avoid an import cycle with `app.api.main`), which FastAPI must resolve at once.
"""

import hashlib
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response

from app.api.security import Permission, Principal, require
from app.evidence.pack import EvidencePack
from app.evidence.render import PackFormat, filename, render, render_json

Reader = Annotated[Principal, Depends(require(Permission.READ))]
FormatQuery = Annotated[
    PackFormat,
    Query(alias="format", description="`json` (the model), `csv` (a zip of tables), `html` or `pdf`."),
]
IfNoneMatch = Annotated[
    str | None, Header(description="An ETag of an earlier answer: 304 if the pack has not changed.")
]

#: what the 200 answer can be, for the OpenAPI document
PACK_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The pack in the requested format (JSON schema: `EvidencePack`).",
        "content": {fmt.media_type: {} for fmt in PackFormat if fmt is not PackFormat.JSON},
    },
    304: {"description": "Not modified: the pack is the one the `If-None-Match` ETag names."},
}


def etag(pack: EvidencePack, fmt: PackFormat) -> str:
    """`"<data version>-<hash of the pack>-<format>"`: changes whenever anything in the pack does
    (data, list versions, checklist), never otherwise, because the pack is deterministic."""
    digest = hashlib.sha256(render_json(pack)).hexdigest()[:16]
    return f'"{pack.data_version}-{digest}-{fmt.value}"'


def pack_response(pack: EvidencePack, fmt: PackFormat, if_none_match: str | None) -> Response:
    """The rendered pack with its media type, file name and ETag; 304 when the client has it."""
    tag = etag(pack, fmt)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if if_none_match is not None and (
        if_none_match.strip() == "*" or tag in {t.strip() for t in if_none_match.split(",")}
    ):
        return Response(status_code=304, headers=headers)
    disposition = "inline" if fmt is PackFormat.HTML else "attachment"
    headers["Content-Disposition"] = f'{disposition}; filename="{filename(pack, fmt)}"'
    return Response(content=render(pack, fmt), media_type=fmt.media_type, headers=headers)


def add_routes(app: FastAPI) -> None:
    """Add the routes to the app itself (the policy test sees each one); called from `create_app`."""
    from app.api.main import Svc, protected

    @app.get(
        "/v1/products/{product_id}/evidence-pack",
        tags=["evidence"],
        summary="A product's evidence pack: summary, flow chart, parties, findings, gaps, exhibits.",
        response_model=EvidencePack,
        responses={**protected(400, 404, 503), **PACK_CONTENT},
    )
    def get_product_pack(
        request: Request,
        svc: Svc,
        caller: Reader,
        product_id: Annotated[str, Path(description="The product's `item_id`.")],
        fmt: FormatQuery = PackFormat.JSON,
        if_none_match: IfNoneMatch = None,
    ) -> Response:
        checklist = request.app.state.settings.evidence_checklist
        return pack_response(svc.evidence_pack(caller.tenant, product_id, checklist), fmt, if_none_match)

    @app.get(
        "/v1/lots/{lot_id}/evidence-pack",
        tags=["evidence"],
        summary="A lot's evidence pack, built from the lot's trace like a product's.",
        response_model=EvidencePack,
        responses={**protected(400, 404, 503), **PACK_CONTENT},
    )
    def get_lot_pack(
        request: Request,
        svc: Svc,
        caller: Reader,
        lot_id: Annotated[str, Path(description="The lot's canonical ID `<item_id>.<lot>`, or an LGTIN.")],
        fmt: FormatQuery = PackFormat.JSON,
        if_none_match: IfNoneMatch = None,
    ) -> Response:
        checklist = request.app.state.settings.evidence_checklist
        return pack_response(svc.lot_evidence_pack(caller.tenant, lot_id, checklist), fmt, if_none_match)
