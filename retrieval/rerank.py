"""The reranking seam. The default keeps the fused order; a cross-encoder or any
other ``Reranker`` can be passed to ``Searcher`` instead."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.types import Hit


class IdentityReranker:
    """A ``Reranker`` that keeps the fused order: the default when none is configured."""

    def rerank(self, query: str, hits: Sequence[Hit], *, k: int) -> list[Hit]:
        """Return the first ``k`` hits unchanged."""
        return list(hits[:k])
