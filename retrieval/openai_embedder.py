"""An ``Embedder`` over any OpenAI-compatible ``/v1/embeddings`` endpoint."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from textcore.errors import ServiceFailureError

log = logging.getLogger(__name__)


class EmbeddingServiceError(ServiceFailureError):
    """The remote embeddings endpoint failed or answered something unusable."""


class OpenAIEmbedder:
    """Embeds through a remote endpoint (vLLM, Ollama, text-embeddings-inference, a cloud API).

    Vectors are normalised here, whatever the server does. e5-style prefixes are
    off by default because most served models expect none; pass
    ``query_prefix="query: ", passage_prefix="passage: "`` for an e5 model. The
    dimension is learnt from the first answer unless given. Failures (after the
    client's ``max_retries``) raise :class:`EmbeddingServiceError`.
    """

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        batch_size: int = 64,
        timeout: float = 60.0,
        query_prefix: str = "",
        passage_prefix: str = "",
        dimension: int | None = None,
        max_retries: int = 2,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        from openai import OpenAI

        self._model = model
        self._batch_size = batch_size
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._dimension = dimension
        # Local servers usually want no key, but the client insists on one.
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout, max_retries=max_retries
        )

    @property
    def name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self._embed(["dimension probe"]).shape[1])
        return self._dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self._passage_prefix + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self._query_prefix + t for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension or 0), dtype=np.float32)
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), self._batch_size):
            rows.append(self._embed_batch(texts[start : start + self._batch_size]))
        vectors = np.concatenate(rows, axis=0)
        if self._dimension is None:
            self._dimension = int(vectors.shape[1])
        elif vectors.shape[1] != self._dimension:
            raise EmbeddingServiceError(
                f"{self._model} returned {vectors.shape[1]}-dimensional vectors, "
                f"expected {self._dimension}"
            )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        if np.any(norms == 0):
            raise EmbeddingServiceError(f"{self._model} returned an all-zero vector")
        return (vectors / norms).astype(np.float32)

    def _embed_batch(self, batch: list[str]) -> np.ndarray:
        import openai

        try:
            response = self._client.embeddings.create(model=self._model, input=batch)
        except openai.OpenAIError as exc:
            raise EmbeddingServiceError(
                f"embeddings request to {self._model} failed: {exc}"
            ) from exc
        # The API allows answers in any order; ``index`` says which input each is.
        items = sorted(response.data, key=lambda item: item.index)
        if len(items) != len(batch):
            raise EmbeddingServiceError(
                f"{self._model} returned {len(items)} vectors for {len(batch)} texts"
            )
        log.debug("embedded %d texts remotely", len(batch))
        return np.asarray([item.embedding for item in items], dtype=np.float32)
