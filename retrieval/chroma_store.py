"""The dense side of the index: a Chroma collection, embedded or behind ``chroma run``.

Chroma is the source of truth for what is indexed. Each chunk is stored with its
text as the Chroma document and its document's metadata flattened into scalar
fields, so the BM25 index and the catalog can be rebuilt from Chroma alone.
Vectors are always passed in: the collection has no embedding function, so
Chroma never loads (or downloads) a model of its own.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ingest import Chunk
from retrieval.lru import LruCache
from retrieval.types import StoredChunk

log = logging.getLogger(__name__)

_VALID_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$")
_DEFAULT_BATCH = 1000
# Stored chunks kept in memory by id. A hybrid search reads its fused pool (up to
# 100 chunks) back from Chroma, and federated search does that per knowledge base
# and retriever: with both sample knowledge bases that was 60 of the 92 CPU ms of
# a search (4 reads of ~50 chunks, 15 ms each, on 2 cores). The questions staff ask
# land on the same few hundred chunks; 10,000 chunks of ~400 characters take
# about 30 MB.
DEFAULT_CACHED_CHUNKS = 10_000
# The 款 vectors of statute chunks (see ``upsert_parts``) live in a collection of their
# own, named after the chunks' one, so nothing that reads chunks (counts, the catalog,
# BM25 rebuilds, checks) ever meets them.
_PARTS_SUFFIX = ".parts"


def chroma_collection_name(name: str) -> str:
    """Chroma wants 3–512 characters of ``[A-Za-z0-9._-]``; short names such as
    the default ``kb`` get a ``_chunks`` suffix, other invalid names are refused."""
    if len(name) < 3 and re.fullmatch(r"[A-Za-z0-9]+", name):
        name = f"{name}_chunks"
    if not _VALID_NAME.match(name):
        raise ValueError(
            f"collection name {name!r} is not valid for Chroma: use 3–512 characters of "
            "letters, digits, '.', '_' or '-', starting and ending with a letter or digit"
        )
    return name


def date_number(date: str | None) -> int:
    """``"2023-05-07"`` → ``20230507``; ``"2023-05"`` → ``20230500``; unknown → 0."""
    if not date:
        return 0
    digits = re.sub(r"\D", "", date)[:8]
    if len(digits) < 4:
        return 0
    return int(digits.ljust(8, "0"))


def to_metadata(item: StoredChunk) -> dict[str, str | int | bool]:
    """Flatten a stored chunk into Chroma's scalar metadata (no ``None`` allowed)."""
    chunk = item.chunk
    return {
        "doc_id": chunk.doc_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "heading_path": json.dumps(list(chunk.heading_path), ensure_ascii=False),
        "title": item.title,
        "source_key": item.source_key,
        "doc_hash": item.doc_hash,
        "doc_chunks": item.doc_chunks,
        "date": item.date or "",
        "date_num": date_number(item.date),
        "regions": "|".join(item.regions),
        "doc_type": item.doc_type,
        "file_type": item.file_type,
        "source": item.source or "",
        "author": item.author or "",
        "content_hash": chunk.content_hash,
        "ocr": item.ocr,
        "effective": item.effective or "",
        "superseded": item.superseded,
        "context": chunk.context,
        "article": chunk.article,
    }


