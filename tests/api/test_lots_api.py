"""Lots over HTTP: an EPCIS document in, the load report, lots listed and opened, a lot's trace; a
malformed document is a 422 naming every problem's JSON pointer, and another tenant's lot is a 404."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import AuthMode, Settings
from app.keys import issue_key
from app.store.memory import MemoryStore
from graph_schema import ApiRole
from tests.loaders.test_epcis import world

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "epcis"
DOC: dict[str, Any] = json.loads((FIXTURES / "all_forms.json").read_text(encoding="utf-8"))


@pytest.fixture
def store() -> MemoryStore:
    memory = MemoryStore(None)
    memory.ensure_schema()
    for tenant in ("acme", "globex"):
        memory.write_bundle(tenant, world(), "v1")
    return memory


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as test_client:
        yield test_client


def key(store: MemoryStore, tenant: str, role: ApiRole) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_key(store, tenant, role, role.value, 'cli:test').key}"}


def test_a_document_loads_and_its_lots_are_listed_opened_and_traced(
    client: TestClient, store: MemoryStore
) -> None:
    integration, auditor = key(store, "acme", ApiRole.INTEGRATION), key(store, "acme", ApiRole.AUDITOR)
    loaded = client.post("/v1/epcis", json=DOC, headers=integration)
    assert loaded.status_code == 200, loaded.text
    report = loaded.json()
    assert report["changed"] and report["events"]["created"] == 7 and report["lots"]["created"] == 5
    again = client.post("/v1/epcis", json=DOC, headers={**integration, "Content-Type": "application/ld+json"})
    assert again.json()["changed"] is False and again.json()["data_version"] == report["data_version"]

    page = client.get("/v1/lots", params={"item_id": "SHIRT", "limit": 2}, headers=auditor).json()
    assert [lot["lot_id"] for lot in page["items"]] == ["SHIRT.B1", "SHIRT.SN1"] and page["next_offset"] == 2
    rest = client.get("/v1/lots", params={"item_id": "SHIRT", "offset": 2}, headers=auditor).json()
    assert [lot["lot_id"] for lot in rest["items"]] == ["SHIRT.SN2"] and rest["next_offset"] is None
    assert [x["lot_id"] for x in client.get("/v1/lots?q=l1", headers=auditor).json()["items"]] == ["LINT.L1"]

    detail = client.get("/v1/lots/LINT.L1", headers=auditor).json()
    assert detail["lot"]["facility_id"] == "F-GIN" and detail["item_name"] == "Item LINT"
    assert [i["lot_id"] for i in detail["inputs"]] == ["SEED.S1"]
    assert [o["lot_id"] for o in detail["outputs"]] == ["SHIRT.B1", "SHIRT.SN1", "SHIRT.SN2"]
    # The documents of every event that names the lot: the trader's PO, the invoice of the sewing.
    assert [d["document_id"] for d in detail["documents"]] == ["D-INV", "D-PO"]
    assert [e["type"] for e in detail["events"]][:2] == ["TransformationEvent", "AggregationEvent"]
    # The lot's GS1 identifier finds it too.
    by_urn = client.get("/v1/lots/urn:epc:class:lgtin:6920002.000077.L1", headers=auditor).json()
    assert by_urn["lot"]["lot_id"] == "LINT.L1"

    trace = client.get("/v1/lots/SHIRT.B1/trace", headers=auditor)
    assert trace.status_code == 200
    body = trace.json()
    assert body["lot_id"] == "SHIRT.B1" and body["verdict"] == "presumption_applies"  # the Aksu gin
    assert body["findings"][0]["facility_id"] == "F-GIN"
    assert [h["lot_id"] for h in body["findings"][0]["path"]] == ["SHIRT.B1", "LINT.L1"]
    # The product's own trace now shows which of its links lot records back.
    product = client.get("/v1/products/SHIRT/trace", headers=auditor).json()
    assert {e["target"]: e["lot_ids"] for e in product["supply_map"]["edges"]}["LINT@F-GIN"] == ["LINT.L1"]


def test_a_malformed_document_is_a_422_listing_pointers_and_loads_nothing(
    client: TestClient, store: MemoryStore
) -> None:
    importer = key(store, "acme", ApiRole.IMPORTER)
    bad = copy.deepcopy(DOC)
    bad["schemaVersion"] = "1.2"
    bad["epcisBody"]["eventList"][3]["bizLocation"]["id"] = "urn:tracegraph:facility:F-ELSEWHERE"
    del bad["epcisBody"]["eventList"][1]["eventTime"]
    response = client.post("/v1/epcis", json=bad, headers=importer)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/epcis-invalid") and "nothing was loaded" in problem["detail"]
    assert [(e["pointer"], e["reason"]) for e in problem["errors"]] == [
        ("/epcisBody/eventList/1/eventTime", "eventTime is required"),
        ("/epcisBody/eventList/3/bizLocation/id", "facility 'F-ELSEWHERE' names no loaded facility"),
        ("/schemaVersion", 'expected schemaVersion "2.0"'),
    ]
    assert store.data_version("acme") == "v1"
    assert client.get("/v1/lots", headers=importer).json()["items"] == []
    not_json = client.post(
        "/v1/epcis", content=b"{nope", headers={**importer, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 422


def test_another_tenants_lot_is_a_404_like_a_lot_nobody_has(client: TestClient, store: MemoryStore) -> None:
    assert client.post("/v1/epcis", json=DOC, headers=key(store, "acme", ApiRole.IMPORTER)).status_code == 200
    other = key(store, "globex", ApiRole.AUDITOR)
    for path in ("/v1/lots/LINT.L1", "/v1/lots/LINT.L1/trace", "/v1/lots/NOPE.X"):
        response = client.get(path, headers=other)
        assert response.status_code == 404, path
        assert "not recorded for tenant 'globex'" in response.json()["detail"]
    assert client.get("/v1/lots", headers=other).json()["items"] == []
    # An auditor reads lots but cannot load them.
    assert client.post("/v1/epcis", json=DOC, headers=other).status_code == 403


def test_documents_attached_later_show_on_the_lot_and_its_trace_once(
    client: TestClient, store: MemoryStore
) -> None:
    """A bill of lading found after the EPCIS feed: attached to the seed-cotton lot, it is on the lot, on
    the lot's hop in every trace through it, and attaching it again changes nothing."""
    importer, auditor = key(store, "acme", ApiRole.IMPORTER), key(store, "acme", ApiRole.AUDITOR)
    loaded = client.post("/v1/epcis", json=DOC, headers=importer).json()
    before = client.get("/v1/lots/SEED.S1", headers=auditor).json()
    assert "D-BL" not in [d["document_id"] for d in before["documents"]]

    attached = client.post("/v1/lots/SEED.S1/documents", json={"document_ids": ["D-BL"]}, headers=importer)
    assert attached.status_code == 200, attached.text
    report = attached.json()
    assert report["changed"] and report["previous_data_version"] == loaded["data_version"]
    assert report["data_version"] != loaded["data_version"]  # cached traces and packs refresh
    assert [d["document_ids"] for d in report["documents_linked"]] == [["D-BL"]]

    after = client.get("/v1/lots/SEED.S1", headers=auditor).json()
    assert "D-BL" in [d["document_id"] for d in after["documents"]]
    assert after["lot"]["facility_id"] == before["lot"]["facility_id"]  # an attachment makes nothing
    trace = client.get("/v1/lots/SHIRT.B1/trace", headers=auditor).json()
    seed_hops = [h for f in trace["findings"] for h in f["path"] if h["lot_id"] == "SEED.S1"]
    seed_hops += [h for g in trace["gaps"] for h in g["path"] if h["lot_id"] == "SEED.S1"]
    seed_edges = [e for e in trace["supply_map"]["edges"] if e["target"].startswith("SEED.S1")]
    assert seed_edges and all("D-BL" in e["document_ids"] for e in seed_edges)
    assert all("D-BL" in [d["document_id"] for d in h["documents"]] for h in seed_hops)

    again = client.post("/v1/lots/SEED.S1/documents", json={"document_ids": ["D-BL"]}, headers=importer)
    assert again.json()["changed"] is False and again.json()["data_version"] == report["data_version"]

    unknown = client.post("/v1/lots/SEED.S1/documents", json={"document_ids": ["D-NOPE"]}, headers=importer)
    assert unknown.status_code == 404 and "D-NOPE" in unknown.json()["detail"]
    nolot = client.post("/v1/lots/SEED.NOPE/documents", json={"document_ids": ["D-BL"]}, headers=importer)
    assert nolot.status_code == 404
    other = client.post(  # another tenant's lot is nobody's lot
        "/v1/lots/SEED.S1/documents",
        json={"document_ids": ["D-BL"]},
        headers=key(store, "globex", ApiRole.IMPORTER),
    )
    assert other.status_code == 404
