"""An ``Embedder`` over a local sentence-transformers folder (the prepared e5 model)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAX_SEQ_LENGTH = 512


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers model, e5 style.

    The model is loaded once, in ``__init__``, so the first request pays nothing.
    ``query_prefix`` / ``passage_prefix`` are the instructions e5 models were
    trained with; pass empty strings for a model that has none. Returned vectors
    are float32 and unit length, one row per input text, in input order.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        batch_size: int = 32,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str = "cpu",
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        from retrieval.e5_model import load_sentence_transformer

        self._path = Path(model_path)
        self._batch_size = batch_size
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._model = load_sentence_transformer(self._path, device=device)
        self._model.max_seq_length = MAX_SEQ_LENGTH
        # Renamed in sentence-transformers 6; older releases only have the long name.
        get_dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dimension = get_dimension()
        if dimension is None:
            raise ValueError(f"{self._path} does not say its embedding dimension")
        self._dimension = int(dimension)
        log.info("loaded embedding model %s (dimension %d)", self._path, self._dimension)

    @property
    def name(self) -> str:
        return self._path.name

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self._passage_prefix + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self._query_prefix + t for t in texts])

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        import torch

        # Texts of similar length in one batch waste little padding; the rows are
        # written back to their original positions.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self._dimension), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), self._batch_size):
                idx = order[start : start + self._batch_size]
                vectors = self._model.encode(
                    [texts[i] for i in idx],
                    batch_size=self._batch_size,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
                out[idx] = np.asarray(vectors, dtype=np.float32)
        return out
