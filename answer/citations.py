"""Citations: numbered pointers from answer sentences back to the passages they rest on.

Both generators end here. The extractive one knows which passage each sentence
came from; an LLM's ``[n]`` markers are only a claim, so every sentence of its
answer is matched again against the passages (character-bigram containment,
optionally refined by embedding similarity) and keeps only citations that hold.
Citation numbers are then renumbered 1..m in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from answer.types import AnswerSentence, Citation
from retrieval.types import Embedder, Hit
from textcore import (
    CITATION_MARKER,
    char_bigrams,
    citation_numbers,
    content_chars,
    normalize_text,
    restore_punctuation,
    split_sentences,
    strip_citation_markers,
)
from textcore.articles import article_at

__all__ = [
    "SUPPORT_MIN",
    "SentenceSupport",
    "attach_citations",
    "best_window",
    "build_citation",
    "number_citations",
    "split_cited_sentences",
]

# A sentence counts as supported by a passage when at least this share of its
# character bigrams occur in one window (a sentence or two neighbours) of the
# passage. Measured on the sample corpus: paraphrases of a corpus sentence score
# 0.65–0.75 against their document, invented or off-topic sentences 0.0–0.3
# against the others; generic domain phrasing (街道党工委组织开展了…活动) can
# reach 0.5 anywhere, which is why citations also need the fact check.
SUPPORT_MIN = 0.4

_MAX_EXCERPT = 300
_MARKER_RUN = re.compile(rf"^(?:\s*(?:{CITATION_MARKER.pattern}))+")


def containment(sentence: str, passage: str) -> float:
    """Share of the sentence's bigrams that the passage contains (0..1)."""
    grams = char_bigrams(sentence)
    if not grams:
        return 0.0
    return len(grams & char_bigrams(passage)) / len(grams)


