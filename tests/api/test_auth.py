"""API keys and roles as a client meets them: 401 and 403 problems, expiry, revocation, the secret shown
once, the role matrix of every route, key-less local mode and where it is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from app.api.main import create_app
from app.api.security import ROLE_PERMISSIONS, Permission
from app.config import AuthMode, Environment, Settings, StoreBackend
from app.keys import issue_key
from app.store.memory import MemoryStore
from graph_schema import ApiRole

ADMIN, IMPORTER, AUDITOR, INTEGRATION = ApiRole.ADMIN, ApiRole.IMPORTER, ApiRole.AUDITOR, ApiRole.INTEGRATION

#: Who may call what. A route missing here fails `test_every_route_is_in_the_policy`: decide its roles.
POLICY: dict[tuple[str, str], set[ApiRole]] = {
    ("POST", "/v1/bundles"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/products"): {IMPORTER, AUDITOR},
    ("GET", "/v1/products/{product_id}/trace"): {IMPORTER, AUDITOR},
    ("POST", "/v1/screen"): {IMPORTER, INTEGRATION},
    ("POST", "/v1/reviews"): {IMPORTER},
    ("GET", "/v1/lists"): {IMPORTER, AUDITOR, INTEGRATION},
    ("POST", "/v1/screenings"): {IMPORTER, INTEGRATION},
    ("POST", "/v1/records"): {IMPORTER, INTEGRATION},
    ("POST", "/v1/sourcing/deactivate"): {IMPORTER, INTEGRATION},
    ("PUT", "/v1/companies/{record_id}"): {IMPORTER, INTEGRATION},
    ("PUT", "/v1/facilities/{record_id}"): {IMPORTER, INTEGRATION},
    ("PUT", "/v1/items/{record_id}"): {IMPORTER, INTEGRATION},
    ("PUT", "/v1/documents/{record_id}"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/screenings/{job_id}"): {IMPORTER, AUDITOR, INTEGRATION},
    ("POST", "/v1/screenings/{job_id}/cancel"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/screenings/{job_id}/results"): {IMPORTER, AUDITOR, INTEGRATION},
    ("POST", "/v1/tenants/{tenant}/keys"): {ADMIN},
    ("GET", "/v1/tenants/{tenant}/keys"): {ADMIN},
    ("DELETE", "/v1/keys/{key_id}"): {ADMIN},
    ("GET", "/v1/changes"): {IMPORTER, AUDITOR},
    ("POST", "/v1/webhooks"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/webhooks"): {IMPORTER, INTEGRATION},
    ("DELETE", "/v1/webhooks/{webhook_id}"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/checklist"): {IMPORTER, AUDITOR},
    ("GET", "/v1/products/{product_id}/readiness"): {IMPORTER, AUDITOR},
    ("POST", "/v1/sourcing/documents"): {IMPORTER, INTEGRATION},
    ("PUT", "/v1/documents/{document_id}/file"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/documents/{document_id}/file"): {IMPORTER, AUDITOR},
    ("POST", "/v1/epcis"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/lots"): {IMPORTER, AUDITOR},
    ("POST", "/v1/lots/{lot_id}/documents"): {IMPORTER, INTEGRATION},
    ("GET", "/v1/lots/{lot_id}"): {IMPORTER, AUDITOR},
    ("GET", "/v1/lots/{lot_id}/trace"): {IMPORTER, AUDITOR},
    ("GET", "/v1/products/{product_id}/evidence-pack"): {IMPORTER, AUDITOR},
    ("GET", "/v1/lots/{lot_id}/evidence-pack"): {IMPORTER, AUDITOR},
}
#: Routes that answer without a key: probes (the OpenAPI document and docs pages are not API routes).
OPEN = {("GET", "/healthz"), ("GET", "/readyz")}
#: The auditor's pages (`app/web`): any role with READ; without a key the browser is sent to the login form.
UI_POLICY: dict[tuple[str, str], set[ApiRole]] = {
    ("GET", "/ui"): {IMPORTER, AUDITOR},
    ("GET", "/ui/products/{product_id}"): {IMPORTER, AUDITOR},
    ("GET", "/ui/changes"): {IMPORTER, AUDITOR},
    ("GET", "/ui/lots/{lot_id}"): {IMPORTER, AUDITOR},
}
#: Pages open to all: the root's redirect to /ui, the login form and logout (static files are a mount).
UI_OPEN = {("GET", "/"), ("GET", "/ui/login"), ("POST", "/ui/login"), ("POST", "/ui/logout")}

ROUTES = sorted(
    (method, route.path)
    for route in create_app(Settings()).routes
    if isinstance(route, APIRoute)
    for method in route.methods
)
API_ROUTES = [r for r in ROUTES if r not in UI_POLICY and r not in UI_OPEN]
WELL_FORMED_UNKNOWN = "tg_0123456789abcdef_" + "A" * 43


def concrete(path: str) -> str:
    return path.format(
        product_id="SHIRT",
        tenant="acme",
        key_id="0123456789abcdef",
        job_id="nojob",
        webhook_id="nohook",
        record_id="R1",
        document_id="D1",
        lot_id="LINT.L1",
    )


def call(client: TestClient, method: str, path: str, headers: dict[str, str] | None = None) -> object:
    return client.request(method, concrete(path), headers=headers or {})


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(None)


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as test_client:
        yield test_client


@pytest.fixture
def keys(store: MemoryStore) -> dict[ApiRole, str]:
    """One key per role, all for tenant `acme`."""
    return {role: issue_key(store, "acme", role, f"{role} key", "cli:test").key for role in ApiRole}


# -- the policy covers every route -------------------------------------------------------------------


def test_no_route_hides_from_the_policy() -> None:
    """Every route is one the policy test can see: an included router (an opaque route in this FastAPI),
    a mounted sub-application or any other kind would carry routes that no POLICY row checks."""
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    docs = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
    for route in create_app(Settings()).routes:
        if isinstance(route, APIRoute):
            continue
        if isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            continue  # files only: no handler of ours behind it
        assert isinstance(route, Route) and route.path in docs, f"unchecked route: {route!r}"


def test_every_route_is_in_the_policy() -> None:
    assert set(ROUTES) - OPEN - UI_OPEN == set(POLICY) | set(UI_POLICY), (
        "a new route needs its roles in POLICY or UI_POLICY (and a require())"
    )


def test_the_policy_is_the_role_table() -> None:
    """POLICY restates `ROLE_PERMISSIONS`; reviews are the importer's alone, admin holds no data access."""
    assert ROLE_PERMISSIONS[AUDITOR] == {Permission.READ}
    assert ROLE_PERMISSIONS[ADMIN] == {Permission.ADMIN}
    assert Permission.REVIEW not in ROLE_PERMISSIONS[AUDITOR] | ROLE_PERMISSIONS[INTEGRATION]


