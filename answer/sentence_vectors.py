"""Sentence vectors computed once: an answer does not embed sentences it has seen.

The extractive generator compares the question with candidate sentences of the
retrieved passages. Embedding them per answer cost most of its time (p95 466 ms
alone on 2 cores; 24 sentences take 0.7 CPU-seconds in float32 on a CPU without
bfloat16); the passages of a knowledge base repeat from answer to answer, so each
sentence's vector is kept, keyed by a hash of its text, and only sentences never
seen before reach the model.

With a ``path`` the vectors are also appended to a file there and read back when
the cache is built again, so a restarted server (or the next ``kb ask``) does not
embed them a second time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval.lru import LruCache
from retrieval.types import Embedder

__all__ = ["SentenceVectorCache"]

log = logging.getLogger(__name__)

# 384-dimensional float32 vectors: 20,000 of them take 31 MB; the sample corpus
# (news and policy, 455 chunks) has far fewer sentences than that.
DEFAULT_MAX_SENTENCES = 20_000
_MAGIC = b"KBSV1\n"
_KEY_BYTES = 16


def _key(sentence: str) -> bytes:
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=_KEY_BYTES).digest()


class SentenceVectorCache:
    """Passage vectors of sentences, cached by text hash (LRU, thread-safe), and
    kept in the file ``path`` when one is given.

    The file starts with a header naming the model and its dimension (a file made
    by another model is started afresh) followed by fixed-size records: a 16-byte
    hash and the float32 vector. Appends are whole records in one write, so a torn
    last record (a killed process) is dropped on reading; the file is rewritten
    with the cached vectors only when it holds more than twice ``max_entries``.
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        max_entries: int = DEFAULT_MAX_SENTENCES,
        path: Path | None = None,
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self._embedder = embedder
        self._vectors: LruCache[bytes, np.ndarray] = LruCache(max_entries)
        self._max = max_entries
        # Sentences new to the cache are embedded one caller at a time, so two
        # answers that meet the same new sentences at once embed them once.
        self._compute = threading.Lock()
        self._path = Path(path) if path is not None else None
        self.misses = 0
        if self._path is not None:
            self._load(self._path)

    def __len__(self) -> int:
        return len(self._vectors)

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit vector per sentence, in order; only unseen ones are embedded."""
        if not sentences:
            return np.zeros((0, self._embedder.dimension), dtype=np.float32)
        keys = [_key(s) for s in sentences]
        found = self._vectors.get_many(keys)
        if len(found) < len(set(keys)):
            with self._compute:
                found.update(self._vectors.get_many(k for k in keys if k not in found))
                first = {k: i for i, k in reversed(list(enumerate(keys)))}
                todo = [k for k in dict.fromkeys(keys) if k not in found]
                if todo:
                    fresh = self._embedder.embed_passages([sentences[first[k]] for k in todo])
                    new = dict(zip(todo, np.asarray(fresh, dtype=np.float32), strict=True))
                    self.misses += len(todo)
                    self._vectors.put_many(new)
                    self._append(new)
                    found.update(new)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def warm(self, texts: Sequence[str], *, batch: int = 64) -> int:
        """Embed ``texts`` ahead of use (in batches); returns how many were new."""
        before = self.misses
        for start in range(0, len(texts), batch):
            self.vectors(texts[start : start + batch])
        return self.misses - before

    # -- the file -------------------------------------------------------------------

    def _header(self) -> bytes:
        meta = {"model": self._embedder.name, "dimension": self._embedder.dimension}
        return _MAGIC + json.dumps(meta, sort_keys=True).encode("utf-8") + b"\n"

    def _load(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("sentence vectors not read from %s: %s", path, exc)
            return
        header = self._header()
        if not data.startswith(header):
            log.info("sentence vectors in %s are of another model; starting afresh", path)
            self._rewrite(path, {})
            return
        dimension = self._embedder.dimension
        record = _KEY_BYTES + 4 * dimension
        body = data[len(header) :]
        whole = len(body) // record
        rows = np.frombuffer(body, dtype=np.uint8, count=whole * record).reshape(whole, record)
        keys = [bytes(row[:_KEY_BYTES]) for row in rows[-self._max :]]
        vectors = rows[-self._max :, _KEY_BYTES:].copy().view("<f4")
        self._vectors.put_many(dict(zip(keys, vectors, strict=True)))
        if whole * record != len(body) or whole > 2 * self._max:
            # a torn last record, or a file grown well past what is kept: write it anew
            self._rewrite(path, dict(zip(keys, vectors, strict=True)))
        log.info("%d sentence vectors read from %s", len(self._vectors), path)

    def _rewrite(self, path: Path, vectors: dict[bytes, np.ndarray]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(self._header() + self._records(vectors))
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("sentence vectors not written to %s: %s", path, exc)

    @staticmethod
    def _records(vectors: dict[bytes, np.ndarray]) -> bytes:
        return b"".join(k + np.asarray(v, dtype="<f4").tobytes() for k, v in vectors.items())

    def _append(self, vectors: dict[bytes, np.ndarray]) -> None:
        if self._path is None:
            return
        try:
            if not self._path.exists():
                self._rewrite(self._path, vectors)
                return
            # O_APPEND and one write per call: records from two processes never interleave
            fd = os.open(self._path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, self._records(vectors))
            finally:
                os.close(fd)
        except OSError as exc:
            log.warning("sentence vectors not written to %s: %s", self._path, exc)
