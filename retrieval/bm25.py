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
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
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

DEFAULT_K1 = 1.5
# Length normalisation, weaker than the textbook 0.75. A statute article is one
# self-contained rule: a longer one holds more 款 and 项, not a thinner treatment
# of the question's words, and b = 0.75 pushed the long procedure and duty articles
# (第十一条's three steps, a list of 情形) below short articles that merely share a
# word. Hybrid R@1 / R@5 / MRR@10, b 0.75 → 0.3: policy dev 0.800 / 1.000 / 0.923 →
# 0.813 / 1.000 / 0.923; own extra set 0.556 / 0.966 / 0.745 → 0.620 / 0.966 / 0.785
# (b 0.2 and 0.4 within 0.02 of it; 0.0 and 0.1 lose dev R@1). With the larger lexicon
# since: extra 0.574 / 0.966 / 0.755 → 0.639 / 0.966 / 0.794 (``bench/policy.py --ablation``). Seed set (news)
# unchanged in every mode; CMRC 2018 dev paragraph retrieval by BM25 alone R@1
# 0.973 → 0.971, MRR@10 0.984 → 0.983. It is applied when the matrix is built, so
# an index saved with another b needs no rebuild.
DEFAULT_B = 0.3


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
class _Segment:
    """A block of rows as a term-column matrix of BM25 term-frequency parts
    (idf is applied at query time, from the current document frequencies)."""

    chunk_ids: list[str]
    doc_of_row: np.ndarray  # int32 index into doc_names
    doc_names: list[str]
    weights: sparse.csc_matrix  # rows: chunks, columns: terms
    alive: np.ndarray  # bool per row; deleted rows are masked until the next merge


