"""Batch screening jobs: an importer's whole catalogue judged in the background, surviving restarts.

`POST /v1/screenings` creates a job (state kept in the graph store, so any instance of the service
sees it and a restart does not lose it); a worker thread runs `screen_all` over the job's products in
chunks, saving results and progress after each chunk, so a restarted service resumes a job at its
last saved chunk instead of starting over. A job can be cancelled; a callback URL, when given, is
POSTed the job's final state (retried with backoff; each attempt recorded on the job).
"""

from __future__ import annotations

import csv
import io
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from enum import StrEnum

import httpx
from pydantic import BaseModel, Field

from app.errors import BadRequestError, NotFoundError, TracegraphError
from app.retry import backoff_delay
from app.store.base import GraphStore, all_product_ids
from app.trace.models import Verdict
from app.trace.rules import RiskRule
from app.trace.screen_all import ScreenedProduct, screen_all
from app.worker import Worker

log = logging.getLogger("tracegraph.jobs")

#: most product IDs one job may name; `all` has no limit
MAX_JOB_PRODUCTS = 100_000
#: products judged (and saved) per step: a restart loses at most one step of work, and each step reads
#: the upstream its products share once (smaller steps would re-read shared suppliers more often)
JOB_CHUNK = 10_000
CALLBACK_ATTEMPTS = 4
CALLBACK_TIMEOUT_S = 10.0


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class CallbackAttempt(BaseModel):
    at: datetime = Field(description="When the attempt was made (UTC).")
    status: int | None = Field(None, description="HTTP status the callback answered, if it answered.")
    error: str | None = Field(None, description="Why the attempt failed, if it did.")


