"""Data and seams of the retrieval side."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from ingest import Chunk


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search. Every field that is set must match (AND); within a
    tuple any value may match (OR). Dates are ISO strings compared as prefixes
    of ``YYYY-MM-DD``; a document without a date never matches a date range."""

    doc_ids: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not (
            self.doc_ids or self.regions or self.doc_types or self.date_from or self.date_to
        )


@dataclass(frozen=True)
class Hit:
    """One ranked chunk. ``retrievers`` names the retrievers that found it
    (``"dense"``, ``"bm25"``) and ``ranks`` its rank in each (1-based)."""

    chunk_id: str
    doc_id: str
    text: str
    title: str
    heading_path: tuple[str, ...]
    start: int
    end: int
    score: float
    retrievers: tuple[str, ...] = ()
    ranks: Mapping[str, int] = field(default_factory=dict)
    date: str | None = None
    source_key: str = ""
    regions: tuple[str, ...] = ()
    doc_type: str = "other"
    article: str = ""


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the stores keep it: the chunk plus its document's metadata,
    flattened so that both stores can filter on the same fields."""

    chunk: Chunk
    title: str
    source_key: str
    doc_hash: str
    doc_chunks: int
    date: str | None = None
    regions: tuple[str, ...] = ()
    doc_type: str = "other"
    file_type: str = "txt"
    source: str | None = None
    author: str | None = None


@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length vectors. Queries and passages differ (e5 prefixes)."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class Reranker(Protocol):
    """Reorders candidate hits for a query; returns at most ``k`` hits."""

    def rerank(self, query: str, hits: Sequence[Hit], *, k: int) -> list[Hit]: ...


@dataclass(frozen=True)
class DocumentRecord:
    """One indexed document as the catalog knows it (derived from the stored chunks)."""

    doc_id: str
    source_key: str
    title: str
    content_hash: str
    chunk_count: int
    date: str | None = None
    regions: tuple[str, ...] = ()
    doc_type: str = "other"
    file_type: str = "txt"
    source: str | None = None
    author: str | None = None


class VectorStore(Protocol):
    """Dense side of the index. Chroma is the source of truth for what is indexed."""

    def upsert(self, items: Sequence[StoredChunk], vectors: np.ndarray) -> None: ...

    def delete_document(self, doc_id: str) -> None: ...

    def query(
        self, vector: np.ndarray, *, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return ``(chunk_id, cosine similarity)`` best first."""
        ...

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]: ...

    def iter_chunks(self, *, batch_size: int = 1000) -> Iterator[StoredChunk]: ...

    def count(self) -> int: ...


class KeywordIndex(Protocol):
    """Sparse side of the index (BM25 over jieba words and character bigrams)."""

    def add(self, items: Sequence[StoredChunk]) -> None: ...

    def delete_document(self, doc_id: str) -> None: ...

    def query(
        self, text: str, *, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return ``(chunk_id, BM25 score)`` best first."""
        ...

    def chunk_ids(self) -> set[str]: ...

    def save(self) -> None: ...


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input: ``status`` is ``added``, ``updated``,
    ``unchanged`` or ``failed`` (then ``reason`` says why, in plain words)."""

    source_key: str
    status: str
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class IngestProgress:
    """Reported after every file: how far a bulk ingest has got."""

    files_done: int
    files_total: int
    chunks_done: int
    current: str
    failed: int
    elapsed_s: float


@dataclass(frozen=True)
class IngestReport:
    """The summary of a bulk ingest."""

    outcomes: tuple[FileOutcome, ...]
    elapsed_s: float

    def _count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def chunks(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))
