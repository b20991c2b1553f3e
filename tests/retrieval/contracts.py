"""Contract suites for the retrieval seams: what every ``VectorStore``,
``KeywordIndex`` and ``Embedder`` promises, real or fake.

A test module subclasses a suite and provides the part as a fixture (``store``,
``index`` or ``embedder``); pytest collects the inherited tests for each subclass,
so Chroma and the in-memory store run the very same checks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ingest import Chunk
from retrieval.bm25 import index_fingerprint
from retrieval.catalog import record_from_metadata
from retrieval.types import Embedder, KeywordIndex, StoredChunk, VectorStore


def stored(
    doc_id: str, index: int, text: str, *, doc_hash: str = "v1", chunks: int = 3
) -> StoredChunk:
    """A stored chunk of ``doc_id`` with full metadata (so round trips can be compared)."""
    chunk = Chunk(
        chunk_id=f"{doc_id}:{index:05d}",
        doc_id=doc_id,
        index=index,
        text=text,
        start=index * 100,
        end=index * 100 + len(text),
        heading_path=("一、加强组织建设", "（一）五星支部"),
        content_hash=f"c-{doc_id}-{index}",
    )
    return StoredChunk(
        chunk=chunk,
        title=f"《{doc_id}》工作简报",
        source_key=f"/corpus/{doc_id}.txt",
        doc_hash=doc_hash,
        doc_chunks=chunks,
        date="2022-09-04",
        regions=("涧西区", "湖北路街道"),
        doc_type="news",
        file_type="txt",
        source="洛阳日报",
        author="记者 王某",
    )


TEXTS = {
    "a": (
        "湖北路街道开展五星支部创建观摩活动，组织党员代表参观示范点。",
        "社区网格员入户走访独居老人，登记服务需求三十余条。",
        "街道召开季度工作会议，部署垃圾分类和老旧小区改造。",
    ),
    "b": (
        "东风路街道常住人口五万余人，流动人口一万余人。",
        "辖区引进总部企业，打造楼宇经济，挖掘楼宇党建资源。",
    ),
}


def corpus(doc_hash: str = "v1") -> list[StoredChunk]:
    return [
        stored(doc, i, text, doc_hash=doc_hash, chunks=len(texts))
        for doc, texts in TEXTS.items()
        for i, text in enumerate(texts)
    ]


def unit_vectors(items: Sequence[StoredChunk], dimension: int = 16) -> np.ndarray:
    """Distinct, deterministic unit vectors, one per item (no embedder involved)."""
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(items), dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class VectorStoreContract:
    """Subclass and provide a ``store`` fixture: an empty ``VectorStore``."""

    @pytest.fixture
    def store(self) -> VectorStore:
        raise NotImplementedError

    def test_is_a_vector_store(self, store: VectorStore) -> None:
        assert isinstance(store, VectorStore)

    def test_starts_empty(self, store: VectorStore) -> None:
        assert store.count() == 0
        assert store.all_chunk_ids() == []
        assert store.query(unit_vectors(corpus()[:1])[0], k=5) == []

    def test_round_trips_chunks_with_their_metadata(self, store: VectorStore) -> None:
        items = corpus()
        store.upsert(items, unit_vectors(items))
        assert store.count() == len(items)
        assert sorted(store.all_chunk_ids()) == sorted(i.chunk.chunk_id for i in items)
        wanted = [items[3].chunk.chunk_id, items[0].chunk.chunk_id, "nope:00000"]
        assert store.get(wanted) == [items[3], items[0]]
        assert sorted(store.iter_chunks(batch_size=2), key=lambda i: i.chunk.chunk_id) == sorted(
            items, key=lambda i: i.chunk.chunk_id
        )

    def test_document_chunks_are_in_document_order(self, store: VectorStore) -> None:
        items = corpus()
        store.upsert(items[::-1], unit_vectors(items)[::-1])
        assert store.document_chunks("a") == [i for i in items if i.chunk.doc_id == "a"]
        assert store.document_chunks("missing") == []

    def test_metadata_rebuilds_the_document_records(self, store: VectorStore) -> None:
        items = corpus()
        store.upsert(items, unit_vectors(items))
        firsts = store.first_chunk_metadata()
        assert set(firsts) == {"a", "b"}
        record = record_from_metadata(firsts["a"], chunk_count=3)
        assert (record.doc_id, record.title, record.content_hash) == ("a", "《a》工作简报", "v1")
        assert record.regions == ("涧西区", "湖北路街道") and record.date == "2022-09-04"
        assert int(firsts["b"]["doc_chunks"]) == 2
        meta = store.document_metadata("b")
        assert meta is not None and meta["doc_id"] == "b"
        assert store.document_metadata("missing") is None

    def test_query_ranks_by_cosine_similarity(self, store: VectorStore) -> None:
        items = corpus()
        vectors = unit_vectors(items)
        store.upsert(items, vectors)
        ranked = store.query(vectors[2], k=3)
        assert len(ranked) == 3
        assert ranked[0][0] == items[2].chunk.chunk_id
        assert ranked[0][1] == pytest.approx(1.0, abs=1e-4)
        scores = [score for _, score in ranked]
        assert scores == sorted(scores, reverse=True)
        expected = sorted(float(vectors[2] @ v) for v in vectors)[::-1][:3]
        assert scores == pytest.approx(expected, abs=1e-4)

    def test_query_keeps_to_the_given_documents(self, store: VectorStore) -> None:
        items = corpus()
        vectors = unit_vectors(items)
        store.upsert(items, vectors)
        ranked = store.query(vectors[0], k=10, doc_ids=["b"])
        assert {cid for cid, _ in ranked} == {
            i.chunk.chunk_id for i in items if i.chunk.doc_id == "b"
        }
        assert store.query(vectors[0], k=10, doc_ids=[]) == []
        assert store.query(vectors[0], k=0) == []

    def test_upsert_replaces_and_delete_forgets_a_document(self, store: VectorStore) -> None:
        items = corpus()
        store.upsert(items, unit_vectors(items))
        newer = [stored("a", 0, "新版本的第一段。", doc_hash="v2", chunks=1)]
        store.delete_document("a")
        store.upsert(newer, unit_vectors(newer))
        assert store.document_chunks("a") == newer
        assert store.count() == 1 + len(TEXTS["b"])
        store.delete_document("missing")  # no error
        store.delete_document("b")
        assert store.all_chunk_ids() == [newer[0].chunk.chunk_id]

    def test_refuses_a_vector_count_that_does_not_match(self, store: VectorStore) -> None:
        items = corpus()
        with pytest.raises(ValueError):
            store.upsert(items, unit_vectors(items)[:-1])


class KeywordIndexContract:
    """Subclass and provide an ``index`` fixture: an empty ``KeywordIndex``."""

    @pytest.fixture
    def index(self) -> KeywordIndex:
        raise NotImplementedError

    def test_is_a_keyword_index(self, index: KeywordIndex) -> None:
        assert isinstance(index, KeywordIndex)

    def test_starts_empty(self, index: KeywordIndex) -> None:
        assert len(index) == 0 and index.chunk_ids() == set()
        assert index.query("五星支部", k=5) == []
        assert index.fingerprint() == index_fingerprint([])

    def test_finds_the_chunk_that_shares_the_words(self, index: KeywordIndex) -> None:
        index.add(corpus())
        ranked = index.query("东风路街道常住人口", k=3)
        assert ranked and ranked[0][0] == "b:00000"
        scores = [score for _, score in ranked]
        assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)
        assert index.query("xyzzy", k=3) == []
        assert index.query("东风路街道常住人口", k=0) == []

    def test_query_keeps_to_the_given_documents(self, index: KeywordIndex) -> None:
        index.add(corpus())
        ranked = index.query("街道", k=10, doc_ids={"a"})
        assert ranked and all(cid.startswith("a:") for cid, _ in ranked)
        assert index.query("街道", k=10, doc_ids=set()) == []

    def test_knows_each_chunk_and_its_document_version(self, index: KeywordIndex) -> None:
        items = corpus()
        index.add(items)
        assert len(index) == len(items)
        assert index.chunk_ids() == {i.chunk.chunk_id for i in items}
        assert index.doc_hashes() == {i.chunk.chunk_id: "v1" for i in items}
        assert index.fingerprint() == index_fingerprint(index.doc_hashes().items())

    def test_adding_again_replaces_and_deleting_forgets(self, index: KeywordIndex) -> None:
        index.add(corpus())
        index.add([stored("a", 0, "新版本的第一段。", doc_hash="v2")])
        assert index.doc_hashes()["a:00000"] == "v2"
        assert len(index) == len(corpus())
        index.delete_document("b")
        assert not any(cid.startswith("b:") for cid, _ in index.query("东风路街道常住人口", k=3))
        assert not any(cid.startswith("b:") for cid in index.chunk_ids())
        index.delete_chunks(["a:00001", "missing:00000"])
        assert index.chunk_ids() == {"a:00000", "a:00002"}
        index.delete_document("missing")  # no error
        index.clear()
        assert len(index) == 0 and index.query("街道", k=3) == []

    def test_save_keeps_the_index_usable(self, index: KeywordIndex) -> None:
        index.add(corpus())
        index.save()
        assert index.query("五星支部", k=1)[0][0] == "a:00000"


class EmbedderContract:
    """Subclass and provide an ``embedder`` fixture (any ``Embedder``)."""

    @pytest.fixture
    def embedder(self) -> Embedder:
        raise NotImplementedError

    TEXTS = (
        "社区居委会组织志愿者开展环境卫生整治，清理楼道杂物和小广告。",
        "党建引领",
        "街道召开年度工作会议。",
    )

    def test_is_an_embedder(self, embedder: Embedder) -> None:
        assert isinstance(embedder, Embedder)
        assert embedder.name and embedder.dimension > 0

    def test_vectors_are_unit_float32_rows_in_input_order(self, embedder: Embedder) -> None:
        for embed in (embedder.embed_passages, embedder.embed_queries):
            together = embed(list(self.TEXTS))
            assert together.dtype == np.float32
            assert together.shape == (len(self.TEXTS), embedder.dimension)
            np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
            one_by_one = np.vstack([embed([t]) for t in self.TEXTS])
            similarity = together @ one_by_one.T
            assert np.argmax(similarity, axis=1).tolist() == [0, 1, 2]
            assert np.diag(similarity).min() > 0.999

    def test_no_texts_give_an_empty_matrix(self, embedder: Embedder) -> None:
        dimension = embedder.dimension
        for embed in (embedder.embed_passages, embedder.embed_queries):
            empty = embed([])
            assert empty.shape == (0, dimension) and empty.dtype == np.float32

    def test_the_same_text_gives_the_same_vector(self, embedder: Embedder) -> None:
        first = embedder.embed_passages(["老旧小区加装电梯"])
        again = embedder.embed_passages(["老旧小区加装电梯", "党建引领"])[:1]
        assert float(first[0] @ again[0]) > 0.999
