"""``kb ingest`` killed with SIGKILL halfway, then run again, ends where a clean run ends.

The CLI-level variant of the knowledge base's own kill test: the real ``kb``
command in a subprocess with its own ``KB_DATA_DIR``, embedding through the
OpenAI-compatible seam (``KB_EMBEDDING_BASE_URL``) against a local stub that
serves the hashing embedder's vectors slowly, so the kill lands mid-run.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import CORPUS_DIR, ROOT
from tests.fakes import HashingEmbedder

FILES = 200
_PROGRESS = re.compile(r"^\[(\d+)/(\d+)\]")


def write_synthetic_corpus(folder: Path, files: int = FILES) -> None:
    """``files`` small real-text files: sentences of the sample corpus, recombined."""
    sentences = [
        s + "。"
        for path in sorted(CORPUS_DIR.glob("*.txt"))
        for s in path.read_text(encoding="utf-8").replace("\n", "").split("。")
        if 10 < len(s) < 120
    ]
    folder.mkdir(parents=True)
    for i in range(files):
        picked = [sentences[(i * 11 + j * 5) % len(sentences)] for j in range(12)]
        sub = folder / f"第{i // 100}批"
        sub.mkdir(exist_ok=True)
        (sub / f"材料{i:03d}.txt").write_text(
            f"第{i}号工作材料\n" + "".join(picked), encoding="utf-8"
        )


class _StubEmbeddings(BaseHTTPRequestHandler):
    """``POST /v1/embeddings`` answered with the hashing embedder's vectors, slowly."""

    embedder = HashingEmbedder()
    delay_s = 0.1

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        time.sleep(self.delay_s)
        vectors = self.embedder.embed_passages(texts)
        if body.get("encoding_format") == "base64":
            data = [
                {
                    "object": "embedding",
                    "index": i,
                    "embedding": base64.b64encode(v.astype("<f4").tobytes()).decode(),
                }
                for i, v in enumerate(vectors)
            ]
        else:
            data = [
                {"object": "embedding", "index": i, "embedding": v.tolist()}
                for i, v in enumerate(vectors)
            ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "stub"),
                "usage": {"prompt_tokens": 0, "total_tokens": 0},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubEmbeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()


def _env(data_dir: Path, embeddings_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "KB_DATA_DIR": str(data_dir),
        "KB_EMBEDDING_BASE_URL": embeddings_url,
        "KB_EMBEDDING_MODEL": "stub-hashing-256",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }


def _kb(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_kb_path(), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _snapshot(data_dir: Path) -> dict[str, tuple[str, int, tuple[str, ...]]]:
    from retrieval import KnowledgeBase

    kb = KnowledgeBase.open(data_dir=data_dir, embedder=HashingEmbedder())
    ids = sorted(kb.store.all_chunk_ids())
    out = {}
    for record in kb.documents():
        chunks = tuple(c for c in ids if c.startswith(record.doc_id + ":"))
        out[record.doc_id] = (record.content_hash, record.chunk_count, chunks)
    return out


def test_kb_ingest_killed_halfway_then_rerun_matches_a_clean_run(
    tmp_path: Path, embeddings_url: str
) -> None:
    docs = tmp_path / "docs"
    write_synthetic_corpus(docs)
    killed_dir, clean_dir = tmp_path / "killed", tmp_path / "clean"
    env = _env(killed_dir, embeddings_url)

    proc = subprocess.Popen(
        [_kb_path(), "ingest", str(docs)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    done_at_kill = 0
    tail: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            tail = (tail + [line])[-20:]
            m = _PROGRESS.match(line)
            if m and int(m.group(1)) >= int(m.group(2)) // 2:
                done_at_kill = int(m.group(1))
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == -signal.SIGKILL, "".join(tail)
    assert 0 < done_at_kill < FILES, "the kill did not land mid-run"

    resumed = _kb("ingest", str(docs), env=env)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    clean = _kb("ingest", str(docs), env=_env(clean_dir, embeddings_url))
    assert clean.returncode == 0, clean.stderr[-3000:]

    killed_state, clean_state = _snapshot(killed_dir), _snapshot(clean_dir)
    assert len(clean_state) == FILES
    assert killed_state == clean_state

    check = _kb("check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok" in check.stdout
    again = _kb("ingest", str(docs), env=env)
    assert again.returncode == 0
    assert _snapshot(killed_dir) == clean_state


def _kb_path() -> str:
    script = Path(sys.executable).with_name("kb")
    return str(script) if script.exists() else "kb"