def from_metadata(chunk_id: str, text: str, meta: Mapping[str, Any]) -> StoredChunk:
    """Inverse of ``to_metadata``."""
    heading_path = meta.get("heading_path") or "[]"
    try:
        headings = tuple(json.loads(heading_path))
    except (TypeError, ValueError):
        headings = tuple(h for h in str(heading_path).split(" > ") if h)
    chunk = Chunk(
        chunk_id=chunk_id,
        doc_id=str(meta["doc_id"]),
        index=int(meta.get("index", 0)),
        text=text,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", len(text))),
        heading_path=headings,
        content_hash=str(meta.get("content_hash", "")),
        context=str(meta.get("context") or ""),
        article=str(meta.get("article") or ""),
    )
    regions = str(meta.get("regions") or "")
    return StoredChunk(
        chunk=chunk,
        title=str(meta.get("title", "")),
        source_key=str(meta.get("source_key", "")),
        doc_hash=str(meta.get("doc_hash", "")),
        doc_chunks=int(meta.get("doc_chunks", 0)),
        date=str(meta.get("date") or "") or None,
        regions=tuple(r for r in regions.split("|") if r),
        doc_type=str(meta.get("doc_type") or "other"),
        file_type=str(meta.get("file_type") or "txt"),
        source=str(meta.get("source") or "") or None,
        author=str(meta.get("author") or "") or None,
        ocr=bool(meta.get("ocr", False)),
        effective=str(meta.get("effective") or "") or None,
        superseded=bool(meta.get("superseded", False)),
    )


def doc_id_of(chunk_id: str) -> str:
    """Chunk ids are ``{doc_id}:{index:05d}``: the document is everything before the last colon."""
    return chunk_id.rsplit(":", 1)[0]


