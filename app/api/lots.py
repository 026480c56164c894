"""Routes of lot-level traceability: `POST /v1/epcis`, `GET /v1/lots…`.

Loading an EPCIS document changes what traces say, so it is `load` (importer, integration), like a
bundle; reading lots and their traces is `read` (importer, auditor), like products.
"""

from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.api.security import Permission, Principal, require
from app.trace.lots import EpcisLoadReport, LotDetail, LotPage
from app.trace.models import LotTraceResult


class AttachLotDocuments(BaseModel):
    """Documents already loaded (bundle, records or upload) that concern this lot."""

    document_ids: list[str] = Field(
        min_length=1, max_length=500, description="IDs of the tenant's documents.", examples=[["D-014"]]
    )


Reader = Annotated[Principal, Depends(require(Permission.READ))]
Loader = Annotated[Principal, Depends(require(Permission.LOAD))]
LotId = Annotated[
    str,
    Path(
        description=(
            "The lot's canonical ID `<item_id>.<lot>` (the lot percent-encoded as in EPC URIs), or its "
            "`urn:epc:class:lgtin:…` / `urn:tracegraph:item:…:lot:…` identifier."
        ),
        examples=["LINT.LA-DRF-2409"],
    ),
]

EXAMPLE_DOCUMENT: dict[str, Any] = {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    "type": "EPCISDocument",
    "schemaVersion": "2.0",
    "creationDate": "2025-10-02T08:00:00Z",
    "epcisBody": {
        "eventList": [
            {
                "type": "TransformationEvent",
                "eventID": "urn:uuid:6b2f0f1e-0b7a-4f7e-9d55-0d1b2f3c4a5b",
                "eventTime": "2025-10-01T10:00:00+06:00",
                "eventTimeZoneOffset": "+06:00",
                "inputQuantityList": [
                    {"epcClass": "urn:epc:class:lgtin:0614141.000101.LA-24", "quantity": 2200, "uom": "KGM"}
                ],
                "outputQuantityList": [
                    {"epcClass": "urn:epc:class:lgtin:0614141.000102.YA-25", "quantity": 1800, "uom": "KGM"}
                ],
                "bizStep": "commissioning",
                "bizLocation": {"id": "urn:epc:id:sgln:0614141.00002.0"},
            }
        ]
    },
}


def add_routes(app: FastAPI) -> None:
    """Add the routes to the app itself (the policy test sees each one); called from `create_app`."""
    from app.api.main import Svc, protected

    @app.post(
        "/v1/epcis",
        tags=["lots"],
        summary="Load a GS1 EPCIS 2.0 document (JSON / JSON-LD): its events and lots, all or nothing.",
        response_model=EpcisLoadReport,
        responses=protected(400, 413, 422, 503),
    )
    async def post_epcis(
        svc: Svc,
        caller: Loader,
        document: Annotated[
            dict[str, Any],
            Body(
                description="An `EPCISDocument` (or an `EPCISQueryDocument`'s results), EPCIS 2.0 JSON-LD.",
                examples=[EXAMPLE_DOCUMENT],
            ),
        ],
    ) -> EpcisLoadReport:
        return await run_in_threadpool(svc.load_epcis, caller.tenant, document, "request body")

    @app.post(
        "/v1/lots/{lot_id}/documents",
        tags=["lots"],
        summary="Attach stored documents to a lot (recorded as an EPCIS event citing them).",
        response_model=EpcisLoadReport,
        responses=protected(400, 404, 503),
    )
    def post_lot_documents(
        svc: Svc, caller: Loader, lot_id: LotId, body: AttachLotDocuments
    ) -> EpcisLoadReport:
        return svc.attach_lot_documents(caller.tenant, lot_id, body.document_ids)

    @app.get(
        "/v1/lots",
        tags=["lots"],
        summary="List recorded lots, optionally of one item or matching part of their ID.",
        response_model=LotPage,
        responses=protected(400, 503),
    )
    def get_lots(
        svc: Svc,
        caller: Reader,
        item_id: Annotated[str | None, Query(description="Only lots of this item.")] = None,
        q: Annotated[str | None, Query(description="Only lots whose ID contains this (any case).")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, description="`next_offset` of the previous page.")] = 0,
    ) -> LotPage:
        return svc.list_lots(caller.tenant, item_id=item_id, q=q, offset=offset, limit=limit)

    @app.get(
        "/v1/lots/{lot_id}",
        tags=["lots"],
        summary="A lot: where it was made, its events, the lots it was made from and into, its documents.",
        response_model=LotDetail,
        responses=protected(404, 503),
    )
    def get_lot(svc: Svc, caller: Reader, lot_id: LotId) -> LotDetail:
        return svc.get_lot(caller.tenant, lot_id)

    @app.get(
        "/v1/lots/{lot_id}/trace",
        tags=["lots"],
        summary="Trace a lot through its recorded inputs: the same verdict, findings and gaps as a product.",
        response_model=LotTraceResult,
        responses=protected(404, 503),
    )
    def get_lot_trace(svc: Svc, caller: Reader, lot_id: LotId) -> LotTraceResult:
        return svc.trace_lot(caller.tenant, lot_id)
