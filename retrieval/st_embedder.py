"""An ``Embedder`` over a local sentence-transformers folder (the prepared e5 model)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedder import BatchEmbedder

log = logging.getLogger(__name__)

MAX_SEQ_LENGTH = 512
PRECISIONS = ("auto", "float32", "bfloat16")


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (AMX or AVX-512 BF16).

    There bfloat16 inference is about three times faster than float32 for e5-small
    (measured on 2 Sapphire Rapids cores: 16 → 47 chunks/s) with embeddings whose
    cosine to the float32 ones stays above 0.998; elsewhere it is emulated and slower.
    """
    import torch

    cpu = getattr(torch, "cpu", None)
    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def resolve_precision(precision: str, device: str) -> str:
    """``auto`` becomes ``bfloat16`` on a CPU with native bfloat16, else ``float32``."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision != "auto":
        return precision
    return "bfloat16" if device == "cpu" and native_bfloat16() else "float32"


class SentenceTransformerEmbedder(BatchEmbedder):
    """Embeds with a local sentence-transformers model, e5 style.

    The model is loaded once, in ``__init__``, so the first request pays nothing.
    ``query_prefix`` / ``passage_prefix`` are the instructions e5 models were
    trained with; pass empty strings for a model that has none. Returned vectors
    are float32 and unit length, one row per input text, in input order.

    ``precision`` is the dtype the model computes in: ``auto`` (the default) picks
    bfloat16 where the CPU has it natively, float32 elsewhere; the vectors are
    float32 and unit length either way.
    """

    def __init__(
        self,
        model_path: Path,
        *,
        batch_size: int = 32,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str = "cpu",
        precision: str = "auto",
    ) -> None:
        super().__init__(
            batch_size=batch_size, query_prefix=query_prefix, passage_prefix=passage_prefix
        )
        from retrieval.e5_model import load_sentence_transformer

        self._path = Path(model_path)
        self._precision = resolve_precision(precision, device)
        import torch

        self._model = load_sentence_transformer(
            self._path, device=device, dtype=getattr(torch, self._precision)
        )
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
        log.info(
            "loaded embedding model %s (dimension %d, %s)",
            self._path,
            dimension,
            self._precision,
        )

    @property
    def name(self) -> str:
        return self._path.name

    @property
    def precision(self) -> str:
        """The dtype the model computes in: ``float32`` or ``bfloat16``."""
        return self._precision

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            vectors = self._model.encode(
                texts,
                batch_size=self._batch_size,
                convert_to_tensor=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
        return np.asarray(vectors.float().cpu().numpy(), dtype=np.float32)

    def _after_batch(self, call_size: int) -> None:
        if call_size >= _TRIM_AFTER:
            _release_free_heap()


# Each batch leaves hundreds of MB of freed activations in the C heap, in pieces of
# every sequence length seen; glibc keeps them, so RSS climbs batch after batch
# (2.0 → 2.8 GB over 3,000 chunks). Handing them back after each batch of a big call
# (~5 ms against ~600 ms of model time) keeps a long ingest, and the server after
# it, near the model's own size. Short calls (queries) skip it.
_TRIM_AFTER = 64


def _release_free_heap() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library is another."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class DeferredEmbedder:
    """A ``SentenceTransformerEmbedder`` built on first use.

    Its name and dimension come from the model folder, so a command that only opens an
    index to read it (``kb kb list``: document and chunk counts) does not load the model,
    about 10 s on 2 cores. ``load()`` builds it now: a server warms up with it, so its
    first request pays nothing. Keyword arguments go to ``SentenceTransformerEmbedder``.
    """

    def __init__(self, model_path: Path, **options: Any) -> None:
        self._path = Path(model_path)
        self._options = options
        self._dimension = _folder_dimension(self._path)
        self._model: SentenceTransformerEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._path.name  # as ``SentenceTransformerEmbedder`` names it

    @property
    def dimension(self) -> int:
        return self._dimension if self._dimension is not None else self.load().dimension

    def load(self) -> SentenceTransformerEmbedder:
        """The model, loaded on the first call."""
        with self._lock:
            if self._model is None:
                model = SentenceTransformerEmbedder(self._path, **self._options)
                if self._dimension is not None and model.dimension != self._dimension:
                    raise ValueError(
                        f"{self._path}: the model gives {model.dimension}-dimensional "
                        f"vectors, its pooling config says {self._dimension}"
                    )
                self._model = model
            return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().embed_passages(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().embed_queries(texts)


def _folder_dimension(path: Path) -> int | None:
    """The embedding dimension a sentence-transformers folder states in its pooling
    config (``1_Pooling/config.json``); None when it does not say."""
    try:
        config = json.loads((path / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
