"""Searcher against in-memory fakes of the store, keyword index and catalog."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from retrieval.fusion import fuse_rrf
from retrieval.search import HybridSearcher
from retrieval.types import Hit, SearchFilters
from tests.retrieval.memory_kb import CHUNKS, MemoryKB, MemoryStore


@pytest.fixture
def kb() -> MemoryKB:
    return MemoryKB(CHUNKS)


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_refused_with_a_clear_message(kb, query):
    with pytest.raises(ValueError, match="empty"):
        HybridSearcher(kb).search(query)


def test_bad_mode_and_k_are_refused(kb):
    with pytest.raises(ValueError, match="mode"):
        HybridSearcher(kb).search("楼宇经济", mode="fuzzy")
    with pytest.raises(ValueError, match="k"):
        HybridSearcher(kb).search("楼宇经济", k=0)


def test_hybrid_fuses_both_retrievers_and_reports_who_found_what(kb):
    weights = {"dense": 1.0, "bm25": 2.0}
    hits = HybridSearcher(kb, max_per_doc=20, weights=weights).search("楼宇经济 党建", k=20)
    assert hits and all(isinstance(h, Hit) for h in hits)
    dense = kb.store.query(kb.embedder.embed_queries(["楼宇经济 党建"])[0], k=50)
    sparse = kb.keyword_index.query("楼宇经济 党建", k=50)
    expected = fuse_rrf(
        {"dense": [c for c, _ in dense], "bm25": [c for c, _ in sparse]}, weights=weights
    )
    assert [(h.chunk_id, h.score) for h in hits] == [(c, pytest.approx(s)) for c, s in expected]
    for hit in hits:
        assert set(hit.retrievers) == set(hit.ranks)
        if "dense" in hit.ranks:
            assert [c for c, _ in dense][hit.ranks["dense"] - 1] == hit.chunk_id
        if "bm25" in hit.ranks:
            assert [c for c, _ in sparse][hit.ranks["bm25"] - 1] == hit.chunk_id
    first = hits[0]
    source = kb.store.items[first.chunk_id]
    assert (first.text, first.doc_id, first.title, first.source_key) == (
        source.chunk.text,
        source.chunk.doc_id,
        source.title,
        source.source_key,
    )
    assert first.heading_path == ("一、加强组织建设",) and first.date == "2021-05-01"


@pytest.mark.parametrize("mode", ["dense", "bm25"])
def test_single_retriever_modes_use_only_that_retriever(kb, mode):
    hits = HybridSearcher(kb).search("常住人口", mode=mode, k=3)
    assert hits and all(h.retrievers == (mode,) for h in hits)
    assert hits[0].chunk_id == "east:00001"
    assert [h.ranks[mode] for h in hits] == sorted(h.ranks[mode] for h in hits)
    assert (kb.store.calls if mode == "bm25" else kb.keyword_index.calls) == []


def test_one_long_document_does_not_fill_the_top(kb):
    hits = HybridSearcher(kb, max_per_doc=3).search("开元路街道楼宇经济发展措施 楼宇党建", k=6)
    docs = [h.doc_id for h in hits]
    assert docs.count("long") == 3
    assert {"east", "west"} <= set(docs)
    uncapped = HybridSearcher(kb, max_per_doc=100).search(
        "开元路街道楼宇经济发展措施 楼宇党建", k=6
    )
    assert [h.doc_id for h in uncapped].count("long") > 3
    # The best chunk keeps first place.
    assert hits[0].chunk_id == uncapped[0].chunk_id


def test_filters_reach_both_retrievers_and_bound_the_results(kb):
    hits = HybridSearcher(kb).search("楼宇经济", filters=SearchFilters(regions=("东风路街道",)))
    assert hits and {h.doc_id for h in hits} == {"east"}
    assert kb.store.calls == [["east"]]
    assert kb.keyword_index.calls == [{"east"}]


def test_filters_that_match_nothing_return_nothing_without_searching(kb):
    assert HybridSearcher(kb).search("楼宇经济", filters=SearchFilters(doc_types=("plan",))) == []
    assert kb.store.calls == [] and kb.keyword_index.calls == []


def test_results_are_filtered_even_if_a_store_ignores_the_filter(kb):
    kb.store.query = lambda vector, *, k, doc_ids=None: MemoryStore.query(kb.store, vector, k=k)
    hits = HybridSearcher(kb).search("楼宇经济", filters=SearchFilters(doc_types=("report",)))
    assert hits and {h.doc_id for h in hits} == {"west"}


def test_chunks_missing_from_the_store_are_skipped(kb):
    del kb.store.items["east:00000"]
    hits = HybridSearcher(kb).search("引进总部企业")
    assert "east:00000" not in {h.chunk_id for h in hits}


class ReversingReranker:
    def __init__(self) -> None:
        self.seen: list[Hit] = []

    def rerank(self, query: str, hits: Sequence[Hit], *, k: int) -> list[Hit]:
        self.seen = list(hits)
        return list(reversed(hits))[:k]


def test_reranker_sees_the_fused_pool_and_decides_the_order(kb):
    reranker = ReversingReranker()
    plain = HybridSearcher(kb, max_per_doc=100).search("楼宇党建", k=50)
    reranked = HybridSearcher(kb, reranker=reranker, max_per_doc=100).search("楼宇党建", k=3)
    assert [h.chunk_id for h in reranker.seen] == [h.chunk_id for h in plain]
    assert [h.chunk_id for h in reranked] == [h.chunk_id for h in reversed(plain)][:3]


def test_identity_reranker_keeps_the_order(kb):
    from retrieval.rerank import IdentityReranker

    plain = HybridSearcher(kb).search("楼宇党建")
    same = HybridSearcher(kb, reranker=IdentityReranker()).search("楼宇党建")
    assert [h.chunk_id for h in same] == [h.chunk_id for h in plain]


def test_query_embedding_goes_through_embed_queries(kb):
    calls = []
    real = kb.embedder.embed_queries

    def spy(texts):
        calls.append(list(texts))
        return np.asarray(real(texts))

    kb.embedder.embed_queries = spy
    HybridSearcher(kb).search("  常住人口  ", mode="dense")
    assert calls == [["常住人口"]]


# --- the real index: corpus, model, Chroma, BM25 ------------------------------


def _basename(hit: Hit) -> str:
    return hit.source_key.replace("\\", "/").rsplit("/", 1)[-1]


def test_cross_document_questions_surface_every_source(corpus_searcher, seeds_qa_path):
    from retrieval import load_qa

    cross = [item for item in load_qa(seeds_qa_path) if len(item.sources) > 1]
    assert cross
    for item in cross:
        found = {_basename(h) for h in corpus_searcher.search(item.question, k=10)}
        assert set(item.sources) <= found, (item.id, found)


def test_no_document_takes_more_than_its_share_of_the_top_ten(corpus_searcher):
    hits = corpus_searcher.search("街道社区党建工作", k=10)
    assert len(hits) == 10
    per_doc = {d: sum(1 for h in hits if h.doc_id == d) for d in {h.doc_id for h in hits}}
    assert max(per_doc.values()) <= 3 and len(per_doc) >= 4


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_an_exact_fact(corpus_searcher, mode):
    hits = corpus_searcher.search("东风路街道的常住人口和流动人口分别有多少？", k=5, mode=mode)
    assert any("东风路" in h.text and "流动人口" in h.text for h in hits)
    assert all(set(h.retrievers) <= {"dense", "bm25"} and h.retrievers for h in hits)
    if mode != "hybrid":
        assert all(h.retrievers == (mode,) for h in hits)


def test_region_filter_on_the_real_index(corpus_kb, corpus_searcher):
    region = "东风路街道"
    allowed = {d.doc_id for d in corpus_kb.documents(SearchFilters(regions=(region,)))}
    assert allowed and len(allowed) < len(corpus_kb.documents())
    hits = corpus_searcher.search("楼宇经济", filters=SearchFilters(regions=(region,)))
    assert hits and {h.doc_id for h in hits} <= allowed
    assert corpus_searcher.search("楼宇经济", filters=SearchFilters(date_from="2999-01-01")) == []
