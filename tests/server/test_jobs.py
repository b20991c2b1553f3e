"""Background ingest jobs: the manager on its own, then through the HTTP API."""

from __future__ import annotations

import threading

import pytest

from retrieval import FileOutcome, IngestProgress, IngestReport
from server.jobs import JobManager
from tests.server.conftest import wait_for_job


def _report(*outcomes: FileOutcome) -> IngestReport:
    return IngestReport(outcomes=outcomes, elapsed_s=0.01)


@pytest.fixture
def manager():
    jobs = JobManager(max_history=3)
    yield jobs
    jobs.shutdown()


def test_job_runs_in_background_and_reports_progress(manager: JobManager) -> None:
    release = threading.Event()
    seen_running = threading.Event()

    def work(progress):
        progress(IngestProgress(1, 2, 5, "a.txt", 0, 0.1))
        seen_running.set()
        release.wait(5)
        return _report(
            FileOutcome("a.txt", "added", doc_id="a", chunks=5),
            FileOutcome("b.txt", "failed", reason="文件已损坏"),
        )

    snap = manager.submit(work, kind="upload", label="a.txt、b.txt", files_total=2)
    assert snap.status == "queued"
    assert seen_running.wait(5)
    running = manager.get(snap.job_id)
    assert running is not None
    assert (running.status, running.files_done, running.files_total, running.chunks) == (
        "running",
        1,
        2,
        5,
    )
    assert running.current == "a.txt"
    release.set()
    done = manager.wait(snap.job_id, timeout=5)
    assert done is not None and done.status == "done"
    assert (done.files_done, done.files_total, done.chunks, done.added) == (2, 2, 5, 1)
    assert [(f.source, f.reason) for f in done.failures] == [("b.txt", "文件已损坏")]
    assert done.finished_at is not None and done.started_at is not None


def test_job_whose_every_file_failed_is_failed(manager: JobManager) -> None:
    snap = manager.submit(
        lambda progress: _report(FileOutcome("x.pdf", "failed", reason="扫描件，没有文字")),
        kind="upload",
        label="x.pdf",
    )
    done = manager.wait(snap.job_id, timeout=5)
    assert done is not None and done.status == "failed"
    assert done.failures[0].reason == "扫描件，没有文字"


def test_exception_fails_the_job_and_the_worker_survives(manager: JobManager) -> None:
    def boom(progress):
        raise RuntimeError("disk full")

    first = manager.submit(boom, kind="folder", label="x")
    second = manager.submit(
        lambda progress: _report(FileOutcome("a", "added", chunks=1)), kind="folder", label="y"
    )
    failed = manager.wait(first.job_id, timeout=5)
    assert failed is not None and failed.status == "failed"
    assert failed.error is not None and "disk full" in failed.error
    ok = manager.wait(second.job_id, timeout=5)
    assert ok is not None and ok.status == "done"


def test_jobs_run_one_at_a_time_in_order(manager: JobManager) -> None:
    order: list[str] = []
    active = []

    def work(name):
        def run(progress):
            active.append(name)
            assert len(active) == 1, "two jobs ran at once"
            order.append(name)
            active.remove(name)
            return _report()

        return run

    ids = [manager.submit(work(n), kind="upload", label=n).job_id for n in "abc"]
    for job_id in ids:
        manager.wait(job_id, timeout=5)
    assert order == ["a", "b", "c"]


def test_history_is_bounded_and_keeps_unfinished_jobs(manager: JobManager) -> None:
    gate = threading.Event()
    blocked = manager.submit(lambda p: (gate.wait(5), _report())[1], kind="upload", label="slow")
    later = [manager.submit(lambda p: _report(), kind="upload", label=str(i)) for i in range(5)]
    # Queued and running jobs are never forgotten, whatever the bound.
    assert manager.get(blocked.job_id) is not None
    assert all(manager.get(s.job_id) is not None for s in later)
    gate.set()
    for snap in later:
        manager.wait(snap.job_id, timeout=5)
    manager.submit(lambda p: _report(), kind="upload", label="last")
    assert len(manager.recent()) <= 3
    assert manager.get(blocked.job_id) is None  # the oldest finished job went first


