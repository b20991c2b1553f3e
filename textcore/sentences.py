"""Sentences of Chinese text, as offsets into it.

One splitter for every package: the chunker packs these sentences, citations
quote them, the fact check names the sentence a fact stands in, the extractive
generator and the composer choose among them. So any text is cut at the same
places whoever reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from textcore.punct import CLOSERS, SENTENCE_ENDS

__all__ = ["sentence_at", "sentence_texts", "split_lines", "split_sentences", "trim_span"]

_ENDS = frozenset(SENTENCE_ENDS)
_ENDS_OR_CLOSERS = frozenset(SENTENCE_ENDS + CLOSERS)
# What str.splitlines() treats as a line boundary.
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, in order.

    A sentence ends after a run of 。！？；!?; plus any closing quotes or
    brackets that follow (他说：“办成了！”), or at a line break. Spans never
    start or end with whitespace, never cross a line break, and together cover
    every non-whitespace character of ``text``: what lies between them is
    whitespace only.
    """
    spans: list[tuple[int, int]] = []
    for start, end in split_lines(text):
        spans.extend(_line_sentences(text, start, end))
    return spans


def split_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of ``text`` (broken where ``str.splitlines`` breaks),
    whitespace included; sentences never cross them."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text)]


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`split_sentences`)."""
    return [text[s:e] for s, e in split_sentences(text)]


def sentence_at(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the sentence holding offset ``pos``, or ``None`` when ``pos``
    falls on whitespace between sentences or outside the text."""
    for start, end in split_sentences(text):
        if start <= pos < end:
            return start, end
        if start > pos:
            break
    return None


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` narrowed to exclude surrounding whitespace; ``None`` if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _line_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    i = sentence_start = start
    while i < end:
        if text[i] in _ENDS:
            i += 1
            while i < end and text[i] in _ENDS_OR_CLOSERS:
                i += 1
            span = trim_span(text, sentence_start, i)
            if span:
                yield span
            sentence_start = i
        else:
            i += 1
    span = trim_span(text, sentence_start, end)
    if span:
        yield span
