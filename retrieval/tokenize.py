"""Terms for the keyword index: jieba search-mode words plus CJK character bigrams.

The same function tokenizes documents and queries, so a query matches whatever
segmentation the documents got; the bigrams catch words jieba splits differently
in a short query than in running text (names of streets, communities, programmes).
"""

from __future__ import annotations

import re

from textcore import CJK_RANGES, cjk_bigrams, fold_width, segment_for_search

# A term must contain a letter, digit or CJK character; punctuation and spaces are dropped.
_WORDLIKE = re.compile(f"[0-9A-Za-z{CJK_RANGES}]")


def normalize_for_index(text: str) -> str:
    """Fold full-width letters and digits (``１９９８`` → ``1998``) and case."""
    return fold_width(text).lower()


def tokenize_for_index(text: str) -> list[str]:
    """Return the index terms of ``text``: jieba search-mode words (punctuation
    dropped), then the character bigrams of every run of CJK characters."""
    text = normalize_for_index(text)
    terms = [w for w in segment_for_search(text) if _WORDLIKE.search(w)]
    terms.extend(cjk_bigrams(text))
    return [t.strip() for t in terms if t.strip()]