def test_write_lock_is_held_while_a_job_runs(manager: JobManager) -> None:
    inside = threading.Event()
    release = threading.Event()

    def work(progress):
        inside.set()
        release.wait(5)
        return _report()

    snap = manager.submit(work, kind="upload", label="x")
    assert inside.wait(5)
    assert not manager.write_lock.acquire(timeout=0.05)
    release.set()
    manager.wait(snap.job_id, timeout=5)
    assert manager.write_lock.acquire(timeout=1)
    manager.write_lock.release()


def test_max_history_must_be_positive() -> None:
    with pytest.raises(ValueError):
        JobManager(max_history=0)


# --- over HTTP -------------------------------------------------------------


def test_upload_returns_202_and_the_job_reports_progress_and_failures(fake_client) -> None:
    files = [
        ("files", ("第一篇.txt", "社区党建工作总结\n网格员走访居民。".encode(), "text/plain")),
        ("files", ("坏文件.txt", "BROKEN 内容".encode(), "text/plain")),
    ]
    resp = fake_client.post("/documents", files=files)
    assert resp.status_code == 202
    body = resp.json()
    assert resp.headers["location"] == f"/jobs/{body['job_id']}"
    job = wait_for_job(fake_client, body["job_id"])
    assert job["status"] == "done"
    assert (job["files_done"], job["files_total"], job["added"], job["failed"]) == (2, 2, 1, 1)
    assert job["chunks"] == 2
    assert job["failures"] == [{"source": "坏文件.txt", "reason": "文件已损坏"}]
    listed = fake_client.get("/jobs").json()["items"]
    assert [j["job_id"] for j in listed] == [body["job_id"]]


def test_job_status_is_visible_while_running(make_fake_client) -> None:
    client = make_fake_client()
    client.app.state.services.knowledge_base.ingest_delay = 0.3
    files = [("files", (f"{i}.txt", f"第{i}篇 社区工作".encode(), "text/plain")) for i in range(3)]
    job_id = client.post("/documents", files=files).json()["job_id"]
    statuses = set()
    for _ in range(200):
        job = client.get(f"/jobs/{job_id}").json()
        statuses.add(job["status"])
        if job["status"] == "done":
            break
        assert 0 <= job["files_done"] <= 3
        threading.Event().wait(0.02)
    assert "running" in statuses and "done" in statuses


def test_unknown_job_is_404(fake_client) -> None:
    resp = fake_client.get("/jobs/does-not-exist")
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_duplicates_are_counted_and_neither_failures_nor_warnings(manager: JobManager) -> None:
    snap = manager.submit(
        lambda progress: _report(
            FileOutcome("a.txt", "added", doc_id="a", chunks=2),
            FileOutcome(
                "a(1).txt", "duplicate", doc_id="a", reason="same content as a.txt, already indexed"
            ),
        ),
        kind="upload",
        label="a.txt、a(1).txt",
    )
    done = manager.wait(snap.job_id, timeout=5)
    assert done is not None and done.status == "done"
    assert (done.added, done.duplicates, done.files_done, done.chunks) == (1, 1, 2, 2)
    assert done.failures == () and done.warnings == ()


def test_file_indexed_with_pages_left_out_is_a_warning_not_a_failure(
    manager: JobManager,
) -> None:
    left_out = "page 3: OCR took longer than 180s and was skipped; text of the other pages kept"
    snap = manager.submit(
        lambda progress: _report(
            FileOutcome("扫描件.pdf", "added", doc_id="s", chunks=40, reason=left_out),
            FileOutcome("a.txt", "added", doc_id="a", chunks=2),
        ),
        kind="upload",
        label="扫描件.pdf、a.txt",
    )
    done = manager.wait(snap.job_id, timeout=5)
    assert done is not None and done.status == "done"
    assert done.failures == ()
    assert [(w.source, w.reason) for w in done.warnings] == [("扫描件.pdf", left_out)]
