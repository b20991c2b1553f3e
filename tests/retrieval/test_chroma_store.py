"""ChromaVectorStore against a real embedded Chroma in a temp folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import Chunk
from retrieval import ChromaVectorStore, StoredChunk
from retrieval.chroma_store import chroma_collection_name, date_number
from tests.fakes import HashingEmbedder


def make_item(doc_id: str, index: int, text: str, **extra) -> StoredChunk:
    chunk = Chunk(
        chunk_id=f"{doc_id}:{index:05d}",
        doc_id=doc_id,
        index=index,
        text=text,
        start=index * 100,
        end=index * 100 + len(text),
        heading_path=extra.pop("heading_path", ()),
        content_hash=f"c{index}",
    )
    fields = {
        "title": f"{doc_id} 标题",
        "source_key": f"/docs/{doc_id}.txt",
        "doc_hash": "h",
        "doc_chunks": 3,
    }
    fields.update(extra)
    return StoredChunk(chunk=chunk, **fields)


@pytest.fixture
def store(tmp_path: Path) -> ChromaVectorStore:
    return ChromaVectorStore.persistent(tmp_path / "chroma", collection="kb", max_batch=4)


TEXTS = {
    "a": ["五星支部创建工作扎实推进", "网格党支部覆盖全部小区", "党员先锋岗亮身份"],
    "b": ["垃圾分类督导员每日上岗", "老旧小区改造完成验收", "养老服务驿站开门迎客"],
}


def fill(store: ChromaVectorStore, embedder: HashingEmbedder) -> list[StoredChunk]:
    items = [make_item(d, i, t) for d, texts in TEXTS.items() for i, t in enumerate(texts)]
    store.upsert(items, embedder.embed_passages([i.chunk.text for i in items]))
    return items


def test_round_trip_keeps_every_field(store: ChromaVectorStore) -> None:
    item = make_item(
        "doc1",
        2,
        "第三段正文",
        heading_path=("一、总体要求 > 特殊", "（一）目标"),
        date="2023-05",
        regions=("涧西区", "重庆路街道"),
        doc_type="report",
        file_type="docx",
        source="洛阳日报",
        author=None,
    )
    store.upsert([item], np.ones((1, 8), dtype=np.float32) / np.sqrt(8))
    assert store.get(["doc1:00002"]) == [item]
    assert store.count() == 1


def test_query_similarity_and_doc_filter(store: ChromaVectorStore) -> None:
    embedder = HashingEmbedder()
    items = fill(store, embedder)
    target = items[4]
    vector = embedder.embed_queries([target.chunk.text])[0]
    hits = store.query(vector, k=3)
    assert hits[0][0] == target.chunk.chunk_id
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    only_a = store.query(vector, k=10, doc_ids=["a"])
    assert {c.split(":")[0] for c, _ in only_a} == {"a"} and len(only_a) == 3
    both = store.query(vector, k=10, doc_ids=["a", "b"])
    assert len(both) == 6
    assert store.query(vector, k=10, doc_ids=[]) == []


def test_batches_larger_than_the_limit_and_iteration(store: ChromaVectorStore) -> None:
    embedder = HashingEmbedder()
    items = [make_item(f"d{i // 3}", i % 3, f"第{i}条记录 社区服务") for i in range(11)]
    store.upsert(items, embedder.embed_passages([i.chunk.text for i in items]))
    assert store.count() == 11
    assert sorted(s.chunk.chunk_id for s in store.iter_chunks(batch_size=4)) == sorted(
        i.chunk.chunk_id for i in items
    )
    assert sorted(store.all_chunk_ids()) == sorted(i.chunk.chunk_id for i in items)
    assert [s.chunk.chunk_id for s in store.get(["d3:00001", "nope:00000", "d0:00000"])] == [
        "d3:00001",
        "d0:00000",
    ]
    assert set(store.first_chunk_metadata()) == {"d0", "d1", "d2", "d3"}


def test_delete_document(store: ChromaVectorStore) -> None:
    fill(store, HashingEmbedder())
    store.delete_document("a")
    assert store.count() == 3
    assert store.document_chunks("a") == []
    assert [s.chunk.index for s in store.document_chunks("b")] == [0, 1, 2]
    assert store.document_metadata("a") is None


def test_mismatched_vectors_are_refused(store: ChromaVectorStore) -> None:
    with pytest.raises(ValueError, match="vectors"):
        store.upsert([make_item("a", 0, "x")], np.zeros((2, 8), dtype=np.float32))


def test_collection_names() -> None:
    assert chroma_collection_name("kb") == "kb_chunks"
    assert chroma_collection_name("street-office.2024") == "street-office.2024"
    with pytest.raises(ValueError, match="not valid"):
        chroma_collection_name("知识库")


def test_date_number() -> None:
    assert date_number("2023-05-07") == 20230507
    assert date_number("2023-05") == 20230500
    assert date_number("2023") == 20230000
    assert date_number(None) == 0 and date_number("") == 0


class _CountingCollection:
    """The Chroma collection, counting the reads that reach it."""

    def __init__(self, collection) -> None:
        self._collection = collection
        self.reads = 0

    def get(self, *args, **kwargs):
        self.reads += 1
        return self._collection.get(*args, **kwargs)

    def count(self):
        self.reads += 1
        return self._collection.count()

    def __getattr__(self, name):
        return getattr(self._collection, name)


def test_chunks_read_again_come_from_memory_until_the_next_write(
    store: ChromaVectorStore,
) -> None:
    embedder = HashingEmbedder()
    items = fill(store, embedder)
    ids = [i.chunk.chunk_id for i in items]
    first = store.get(ids)
    assert store.count() == 6
    spy = _CountingCollection(store._collection)
    store._collection = spy
    assert store.get(list(reversed(ids))) == list(reversed(first)) and store.count() == 6
    assert spy.reads == 0
    # a write is seen at once: the changed chunk, the new count, the deleted document
    changed = make_item("a", 0, "五星支部创建工作全面完成")
    store.upsert([changed], embedder.embed_passages([changed.chunk.text]))
    assert store.get(["a:00000"])[0].chunk.text == "五星支部创建工作全面完成"
    store.delete_document("b")
    assert store.get(ids) == store.get(ids[:3]) and store.count() == 3
    assert store.query(embedder.embed_queries(["养老服务驿站"])[0], k=10)[0][0].startswith("a:")
