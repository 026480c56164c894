"""`GET /v1/products/{id}/evidence-pack` and the lot equivalent, as a client sees them: media types, file
names, ETags and revalidation, problems for unknown subjects and bad formats, and tenant isolation."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.api.main import create_app
from app.config import AuthMode, Settings
from app.keys import issue_key
from app.service import DEMO_DIR, DEMO_EPCIS
from app.store.memory import MemoryStore
from graph_schema import ApiRole
from tests.test_end_to_end import zip_dir

TENANT = "acme"
PATH = "/v1/products/HP-SH-OXF/evidence-pack"


@pytest.fixture(scope="module")
def client() -> Iterator[tuple[TestClient, dict[str, str], dict[str, str]]]:
    """A keys-mode app with the demo loaded for `acme`; yields the client and an auditor's and another
    tenant's headers."""
    store = MemoryStore(None)
    auditor = issue_key(store, TENANT, ApiRole.AUDITOR, "audit", "cli:test").key
    importer = issue_key(store, TENANT, ApiRole.IMPORTER, "load", "cli:test").key
    other = issue_key(store, "globex", ApiRole.IMPORTER, "other", "cli:test").key
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as test_client:
        loaded = test_client.post(
            "/v1/bundles",
            files={"file": ("demo.zip", zip_dir(DEMO_DIR))},
            headers={"Authorization": f"Bearer {importer}"},
        )
        assert loaded.status_code == 200, loaded.text
        lots = test_client.post(
            "/v1/epcis",
            json=json.loads(DEMO_EPCIS.read_bytes()),
            headers={"Authorization": f"Bearer {importer}"},
        )
        assert lots.status_code == 200, lots.text
        yield (
            test_client,
            {"Authorization": f"Bearer {auditor}"},
            {"Authorization": f"Bearer {other}"},
        )


def test_the_pack_comes_in_every_format_with_its_media_type_and_file_name(
    client: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    test_client, auditor, _ = client
    pack = test_client.get(PATH, headers=auditor)
    assert pack.status_code == 200 and pack.headers["content-type"] == "application/json"
    body = pack.json()
    assert body["subject"]["id"] == "HP-SH-OXF" and body["verdict"] == "presumption_applies"
    version = body["data_version"]
    assert pack.headers["content-disposition"] == (
        f'attachment; filename="evidence-pack-HP-SH-OXF-{version[:8]}.json"'
    )
    as_csv = test_client.get(PATH, params={"format": "csv"}, headers=auditor)
    assert as_csv.headers["content-type"] == "application/zip"
    assert as_csv.headers["content-disposition"].endswith(f'-{version[:8]}.zip"')
    names = zipfile.ZipFile(io.BytesIO(as_csv.content)).namelist()
    assert {"steps.csv", "parties.csv", "exhibits.csv", "findings.csv", "gaps.csv"} <= set(names)
    html = test_client.get(PATH, params={"format": "html"}, headers=auditor)
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.headers["content-disposition"].startswith("inline; ")  # opens in the browser to print
    assert "<svg" in html.text and "Tianyuan Awat cotton gin" in html.text
    pdf = test_client.get(PATH, params={"format": "pdf"}, headers=auditor)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tianyuan Awat cotton gin" in text
    # the same pack as the JSON: one model, four renderings
    assert body["executive_summary"][1].split(".")[0] in " ".join(text.split())


def test_the_etag_names_data_version_and_format_and_revalidates(
    client: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    test_client, auditor, _ = client
    html = {"format": "html"}
    first = test_client.get(PATH, params=html, headers=auditor)
    tag = first.headers["etag"]
    version = test_client.get(PATH, headers=auditor).json()["data_version"]
    assert tag.startswith(f'"{version}-') and tag.endswith('-html"')
    assert test_client.get(PATH, params=html, headers=auditor).headers["etag"] == tag
    pdf_tag = test_client.get(PATH, params={"format": "pdf"}, headers=auditor).headers["etag"]
    assert pdf_tag == tag.replace("-html", "-pdf")
    again = test_client.get(PATH, params=html, headers={**auditor, "If-None-Match": f'"x", {tag}'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    stale = test_client.get(PATH, params=html, headers={**auditor, "If-None-Match": '"old"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_unknown_and_other_tenants_products_are_the_same_404(
    client: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    test_client, auditor, other = client
    nobodys = test_client.get("/v1/products/NOPE/evidence-pack", headers=auditor)
    theirs = test_client.get(PATH, headers=other)
    assert nobodys.status_code == theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert "Tianyuan" not in theirs.text
    lot = test_client.get(
        "/v1/lots/HP-SH-OXF.NO-LOT/evidence-pack", params={"format": "pdf"}, headers=auditor
    )
    assert lot.status_code == 404 and lot.headers["content-type"] == "application/problem+json"
    mine = test_client.get("/v1/lots/HP-SH-OXF.SR-26-0125/evidence-pack", headers=auditor)
    assert mine.status_code == 200
    assert test_client.get("/v1/lots/HP-SH-OXF.SR-26-0125/evidence-pack", headers=other).status_code == 404


def test_a_lots_pack_names_the_lot(client: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    test_client, auditor, _ = client
    path = "/v1/lots/HP-SH-OXF.SR-26-0125/evidence-pack"
    pack = test_client.get(path, headers=auditor).json()
    assert pack["subject"] == {
        "kind": "lot",
        "id": "HP-SH-OXF.SR-26-0125",
        "name": pack["subject"]["name"],
        "product_id": "HP-SH-OXF",
        "state": "lot:HP-SH-OXF.SR-26-0125",
    }
    html = test_client.get(path, params={"format": "html"}, headers=auditor)
    assert html.headers["content-disposition"] == (
        f'inline; filename="evidence-pack-HP-SH-OXF.SR-26-0125-{pack["data_version"][:8]}.html"'
    )
    assert "lot HP-SH-OXF.SR-26-0125" in html.text


def test_an_unknown_format_is_a_problem_naming_the_parameter(
    client: tuple[TestClient, dict[str, str], dict[str, str]],
) -> None:
    test_client, auditor, _ = client
    response = test_client.get(PATH, params={"format": "docx"}, headers=auditor)
    assert response.status_code == 422
    assert "format" in response.text and "pdf" in response.text
