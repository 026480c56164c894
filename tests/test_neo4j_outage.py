"""A Neo4j outage as a client lives through it, on a real server that the test stops and starts again.

The shared development server must stay up for the rest of the run, so this test starts a second,
private one (`scripts/neo4j.sh` with its own folder and Bolt port, reusing the main server's jars) and
points a fresh app at it. While it is down, readiness, traces and uploads answer 503 with `Retry-After`;
the upload made during the outage leaves nothing behind; once the server is back the same app, never
restarted, serves traces again.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import PROJECT_ROOT, AuthMode, Settings, StoreBackend

pytestmark = pytest.mark.neo4j

SCRIPT = PROJECT_ROOT / "scripts" / "neo4j.sh"
TENANT = {"X-Tenant-ID": "outage"}

BUNDLE = {
    "companies.csv": "company_id,name,country\nC1,Shirt Maker,VN\nC2,Gin Co,CN\n",
    "facilities.csv": (
        "facility_id,company_id,name,activity,region,city,country\n"
        "F1,C1,Sewing,manufacturing,,Hanoi,VN\n"
        "G1,C2,Gin,processing,Xinjiang,Aksu,CN\n"
    ),
    "items.csv": "item_id,name,kind\nSHIRT,Cotton shirt,product\nLINT,Cotton lint,material\n",
    "bom.csv": "parent_item_id,component_item_id,quantity,unit\nSHIRT,LINT,0.3,kg\n",
    "sourcing.csv": "item_id,supplier_facility_id,buyer_facility_id\nSHIRT,F1,\nLINT,G1,F1\n",
}

#: loaded while the server is down: a new product and company that must not appear afterwards
LATE_BUNDLE = {
    "companies.csv": "company_id,name,country\nC9,Hat Maker,VN\n",
    "facilities.csv": "facility_id,company_id,name,activity,country\nF9,C9,Hats,manufacturing,VN\n",
    "items.csv": "item_id,name,kind\nHAT,Sun hat,product\n",
    "sourcing.csv": "item_id,supplier_facility_id,buyer_facility_id\nHAT,F9,\n",
}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class SecondServer:
    """A private Neo4j server run by `scripts/neo4j.sh` in its own folder."""

    folder: Path
    port: int
    env: dict[str, str]

    def run(self, command: str) -> None:
        done = subprocess.run(
            ["bash", str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, f"neo4j.sh {command} failed:\n{done.stderr[-3000:]}"

    @property
    def password(self) -> str:
        return (self.folder / "password").read_text(encoding="utf-8").strip()

    def kill(self) -> None:
        """End the server this test started (by its recorded pid) without waiting for a clean stop."""
        pid_file = self.folder / "neo4j.pid"
        if not pid_file.is_file():
            return
        pid = int(pid_file.read_text().strip())
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@pytest.fixture
def second_server(tmp_path: Path) -> Iterator[SecondServer]:
    main_dir = Path(os.environ.get("TRACEGRAPH_NEO4J_DIR", PROJECT_ROOT / ".neo4j"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACEGRAPH_")}
    port = _free_port()
    env.update(
        TRACEGRAPH_NEO4J_DIR=str(tmp_path / "neo4j"),
        TRACEGRAPH_NEO4J_BOLT_PORT=str(port),
        TRACEGRAPH_NEO4J_HEAP="512m",
        TRACEGRAPH_NEO4J_PAGECACHE="64m",
        TRACEGRAPH_NEO4J_TX_TOTAL="256m",
        TRACEGRAPH_NEO4J_TX_MEMORY="128m",
        PYTHON=sys.executable,
    )
    libs = sorted(p.parent for p in main_dir.glob("lib-*/.complete"))
    if libs:  # reuse the main server's jars; otherwise neo4j.sh fetches them
        env["TRACEGRAPH_NEO4J_LIB_DIR"] = str(libs[-1])
    server = SecondServer(tmp_path / "neo4j", port, env)
    try:
        server.run("up")
        yield server
    finally:
        server.kill()


def wait_until_ready(client: TestClient, attempts: int = 60) -> None:
    """Poll readiness the way an orchestrator would, until the store answers again."""
    for _ in range(attempts):
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.5)
    pytest.fail("the service did not become ready again after Neo4j came back")


def assert_unavailable(response: object) -> None:
    assert response.status_code == 503, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    assert int(response.headers["Retry-After"]) > 0  # type: ignore[attr-defined]
    assert response.json()["type"].endswith("/store-unavailable")  # type: ignore[attr-defined]


def upload(client: TestClient, files: dict[str, str]) -> object:
    return client.post(
        "/v1/bundles", files={"file": ("bundle.zip", zipped(files), "application/zip")}, headers=TENANT
    )


def test_outage_answers_503_loses_nothing_and_recovers_by_itself(second_server: SecondServer) -> None:
    settings = Settings(
        store=StoreBackend.NEO4J,
        neo4j_uri=f"bolt://127.0.0.1:{second_server.port}",
        neo4j_password=second_server.password,  # type: ignore[arg-type]
        # Generous for the cold second server under a busy suite; a down server still fails fast
        # (connection refused), retried for at most 5 s a call by the driver.
        store_timeout_s=8.0,
        rate_limit_per_s=0,
        auth=AuthMode.LOCAL,  # key-less: this test is about the store, not about keys
    )
    with TestClient(create_app(settings)) as client:
        loaded = upload(client, BUNDLE)
        assert loaded.status_code == 200, loaded.text
        before = client.get("/v1/products/SHIRT/trace", headers=TENANT)
        assert before.status_code == 200
        assert before.json()["verdict"] == "presumption_applies"
        store = client.app.state.service.store  # type: ignore[attr-defined]
        version_before = store.data_version("outage")

        second_server.run("down")

        assert_unavailable(client.get("/readyz"))
        assert_unavailable(client.get("/v1/products/SHIRT/trace", headers=TENANT))
        assert_unavailable(upload(client, LATE_BUNDLE))

        second_server.run("up")
        wait_until_ready(client)

        after = client.get("/v1/products/SHIRT/trace", headers=TENANT)
        assert after.status_code == 200
        assert after.json()["verdict"] == before.json()["verdict"]
        assert after.json()["findings"] == before.json()["findings"]
        # the upload refused during the outage wrote nothing: no product, no company, same data version
        products = client.get("/v1/products", headers=TENANT).json()["items"]
        assert [p["product_id"] for p in products] == ["SHIRT"]
        assert store.get_companies("outage", ["C9"]) == {}
        assert store.data_version("outage") == version_before
        # and it loads fine now that the server is back
        assert upload(client, LATE_BUNDLE).status_code == 200
        assert client.get("/v1/products/HAT/trace", headers=TENANT).status_code == 200
