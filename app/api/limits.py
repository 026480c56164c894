"""Request limits: body size and a per-client rate limit, enforced before a request reaches a route.

Both are plain ASGI middleware, so a refused request costs no parsing, no store call and no thread:

- **Body size.** JSON requests may carry `Settings.max_request_bytes`; uploads `Settings.max_upload_bytes`
  (plus room for the multipart framing): multipart requests (bundles), a document's file
  (`PUT /v1/documents/{id}/file`) and an EPCIS document (`POST /v1/epcis`), which are files, not
  requests. A declared `Content-Length` over the limit is refused before a byte of the body is read;
  a body without one (chunked) is counted as it streams in and refused as soon as it passes the limit,
  so a huge upload never sits in memory or on disk first. Either way the client gets a 413 problem document.
- **Rate.** A token bucket per client, in process: `Settings.rate_limit_per_s` tokens per second up to
  `Settings.rate_limit_burst`. The client is the API key's ID when the request carries one (read from
  `Authorization: Bearer tg_<key_id>_<secret>` or `X-API-Key`, unverified: authentication is the route's
  business, and a made-up key ID still gets the 401 it deserves), else the tenant header plus the client
  address. An empty bucket answers 429 with `Retry-After`. Liveness and readiness probes are exempt, so
  an orchestrator never mistakes a busy client for a dead service.

Several server processes each keep their own buckets; a limit shared across processes belongs in the
proxy in front of them.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response
from app.config import Settings

#: paths never rate limited: health probes must answer however busy a client is
EXEMPT_PATHS = frozenset({"/healthz", "/readyz"})
#: headroom over `max_upload_bytes` for the multipart boundary and part headers around the file
MULTIPART_OVERHEAD_BYTES = 64 * 1024
#: buckets kept at most; the least recently used goes first (a full bucket costs nothing to forget)
MAX_BUCKETS = 10_000

#: routes whose body is a file (besides multipart requests): (method, path pattern)
UPLOAD_ROUTES = (
    ("PUT", re.compile(r"^/v1/documents/[^/]+/file$")),
    ("POST", re.compile(r"^/v1/epcis$")),
)

_KEY_ID = re.compile(r"^tg_([A-Za-z0-9-]{1,64})_")
_BEARER = re.compile(r"^\s*Bearer\s+(\S+)\s*$", re.IGNORECASE)


def client_key(headers: dict[str, str], client_host: str | None) -> str:
    """Whom a request is counted against: its API key's ID if it names one, else tenant and address.

    Keyed by the key ID rather than the address, so the clients of one company behind one NAT do not
    share a budget, and one key used from many hosts does not multiply it.
    """
    tokens = [headers.get("x-api-key", "")]
    bearer = _BEARER.match(headers.get("authorization", ""))
    if bearer:
        tokens.insert(0, bearer.group(1))
    for token in tokens:
        found = _KEY_ID.match(token.strip())
        if found:
            return f"key:{found.group(1)}"
    return f"tenant:{headers.get('x-tenant-id', '')}@{client_host or '-'}"


class RateLimiter:
    """Token buckets by client key: `rate` tokens a second, at most `burst` saved up."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._max = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take one token for `key`; 0 if granted, else the seconds until one is available."""
        now = self._clock()
        with self._lock:
            tokens, stamp = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - stamp) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return wait


class _BodyTooLargeError(Exception):
    """Raised into the app's body reader when the streamed body passes the limit."""


class LimitsMiddleware:
    """Refuses oversized bodies (413) and clients over their rate (429) with problem documents."""

    def __init__(self, app: ASGIApp, settings: Settings, limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.max_request_bytes = settings.max_request_bytes
        self.max_upload_bytes = settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES
        self.max_file_bytes = settings.max_upload_bytes
        if limiter is None and settings.rate_limit_per_s > 0:
            limiter = RateLimiter(settings.rate_limit_per_s, settings.rate_limit_burst)
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.limiter is not None and path not in EXEMPT_PATHS:
            client = scope.get("client")
            wait = self.limiter.acquire(client_key(headers, client[0] if client else None))
            if wait > 0:
                retry_after = max(1, math.ceil(wait))
                response = problem_response(
                    429,
                    "rate-limited",
                    "Too many requests",
                    f"this client's request rate is limited; retry after {retry_after} s",
                    path,
                )
                response.headers["Retry-After"] = str(retry_after)
                await response(scope, receive, send)
                return
        content_type = headers.get("content-type", "").lower()
        method: str = scope.get("method", "")
        if content_type.startswith("multipart/"):
            limit = self.max_upload_bytes
        elif any(method == m and pattern.match(path) for m, pattern in UPLOAD_ROUTES):
            limit = self.max_file_bytes
        else:
            limit = self.max_request_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the app with the body counted as it streams in; past `limit`, the answer is a 413 whatever
        the app made of the aborted read (FastAPI turns it into a 400)."""
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # the app's answer to the aborted read is replaced by the 413
                if not started and message["type"] == "http.response.start":
                    started = True
                    await self._too_large(scope, receive, send, limit)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLargeError:
            if not started:
                started = True
                await self._too_large(scope, receive, send, limit)
        except Exception:
            if not exceeded:
                raise
            if not started:
                started = True
                await self._too_large(scope, receive, send, limit)

    @staticmethod
    async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            "request-too-large",
            "Request too large",
            f"the request body exceeds {limit} bytes",
            scope.get("path", ""),
        )
        response.headers["Connection"] = "close"  # the unread rest of the body is not waited for
        await response(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Put the limits in front of every route and say so in the OpenAPI document (413 and 429 on every
    operation), so clients know to expect them."""
    app.add_middleware(LimitsMiddleware, settings=settings)
    base_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = base_openapi()
        problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}}
        has_problem = "ProblemDocument" in schema.get("components", {}).get("schemas", {})
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                added = {"413": "Request body too large"}
                if path not in EXEMPT_PATHS:
                    added["429"] = "Too many requests from this client; retry after `Retry-After` seconds"
                for status, text in added.items():
                    if status not in responses:
                        responses[status] = {
                            "description": text,
                            **({"content": problem} if has_problem else {}),
                        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
