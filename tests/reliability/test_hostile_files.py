"""Hostile files in one batch with good ones: each bad file is reported with a clear
reason, nothing crashes, every good file is indexed, memory stays bounded.

Both entry points are covered: ``KnowledgeBase.ingest`` over a folder (in a
subprocess, so its peak RSS can be measured) and ``POST /documents`` uploads
through the real app (real Chroma in ``tmp_path``; the hashing embedder keeps
it fast, the model is not what is under test here).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT
from tests.reliability.hostile import HostileFile, write_big_text, write_hostile_corpus

MAX_RSS = 3 * 2**30

_INGEST_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from retrieval import KnowledgeBase
    from tests.fakes import HashingEmbedder

    kb = KnowledgeBase.open(data_dir=Path(sys.argv[1]), embedder=HashingEmbedder())
    report = kb.ingest([Path(sys.argv[2])])
    texts = {r.source_key: "".join(c.chunk.text for c in kb.chunks(r.doc_id))
             for r in kb.documents()}
    print(json.dumps({
        "outcomes": [[o.source_key, o.status, o.reason] for o in report.outcomes],
        "texts": texts,
    }, ensure_ascii=False))
    """
)


def _run_measured(args: list[str], *, timeout: float = 240.0) -> tuple[str, int]:
    """Run a Python subprocess, polling its peak RSS; return (stdout, peak bytes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    watched = psutil.Process(proc.pid)
    peak = 0
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"ingest subprocess ran past {timeout:.0f} s")
        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, f"ingest subprocess crashed:\n{err[-3000:]}"
    return out, peak


def _check_outcomes(
    specs: list[HostileFile], outcomes: dict[str, tuple[str, str | None]], texts: dict[str, str]
) -> None:
    problems = []
    for spec in specs:
        status, reason = outcomes[spec.relpath]
        if spec.expect == "rejected":
            if status != "failed" or not re.search(spec.reason, reason or ""):
                problems.append(
                    f"{spec.relpath}: expected a failure matching {spec.reason!r}, "
                    f"got {status} {reason!r}"
                )
        else:
            if status not in ("added", "updated"):
                problems.append(f"{spec.relpath}: expected indexed, got {status} {reason!r}")
            elif spec.must_contain not in texts.get(spec.relpath, ""):
                problems.append(f"{spec.relpath}: {spec.must_contain!r} is not in the index")
    assert not problems, "\n".join(problems)


def test_kb_ingest_reports_each_hostile_file_and_indexes_the_good_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    specs = write_hostile_corpus(docs)
    out, peak = _run_measured(["-c", _INGEST_SCRIPT, str(tmp_path / "data"), str(docs)])
    result = json.loads(out.strip().splitlines()[-1])
    by_rel = {
        str(Path(key).relative_to(docs.resolve())): (status, reason)
        for key, status, reason in result["outcomes"]
    }
    texts = {str(Path(k).relative_to(docs.resolve())): v for k, v in result["texts"].items()}
    # Dot-names are hidden files to a folder walk: skipped, like .DS_Store or .git.
    assert set(by_rel) == {s.relpath for s in specs if s.expect != "hidden"}
    _check_outcomes([s for s in specs if s.expect != "hidden"], by_rel, texts)
    # A zip bomb that unpacks to 1 GiB must never be unpacked.
    assert peak < MAX_RSS, f"peak RSS {peak / 2**20:.0f} MiB"


def test_html_named_md_is_not_indexed_as_markup(tmp_path: Path) -> None:
    """An HTML page saved as .md is still a web page: its tags must not become text."""
    docs = tmp_path / "docs"
    write_hostile_corpus(docs, bomb_bytes=2**20)
    import ingest

    doc = ingest.read_document(docs / "html_named.md")
    assert "金牛街道" in doc.text
    assert "<html" not in doc.text.lower() and "<p>" not in doc.text


# --- uploads through the real app -------------------------------------------------


@pytest.fixture
def upload_client(tmp_path: Path):
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.services import Services
    from server.settings import Settings
    from tests.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path / "data")
    services = Services(settings, embedder=HashingEmbedder())
    app = create_app(settings=settings, services=services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, services


def _wait(client, job_id: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_uploads_of_hostile_files_are_refused_or_reported(upload_client, tmp_path: Path) -> None:
    client, services = upload_client
    docs = tmp_path / "docs"
    specs = write_hostile_corpus(docs)
    refused: dict[str, str] = {}
    jobs: dict[str, str] = {}
    for spec in specs:
        data = (docs / spec.relpath).read_bytes()
        name = Path(spec.relpath).name
        response = client.post("/documents", files=[("files", (name, data))])
        assert response.status_code < 500, f"{spec.relpath}: {response.status_code} {response.text}"
        if response.status_code == 202:
            jobs[spec.relpath] = response.json()["job_id"]
        else:
            body = response.json()
            assert body["error"]["message"], spec.relpath
            refused[spec.relpath] = body["error"]["message"]
    problems = []
    for spec in specs:
        if spec.relpath in refused:
            if spec.expect != "rejected":
                problems.append(f"{spec.relpath}: good file refused: {refused[spec.relpath]}")
            continue
        job = _wait(client, jobs[spec.relpath])
        if spec.expect != "rejected":
            if job["status"] != "done" or job["failures"]:
                problems.append(f"{spec.relpath}: job {job['status']} {job['failures']}")
        else:
            reasons = " ".join(f["reason"] for f in job["failures"]) + (job.get("error") or "")
            if job["status"] != "failed" or not re.search(spec.reason, reasons):
                problems.append(f"{spec.relpath}: expected a failure like {spec.reason!r}: {job}")
    assert not problems, "\n".join(problems)
    kb = services.knowledge_base
    texts = {
        r.source_key: "".join(c.chunk.text for c in kb.chunks(r.doc_id)) for r in kb.documents()
    }
    for spec in specs:
        if spec.expect != "rejected":
            assert any(spec.must_contain in t for t in texts.values()), spec.relpath
    assert kb.check().ok


def test_upload_names_are_sanitised(upload_client) -> None:
    client, services = upload_client
    data = "上传名称测试：芙蓉街道开展邻里节活动。".encode()
    response = client.post("/documents", files=[("files", ("../../evil.txt", data))])
    assert response.status_code == 202, response.text
    assert _wait(client, response.json()["job_id"])["status"] == "done"
    keys = [r.source_key for r in services.knowledge_base.documents()]
    assert keys == ["evil.txt"]
    assert not (Path(services.settings.data_dir).parent / "evil.txt").exists()


def test_an_upload_over_the_size_limit_is_refused_as_too_large(upload_client, tmp_path) -> None:
    client, services = upload_client
    limit = services.settings.max_upload_mb * 2**20
    big = write_big_text(tmp_path / "big.txt", size=limit + 4096)
    with big.open("rb") as handle:
        response = client.post("/documents", files=[("files", ("big.txt", handle))])
    assert response.status_code == 413
    assert re.search(r"(?i)too large|过大", response.json()["error"]["message"])
    assert services.knowledge_base.documents() == []
