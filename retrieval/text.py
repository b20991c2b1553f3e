"""What of a stored chunk gets embedded and keyword-indexed."""

from __future__ import annotations

from ingest import statute_paragraphs
from retrieval.types import StoredChunk

HEADING_SEPARATOR = " > "


def indexed_text(stored: StoredChunk) -> str:
    """The document title, the chunk's heading path and the chunk text, one per
    line (empty parts left out), so a question naming the title or a section
    heading finds chunks whose own text does not repeat it. A statute's chunk
    also names its article when its text does not start with it (a later piece
    of a long article), and ends with the text it refers to (``context``)."""
    chunk = stored.chunk
    parts = [
        stored.title.strip(),
        HEADING_SEPARATOR.join(h.strip() for h in chunk.heading_path),
    ]
    if chunk.article and not chunk.text.startswith(chunk.article):
        parts.append(chunk.article)
    parts.append(chunk.text)
    parts.append(chunk.context)
    return "\n".join(p for p in parts if p)


def part_texts(stored: StoredChunk) -> list[str]:
    """What gets embedded for each 款 of a statute chunk that has more than one:
    the title, heading path and article (as in ``indexed_text``) and the 款 itself.
    Empty for other chunks. A question about one 款 of a long article then meets
    that 款's vector, not only the whole article's (see ``PART_WEIGHT``)."""
    chunk = stored.chunk
    if not chunk.article:
        return []
    paragraphs = statute_paragraphs(chunk.text)
    if len(paragraphs) < 2:
        return []
    prefix = [stored.title.strip(), HEADING_SEPARATOR.join(h.strip() for h in chunk.heading_path)]
    out = []
    for paragraph in paragraphs:
        parts = list(prefix)
        if not paragraph.startswith(chunk.article):
            parts.append(chunk.article)
        parts.append(paragraph)
        out.append("\n".join(p for p in parts if p))
    return out
