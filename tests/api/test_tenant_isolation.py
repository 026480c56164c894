"""No endpoint lets one tenant read, screen, count or infer another's data, even when their IDs collide.

Tenants A and B load bundles with the same IDs and different content (A's gin is in Xinjiang, B's in
Texas; A alone has a HAT). Every endpoint, called with each tenant's keys, shows that tenant's data only;
another tenant's product is a 404 exactly like a product nobody has. Runs on both stores; on Neo4j the
`tenant` fixture drops both tenants (records, reviews and keys) afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.config import AuthMode, Settings
from app.keys import issue_key
from app.store.base import GraphStore
from graph_schema import ApiRole
from tests.api.test_api import FILES, zipped
from tests.api.test_screening_api import HOSHINE

B_FILES = {
    **FILES,
    "companies.csv": "company_id,name,country\nC1,Beta Sewing,VN\nC2,Beta Gin,US\nC3,Beta Ranch,US\n",
    "facilities.csv": (
        "facility_id,company_id,name,activity,region,city,country\n"
        "F1,C1,Beta sewing,manufacturing,,Hanoi,VN\n"
        "G1,C2,Beta gin,processing,Texas,Lubbock,US\n"
        "G2,C3,Beta ranch gin,processing,Texas,Lubbock,US\n"
    ),
    "items.csv": (
        "item_id,name,kind\nSHIRT,Beta shirt,product\nTEE,Beta tee,product\nLINT,Beta lint,material\n"
    ),
}
A_FILES = {**FILES, "items.csv": FILES["items.csv"] + "HAT,Alpha hat,product\n"}


@dataclass
class Tenant:
    name: str
    importer: dict[str, str]
    auditor: dict[str, str]
    integration: dict[str, str]


def _keys(store: GraphStore, name: str) -> Tenant:
    def key(role: ApiRole) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_key(store, name, role, role.value, 'cli:test').key}"}

    return Tenant(name, key(ApiRole.IMPORTER), key(ApiRole.AUDITOR), key(ApiRole.INTEGRATION))


@pytest.fixture
def world(store: GraphStore, tenant: str) -> Iterator[tuple[TestClient, Tenant, Tenant]]:
    """A keys-mode app over the store, with A and B loaded: A first, then B with the same IDs."""
    a, b = _keys(store, tenant), _keys(store, f"{tenant}-other")
    with TestClient(create_app(Settings(auth=AuthMode.KEYS), store=store)) as client:
        for who, files in ((a, A_FILES), (b, B_FILES)):
            loaded = client.post(
                "/v1/bundles", files={"file": ("b.zip", zipped(files))}, headers=who.integration
            )
            assert loaded.status_code == 200, loaded.text
            # Nothing of the other tenant's same-ID records shows: everything is new for each.
            report = loaded.json()
            assert report["tenant"] == who.name
            assert all(c["updated"] == 0 and c["unchanged"] == 0 for c in report["files"].values())
            assert report["files"]["companies.csv"]["created"] == 3
        yield client, a, b


def _products(client: TestClient, who: Tenant) -> dict[str, tuple[str, str]]:
    page = client.get("/v1/products", headers=who.auditor).json()
    return {p["product_id"]: (p["name"], p["verdict"]) for p in page["items"]}


def test_product_lists_and_counts_are_each_tenants_own(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    mine, theirs = _products(client, a), _products(client, b)
    assert set(mine) == {"HAT", "SHIRT", "TEE"} and set(theirs) == {"SHIRT", "TEE"}
    assert mine["SHIRT"] == ("Cotton shirt", "presumption_applies")
    assert theirs["SHIRT"][0] == "Beta shirt" and theirs["SHIRT"][1] != "presumption_applies"
    # Filtering by verdict counts only one's own products.
    hits = client.get("/v1/products", params={"verdict": "presumption_applies"}, headers=b.importer).json()
    assert hits["items"] == []


def test_traces_show_only_the_callers_graph(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    names = {a.name: ("Cotton shirt", "Gin Co"), b.name: ("Beta shirt", "Beta Gin")}
    for who, other in ((a, b), (b, a)):
        trace = client.get("/v1/products/SHIRT/trace", headers=who.importer)
        assert trace.status_code == 200
        doc = trace.json()
        assert doc["tenant"] == who.name and doc["product_name"] == names[who.name][0]
        assert names[who.name][1] in trace.text
        assert all(name not in trace.text for name in names[other.name])
        assert other.name not in trace.text.replace(who.name, "")
    # A's gin in Xinjiang is a finding for A only.
    a_findings = client.get("/v1/products/SHIRT/trace", headers=a.auditor).json()["findings"]
    assert "G1" in [f["facility_id"] for f in a_findings]
    b_findings = client.get("/v1/products/SHIRT/trace", headers=b.auditor).json()["findings"]
    assert "G1" not in [f["facility_id"] for f in b_findings]


def test_another_tenants_product_is_a_404_like_a_missing_one(
    world: tuple[TestClient, Tenant, Tenant],
) -> None:
    client, a, b = world
    assert client.get("/v1/products/HAT/trace", headers=a.importer).status_code == 200
    theirs = client.get("/v1/products/HAT/trace", headers=b.importer)
    nobodys = client.get("/v1/products/NOPE/trace", headers=b.importer)
    assert theirs.status_code == nobodys.status_code == 404  # not 403: existence is not revealed
    assert theirs.headers["content-type"] == nobodys.headers["content-type"]
    one, two = theirs.json(), nobodys.json()
    assert one["detail"].replace("HAT", "NOPE") == two["detail"]
    assert {k: v for k, v in one.items() if k not in ("detail", "instance")} == {
        k: v for k, v in two.items() if k not in ("detail", "instance")
    }
    assert a.name not in theirs.text.replace(b.name, "")


def test_screening_honours_only_the_callers_reviews(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    first = client.post("/v1/screen", json={"records": [HOSHINE]}, headers=a.importer).json()["results"][0]
    top = first["matches"][0]
    before_b = client.get("/v1/products/SHIRT/trace", headers=b.importer).json()["data_version"]
    review = {
        "subject": first["subject"],
        "list": top["list"],
        "entry_id": top["entry_id"],
        "verdict": "rejected",
        "reviewer": "a.reviewer@example.com",
        "reason": "another USCC",
    }
    assert client.post("/v1/reviews", json=review, headers=a.importer).status_code == 201

    after_a = client.post("/v1/screen", json={"records": [HOSHINE]}, headers=a.integration).json()
    assert top["entry_id"] not in [m["entry_id"] for m in after_a["results"][0]["matches"]]
    after_b = client.post("/v1/screen", json={"records": [HOSHINE]}, headers=b.integration).json()
    assert after_b["results"][0]["matches"][0]["entry_id"] == top["entry_id"]
    # A's review moved A's data version only.
    assert client.get("/v1/products/SHIRT/trace", headers=b.importer).json()["data_version"] == before_b


def test_screening_lists_stay_shared(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    seen = [client.get("/v1/lists", headers=who.integration).json() for who in (a, b)]
    assert seen[0] == seen[1] and seen[0]["current"]


def test_a_key_cannot_be_pointed_at_another_tenant(world: tuple[TestClient, Tenant, Tenant]) -> None:
    client, a, b = world
    for path in ("/v1/products", "/v1/products/HAT/trace"):
        response = client.get(path, headers={**b.importer, "X-Tenant-ID": a.name})
        assert response.status_code == 400 and "Alpha hat" not in response.text
