"""The HTTP API through httpx, as a client sees it: status codes, problem documents, payloads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.store.memory import MemoryStore

TENANT = {"X-Tenant-ID": "acme"}

FILES = {
    "companies.csv": "company_id,name,country\nC1,Shirt Maker,VN\nC2,Gin Co,CN\nC3,Ranch,US\n",
    "facilities.csv": (
        "facility_id,company_id,name,activity,region,city,country\n"
        "F1,C1,Sewing,manufacturing,,Hanoi,VN\n"
        "G1,C2,Gin,processing,Xinjiang,Aksu,CN\n"
        "G2,C3,Ranch gin,processing,Texas,Lubbock,US\n"
    ),
    "items.csv": (
        "item_id,name,kind\nSHIRT,Cotton shirt,product\nTEE,Cotton tee,product\nLINT,Cotton lint,material\n"
    ),
    "bom.csv": "parent_item_id,component_item_id,quantity,unit\nSHIRT,LINT,0.3,kg\nTEE,LINT,0.2,kg\n",
    "sourcing.csv": (
        "item_id,supplier_facility_id,buyer_facility_id,share,document_ids\n"
        "SHIRT,F1,,,D1\nTEE,F1,,,\nLINT,G1,F1,1,\nLINT,G2,F1,99,D1\n"
    ),
    "documents.csv": "document_id,type,number\nD1,commercial_invoice,INV-1\n",
}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def client() -> Iterator[TestClient]:
    store = MemoryStore(None)
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def upload(client: TestClient, data: bytes, headers: dict[str, str] = TENANT) -> object:
    return client.post(
        "/v1/bundles", files={"file": ("bundle.zip", data, "application/zip")}, headers=headers
    )


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "store": "memory"}


def test_load_then_trace_shows_verdict_with_evidence_path(client: TestClient) -> None:
    response = client.post(
        "/v1/bundles", files={"file": ("cotton.zip", zipped(FILES), "application/zip")}, headers=TENANT
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["changed"] is True
    assert report["files"]["sourcing.csv"] == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0}

    trace = client.get("/v1/products/SHIRT/trace", headers=TENANT).json()
    assert trace["verdict"] == "presumption_applies"
    finding = trace["findings"][0]
    assert finding["facility_id"] == "G1"
    assert [hop["facility_id"] for hop in finding["path"]] == ["F1", "G1"]
    assert finding["path"][1]["share"] == 1
    assert finding["signals"][0]["field"] == "region"
    assert trace["data_version"] == report["data_version"]
    assert {"UFLPA", "BIS", "OFAC_SDN", "xuar_gazetteer"} <= {r["name"] for r in trace["reference_versions"]}


def test_loading_the_same_bundle_twice_changes_nothing(client: TestClient) -> None:
    first = upload(client, zipped(FILES)).json()  # type: ignore[attr-defined]
    second = upload(client, zipped(FILES)).json()  # type: ignore[attr-defined]
    assert second["changed"] is False
    assert second["data_version"] == first["data_version"]
    assert all(c["created"] == 0 and c["updated"] == 0 for c in second["files"].values())


def test_invalid_bundle_is_a_problem_listing_every_error_and_loads_nothing(client: TestClient) -> None:
    upload(client, zipped(FILES))
    before = client.get("/v1/products/SHIRT/trace", headers=TENANT).json()
    bad = dict(FILES)
    bad["facilities.csv"] = FILES["facilities.csv"] + "F9,C404,Ghost,manufacturing,,,XX\n"
    bad["items.csv"] = FILES["items.csv"] + "HAT,Hat,hat\n"
    response = upload(client, zipped(bad))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    where = {(e["file"], e["row"], e["column"]) for e in problem["errors"]}
    assert ("facilities.csv", 5, "country") in where
    assert ("facilities.csv", 5, "company_id") in where
    assert ("items.csv", 5, "kind") in where
    assert problem["status"] == 422 and "nothing was loaded" in problem["detail"]
    after = client.get("/v1/products/SHIRT/trace", headers=TENANT).json()
    assert after == before
    assert client.get("/v1/products/HAT/trace", headers=TENANT).status_code == 404


def test_unknown_product_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/products/NOPE/trace", headers=TENANT)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not found" and "NOPE" in response.json()["detail"]


def test_products_filter_by_verdict_and_paginate(client: TestClient) -> None:
    files = dict(FILES)
    files["items.csv"] += "CAP,Cap,product\n"
    upload(client, zipped(files))
    everything = client.get("/v1/products", headers=TENANT, params={"limit": 2}).json()
    assert [p["product_id"] for p in everything["items"]] == ["CAP", "SHIRT"]
    rest = client.get(
        "/v1/products", headers=TENANT, params={"limit": 2, "cursor": everything["next_cursor"]}
    )
    assert [p["product_id"] for p in rest.json()["items"]] == ["TEE"]
    assert rest.json()["next_cursor"] is None
    incomplete = client.get("/v1/products", headers=TENANT, params={"verdict": "incomplete_trace"}).json()
    assert [p["product_id"] for p in incomplete["items"]] == ["CAP"]
    bad = client.get("/v1/products", headers=TENANT, params={"verdict": "guilty"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/query/verdict"


def test_tenants_do_not_see_each_other(client: TestClient) -> None:
    upload(client, zipped(FILES))
    other = {"X-Tenant-ID": "globex"}
    assert client.get("/v1/products/SHIRT/trace", headers=other).status_code == 404
    assert client.get("/v1/products", headers=other).json()["items"] == []
    assert client.get("/v1/products", headers={"X-Tenant-ID": "../etc"}).status_code == 400


def test_upload_limits(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(max_upload_bytes=100), store=MemoryStore(None))) as small:
        assert upload(small, zipped(FILES)).status_code == 413  # type: ignore[attr-defined]
        response = upload(small, b"")
        assert response.status_code == 400  # type: ignore[attr-defined]


def test_openapi_describes_every_field(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    undocumented = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        for prop, field in schema.get("properties", {}).items()
        if "description" not in field
    ]
    assert undocumented == []
    assert "HTTPValidationError" not in schemas  # our 422 is a problem document
    assert schemas["Signal"]["properties"]["rule"]["examples"] == ["xuar_location"]
    responses = spec["paths"]["/v1/products/{product_id}/trace"]["get"]["responses"]
    assert "404" in responses and "application/problem+json" in responses["404"]["content"]


def test_store_down_means_503_with_retry_after_and_the_service_still_starts() -> None:
    from pydantic import SecretStr

    from app.config import StoreBackend
    from app.store.neo4j_store import Neo4jStore

    # Nothing listens on this port: the service must start anyway and say so per request.
    dead = Settings(
        store=StoreBackend.NEO4J,
        neo4j_uri="bolt://127.0.0.1:9",
        neo4j_password=SecretStr("x"),
        store_timeout_s=2,
    )
    store = Neo4jStore(dead)
    # On Neo4j a request needs an API key; checking it needs the store, so a down store is a 503, not a 401.
    key = {"Authorization": "Bearer tg_0123456789abcdef_" + "x" * 43}
    try:
        with TestClient(create_app(dead, store=store)) as down:
            assert down.get("/healthz").status_code == 200
            for response in (
                down.get("/readyz"),
                down.get("/v1/products/P1/trace", headers=key),
                down.post(
                    "/v1/bundles", files={"file": ("b.zip", zipped(FILES), "application/zip")}, headers=key
                ),
            ):
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert int(response.headers["retry-after"]) > 0
    finally:
        store.close()
