"""Every implementation of a retrieval seam, real or fake, passes the same contract;
and ``KnowledgeBase`` works over any store and index that do."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval import BM25Index, Catalog, ChromaVectorStore, HybridSearcher, KnowledgeBase
from retrieval.types import KeywordIndex, VectorStore
from tests.fakes import HashingEmbedder
from tests.retrieval.contracts import KeywordIndexContract, VectorStoreContract
from tests.retrieval.memory_kb import MemoryKeywordIndex, MemoryStore


class TestChromaVectorStore(VectorStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> VectorStore:
        return ChromaVectorStore.persistent(tmp_path / "chroma", collection="contract")


class TestMemoryStore(VectorStoreContract):
    @pytest.fixture
    def store(self) -> VectorStore:
        return MemoryStore()


class TestBM25Index(KeywordIndexContract):
    @pytest.fixture
    def index(self, tmp_path: Path) -> KeywordIndex:
        return BM25Index(tmp_path / "bm25" / "contract.npz")

    def test_a_saved_index_loads_back_the_same(self, index: KeywordIndex, tmp_path: Path) -> None:
        from tests.retrieval.contracts import corpus

        index.add(corpus())
        index.save()
        loaded = BM25Index.load(tmp_path / "bm25" / "contract.npz")
        assert loaded.fingerprint() == index.fingerprint()
        assert loaded.query("五星支部", k=3) == index.query("五星支部", k=3)


class TestMemoryKeywordIndex(KeywordIndexContract):
    @pytest.fixture
    def index(self) -> KeywordIndex:
        return MemoryKeywordIndex()


def test_a_knowledge_base_runs_over_the_in_memory_store_and_index(corpus_dir: Path) -> None:
    """Ingest, search, re-ingest, check and remove through the Protocols only."""
    store, index = MemoryStore(), MemoryKeywordIndex()
    kb = KnowledgeBase(
        store=store, keyword_index=index, embedder=HashingEmbedder(), catalog=Catalog()
    )
    report = kb.ingest([corpus_dir])
    assert report.added == len(list(corpus_dir.glob("*.txt"))) and report.failed == 0
    assert store.count() == len(index) == kb.chunk_count() > 0
    assert kb.check().ok

    hits = HybridSearcher(kb).search("五星支部创建", k=3)
    assert hits and all("五星" in h.text or "支部" in h.text for h in hits[:1])

    assert kb.ingest([corpus_dir]).unchanged == report.added
    doc_id = hits[0].doc_id
    assert kb.remove(doc_id)
    assert not kb.chunks(doc_id) and not any(c.startswith(doc_id) for c in index.chunk_ids())
    assert kb.check().ok
