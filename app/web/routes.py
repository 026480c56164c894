"""The auditor's view: server-rendered pages under `/ui`, served by the API's own app.

Pages read through the same service calls and the same permission as the API (`Permission.READ`, so an
auditor's key suffices). A page embeds the document it shows (`app.web.view`), so the graph and its
panel need no authenticated XHR. Browsers cannot send an `Authorization` header on a link, so
`/ui/login` verifies a key like the API does and keeps it in an HttpOnly, SameSite=Strict cookie that
`app.api.security.authenticate` accepts on GET and HEAD only (see `SESSION_COOKIE`).

Errors on a page are pages too: a missing or rejected key sends the browser to the login form, any
other domain error renders its status, title and detail as HTML (`PageRoute`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, cast
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.api.routing import add_router
from app.api.security import (
    ROLE_PERMISSIONS,
    SESSION_COOKIE,
    Permission,
    Principal,
    require,
)
from app.config import AuthMode, Settings
from app.errors import ForbiddenError, TracegraphError, UnauthorizedError
from app.keys import KeyVerifier
from app.service import TraceService, TraceView
from app.trace.models import LotTraceResult
from app.web import view

log = logging.getLogger("tracegraph.web")

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
#: pack formats offered for download, as `GET /v1/products/{id}/evidence-pack?format=` names them
PACK_FORMATS = ("pdf", "html", "json", "csv")
#: changes shown per page of the feed
CHANGES_PER_PAGE = 100
#: pages run only their own scripts: the embedded trace is data, never markup or code (cytoscape sets
#: inline styles on its canvas, hence 'unsafe-inline' for styles alone)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class PageRoute(APIRoute):
    """A route whose domain errors answer as pages: the login form for 401, an HTML error otherwise."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except UnauthorizedError:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                redirect = RedirectResponse(f"/ui/login?next={quote(target, safe='')}", status_code=303)
                if SESSION_COOKIE in request.cookies:  # a revoked or expired key: forget it
                    redirect.delete_cookie(SESSION_COOKIE, path="/")
                return redirect
            except TracegraphError as e:
                if e.status >= 500:
                    log.error("%s on %s: %s", type(e).__name__, request.url.path, e.detail)
                response = error_page(request, e.status, e.title, e.detail)
                if e.status == 503:
                    response.headers["Retry-After"] = str(getattr(e, "retry_after", 5))
            response.headers.update(SECURITY_HEADERS)
            return response

        return page_handler


router = APIRouter(route_class=PageRoute, include_in_schema=False)
PageReader = Annotated[Principal, Depends(require(Permission.READ))]


def get_service(request: Request) -> TraceService:
    """The app's service (created by the API's lifespan)."""
    svc: TraceService = request.app.state.service
    return svc


Svc = Annotated[TraceService, Depends(get_service)]


def render(
    request: Request, template: str, context: dict[str, Any], principal: Principal | None, status: int = 200
) -> HTMLResponse:
    """A page with what every page shows in its header: who is reading, in which mode."""
    settings: Settings = request.app.state.settings
    return templates.TemplateResponse(
        request,
        template,
        {
            **context,
            "principal": principal,
            "local_mode": settings.auth is AuthMode.LOCAL,
            "signed_in": SESSION_COOKIE in request.cookies,
            "verdict_labels": view.VERDICT_LABELS,
        },
        status_code=status,
    )


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    """An error as a page a person can read and navigate away from."""
    return render(request, "error.html", {"status": status, "title": title, "detail": detail}, None, status)


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path on this site, so the form cannot be an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/ui"
    return target


def check_same_origin(request: Request) -> None:
    """Refuse a form posted from another site (login CSRF); browsers send `Origin` on every POST."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise ForbiddenError("this form must be sent from the site's own pages")


@router.get("/")
def home() -> RedirectResponse:
    """The service's root opens the auditor's view."""
    return RedirectResponse("/ui", status_code=307)


@router.get("/ui")
def search_page(
    request: Request,
    svc: Svc,
    caller: PageReader,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Search products by ID or name, with each verdict and the count per verdict, and lots by ID."""
    products, more = view.search_products(svc, caller.tenant, q)
    lots, more_lots = view.search_lots(svc, caller.tenant, q)
    context = {
        "q": q,
        "products": products,
        "more": more,
        "max_results": view.MAX_SEARCH_RESULTS,
        "counts": view.verdict_counts(products),
        "lots": lots,
        "more_lots": more_lots,
        "max_lots": view.MAX_SEARCH_LOTS,
    }
    return render(request, "search.html", context, caller)


