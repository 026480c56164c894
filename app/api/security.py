"""Who is calling: API keys to a `Principal` (tenant, role), and what each role may do.

Every route except the operational ones (`/healthz`, `/readyz`, the OpenAPI document and its pages)
depends on `require(permission)`, so the tenant of every store call comes from a verified key and never
from what the client claims. The role -> permission table below is the whole policy.

- Keys come as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Missing, malformed, unknown,
  expired or revoked: 401 with `WWW-Authenticate: Bearer`. Valid but without the permission: 403.
- Key-less local mode (`TRACEGRAPH_AUTH=local`, the default only for the embedded store in
  development, refused for Neo4j in production by `app.config.check_auth`): a request without a key
  acts as an `importer` of `X-Tenant-ID` (or `default_tenant`), which keeps `make demo` and local
  scripts working; a key, when sent, is verified and used as in keys mode.
- Browsers: `/ui/login` keeps a verified key in an HttpOnly, SameSite=Strict cookie, accepted as the key
  on GET and HEAD only (pages, pack downloads); state-changing methods need a header (no CSRF).
- With a key, the key's tenant is the tenant. An `X-Tenant-ID` naming another tenant is refused (400)
  rather than ignored, so a client that believes it writes to one tenant cannot silently write to
  another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.config import AuthMode, Settings
from app.errors import BadRequestError, ForbiddenError, UnauthorizedError
from app.keys import KeyVerifier, check_tenant_id
from app.service import TraceService
from graph_schema import ApiRole


class Permission(StrEnum):
    """What a route needs; roles grant sets of these."""

    READ = "read"  # list products, trace, list screening versions
    LOAD = "load"  # load bundles
    SCREEN = "screen"  # screen records (reads the tenant's reviews)
    REVIEW = "review"  # record a decision on a possible match (moves the tenant's data version)
    SUBSCRIBE = "subscribe"  # manage the tenant's webhooks (verdict changes pushed to its servers)
    ADMIN = "admin"  # issue, list and revoke keys of any tenant


#: The whole access policy. `admin` holds no data permission: it manages keys (for every tenant, as the
#: operator of the deployment) but cannot itself read, load or screen any tenant's data. `auditor` is
#: strictly read-only: a review changes verdicts and the tenant's data version, i.e. the record an
#: auditor is there to check, so reviews are the importer's (separation of duties).
ROLE_PERMISSIONS: Mapping[ApiRole, frozenset[Permission]] = {
    ApiRole.ADMIN: frozenset({Permission.ADMIN}),
    ApiRole.IMPORTER: frozenset(
        {Permission.READ, Permission.LOAD, Permission.SCREEN, Permission.REVIEW, Permission.SUBSCRIBE}
    ),
    ApiRole.AUDITOR: frozenset({Permission.READ}),
    ApiRole.INTEGRATION: frozenset({Permission.LOAD, Permission.SCREEN, Permission.SUBSCRIBE}),
}

#: The role of key-less requests in local mode.
LOCAL_ROLE = ApiRole.IMPORTER

#: The browser's key (`/ui/login` sets it: HttpOnly, SameSite=Strict). Read only on safe methods, so a
#: page can link to a download but no cross-site form can change anything with a visitor's cookie (CSRF).
SESSION_COOKIE = "tracegraph_key"
COOKIE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Principal:
    """The caller: the tenant every store call is scoped to, its role, and the key (None when key-less)."""

    tenant: str
    role: ApiRole
    key_id: str | None

    def can(self, permission: Permission) -> bool:
        """Whether the role grants `permission`."""
        return permission in ROLE_PERMISSIONS[self.role]


bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="tg_<key_id>_<secret>",
    description="An API key, `Authorization: Bearer tg_<key_id>_<secret>`.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKey",
    description="The same API key in the `X-API-Key` header, for clients that cannot set `Authorization`.",
)


def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
    x_tenant_id: Annotated[
        str | None,
        Header(description="Local mode without a key: the tenant to act for. With a key: must match it."),
    ] = None,
) -> Principal:
    """The verified caller; runs once per request however many routes' dependencies ask for it."""
    settings: Settings = request.app.state.settings
    token = bearer.credentials if bearer is not None else None
    if token is not None and api_key is not None and token != api_key:
        raise BadRequestError("Authorization and X-API-Key carry different keys; send one")
    token = token or api_key
    if token is None and request.method in COOKIE_METHODS:
        token = request.cookies.get(SESSION_COOKIE) or None
    if token is None:
        if settings.auth is not AuthMode.LOCAL:
            raise UnauthorizedError("an API key is required: `Authorization: Bearer <key>` or `X-API-Key`")
        tenant = check_tenant_id(x_tenant_id or settings.default_tenant)
        return Principal(tenant=tenant, role=LOCAL_ROLE, key_id=None)
    service: TraceService = request.app.state.service
    verifier: KeyVerifier = request.app.state.key_verifier
    key = verifier.verify(service.store, token)
    if x_tenant_id is not None and x_tenant_id != key.tenant:
        raise BadRequestError("X-Tenant-ID names another tenant than the API key's; omit it")
    return Principal(tenant=key.tenant, role=key.role, key_id=key.key_id)


def require(*permissions: Permission) -> Callable[..., Principal]:
    """A dependency admitting callers whose role grants any of `permissions` (403 otherwise).

    The returned function carries `.permissions`, so tests can read each route's policy.
    """

    def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not any(principal.can(p) for p in permissions):
            needed = " or ".join(p.value for p in permissions)
            raise ForbiddenError(f"the {principal.role.value} role cannot do this (needs {needed})")
        return principal

    dependency.permissions = frozenset(permissions)  # type: ignore[attr-defined]
    return dependency
