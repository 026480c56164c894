"""API keys in both stores: stored as issued (hash only), found by ID, listed per tenant, revoked once,
and gone with their tenant. Key IDs are random per test, and the `tenant` fixture's clean-up drops the
keys of its tenants on Neo4j."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.errors import ConflictError
from app.keys import issue_key, secret_matches
from app.store.base import GraphStore
from app.store.memory import MemoryStore
from app.store.neo4j_store import Neo4jStore
from graph_schema import ApiKey, ApiRole

T0 = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def api_key(tenant: str, created_at: datetime = T0, **fields: object) -> ApiKey:
    values: dict[str, object] = {
        "key_id": uuid.uuid4().hex[:16],
        "tenant": tenant,
        "role": ApiRole.IMPORTER,
        "secret_hash": "scrypt$16384$8$1$c2FsdA==$aGFzaA==",
        "name": "ERP export",
        "created_at": created_at,
        "created_by": "cli:test",
        **fields,
    }
    return ApiKey.model_validate(values)


def test_a_key_round_trips_with_every_field(store: GraphStore, tenant: str) -> None:
    full = api_key(tenant, description="nightly", expires_at=T0 + timedelta(days=30), role=ApiRole.AUDITOR)
    bare = api_key(tenant)
    store.put_api_key(full)
    store.put_api_key(bare)
    assert store.get_api_key(full.key_id) == full
    assert store.get_api_key(bare.key_id) == bare
    assert store.get_api_key(bare.key_id).expires_at is None  # type: ignore[union-attr]
    assert store.get_api_key("0000000000000000") is None


def test_a_key_id_is_never_reused(store: GraphStore, tenant: str) -> None:
    key = api_key(tenant)
    store.put_api_key(key)
    with pytest.raises(ConflictError):
        store.put_api_key(api_key(tenant, key_id=key.key_id, role=ApiRole.ADMIN))
    assert store.get_api_key(key.key_id) == key  # the first one stands


def test_keys_are_listed_per_tenant_oldest_first(store: GraphStore, tenant: str) -> None:
    other = tenant + "-other"
    later = api_key(tenant, created_at=T0 + timedelta(hours=1))
    first = api_key(tenant)
    theirs = api_key(other)
    for key in (later, first, theirs):
        store.put_api_key(key)
    assert store.list_api_keys(tenant) == [first, later]
    assert store.list_api_keys(other) == [theirs]
    assert store.list_api_keys(tenant + "-nobody") == []


def test_revocation_is_recorded_once(store: GraphStore, tenant: str) -> None:
    key = api_key(tenant)
    store.put_api_key(key)
    when = T0 + timedelta(days=1)
    revoked = store.revoke_api_key(key.key_id, when)
    assert revoked == key.model_copy(update={"revoked_at": when})
    assert store.get_api_key(key.key_id) == revoked
    again = store.revoke_api_key(key.key_id, when + timedelta(days=1))
    assert again is not None and again.revoked_at == when  # the first revocation time stays
    assert store.revoke_api_key("0000000000000000", when) is None
    assert not revoked.is_active(when) and key.is_active(when)


def test_dropping_a_tenant_drops_its_keys_only(store: GraphStore, tenant: str) -> None:
    other = tenant + "-other"
    mine, theirs = api_key(tenant), api_key(other)
    store.put_api_key(mine)
    store.put_api_key(theirs)
    assert store.drop_tenant(tenant) == 1  # the key counts as a record that went
    assert store.get_api_key(mine.key_id) is None and store.list_api_keys(tenant) == []
    assert store.get_api_key(theirs.key_id) == theirs


def test_the_store_never_holds_the_secret(store: GraphStore, tenant: str) -> None:
    issued = issue_key(store, tenant, ApiRole.INTEGRATION, "scanner", "cli:test")
    secret = issued.key.split("_", 2)[2]  # the secret itself may contain "_"
    stored = store.get_api_key(issued.key_id)
    assert stored is not None and secret not in stored.model_dump_json()
    assert secret_matches(secret, stored.secret_hash) and not secret_matches(secret + "x", stored.secret_hash)
    if isinstance(store, MemoryStore):
        raw = store._path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    else:
        assert isinstance(store, Neo4jStore)
        raw = json.dumps(
            store._read("MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p", id=issued.key_id)
        )
    assert issued.key_id in raw and secret not in raw
