"""RFC 9457 problem documents: the one place where domain errors become HTTP responses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import StoreUnavailableError, TracegraphError, UnauthorizedError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://tracegraph.dev/problems/"

log = logging.getLogger("tracegraph.api")


class ProblemError(BaseModel):
    file: str | None = Field(None, description="Bundle file, for bundle validation errors.")
    row: int | None = Field(None, description="1-based row as a spreadsheet shows it (header = 1).")
    column: str | None = Field(None, description="Column of the bundle file.")
    reason: str = Field(description="What was expected.")
    value: str | None = Field(None, description="The offending value, as read.")
    pointer: str | None = Field(None, description="JSON pointer to the bad request field.")


class ProblemDocument(BaseModel):
    """An RFC 9457 problem: `type`, `title`, `status`, `detail`, and `errors` where there are several."""

    type: str = Field(
        examples=[PROBLEM_BASE + "not-found"], description="URI identifying the kind of problem."
    )
    title: str = Field(examples=["Not found"], description="Short summary of the kind of problem.")
    status: int = Field(examples=[404], description="The HTTP status code.")
    detail: str = Field(
        examples=["product 'P-404' is not loaded for tenant 'default'"],
        description="What went wrong this time.",
    )
    instance: str | None = Field(None, description="The request path.")
    errors: list[ProblemError] | None = Field(
        None, description="Every individual problem, where there are several."
    )


def problem_response(
    status: int, slug: str, title: str, detail: str, instance: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **(extra or {}),
    }
    headers: dict[str, str] = {}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(TracegraphError)
    async def _domain(request: Request, exc: TracegraphError) -> JSONResponse:
        if exc.status >= 500:
            log.error("%s: %s", type(exc).__name__, exc.detail)
        response = problem_response(
            exc.status, exc.slug, exc.title, exc.detail, request.url.path, exc.extra()
        )
        if isinstance(exc, StoreUnavailableError):
            response.headers["Retry-After"] = str(exc.retry_after)
        if isinstance(exc, UnauthorizedError):  # RFC 9110: a 401 names the scheme to authenticate with
            response.headers["WWW-Authenticate"] = 'Bearer realm="tracegraph"'
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "pointer": "/" + "/".join(str(p) for p in err.get("loc", ())),
                "reason": str(err.get("msg", "invalid value")),
            }
            for err in exc.errors()
        ]
        return problem_response(
            422,
            "invalid-request",
            "Invalid request",
            f"{len(errors)} field{'s' if len(errors) != 1 else ''} failed validation",
            request.url.path,
            {"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # The framework's own refusals (unknown path, wrong method, an unparsable body) are problems too,
        # so a client handles one error format whatever the cause.
        try:
            phrase = HTTPStatus(exc.status_code).phrase
        except ValueError:
            phrase = "Error"
        response = problem_response(
            exc.status_code,
            phrase.lower().replace(" ", "-"),
            phrase,
            str(exc.detail),
            request.url.path,
        )
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(
            500,
            "internal",
            "Internal error",
            "an unexpected error occurred; it has been logged",
            request.url.path,
        )
