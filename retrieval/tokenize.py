"""Terms for the keyword index: jieba search-mode words plus CJK character bigrams.

The same function tokenizes documents and queries, so a query matches whatever
segmentation the documents got; the bigrams catch words jieba splits differently
in a short query than in running text (names of streets, communities, programmes).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache
from types import ModuleType

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A term must contain a letter, digit or CJK character; punctuation and spaces are dropped.
_WORDLIKE = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@cache
def _jieba() -> ModuleType:
    # Imported and initialised on first use: loading the dictionary takes ~1 s,
    # and jieba announces it on stderr unless told not to.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def normalize_for_index(text: str) -> str:
    """Fold full-width letters and digits (``１９９８`` → ``1998``) and case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize_for_index(text: str) -> list[str]:
    """Return the index terms of ``text``: jieba search-mode words (punctuation
    dropped), then the character bigrams of every run of CJK characters."""
    text = normalize_for_index(text)
    terms = [w for w in _jieba().lcut_for_search(text) if _WORDLIKE.search(w)]
    for run in _CJK_RUN.findall(text):
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [t.strip() for t in terms if t.strip()]
