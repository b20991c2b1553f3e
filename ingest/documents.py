"""Files to :class:`SourceDocument`: load by type, decode, clean, extract metadata.

No global state: everything a call needs comes in through its arguments, so
the same file always gives the same document (and the same ``doc_id``).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ingest.clean import clean_text
from ingest.errors import EmptyDocumentError, FileTooLargeError, IngestError
from ingest.loaders import DEFAULT_CONVERTER_TIMEOUT, SUPPORTED_SUFFIXES, load_text
from ingest.metadata import extract_metadata
from ingest.ocr import OcrOptions, ProgressCallback
from ingest.types import SourceDocument

logger = logging.getLogger(__name__)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "file_sha256",
    "iter_files",
    "load_bytes",
    "make_doc_id",
    "read_document",
]

DEFAULT_MAX_BYTES = 100 * 2**20
_HASH_BLOCK = 1 << 20


def make_doc_id(source_key: str) -> str:
    """A stable 16-hex-digit id for ``source_key`` (a path or an upload name)."""
    return hashlib.sha256(source_key.encode("utf-8")).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    """The sha256 of the file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(_HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under ``paths`` (files as given, folders walked), sorted, hidden ones skipped.

    Unsupported types are yielded too: :func:`read_document` reports them, so a
    user sees which files were left out and why.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in files if not f.startswith("."))
            yield from sorted(found)
        elif path.exists():
            yield path
        else:
            logger.warning("no such file or folder: %s", path)


def read_document(
    path: Path,
    *,
    source_key: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    converter_timeout: float = DEFAULT_CONVERTER_TIMEOUT,
    ocr: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
) -> SourceDocument:
    """Load, decode, clean and describe the file at ``path``.

    ``source_key`` (default: the path as given) names the document; its
    ``doc_id`` is :func:`make_doc_id` of it. Images and PDF pages without a
    text layer are OCRed with ``ocr``'s options, ``progress(done, total)``
    called as pages are done. Raises :class:`~ingest.errors.IngestError`
    subclasses with a message for the user; a file over ``max_bytes`` is
    refused before it is read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise FileTooLargeError(f"file is {size} bytes, over the {max_bytes}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    return load_bytes(
        data,
        filename=path.name,
        source_key=str(path) if source_key is None else source_key,
        max_bytes=max_bytes,
        converter_timeout=converter_timeout,
        ocr=ocr,
        progress=progress,
    )


def load_bytes(
    data: bytes,
    *,
    filename: str,
    source_key: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    converter_timeout: float = DEFAULT_CONVERTER_TIMEOUT,
    ocr: OcrOptions | None = None,
    progress: ProgressCallback | None = None,
) -> SourceDocument:
    """Like :func:`read_document` for bytes already in memory (an upload named ``filename``)."""
    key = filename if source_key is None else source_key
    loaded = load_text(
        data,
        filename=filename,
        max_bytes=max_bytes,
        converter_timeout=converter_timeout,
        ocr=ocr,
        progress=progress,
    )
    text = clean_text(loaded.text, fmt=loaded.fmt)
    if not text.strip():
        raise EmptyDocumentError("nothing left after removing page boilerplate")
    hints: dict[str, object] = dict(loaded.hints)
    hints.setdefault("raw_text", loaded.text)
    metadata = extract_metadata(text, filename=filename, raw_hints=hints)
    if loaded.ocr:
        metadata = replace(metadata, ocr=True)
    for warning in loaded.warnings:
        logger.warning("%s: %s", filename, warning)
    logger.debug("loaded %s: %d chars, %s", filename, len(text), metadata.doc_type)
    return SourceDocument(
        doc_id=make_doc_id(key),
        source_key=key,
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        metadata=metadata,
        warnings=loaded.warnings,
    )
