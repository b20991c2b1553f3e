"""Fakes that go through the project's interfaces, for fast unit tests."""

from __future__ import annotations

import hashlib

import numpy as np

from retrieval import Hit
from retrieval.embedder import BatchEmbedder


class HashingEmbedder(BatchEmbedder):
    """A deterministic ``Embedder``: character unigrams and bigrams hashed into a
    fixed number of dimensions, L2-normalised. Texts sharing characters are close,
    which is enough for tests of plumbing, never of quality."""

    def __init__(self, dimension: int = 256) -> None:
        super().__init__(batch_size=64, dimension=dimension)
        self._size = dimension

    @property
    def name(self) -> str:
        return f"hashing-{self._size}"

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self._size, dtype=np.float32)
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            if gram.isspace():
                continue
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self._size] += 1.0
        return vec


def statute_hit(
    index: int,
    text: str,
    article: str,
    start: int,
    *,
    title: str = "中华人民共和国城市居民委员会组织法",
) -> Hit:
    """A hit on an article of one statute (``doc_id`` ``law``), its text as given."""
    return Hit(
        chunk_id=f"law:{index:05d}",
        doc_id="law",
        text=text,
        title=title,
        heading_path=(),
        start=start,
        end=start + len(text),
        score=1.0,
        source_key="law.txt",
        doc_type="法律",
        article=article,
    )