def split_cited_sentences(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Split generated text into sentences and the ``[n]`` numbers each one claims.

    Markers are read wherever they stand in the sentence, including right after its
    closing punctuation (``……。[1][2]``), which models often do.
    """
    text = text.strip()
    spans = split_sentences(text)
    pieces: list[tuple[str, list[int]]] = []
    for s, e in spans:
        piece = text[s:e]
        lead = _MARKER_RUN.match(piece)
        if lead and pieces:  # markers that trail the previous sentence's 。
            pieces[-1][1].extend(citation_numbers(lead.group(0)))
            piece = piece[lead.end() :].strip()
        if not piece:
            continue
        pieces.append((piece, citation_numbers(piece)))
    result = []
    for piece, numbers in pieces:
        clean = strip_citation_markers(piece).strip()
        if content_chars(clean):
            result.append((clean, tuple(dict.fromkeys(numbers))))
    return result


def build_citation(number: int, hit: Hit, span: tuple[int, int] | None = None) -> Citation:
    """A citation of ``hit``; ``span`` (offsets into ``hit.text``) narrows the excerpt
    to the sentences actually used, and the offsets to where they are in the document."""
    start, end = span if span is not None else (0, len(hit.text))
    excerpt = hit.text[start:end].strip()
    if len(excerpt) > _MAX_EXCERPT:
        excerpt = excerpt[: _MAX_EXCERPT - 1] + "…"
    return Citation(
        number=number,
        chunk_id=hit.chunk_id,
        doc_id=hit.doc_id,
        title=hit.title,
        heading_path=tuple(hit.heading_path),
        excerpt=excerpt,
        start=hit.start + start,
        end=hit.start + end,
        date=hit.date,
        source_key=hit.source_key,
        ocr=hit.ocr,
        # a chunk may hold several short articles: the one the excerpt starts in
        article=article_at(hit.text, start) or hit.article,
    )


@dataclass(frozen=True)
class SentenceSupport:
    """A sentence of an answer and the hits (by index) and spans that support it."""

    text: str
    hit_indices: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]  # one span into hits[i].text per hit index


def number_citations(
    supports: Sequence[SentenceSupport], hits: Sequence[Hit]
) -> tuple[list[AnswerSentence], list[Citation]]:
    """Number the cited hits 1..m in order of first use and build the citations;
    a hit cited by several sentences gets one citation spanning all of them."""
    numbers: dict[int, int] = {}
    spans: dict[int, tuple[int, int]] = {}
    sentences: list[AnswerSentence] = []
    for support in supports:
        cited: list[int] = []
        for index, (s, e) in zip(support.hit_indices, support.spans, strict=True):
            if index not in numbers:
                numbers[index] = len(numbers) + 1
                spans[index] = (s, e)
            else:
                old = spans[index]
                spans[index] = (min(old[0], s), max(old[1], e))
            if numbers[index] not in cited:
                cited.append(numbers[index])
        # The shown text gets Chinese punctuation; the citation keeps the indexed text. A
        # statute is quoted with its own numerals (代表二至三人, not 二至3人).
        statute = bool(support.hit_indices) and all(hits[i].article for i in support.hit_indices)
        shown = restore_punctuation(support.text) if statute else normalize_text(support.text)
        sentences.append(AnswerSentence(shown, tuple(sorted(cited))))
    citations = [
        build_citation(number, hits[index], spans[index])
        for index, number in sorted(numbers.items(), key=lambda item: item[1])
    ]
    return sentences, citations


def best_window(sentence: str, hit: Hit) -> tuple[float, tuple[int, int]]:
    """The passage sentence (or pair of neighbours) that best contains ``sentence``."""
    spans = split_sentences(hit.text) or [(0, len(hit.text))]
    best = (0.0, spans[0])
    windows = list(spans) + [(a[0], b[1]) for a, b in zip(spans, spans[1:], strict=False)]
    for s, e in windows:
        score = containment(sentence, hit.text[s:e])
        # prefer the shorter window on ties: it is the more precise excerpt
        if score > best[0] + 1e-9 or (
            abs(score - best[0]) <= 1e-9 and (e - s) < (best[1][1] - best[1][0])
        ):
            best = (score, (s, e))
    return best


def attach_citations(
    sentences: Sequence[tuple[str, tuple[int, ...]]],
    hits: Sequence[Hit],
    *,
    embedder: Embedder | None = None,
    min_support: float = SUPPORT_MIN,
) -> list[SentenceSupport]:
    """Re-attach citations to generated sentences by what the passages actually say.

    ``sentences`` are ``(text, claimed numbers)`` with numbers 1-based into ``hits``.
    A claimed passage is kept when it supports the sentence; otherwise the best
    supporting passage is cited instead; numbers outside 1..len(hits) are dropped.
    With an ``embedder``, passages that contain the sentence equally well are told
    apart by embedding similarity. A sentence no passage supports gets no citation.
    """
    if not hits:
        return [SentenceSupport(text, (), ()) for text, _ in sentences]
    windows = [[best_window(text, hit) for hit in hits] for text, _ in sentences]
    similarity = None
    if embedder is not None and sentences:
        query_vecs = embedder.embed_queries([text for text, _ in sentences])
        passage_vecs = embedder.embed_passages([hit.text for hit in hits])
        similarity = np.asarray(query_vecs) @ np.asarray(passage_vecs).T
    result: list[SentenceSupport] = []
    for i, (text, claimed) in enumerate(sentences):
        scores = [score for score, _ in windows[i]]
        valid_claims = [n - 1 for n in claimed if 1 <= n <= len(hits)]
        kept = [j for j in valid_claims if scores[j] >= min_support]
        if not kept:
            ties = similarity[i] if similarity is not None else np.zeros(len(hits))
            best = max(range(len(hits)), key=lambda j: (round(scores[j], 2), float(ties[j]), -j))
            if scores[best] >= min_support:
                kept = [best]
        result.append(SentenceSupport(text, tuple(kept), tuple(windows[i][j][1] for j in kept)))
    return result