class BM25Index:
    """Okapi BM25 (``k1``, ``b``; by default ``DEFAULT_K1`` and the weak length
    normalisation ``DEFAULT_B``) over ``tokenize_for_index`` terms of ``indexed_text``.

    Adds and deletes are cheap (a row per chunk). Queries read a large *base*
    matrix plus a small *delta* of rows added since; deleted rows are masked.
    Only when the delta and the deletions reach a fifth of the base (or 1,000
    rows) is everything merged into a new base, so one upload into a 100k-chunk
    index does not rebuild it. Document frequencies are kept exact; the average
    length inside an older base is the one of its build. ``save()`` writes a temp file and
    ``os.replace``s it, so a crash leaves either the old or the new index on disk,
    never a torn one. Thread-safe: one lock guards rows and matrix.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        k1: float = DEFAULT_K1,
        b: float = DEFAULT_B,
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
        self._df = np.zeros(0, dtype=np.int64)
        self._total_length = 0
        self._base: _Segment | None = None
        self._base_rows: dict[str, int] = {}
        self._dead = 0
        self._delta: set[str] = set()
        self._delta_segment: _Segment | None = None
        self._lock = threading.RLock()

    # -- loading and saving -------------------------------------------------

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        k1: float = DEFAULT_K1,
        b: float = DEFAULT_B,
        tokenizer: Callable[[str], list[str]] = tokenize_for_index,
    ) -> BM25Index:
        """Open the index saved at ``path``; an empty index if there is none.

        An unreadable file is logged and treated as empty: the caller compares
        fingerprints with the vector store and rebuilds what is missing.
        """
        index = cls(path, k1=k1, b=b, tokenizer=tokenizer)
        if not path.exists():
            return index
        try:
            with np.load(path, allow_pickle=False) as data:
                index._read(data)
        except (OSError, ValueError, KeyError) as exc:
            log.warning("BM25 index %s is unreadable (%s); starting empty", path, exc)
            index = cls(path, k1=k1, b=b, tokenizer=tokenizer)
        return index

    def _read(self, data: Mapping[str, Any]) -> None:
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
            self._insert(
                chunk_id,
                _Row(doc_id, doc_hashes[version], term_ids[lo:hi], tfs[lo:hi], int(lengths[row])),
            )
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

    def _add_terms(self, item: StoredChunk, terms: list[str]) -> None:
        chunk_id = item.chunk.chunk_id
        self._discard(chunk_id)
        counted = Counter(terms)
        ids = np.fromiter((self._term_id(t) for t in counted), dtype=np.int32, count=len(counted))
        tfs = np.fromiter(counted.values(), dtype=np.int64, count=len(counted))
        order = np.argsort(ids)
        row = _Row(
            doc_id=item.chunk.doc_id,
            doc_hash=item.doc_hash,
            term_ids=ids[order],
            tfs=np.minimum(tfs[order], _MAX_TF).astype(np.uint16),
            length=len(terms),
        )
        self._insert(chunk_id, row)

    def _insert(self, chunk_id: str, row: _Row) -> None:
        self._rows[chunk_id] = row
        self._by_doc.setdefault(row.doc_id, set()).add(chunk_id)
        if len(self._df) < len(self._terms):
            grown = np.zeros(max(len(self._terms), 2 * len(self._df)), dtype=np.int64)
            grown[: len(self._df)] = self._df
            self._df = grown
        self._df[row.term_ids] += 1  # term ids are unique within a row
        self._total_length += row.length
        self._delta.add(chunk_id)
        self._delta_segment = None

    def _term_id(self, term: str) -> int:
        term_id = self._vocab.get(term)
        if term_id is None:
            term_id = self._vocab[term] = len(self._terms)
            self._terms.append(term)
        return term_id

    def _discard(self, chunk_id: str) -> None:
        row = self._rows.pop(chunk_id, None)
        if row is None:
            return
        siblings = self._by_doc.get(row.doc_id)
        if siblings is not None:
            siblings.discard(chunk_id)
            if not siblings:
                del self._by_doc[row.doc_id]
        self._df[row.term_ids] -= 1
        self._total_length -= row.length
        base_row = self._base_rows.pop(chunk_id, None)
        if base_row is not None and self._base is not None:
            self._base.alive[base_row] = False
            self._dead += 1
        else:
            self._delta.discard(chunk_id)
            self._delta_segment = None

    def delete_document(self, doc_id: str) -> None:
        """Forget every chunk of ``doc_id`` (no error if there is none)."""
        with self._lock:
            for chunk_id in list(self._by_doc.get(doc_id, ())):
                self._discard(chunk_id)

    def delete_chunks(self, chunk_ids: Iterable[str]) -> None:
        """Forget the given chunks (unknown ids are ignored)."""
        with self._lock:
            for chunk_id in chunk_ids:
                self._discard(chunk_id)

    def clear(self) -> None:
        """Forget everything (the vocabulary too)."""
        with self._lock:
            self._vocab.clear()
            self._terms.clear()
            self._rows.clear()
            self._by_doc.clear()
            self._df = np.zeros(0, dtype=np.int64)
            self._total_length = 0
            self._base, self._base_rows, self._dead = None, {}, 0
            self._delta, self._delta_segment = set(), None

    def drop(self) -> None:
        """Forget every chunk and delete the index file (a knowledge base being deleted)."""
        self.clear()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

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
        self,
        text: str,
        *,
        k: int,
        doc_ids: Collection[str] | None = None,
        expansion: str = "",
        expansion_weight: float = 0.5,
    ) -> list[tuple[str, float]]:
        """Return up to ``k`` ``(chunk_id, BM25 score)`` best first; only chunks that
        share a term with ``text`` (and belong to ``doc_ids`` when given).
        ``expansion`` (synonyms of the query's words) is searched too, its terms
        counting ``expansion_weight`` times a query term."""
        if k < 1:
            return []
        weighted = [(t, 1.0) for t in self._tokenize(text)]
        if expansion:
            weighted += [(t, expansion_weight) for t in self._tokenize(expansion)]
        with self._lock:
            segments = self._segments()
            counts: dict[int, float] = {}
            for term, weight in weighted:
                term_id = self._vocab.get(term)
                if term_id is not None and self._df[term_id] > 0:
                    counts[term_id] = counts.get(term_id, 0.0) + weight
            if not counts:
                return []
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            df = self._df[columns].astype(np.float64)
            n_rows = len(self._rows)
            # The "plus one" idf (Lucene's) never goes negative for very common terms.
            idf = np.log1p((n_rows - df + 0.5) / (df + 0.5))
            query_weights = idf * np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            allowed = None if doc_ids is None else set(doc_ids)
            ranked: list[tuple[float, str]] = []
            for segment in segments:
                ranked.extend(_top(segment, columns, query_weights, allowed, k))
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))  # ties by chunk id: reproducible
        return [(chunk_id, score) for score, chunk_id in ranked[:k]]

    def _segments(self) -> list[_Segment]:
        base_size = len(self._base.chunk_ids) if self._base is not None else 0
        if self._base is None or len(self._delta) + self._dead > max(1000, base_size // 5):
            ids = sorted(self._rows)
            self._base = self._build(ids)
            self._base_rows = {chunk_id: i for i, chunk_id in enumerate(ids)}
            self._dead = 0
            self._delta, self._delta_segment = set(), None
        elif self._delta and self._delta_segment is None:
            self._delta_segment = self._build(sorted(self._delta))
        segments = [self._base]
        if self._delta and self._delta_segment is not None:
            segments.append(self._delta_segment)
        return segments

    def _build(self, chunk_ids: list[str]) -> _Segment:
        rows = [self._rows[c] for c in chunk_ids]
        doc_names = sorted({r.doc_id for r in rows})
        doc_index = {d: i for i, d in enumerate(doc_names)}
        n_rows = len(rows)
        lengths = np.array([r.length for r in rows], dtype=np.float32)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum([len(r.term_ids) for r in rows], out=indptr[1:])
        term_ids = _concat([r.term_ids for r in rows], np.int32)
        tfs = _concat([r.tfs for r in rows], np.uint16).astype(np.float32)
        avg_length = (
            self._total_length / len(self._rows) if self._rows and self._total_length else 1.0
        )
        norm = self._k1 * (1 - self._b + self._b * lengths / avg_length)
        row_of_cell = np.repeat(np.arange(n_rows), np.diff(indptr))
        cells = tfs * (self._k1 + 1) / (tfs + norm[row_of_cell])
        shape = (n_rows, max(len(self._terms), 1))
        return _Segment(
            chunk_ids=chunk_ids,
            doc_of_row=np.array([doc_index[r.doc_id] for r in rows], dtype=np.int32),
            doc_names=doc_names,
            weights=sparse.csr_matrix((cells, term_ids, indptr), shape=shape).tocsc(),
            alive=np.ones(n_rows, dtype=bool),
        )


def _top(
    segment: _Segment,
    columns: np.ndarray,
    query_weights: np.ndarray,
    allowed: set[str] | None,
    k: int,
) -> list[tuple[float, str]]:
    """The best ``k`` live rows of ``segment`` for the query, as (score, chunk id)."""
    n_terms = segment.weights.shape[1]
    inside = columns < n_terms  # a term newer than the segment has no cells in it
    if not inside.any():
        return []
    scores = np.asarray(segment.weights[:, columns[inside]] @ query_weights[inside]).ravel()
    keep = segment.alive
    if allowed is not None:
        named = np.fromiter(
            (name in allowed for name in segment.doc_names),
            dtype=bool,
            count=len(segment.doc_names),
        )
        keep = keep & named[segment.doc_of_row]
    scores = np.where(keep, scores, 0.0)
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    return [(float(scores[i]), segment.chunk_ids[i]) for i in candidates.tolist()]


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