class ChromaVectorStore:
    """A ``VectorStore`` over one Chroma collection (cosine space).

    Build with ``persistent(path, collection=...)`` for the embedded store or
    ``http(url, collection=...)`` for a ``chroma run`` server. ``query`` returns
    cosine similarity (``1 - distance``).

    Chunks read by ``get`` and the chunk count are kept in memory (``cached_chunks``,
    0: none) and forgotten on every write through this store. Like the BM25 file and
    the catalog, this assumes the process that reads a collection is the one that
    writes it.
    """

    def __init__(
        self,
        client: Any,
        *,
        collection: str,
        max_batch: int | None = None,
        cached_chunks: int = DEFAULT_CACHED_CHUNKS,
    ) -> None:
        self._client = client
        self._name = chroma_collection_name(collection)
        self._collection = client.get_or_create_collection(
            self._name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )
        try:
            limit = int(client.get_max_batch_size())
        except Exception:  # older servers do not say; any modest batch works
            limit = _DEFAULT_BATCH
        self._max_batch = max(1, min(limit, max_batch or 5000))
        self._parts = client.get_or_create_collection(
            self._name[: 512 - len(_PARTS_SUFFIX)] + _PARTS_SUFFIX,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._chunks: LruCache[str, StoredChunk] = LruCache(cached_chunks)
        self._counts: dict[str, int] = {}  # "chunks" / "parts" → count, until the next write
        self._count_lock = threading.Lock()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # Forgotten after the write: a read that began before it cannot put back what
        # it saw (the chunk cache's generation, the count's lock).
        try:
            yield
        finally:
            with self._count_lock:
                self._counts.clear()
                self._chunks.clear()

    @classmethod
    def persistent(
        cls, path: Any, *, collection: str, max_batch: int | None = None
    ) -> ChromaVectorStore:
        """An embedded store kept in the folder ``path`` (created if needed)."""
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False)
        )
        return cls(client, collection=collection, max_batch=max_batch)

    @classmethod
    def http(cls, url: str, *, collection: str, max_batch: int | None = None) -> ChromaVectorStore:
        """A store on the ``chroma run`` server at ``url`` (``http://host:port``)."""
        import chromadb
        from chromadb.config import Settings

        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise ValueError(f"not a Chroma server URL: {url!r}")
        ssl = parsed.scheme == "https"
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if ssl else 8000),
            ssl=ssl,
            settings=Settings(anonymized_telemetry=False),
        )
        return cls(client, collection=collection, max_batch=max_batch)

    @property
    def name(self) -> str:
        """The Chroma collection's name."""
        return self._name

    def drop(self) -> None:
        """Delete the whole collection (a knowledge base being deleted)."""
        with self._writing():
            self._client.delete_collection(self._name)
            try:
                self._client.delete_collection(self._parts.name)
            except Exception:  # already gone
                log.debug("no parts collection to drop for %s", self._name)

    def collection_metadata(self) -> dict[str, Any]:
        return dict(self._collection.metadata or {})

    def set_collection_metadata(self, metadata: Mapping[str, Any]) -> None:
        self._collection.modify(metadata=dict(metadata))

    # -- writing ------------------------------------------------------------

    def upsert(self, items: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write chunks with their vectors (one row per item), in Chroma-sized batches."""
        if len(items) != len(vectors):
            raise ValueError(f"{len(items)} chunks but {len(vectors)} vectors")
        vectors = np.asarray(vectors, dtype=np.float32)
        with self._writing():
            for start in range(0, len(items), self._max_batch):
                batch = items[start : start + self._max_batch]
                self._collection.upsert(
                    ids=[item.chunk.chunk_id for item in batch],
                    embeddings=vectors[start : start + len(batch)],
                    documents=[item.chunk.text for item in batch],
                    metadatas=[to_metadata(item) for item in batch],
                )

    def upsert_parts(self, owners: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write part vectors (one row per part; ``owners[i]`` the chunk of part ``i``,
        a chunk's parts in order), replacing the parts those chunks had."""
        if len(owners) != len(vectors):
            raise ValueError(f"{len(owners)} parts but {len(vectors)} vectors")
        vectors = np.asarray(vectors, dtype=np.float32)
        ids: list[str] = []
        numbers: dict[str, int] = {}
        for owner in owners:
            cid = owner.chunk.chunk_id
            numbers[cid] = numbers.get(cid, -1) + 1
            ids.append(f"{cid}#{numbers[cid]}")
        with self._writing():
            self._delete_parts_of(list(numbers))
            for start in range(0, len(ids), self._max_batch):
                batch = owners[start : start + self._max_batch]
                self._parts.upsert(
                    ids=ids[start : start + len(batch)],
                    embeddings=vectors[start : start + len(batch)],
                    metadatas=[
                        {"doc_id": o.chunk.doc_id, "part_of": o.chunk.chunk_id} for o in batch
                    ],
                )

    def delete_document(self, doc_id: str) -> None:
        with self._writing():
            self._collection.delete(where={"doc_id": doc_id})
            self._parts.delete(where={"doc_id": doc_id})

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        with self._writing():
            for start in range(0, len(chunk_ids), self._max_batch):
                self._collection.delete(ids=list(chunk_ids[start : start + self._max_batch]))
            self._delete_parts_of(chunk_ids)

    def _delete_parts_of(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), self._max_batch):
            self._parts.delete(
                where={"part_of": {"$in": list(chunk_ids[start : start + self._max_batch])}}
            )

    # -- reading ------------------------------------------------------------

    def query(
        self, vector: np.ndarray, *, k: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        if k < 1 or (doc_ids is not None and not doc_ids):
            return []
        count = self.count()
        if count == 0:
            return []
        where: dict[str, Any] | None = None
        if doc_ids is not None:
            ids = list(dict.fromkeys(doc_ids))
            where = {"doc_id": ids[0]} if len(ids) == 1 else {"doc_id": {"$in": ids}}
        result = self._collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=min(k, count),
            where=where,
            include=["distances"],
        )
        ids_out = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids_out, distances, strict=True)]

    def part_scores(self, vector: np.ndarray, chunk_ids: Sequence[str]) -> dict[str, float]:
        """``chunk_id → cosine similarity of its best part`` for those of ``chunk_ids``
        that have parts (none for a store written before parts existed)."""
        if not chunk_ids or self.part_count() == 0:
            return {}
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        best: dict[str, float] = {}
        wanted = list(dict.fromkeys(chunk_ids))
        for start in range(0, len(wanted), self._max_batch):
            result = self._parts.get(
                where={"part_of": {"$in": wanted[start : start + self._max_batch]}},
                include=["embeddings", "metadatas"],
            )
            embeddings = result.get("embeddings")
            if embeddings is None or not len(embeddings):
                continue
            # Stored vectors are the embedder's unit rows: the dot product is the cosine.
            sims = np.asarray(embeddings, dtype=np.float32) @ query
            for meta, sim in zip(result.get("metadatas") or [], sims, strict=True):
                owner = str(meta["part_of"])
                best[owner] = max(best.get(owner, -1.0), float(sim))
        return best

    def part_count(self) -> int:
        """How many part vectors are stored."""
        return self._cached_count("parts", self._parts)

    def _cached_count(self, key: str, collection: Any) -> int:
        """``collection.count()``, kept until the next write; a count read while a write
        cleared the caches is returned but not kept."""
        with self._count_lock:
            if key in self._counts:
                return self._counts[key]
            generation = self._chunks.generation
        count = int(collection.count())
        with self._count_lock:
            if generation == self._chunks.generation:
                self._counts[key] = count
        return count

    def get(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The stored chunks for ``chunk_ids`` in the order asked (unknown ids skipped)."""
        wanted = list(dict.fromkeys(chunk_ids))
        found = self._chunks.get_many(wanted)
        missing = [c for c in wanted if c not in found]
        generation = self._chunks.generation
        for start in range(0, len(missing), self._max_batch):
            result = self._collection.get(
                ids=missing[start : start + self._max_batch], include=["documents", "metadatas"]
            )
            fetched = _stored_from_result(result)
            found.update(fetched)
            self._chunks.put_many(fetched, generation=generation)
        return [found[c] for c in wanted if c in found]

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """Every stored chunk of ``doc_id``, in document order."""
        result = self._collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        return sorted(_stored_from_result(result).values(), key=lambda s: s.chunk.index)

    def document_metadata(self, doc_id: str) -> dict[str, Any] | None:
        """The metadata of one (any) stored chunk of ``doc_id``."""
        result = self._collection.get(where={"doc_id": doc_id}, limit=1, include=["metadatas"])
        metas = result.get("metadatas") or []
        return dict(metas[0]) if metas else None

    def first_chunk_metadata(self) -> dict[str, dict[str, Any]]:
        """``doc_id → metadata`` of every document's chunk 0 (one per document,
        so the catalog is built without reading every chunk)."""
        out: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            result = self._collection.get(
                where={"index": 0}, include=["metadatas"], limit=self._max_batch, offset=offset
            )
            ids = result["ids"]
            for meta in result.get("metadatas") or []:
                out[str(meta["doc_id"])] = dict(meta)
            if len(ids) < self._max_batch:
                return out
            offset += len(ids)

    def all_chunk_ids(self) -> list[str]:
        """Every chunk id in the collection (ids only: cheap even for 100k chunks)."""
        ids: list[str] = []
        page = 50_000
        offset = 0
        while True:
            result = self._collection.get(include=[], limit=page, offset=offset)
            ids.extend(result["ids"])
            if len(result["ids"]) < page:
                return ids
            offset += page

    def iter_chunks(self, *, batch_size: int = 1000) -> Iterator[StoredChunk]:
        offset = 0
        while True:
            result = self._collection.get(
                include=["documents", "metadatas"], limit=batch_size, offset=offset
            )
            yield from _stored_from_result(result).values()
            if len(result["ids"]) < batch_size:
                return
            offset += len(result["ids"])

    def count(self) -> int:
        return self._cached_count("chunks", self._collection)


def _stored_from_result(result: Mapping[str, Any]) -> dict[str, StoredChunk]:
    ids = result["ids"]
    documents = result.get("documents") or [""] * len(ids)
    metadatas = result.get("metadatas") or [{}] * len(ids)
    return {
        cid: from_metadata(cid, text or "", meta or {})
        for cid, text, meta in zip(ids, documents, metadatas, strict=True)
    }
