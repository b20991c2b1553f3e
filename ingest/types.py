"""Data that crosses the ingest boundary: documents in, chunks out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMetadata:
    """What we know about a document besides its text.

    ``date`` is ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY`` when only that much is
    known); ``regions`` lists every 区/街道/社区/市 name the text mentions, most
    frequent first; ``doc_type`` is one of ``news``, ``report``, ``summary``,
    ``plan``, ``policy``, ``notice``, ``other``, or for a statute (a text laid out
    in articles) ``法律``, ``行政法规``, ``党内法规`` or ``规范性文件``. For
    statutes ``effective`` is the date it took effect (ISO), ``superseded`` says the
    text declares itself repealed or lapsed (废止, 失效), ``doc_number`` is its
    令号 or 文号 and ``source`` the issuing body. ``ocr`` is true when some of
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
    effective: str | None = None
    superseded: bool = False
    doc_number: str | None = None


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
    """A span of a document's cleaned text: ``doc.text[start:end] == text``.

    Chunks of a statute carry their ``article`` (``"第十二条"``) and, in
    ``context``, the text of the articles, 款 or 项 they refer to ("依照本法第十条",
    "前款"), resolved at ingest; both are empty for other documents.
    """

    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    heading_path: tuple[str, ...] = field(default=())
    content_hash: str = ""
    context: str = ""
    article: str = ""

    @classmethod
    def of_span(
        cls,
        doc_text: str,
        *,
        doc_id: str,
        index: int,
        start: int,
        end: int,
        heading_path: tuple[str, ...] = (),
        context: str = "",
        article: str = "",
    ) -> Chunk:
        """The ``index``-th chunk of a document, ``doc_text[start:end]``: its id is
        ``{doc_id}:{index:05d}`` and its content hash the text's (what re-ingest compares)."""
        text = doc_text[start:end]
        return cls(
            chunk_id=f"{doc_id}:{index:05d}",
            doc_id=doc_id,
            index=index,
            text=text,
            start=start,
            end=end,
            heading_path=heading_path,
            content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            context=context,
            article=article,
        )
