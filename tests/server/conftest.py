"""Fixtures for the server tests: apps over fakes (fast) and over the real parts.

The fast apps use an in-memory knowledge base and searcher that go through the
same methods the routes call; the real apps share one session-wide ``Services``
whose knowledge base holds the sample corpus embedded with the real model."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from retrieval import (
    DocumentRecord,
    FileOutcome,
    Hit,
    IngestProgress,
    IngestReport,
    SearchFilters,
    SearchRequestError,
    StoredChunk,
)
from server.app import create_app
from server.services import Services
from server.settings import Settings
from tests.fakes import HashingEmbedder

TOKEN = "test-token-0123456789"


# --- fakes -----------------------------------------------------------------


class FakeKnowledgeBase:
    """An in-memory stand-in for ``retrieval.KnowledgeBase``: paragraphs are chunks,
    UTF-8 is the only encoding, a file whose text says ``BROKEN`` fails to load."""

    def __init__(self) -> None:
        self._docs: dict[str, DocumentRecord] = {}
        self._chunks: dict[str, list[StoredChunk]] = {}
        self.lock = threading.Lock()
        self.ingest_delay = 0.0

    def _add(self, source_key: str, data: bytes) -> FileOutcome:
        from ingest import Chunk

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return FileOutcome(source_key, "failed", reason="无法识别文件编码")
        if "BROKEN" in text:
            return FileOutcome(source_key, "failed", reason="文件已损坏")
        doc_id = hashlib.sha1(source_key.encode()).hexdigest()[:16]
        digest = hashlib.sha256(data).hexdigest()
        old = self._docs.get(doc_id)
        if old is not None and old.content_hash == digest:
            return FileOutcome(source_key, "unchanged", doc_id=doc_id)
        title = text.strip().splitlines()[0][:40] if text.strip() else source_key
        chunks: list[StoredChunk] = []
        offset = 0
        for index, para in enumerate(p for p in text.split("\n") if p.strip()):
            start = text.index(para, offset)
            offset = start + len(para)
            chunk = Chunk(f"{doc_id}:{index:05d}", doc_id, index, para, start, offset)
            chunks.append(
                StoredChunk(
                    chunk=chunk, title=title, source_key=source_key, doc_hash=digest, doc_chunks=0
                )
            )
        self._chunks[doc_id] = chunks
        self._docs[doc_id] = DocumentRecord(doc_id, source_key, title, digest, len(chunks))
        return FileOutcome(
            source_key, "updated" if old else "added", doc_id=doc_id, chunks=len(chunks)
        )

    def ingest_bytes(
        self,
        items: Sequence[tuple[str, bytes]],
        *,
        progress: Callable[[IngestProgress], None] | None = None,
    ) -> IngestReport:
        outcomes = []
        for n, (name, data) in enumerate(items, 1):
            time.sleep(self.ingest_delay)
            with self.lock:
                outcomes.append(self._add(name, data))
            if progress:
                chunks = sum(o.chunks for o in outcomes)
                failed = sum(o.status == "failed" for o in outcomes)
                progress(IngestProgress(n, len(items), chunks, name, failed, 0.0))
        return IngestReport(tuple(outcomes), 0.0)

    def ingest(self, paths: Sequence[Path], *, progress=None, prune: bool = False) -> IngestReport:
        files = [
            f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p]) if f.is_file()
        ]
        return self.ingest_bytes([(str(f), f.read_bytes()) for f in files], progress=progress)

    def documents(self, filters: SearchFilters | None = None) -> list[DocumentRecord]:
        return list(self._docs.values())

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self._docs.get(doc_id)

    def chunks(self, doc_id: str) -> list[StoredChunk]:
        return list(self._chunks.get(doc_id, []))

    def remove(self, doc_id: str) -> bool:
        self._chunks.pop(doc_id, None)
        return self._docs.pop(doc_id, None) is not None

    def chunk_count(self) -> int:
        return sum(len(c) for c in self._chunks.values())


class FakeSearcher:
    """Ranks chunks by how many of the query's characters they share."""

    def __init__(self, kb: FakeKnowledgeBase) -> None:
        self._kb = kb

    def search(self, query: str, *, k: int = 10, filters=None, mode: str = "hybrid") -> list[Hit]:
        if mode not in ("hybrid", "dense", "bm25"):
            raise SearchRequestError(f"unknown mode {mode}")
        wanted = set(query)
        scored = []
        for chunks in self._kb._chunks.values():
            for s in chunks:
                score = len(wanted & set(s.chunk.text)) / max(1, len(wanted))
                if score > 0:
                    scored.append((score, s))
        scored.sort(key=lambda x: -x[0])
        return [
            Hit(
                s.chunk.chunk_id,
                s.chunk.doc_id,
                s.chunk.text,
                s.title,
                (),
                s.chunk.start,
                s.chunk.end,
                score,
            )
            for score, s in scored[:k]
        ]


