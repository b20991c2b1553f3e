"""Proofreading fixtures: a searcher over given passages (no model, no index)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.types import Hit, SearchFilters


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


class PassageSearcher:
    """Ranks the given passages by character-bigram overlap with the query, the way
    ``retrieval.Searcher`` is called (``search(query, k=…)``)."""

    def __init__(self, passages: Sequence[str], *, title: str = "知识库材料") -> None:
        self.hits = [
            Hit(
                chunk_id=f"p:{i}",
                doc_id="p",
                text=text,
                title=title,
                heading_path=(),
                start=0,
                end=len(text),
                score=0.0,
            )
            for i, text in enumerate(passages)
        ]
        self.queries: list[str] = []

    def search(
        self, query: str, *, k: int = 10, filters: SearchFilters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        self.queries.append(query)
        grams = _bigrams(query)
        scored = [(len(grams & _bigrams(h.text)), h) for h in self.hits]
        return [h for score, h in sorted(scored, key=lambda x: -x[0]) if score][:k]
