"""The auditor's trace page shows the records of the trace it draws: the same ones the evidence pack is
built from, so a document, an issuer or an owner an auditor reads on the page is the one the importer
submits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import AuthMode, Settings
from app.keys import issue_key
from app.service import TraceService
from app.store.memory import MemoryStore
from graph_schema import ApiRole, ItemKind

TENANT = "acme"


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore(None)
    service = TraceService(store)
    service.start()
    service.load_demo(TENANT)
    return store


@pytest.fixture(scope="module")
def client(store: MemoryStore) -> Iterator[TestClient]:
    auditor = issue_key(store, TENANT, ApiRole.AUDITOR, "audit", "cli:test").key
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {auditor}"
        yield test_client


def page_data(client: TestClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    found = re.search(r'<script type="application/json" id="trace-data">(.*?)</script>', response.text, re.S)
    assert found is not None, "the page embeds no trace document"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def demo_products(store: MemoryStore) -> list[str]:
    return [item.item_id for item in store.list_items(TENANT, kind=ItemKind.PRODUCT, limit=500)]


def test_every_exhibit_of_the_pack_is_on_the_page_with_its_issuer(
    client: TestClient, store: MemoryStore
) -> None:
    checked = 0
    for product_id in demo_products(store):
        data = page_data(client, f"/ui/products/{product_id}")
        pack = client.get(f"/v1/products/{product_id}/evidence-pack", params={"format": "json"}).json()
        for exhibit in pack["exhibits"]:
            if not exhibit["on_file"]:
                assert exhibit["document_id"] not in data["documents"]
                continue
            shown = data["documents"][exhibit["document_id"]]
            assert shown["sha256"] == exhibit["sha256"]
            if exhibit["issuer_company_id"]:
                issuer = data["companies"][exhibit["issuer_company_id"]]
                assert issuer["name"] == exhibit["issuer_name"]
                checked += 1
        for party in pack["parties"]:
            if party["company_id"] and party["company_name"]:
                assert data["companies"][party["company_id"]]["name"] == party["company_name"]
    assert checked, "the demo should have documents with issuers"


def test_a_facilitys_operator_and_its_owner_are_on_the_page(client: TestClient, store: MemoryStore) -> None:
    owned = 0
    for product_id in demo_products(store):
        data = page_data(client, f"/ui/products/{product_id}")
        for facility in data["facilities"].values():
            operator = data["companies"][facility["company_id"]]
            if operator["parent_company_id"]:
                assert operator["parent_company_id"] in data["companies"]
                owned += 1
    assert owned, "the demo should have an operator with a parent company"


def test_a_lot_page_shows_the_records_of_its_pack(client: TestClient, store: MemoryStore) -> None:
    lots = client.get("/v1/lots", params={"limit": 5}).json()["items"]
    assert lots, "the demo should have lots"
    for lot in lots:
        data = page_data(client, f"/ui/lots/{lot['lot_id']}")
        pack = client.get(f"/v1/lots/{lot['lot_id']}/evidence-pack", params={"format": "json"}).json()
        on_file = {e["document_id"] for e in pack["exhibits"] if e["on_file"]}
        assert on_file <= data["documents"].keys()
        assert data["trace"]["lot_id"] == lot["lot_id"]