def make_fake_services(settings: Settings, **parts: Any) -> Services:
    """``Services`` over the fakes; ``parts`` (e.g. ``searcher=``) replace some of them."""
    from answer import ExtractiveGenerator

    kb = FakeKnowledgeBase()
    embedder = HashingEmbedder()
    fakes: dict[str, Any] = {
        "embedder": embedder,
        "knowledge_base": kb,
        "searcher": FakeSearcher(kb),
        "generator": ExtractiveGenerator(embedder),
    }
    return Services(settings, **{**fakes, **parts})


@pytest.fixture
def make_fake_client(tmp_path: Path) -> Iterator[Callable[..., httpx.Client]]:
    """Build a TestClient over an app with fake parts; settings overrides as kwargs."""
    from fastapi.testclient import TestClient

    clients: list[TestClient] = []

    def make(**overrides) -> TestClient:
        settings = Settings(data_dir=tmp_path / "data", **overrides)
        app = create_app(settings=settings, services=make_fake_services(settings))
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def fake_client(make_fake_client) -> httpx.Client:
    return make_fake_client()


def wait_for_job(client: httpx.Client, job_id: str, *, timeout: float = 60.0, headers=None) -> dict:
    """Poll ``GET /jobs/{id}`` until the job has finished."""
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


# --- the real parts --------------------------------------------------------


@pytest.fixture(scope="session")
def real_services(corpus_kb, real_embedder, tmp_path_factory) -> Services:
    """One warm ``Services`` over the real model and the sample corpus (read-only)."""
    services = Services(
        Settings(data_dir=tmp_path_factory.mktemp("server-real")),
        embedder=real_embedder,
        knowledge_base=corpus_kb,
    )
    services.warm_up()  # the real Searcher and the extractive generator
    return services


@pytest.fixture
def real_client(real_services: Services) -> Iterator[httpx.Client]:
    """A client of an app over the real, shared (read-only) knowledge base."""
    from fastapi.testclient import TestClient

    app = create_app(settings=real_services.settings, services=real_services)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def writable_client(tmp_path: Path, real_embedder) -> Iterator[httpx.Client]:
    """A client of an app over its own, empty real knowledge base (real model, real
    Chroma in ``tmp_path``), with ``tmp_path/roots`` as the server-side ingest root."""
    from fastapi.testclient import TestClient

    roots = tmp_path / "roots"
    roots.mkdir()
    settings = Settings(data_dir=tmp_path / "data", ingest_roots=[roots])
    services = Services(settings, embedder=real_embedder)
    app = create_app(settings=settings, services=services)  # the lifespan warms it up
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


# --- a live server -------------------------------------------------------------


@contextlib.contextmanager
def serve_live(app) -> Iterator[str]:
    """Run ``app`` on uvicorn at a free loopback port in a thread; yield its base URL."""
    import socket

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
