"""Routes of the change feed and of webhooks: `GET /v1/changes`, `/v1/webhooks…`.

The feed is read (`read`: importer, auditor) and caught up for the caller's tenant first, so it is never
staler than the request. Webhooks send the tenant's verdict changes to its own servers, so managing them
is `subscribe` (importer, integration): an auditor reads the feed but does not push data out.
"""

# No `from __future__ import annotations`: the routes' annotations name `Svc`, imported inside
# `add_routes`, and FastAPI resolves string annotations against module globals only.
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from app.api.security import Permission, Principal, require
from app.changes import ChangePage, SubjectKind
from app.webhooks import CreatedWebhook, Delivery, WebhookRequest, WebhookView

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Subscriber = Annotated[Principal, Depends(require(Permission.SUBSCRIBE))]
WebhookId = Annotated[str, Path(description="The webhook's `webhook_id`.")]


def add_routes(app: FastAPI) -> None:
    """Add the routes to the app itself (an included router is one opaque route in this FastAPI, which
    the policy test could not see); called from `create_app`, so `app.api.main` is loaded by then."""
    from app.api.main import Svc, protected

    @app.get(
        "/v1/changes",
        tags=["changes"],
        summary="Which products changed verdict, and why: newest first, each with the finding that did it.",
        response_model=ChangePage,
        responses=protected(400, 503),
    )
    async def get_changes(
        svc: Svc,
        caller: Reader,
        since: Annotated[
            str | None,
            Query(description="Only changes after this `seq`, or at or after this ISO 8601 time."),
        ] = None,
        subject_kind: Annotated[SubjectKind | None, Query(description="Only `product` (or `lot`).")] = None,
        cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> ChangePage:
        await run_in_threadpool(svc.changes.catch_up, caller.tenant)
        return svc.changes.feed(caller.tenant, since, subject_kind, cursor, limit)

    @app.post(
        "/v1/webhooks",
        tags=["changes"],
        summary="Subscribe a URL to verdict changes; the answer carries the signing secret, shown once.",
        response_model=CreatedWebhook,
        status_code=201,
        responses=protected(400, 503),
    )
    def post_webhook(svc: Svc, caller: Subscriber, body: WebhookRequest) -> CreatedWebhook:
        return svc.webhooks.create(caller.tenant, body)

    @app.get(
        "/v1/webhooks",
        tags=["changes"],
        summary="The tenant's webhooks (never their secrets).",
        response_model=list[WebhookView],
        responses=protected(503),
    )
    def get_webhooks(svc: Svc, caller: Subscriber) -> list[WebhookView]:
        return svc.webhooks.subscriptions(caller.tenant)

    @app.delete(
        "/v1/webhooks/{webhook_id}",
        tags=["changes"],
        summary="Unsubscribe: no more deliveries; the delivery log goes with it.",
        status_code=204,
        responses=protected(404, 503),
    )
    def delete_webhook(svc: Svc, caller: Subscriber, webhook_id: WebhookId) -> Response:
        svc.webhooks.delete(caller.tenant, webhook_id)
        return Response(status_code=204)

    @app.get(
        "/v1/webhooks/{webhook_id}/deliveries",
        tags=["changes"],
        summary="A webhook's delivery log: each payload, every attempt's status or error, the next retry.",
        response_model=list[Delivery],
        responses=protected(400, 404, 503),
    )
    def get_deliveries(
        svc: Svc,
        caller: Subscriber,
        webhook_id: WebhookId,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[Delivery]:
        return svc.webhooks.deliveries(caller.tenant, webhook_id, limit)
