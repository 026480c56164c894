"""Batch screening through the API: a job, its progress, its results as JSON pages, NDJSON and CSV."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.service import DEMO_DIR, DEMO_EXPECTED, TraceService
from app.store.memory import MemoryStore

EXPECTED: dict[str, str] = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
TENANT = {"X-Tenant-ID": "acme"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    store = MemoryStore(None)
    TraceService(store).load("acme", DEMO_DIR)
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def finished(client: TestClient, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        job = client.get(f"/v1/screenings/{job_id}", headers=TENANT).json()
        if job["status"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
            return dict(job)
        time.sleep(0.05)


def test_screen_all_products_then_read_results_three_ways(client: TestClient) -> None:
    created = client.post("/v1/screenings", json={"all": True}, headers=TENANT)
    assert created.status_code == 202, created.text
    job = created.json()
    assert job["total"] == len(EXPECTED) and job["status"] in ("queued", "running", "done")
    done = finished(client, job["job_id"])
    assert done["status"] == "done" and done["done"] == len(EXPECTED)

    page = client.get(f"/v1/screenings/{job['job_id']}/results?limit=4", headers=TENANT).json()
    assert len(page["items"]) == 4 and page["next_cursor"] == "4"
    rest = client.get(f"/v1/screenings/{job['job_id']}/results?cursor=4&limit=100", headers=TENANT).json()
    verdicts = {r["product_id"]: r["verdict"] for r in page["items"] + rest["items"]}
    assert verdicts == EXPECTED and rest["next_cursor"] is None

    ndjson = client.get(f"/v1/screenings/{job['job_id']}/results?format=ndjson", headers=TENANT)
    assert ndjson.headers["content-type"].startswith("application/x-ndjson")
    assert {json.loads(line)["product_id"] for line in ndjson.text.splitlines()} == set(EXPECTED)
    csv = client.get(f"/v1/screenings/{job['job_id']}/results?format=csv", headers=TENANT)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "product_id,verdict,facility_id,rule,gap"
    assert len(csv.text.splitlines()) == len(EXPECTED) + 1


def test_named_products_and_problems(client: TestClient) -> None:
    job = client.post("/v1/screenings", json={"product_ids": ["HP-PV-410"]}, headers=TENANT).json()
    assert finished(client, job["job_id"])["verdicts"] == {"presumption_applies": 1}
    unknown = client.post("/v1/screenings", json={"product_ids": ["NOPE"]}, headers=TENANT)
    assert unknown.status_code == 404 and "NOPE" in unknown.json()["detail"]
    both = client.post("/v1/screenings", json={"all": True, "product_ids": ["HP-PV-410"]}, headers=TENANT)
    assert both.status_code == 400
    # Another tenant cannot see the job, nor tell it exists.
    other = client.get(f"/v1/screenings/{job['job_id']}", headers={"X-Tenant-ID": "other"})
    assert other.status_code == 404
    missing = client.get("/v1/screenings/no-such-job/results?format=csv", headers=TENANT)
    assert missing.status_code == 404


def test_cancel_stops_a_job(client: TestClient) -> None:
    job = client.post("/v1/screenings", json={"all": True}, headers=TENANT).json()
    cancelled = client.post(f"/v1/screenings/{job['job_id']}/cancel", headers=TENANT)
    assert cancelled.status_code == 200
    final = finished(client, job["job_id"])
    # A job already finished when the cancel arrived stays done; otherwise it ends cancelled.
    assert final["status"] in ("cancelled", "done")
