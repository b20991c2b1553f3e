"""Character n-grams: how two Chinese texts are compared without a model.

Chinese has no spaces, so overlap of character bigrams stands in for overlap of
words: it needs no segmenter, and a paraphrase that keeps the names and figures
keeps most of its bigrams. Comparison ignores punctuation, spaces, width
(``１２`` = ``12``) and citation markers (``[1]``, ``【2】``).
"""

from __future__ import annotations

import re
from collections.abc import Set

from textcore.punct import CJK_RANGES, fold_width, strip_citation_markers

__all__ = [
    "char_bigrams",
    "char_ngrams",
    "cjk_bigrams",
    "content_chars",
    "jaccard",
]

_NON_CONTENT = re.compile(r"[\s\W_]+")
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")


def content_chars(text: str) -> str:
    """The text without citation markers, punctuation or spaces, width folded (NFKC)."""
    return _NON_CONTENT.sub("", strip_citation_markers(fold_width(text)))


def char_ngrams(text: str, n: int = 2) -> set[str]:
    """The character ``n``-grams of the content characters of ``text``; a text
    shorter than ``n`` counts as one gram (so 党 still matches 党)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    chars = content_chars(text)
    if len(chars) < n:
        return {chars} if chars else set()
    return {chars[i : i + n] for i in range(len(chars) - n + 1)}


def char_bigrams(text: str) -> set[str]:
    """The character bigrams of the content characters of ``text``."""
    return char_ngrams(text, 2)


def cjk_bigrams(text: str) -> list[str]:
    """The bigrams of every run of CJK characters in ``text``, in order, repeats kept
    (index terms: a bigram never spans punctuation, a space or a Latin word)."""
    return [run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


def jaccard(a: Set[str], b: Set[str]) -> float:
    """``|a ∩ b| / |a ∪ b|``; 0.0 when either set is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
