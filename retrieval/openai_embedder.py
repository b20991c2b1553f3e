"""An ``Embedder`` over any OpenAI-compatible ``/v1/embeddings`` endpoint."""

from __future__ import annotations

import logging

import numpy as np

from retrieval.embedder import BatchEmbedder, EmbeddingError

log = logging.getLogger(__name__)


class EmbeddingServiceError(EmbeddingError):
    """The remote embeddings endpoint failed or answered something unusable."""


class OpenAIEmbedder(BatchEmbedder):
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
        super().__init__(
            batch_size=batch_size,
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            dimension=dimension,
        )
        from openai import OpenAI

        self._model = model
        # Local servers usually want no key, but the client insists on one.
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout, max_retries=max_retries
        )

    @property
    def name(self) -> str:
        return self._model

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import openai

        try:
            response = self._client.embeddings.create(model=self._model, input=texts)
        except openai.OpenAIError as exc:
            raise EmbeddingServiceError(
                f"embeddings request to {self._model} failed: {exc}"
            ) from exc
        # The API allows answers in any order; ``index`` says which input each is.
        items = sorted(response.data, key=lambda item: item.index)
        if len(items) != len(texts):
            raise EmbeddingServiceError(
                f"{self._model} returned {len(items)} vectors for {len(texts)} texts"
            )
        log.debug("embedded %d texts remotely", len(texts))
        vectors = np.asarray([item.embedding for item in items], dtype=np.float32)
        if self._dimension is not None and vectors.shape[1] != self._dimension:
            raise EmbeddingServiceError(
                f"{self._model} returned {vectors.shape[1]}-dimensional vectors, "
                f"expected {self._dimension}"
            )
        if np.any(np.linalg.norm(vectors, axis=1) == 0):
            raise EmbeddingServiceError(f"{self._model} returned an all-zero vector")
        return vectors