class ScreeningJob(BaseModel):
    """A batch screening and how far it has got."""

    job_id: str = Field(description="The job's ID.")
    status: JobStatus = Field(description="`queued`, `running`, `done`, `failed` or `cancelled`.")
    total: int = Field(description="Products to screen.")
    done: int = Field(0, description="Products screened so far.")
    product_ids: list[str] = Field(description="The products, in the order results are given.")
    created_at: datetime = Field(description="When the job was created (UTC).")
    started_at: datetime | None = Field(None, description="When a worker first picked it up.")
    finished_at: datetime | None = Field(None, description="When it ended (done, failed or cancelled).")
    verdicts: dict[Verdict, int] = Field(default_factory=dict, description="Products per verdict so far.")
    data_version: str | None = Field(None, description="The tenant's data version the results reflect.")
    reference: str | None = Field(None, description="The list versions the results were judged against.")
    callback_url: str | None = Field(None, description="POSTed the job's final state when it ends.")
    callbacks: list[CallbackAttempt] = Field(default_factory=list, description="Every callback attempt.")
    error: str | None = Field(None, description="Why the job failed.")
    cancel_requested: bool = Field(False, description="A cancellation was asked; the worker stops soon.")

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the pace so far; `None` before the first chunk or after the end."""
        if self.status is not JobStatus.RUNNING or not self.done or self.started_at is None:
            return None
        elapsed = (datetime.now(UTC) - self.started_at).total_seconds()
        return round(elapsed / self.done * (self.total - self.done), 1)


class JobView(BaseModel):
    """A job as the API shows it: everything but the product list, plus the estimate."""

    job_id: str = Field(description="The job's ID.")
    status: JobStatus = Field(description="`queued`, `running`, `done`, `failed` or `cancelled`.")
    total: int = Field(description="Products to screen.")
    done: int = Field(description="Products screened so far.")
    eta_seconds: float | None = Field(description="Estimated seconds left, while running.")
    created_at: datetime = Field(description="When the job was created (UTC).")
    started_at: datetime | None = Field(description="When a worker first picked it up.")
    finished_at: datetime | None = Field(description="When it ended.")
    verdicts: dict[Verdict, int] = Field(description="Products per verdict so far.")
    data_version: str | None = Field(description="The tenant's data version the results reflect.")
    reference: str | None = Field(description="The list versions the results were judged against.")
    callback_url: str | None = Field(description="POSTed the job's final state when it ends.")
    callbacks: list[CallbackAttempt] = Field(description="Every callback attempt.")
    error: str | None = Field(description="Why the job failed.")

    @classmethod
    def of(cls, job: ScreeningJob) -> JobView:
        return cls(**job.model_dump(exclude={"product_ids", "cancel_requested"}), eta_seconds=job.eta_seconds)


class ResultPage(BaseModel):
    items: list[ScreenedProduct] = Field(description="Results in the job's product order.")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; absent at the end."
    )


class JobRunner:
    """One background worker per service process, draining queued jobs of every tenant in turn."""

    def __init__(
        self,
        store: GraphStore,
        rules: Callable[[], tuple[list[RiskRule], str]],
        poster: Callable[[str, dict[str, object]], int] | None = None,
    ) -> None:
        self.store = store
        self._rules = rules
        self._post = poster or _post_json
        self._worker = Worker("tracegraph-jobs", self.run_pending, "screening jobs")

    # -- API-facing --------------------------------------------------------------------------------
    def submit(
        self, tenant: str, product_ids: Sequence[str] | None, callback_url: str | None
    ) -> ScreeningJob:
        """Queue a job for the named products, or every product of the tenant when `None`."""
        if product_ids is None:
            ids = all_product_ids(self.store, tenant)
        else:
            ids = list(dict.fromkeys(product_ids))
            if not 1 <= len(ids) <= MAX_JOB_PRODUCTS:
                raise BadRequestError(f"name between 1 and {MAX_JOB_PRODUCTS} products, or ask for all")
            known = self.store.get_items(tenant, ids)
            unknown = [pid for pid in ids if pid not in known]
            if unknown:
                shown = ", ".join(unknown[:10]) + (
                    f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
                )
                raise NotFoundError(f"{len(unknown)} product(s) not loaded for this tenant: {shown}")
        if callback_url is not None and not callback_url.startswith(("http://", "https://")):
            raise BadRequestError("callback_url must be an http(s) URL")
        job = ScreeningJob(
            job_id=uuid.uuid4().hex,
            status=JobStatus.QUEUED,
            total=len(ids),
            product_ids=ids,
            created_at=datetime.now(UTC),
            callback_url=callback_url,
        )
        self.store.put_job(tenant, job.job_id, job.model_dump(mode="json"))
        self._worker.wake()
        return job

    def get(self, tenant: str, job_id: str) -> ScreeningJob:
        raw = self.store.get_job(tenant, job_id)
        if raw is None:
            raise NotFoundError(f"no screening job '{job_id}' for this tenant")
        return ScreeningJob.model_validate(raw)

    def cancel(self, tenant: str, job_id: str) -> ScreeningJob:
        """Ask a job to stop; a queued job stops at once, a running one after its current chunk."""
        job = self.get(tenant, job_id)
        if job.status.finished:
            return job
        if job.status is JobStatus.QUEUED:
            job = job.model_copy(
                update={
                    "status": JobStatus.CANCELLED,
                    "finished_at": datetime.now(UTC),
                    "cancel_requested": True,
                }
            )
        else:
            job = job.model_copy(update={"cancel_requested": True})
        self.store.put_job(tenant, job_id, job.model_dump(mode="json"))
        return job

    def results(self, tenant: str, job_id: str, cursor: str | None, limit: int) -> ResultPage:
        """A page of results in product order; `cursor` is the index to start at."""
        job = self.get(tenant, job_id)
        start = int(cursor) if cursor and cursor.isdigit() else 0
        rows = self.store.get_job_results(tenant, job_id, start, limit)
        items = [ScreenedProduct.model_validate(r) for r in rows]
        end = start + len(items)
        more = end < job.done
        return ResultPage(items=items, next_cursor=str(end) if more else None)

    # -- the worker ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (idempotent); it resumes jobs a previous process left queued or running."""
        self._worker.start(poll_s=5.0)

    def stop(self, timeout: float = 10.0) -> None:
        self._worker.stop(timeout)

    def run_pending(self) -> int:
        """Run every unfinished job to its end in this thread; returns how many ran (CLI and tests)."""
        ran = 0
        for tenant, job_id in self.store.unfinished_jobs():
            self._run(tenant, job_id)
            ran += 1
        return ran

    def _run(self, tenant: str, job_id: str) -> None:
        job = self.get(tenant, job_id)
        if job.status.finished:
            return
        now = datetime.now(UTC)
        job = job.model_copy(update={"status": JobStatus.RUNNING, "started_at": job.started_at or now})
        self.store.put_job(tenant, job_id, job.model_dump(mode="json"))
        try:
            rules, reference = self._rules()
            data_version = self.store.data_version(tenant)
            if job.done and (job.data_version != data_version or job.reference != reference):
                # The data or a list changed since the saved chunks: their verdicts may be stale.
                job = job.model_copy(update={"done": 0, "verdicts": {}})
            job = job.model_copy(update={"data_version": data_version, "reference": reference})
            while job.done < job.total:
                if self._worker.stopping:
                    return  # shutting down: the job stays running and resumes at the next start
                current = self.get(tenant, job_id)
                if current.cancel_requested:
                    job = job.model_copy(update={"status": JobStatus.CANCELLED, "cancel_requested": True})
                    break
                chunk = job.product_ids[job.done : job.done + JOB_CHUNK]
                rows = screen_all(self.store, tenant, chunk, rules)
                if len(rows) != len(chunk):
                    missing = sorted(set(chunk) - {r.product_id for r in rows})
                    raise NotFoundError(f"products no longer loaded: {', '.join(missing[:10])}")
                self.store.put_job_results(
                    tenant, job_id, job.done, [r.model_dump(mode="json") for r in rows]
                )
                verdicts = dict(job.verdicts)
                for r in rows:
                    verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
                job = job.model_copy(update={"done": job.done + len(chunk), "verdicts": verdicts})
                self.store.put_job(tenant, job_id, job.model_dump(mode="json"))
            else:
                job = job.model_copy(update={"status": JobStatus.DONE})
        except TracegraphError as e:
            if isinstance(e, NotFoundError):
                job = job.model_copy(update={"status": JobStatus.FAILED, "error": e.detail})
            else:
                raise  # store trouble: the job stays running and is resumed later
        job = job.model_copy(update={"finished_at": datetime.now(UTC)})
        self.store.put_job(tenant, job_id, job.model_dump(mode="json"))
        if job.callback_url:
            self._callback(tenant, job)

    def _callback(self, tenant: str, job: ScreeningJob) -> None:
        payload = JobView.of(job).model_dump(mode="json")
        attempts = list(job.callbacks)
        for attempt in range(CALLBACK_ATTEMPTS):
            try:
                status = self._post(job.callback_url or "", payload)
                attempts.append(CallbackAttempt(at=datetime.now(UTC), status=status))
                if 200 <= status < 300:
                    break
            except httpx.HTTPError as e:
                attempts.append(CallbackAttempt(at=datetime.now(UTC), error=str(e) or type(e).__name__))
            if attempt + 1 < CALLBACK_ATTEMPTS and not self._worker.sleep(backoff_delay(attempt)):
                continue
            break
        job = job.model_copy(update={"callbacks": attempts})
        self.store.put_job(tenant, job.job_id, job.model_dump(mode="json"))


