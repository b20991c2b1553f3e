"""The index (Chroma + BM25), embedding, hybrid search and evaluation."""

from retrieval.types import (
    DocumentRecord,
    Embedder,
    FileOutcome,
    Hit,
    IngestProgress,
    IngestReport,
    KeywordIndex,
    Reranker,
    SearchFilters,
    StoredChunk,
    VectorStore,
)

__all__ = [
    "DocumentRecord",
    "Embedder",
    "FileOutcome",
    "Hit",
    "IngestProgress",
    "IngestReport",
    "KeywordIndex",
    "Reranker",
    "SearchFilters",
    "StoredChunk",
    "VectorStore",
]
