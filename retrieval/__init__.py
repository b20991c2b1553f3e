"""The index (Chroma + BM25), embedding, hybrid search and evaluation."""

from retrieval.e5_model import ModelPreparationError, VerificationReport, prepare_e5_model
from retrieval.openai_embedder import EmbeddingServiceError, OpenAIEmbedder
from retrieval.st_embedder import SentenceTransformerEmbedder
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
    "EmbeddingServiceError",
    "FileOutcome",
    "Hit",
    "IngestProgress",
    "IngestReport",
    "KeywordIndex",
    "ModelPreparationError",
    "OpenAIEmbedder",
    "Reranker",
    "SentenceTransformerEmbedder",
    "SearchFilters",
    "StoredChunk",
    "VectorStore",
    "VerificationReport",
    "prepare_e5_model",
]
