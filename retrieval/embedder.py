"""The embedder base class: backends implement only ``embed_batch``.

Everything an ``Embedder`` promises beyond one model call lives here once: the
query/passage prefixes (e5 models were trained with ``query: `` / ``passage: ``),
batching by length, rows back in input order, float32 unit vectors, an empty
``(0, dimension)`` matrix for no texts, and a dimension that is either known up
front or learnt from the first answer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from textcore.errors import ServiceFailureError

__all__ = ["BatchEmbedder", "EmbeddingError"]


class EmbeddingError(ServiceFailureError):
    """An embedding backend answered something unusable (wrong shape or dimension)."""


class BatchEmbedder(ABC):
    """Base of the ``Embedder`` implementations (local model, remote endpoint, test fake).

    A subclass sets ``name`` and implements ``embed_batch`` (at most ``batch_size``
    texts, prefixes already applied, any vector scale); it passes ``dimension``
    when it knows it, otherwise the first call (or a probe) learns it.
    """

    def __init__(
        self,
        *,
        batch_size: int = 32,
        query_prefix: str = "",
        passage_prefix: str = "",
        dimension: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._batch_size = batch_size
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._dimension = dimension

    @property
    @abstractmethod
    def name(self) -> str:
        """The model's name (stored with an index, so vectors of two models never mix)."""

    @abstractmethod
    def embed_batch(self, texts: list[str]) -> np.ndarray:
        """One backend call: a ``(len(texts), dimension)`` matrix, one row per text."""

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self._embed(["dimension probe"]).shape[1])
        return self._dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit float32 vectors of ``texts`` as passages (to be found), one row each."""
        return self._embed([self._passage_prefix + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit float32 vectors of ``texts`` as queries (to search with), one row each."""
        return self._embed([self._query_prefix + t for t in texts])

    def _after_batch(self, call_size: int) -> None:  # noqa: B027 (an optional hook)
        """Called after each backend call of an ``embed_*`` call of ``call_size`` texts
        (the local model hands freed memory back here); nothing by default."""

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension or 0), dtype=np.float32)
        # Texts of similar length in one batch waste little padding; the rows are
        # written back to their original positions.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: np.ndarray | None = None
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            vectors = np.asarray(self.embed_batch([texts[i] for i in idx]), dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(idx):
                raise EmbeddingError(
                    f"{self.name} returned an array of shape {vectors.shape} for {len(idx)} texts"
                )
            if self._dimension is None:
                self._dimension = int(vectors.shape[1])
            if vectors.shape[1] != self._dimension:
                raise EmbeddingError(
                    f"{self.name} returned {vectors.shape[1]}-dimensional vectors, "
                    f"expected {self._dimension}"
                )
            if out is None:
                out = np.empty((len(texts), self._dimension), dtype=np.float32)
            out[idx] = vectors
            self._after_batch(len(texts))
        assert out is not None  # texts is not empty
        # Normalised in float32 here, whatever the backend does (a bfloat16 unit vector
        # is only unit to about 1e-3); an all-zero row (no content) stays zero.
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out
