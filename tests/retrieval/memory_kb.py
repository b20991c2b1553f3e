"""In-memory fakes of the knowledge base's parts (store, keyword index, catalog),
through the same interfaces ``KnowledgeBase`` and ``HybridSearcher`` use, for fast
unit tests. The store and the index pass the same contract suites as Chroma and
BM25 (tests/retrieval/contracts.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from ingest import Chunk
from retrieval.bm25 import index_fingerprint
from retrieval.chroma_store import to_metadata
from retrieval.types import StoredChunk
from tests.fakes import HashingEmbedder


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class MemoryStore:
    """A ``VectorStore`` in a dict: exact cosine over every stored vector. ``calls``
    records the ``doc_ids`` of each query."""

    def __init__(self) -> None:
        self.items: dict[str, StoredChunk] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.calls: list[Sequence[str] | None] = []
        self.parts: dict[str, tuple[str, list[np.ndarray]]] = {}  # chunk → (doc, vectors)

    def upsert_parts(self, owners: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        if len(owners) != len(vectors):
            raise ValueError(f"{len(owners)} parts but {len(vectors)} vectors")
        for owner in {o.chunk.chunk_id for o in owners}:
            self.parts.pop(owner, None)
        for owner, vector in zip(owners, vectors, strict=True):
            entry = self.parts.setdefault(owner.chunk.chunk_id, (owner.chunk.doc_id, []))
            entry[1].append(np.asarray(vector, dtype=np.float32))

    def part_scores(self, vector: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        return {
            cid: max(float(v @ vector) for v in self.parts[cid][1])
            for cid in chunk_ids
            if cid in self.parts
        }

    def upsert(self, items: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        if len(items) != len(vectors):
            raise ValueError(f"{len(items)} chunks but {len(vectors)} vectors")
        for item, vector in zip(items, vectors, strict=True):
            self.items[item.chunk.chunk_id] = item
            self.vectors[item.chunk.chunk_id] = np.asarray(vector, dtype=np.float32)

    def drop(self) -> None:
        self.items.clear()
        self.vectors.clear()
        self.parts.clear()

    def delete_document(self, doc_id: str) -> None:
        for chunk_id in [c for c, i in self.items.items() if i.chunk.doc_id == doc_id]:
            del self.items[chunk_id], self.vectors[chunk_id]
        for chunk_id in [c for c, (d, _) in self.parts.items() if d == doc_id]:
            del self.parts[chunk_id]

    def query(
        self, vector: np.ndarray, *, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        self.calls.append(doc_ids)
        if k < 1:
            return []
        scored = [
            (cid, float(vec @ vector))
            for cid, vec in self.vectors.items()
            if doc_ids is None or self.items[cid].chunk.doc_id in doc_ids
        ]
        return sorted(scored, key=lambda x: -x[1])[:k]

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        return [self.items[c] for c in dict.fromkeys(chunk_ids) if c in self.items]

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        found = [i for i in self.items.values() if i.chunk.doc_id == doc_id]
        return sorted(found, key=lambda i: i.chunk.index)

    def document_metadata(self, doc_id: str) -> dict[str, Any] | None:
        found = self.document_chunks(doc_id)
        return to_metadata(found[0]) if found else None

    def first_chunk_metadata(self) -> dict[str, dict[str, Any]]:
        return {i.chunk.doc_id: to_metadata(i) for i in self.items.values() if i.chunk.index == 0}

    def all_chunk_ids(self) -> list[str]:
        return list(self.items)

    def iter_chunks(self, *, batch_size: int = 1000) -> Iterator[StoredChunk]:
        yield from list(self.items.values())

    def count(self) -> int:
        return len(self.items)


class MemoryKeywordIndex:
    """A ``KeywordIndex`` scoring by shared character bigrams: enough to rank, not BM25.
    ``calls`` records the ``doc_ids`` of each query."""

    def __init__(self) -> None:
        self.items: dict[str, StoredChunk] = {}
        self.calls: list[Collection[str] | None] = []

    def add(self, items: Sequence[StoredChunk]) -> None:
        for item in items:
            self.items[item.chunk.chunk_id] = item

    def delete_document(self, doc_id: str) -> None:
        self.delete_chunks([c for c, i in self.items.items() if i.chunk.doc_id == doc_id])

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:
        for chunk_id in list(chunk_ids):
            self.items.pop(chunk_id, None)

    def clear(self) -> None:
        self.items.clear()

    def drop(self) -> None:
        self.clear()

    def query(
        self,
        text: str,
        *,
        k: int,
        doc_ids: Collection[str] | None = None,
        expansion: str = "",
        expansion_weight: float = 0.5,
    ) -> list[tuple[str, float]]:
        self.calls.append(doc_ids)
        if k < 1:
            return []
        q = _bigrams(text) | _bigrams(expansion)
        scored = [
            (i.chunk.chunk_id, float(len(q & _bigrams(i.chunk.text))))
            for i in self.items.values()
            if doc_ids is None or i.chunk.doc_id in doc_ids
        ]
        return sorted((s for s in scored if s[1] > 0), key=lambda x: -x[1])[:k]

    def chunk_ids(self) -> set[str]:
        return set(self.items)

    def doc_hashes(self) -> dict[str, str]:
        return {c: i.doc_hash for c, i in self.items.items()}

    def fingerprint(self) -> str:
        return index_fingerprint(self.doc_hashes().items())

    def save(self) -> None:
        pass  # nothing is kept on disk

    def __len__(self) -> int:
        return len(self.items)


class MemoryCatalog:
    def __init__(self, items: Sequence[StoredChunk]) -> None:
        self.docs = {i.chunk.doc_id: i for i in items}

    def resolve(self, filters):
        if filters is None or filters.is_empty():
            return None
        allowed = set()
        for doc_id, item in self.docs.items():
            if filters.doc_ids and doc_id not in filters.doc_ids:
                continue
            if filters.regions and not set(filters.regions) & set(item.regions):
                continue
            if filters.doc_types and item.doc_type not in filters.doc_types:
                continue
            allowed.add(doc_id)
        return allowed


class MemoryKB:
    """What ``HybridSearcher`` reads, over the in-memory store and index."""

    def __init__(self, items: Sequence[StoredChunk]) -> None:
        self.embedder = HashingEmbedder()
        self.store = MemoryStore()
        self.store.upsert(items, self.embedder.embed_passages([i.chunk.text for i in items]))
        self.keyword_index = MemoryKeywordIndex()
        self.keyword_index.add(items)
        self.catalog = MemoryCatalog(items)


def stored(doc: str, index: int, text: str, *, regions=(), doc_type="news") -> StoredChunk:
    chunk = Chunk(
        chunk_id=f"{doc}:{index:05d}",
        doc_id=doc,
        index=index,
        text=text,
        start=index * 100,
        end=index * 100 + len(text),
        heading_path=("一、加强组织建设",),
    )
    return StoredChunk(
        chunk=chunk,
        title=f"{doc} 的标题",
        source_key=f"corpus/{doc}.txt",
        doc_hash="h",
        doc_chunks=10,
        date="2021-05-01",
        regions=regions,
        doc_type=doc_type,
    )


CHUNKS = [
    stored(
        "long", i, f"开元路街道楼宇经济发展第{i}项措施，推进楼宇党建工作。", regions=("开元路街道",)
    )
    for i in range(8)
] + [
    stored(
        "east",
        0,
        "东风路街道引进总部企业，打造楼宇经济，挖掘楼宇党建资源。",
        regions=("东风路街道",),
    ),
    stored("east", 1, "东风路街道常住人口五万余人，流动人口一万余人。", regions=("东风路街道",)),
    stored(
        "west",
        0,
        "西工区组建小区楼院党支部，覆盖小区楼院。",
        regions=("西工区",),
        doc_type="report",
    ),
]