class ResultFormat(StrEnum):
    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"


CSV_COLUMNS = ("product_id", "verdict", "facility_id", "rule", "gap")


def stream_results(runner: JobRunner, tenant: str, job_id: str, fmt: ResultFormat) -> Iterator[str]:
    """Every result saved so far, page by page, as NDJSON lines or CSV rows (header first).

    Streamed so that 100,000 results never sit in memory at once on either side.
    """
    if fmt is ResultFormat.CSV:
        yield ",".join(CSV_COLUMNS) + "\r\n"
    cursor: str | None = None
    while True:
        page = runner.results(tenant, job_id, cursor, 5000)
        for item in page.items:
            if fmt is ResultFormat.CSV:
                row = item.model_dump(mode="json")
                buffer = io.StringIO()
                csv.writer(buffer).writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
                yield buffer.getvalue()
            else:
                yield item.model_dump_json() + "\n"
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _post_json(url: str, payload: dict[str, object]) -> int:
    response = httpx.post(url, json=payload, timeout=CALLBACK_TIMEOUT_S)
    return response.status_code


def wait_for(runner: JobRunner, tenant: str, job_id: str, timeout: float = 60.0) -> ScreeningJob:
    """Poll until a job has finished (tests and the CLI)."""
    deadline = time.monotonic() + timeout
    while True:
        job = runner.get(tenant, job_id)
        if job.status.finished or time.monotonic() > deadline:
            return job
        time.sleep(0.05)
