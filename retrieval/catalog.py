"""The catalog: one record per indexed document, derived from the stored chunks.

It answers "is this file already indexed, complete, in this version?" for
incremental ingest and turns ``SearchFilters`` into the set of allowed documents.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from retrieval.chroma_store import doc_id_of
from retrieval.types import DocumentRecord, SearchFilters, StoredChunk


def record_from_metadata(meta: Mapping[str, Any], *, chunk_count: int) -> DocumentRecord:
    """A document record from one of its chunks' Chroma metadata."""
    regions = str(meta.get("regions") or "")
    return DocumentRecord(
        doc_id=str(meta["doc_id"]),
        source_key=str(meta.get("source_key", "")),
        title=str(meta.get("title", "")),
        content_hash=str(meta.get("doc_hash", "")),
        chunk_count=chunk_count,
        date=str(meta.get("date") or "") or None,
        regions=tuple(r for r in regions.split("|") if r),
        doc_type=str(meta.get("doc_type") or "other"),
        file_type=str(meta.get("file_type") or "txt"),
        source=str(meta.get("source") or "") or None,
        author=str(meta.get("author") or "") or None,
        effective=str(meta.get("effective") or "") or None,
        superseded=bool(meta.get("superseded", False)),
    )


def record_from_chunk(item: StoredChunk, *, chunk_count: int) -> DocumentRecord:
    """A document record from one of its stored chunks."""
    return DocumentRecord(
        doc_id=item.chunk.doc_id,
        source_key=item.source_key,
        title=item.title,
        content_hash=item.doc_hash,
        chunk_count=chunk_count,
        date=item.date,
        regions=item.regions,
        doc_type=item.doc_type,
        file_type=item.file_type,
        source=item.source,
        author=item.author,
        effective=item.effective,
        superseded=item.superseded,
    )


def _date_in_range(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    if not (date_from or date_to):
        return True
    if not date:
        return False
    # ISO prefixes compare on their common length: "2023" is within 2023-03..2023-06.
    if date_from:
        n = min(len(date), len(date_from))
        if date[:n] < date_from[:n]:
            return False
    if date_to:
        n = min(len(date), len(date_to))
        if date[:n] > date_to[:n]:
            return False
    return True


def matches(record: DocumentRecord, filters: SearchFilters) -> bool:
    """Whether ``record`` passes every set field of ``filters``.

    A region filter value matches when it is a substring of one of the
    document's regions (so "涧西" matches "涧西区", and "涧西区" itself).
    """
    if filters.doc_ids and record.doc_id not in filters.doc_ids:
        return False
    if filters.regions and not any(
        value in region for value in filters.regions for region in record.regions
    ):
        return False
    if filters.doc_types and record.doc_type not in filters.doc_types:
        return False
    return _date_in_range(record.date, filters.date_from, filters.date_to)


class Catalog:
    """Document records plus how many chunks each document should have.

    A document is *complete* when all of its ``doc_chunks`` chunks are stored;
    an interrupted ingest leaves it incomplete, and the next ingest redoes it.
    """

    def __init__(self) -> None:
        self._records: dict[str, DocumentRecord] = {}
        self._expected: dict[str, int] = {}
        self._lock = threading.RLock()

    def put(self, record: DocumentRecord, *, expected_chunks: int) -> None:
        """Add or replace ``record``; ``expected_chunks`` is the document's full chunk count."""
        with self._lock:
            self._records[record.doc_id] = record
            self._expected[record.doc_id] = expected_chunks

    def refresh(self, other: Catalog) -> None:
        """Take over ``other``'s records (a catalog rebuilt from the store)."""
        with self._lock:
            self._records = dict(other._records)
            self._expected = dict(other._expected)

    def discard(self, doc_id: str) -> None:
        with self._lock:
            self._records.pop(doc_id, None)
            self._expected.pop(doc_id, None)

    def get(self, doc_id: str) -> DocumentRecord | None:
        """The record of ``doc_id`` or ``None``."""
        with self._lock:
            return self._records.get(doc_id)

    def is_complete(self, doc_id: str) -> bool:
        with self._lock:
            record = self._records.get(doc_id)
            return record is not None and record.chunk_count == self._expected.get(doc_id)

    def incomplete(self) -> list[str]:
        """Ids of documents with fewer (or more) chunks stored than they should have."""
        with self._lock:
            return sorted(d for d in self._records if not self.is_complete(d))

    def records(self) -> list[DocumentRecord]:
        """Every record, ordered by source key."""
        with self._lock:
            return sorted(self._records.values(), key=lambda r: (r.source_key, r.doc_id))

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._records

    def resolve(self, filters: SearchFilters | None) -> set[str] | None:
        """The doc_ids that pass ``filters``; ``None`` means no restriction."""
        if filters is None or filters.is_empty():
            return None
        with self._lock:
            return {d for d, r in self._records.items() if matches(r, filters)}

    def with_chunk_count(self, doc_id: str, chunk_count: int) -> None:
        """Record that ``doc_id`` now has ``chunk_count`` chunks stored."""
        with self._lock:
            record = self._records.get(doc_id)
            if record is not None:
                self._records[doc_id] = replace(record, chunk_count=chunk_count)

    @classmethod
    def build(
        cls,
        *,
        chunk_ids: Iterable[str],
        first_chunks: Mapping[str, Mapping[str, Any]],
        metadata_of: Any,
    ) -> Catalog:
        """Derive the catalog from the store: chunk ids give each document's stored
        chunk count; chunk 0's metadata gives the record. ``metadata_of(doc_id)``
        fetches any chunk's metadata for a document whose chunk 0 is missing
        (only an interrupted write leaves one like that)."""
        counts: dict[str, int] = {}
        for chunk_id in chunk_ids:
            doc_id = doc_id_of(chunk_id)
            counts[doc_id] = counts.get(doc_id, 0) + 1
        catalog = cls()
        for doc_id, count in counts.items():
            meta = first_chunks.get(doc_id) or metadata_of(doc_id)
            if meta is None:
                continue
            catalog.put(
                record_from_metadata(meta, chunk_count=count),
                expected_chunks=int(meta.get("doc_chunks", 0)),
            )
        return catalog
