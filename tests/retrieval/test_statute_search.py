"""A statute through the real knowledge base (real Chroma and BM25, fake embedder)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval import HybridSearcher, KnowledgeBase
from retrieval.chroma_store import from_metadata, to_metadata
from tests.fakes import HashingEmbedder

STATUTE = """# 社区救助管理办法

2014年2月21日 中华人民共和国国务院令第649号公布

## 第一章 总则

第一条 为了加强社会救助，制定本办法。

第二条 社会救助工作应当遵循公开、公平、公正、及时的原则。

## 第二章 最低生活保障

第三条 申请最低生活保障，按照下列程序办理：

（一）由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；

（二）乡镇人民政府、街道办事处通过入户调查、邻里访问等方式进行调查核实；

（三）县级人民政府民政部门经审查，作出审批决定。

第四条 对本办法第三条第（二）项规定的调查，居民委员会应当予以协助。

第五条 对批准获得最低生活保障的家庭，按月发给最低生活保障金。

第六条 最低生活保障家庭的收入状况发生变化的，应当及时告知街道办事处。

第七条 本办法自2014年5月1日起施行。
"""


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "社区救助管理办法.md").write_text(STATUTE, encoding="utf-8")
    kb = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder())
    report = kb.ingest([folder])
    assert report.failed == 0
    return kb


def test_article_context_and_metadata_are_stored_and_come_back(kb: KnowledgeBase) -> None:
    [record] = kb.documents()
    assert record.doc_type == "行政法规"
    assert record.effective == "2014-05-01"
    assert record.superseded is False
    chunks = kb.chunks(record.doc_id)
    fourth = next(c for c in chunks if c.chunk.article == "第四条")
    assert fourth.chunk.heading_path == ("第二章 最低生活保障",)
    assert "入户调查" in fourth.chunk.context
    assert list(to_metadata(fourth))[-1] == "article"
    assert from_metadata(fourth.chunk.chunk_id, fourth.chunk.text, to_metadata(fourth)) == fourth


def test_hits_carry_article_and_referenced_text(kb: KnowledgeBase) -> None:
    hits = HybridSearcher(kb).search("居委会要协助哪些调查？", k=5, mode="bm25")
    top = hits[0]
    assert top.article == "第四条"
    assert top.context.startswith("第三条第（二）项：")
    assert "入户调查" in top.context


def test_a_statute_may_fill_the_list_with_its_articles(kb: KnowledgeBase) -> None:
    query = "最低生活保障 申请 街道办事处 家庭"
    capped = HybridSearcher(kb, per_article_cap=False).search(query, k=5, mode="bm25")
    per_article = HybridSearcher(kb).search(query, k=5, mode="bm25")
    assert len(per_article) == 5
    assert len({h.article for h in per_article}) == 5
    # The news rule (3 chunks per document) would stop at 3 and then fall back to the rest.
    assert [h.article for h in capped[:3]] == [h.article for h in per_article[:3]]


def test_lexicon_expansion_is_explained_and_used(kb: KnowledgeBase) -> None:
    searcher = HybridSearcher(kb)
    expansion = searcher.explain("低保金怎么发？")
    assert "最低生活保障金" in expansion.added
    hits = searcher.search("低保金怎么发？", k=3, mode="bm25")
    assert hits and hits[0].article == "第五条"


def test_a_long_procedure_article_is_not_penalised_for_its_length(kb: KnowledgeBase) -> None:
    # 第三条 (three steps, 街道办事处 in two of them) against 第六条 (one short
    # sentence naming it once): the procedure the question asks for comes first.
    hits = HybridSearcher(kb).search("街道办事处要做什么", k=3, mode="bm25")
    assert [h.article for h in hits[:2]] == ["第三条", "第六条"]


def test_the_dense_query_reads_the_lexicon_words_at_its_weight(kb: KnowledgeBase) -> None:
    question = "低保金怎么发？"
    added = " ".join(HybridSearcher(kb).explain(question).added)
    own, expanded = kb.embedder.embed_queries([question, f"{question} {added}"])
    mixed = 0.7 * own + 0.3 * expanded
    mixed /= np.linalg.norm(mixed)
    assert added and not np.allclose(own, mixed)
    plain = HybridSearcher(kb, part_weight=0.0, dense_expansion_weight=0.0)
    read = HybridSearcher(kb, part_weight=0.0, dense_expansion_weight=0.3)
    for searcher, vector in ((plain, own), (read, mixed)):
        hits = searcher.search(question, k=7, mode="dense")
        stored = dict(kb.store.query(vector, k=7))
        assert hits and {h.chunk_id: h.score for h in hits} == pytest.approx(stored, abs=1e-5)
    # a question the lexicon adds nothing to is searched with its own vector alone
    assert not HybridSearcher(kb).explain("第七条").added
    assert [h.score for h in read.search("第七条", k=3, mode="dense")] == [
        h.score for h in plain.search("第七条", k=3, mode="dense")
    ]


def test_the_dense_expansion_weight_is_a_share(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="dense_expansion_weight"):
        HybridSearcher(kb, dense_expansion_weight=1.5)
