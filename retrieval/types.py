"""Data and seams of the retrieval side."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

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
    (``"dense"``, ``"bm25"``) and ``ranks`` its rank in each (1-based).

    For a statute ``article`` is the article the chunk belongs to (``"第十二条"``)
    and ``context`` the text of the articles, 款 or 项 it refers to (resolved at
    ingest, one ``"第十一条第（五）项：…"`` line each); both are empty otherwise."""

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
    context: str = ""
    article: str = ""
    ocr: bool = False  # the text was recognised from a scan or photo (may hold OCR errors)
    knowledge_base: str = ""  # the named knowledge base it came from, when several are searched


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the stores keep it: the chunk plus its document's metadata,
    flattened so that both stores can filter on the same fields (``effective``
    and ``superseded`` describe a statute, see ``ingest.DocumentMetadata``)."""

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
    ocr: bool = False
    effective: str | None = None
    superseded: bool = False


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
    effective: str | None = None
    superseded: bool = False


@runtime_checkable
class VectorStore(Protocol):
    """Dense side of the index. Chroma is the source of truth for what is indexed.

    Chunk metadata (``document_metadata``, ``first_chunk_metadata``) is the flat
    mapping of ``chroma_store.to_metadata``: what the catalog is rebuilt from.
    """

    def upsert(self, items: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write chunks with their vectors (one row per item), replacing equal ids."""
        ...

    def upsert_parts(self, owners: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write extra vectors of chunks (a statute chunk's 款; ``owners[i]`` is the
        chunk of row ``i``), replacing those the chunks had. Parts are not chunks:
        no read of chunks (``get``, ``count``, ``iter_chunks``…) returns them; they go
        with their chunk's document."""
        ...

    def drop(self) -> None:
        """Delete everything this store or index holds (its knowledge base is deleted)."""
        ...

    def delete_document(self, doc_id: str) -> None:
        """Forget every chunk of ``doc_id`` and their parts (no error if there is none)."""
        ...

    def part_scores(self, vector: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """``chunk_id → cosine similarity of its best part``, for those of ``chunk_ids``
        that have parts."""
        ...

    def query(
        self, vector: np.ndarray, *, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return ``(chunk_id, cosine similarity)`` best first."""
        ...

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks for ``chunk_ids`` in the order asked (unknown ids skipped)."""
        ...

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """Every stored chunk of ``doc_id``, in document order."""
        ...

    def document_metadata(self, doc_id: str) -> dict[str, Any] | None:
        """The metadata of one (any) stored chunk of ``doc_id``; None when it has none."""
        ...

    def first_chunk_metadata(self) -> dict[str, dict[str, Any]]:
        """``doc_id → metadata`` of every document's chunk 0."""
        ...

    def all_chunk_ids(self) -> list[str]:
        """Every stored chunk id."""
        ...

    def iter_chunks(self, *, batch_size: int = 1000) -> Iterator[StoredChunk]:
        """Every stored chunk, read ``batch_size`` at a time."""
        ...

    def count(self) -> int:
        """How many chunks are stored."""
        ...


@runtime_checkable
class KeywordIndex(Protocol):
    """Sparse side of the index (BM25 over jieba words and character bigrams).

    Derived from the vector store: each chunk is kept with its document's hash, so
    ``fingerprint()`` tells whether both hold the same chunks of the same versions.
    """

    def add(self, items: Sequence[StoredChunk]) -> None:
        """Index ``items`` (replacing chunks with the same id)."""
        ...

    def drop(self) -> None:
        """Delete everything this store or index holds (its knowledge base is deleted)."""
        ...

    def delete_document(self, doc_id: str) -> None:
        """Forget every chunk of ``doc_id`` (no error if there is none)."""
        ...

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:
        """Forget the given chunks (unknown ids are ignored)."""
        ...

    def clear(self) -> None:
        """Forget everything."""
        ...

    def query(
        self,
        text: str,
        *,
        k: int,
        doc_ids: Collection[str] | None = None,
        expansion: str = "",
        expansion_weight: float = 0.5,
    ) -> list[tuple[str, float]]:
        """Return ``(chunk_id, BM25 score)`` best first; ``expansion`` terms count
        ``expansion_weight`` times a query term."""
        ...

    def chunk_ids(self) -> set[str]:
        """Every indexed chunk id."""
        ...

    def doc_hashes(self) -> dict[str, str]:
        """``chunk_id → doc_hash`` of every indexed chunk."""
        ...

    def fingerprint(self) -> str:
        """``bm25.index_fingerprint`` of the (chunk id, document hash) pairs."""
        ...

    def save(self) -> None:
        """Persist (a no-op for an index kept in memory only)."""
        ...

    def __len__(self) -> int: ...


@runtime_checkable
class Searcher(Protocol):
    """Ranked hits for a query: what answering, drafting and evaluation need of
    retrieval (``HybridSearcher`` is the implementation)."""

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Up to ``k`` hits, best first; ``mode`` is ``hybrid``, ``dense`` or ``bm25``."""
        ...


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input: ``status`` is ``added``, ``updated``,
    ``unchanged``, ``duplicate``, ``removed`` or ``failed`` (then ``reason`` says why,
    in plain words). Others may carry a ``reason`` too: an added file what of it was
    left out (OCR pages), a removed document the path its file moved to. A
    ``duplicate`` was not indexed: its bytes are those of the document ``doc_id``,
    which ``reason`` names by source."""

    source_key: str
    status: str
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class IngestProgress:
    """Reported after every file, and as OCR goes through the pages of a scan: how far
    a bulk ingest has got. ``pages_done``/``pages_total`` count the OCRed pages of the
    file ``current`` (0/0 when it is not being OCRed)."""

    files_done: int
    files_total: int
    chunks_done: int
    current: str
    failed: int
    elapsed_s: float
    pages_done: int = 0
    pages_total: int = 0


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
    def duplicates(self) -> int:
        """Files not indexed because another document already has their bytes."""
        return self._count("duplicate")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def chunks(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))
