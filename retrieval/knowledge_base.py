"""The knowledge base: files → documents → chunks → vectors → Chroma + BM25.

Chroma is the source of truth; the BM25 index and the catalog are derived from it
and kept in step. Ingest is incremental (a file whose bytes hash the same as the
indexed, complete version is skipped without parsing; so is a copy of an indexed
file found under another path or upload name) and crash-safe: chunk ids
are deterministic (``{doc_id}:{index:05d}``), a document counts as indexed only
when all of its chunks are stored, and on open a BM25 file that disagrees with
Chroma is brought back in step from Chroma.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np

import ingest
from ingest import SourceDocument
from retrieval.bm25 import BM25Index, index_fingerprint
from retrieval.catalog import Catalog, matches, record_from_chunk
from retrieval.chroma_store import ChromaVectorStore, doc_id_of
from retrieval.text import indexed_text, part_texts
from retrieval.types import (
    DocumentRecord,
    Embedder,
    FileOutcome,
    IngestProgress,
    IngestReport,
    KeywordIndex,
    SearchFilters,
    StoredChunk,
    VectorStore,
)

log = logging.getLogger(__name__)

ProgressCallback = Callable[[IngestProgress], None]
_SourceState = Literal["holds", "gone", "changed"]


@dataclass(frozen=True)
class CheckReport:
    """Whether the BM25 index agrees with Chroma and every document is complete.

    ``missing_in_bm25`` holds chunk ids Chroma has but BM25 lacks (or holds for an
    older version of the document); ``extra_in_bm25`` the reverse;
    ``incomplete_documents`` the doc_ids with fewer chunks stored than they should
    have. ``repaired`` says whether ``check(repair=True)`` fixed what it found.
    """

    chroma_chunks: int
    bm25_chunks: int
    missing_in_bm25: tuple[str, ...] = ()
    extra_in_bm25: tuple[str, ...] = ()
    incomplete_documents: tuple[str, ...] = ()
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing_in_bm25 or self.extra_in_bm25 or self.incomplete_documents)


@dataclass
class _Pending:
    """A parsed document waiting for its chunks to be embedded and written."""

    source_key: str
    doc_id: str
    status: str
    items: list[StoredChunk]
    replaces: bool  # the store holds chunks of an older or partial version
    reason: str | None = None  # what reading left out (pages OCR gave up on)
    # Documents of files that are gone and held these very bytes (the file was moved or
    # renamed): written out in the same batch, so the index never holds both copies.
    moved_from: tuple[DocumentRecord, ...] = ()


@dataclass
class _Run:
    """Book-keeping of one ingest call."""

    files_total: int
    progress: ProgressCallback | None
    started: float = field(default_factory=time.monotonic)
    outcomes: list[FileOutcome] = field(default_factory=list)
    files_done: int = 0
    chunks_done: int = 0
    failed: int = 0
    broken: bool = False  # a batch failed to embed or write
    # Outcomes come from the reading thread (failed, unchanged, duplicate) and the
    # writing one; the reading thread also raises ``files_total`` (``expect``).
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def expect(self, outcomes: int) -> None:
        """Count ``outcomes`` more than the run started with: a moved file's old
        document, found while reading, is reported ``removed`` on top of the files."""
        with self._lock:
            self.files_total += outcomes

    def pages(self, source_key: str) -> ingest.ProgressCallback | None:
        """A callback for the OCR of ``source_key``: reports its pages done (the files
        done stay as they are until it is finished)."""
        if self.progress is None:
            return None

        def report(done: int, total: int) -> None:
            with self._lock:
                self._tell(source_key, pages_done=done, pages_total=total)

        return report

    def finish(self, outcome: FileOutcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)
            self.files_done += 1
            if outcome.status in ("added", "updated"):
                self.chunks_done += outcome.chunks
            if outcome.status == "failed":
                self.failed += 1
            self._tell(outcome.source_key)

    def _tell(self, current: str, *, pages_done: int = 0, pages_total: int = 0) -> None:
        """Report where the run is (the caller holds the lock)."""
        if self.progress is not None:
            self.progress(
                IngestProgress(
                    files_done=self.files_done,
                    files_total=self.files_total,
                    chunks_done=self.chunks_done,
                    current=current,
                    failed=self.failed,
                    elapsed_s=time.monotonic() - self.started,
                    pages_done=pages_done,
                    pages_total=pages_total,
                )
            )

    def report(self) -> IngestReport:
        return IngestReport(
            outcomes=tuple(self.outcomes), elapsed_s=time.monotonic() - self.started
        )


class _Copies:
    """The indexed documents one ingest call compares files with, by content hash.

    A circular copied into a second folder, or uploaded again as "通知(1).docx", has
    the bytes of a document already indexed under another source key; indexed again,
    each of its passages would come back twice and fill two of the top hits. Lives on
    the reading thread only (``prepare`` runs there), so it needs no lock.
    """

    def __init__(self, records: Iterable[DocumentRecord], *, on_disk: bool) -> None:
        self._by_hash: dict[str, list[DocumentRecord]] = {}
        for record in records:
            self._by_hash.setdefault(record.content_hash, []).append(record)
        # Uploads have no file that could go missing; paths are looked at on disk.
        self._on_disk = on_disk
        self._states: dict[str, _SourceState] = {}
        # content hash -> (source key, doc_id) of a file accepted earlier in this call
        self._accepted: dict[str, tuple[str, str]] = {}
        # Documents of moved files that a file of this call writes out (and reports).
        self.claimed: set[str] = set()
        # Own older versions of files that now duplicate another document: removed
        # after the run, since their file no longer holds what they say.
        self.outdated: list[DocumentRecord] = []

    def match(
        self, source_key: str, digest: str
    ) -> tuple[tuple[str, str] | None, list[DocumentRecord]]:
        """``(original, moved)``: the ``(source key, doc_id)`` of a document with these
        bytes that still has them, if any; else the documents with these bytes whose
        file is gone, which the file replaces."""
        moved: list[DocumentRecord] = []
        for record in self._by_hash.get(digest, ()):
            if record.source_key == source_key or record.doc_id in self.claimed:
                continue
            state = self._state(record)
            if state == "holds":
                return (record.source_key, record.doc_id), []
            if state == "gone":
                moved.append(record)
        earlier = self._accepted.get(digest)
        if earlier is not None and earlier[0] != source_key:
            return earlier, []
        return None, moved

    def accept(self, pending: _Pending, digest: str, moved: Sequence[DocumentRecord]) -> None:
        """Remember a file that will be written: later copies in this call duplicate it."""
        self._accepted.setdefault(digest, (pending.source_key, pending.doc_id))
        self.claimed.update(record.doc_id for record in moved)

    def _state(self, record: DocumentRecord) -> _SourceState:
        """``holds`` (the source still has these bytes), ``gone`` (its file no longer
        exists) or ``changed`` (it exists with other bytes: it will be updated when its
        folder is indexed again, so this file is no copy of it)."""
        known = self._states.get(record.doc_id)
        if known is not None:
            return known
        state: _SourceState
        path = Path(record.source_key)
        if not self._on_disk or not path.is_absolute():
            state = "holds"  # an upload, or a document uploaded earlier: no file to look at
        elif not path.exists():
            state = "gone"
        else:
            try:
                state = "holds" if ingest.file_sha256(path) == record.content_hash else "changed"
            except OSError:  # unreadable now: better index twice than lose the text
                state = "changed"
        self._states[record.doc_id] = state
        return state


def source_key_for(path: Path) -> str:
    """The key a file is indexed under: its absolute path, so re-running from another
    working directory still recognises it."""
    return str(Path(os.path.abspath(path)))


# Chunks per model call during an ingest. The embedder sorts a call's texts by
# length, so a big call pads little: 512 embeds ~15% faster than 64 on 2 cores
# (bfloat16 e5-small); the progress bar then moves every ~10 s.
EMBED_BATCH = 512


class KnowledgeBase:
    """Ingest, remove and inspect documents; hold the stores a ``Searcher`` reads.

    Build with ``KnowledgeBase.open(...)`` (Chroma and a BM25 file), or pass any
    ``VectorStore`` and ``KeywordIndex`` (the tests' in-memory ones) and a fresh
    ``Catalog``. ``embed_batch`` chunks (across files)
    are embedded per model call; the BM25 file is saved at most every
    ``save_interval_s`` seconds during an ingest and always at its end. Scans and
    photos are read with ``ocr``'s options (``None``: the defaults).
    """

    def __init__(
        self,
        *,
        store: VectorStore,
        keyword_index: KeywordIndex,
        embedder: Embedder,
        catalog: Catalog,
        chunk_size: int = 400,
        chunk_overlap: int = 60,
        embed_batch: int = EMBED_BATCH,
        save_interval_s: float = 30.0,
        ocr: ingest.OcrOptions | None = None,
    ) -> None:
        if embed_batch < 1:
            raise ValueError("embed_batch must be at least 1")
        self.store = store
        self.keyword_index = keyword_index
        self.embedder = embedder
        self.catalog = catalog
        self._chunk_size = chunk_size
        self._chunk_overlap = chunk_overlap
        self._embed_batch = embed_batch
        self._save_interval_s = save_interval_s
        self.ocr = ocr
        self._last_save = time.monotonic()
        # One writer at a time; searches read the stores without this lock.
        self._write_lock = threading.RLock()

    @classmethod
    def open(
        cls,
        *,
        data_dir: Path,
        embedder: Embedder,
        chroma_url: str | None = None,
        collection: str = "kb",
        chunk_size: int = 400,
        chunk_overlap: int = 60,
        embed_batch: int = EMBED_BATCH,
        ocr: ingest.OcrOptions | None = None,
    ) -> KnowledgeBase:
        """Open (or create) the knowledge base kept under ``data_dir``.

        Chroma lives in ``data_dir/chroma`` (or on the server at ``chroma_url``),
        the BM25 index in ``data_dir/bm25/<collection>.npz``. If the BM25 file does
        not match Chroma (missing, stale or torn by a crash) it is brought in step
        from Chroma before this returns.
        """
        data_dir = Path(data_dir)
        if chroma_url:
            store = ChromaVectorStore.http(chroma_url, collection=collection)
        else:
            store = ChromaVectorStore.persistent(data_dir / "chroma", collection=collection)
        _check_embedder(store, embedder)
        keyword_index = BM25Index.load(data_dir / "bm25" / f"{store.name}.npz")
        return cls.over(
            store=store,
            keyword_index=keyword_index,
            embedder=embedder,
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            embed_batch=embed_batch,
            ocr=ocr,
        )

    @classmethod
    def over(
        cls,
        *,
        store: VectorStore,
        keyword_index: KeywordIndex,
        embedder: Embedder,
        chunk_size: int = 400,
        chunk_overlap: int = 60,
        embed_batch: int = EMBED_BATCH,
        ocr: ingest.OcrOptions | None = None,
    ) -> KnowledgeBase:
        """A knowledge base over a store and an index that may already hold chunks:
        the catalog is read from the store, and the keyword index is brought in step
        with it when they disagree (``open`` does this for Chroma and the BM25 file)."""
        kb = cls(
            store=store,
            keyword_index=keyword_index,
            embedder=embedder,
            catalog=Catalog(),
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            embed_batch=embed_batch,
            ocr=ocr,
        )
        chunk_ids = store.all_chunk_ids()
        kb.catalog.refresh(kb._catalog_from_store(chunk_ids))
        if keyword_index.fingerprint() != index_fingerprint(kb._chroma_versions(chunk_ids).items()):
            log.warning(
                "BM25 index (%d chunks) disagrees with Chroma (%d chunks); bringing it in step",
                len(keyword_index),
                len(chunk_ids),
            )
            kb._sync_keyword_index(chunk_ids)
        return kb

    # -- ingest -------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        progress: ProgressCallback | None = None,
        prune: bool = False,
    ) -> IngestReport:
        """Index every file under ``paths`` (files or folders, walked recursively).

        Each file ends up ``added``, ``updated``, ``unchanged``, ``duplicate`` or
        ``failed`` (with the reason); a broken file never stops the others. A file
        with the same bytes as a document indexed from another path whose file still
        holds them (a copied folder), or as a file met earlier in this call, is a
        ``duplicate``: it is not indexed again, its ``doc_id`` and ``reason`` name the
        document it repeats. If that other document's file is gone (the file was
        moved or renamed), the file is indexed and the old document removed (outcome
        ``removed``). With ``prune=True``, indexed documents that came from under one
        of the given folders but whose file is gone are removed too. ``progress`` is
        called after every file and after every batch of pages OCRed.
        """
        files: dict[str, Path] = {}
        for path in ingest.iter_files([Path(p) for p in paths]):
            files.setdefault(source_key_for(path), Path(path))
        folders = [source_key_for(Path(p)) for p in paths if Path(p).is_dir()]
        doomed: list[DocumentRecord] = []
        if prune:
            doomed = [
                r
                for r in self.catalog.records()
                if r.source_key not in files
                and any(
                    r.source_key.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders
                )
                and not Path(r.source_key).exists()
            ]
        run = _Run(files_total=len(files) + len(doomed), progress=progress)
        counted = {record.doc_id for record in doomed}

        def prepare(source_key: str, path: Path) -> _Pending | FileOutcome:
            return self._prepare(
                source_key,
                ingest.file_sha256(path),
                lambda: ingest.read_document(
                    path, source_key=source_key, ocr=self.ocr, progress=run.pages(source_key)
                ),
                copies=copies,
                run=run,
                counted=counted,
            )

        with self._write_lock:
            copies = self._copies(on_disk=True)
            self._run([(key, partial(prepare, key, path)) for key, path in files.items()], run)
            self._remove_outdated(copies)
            for record in doomed:
                if record.doc_id in copies.claimed:
                    continue  # removed (and reported) when its moved file was written
                self._remove_unlocked(record.doc_id)
                run.finish(FileOutcome(record.source_key, "removed", doc_id=record.doc_id))
            self._save(force=True)
        return run.report()

    def ingest_bytes(
        self,
        items: Sequence[tuple[str, bytes]],
        *,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Index uploaded files given as ``(filename, data)``; the filename is the source key.

        Outcomes as for ``ingest``: the same bytes under another name (already indexed,
        or earlier in ``items``) are a ``duplicate``. An upload never removes a
        document: there is no file to tell that the other one was moved.
        """
        run = _Run(files_total=len(items), progress=progress)

        def prepare(filename: str, data: bytes) -> _Pending | FileOutcome:
            return self._prepare(
                filename,
                hashlib.sha256(data).hexdigest(),
                lambda: ingest.load_bytes(
                    data,
                    filename=filename,
                    source_key=filename,
                    ocr=self.ocr,
                    progress=run.pages(filename),
                ),
                copies=copies,
                run=run,
            )

        with self._write_lock:
            copies = self._copies(on_disk=False)
            self._run([(name, partial(prepare, name, data)) for name, data in items], run)
            self._remove_outdated(copies)
            self._save(force=True)
        return run.report()

    def index_documents(self, docs: Sequence[SourceDocument]) -> IngestReport:
        """Index documents that are already built (chunked and embedded here)."""
        run = _Run(files_total=len(docs), progress=None)

        def prepare(doc: SourceDocument) -> _Pending | FileOutcome:
            unchanged = self._unchanged(doc.source_key, doc.doc_id, doc.content_hash)
            return unchanged if unchanged is not None else self._pending(doc)

        with self._write_lock:
            self._run([(doc.source_key, partial(prepare, doc)) for doc in docs], run)
            self._save(force=True)
        return run.report()

    def _copies(self, *, on_disk: bool) -> _Copies:
        # Only complete documents count: a half-written one is redone, not trusted.
        records = [r for r in self.catalog.records() if self.catalog.is_complete(r.doc_id)]
        return _Copies(records, on_disk=on_disk)

    def _prepare(
        self,
        source_key: str,
        digest: str,
        read: Callable[[], SourceDocument],
        *,
        copies: _Copies,
        run: _Run,
        counted: Collection[str] = (),
    ) -> _Pending | FileOutcome:
        """The outcome of one file with bytes hashing to ``digest``, or its chunks to
        write; ``read`` parses it only when it has to be indexed. ``counted`` holds the
        doc_ids already counted in ``run.files_total`` (documents ``prune`` removes)."""
        doc_id = ingest.make_doc_id(source_key)
        unchanged = self._unchanged(source_key, doc_id, digest)
        if unchanged is not None:
            return unchanged
        original, moved = copies.match(source_key, digest)
        if original is not None:
            other_key, other_id = original
            reason = f"same content as {other_key}, already indexed"
            own = self.catalog.get(doc_id)
            if own is not None:
                # The file was edited into a copy of another one: what is indexed under
                # its name no longer matches any file.
                copies.outdated.append(own)
                reason += "; the earlier version of this file is removed from the index"
            return FileOutcome(source_key, "duplicate", doc_id=other_id, reason=reason)
        result = self._pending(read())
        if isinstance(result, _Pending):
            copies.accept(result, digest, moved)
            if moved:
                result.moved_from = tuple(moved)
                run.expect(sum(1 for record in moved if record.doc_id not in counted))
        return result

    def _remove_outdated(self, copies: _Copies) -> None:
        for record in copies.outdated:
            # Unless this call wrote it anew: one upload may hold two files of one name.
            if self.catalog.get(record.doc_id) == record:
                self._remove_unlocked(record.doc_id)

    def _unchanged(self, source_key: str, doc_id: str, digest: str) -> FileOutcome | None:
        record = self.catalog.get(doc_id)
        if (
            record is not None
            and record.content_hash == digest
            and self.catalog.is_complete(doc_id)
        ):
            return FileOutcome(source_key, "unchanged", doc_id=doc_id, chunks=record.chunk_count)
        return None

    def _pending(self, doc: SourceDocument) -> _Pending | FileOutcome:
        chunks = ingest.chunk_document(
            doc, target_size=self._chunk_size, overlap=self._chunk_overlap
        )
        if not chunks:
            return FileOutcome(
                doc.source_key, "failed", doc_id=doc.doc_id, reason="no text to index"
            )
        meta = doc.metadata
        items = [
            StoredChunk(
                chunk=chunk,
                title=meta.title,
                source_key=doc.source_key,
                doc_hash=doc.content_hash,
                doc_chunks=len(chunks),
                date=meta.date,
                regions=meta.regions,
                doc_type=meta.doc_type,
                file_type=meta.file_type,
                source=meta.source,
                author=meta.author,
                ocr=meta.ocr,
                effective=meta.effective,
                superseded=meta.superseded,
            )
            for chunk in chunks
        ]
        previous = self.catalog.get(doc.doc_id)
        # A partial copy of this very version is a resumed add, not an update.
        resumed = previous is not None and previous.content_hash == doc.content_hash
        status = "added" if previous is None or resumed else "updated"
        return _Pending(
            doc.source_key,
            doc.doc_id,
            status,
            items,
            replaces=previous is not None,
            reason="; ".join(doc.warnings) or None,
        )

    def _run(
        self, tasks: Iterable[tuple[str, Callable[[], _Pending | FileOutcome]]], run: _Run
    ) -> None:
        # A three-stage pipeline: this thread reads and chunks files, one worker embeds
        # a batch, another writes the batch before it to Chroma and BM25, so reading and
        # writing no longer wait for the model nor it for them (10,920 chunks: +14 % wall
        # over the bare model; bench/ingest.py). Batches are written
        # one after another, in order (what makes a killed run converge on re-run), and
        # at most three are held in memory besides the one being read.
        pending: list[_Pending] = []
        queued = 0
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-embed") as embedding,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-write") as writing,
        ):
            writes: deque[Future[None]] = deque()

            def submit(batch: list[_Pending]) -> None:
                while len(writes) >= 2:
                    writes.popleft().result()  # an embedder or store error ends the run here
                items = [item for p in batch for item in p.items]
                # A statute chunk's 款 are embedded in the same model call as the chunks.
                owners = [item for item in items for _ in part_texts(item)]
                texts = [indexed_text(item) for item in items]
                texts += [text for item in items for text in part_texts(item)]
                vectors = embedding.submit(self.embedder.embed_passages, texts)
                writes.append(writing.submit(self._write, batch, items, owners, vectors, run))

            for source_key, prepare in tasks:
                try:
                    result = prepare()
                except ingest.IngestError as exc:
                    result = FileOutcome(source_key, "failed", reason=str(exc))
                except Exception as exc:  # one odd file must not stop the batch
                    log.debug("unexpected error on %s", source_key, exc_info=True)
                    result = FileOutcome(
                        source_key,
                        "failed",
                        reason=f"unexpected error: {type(exc).__name__}: {exc}",
                    )
                if isinstance(result, FileOutcome):
                    run.finish(result)
                    continue
                pending.append(result)
                queued += len(result.items)
                if queued >= self._embed_batch:
                    submit(pending)
                    pending, queued = [], 0
            if pending:
                submit(pending)
            while writes:
                writes.popleft().result()

    def _write(
        self,
        pending: list[_Pending],
        items: list[StoredChunk],
        owners: list[StoredChunk],
        vectors: Future[np.ndarray],
        run: _Run,
    ) -> None:
        if run.broken:
            return  # an earlier batch failed: write nothing after it
        try:
            self._write_batch(pending, items, owners, vectors.result(), run)
        except BaseException:
            run.broken = True
            raise

    def _write_batch(
        self,
        pending: list[_Pending],
        items: list[StoredChunk],
        owners: list[StoredChunk],
        vectors: np.ndarray,
        run: _Run,
    ) -> None:
        # Old chunks go first: a crash then leaves at most an incomplete document,
        # which the next run recognises and redoes. A moved file's old document goes
        # here too, not after the run: were the run killed in between, the next one
        # would find the new path unchanged and keep both copies for good.
        for p in pending:
            if p.replaces:
                self.store.delete_document(p.doc_id)
                self.keyword_index.delete_document(p.doc_id)
            for record in p.moved_from:
                self._remove_unlocked(record.doc_id)
        self.store.upsert(items, vectors[: len(items)])
        if owners:
            self.store.upsert_parts(owners, vectors[len(items) :])
        self.keyword_index.add(items)
        for p in pending:
            self.catalog.put(
                record_from_chunk(p.items[0], chunk_count=len(p.items)),
                expected_chunks=len(p.items),
            )
        self._save(force=False)
        for p in pending:
            run.finish(
                FileOutcome(
                    p.source_key, p.status, doc_id=p.doc_id, chunks=len(p.items), reason=p.reason
                )
            )
            for record in p.moved_from:
                run.finish(
                    FileOutcome(
                        record.source_key,
                        "removed",
                        doc_id=record.doc_id,
                        reason=f"file gone; the same content is now indexed from {p.source_key}",
                    )
                )

    def _save(self, *, force: bool) -> None:
        now = time.monotonic()
        if force or now - self._last_save >= self._save_interval_s:
            self.keyword_index.save()
            self._last_save = now

    # -- removal and inspection -----------------------------------------------

    def remove(self, doc_id: str) -> bool:
        """Remove a document from both stores; ``False`` if it was not indexed."""
        with self._write_lock:
            if doc_id not in self.catalog and self.store.document_metadata(doc_id) is None:
                return False
            self._remove_unlocked(doc_id)
            self.keyword_index.save()
            return True

    def _remove_unlocked(self, doc_id: str) -> None:
        self.store.delete_document(doc_id)
        self.keyword_index.delete_document(doc_id)
        self.catalog.discard(doc_id)

    def documents(self, filters: SearchFilters | None = None) -> list[DocumentRecord]:
        """Indexed documents (those passing ``filters``), ordered by source key."""
        records = self.catalog.records()
        if filters is None or filters.is_empty():
            return records
        return [r for r in records if matches(r, filters)]

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self.catalog.get(doc_id)

    def chunks(self, doc_id: str) -> list[StoredChunk]:
        """The stored chunks of ``doc_id`` in document order."""
        return self.store.document_chunks(doc_id)

    def drop(self) -> None:
        """Delete everything: the Chroma collection and the BM25 file. The object is
        unusable afterwards."""
        with self._write_lock:
            self.store.drop()
            self.keyword_index.drop()
            self.catalog.refresh(Catalog())

    def chunk_count(self) -> int:
        return self.store.count()

    # -- consistency ----------------------------------------------------------

    def _catalog_from_store(self, chunk_ids: Iterable[str]) -> Catalog:
        return Catalog.build(
            chunk_ids=chunk_ids,
            first_chunks=self.store.first_chunk_metadata(),
            metadata_of=self.store.document_metadata,
        )

    def _chroma_versions(self, chunk_ids: Iterable[str]) -> dict[str, str]:
        """``chunk_id → doc_hash`` for what Chroma holds (hashes from the catalog)."""
        out: dict[str, str] = {}
        for chunk_id in chunk_ids:
            record = self.catalog.get(doc_id_of(chunk_id))
            out[chunk_id] = record.content_hash if record is not None else ""
        return out

    def _differences(self, chunk_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        chroma = self._chroma_versions(chunk_ids)
        bm25 = self.keyword_index.doc_hashes()
        missing = sorted(c for c, h in chroma.items() if bm25.get(c) != h)
        extra = sorted(c for c in bm25 if c not in chroma)
        return missing, extra

    def _sync_keyword_index(self, chunk_ids: Sequence[str]) -> None:
        missing, extra = self._differences(chunk_ids)
        self.keyword_index.delete_chunks(extra)
        for start in range(0, len(missing), 1000):
            self.keyword_index.add(self.store.get(missing[start : start + 1000]))
        self.keyword_index.save()
        log.info("BM25 index resynchronised: %d chunks added, %d removed", len(missing), len(extra))

    def check(self, *, repair: bool = False) -> CheckReport:
        """Compare the BM25 index with Chroma and look for incomplete documents.

        With ``repair=True`` incomplete documents are removed from both stores (the
        next ingest adds them again) and the BM25 index is rebuilt from Chroma.
        """
        with self._write_lock:
            chunk_ids = self.store.all_chunk_ids()
            # Chroma is the truth: count again rather than trust what this process saw.
            self.catalog.refresh(self._catalog_from_store(chunk_ids))
            missing, extra = self._differences(chunk_ids)
            report = CheckReport(
                chroma_chunks=len(chunk_ids),
                bm25_chunks=len(self.keyword_index),
                missing_in_bm25=tuple(missing),
                extra_in_bm25=tuple(extra),
                incomplete_documents=tuple(self.catalog.incomplete()),
            )
            if not repair or report.ok:
                return report
            for doc_id in report.incomplete_documents:
                log.info("removing incomplete document %s", doc_id)
                self._remove_unlocked(doc_id)
            log.info("rebuilding the BM25 index from Chroma")
            self.keyword_index.clear()
            batch: list[StoredChunk] = []
            for item in self.store.iter_chunks(batch_size=1000):
                batch.append(item)
                if len(batch) >= 1000:
                    self.keyword_index.add(batch)
                    batch = []
            self.keyword_index.add(batch)
            self.keyword_index.save()
            return CheckReport(
                chroma_chunks=report.chroma_chunks,
                bm25_chunks=report.bm25_chunks,
                missing_in_bm25=report.missing_in_bm25,
                extra_in_bm25=report.extra_in_bm25,
                incomplete_documents=report.incomplete_documents,
                repaired=True,
            )


def _check_embedder(store: ChromaVectorStore, embedder: Embedder) -> None:
    """Vectors from different models do not mix: refuse a different dimension,
    warn about a different model name, remember both for a new collection."""
    meta = store.collection_metadata()
    dimension = meta.get("embedding_dimension")
    if dimension is None or store.count() == 0:
        store.set_collection_metadata(
            {"embedding_model": embedder.name, "embedding_dimension": embedder.dimension}
        )
        return
    if int(dimension) != embedder.dimension:
        raise ValueError(
            f"the index was built with {meta.get('embedding_model')!r} "
            f"({dimension}-dimensional vectors) but the embedder {embedder.name!r} gives "
            f"{embedder.dimension}; use the same model or a new data folder / collection"
        )
    if meta.get("embedding_model") != embedder.name:
        log.warning(
            "the index was built with %r, now embedding with %r",
            meta.get("embedding_model"),
            embedder.name,
        )
