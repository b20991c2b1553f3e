"""The index (Chroma + BM25), embedding, hybrid search and evaluation."""

from retrieval.bm25 import BM25Index
from retrieval.catalog import Catalog
from retrieval.chroma_store import ChromaVectorStore
from retrieval.e5_model import ModelPreparationError, VerificationReport, prepare_e5_model
from retrieval.embedder import BatchEmbedder, EmbeddingError
from retrieval.errors import SearchRequestError
from retrieval.evaluate import (
    DEFAULT_EVAL_MODES,
    CmrcQuestion,
    EvalReport,
    Metrics,
    QAItem,
    evaluate_cmrc,
    evaluate_qa,
    format_report,
    index_cmrc,
    load_cmrc,
    load_qa,
)
from retrieval.fusion import fuse_rrf
from retrieval.knowledge_base import CheckReport, KnowledgeBase
from retrieval.lexicon import Expansion, Lexicon, default_lexicon
from retrieval.openai_embedder import EmbeddingServiceError, OpenAIEmbedder
from retrieval.rerank import IdentityReranker
from retrieval.search import SEARCH_MODES, HybridSearcher
from retrieval.shared_embedder import FairLock, SharedEmbedder
from retrieval.st_embedder import SentenceTransformerEmbedder
from retrieval.text import indexed_text
from retrieval.tokenize import tokenize_for_index
from retrieval.types import (
    DocumentRecord,
    Embedder,
    FileOutcome,
    Hit,
    IngestProgress,
    IngestReport,
    KeywordIndex,
    Reranker,
    Searcher,
    SearchFilters,
    StoredChunk,
    VectorStore,
)

__all__ = [
    "BM25Index",
    "BatchEmbedder",
    "EmbeddingError",
    "HybridSearcher",
    "Catalog",
    "CheckReport",
    "ChromaVectorStore",
    "KnowledgeBase",
    "Expansion",
    "Lexicon",
    "default_lexicon",
    "indexed_text",
    "tokenize_for_index",
    "DEFAULT_EVAL_MODES",
    "SEARCH_MODES",
    "CmrcQuestion",
    "EvalReport",
    "IdentityReranker",
    "KnowledgeBaseRetriever",
    "Metrics",
    "QAItem",
    "Searcher",
    "SharedEmbedder",
    "FairLock",
    "evaluate_cmrc",
    "evaluate_qa",
    "format_report",
    "index_cmrc",
    "fuse_rrf",
    "load_cmrc",
    "load_qa",
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
    "SearchRequestError",
    "SentenceTransformerEmbedder",
    "SearchFilters",
    "StoredChunk",
    "VectorStore",
    "VerificationReport",
    "prepare_e5_model",
]


def __getattr__(name: str) -> object:
    # The LangChain adapter imports langchain_core; load it only when asked for.
    if name == "KnowledgeBaseRetriever":
        from retrieval.langchain_retriever import KnowledgeBaseRetriever

        return KnowledgeBaseRetriever
    raise AttributeError(f"module 'retrieval' has no attribute {name!r}")
