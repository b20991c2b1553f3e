"""What of a stored chunk gets embedded and keyword-indexed."""

from __future__ import annotations

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
