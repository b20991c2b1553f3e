"""Background ingest jobs: one worker thread, progress that requests can read, bounded history.

Indexing a folder takes minutes; an HTTP request must not. A route submits the
work here and answers ``202`` with the job's id at once; the client then polls
``GET /jobs/{id}``. Jobs run one at a time on a single worker thread because
the index has one writer (Chroma + the BM25 file); :attr:`JobManager.write_lock`
is the same lock, so a deletion never interleaves with an ingest.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ingest import IngestError
from retrieval import IngestProgress, IngestReport

log = logging.getLogger(__name__)

ProgressCallback = Callable[[IngestProgress], None]
JobWork = Callable[[ProgressCallback], IngestReport]

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


@dataclass(frozen=True)
class JobFailure:
    """One file that could not be indexed, and why (in plain words)."""

    source: str
    reason: str


@dataclass(frozen=True)
class JobSnapshot:
    """A consistent copy of a job's state at one moment (safe to hand to a request)."""

    job_id: str
    kind: str
    label: str
    status: str
    files_done: int
    files_total: int
    chunks: int
    current: str
    added: int
    updated: int
    unchanged: int
    duplicates: int  # files not indexed: another document already has their bytes
    failures: tuple[JobFailure, ...]
    error: str | None
    created_at: float
    started_at: float | None
    finished_at: float | None
    # Files indexed with parts left out (pages OCR gave up on), and what was left out.
    warnings: tuple[JobFailure, ...] = ()
    # OCR pages of the file ``current`` done and to do (0/0: it is not being OCRed).
    pages_done: int = 0
    pages_total: int = 0


@dataclass
class _Job:
    job_id: str
    kind: str
    label: str
    files_total: int
    status: str = QUEUED
    files_done: int = 0
    chunks: int = 0
    current: str = ""
    pages_done: int = 0
    pages_total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failures: list[JobFailure] = field(default_factory=list)
    warnings: list[JobFailure] = field(default_factory=list)
    error: str | None = None
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None

    def snapshot(self) -> JobSnapshot:
        return JobSnapshot(
            job_id=self.job_id,
            kind=self.kind,
            label=self.label,
            status=self.status,
            files_done=self.files_done,
            files_total=self.files_total,
            chunks=self.chunks,
            current=self.current,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            duplicates=self.duplicates,
            failures=tuple(self.failures),
            warnings=tuple(self.warnings),
            pages_done=self.pages_done,
            pages_total=self.pages_total,
            error=self.error,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
        )


class JobManager:
    """Runs ingest work in the background and remembers the last ``max_history`` jobs."""

    def __init__(self, *, max_history: int = 200) -> None:
        if max_history < 1:
            raise ValueError("max_history must be at least 1")
        self._max_history = max_history
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-ingest")

    def submit(self, work: JobWork, *, kind: str, label: str, files_total: int = 0) -> JobSnapshot:
        """Queue ``work`` (called with a progress callback, returns the report)."""
        job = _Job(job_id=uuid.uuid4().hex, kind=kind, label=label, files_total=files_total)
        with self._lock:
            self._jobs[job.job_id] = job
            self._forget_old()
            snapshot = job.snapshot()
        self._executor.submit(self._run, job, work)
        return snapshot

    def get(self, job_id: str) -> JobSnapshot | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.snapshot() if job else None

    def recent(self) -> list[JobSnapshot]:
        """Every remembered job, newest first."""
        with self._lock:
            return [job.snapshot() for job in reversed(self._jobs.values())]

    def wait(self, job_id: str, *, timeout: float = 60.0) -> JobSnapshot | None:
        """Block until the job has finished (for the CLI and tests); ``None`` if unknown."""
        deadline = time.monotonic() + timeout
        while True:
            snap = self.get(job_id)
            if snap is None or snap.status in (DONE, FAILED) or time.monotonic() > deadline:
                return snap
            time.sleep(0.05)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait`` let the running one finish."""
        self._executor.shutdown(wait=wait, cancel_futures=True)

    def _forget_old(self) -> None:
        # Only finished jobs are dropped: a client polling a running job must find it.
        excess = len(self._jobs) - self._max_history
        for job_id in [j.job_id for j in self._jobs.values() if j.status in (DONE, FAILED)]:
            if excess <= 0:
                break
            del self._jobs[job_id]
            excess -= 1

    def _run(self, job: _Job, work: JobWork) -> None:
        with self._lock:
            job.status = RUNNING
            job.started_at = time.time()

        def progress(p: IngestProgress) -> None:
            with self._lock:
                job.files_done = p.files_done
                job.files_total = p.files_total
                job.chunks = p.chunks_done
                job.current = p.current
                job.pages_done, job.pages_total = p.pages_done, p.pages_total

        try:
            with self.write_lock:
                report = work(progress)
        except IngestError as exc:
            self._finish(job, error=str(exc))
        except Exception as exc:  # the worker must survive any job
            log.exception("ingest job %s failed", job.job_id)
            self._finish(job, error=f"{type(exc).__name__}: {exc}")
        else:
            self._finish(job, report=report)

    def _finish(
        self, job: _Job, *, report: IngestReport | None = None, error: str | None = None
    ) -> None:
        with self._lock:
            job.finished_at = time.time()
            job.current = ""
            job.pages_done = job.pages_total = 0
            if report is not None:
                job.files_total = len(report.outcomes)
                job.files_done = len(report.outcomes)
                job.chunks = report.chunks
                job.added, job.updated, job.unchanged, job.duplicates = (
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.duplicates,
                )
                job.failures = [
                    JobFailure(source=o.source_key, reason=o.reason or "未知原因 / unknown reason")
                    for o in report.outcomes
                    if o.status == "failed"
                ]
                job.warnings = [
                    JobFailure(source=o.source_key, reason=o.reason)
                    for o in report.outcomes
                    if o.status in ("added", "updated") and o.reason
                ]
            job.error = error
            # A job whose every file failed did not index anything: that is a failure.
            all_failed = (
                report is not None and report.outcomes and report.failed == len(report.outcomes)
            )
            job.status = FAILED if error is not None or all_failed else DONE
            self._forget_old()
