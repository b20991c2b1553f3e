"""Drafting fixtures: a searcher over the sample corpus that needs no model or index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from retrieval.types import Hit, SearchFilters


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


class CorpusSearcher:
    """A deterministic stand-in for ``retrieval.Searcher``: each non-empty line of a
    corpus file is a chunk, ranked by character-bigram overlap with the query.
    Filters work like the real ones: a region matches when the document mentions
    it, a date range matches the first 年月日 date in the document."""

    def __init__(self, corpus_dir: Path) -> None:
        self.chunks: list[Hit] = []
        self.calls: list[tuple[str, SearchFilters | None]] = []
        self._docs: dict[str, tuple[str, str | None]] = {}
        for path in sorted(corpus_dir.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            doc_id = path.stem
            lines = [line for line in text.splitlines() if line.strip()]
            match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
            date = (
                f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
                if match
                else None
            )
            self._docs[doc_id] = (text, date)
            title = lines[0].strip().lstrip("# ")
            pos = 0
            for index, line in enumerate(text.splitlines(keepends=True)):
                start, pos = pos, pos + len(line)
                body = line.rstrip("\n")
                if not body.strip():
                    continue
                self.chunks.append(
                    Hit(
                        chunk_id=f"{doc_id}:{index:05d}",
                        doc_id=doc_id,
                        text=body,
                        title=title,
                        heading_path=(),
                        start=start,
                        end=start + len(body),
                        score=0.0,
                        date=date,
                        source_key=path.name,
                    )
                )

    def _allowed(self, doc_id: str, filters: SearchFilters | None) -> bool:
        if filters is None:
            return True
        text, date = self._docs[doc_id]
        if filters.doc_ids and doc_id not in filters.doc_ids:
            return False
        if filters.regions and not any(r in text for r in filters.regions):
            return False
        if filters.date_from or filters.date_to:
            if date is None:
                return False
            if filters.date_from and date < filters.date_from:
                return False
            if filters.date_to and date[: len(filters.date_to)] > filters.date_to:
                return False
        return True

    def search(self, query: str, *, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        self.calls.append((query, filters))
        grams = _bigrams(query)
        scored = []
        for hit in self.chunks:
            if not self._allowed(hit.doc_id, filters):
                continue
            overlap = len(grams & _bigrams(hit.text))
            if overlap:
                scored.append((overlap, hit))
        scored.sort(key=lambda item: -item[0])
        return [hit for _, hit in scored[:k]]


@pytest.fixture
def corpus_searcher_fake(corpus_dir: Path) -> CorpusSearcher:
    return CorpusSearcher(corpus_dir)


@pytest.fixture(scope="session")
def real_corpus_searcher(corpus_kb):
    """``retrieval.HybridSearcher`` over the session's real index of the sample corpus."""
    from retrieval import HybridSearcher

    return HybridSearcher(corpus_kb)
