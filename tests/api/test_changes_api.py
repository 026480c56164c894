"""`GET /v1/changes` and `/v1/webhooks` as a client meets them: the feed catches up by itself, pages, and
refuses bad parameters as problems; webhooks are created (secret once), listed, logged and deleted; with
the worker on, a list change reaches a subscribed receiver without anyone asking."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.service import DEMO_DIR, TraceService
from app.store.memory import MemoryStore
from tests.test_changes import add_list
from tests.test_webhooks import Receiver, list_change, receiver  # noqa: F401 (a fixture)

H = {"X-Tenant-ID": "acme"}


@pytest.fixture
def store(tmp_path: Path) -> MemoryStore:
    memory = MemoryStore(tmp_path / "graph.json")
    TraceService(memory).load("acme", DEMO_DIR)
    return memory


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    settings = Settings(run_change_tracker=False, webhook_allow_private=True)
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


def service(client: TestClient) -> TraceService:
    svc: TraceService = client.app.state.service  # type: ignore[attr-defined]
    return svc


def test_the_feed_catches_up_by_itself_and_pages(client: TestClient, list_name: str) -> None:
    first = client.get("/v1/changes", headers=H)
    assert first.status_code == 200 and first.json() == {"items": [], "next_cursor": None}  # the seed
    # A list loaded by another process: the next request catches up before answering.
    add_list(service(client).store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
    page = client.get("/v1/changes", params={"limit": 1}, headers=H).json()
    (newest,) = page["items"]
    assert newest["cause"]["lists"][list_name]["after"] == f"{list_name}:v1"
    assert newest["finding"]["reference"] == f"{list_name}:v1"
    older = client.get("/v1/changes", params={"limit": 100, "cursor": page["next_cursor"]}, headers=H).json()
    assert [c["seq"] for c in older["items"]] == list(range(newest["seq"] - 1, 0, -1))
    since = client.get("/v1/changes", params={"since": newest["seq"] - 1}, headers=H).json()
    assert [c["seq"] for c in since["items"]] == [newest["seq"]]
    other = client.get("/v1/changes", headers={"X-Tenant-ID": "globex"}).json()
    assert other["items"] == []  # another tenant's feed is its own


def test_bad_feed_parameters_are_problems_naming_the_parameter(client: TestClient) -> None:
    response = client.get("/v1/changes", params={"since": "yesterday"}, headers=H)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "'since'" in response.json()["detail"]
    assert client.get("/v1/changes", params={"cursor": "abc"}, headers=H).status_code == 400
    assert client.get("/v1/changes", params={"subject_kind": "pallet"}, headers=H).status_code == 422


def test_webhooks_are_created_listed_logged_and_deleted(
    client: TestClient,
    receiver: Receiver,  # noqa: F811
    list_name: str,
) -> None:
    assert client.get("/v1/changes", headers=H).json()["items"] == []  # the seed
    created = client.post("/v1/webhooks", json={"url": receiver.url, "description": "inbox"}, headers=H)
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["verdict.changed"]
    listed = client.get("/v1/webhooks", headers=H).json()
    assert [h["webhook_id"] for h in listed] == [hook["webhook_id"]] and "secret" not in listed[0]
    assert client.get("/v1/webhooks", headers={"X-Tenant-ID": "globex"}).json() == []
    list_change(service(client), list_name)
    service(client).webhooks.dispatch_due()
    log = client.get(f"/v1/webhooks/{hook['webhook_id']}/deliveries", headers=H).json()
    assert [d["status"] for d in log] == ["delivered"] and log[0]["attempts"][0]["status"] == 200
    assert "body" not in log[0]
    assert client.delete(f"/v1/webhooks/{hook['webhook_id']}", headers=H).status_code == 204
    assert client.get(f"/v1/webhooks/{hook['webhook_id']}/deliveries", headers=H).status_code == 404
    assert client.delete(f"/v1/webhooks/{hook['webhook_id']}", headers=H).status_code == 404


def test_a_webhook_url_must_be_http(client: TestClient) -> None:
    response = client.post("/v1/webhooks", json={"url": "ftp://example.com/x"}, headers=H)
    assert response.status_code == 400 and "url" in response.json()["detail"]
    assert (
        client.post("/v1/webhooks", json={"url": "https://x.example", "events": []}, headers=H).status_code
        == 422
    )


def test_with_the_worker_on_a_list_change_reaches_the_receiver_unasked(
    store: MemoryStore,
    receiver: Receiver,  # noqa: F811
    list_name: str,
) -> None:
    settings = Settings(run_change_tracker=True, change_poll_s=0.05, webhook_allow_private=True)
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/v1/changes", headers=H).status_code == 200  # seeded before the list moves
        assert client.post("/v1/webhooks", json={"url": receiver.url}, headers=H).status_code == 201
        add_list(store, list_name, f"{list_name}:v1", "Karnaphuli Spinning Mills Ltd.")
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert receiver.received, "the worker did not deliver the change"
