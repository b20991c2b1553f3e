"""A statute's 款 vectors through the real knowledge base (real Chroma and BM25,
fake embedder): written at ingest, read at search, gone with their document."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval import HybridSearcher, KnowledgeBase
from retrieval.chroma_store import ChromaVectorStore
from retrieval.text import part_texts
from tests.fakes import HashingEmbedder

STATUTE = """# 居住登记管理办法

2015年11月26日 中华人民共和国国务院令第663号公布

第一条 为了促进新型城镇化的健康发展，制定本办法。

第二条 公民离开常住户口所在地，到其他城市居住半年以上，可以申领居住证。
居住证由居住地县级人民政府公安机关签发，每年签注1次。
未满16周岁的未成年人可以由监护人代为申领居住证。

第三条 居住证持有人享有下列权利：
（一）义务教育；
（二）基本公共就业服务。

第四条 本办法自2016年1月1日起施行。
"""


def _ingest(folder: Path, text: str, kb: KnowledgeBase) -> None:
    (folder / "居住登记管理办法.md").write_text(text, encoding="utf-8")
    report = kb.ingest([folder])
    assert report.failed == 0


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    folder = tmp_path / "policy"
    folder.mkdir()
    kb = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder())
    _ingest(folder, STATUTE, kb)
    return kb


def _store(kb: KnowledgeBase) -> ChromaVectorStore:
    assert isinstance(kb.store, ChromaVectorStore)
    return kb.store


def test_parts_are_written_for_articles_with_several_paragraphs_only(kb: KnowledgeBase) -> None:
    [record] = kb.documents()
    chunks = kb.chunks(record.doc_id)
    with_parts = [c for c in chunks if part_texts(c)]
    # 第二条 has three 款; 第三条 is one 款 (a lead-in with its items); the rest one line.
    assert [c.chunk.article for c in with_parts] == ["第二条"]
    assert len(part_texts(with_parts[0])) == 3
    assert all(t.startswith("居住登记管理办法\n") for t in part_texts(with_parts[0]))
    assert _store(kb).part_count() == 3
    # Parts are not chunks: counts, the catalog and BM25 see only the chunks.
    assert kb.chunk_count() == len(chunks) == record.chunk_count
    assert len(kb.keyword_index) == len(chunks)
    assert all("#" not in cid for cid in _store(kb).all_chunk_ids())
    assert kb.check().ok


def test_search_mixes_the_best_part_into_the_dense_score(kb: KnowledgeBase) -> None:
    embedder = kb.embedder
    [record] = kb.documents()
    second = next(c for c in kb.chunks(record.doc_id) if c.chunk.article == "第二条")
    query = "未满16周岁的未成年人可以由监护人代为申领居住证"
    vector = embedder.embed_queries([query])[0]
    parts = embedder.embed_passages(part_texts(second))
    best = float(np.max(parts @ vector))
    scores = _store(kb).part_scores(vector, [second.chunk.chunk_id, "nope:00000"])
    assert scores == pytest.approx({second.chunk.chunk_id: best}, abs=1e-5)

    # the plain question's vector on both sides (the lexicon's words left out)
    plain = HybridSearcher(kb, part_weight=0.0, dense_expansion_weight=0.0).search(
        query, k=10, mode="dense"
    )
    mixed = HybridSearcher(kb, dense_expansion_weight=0.0).search(query, k=10, mode="dense")
    cosine = next(h.score for h in plain if h.article == "第二条")
    score = next(h.score for h in mixed if h.article == "第二条")
    assert score == pytest.approx(0.5 * cosine + 0.5 * best, abs=1e-5)
    others = {h.chunk_id: h.score for h in plain if h.article != "第二条"}
    assert {h.chunk_id: h.score for h in mixed if h.article != "第二条"} == others


def test_parts_go_with_their_document(kb: KnowledgeBase, tmp_path: Path) -> None:
    # A new version with one 款 fewer replaces the parts; removing it removes them.
    _ingest(
        tmp_path / "policy",
        STATUTE.replace("居住证由居住地县级人民政府公安机关签发，每年签注1次。\n", ""),
        kb,
    )
    assert _store(kb).part_count() == 2
    [record] = kb.documents()
    assert kb.remove(record.doc_id)
    assert _store(kb).part_count() == 0
    assert kb.chunk_count() == 0


def test_an_index_written_before_parts_keeps_the_plain_cosine(tmp_path: Path) -> None:
    # Such an index has no parts collection: reopened, it gets an empty one.
    import chromadb
    from chromadb.config import Settings

    folder = tmp_path / "policy"
    folder.mkdir()
    kb = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder())
    _ingest(folder, STATUTE, kb)
    client = chromadb.PersistentClient(
        path=str(tmp_path / "data" / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    client.delete_collection(f"{_store(kb).name}.parts")
    old = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder())
    assert _store(old).part_count() == 0
    query = "监护人代为申领居住证"
    plain = HybridSearcher(old, part_weight=0.0).search(query, k=10, mode="hybrid")
    assert plain and HybridSearcher(old).search(query, k=10, mode="hybrid") == plain
