"""Evidence over HTTP: the checklist in force, a product's readiness, attaching documents to a sourcing
link and uploading a document's file later, as a client sees them."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import Settings
from app.service import DEMO_DIR
from app.store.memory import MemoryStore
from loaders.checklist import DEFAULT_CHECKLIST

TENANT = {"X-Tenant-ID": "acme"}
GIN_TO_TRADER = "LINT|F-CCG-GIN|F-QHC-TRD|2025-01-01"


def demo_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(DEMO_DIR.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def make_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=MemoryStore(None))) as client:
        loaded = client.post("/v1/bundles", files={"file": ("demo.zip", demo_zip())}, headers=TENANT)
        assert loaded.status_code == 200, loaded.text
        yield client


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from make_client(Settings(document_dir=tmp_path / "documents"))


def version(client: TestClient) -> str:
    page = client.get("/v1/products", params={"limit": 1}, headers=TENANT)
    trace = client.get(f"/v1/products/{page.json()['items'][0]['product_id']}/trace", headers=TENANT)
    return str(trace.json()["data_version"])


def gin_hop(client: TestClient) -> dict[str, Any]:
    response = client.get("/v1/products/HP-SH-OXF/readiness", headers=TENANT)
    assert response.status_code == 200, response.text
    return next(h for h in response.json()["hops"] if h["sourcing_id"] == GIN_TO_TRADER)


def test_readiness_per_product_and_the_checklist_it_used(client: TestClient) -> None:
    checklist = client.get("/v1/checklist", headers=TENANT)
    assert checklist.status_code == 200
    body = checklist.json()
    assert body["checklist"]["sectors"]["cotton"]["trace_to"]["statement"].startswith("raw material")
    assert body["sha256"] == hashlib.sha256(DEFAULT_CHECKLIST.read_bytes()).hexdigest()

    readiness = client.get("/v1/products/HP-TEE-CRW/readiness", headers=TENANT).json()
    assert readiness["checklist_version"] == body["version_id"]
    assert readiness["ready"] is False and readiness["untraced_inputs"][0]["item_id"] == "YRN-30R"

    missing = client.get("/v1/products/NOPE/readiness", headers=TENANT)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_the_checklist_file_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(DEFAULT_CHECKLIST.read_text(encoding="utf-8"))
    data["version"] = "test-1"
    data["sectors"]["cotton"]["stages"] = []
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("TRACEGRAPH_EVIDENCE_CHECKLIST", str(path))
    for client in make_client(Settings()):
        assert client.get("/v1/checklist", headers=TENANT).json()["version_id"].startswith("test-1+")
        hop = gin_hop(client)
        # without the cotton stages, the gin's link is judged by the default checklist alone
        assert "cotton/gin_bale" not in hop["checklist_stages"]
        assert "isotope_test" not in [e["type"] for e in hop["expected"]]

    path.write_text('{"version": "broken"}', encoding="utf-8")
    for client in make_client(Settings()):
        broken = client.get("/v1/products/HP-SH-OXF/readiness", headers=TENANT)
        assert broken.status_code == 500
        assert broken.json()["pointer"] == "/title" and "mine.json" in broken.json()["detail"]


def test_a_file_uploaded_later_is_hashed_recorded_and_served_back(client: TestClient) -> None:
    created = client.put(
        "/v1/documents/D-BALES", json={"type": "production_record", "number": "BALE-2025-117"}, headers=TENANT
    )
    assert created.status_code == 200, created.text
    before = version(client)
    content = b"%PDF-1.7 bale register of Caprock Cooperative Gin"
    digest = hashlib.sha256(content).hexdigest()
    uploaded = client.put(
        "/v1/documents/D-BALES/file",
        content=content,
        headers={**TENANT, "Content-Type": "application/pdf", "X-Content-SHA256": digest},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["sha256"] == digest and uploaded.json()["size"] == len(content)
    assert uploaded.json()["uri"] == "/v1/documents/D-BALES/file"
    assert version(client) != before  # the document record changed like any load

    served = client.get("/v1/documents/D-BALES/file", headers=TENANT)
    assert served.status_code == 200
    assert served.content == content
    assert served.headers["x-content-sha256"] == digest
    assert served.headers["content-type"] == "application/pdf"

    # attach it to the gin's link: the trace's hop lists it and readiness no longer misses it
    assert gin_hop(client)["missing_required"] == ["production_record"]
    attached = client.post(
        "/v1/sourcing/documents",
        json={"sourcing_id": GIN_TO_TRADER, "document_ids": ["D-BALES"]},
        headers=TENANT,
    )
    assert attached.status_code == 200, attached.text
    trace = client.get("/v1/products/HP-SH-OXF/trace", headers=TENANT).json()
    (edge,) = [e for e in trace["supply_map"]["edges"] if e["sourcing_id"] == GIN_TO_TRADER]
    assert "D-BALES" in edge["document_ids"] and "D-066" in edge["document_ids"]  # added, none lost
    hop = gin_hop(client)
    assert hop["missing_required"] == [] and "D-BALES" in hop["document_ids"]


def test_a_file_whose_hash_differs_from_the_declared_one_is_refused_and_nothing_changes(
    client: TestClient, tmp_path: Path
) -> None:
    before = version(client)
    # D-001 records the hash of its real file; this is not that file
    recorded = client.put(
        "/v1/documents/D-001/file",
        content=b"something else",
        headers={**TENANT, "Content-Type": "text/plain"},
    )
    assert recorded.status_code == 409
    problem = recorded.json()
    actual = hashlib.sha256(b"something else").hexdigest()
    assert problem["actual_sha256"] == actual
    assert problem["declared_sha256"] == "172385f8a1cb51c6533b92476a4e7d6de49ecad292f6dbaf0596b25c6c0f6422"
    assert actual in problem["detail"] and problem["declared_sha256"] in problem["detail"]

    client.put("/v1/documents/D-NEW", json={"type": "affidavit"}, headers=TENANT)
    before = version(client)
    declared = client.put(
        "/v1/documents/D-NEW/file", content=b"abc", headers={**TENANT, "X-Content-SHA256": "0" * 64}
    )
    assert declared.status_code == 409 and declared.json()["declared_sha256"] == "0" * 64
    assert version(client) == before
    assert not any((tmp_path / "documents").rglob("*"))  # no file was kept either
    assert client.get("/v1/documents/D-NEW/file", headers=TENANT).status_code == 404


def test_unknown_documents_and_links_are_404_or_pointed_at(client: TestClient) -> None:
    assert client.put("/v1/documents/NOPE/file", content=b"x", headers=TENANT).status_code == 404
    assert client.get("/v1/documents/NOPE/file", headers=TENANT).status_code == 404
    not_uploaded = client.get("/v1/documents/D-001/file", headers=TENANT)
    assert not_uploaded.status_code == 404 and "evidence.harborpine.example" in not_uploaded.json()["detail"]
    empty = client.put("/v1/documents/D-001/file", content=b"", headers=TENANT)
    assert empty.status_code == 400

    before = version(client)
    link = client.post(
        "/v1/sourcing/documents", json={"sourcing_id": "NOPE|F1||", "document_ids": ["D-001"]}, headers=TENANT
    )
    assert link.status_code == 404
    unknown = client.post(
        "/v1/sourcing/documents",
        json={"sourcing_id": GIN_TO_TRADER, "document_ids": ["D-001", "D-404"]},
        headers=TENANT,
    )
    assert unknown.status_code == 422
    (error,) = unknown.json()["errors"]
    assert error["pointer"] == "/document_ids/1" and error["value"] == "D-404"
    assert version(client) == before


def test_uploaded_files_are_each_tenants_own(client: TestClient) -> None:
    other = {"X-Tenant-ID": "rival"}
    client.put("/v1/documents/D-X", json={"type": "other"}, headers=TENANT)
    assert client.put("/v1/documents/D-X/file", content=b"ours", headers=TENANT).status_code == 200
    assert client.get("/v1/documents/D-X/file", headers=other).status_code == 404
    assert client.put("/v1/documents/D-X/file", content=b"theirs", headers=other).status_code == 404


def test_a_file_sent_in_chunks_is_stored_whole_and_no_staging_file_remains(tmp_path: Path) -> None:
    """A file streams to disk as it arrives (a scan may be hundreds of MB): chunked bodies work, and
    neither an accepted nor a refused upload leaves its staging file behind."""
    root = tmp_path / "documents"
    for client in make_client(Settings(document_dir=root, max_upload_bytes=300_000)):
        parts = [b"%PDF-1.7 ", b"x" * 100_000, b"y" * 100_000, b" %%EOF"]
        whole = b"".join(parts)
        created = client.put(
            "/v1/documents/D-SCAN", json={"type": "production_record", "number": "S-1"}, headers=TENANT
        )
        assert created.status_code == 200, created.text
        stored = client.put("/v1/documents/D-SCAN/file", content=iter(parts), headers=TENANT)
        assert stored.status_code == 200, stored.text
        assert stored.json()["sha256"] == hashlib.sha256(whole).hexdigest()
        assert stored.json()["size"] == len(whole)
        assert client.get("/v1/documents/D-SCAN/file", headers=TENANT).content == whole
        too_big = client.put(
            "/v1/documents/D-SCAN/file", content=iter([b"z" * 200_000, b"z" * 200_000]), headers=TENANT
        )
        assert too_big.status_code == 413
        assert not list(root.glob(".upload-*"))
