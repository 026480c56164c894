"""End to end: the demo through the HTTP API on both stores, every product traced, answers identical.

This is the test behind the README's promise: the embedded store and a real Neo4j server give the
same verdict documents, byte for byte, for the same data.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.service import DEMO_DIR, DEMO_EXPECTED
from app.store.base import GraphStore
from app.store.memory import MemoryStore

EXPECTED = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))


def zip_dir(directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def traces_through_api(store: GraphStore, tenant: str, bundle: bytes) -> dict[str, str]:
    """Load the bundle over HTTP, then trace every listed product; returns product -> trace JSON text."""
    headers = {"X-Tenant-ID": tenant}
    with TestClient(create_app(Settings(), store=store)) as client:
        loaded = client.post("/v1/bundles", files={"file": ("demo.zip", bundle)}, headers=headers)
        assert loaded.status_code == 200, loaded.text
        products: list[str] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {"limit": 4}
            if cursor:
                params["cursor"] = cursor
            page = client.get("/v1/products", headers=headers, params=params).json()
            products += [p["product_id"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        out = {}
        for product_id in products:
            response = client.get(f"/v1/products/{product_id}/trace", headers=headers)
            assert response.status_code == 200, response.text
            out[product_id] = response.text
        return out


def test_demo_verdicts_on_the_embedded_store(tmp_path: Path, tenant: str) -> None:
    traces = traces_through_api(MemoryStore(tmp_path / "g.json"), tenant, zip_dir(DEMO_DIR))
    verdicts = {pid: json.loads(text)["verdict"] for pid, text in traces.items()}
    assert verdicts == EXPECTED
    assert set(verdicts.values()) == {
        "presumption_applies",
        "needs_review",
        "incomplete_trace",
        "no_risk_found",
    }
    for text in traces.values():
        doc = json.loads(text)
        for finding in doc["findings"]:
            assert finding["path"] and finding["signals"], "a finding without its evidence path is a bug"
            assert finding["path"][-1]["facility_id"] == finding["facility_id"]


@pytest.mark.neo4j
def test_demo_through_the_api_on_neo4j_matches_the_embedded_store(
    tmp_path: Path, tenant: str, neo4j_store: GraphStore
) -> None:
    bundle = zip_dir(DEMO_DIR)
    on_neo4j = traces_through_api(neo4j_store, tenant, bundle)
    embedded = traces_through_api(MemoryStore(tmp_path / "g.json"), tenant, bundle)
    assert sorted(on_neo4j) == sorted(EXPECTED)
    assert {pid: json.loads(t)["verdict"] for pid, t in on_neo4j.items()} == EXPECTED
    for product_id in EXPECTED:
        assert on_neo4j[product_id] == embedded[product_id], product_id
