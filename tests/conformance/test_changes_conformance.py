"""Verdict snapshots, the change feed and webhooks, kept by both stores the same way and scoped by tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.store.base import GraphStore
from graph_schema import ReviewVerdict
from tests.builders import review

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _change(seq: int, at: datetime, kind: str = "product") -> dict[str, object]:
    return {"seq": seq, "changed_at": at.isoformat(), "subject_kind": kind, "subject_id": f"P{seq}"}


def _tracker(revision: int, seq: int) -> dict[str, object]:
    return {"revision": revision, "seq": seq, "data_version": "v1", "lists_key": "UFLPA=u1"}


def test_a_commit_writes_snapshots_changes_and_the_tracker(store: GraphStore, tenant: str) -> None:
    assert store.get_change_tracker(tenant) is None
    snapshots = {"product:A": {"verdict": "no_risk_found"}, "product:B": {"verdict": "needs_review"}}
    assert store.commit_verdict_changes(tenant, 0, _tracker(1, 0), snapshots, [])
    assert store.get_change_tracker(tenant) == _tracker(1, 0)
    assert store.get_verdict_snapshots(tenant, ["product:A", "product:B", "product:C"]) == snapshots
    changes = [_change(1, T0), _change(2, T0 + timedelta(seconds=1))]
    assert store.commit_verdict_changes(
        tenant, 1, _tracker(2, 2), {"product:A": {"verdict": "needs_review"}}, changes
    )
    assert store.get_verdict_snapshots(tenant, ["product:A"]) == {"product:A": {"verdict": "needs_review"}}
    assert store.list_verdict_changes(tenant) == changes[::-1]
    # Another tenant sees none of it.
    other = tenant + "-other"
    assert store.get_change_tracker(other) is None
    assert store.get_verdict_snapshots(other, ["product:A"]) == {}
    assert store.list_verdict_changes(other) == []


def test_a_commit_from_a_stale_revision_writes_nothing(store: GraphStore, tenant: str) -> None:
    """Two processes judging the same tenant: the second to commit loses, so no change is recorded twice."""
    assert store.commit_verdict_changes(tenant, 0, _tracker(1, 0), {"product:A": {"v": 1}}, [])
    stale = store.commit_verdict_changes(tenant, 0, _tracker(1, 1), {"product:A": {"v": 2}}, [_change(1, T0)])
    assert stale is False
    assert store.get_change_tracker(tenant) == _tracker(1, 0)
    assert store.get_verdict_snapshots(tenant, ["product:A"]) == {"product:A": {"v": 1}}
    assert store.list_verdict_changes(tenant) == []


def test_the_feed_filters_and_pages_newest_first(store: GraphStore, tenant: str) -> None:
    changes = [
        _change(1, T0),
        _change(2, T0 + timedelta(minutes=1), "lot"),
        _change(3, T0 + timedelta(minutes=2)),
        _change(4, T0 + timedelta(minutes=3)),
    ]
    assert store.commit_verdict_changes(tenant, 0, _tracker(1, 4), {}, changes)
    seqs = lambda rows: [r["seq"] for r in rows]  # noqa: E731
    assert seqs(store.list_verdict_changes(tenant)) == [4, 3, 2, 1]
    assert seqs(store.list_verdict_changes(tenant, limit=2)) == [4, 3]
    assert seqs(store.list_verdict_changes(tenant, before_seq=3, limit=2)) == [2, 1]
    assert seqs(store.list_verdict_changes(tenant, after_seq=2)) == [4, 3]
    assert seqs(store.list_verdict_changes(tenant, since=T0 + timedelta(minutes=1))) == [4, 3, 2]
    assert seqs(store.list_verdict_changes(tenant, subject_kind="lot")) == [2]
    assert seqs(store.list_verdict_changes(tenant, subject_kind="product", before_seq=4)) == [3, 1]


def test_tenant_data_versions_name_every_tenant_with_data(store: GraphStore, tenant: str) -> None:
    assert tenant not in store.tenant_data_versions()
    decision = review("company:C1", "UFLPA", "E1", ReviewVerdict.REJECTED)
    store.put_review(tenant, decision, "dv-1")
    assert store.tenant_data_versions()[tenant] == "dv-1"


def _hook(webhook_id: str, created: datetime) -> dict[str, object]:
    return {"webhook_id": webhook_id, "url": "https://example.com/h", "created_at": created.isoformat()}


def _delivery(delivery_id: str, webhook_id: str, created: datetime, status: str) -> dict[str, object]:
    due = (created + timedelta(seconds=10)).isoformat() if status == "pending" else None
    return {
        "delivery_id": delivery_id,
        "webhook_id": webhook_id,
        "created_at": created.isoformat(),
        "status": status,
        "next_attempt_at": due,
    }


def test_webhooks_round_trip_and_are_deleted_with_their_deliveries(store: GraphStore, tenant: str) -> None:
    store.put_webhook(tenant, "w2", _hook("w2", T0 + timedelta(seconds=1)))
    store.put_webhook(tenant, "w1", _hook("w1", T0))
    assert [h["webhook_id"] for h in store.list_webhooks(tenant)] == ["w1", "w2"]
    assert store.get_webhook(tenant, "w1") == _hook("w1", T0)
    assert store.get_webhook(tenant + "-other", "w1") is None
    assert store.list_webhooks(tenant + "-other") == []
    store.put_webhook_delivery(tenant, "d1", _delivery("d1", "w1", T0, "delivered"))
    store.put_webhook_delivery(tenant, "d2", _delivery("d2", "w1", T0 + timedelta(minutes=1), "pending"))
    store.put_webhook_delivery(tenant, "d3", _delivery("d3", "w2", T0, "pending"))
    assert [d["delivery_id"] for d in store.list_webhook_deliveries(tenant, "w1", 10)] == ["d2", "d1"]
    assert [d["delivery_id"] for d in store.list_webhook_deliveries(tenant, "w1", 1)] == ["d2"]
    assert store.get_webhook_delivery(tenant, "d1") == _delivery("d1", "w1", T0, "delivered")
    mine = [d for d in store.pending_webhook_deliveries() if d[0] == tenant]
    assert mine == [(tenant, "d3"), (tenant, "d2")]  # the earliest due first
    assert store.delete_webhook(tenant, "w1") is True
    assert store.delete_webhook(tenant, "w1") is False
    assert store.get_webhook(tenant, "w1") is None
    assert store.get_webhook_delivery(tenant, "d2") is None
    assert store.list_webhook_deliveries(tenant, "w1", 10) == []
    assert [d for d in store.pending_webhook_deliveries() if d[0] == tenant] == [(tenant, "d3")]


def test_a_webhook_is_replaced_only_over_the_document_the_writer_read(store: GraphStore, tenant: str) -> None:
    read = {**_hook("w1", T0), "cursor": 3}
    assert store.put_webhook(tenant, "w1", read) is True
    moved = {**read, "cursor": 5}  # another process moves the cursor meanwhile
    assert store.put_webhook(tenant, "w1", moved) is True
    resealed = {**read, "secret": "sealed"}
    assert store.put_webhook(tenant, "w1", resealed, expected=read) is False  # would undo the move
    assert store.get_webhook(tenant, "w1") == moved
    fresh = store.get_webhook(tenant, "w1")
    assert fresh is not None
    assert store.put_webhook(tenant, "w1", {**fresh, "secret": "sealed"}, expected=fresh) is True
    assert store.get_webhook(tenant, "w1") == {**moved, "secret": "sealed"}
    assert store.put_webhook(tenant, "nope", read, expected=read) is False
    assert store.get_webhook(tenant, "nope") is None


def test_webhook_tenants_name_every_tenant_with_a_subscription(store: GraphStore, tenant: str) -> None:
    assert tenant not in store.webhook_tenants()
    store.put_webhook(tenant, "w1", _hook("w1", T0))
    store.put_webhook(tenant, "w2", _hook("w2", T0))
    found = store.webhook_tenants()
    assert found.count(tenant) == 1 and found == sorted(found)
    store.delete_webhook(tenant, "w1")
    store.delete_webhook(tenant, "w2")
    assert tenant not in store.webhook_tenants()


def test_dropping_a_tenant_drops_its_changes_and_webhooks(store: GraphStore, tenant: str) -> None:
    assert store.commit_verdict_changes(tenant, 0, _tracker(1, 1), {"product:A": {}}, [_change(1, T0)])
    store.put_webhook(tenant, "w1", _hook("w1", T0))
    store.put_webhook_delivery(tenant, "d1", _delivery("d1", "w1", T0, "pending"))
    store.drop_tenant(tenant)
    assert store.get_change_tracker(tenant) is None
    assert store.get_verdict_snapshots(tenant, ["product:A"]) == {}
    assert store.list_verdict_changes(tenant) == []
    assert store.list_webhooks(tenant) == []
    assert (tenant, "d1") not in store.pending_webhook_deliveries()
