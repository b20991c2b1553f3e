"""Data that crosses the ingest boundary: documents in, chunks out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMetadata:
    """What we know about a document besides its text.

    ``date`` is ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY`` when only that much is
    known); ``regions`` lists every 区/街道/社区/市 name the text mentions, most
    frequent first; ``doc_type`` is one of ``news``, ``report``, ``summary``,
    ``plan``, ``policy``, ``notice``, ``other``. ``ocr`` is true when some of
    the text was recognised from images (a scan or a photo), so may hold errors.
    """

    title: str
    date: str | None = None
    source: str | None = None
    author: str | None = None
    regions: tuple[str, ...] = ()
    doc_type: str = "other"
    file_type: str = "txt"
    ocr: bool = False


@dataclass(frozen=True)
class SourceDocument:
    """A cleaned document ready to be chunked.

    ``doc_id`` is stable for a ``source_key`` (the path or upload name the
    document came from), so re-indexing a changed file replaces it;
    ``content_hash`` is the sha256 of the original file bytes, so an unchanged
    file is recognised without parsing it again. ``warnings`` says what was
    left out while reading (pages OCR gave up on); the rest is in ``text``.
    """

    doc_id: str
    source_key: str
    text: str
    content_hash: str
    metadata: DocumentMetadata
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A span of a document's cleaned text: ``doc.text[start:end] == text``."""

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    heading_path: tuple[str, ...] = field(default=())
    content_hash: str = ""
