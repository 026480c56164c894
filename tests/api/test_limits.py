"""Request limits as a client meets them: 413 for oversized bodies, 429 with Retry-After past the rate."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.limits import RateLimiter, client_key
from app.api.main import create_app
from app.config import Settings
from app.store.memory import MemoryStore

TENANT = {"X-Tenant-ID": "acme"}


def make_client(**settings: object) -> TestClient:
    return TestClient(create_app(Settings(**settings), store=MemoryStore(None)))  # type: ignore[arg-type]


@pytest.fixture
def small() -> Iterator[TestClient]:
    with make_client(max_request_bytes=2_000, max_upload_bytes=10_000, rate_limit_per_s=0) as client:
        yield client


def screen_body(records: int) -> bytes:
    return json.dumps(
        {"records": [{"name": f"Company {i}", "country": "VN"} for i in range(records)]}
    ).encode()


def assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    return body


def test_json_body_over_the_limit_is_refused_with_413(small: TestClient) -> None:
    response = small.post(
        "/v1/screen", content=screen_body(100), headers={**TENANT, "Content-Type": "application/json"}
    )
    body = assert_problem(response, 413)
    assert "2000 bytes" in str(body["detail"])


def test_json_body_under_the_limit_is_served(small: TestClient) -> None:
    response = small.post(
        "/v1/screen", content=screen_body(2), headers={**TENANT, "Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_streamed_body_without_length_is_cut_off_at_the_limit(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        data = screen_body(100)
        for start in range(0, len(data), 500):
            yield data[start : start + 500]

    response = small.post(
        "/v1/screen", content=chunks(), headers={**TENANT, "Content-Type": "application/json"}
    )
    assert_problem(response, 413)


def test_upload_over_the_limit_is_refused_with_413(small: TestClient) -> None:
    response = small.post(
        "/v1/bundles", files={"file": ("bundle.zip", b"x" * 200_000, "application/zip")}, headers=TENANT
    )
    assert_problem(response, 413)


def test_upload_under_the_request_limit_but_over_the_upload_limit_is_refused() -> None:
    with make_client(max_request_bytes=10_000_000, max_upload_bytes=1_000, rate_limit_per_s=0) as client:
        response = client.post(
            "/v1/bundles", files={"file": ("bundle.zip", b"x" * 5_000, "application/zip")}, headers=TENANT
        )
    assert_problem(response, 413)


def test_a_document_file_may_be_as_large_as_an_upload_not_only_a_json_request() -> None:
    """A scanned bill of lading is a file: it gets the upload limit, and past it the same 413."""
    with make_client(max_request_bytes=1_000, max_upload_bytes=10_000, rate_limit_per_s=0) as client:
        passed = client.put("/v1/documents/NOPE/file", content=b"%PDF" + b"x" * 5_000, headers=TENANT)
        assert passed.status_code == 404  # past the size guard: the route says the document is unknown
        assert_problem(client.put("/v1/documents/NOPE/file", content=b"x" * 20_000, headers=TENANT), 413)
        assert_problem(  # other routes keep the JSON limit
            client.post(
                "/v1/screen", content=screen_body(50), headers={**TENANT, "Content-Type": "application/json"}
            ),
            413,
        )


def test_client_over_its_rate_gets_429_with_retry_after_and_others_are_unaffected() -> None:
    with make_client(rate_limit_per_s=0.01, rate_limit_burst=3) as client:
        for _ in range(3):
            assert client.get("/v1/products", headers=TENANT).status_code == 200
        refused = client.get("/v1/products", headers=TENANT)
        body = assert_problem(refused, 429)
        assert body["type"] == "https://tracegraph.dev/problems/rate-limited"
        assert int(refused.headers["Retry-After"]) >= 1
        # another tenant from the same address has its own bucket; so has a request with an API key
        assert client.get("/v1/products", headers={"X-Tenant-ID": "other"}).status_code == 200
        keyed = client.get("/v1/products", headers={**TENANT, "X-API-Key": "tg_k1_secret"})
        assert keyed.status_code != 429
        # health probes are never limited
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_rate_and_size_limits_are_in_the_openapi_document(small: TestClient) -> None:
    spec = small.get("/openapi.json").json()
    trace = spec["paths"]["/v1/products/{product_id}/trace"]["get"]["responses"]
    assert {"413", "429"} <= trace.keys()
    assert "429" not in spec["paths"]["/healthz"]["get"]["responses"]


@pytest.mark.parametrize(
    ("headers", "host", "expected"),
    [
        ({"authorization": "Bearer tg_ab12_s3cr_et"}, "10.0.0.1", "key:ab12"),
        ({"x-api-key": "tg_ab12_secret"}, None, "key:ab12"),
        ({"authorization": "Bearer not-a-key", "x-api-key": "tg_zz_x"}, "h", "key:zz"),
        ({"authorization": "Basic dXNlcg==", "x-tenant-id": "acme"}, "10.0.0.1", "tenant:acme@10.0.0.1"),
        ({}, None, "tenant:@-"),
    ],
)
def test_client_key_prefers_the_api_key_id(headers: dict[str, str], host: str | None, expected: str) -> None:
    assert client_key(headers, host) == expected


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(rate=2.0, burst=2, clock=lambda: now[0])
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.acquire("a") == 0
    assert limiter.acquire("b") == 0  # buckets are per key
