"""LangChain adapter: a ``BaseRetriever`` over our ``Searcher``. LangChain types
stay in this module; everything else speaks ``Hit``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.types import Hit, SearchFilters


def hit_to_document(hit: Hit) -> Document:
    """A LangChain ``Document`` carrying the hit's text and our metadata (plain
    JSON-friendly values, so any LangChain store or tracer can keep them)."""
    return Document(
        id=hit.chunk_id,
        page_content=hit.text,
        metadata={
            "chunk_id": hit.chunk_id,
            "doc_id": hit.doc_id,
            "title": hit.title,
            "source_key": hit.source_key,
            "heading_path": list(hit.heading_path),
            "start": hit.start,
            "end": hit.end,
            "score": hit.score,
            "retrievers": list(hit.retrievers),
            "ranks": dict(hit.ranks),
            "date": hit.date,
            "regions": list(hit.regions),
            "doc_type": hit.doc_type,
        },
    )


class KnowledgeBaseRetriever(BaseRetriever):
    """Retrieve from the knowledge base inside LangChain chains.

    ``searcher`` is a ``retrieval.Searcher`` (anything with its ``search`` method);
    ``k``, ``mode`` and ``filters`` are passed through to it.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 8
    mode: str = "hybrid"
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.searcher.search(query, k=self.k, filters=self.filters, mode=self.mode)
        return [hit_to_document(hit) for hit in hits]
