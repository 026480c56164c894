"""Adding a module's routes to the app, each as a route of its own.

Not `include_router`: this FastAPI keeps an included router as one opaque route, so the policy test
(`tests/api/test_auth.py`) could not see the routes behind it or their permissions (a test fails on any
such route). Modules declare their routes on an `APIRouter` and hand it here.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute


def add_router(
    app: FastAPI,
    router: APIRouter,
    *,
    include_in_schema: bool | None = None,
    route_class: type[APIRoute] | None = None,
) -> None:
    """Copy every route of `router` onto `app` with its path, methods, documentation and responses.

    `include_in_schema=False` keeps pages out of the OpenAPI document; `route_class` lets pages answer
    errors as HTML rather than problem documents.
    """
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"only API routes can be added one by one, not {route!r}")
        app.router.add_api_route(
            route.path,
            route.endpoint,
            methods=sorted(route.methods or ()),
            name=route.name,
            tags=list(route.tags),
            summary=route.summary,
            description=route.description,
            status_code=route.status_code,
            response_model=route.response_model,
            response_class=route.response_class,
            responses=route.responses,
            openapi_extra=route.openapi_extra,
            include_in_schema=route.include_in_schema if include_in_schema is None else include_in_schema,
            route_class_override=route_class,
        )
