"""Named knowledge bases: create, list, rename, delete, and search across several."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval import HybridSearcher as Searcher
from retrieval import KnowledgeBase
from retrieval.errors import (
    KnowledgeBaseBusyError,
    KnowledgeBaseExistsError,
    KnowledgeBaseNameError,
    UnknownKnowledgeBaseError,
)
from retrieval.federated import FederatedSearcher
from retrieval.registry import DEFAULT_KNOWLEDGE_BASE, KnowledgeBaseRegistry
from tests.conftest import CORPUS_DIR, POLICY_DIR
from tests.fakes import HashingEmbedder


@pytest.fixture
def registry(tmp_path: Path) -> KnowledgeBaseRegistry:
    embedder = HashingEmbedder()
    data_dir = tmp_path / "data"

    def opener(collection: str) -> KnowledgeBase:
        return KnowledgeBase.open(data_dir=data_dir, embedder=embedder, collection=collection)

    return KnowledgeBaseRegistry(data_dir=data_dir, opener=opener)


def test_create_list_rename_delete(registry: KnowledgeBaseRegistry, tmp_path: Path) -> None:
    assert registry.list() == []
    registry.create("policy", title="政策法规")
    registry.create("news", title="工作材料")
    assert [(i.name, i.title) for i in registry.list()] == [
        ("news", "工作材料"),
        ("policy", "政策法规"),
    ]
    registry.get("policy").ingest([POLICY_DIR])
    bm25_file = tmp_path / "data" / "bm25" / f"{registry.get('policy').store.name}.npz"
    assert bm25_file.exists()

    registry.rename("policy", title="政策法规库")
    assert registry.info("policy").title == "政策法规库"
    assert registry.get("policy").chunk_count() > 0  # renaming keeps the content

    registry.delete("policy")
    assert [i.name for i in registry.list()] == ["news"]
    assert not bm25_file.exists()
    with pytest.raises(UnknownKnowledgeBaseError):
        registry.get("policy")
    # The collection is gone too: a new knowledge base of that name starts empty.
    registry.create("policy", title="政策法规")
    assert registry.get("policy").chunk_count() == 0


def test_registry_survives_reopening(registry: KnowledgeBaseRegistry, tmp_path: Path) -> None:
    registry.create("news", title="工作材料")
    registry.get("news").ingest([CORPUS_DIR])
    count = registry.get("news").chunk_count()
    embedder = HashingEmbedder()
    again = KnowledgeBaseRegistry(
        data_dir=tmp_path / "data",
        opener=lambda c: KnowledgeBase.open(
            data_dir=tmp_path / "data", embedder=embedder, collection=c
        ),
    )
    assert [(i.name, i.title) for i in again.list()] == [("news", "工作材料")]
    assert again.get("news").chunk_count() == count


@pytest.mark.parametrize(
    "name", ["a/b", "..", "../x", "x" * 200, "", "Policy", "政策", "a b", "-x", "a.b"]
)
def test_bad_names_are_refused_with_a_clear_message(
    registry: KnowledgeBaseRegistry, name: str
) -> None:
    with pytest.raises(KnowledgeBaseNameError, match="知识库名称"):
        registry.create(name, title="x")
    assert registry.list() == []


def test_titles_are_checked(registry: KnowledgeBaseRegistry) -> None:
    with pytest.raises(KnowledgeBaseNameError):
        registry.create("news", title="长" * 200)
    with pytest.raises(KnowledgeBaseNameError):
        registry.create("news", title="   ")


def test_duplicates_and_unknown_names(registry: KnowledgeBaseRegistry) -> None:
    registry.create("news", title="工作材料")
    with pytest.raises(KnowledgeBaseExistsError):
        registry.create("news", title="again")
    with pytest.raises(UnknownKnowledgeBaseError):
        registry.delete("nothing")
    assert registry.ensure("news").title == "工作材料"
    assert registry.ensure(DEFAULT_KNOWLEDGE_BASE, title="知识库").name == "kb"


def test_a_knowledge_base_being_written_cannot_be_deleted(
    registry: KnowledgeBaseRegistry,
) -> None:
    registry.create("news", title="工作材料")
    with registry.writing("news") as kb:
        kb.ingest([CORPUS_DIR])
        with pytest.raises(KnowledgeBaseBusyError, match="正在入库"):
            registry.delete("news")
    assert registry.get("news").chunk_count() > 0
    registry.delete("news")
    assert registry.list() == []


def test_federated_search_spans_knowledge_bases(registry: KnowledgeBaseRegistry) -> None:
    registry.create("news", title="工作材料")
    registry.create("policy", title="政策法规")
    registry.get("news").ingest([CORPUS_DIR])
    registry.get("policy").ingest([POLICY_DIR])
    both = FederatedSearcher({n: Searcher(registry.get(n)) for n in ("news", "policy")})

    policy_hits = both.search("居民委员会每届任期几年", k=5)
    assert policy_hits[0].knowledge_base == "policy"
    assert "居民委员会" in policy_hits[0].text
    news_hits = both.search("湖北路街道五星支部创建", k=5)
    assert news_hits[0].knowledge_base == "news"
    # Every hit says where it came from; one knowledge base alone sees only its own.
    assert {h.knowledge_base for h in both.search("社区", k=10)} <= {"news", "policy"}
    only_news = both.only(["news"]).search("居民委员会每届任期几年", k=5)
    assert {h.knowledge_base for h in only_news} == {"news"}
    for mode in ("dense", "bm25"):
        assert both.search("居民委员会任期", k=3, mode=mode)
