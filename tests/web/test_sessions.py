"""Signing in a browser with an API key: the cookie it gets, where that cookie counts (GET pages and
downloads) and where it never does (anything that changes data), and how the pages treat a bad key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.api.security import SESSION_COOKIE
from app.config import AuthMode, Settings
from app.keys import issue_key, revoke_key
from app.service import DEMO_DIR, TraceService
from app.store.memory import MemoryStore
from graph_schema import ApiRole


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore(None)
    service = TraceService(store)
    service.start()
    service.load("acme", DEMO_DIR)
    return store


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as test_client:
        yield test_client


def sign_in(client: TestClient, key: str, next_page: str = "/ui") -> None:
    response = client.post("/ui/login", data={"key": key, "next": next_page}, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == next_page


def test_a_page_without_a_key_sends_the_browser_to_login_and_back(
    client: TestClient, store: MemoryStore
) -> None:
    response = client.get("/ui/products/HP-SH-OXF", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login?next=%2Fui%2Fproducts%2FHP-SH-OXF"
    form = client.get(response.headers["location"])
    assert 'name="next" value="/ui/products/HP-SH-OXF"' in form.text

    auditor = issue_key(store, "acme", ApiRole.AUDITOR, "audit", "cli:test").key
    sign_in(client, auditor, "/ui/products/HP-SH-OXF")
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie == auditor
    page = client.get("/ui/products/HP-SH-OXF")
    assert page.status_code == 200 and "Presumption applies" in page.text
    assert "tenant <strong>acme</strong> · auditor" in page.text


def test_the_cookie_is_httponly_strict_and_sitewide(client: TestClient, store: MemoryStore) -> None:
    auditor = issue_key(store, "acme", ApiRole.AUDITOR, "audit", "cli:test").key
    response = client.post("/ui/login", data={"key": auditor}, follow_redirects=False)
    header = response.headers["set-cookie"].lower()
    assert header.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in header and "samesite=strict" in header and "path=/" in header
    assert "secure" not in header  # plain http (the demo); set when the request came over https


def test_the_cookie_reads_but_never_writes(client: TestClient, store: MemoryStore) -> None:
    importer = issue_key(store, "acme", ApiRole.IMPORTER, "ops", "cli:test").key
    sign_in(client, importer)
    # GET under /v1 with the cookie alone: the downloads a page links to work.
    assert client.get("/v1/products").status_code == 200
    assert client.get("/v1/products/HP-SH-OXF/trace").json()["verdict"] == "presumption_applies"
    # A state-changing request with only the cookie is anonymous, whatever the key's role (CSRF).
    screen = client.post("/v1/screen", json={"records": [{"name": "x"}]})
    assert screen.status_code == 401
    put = client.put("/v1/companies/C-X", json={"name": "X", "country": "US"})
    assert put.status_code == 401
    # The same key in a header can.
    with_header = client.post(
        "/v1/screen", json={"records": [{"name": "x"}]}, headers={"Authorization": f"Bearer {importer}"}
    )
    assert with_header.status_code == 200


def test_login_refuses_bad_keys_and_keys_that_cannot_read(client: TestClient, store: MemoryStore) -> None:
    bad = client.post("/ui/login", data={"key": "tg_0123456789abcdef_" + "A" * 43})
    assert bad.status_code == 401 and "not valid" in bad.text
    assert SESSION_COOKIE not in client.cookies
    integration = issue_key(store, "acme", ApiRole.INTEGRATION, "erp", "cli:test").key
    refused = client.post("/ui/login", data={"key": integration})
    assert refused.status_code == 403 and "integration role cannot read" in refused.text
    assert SESSION_COOKIE not in client.cookies


def test_login_only_returns_to_this_site_and_only_from_its_own_form(
    client: TestClient, store: MemoryStore
) -> None:
    auditor = issue_key(store, "acme", ApiRole.AUDITOR, "audit", "cli:test").key
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/ui/login", data={"key": auditor, "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/ui", target
    foreign = client.post(
        "/ui/login", data={"key": auditor}, headers={"Origin": "https://evil.example"}, follow_redirects=False
    )
    assert foreign.status_code == 403


def test_a_revoked_key_ends_the_session_and_logout_forgets_it(client: TestClient, store: MemoryStore) -> None:
    issued = issue_key(store, "acme", ApiRole.AUDITOR, "audit", "cli:test")
    sign_in(client, issued.key)
    assert client.get("/ui").status_code == 200
    revoke_key(store, issued.key_id)
    response = client.get("/ui", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/ui/login")
    assert SESSION_COOKIE not in client.cookies  # the stale cookie was deleted

    again = issue_key(store, "acme", ApiRole.AUDITOR, "audit 2", "cli:test").key
    sign_in(client, again)
    out = client.post("/ui/logout", follow_redirects=False)
    assert out.status_code == 303 and SESSION_COOKIE not in client.cookies
    assert client.get("/ui", follow_redirects=False).status_code == 303


def test_pages_show_only_the_keys_tenant(client: TestClient, store: MemoryStore) -> None:
    other = issue_key(store, "globex", ApiRole.AUDITOR, "audit", "cli:test").key
    sign_in(client, other)
    listing = client.get("/ui")
    assert listing.status_code == 200 and "data-product=" not in listing.text
    missing = client.get("/ui/products/HP-SH-OXF")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "not loaded for tenant" in missing.text


def test_pages_carry_a_script_policy(client: TestClient, store: MemoryStore) -> None:
    sign_in(client, issue_key(store, "acme", ApiRole.AUDITOR, "audit", "cli:test").key)
    page = client.get("/ui/products/HP-SH-OXF")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # The embedded trace cannot close its script element: names are the tenant's data.
    data = page.text.split('<script type="application/json" id="trace-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
