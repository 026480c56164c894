"""Batch screening jobs: results equal the per-product walk, progress is saved, restarts resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import BadRequestError, NotFoundError
from app.jobs import JobRunner, JobStatus, ResultFormat, stream_results
from app.service import DEMO_DIR, DEMO_EXPECTED, TraceService
from app.store.memory import MemoryStore
from app.trace.models import Verdict

EXPECTED: dict[str, str] = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
T = "acme"


@pytest.fixture
def service(tmp_path: Path) -> TraceService:
    svc = TraceService(MemoryStore(tmp_path / "graph.json"))
    svc.load(T, DEMO_DIR)
    return svc


def test_a_job_screens_every_product_with_the_walks_verdicts(service: TraceService) -> None:
    job = service.jobs.submit(T, None, None)
    assert (job.status, job.total, job.done) == (JobStatus.QUEUED, len(EXPECTED), 0)
    assert service.jobs.run_pending() == 1
    done = service.jobs.get(T, job.job_id)
    assert done.status is JobStatus.DONE and done.done == done.total and done.finished_at is not None
    assert sum(done.verdicts.values()) == len(EXPECTED)
    page = service.jobs.results(T, job.job_id, None, 4)
    assert len(page.items) == 4 and page.next_cursor == "4"
    everything = service.jobs.results(T, job.job_id, None, 100).items
    assert {r.product_id: r.verdict.value for r in everything} == EXPECTED
    assert [r.product_id for r in everything] == job.product_ids  # the job's own order
    flagged = [r for r in everything if r.verdict.value == "presumption_applies"]
    assert all(r.facility_id and r.rule for r in flagged)


def test_results_stream_as_ndjson_and_csv(service: TraceService) -> None:
    job = service.jobs.submit(T, ["HP-SH-OXF", "HP-SH-POP"], None)
    service.jobs.run_pending()
    lines = list(stream_results(service.jobs, T, job.job_id, ResultFormat.NDJSON))
    assert [json.loads(line)["product_id"] for line in lines] == ["HP-SH-OXF", "HP-SH-POP"]
    rows = "".join(stream_results(service.jobs, T, job.job_id, ResultFormat.CSV)).splitlines()
    assert rows[0] == "product_id,verdict,facility_id,rule,gap"
    assert rows[1].startswith("HP-SH-OXF,presumption_applies,") and rows[2] == "HP-SH-POP,no_risk_found,,,"


def test_bad_requests_name_what_is_wrong(service: TraceService) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        service.jobs.submit(T, ["HP-SH-OXF", "NOPE"], None)
    with pytest.raises(BadRequestError):
        service.jobs.submit(T, [], None)
    with pytest.raises(BadRequestError):
        service.jobs.submit(T, ["HP-SH-OXF"], "ftp://example.com")
    with pytest.raises(NotFoundError):
        service.jobs.get("someone-else", service.jobs.submit(T, ["HP-SH-OXF"], None).job_id)


def test_a_queued_job_cancels_at_once_and_never_runs(service: TraceService) -> None:
    job = service.jobs.submit(T, None, None)
    cancelled = service.jobs.cancel(T, job.job_id)
    assert cancelled.status is JobStatus.CANCELLED
    assert service.jobs.run_pending() == 0
    assert service.jobs.results(T, job.job_id, None, 10).items == []


def test_a_restarted_service_resumes_a_running_job(tmp_path: Path, service: TraceService) -> None:
    job = service.jobs.submit(T, None, None)
    # A process died mid-job: the job is saved as running with part of its results.
    partial = job.model_copy(update={"status": JobStatus.RUNNING, "done": 0})
    service.store.put_job(T, job.job_id, partial.model_dump(mode="json"))
    restarted = TraceService(MemoryStore(tmp_path / "graph.json"))  # the same file, a new process
    assert restarted.jobs.run_pending() == 1
    assert restarted.jobs.get(T, job.job_id).status is JobStatus.DONE
    results = restarted.jobs.results(T, job.job_id, None, 100).items
    assert {r.product_id: r.verdict.value for r in results} == EXPECTED


def test_saved_results_are_redone_when_the_data_changed_meanwhile(service: TraceService) -> None:
    job = service.jobs.submit(T, None, None)
    stale = job.model_copy(
        update={
            "status": JobStatus.RUNNING,
            "done": 3,
            "data_version": "old",
            "verdicts": {Verdict.NO_RISK_FOUND: 3},
        }
    )
    service.store.put_job(T, job.job_id, stale.model_dump(mode="json"))
    service.jobs.run_pending()
    done = service.jobs.get(T, job.job_id)
    assert done.done == len(EXPECTED) and sum(done.verdicts.values()) == len(EXPECTED)
    assert done.data_version == service.store.data_version(T)


def test_the_callback_gets_the_final_state_and_attempts_are_recorded(tmp_path: Path) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    answers = iter([500, 202])

    def poster(url: str, payload: dict[str, object]) -> int:
        calls.append((url, payload))
        return next(answers)

    store = MemoryStore(tmp_path / "g.json")
    svc = TraceService(store)
    svc.load(T, DEMO_DIR)
    runner = JobRunner(store, svc.rules, poster=poster)
    job = runner.submit(T, ["HP-SH-OXF"], "https://erp.example.com/hook")
    runner.run_pending()
    assert [url for url, _ in calls] == ["https://erp.example.com/hook"] * 2
    assert calls[-1][1]["status"] == "done" and calls[-1][1]["job_id"] == job.job_id
    assert [a.status for a in runner.get(T, job.job_id).callbacks] == [500, 202]


def test_chunks_are_saved_as_they_finish(service: TraceService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.jobs.JOB_CHUNK", 3)
    job = service.jobs.submit(T, None, None)
    service.jobs.run_pending()
    # Saved in chunks of 3: a page that spans chunks reads across them, in order.
    everything = service.jobs.results(T, job.job_id, None, 100).items
    assert service.jobs.results(T, job.job_id, "2", 5).items == everything[2:7]
    assert len(everything) == service.jobs.get(T, job.job_id).done == len(EXPECTED)
