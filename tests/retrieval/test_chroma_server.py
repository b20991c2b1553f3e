"""Server mode: the same KnowledgeBase over HTTP to a real ``chroma run`` process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from retrieval import KnowledgeBase
from tests.conftest import CORPUS_DIR
from tests.fakes import HashingEmbedder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path: Path):
    cli = Path(sys.executable).parent / "chroma"
    if not cli.exists():
        pytest.skip(f"the chroma CLI is not installed next to {sys.executable}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            str(cli),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not come up (exit code {proc.poll()})")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_index_and_query_through_a_chroma_server(tmp_path: Path, chroma_url: str) -> None:
    files = sorted(CORPUS_DIR.glob("*.txt"))[:2]
    embedder = HashingEmbedder()
    kb = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=embedder, chroma_url=chroma_url)
    report = kb.ingest(files)
    assert report.added == 2 and report.failed == 0
    assert not (tmp_path / "data" / "chroma").exists()  # vectors live on the server

    item = kb.chunks(report.outcomes[1].doc_id)[2]
    hits = kb.store.query(embedder.embed_queries([item.chunk.text])[0], k=3)
    assert hits[0][0] == item.chunk.chunk_id
    assert kb.check().ok

    # A second client (e.g. another server process) sees the same index.
    other = KnowledgeBase.open(
        data_dir=tmp_path / "other", embedder=embedder, chroma_url=chroma_url
    )
    assert {r.doc_id for r in other.documents()} == {o.doc_id for o in report.outcomes}
    assert len(other.keyword_index) == kb.chunk_count()  # BM25 rebuilt from the server's chunks
    assert other.ingest(files).unchanged == 2


def test_named_knowledge_bases_on_a_chroma_server(tmp_path: Path, chroma_url: str) -> None:
    import chromadb

    from retrieval import HybridSearcher
    from retrieval.federated import FederatedSearcher
    from retrieval.registry import KnowledgeBaseRegistry
    from tests.conftest import POLICY_DIR

    embedder = HashingEmbedder()
    data_dir = tmp_path / "data"
    registry = KnowledgeBaseRegistry(
        data_dir=data_dir,
        opener=lambda c: KnowledgeBase.open(
            data_dir=data_dir, embedder=embedder, chroma_url=chroma_url, collection=c
        ),
    )
    registry.create("news", title="工作材料")
    registry.create("policy", title="政策法规")
    registry.get("news").ingest(sorted(CORPUS_DIR.glob("*.txt"))[:2])
    registry.get("policy").ingest([POLICY_DIR])
    port = int(chroma_url.rsplit(":", 1)[1])
    server = chromadb.HttpClient(host="127.0.0.1", port=port)
    names = {c.name for c in server.list_collections()}
    assert {"kb-news", "kb-policy"} <= names

    both = FederatedSearcher({n: HybridSearcher(registry.get(n)) for n in ("news", "policy")})
    assert both.search("居民委员会任期", k=3)[0].knowledge_base == "policy"

    registry.delete("policy")
    assert "kb-policy" not in {c.name for c in server.list_collections()}
    assert registry.get("news").chunk_count() > 0
