"""Word segmentation and part-of-speech tags: one quiet, lazily loaded jieba.

jieba builds its prefix dictionary on first use (~1 s) and announces it on
stderr unless told not to; every package segments through here, so the cost is
paid once per process and nothing is printed.
"""

from __future__ import annotations

import logging
import threading
from functools import cache
from types import ModuleType

__all__ = [
    "idf_table",
    "in_dictionary",
    "jieba_module",
    "pos_tag",
    "segment",
    "segment_for_search",
]

_lock = threading.Lock()


@cache
def jieba_module() -> ModuleType:
    """The jieba module, initialised and quiet (its logging above WARNING only)."""
    with _lock:  # two threads must not build the dictionary twice
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        module: ModuleType = jieba
        return module


@cache
def _posseg() -> ModuleType:
    jieba_module()
    import jieba.posseg

    module: ModuleType = jieba.posseg
    return module


def segment(text: str) -> list[str]:
    """The words of ``text`` (jieba's precise mode, HMM for unknown words)."""
    return list(jieba_module().lcut(text))


def segment_for_search(text: str) -> list[str]:
    """Words of ``text`` plus the shorter words inside long ones (jieba's search mode)."""
    return list(jieba_module().lcut_for_search(text))


def pos_tag(text: str, *, hmm: bool = True) -> list[tuple[str, str]]:
    """``(word, flag)`` pairs with jieba's ICTCLAS-style tags (ns place, nr person,
    nt organisation, n noun, v verb …). ``hmm=False`` keeps dictionary words only,
    so an unknown name falls apart into single characters instead of being guessed."""
    return [(pair.word, pair.flag) for pair in _posseg().cut(text, HMM=hmm)]


def in_dictionary(word: str) -> bool:
    """Whether ``word`` is in jieba's dictionary, not a word its HMM coined for text it
    does not know (有户 of 有户人家, 拉点 of 拉点活动物资)."""
    return bool(jieba_module().dt.FREQ.get(word))


@cache
def idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table (word → IDF) and its median, for weighting words by rarity."""
    jieba_module()
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq, float(tfidf.median_idf)


# Aspect particles that split a separable verb (离了婚, 报过名, 签着字).
_ASPECT = frozenset("了过着")


def joined_verb(word: str) -> str:
    """A separable verb split by an aspect particle, joined again as texts write it
    (离了婚 → 离婚, 报了名 → 报名); any other word as it is."""
    if len(word) == 3 and word[1] in _ASPECT:
        joined = word[0] + word[2]
        if joined in idf_table()[0]:
            return joined
    return word
