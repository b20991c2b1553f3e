"""In-memory fakes of the knowledge base's parts (store, keyword index, catalog),
through the same interfaces ``Searcher`` uses, for fast unit tests."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ingest import Chunk
from retrieval.types import StoredChunk
from tests.fakes import HashingEmbedder


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class MemoryStore:
    def __init__(self, embedder: HashingEmbedder, items: Sequence[StoredChunk]) -> None:
        self.items = {item.chunk.chunk_id: item for item in items}
        self.vectors = dict(
            zip(self.items, embedder.embed_passages([i.chunk.text for i in items]), strict=True)
        )
        self.calls: list[Sequence[str] | None] = []

    def query(self, vector, *, k, doc_ids=None):
        self.calls.append(doc_ids)
        scored = [
            (cid, float(vec @ vector))
            for cid, vec in self.vectors.items()
            if doc_ids is None or self.items[cid].chunk.doc_id in doc_ids
        ]
        return sorted(scored, key=lambda x: -x[1])[:k]

    def get(self, chunk_ids):
        return [self.items[c] for c in chunk_ids if c in self.items]


class MemoryKeywordIndex:
    """Scores by shared character bigrams: enough to rank, not BM25."""

    def __init__(self, items: Sequence[StoredChunk]) -> None:
        self.items = list(items)
        self.calls: list[Collection[str] | None] = []

    def query(self, text, *, k, doc_ids=None, expansion="", expansion_weight=0.5):
        self.calls.append(doc_ids)
        q = _bigrams(text) | _bigrams(expansion)
        scored = [
            (i.chunk.chunk_id, float(len(q & _bigrams(i.chunk.text))))
            for i in self.items
            if doc_ids is None or i.chunk.doc_id in doc_ids
        ]
        return sorted((s for s in scored if s[1] > 0), key=lambda x: -x[1])[:k]


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
    def __init__(self, items: Sequence[StoredChunk]) -> None:
        self.embedder = HashingEmbedder()
        self.store = MemoryStore(self.embedder, items)
        self.keyword_index = MemoryKeywordIndex(items)
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
