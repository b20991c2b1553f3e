"""A BM25 keyword index over jieba words and CJK bigrams, scored with scipy sparse
matrices and persisted atomically as one ``.npz`` file.

The index is derived data: Chroma holds the truth. Each chunk is kept with the
hash of its document, and ``fingerprint()`` digests the (chunk id, document hash)
pairs, so a caller can tell cheaply whether the file on disk still matches the
vector store (e.g. after a crash between the two writes) and resynchronise.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from retrieval.text import indexed_text
from retrieval.tokenize import tokenize_for_index
from retrieval.types import StoredChunk

log = logging.getLogger(__name__)

_FORMAT_VERSION = 1
_MAX_TF = np.iinfo(np.uint16).max


def index_fingerprint(pairs: Iterable[tuple[str, str]]) -> str:
    """Digest of ``(chunk_id, doc_hash)`` pairs, independent of their order.

    The same function fingerprints the BM25 index and the vector store, so equal
    fingerprints mean both hold the same chunks of the same document versions.
    """
    digest = hashlib.sha256()
    count = 0
    for chunk_id, doc_hash in sorted(pairs):
        digest.update(f"{chunk_id}\t{doc_hash}\n".encode())
        count += 1
    return f"{count}:{digest.hexdigest()}"


@dataclass(frozen=True)
class _Row:
    doc_id: str
    doc_hash: str
    term_ids: np.ndarray  # int32, unique within the row
    tfs: np.ndarray  # uint16
    length: int


@dataclass(frozen=True)
class _Matrix:
    chunk_ids: list[str]
    doc_of_row: np.ndarray  # int32 index into doc_names
    doc_names: list[str]
    weights: sparse.csc_matrix  # rows: chunks, columns: terms; BM25 weight per cell


class BM25Index:
    """Okapi BM25 (``k1``, ``b``) over ``tokenize_for_index`` terms of ``indexed_text``.

    Adds and deletes are cheap (a row per chunk); the weight matrix is rebuilt
    lazily on the first query after a change. ``save()`` writes a temp file and
    ``os.replace``s it, so a crash leaves either the old or the new index on disk,
    never a torn one. Thread-safe: one lock guards rows and matrix.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        k1: float = 1.5,
        b: float = 0.75,
        tokenizer: Callable[[str], list[str]] = tokenize_for_index,
    ) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 >= 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self._path = path
        self._k1 = k1
        self._b = b
        self._tokenize = tokenizer
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._rows: dict[str, _Row] = {}
        self._by_doc: dict[str, set[str]] = {}
        self._matrix: _Matrix | None = None
        self._lock = threading.RLock()

    # -- loading and saving -------------------------------------------------

    @classmethod
    def load(cls, path: Path, **kwargs) -> BM25Index:  # type: ignore[no-untyped-def]
        """Open the index saved at ``path``; an empty index if there is none.

        An unreadable file is logged and treated as empty: the caller compares
        fingerprints with the vector store and rebuilds what is missing.
        """
        index = cls(path, **kwargs)
        if not path.exists():
            return index
        try:
            with np.load(path, allow_pickle=False) as data:
                index._read(data)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("BM25 index %s is unreadable (%s); starting empty", path, exc)
            index = cls(path, **kwargs)
        return index

    def _read(self, data) -> None:  # type: ignore[no-untyped-def]
        if int(data["version"]) != _FORMAT_VERSION:
            raise ValueError(f"format version {int(data['version'])}, expected {_FORMAT_VERSION}")
        self._terms = data["terms"].tolist()
        self._vocab = {t: i for i, t in enumerate(self._terms)}
        doc_names = data["doc_names"].tolist()
        doc_hashes = data["doc_hashes"].tolist()
        indptr = data["indptr"]
        term_ids = data["term_ids"]
        tfs = data["tfs"]
        lengths = data["lengths"]
        for row, (chunk_id, version) in enumerate(
            zip(data["chunk_ids"].tolist(), data["version_of_row"].tolist(), strict=True)
        ):
            lo, hi = int(indptr[row]), int(indptr[row + 1])
            doc_id = doc_names[version]
            self._rows[chunk_id] = _Row(
                doc_id, doc_hashes[version], term_ids[lo:hi], tfs[lo:hi], int(lengths[row])
            )
            self._by_doc.setdefault(doc_id, set()).add(chunk_id)
        stored = str(data["fingerprint"])
        if stored != self.fingerprint():
            raise ValueError("stored fingerprint does not match the stored rows")

    def save(self) -> None:
        """Write the index to its path atomically (no-op for an in-memory index)."""
        if self._path is None:
            return
        with self._lock:
            chunk_ids = sorted(self._rows)
            rows = [self._rows[c] for c in chunk_ids]
            # One entry per (document, version): a document's chunks normally share
            # one hash, but the file must round-trip whatever the rows say.
            versions = sorted({(r.doc_id, r.doc_hash) for r in rows})
            version_index = {v: i for i, v in enumerate(versions)}
            indptr = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum([len(r.term_ids) for r in rows], out=indptr[1:])
            arrays: dict[str, Any] = {
                "version": np.array(_FORMAT_VERSION),
                "fingerprint": np.array(self.fingerprint()),
                "terms": np.array(self._terms, dtype=str),
                "chunk_ids": np.array(chunk_ids, dtype=str),
                "doc_names": np.array([v[0] for v in versions], dtype=str),
                "doc_hashes": np.array([v[1] for v in versions], dtype=str),
                "version_of_row": np.array(
                    [version_index[(r.doc_id, r.doc_hash)] for r in rows], dtype=np.int32
                ),
                "indptr": indptr,
                "term_ids": _concat([r.term_ids for r in rows], np.int32),
                "tfs": _concat([r.tfs for r in rows], np.uint16),
                "lengths": np.array([r.length for r in rows], dtype=np.int32),
            }
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self._path.name, suffix=".tmp", dir=self._path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        log.debug("saved BM25 index (%d chunks) to %s", len(chunk_ids), self._path)

    # -- changes ------------------------------------------------------------

    def add(self, items: Sequence[StoredChunk]) -> None:
        """Index ``items`` (replacing chunks with the same id)."""
        tokenized = [(item, self._tokenize(indexed_text(item))) for item in items]
        with self._lock:
            for item, terms in tokenized:
                self._add_terms(item, terms)
            if tokenized:
                self._matrix = None

    def _add_terms(self, item: StoredChunk, terms: list[str]) -> None:
        chunk_id = item.chunk.chunk_id
        self._discard(chunk_id)
        ids = np.fromiter((self._term_id(t) for t in terms), dtype=np.int32, count=len(terms))
        unique, counts = np.unique(ids, return_counts=True)
        row = _Row(
            doc_id=item.chunk.doc_id,
            doc_hash=item.doc_hash,
            term_ids=unique.astype(np.int32),
            tfs=np.minimum(counts, _MAX_TF).astype(np.uint16),
            length=len(terms),
        )
        self._rows[chunk_id] = row
        self._by_doc.setdefault(row.doc_id, set()).add(chunk_id)

    def _term_id(self, term: str) -> int:
        term_id = self._vocab.get(term)
        if term_id is None:
            term_id = self._vocab[term] = len(self._terms)
            self._terms.append(term)
        return term_id

    def _discard(self, chunk_id: str) -> None:
        row = self._rows.pop(chunk_id, None)
        if row is not None:
            siblings = self._by_doc.get(row.doc_id)
            if siblings is not None:
                siblings.discard(chunk_id)
                if not siblings:
                    del self._by_doc[row.doc_id]

    def delete_document(self, doc_id: str) -> None:
        """Forget every chunk of ``doc_id`` (no error if there is none)."""
        with self._lock:
            for chunk_id in list(self._by_doc.get(doc_id, ())):
                self._discard(chunk_id)
            self._matrix = None

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:
        """Forget the given chunks (unknown ids are ignored)."""
        with self._lock:
            for chunk_id in chunk_ids:
                self._discard(chunk_id)
            self._matrix = None

    def clear(self) -> None:
        """Forget everything (the vocabulary too)."""
        with self._lock:
            self._vocab.clear()
            self._terms.clear()
            self._rows.clear()
            self._by_doc.clear()
            self._matrix = None

    # -- reading ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def chunk_ids(self) -> set[str]:
        with self._lock:
            return set(self._rows)

    def doc_hashes(self) -> dict[str, str]:
        """``chunk_id → doc_hash`` of every indexed chunk."""
        with self._lock:
            return {c: r.doc_hash for c, r in self._rows.items()}

    def fingerprint(self) -> str:
        """See ``index_fingerprint``: (chunk id, document hash) of every chunk."""
        with self._lock:
            return index_fingerprint((c, r.doc_hash) for c, r in self._rows.items())

    def query(
        self, text: str, *, k: int, doc_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return up to ``k`` ``(chunk_id, BM25 score)`` best first; only chunks that
        share a term with ``text`` (and belong to ``doc_ids`` when given)."""
        if k < 1:
            return []
        terms = self._tokenize(text)
        with self._lock:
            matrix = self._build()
            counts: dict[int, int] = {}
            for term in terms:
                term_id = self._vocab.get(term)
                if term_id is not None:
                    counts[term_id] = counts.get(term_id, 0) + 1
        if not counts or not matrix.chunk_ids:
            return []
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        weights = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        scores = np.asarray(matrix.weights[:, columns] @ weights).ravel()
        if doc_ids is not None:
            allowed = {d for d in doc_ids}
            keep = np.fromiter(
                (name in allowed for name in matrix.doc_names),
                dtype=bool,
                count=len(matrix.doc_names),
            )
            scores = np.where(keep[matrix.doc_of_row], scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            top = np.argpartition(-scores[candidates], k - 1)[:k]
            candidates = candidates[top]
        # Ties broken by chunk id so results are reproducible.
        ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], matrix.chunk_ids[i]))
        return [(matrix.chunk_ids[i], float(scores[i])) for i in ranked]

    def _build(self) -> _Matrix:
        if self._matrix is not None:
            return self._matrix
        chunk_ids = sorted(self._rows)
        doc_names = sorted(self._by_doc)
        doc_index = {d: i for i, d in enumerate(doc_names)}
        rows = [self._rows[c] for c in chunk_ids]
        n_rows, n_terms = len(rows), len(self._terms)
        lengths = np.array([r.length for r in rows], dtype=np.float32)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum([len(r.term_ids) for r in rows], out=indptr[1:])
        term_ids = _concat([r.term_ids for r in rows], np.int32)
        tfs = _concat([r.tfs for r in rows], np.uint16).astype(np.float32)
        avg_length = float(lengths.mean()) if n_rows and lengths.sum() else 1.0
        df = np.bincount(term_ids, minlength=n_terms).astype(np.float32)
        # The "plus one" idf (Lucene's) never goes negative for very common terms.
        idf = np.log1p((n_rows - df + 0.5) / (df + 0.5))
        norm = self._k1 * (1 - self._b + self._b * lengths / avg_length)
        row_of_cell = np.repeat(np.arange(n_rows), np.diff(indptr))
        cells = idf[term_ids] * tfs * (self._k1 + 1) / (tfs + norm[row_of_cell])
        weights = sparse.csr_matrix((cells, term_ids, indptr), shape=(n_rows, n_terms)).tocsc()
        self._matrix = _Matrix(
            chunk_ids=chunk_ids,
            doc_of_row=np.array([doc_index[r.doc_id] for r in rows], dtype=np.int32),
            doc_names=doc_names,
            weights=weights,
        )
        return self._matrix


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