@pytest.mark.parametrize(("method", "path"), [r for r in API_ROUTES if r not in OPEN])
def test_every_protected_route_refuses_requests_without_a_valid_key(
    client: TestClient, method: str, path: str
) -> None:
    for headers in (
        {},
        bearer("not-a-key"),
        bearer(WELL_FORMED_UNKNOWN),
        {"X-API-Key": WELL_FORMED_UNKNOWN},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ):
        response = call(client, method, path, headers)
        assert response.status_code == 401, (headers, response.text)  # type: ignore[attr-defined]
        assert response.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
        assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
        assert response.json()["title"] == "Unauthorized"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "path"), [r for r in API_ROUTES if r not in OPEN])
def test_role_matrix(client: TestClient, keys: dict[ApiRole, str], method: str, path: str) -> None:
    allowed = POLICY[(method, path)]
    for role, key in keys.items():
        response = call(client, method, path, bearer(key))
        status = response.status_code  # type: ignore[attr-defined]
        if role in allowed:
            assert status not in (401, 403), (role, response.text)  # type: ignore[attr-defined]
        else:
            assert status == 403, (role, response.text)  # type: ignore[attr-defined]
            assert role.value in response.json()["detail"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "path"), sorted(OPEN))
def test_probes_and_docs_need_no_key(client: TestClient, method: str, path: str) -> None:
    assert call(client, method, path).status_code == 200  # type: ignore[attr-defined]
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_openapi_declares_the_schemes_and_the_401_403_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "tg_<key_id>_<secret>",
        "description": schemes["bearer"]["description"],
    }
    assert schemes["apiKey"]["in"] == "header" and schemes["apiKey"]["name"] == "X-API-Key"
    for method, path in API_ROUTES:
        operation = spec["paths"][path][method.lower()]
        if (method, path) in OPEN:
            assert "security" not in operation
            continue
        assert {"bearer", "apiKey"} <= {name for req in operation["security"] for name in req}
        for status in ("401", "403"):
            assert "application/problem+json" in operation["responses"][status]["content"]


