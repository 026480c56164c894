"""`POST /v1/screen`, `POST /v1/reviews` and `GET /v1/lists` as a client sees them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.store.memory import MemoryStore

TENANT = {"X-Tenant-ID": "acme"}
HOSHINE = {"name": "HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD", "country": "CN"}
UNRELATED = {"name": "Lubbock Cotton Growers Cooperative", "country": "US", "city": "Lubbock", "region": "TX"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), store=MemoryStore(None))) as test_client:
        yield test_client


def test_screen_answers_each_record_in_order_with_evidence_and_list_versions(client: TestClient) -> None:
    address = {"address": "新疆维吾尔自治区乌鲁木齐市天山区", "country": "CN"}
    response = client.post("/v1/screen", json={"records": [HOSHINE, UNRELATED, address]}, headers=TENANT)
    assert response.status_code == 200, response.text
    listed, clean, located = response.json()["results"]

    (top, *_) = listed["matches"]
    assert (top["list"], top["decision"]) == ("UFLPA", "match")
    assert "hoshine" in top["entry_id"] and top["explanation"]
    assert clean["matches"] == [] and clean["xuar"]["in_xuar"] is False

    assert located["xuar"]["in_xuar"] is True
    spans = [s["span"] for s in located["xuar"]["signals"]]
    assert any("新疆" in span or "乌鲁木齐" in span for span in spans)
    assert all(s["field"] == "address" for s in located["xuar"]["signals"] if s["kind"] == "place_name")

    # Every result names the versions it was judged against, UFLPA and the CSL lists among them.
    lists = {v["list"] for v in listed["list_versions"]}
    assert {"UFLPA", "BIS", "OFAC_SDN"} <= lists
    assert all(v["version_id"] and v["sha256"] for v in listed["list_versions"])


def test_a_rejected_match_stays_rejected_for_the_same_record_only(client: TestClient) -> None:
    first = client.post("/v1/screen", json={"records": [HOSHINE]}, headers=TENANT).json()["results"][0]
    top = first["matches"][0]
    review = {
        "subject": first["subject"],
        "list": top["list"],
        "entry_id": top["entry_id"],
        "verdict": "rejected",
        "reviewer": "a.auditor@example.com",
        "reason": "registered in Zhejiang with another USCC",
    }
    created = client.post("/v1/reviews", json=review, headers=TENANT)
    assert created.status_code == 201, created.text
    assert created.json()["verdict"] == "rejected"

    # Same record, re-exported in other case and spacing: the decision holds.
    again = {"name": "  hoshine silicon industry (shanshan) co ltd ", "country": "cn"}
    after = client.post("/v1/screen", json={"records": [again]}, headers=TENANT).json()["results"][0]
    assert after["subject"] == first["subject"]
    assert top["entry_id"] not in [m["entry_id"] for m in after["matches"]]
    # Another tenant has not decided anything.
    other = client.post("/v1/screen", json={"records": [HOSHINE]}, headers={"X-Tenant-ID": "other"})
    assert other.json()["results"][0]["matches"][0]["entry_id"] == top["entry_id"]


def test_screen_refuses_bad_requests_with_problem_documents(client: TestClient) -> None:
    empty = client.post("/v1/screen", json={"records": []}, headers=TENANT)
    assert empty.status_code == 422
    assert empty.headers["content-type"].startswith("application/problem+json")
    unknown = client.post("/v1/screen", json={"records": [{"nmae": "typo"}]}, headers=TENANT)
    assert unknown.status_code == 422 and "nmae" in unknown.text
    bad_subject = client.post(
        "/v1/reviews",
        json={
            "subject": "nobody",
            "list": "UFLPA",
            "entry_id": "x",
            "verdict": "confirmed",
            "reviewer": "a",
            "reason": "b",
        },
        headers=TENANT,
    )
    assert bad_subject.status_code == 400


def test_lists_show_the_version_in_force_per_list(client: TestClient) -> None:
    body = client.get("/v1/lists").json()
    current = {v["list"]: v for v in body["current"]}
    assert {"UFLPA", "BIS", "OFAC_SDN"} <= set(current)
    assert current["UFLPA"]["entry_count"] > 0
    assert {v["version_id"] for v in body["current"]} <= {v["version_id"] for v in body["history"]}
