"""Sentence vectors computed once: an answer does not embed sentences it has seen.

The extractive generator compares the question with candidate sentences of the
retrieved passages. Embedding them per answer cost most of its time (p95 466 ms
alone on 2 cores); the passages of a knowledge base repeat from answer to answer,
so each sentence's vector is kept, keyed by a hash of its text, and only sentences
never seen before reach the model.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from retrieval.types import Embedder

__all__ = ["SentenceVectorCache"]

# 384-dimensional float32 vectors: 20,000 of them take 31 MB; the sample corpus
# (news and policy, 167 chunks) has far fewer sentences than that.
DEFAULT_MAX_SENTENCES = 20_000


class SentenceVectorCache:
    """Passage vectors of sentences, cached by text hash (LRU, thread-safe)."""

    def __init__(self, embedder: Embedder, *, max_entries: int = DEFAULT_MAX_SENTENCES) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self._embedder = embedder
        self._max = max_entries
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit vector per sentence, in order; only unseen ones are embedded."""
        keys = [hashlib.blake2b(s.encode("utf-8"), digest_size=16).digest() for s in sentences]
        with self._lock:
            found = {k: self._vectors[k] for k in keys if k in self._vectors}
            for k in found:
                self._vectors.move_to_end(k)
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        if todo:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            fresh = self._embedder.embed_passages([sentences[first[k]] for k in todo])
            with self._lock:
                self.misses += len(todo)
                for k, vector in zip(todo, fresh, strict=True):
                    found[k] = vector
                    self._vectors[k] = vector
                while len(self._vectors) > self._max:
                    self._vectors.popitem(last=False)
        if not sentences:
            return np.zeros((0, self._embedder.dimension), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def warm(self, texts: Sequence[str], *, batch: int = 64) -> int:
        """Embed ``texts`` ahead of use (in batches); returns how many were new."""
        before = self.misses
        for start in range(0, len(texts), batch):
            self.vectors(texts[start : start + batch])
        return self.misses - before