@pytest.mark.parametrize(("method", "path"), sorted(UI_POLICY))
def test_pages_send_a_keyless_browser_to_login_and_follow_the_role_table(
    client: TestClient, keys: dict[ApiRole, str], method: str, path: str
) -> None:
    for headers in ({}, bearer(WELL_FORMED_UNKNOWN)):
        response = client.request(method, concrete(path), headers=headers, follow_redirects=False)
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/ui/login?next=")
    for role, key in keys.items():
        response = call(client, method, path, bearer(key))
        status = response.status_code  # type: ignore[attr-defined]
        if role in UI_POLICY[(method, path)]:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403 and "text/html" in response.headers["content-type"], role  # type: ignore[attr-defined]


def test_open_pages_need_no_key(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui"
    assert client.get("/ui/login").status_code == 200
    assert client.post("/ui/logout", follow_redirects=False).status_code == 303
    assert client.post("/ui/login", data={"key": "nonsense"}).status_code == 401
    assert {("GET", "/"), ("GET", "/ui/login")} <= set(ROUTES)


# -- keys: both headers, expiry, revocation, shown once ------------------------------------------------


def test_a_key_works_in_either_header_and_the_tenant_comes_from_it(
    client: TestClient, keys: dict[ApiRole, str]
) -> None:
    key = keys[IMPORTER]
    assert client.get("/v1/products", headers=bearer(key)).status_code == 200
    assert client.get("/v1/products", headers={"X-API-Key": key}).status_code == 200
    assert client.get("/v1/products", headers={**bearer(key), "X-API-Key": key}).status_code == 200
    both = client.get("/v1/products", headers={**bearer(key), "X-API-Key": keys[AUDITOR]})
    assert both.status_code == 400
    # X-Tenant-ID cannot move a key to another tenant; naming its own tenant is harmless.
    assert client.get("/v1/products", headers={**bearer(key), "X-Tenant-ID": "acme"}).status_code == 200
    moved = client.get("/v1/products", headers={**bearer(key), "X-Tenant-ID": "globex"})
    assert moved.status_code == 400 and "another tenant" in moved.json()["detail"]


def test_a_wrong_secret_for_a_real_key_id_is_a_401(client: TestClient, keys: dict[ApiRole, str]) -> None:
    real = keys[IMPORTER]
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    assert client.get("/v1/products", headers=bearer(forged)).status_code == 401
    assert client.get("/v1/products", headers=bearer(real)).status_code == 200


def test_an_expired_key_is_a_401(client: TestClient, store: MemoryStore) -> None:
    past = datetime.now(UTC) - timedelta(days=10)
    expired = issue_key(store, "acme", IMPORTER, "old", "cli:test", expires_in_days=1, now=past).key
    live = issue_key(store, "acme", IMPORTER, "new", "cli:test", expires_in_days=1).key
    response = client.get("/v1/products", headers=bearer(expired))
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    assert client.get("/v1/products", headers=bearer(live)).status_code == 200


def test_admin_issues_a_key_whose_secret_is_shown_once_then_revokes_it(
    client: TestClient, store: MemoryStore, keys: dict[ApiRole, str]
) -> None:
    admin = bearer(keys[ADMIN])
    body = {"role": "auditor", "name": "external audit", "expires_in_days": 30}
    created = client.post("/v1/tenants/globex/keys", json=body, headers=admin)
    assert created.status_code == 201, created.text
    issued = created.json()
    secret = issued["key"]
    assert secret.startswith(f"tg_{issued['key_id']}_") and issued["tenant"] == "globex"
    assert issued["role"] == "auditor" and issued["revoked_at"] is None
    assert issued["created_by"] == f"key:{keys[ADMIN].split('_')[1]}"
    assert "secret_hash" not in issued

    listed = client.get("/v1/tenants/globex/keys", headers=admin)
    assert listed.status_code == 200
    assert [k["key_id"] for k in listed.json()] == [issued["key_id"]]
    assert "key" not in listed.json()[0] and "secret_hash" not in listed.json()[0]
    assert secret.split("_", 2)[2] not in listed.text
    stored = store.get_api_key(issued["key_id"])
    assert stored is not None and secret not in stored.model_dump_json()

    # The new key reads globex (an empty tenant), not acme.
    assert client.get("/v1/products", headers=bearer(secret)).json() == {"items": [], "next_cursor": None}

    revoked = client.delete(f"/v1/keys/{issued['key_id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    after = client.get("/v1/products", headers=bearer(secret))
    assert after.status_code == 401 and after.headers["www-authenticate"].startswith("Bearer")
    again = client.delete(f"/v1/keys/{issued['key_id']}", headers=admin)
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]
    assert client.delete("/v1/keys/0123456789abcdef", headers=admin).status_code == 404
    assert client.get("/v1/tenants/..%2Fetc/keys", headers=admin).status_code in (404, 422)


def test_an_admin_can_revoke_its_own_key(client: TestClient, keys: dict[ApiRole, str]) -> None:
    admin = bearer(keys[ADMIN])
    key_id = keys[ADMIN].split("_")[1]
    assert client.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 200
    assert client.get("/v1/tenants/acme/keys", headers=admin).status_code == 401


def test_bad_key_requests_are_problems(client: TestClient, keys: dict[ApiRole, str]) -> None:
    admin = bearer(keys[ADMIN])
    for body in ({"role": "root", "name": "x"}, {"role": "auditor", "name": ""}, {"role": "auditor"}):
        response = client.post("/v1/tenants/acme/keys", json=body, headers=admin)
        assert response.status_code == 422, body
    forever = client.post("/v1/tenants/acme/keys", json={"role": "auditor", "name": "x"}, headers=admin)
    assert forever.status_code == 201 and forever.json()["expires_at"] is None


# -- local mode and where it is refused --------------------------------------------------------------


def test_auth_mode_defaults_to_local_only_for_the_embedded_store_in_development() -> None:
    assert Settings().auth is AuthMode.LOCAL
    assert Settings(store=StoreBackend.NEO4J).auth is AuthMode.KEYS
    assert Settings(env=Environment.PRODUCTION).auth is AuthMode.KEYS
    assert Settings(env=Environment.TEST).auth is AuthMode.KEYS
    assert Settings(store=StoreBackend.NEO4J, auth=AuthMode.LOCAL).auth is AuthMode.LOCAL  # development


def test_local_mode_is_refused_on_neo4j_in_production() -> None:
    production = {
        "store": StoreBackend.NEO4J,
        "env": Environment.PRODUCTION,
        "neo4j_password": SecretStr("s3"),
    }
    with pytest.raises(ValidationError, match="TRACEGRAPH_AUTH=local"):
        Settings(**production, auth=AuthMode.LOCAL)  # type: ignore[arg-type]
    assert Settings(**production).auth is AuthMode.KEYS  # type: ignore[arg-type]
    # Settings built without validation are checked again when the app is built.
    unchecked = Settings.model_construct(**production, auth=AuthMode.LOCAL)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="refused"):
        create_app(unchecked, store=MemoryStore(None))


def test_local_mode_acts_as_an_importer_of_the_named_tenant_and_still_honours_keys(
    store: MemoryStore,
) -> None:
    auditor = issue_key(store, "acme", AUDITOR, "audit", "cli:test").key
    with TestClient(create_app(Settings(), store=store)) as local:
        assert local.get("/v1/products", headers={"X-Tenant-ID": "globex"}).status_code == 200
        assert local.get("/v1/products").status_code == 200  # the default tenant
        # Key-less is an importer: no admin.
        assert local.get("/v1/tenants/acme/keys").status_code == 403
        # A key, when sent, is verified and decides: the auditor may not load, a bad key is a 401.
        upload = local.post("/v1/bundles", files={"file": ("b.zip", b"x")}, headers=bearer(auditor))
        assert upload.status_code == 403
        assert local.get("/v1/products", headers=bearer(WELL_FORMED_UNKNOWN)).status_code == 401
