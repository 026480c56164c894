"""Screening jobs and their results, kept by both stores the same way and scoped by tenant."""

from __future__ import annotations

from app.store.base import GraphStore


def _job(status: str, created: str) -> dict[str, object]:
    return {"job_id": "j", "status": status, "created_at": created, "total": 3, "done": 0}


def test_jobs_round_trip_and_stay_in_their_tenant(store: GraphStore, tenant: str) -> None:
    store.put_job(tenant, "j1", _job("queued", "2026-01-01T00:00:00+00:00"))
    assert store.get_job(tenant, "j1") == _job("queued", "2026-01-01T00:00:00+00:00")
    store.put_job(tenant, "j1", _job("running", "2026-01-01T00:00:00+00:00"))
    assert store.get_job(tenant, "j1")["status"] == "running"  # type: ignore[index]
    assert store.get_job(tenant + "-other", "j1") is None
    assert store.get_job(tenant, "nope") is None


def test_unfinished_jobs_are_the_queue_oldest_first(store: GraphStore, tenant: str) -> None:
    store.put_job(tenant, "late", _job("queued", "2026-01-02T00:00:00+00:00"))
    store.put_job(tenant, "early", _job("running", "2026-01-01T00:00:00+00:00"))
    store.put_job(tenant, "over", _job("done", "2025-12-01T00:00:00+00:00"))
    store.put_job(tenant + "-other", "theirs", _job("cancelled", "2025-12-01T00:00:00+00:00"))
    mine = [job for job in store.unfinished_jobs() if job[0] in (tenant, tenant + "-other")]
    assert mine == [(tenant, "early"), (tenant, "late")]


def test_results_page_across_saved_chunks(store: GraphStore, tenant: str) -> None:
    rows = [{"product_id": f"P{n}", "verdict": "no_risk_found"} for n in range(7)]
    store.put_job_results(tenant, "j", 0, rows[:3])
    store.put_job_results(tenant, "j", 3, rows[3:6])
    store.put_job_results(tenant, "j", 6, rows[6:])
    store.put_job_results(tenant, "j", 3, rows[3:6])  # a resumed job saves a chunk again
    assert store.get_job_results(tenant, "j", 0, 100) == rows
    assert store.get_job_results(tenant, "j", 2, 3) == rows[2:5]
    assert store.get_job_results(tenant, "j", 7, 5) == []
    assert store.get_job_results(tenant, "other-job", 0, 5) == []
    assert store.get_job_results(tenant + "-other", "j", 0, 5) == []


def test_dropping_a_tenant_drops_its_jobs(store: GraphStore, tenant: str) -> None:
    store.put_job(tenant, "j1", _job("queued", "2026-01-01T00:00:00+00:00"))
    store.put_job_results(tenant, "j1", 0, [{"product_id": "P"}])
    store.drop_tenant(tenant)
    assert store.get_job(tenant, "j1") is None and store.get_job_results(tenant, "j1", 0, 5) == []
    assert (tenant, "j1") not in store.unfinished_jobs()


def test_idempotent_answers_are_kept_per_tenant_and_key(store: GraphStore, tenant: str) -> None:
    store.put_idempotent(tenant, "k1", {"request_sha256": "abc", "report": {"changed": True}})
    assert store.get_idempotent(tenant, "k1") == {"request_sha256": "abc", "report": {"changed": True}}
    assert store.get_idempotent(tenant, "k2") is None
    assert store.get_idempotent(tenant + "-other", "k1") is None
    store.drop_tenant(tenant)
    assert store.get_idempotent(tenant, "k1") is None