@router.get("/ui/products/{product_id}")
def product_page(request: Request, svc: Svc, caller: PageReader, product_id: str) -> HTMLResponse:
    """One product: verdict, the tier graph, findings with their paths, gaps, readiness, the packs."""
    base = f"/v1/products/{quote(product_id, safe='')}/evidence-pack"
    return _trace_page(request, caller, svc.product_view(caller.tenant, product_id), base)


@router.get("/ui/lots/{lot_id}")
def lot_page(request: Request, svc: Svc, caller: PageReader, lot_id: str) -> HTMLResponse:
    """One lot: the product page's layout, from the lot's trace through its recorded inputs."""
    lot = svc.lot_view(caller.tenant, lot_id)
    base = f"/v1/lots/{quote(cast(LotTraceResult, lot.trace).lot_id, safe='')}/evidence-pack"
    return _trace_page(request, caller, lot, base)


def _trace_page(request: Request, caller: Principal, shown: TraceView, pack_base: str) -> HTMLResponse:
    """The product and lot pages are one page: a lot trace has every field of a product trace."""
    trace = shown.trace.model_dump(mode="json")
    readiness = shown.readiness.model_dump(mode="json")
    page = view.trace_view(trace, shown.records)
    page["readiness"] = readiness
    context = {
        "trace": trace,
        "page": page,
        "packs": [(fmt, f"{pack_base}?format={fmt}") for fmt in PACK_FORMATS],
        "readiness": readiness,
        "readiness_rows": view.readiness_rows(readiness, trace),
        "undocumented": view.undocumented_links(trace),
    }
    return render(request, "trace.html", context, caller)


@router.get("/ui/changes")
def changes_page(
    request: Request,
    svc: Svc,
    caller: PageReader,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The change feed: which verdicts changed, from what to what, after what, and the finding that did it.

    Like `GET /v1/changes`, the tenant is caught up first, so the page is never behind the data.
    """
    svc.changes.catch_up(caller.tenant)
    page = svc.changes.feed(caller.tenant, cursor=cursor, limit=CHANGES_PER_PAGE)
    context = {
        "changes": [c.model_dump(mode="json") for c in page.items],
        "next_cursor": page.next_cursor,
        "state": svc.changes.state(caller.tenant),
    }
    return render(request, "changes.html", context, caller)


@router.get("/ui/login")
def login_form(
    request: Request, next_page: Annotated[str | None, Query(alias="next")] = None
) -> HTMLResponse:
    """The form that turns an API key into the browser's session cookie."""
    return render(request, "login.html", {"next": safe_next(next_page), "error": None}, None)


@router.post("/ui/login")
def login(
    request: Request,
    svc: Svc,
    key: Annotated[str, Form(max_length=200)],
    next_page: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    """Verify the key as the API would; keep it in an HttpOnly, SameSite=Strict cookie for GET requests.

    A key whose role cannot read (integration, admin) is refused here rather than let through to pages
    that would all answer 403.
    """
    check_same_origin(request)
    target = safe_next(next_page)
    verifier: KeyVerifier = request.app.state.key_verifier
    try:
        stored = verifier.verify(svc.store, key.strip())
    except UnauthorizedError as e:
        return render(request, "login.html", {"next": target, "error": e.detail}, None, 401)
    if Permission.READ not in ROLE_PERMISSIONS[stored.role]:
        error = f"the {stored.role.value} role cannot read products; use an auditor or importer key"
        return render(request, "login.html", {"next": target, "error": error}, None, 403)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        key.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/ui/logout")
def logout(request: Request) -> Response:
    """Forget the browser's key."""
    check_same_origin(request)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def add_routes(app: FastAPI) -> None:
    """Mount the pages and their static files (cytoscape, the graph script, the style sheet) on `app`.

    The pages are added one by one (`app.api.routing`), so the policy test sees every page.
    """
    add_router(app, router, include_in_schema=False, route_class=PageRoute)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
