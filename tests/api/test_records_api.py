"""ERP-style writes: records as JSON, validated like a bundle, with pointers and idempotency keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.store.memory import MemoryStore

ACME = {"X-Tenant-ID": "acme"}
RECORDS = {
    "companies": [
        {"company_id": "C1", "name": "Shirt Maker", "country": "VN"},
        {"company_id": "C2", "name": "Gin Co", "country": "CN", "aliases": ["Gin Company", "GC"]},
    ],
    "facilities": [
        {"facility_id": "F1", "company_id": "C1", "activity": "manufacturing", "country": "VN"},
        {"facility_id": "G1", "company_id": "C2", "activity": "processing", "country": "CN", "city": "Aksu"},
    ],
    "items": [
        {"item_id": "SHIRT", "name": "Cotton shirt", "kind": "product"},
        {"item_id": "LINT", "name": "Cotton lint", "kind": "material"},
    ],
    "bom": [{"parent_item_id": "SHIRT", "component_item_id": "LINT", "quantity": 0.3, "unit": "kg"}],
    "sourcing": [
        {"item_id": "SHIRT", "supplier_facility_id": "F1"},
        {"item_id": "LINT", "supplier_facility_id": "G1", "buyer_facility_id": "F1", "share": 1},
    ],
}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), store=MemoryStore(None))) as test_client:
        yield test_client


def test_records_load_like_a_bundle_and_trace(client: TestClient) -> None:
    response = client.post("/v1/records", json=RECORDS, headers=ACME)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["changed"] is True
    assert (
        report["files"]["companies.csv"]["created"] == 2 and report["files"]["sourcing.csv"]["created"] == 2
    )
    trace = client.get("/v1/products/SHIRT/trace", headers=ACME).json()
    assert trace["verdict"] == "presumption_applies"
    assert trace["findings"][0]["facility_id"] == "G1"
    # The same records again change nothing.
    again = client.post("/v1/records", json=RECORDS, headers=ACME).json()
    assert again["changed"] is False and again["data_version"] == report["data_version"]


def test_every_problem_points_into_the_request_and_nothing_is_loaded(client: TestClient) -> None:
    bad = {
        "companies": [
            {"company_id": "C1", "name": "Fine", "country": "VN"},
            {"company_id": "C2", "name": "Bad country", "country": "XX"},
        ],
        "facilities": [{"facility_id": "F1", "company_id": "NOPE", "country": "VN"}],
    }
    response = client.post("/v1/records", json=bad, headers=ACME)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {"/companies/1/country", "/facilities/0/company_id"} <= pointers
    assert client.get("/v1/products", headers=ACME).json()["items"] == []
    # A value of the wrong shape is refused by the schema, with its own pointer.
    nested = client.post("/v1/records", json={"companies": [{"company_id": {"x": 1}}]}, headers=ACME)
    assert nested.status_code == 422 and "/companies/0/company_id" in nested.text


def test_an_idempotency_key_replays_the_first_answer(client: TestClient) -> None:
    keyed = {**ACME, "Idempotency-Key": "erp-batch-0001"}
    first = client.post("/v1/records", json=RECORDS, headers=keyed)
    replay = client.post("/v1/records", json=RECORDS, headers=keyed)
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == first.json() and replay.json()["changed"] is True  # the first answer, kept
    other = {"items": [{"item_id": "HAT", "name": "Hat", "kind": "product"}]}
    reused = client.post("/v1/records", json=other, headers=keyed)
    assert reused.status_code == 422 and "different request" in reused.json()["detail"]
    # Keys belong to their tenant: another tenant's request with the same key is its own.
    theirs = client.post(
        "/v1/records", json=RECORDS, headers={"X-Tenant-ID": "beta", "Idempotency-Key": "erp-batch-0001"}
    )
    assert theirs.status_code == 200 and "Idempotent-Replayed" not in theirs.headers


def test_put_one_record_by_id(client: TestClient) -> None:
    client.post("/v1/records", json=RECORDS, headers=ACME)
    moved = client.put(
        "/v1/facilities/G1",
        json={"company_id": "C2", "activity": "processing", "country": "US", "city": "Lubbock"},
        headers=ACME,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["files"]["facilities.csv"]["updated"] == 1
    assert client.get("/v1/products/SHIRT/trace", headers=ACME).json()["verdict"] == "no_risk_found"
    mismatch = client.put(
        "/v1/companies/C1", json={"company_id": "C9", "name": "X", "country": "VN"}, headers=ACME
    )
    assert mismatch.status_code == 400
    invalid = client.put("/v1/items/HAT", json={"name": "Hat", "kind": "hat"}, headers=ACME)
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["pointer"] == "/items/0/kind"


def test_deactivating_a_link_records_its_last_day_and_keeps_the_evidence(client: TestClient) -> None:
    client.post("/v1/records", json=RECORDS, headers=ACME)
    link = {"item_id": "LINT", "supplier_facility_id": "G1", "buyer_facility_id": "F1"}
    ended = client.post(
        "/v1/sourcing/deactivate", json={"links": [link], "as_of": "2026-10-31"}, headers=ACME
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["files"]["sourcing.csv"]["updated"] == 1
    trace = client.get("/v1/products/SHIRT/trace", headers=ACME).json()
    # Still flagged (validity never hides a risk), and the hop says the link ended.
    assert trace["verdict"] == "presumption_applies"
    assert trace["findings"][0]["path"][-1]["valid_to"] == "2026-10-31"
    unknown = {"links": [{"item_id": "LINT", "supplier_facility_id": "NOPE"}]}
    missing = client.post("/v1/sourcing/deactivate", json=unknown, headers=ACME)
    assert missing.status_code == 404 and "LINT|NOPE" in missing.json()["detail"]


def test_deactivating_a_supplier_ends_each_of_its_running_links_and_only_those(client: TestClient) -> None:
    """An ERP marks a vendor site inactive: every link it still supplies ends that day; a link that had
    ended before keeps its own day; the buyer's other links are untouched; a repeat changes nothing."""
    more = {
        "items": [{"item_id": "SEED", "name": "Seed cotton", "kind": "material"}],
        "sourcing": [
            {
                "item_id": "LINT",
                "supplier_facility_id": "G1",
                "buyer_facility_id": "F1",
                "valid_from": "2024-01-01",
                "valid_to": "2024-12-31",
            },
            {"item_id": "SEED", "supplier_facility_id": "G1", "buyer_facility_id": "F1"},
        ],
    }
    client.post("/v1/records", json=RECORDS, headers=ACME)
    client.post("/v1/records", json=more, headers=ACME)
    ended = client.post(
        "/v1/sourcing/deactivate", json={"supplier_facility_ids": ["G1"], "as_of": "2026-10-31"}, headers=ACME
    )
    assert ended.status_code == 200, ended.text
    assert ended.json()["files"]["sourcing.csv"]["updated"] == 2  # LINT and SEED from G1; not the 2024 one
    edges = client.get("/v1/products/SHIRT/trace", headers=ACME).json()["supply_map"]["edges"]
    ends = {e["sourcing_id"]: e for e in edges}
    assert {sid for sid in ends if sid.startswith("LINT|G1")} == {"LINT|G1|F1|", "LINT|G1|F1|2024-01-01"}
    hops = {
        h["sourcing_id"]: h["valid_to"]
        for f in client.get("/v1/products/SHIRT/trace", headers=ACME).json()["findings"]
        for h in f["path"]
    }
    assert hops.get("LINT|G1|F1|") == "2026-10-31"
    assert hops.get("SHIRT|F1||") is None  # the importer's own link to F1 runs on
    again = client.post(
        "/v1/sourcing/deactivate", json={"supplier_facility_ids": ["G1"], "as_of": "2026-10-31"}, headers=ACME
    )
    assert again.status_code == 200 and again.json()["files"]["sourcing.csv"]["updated"] == 0
    unknown = client.post("/v1/sourcing/deactivate", json={"supplier_facility_ids": ["NOPE"]}, headers=ACME)
    assert unknown.status_code == 404 and "NOPE" in unknown.json()["detail"]
    empty = client.post("/v1/sourcing/deactivate", json={"as_of": "2026-10-31"}, headers=ACME)
    assert empty.status_code == 422
