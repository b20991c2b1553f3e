"""What of a stored chunk gets embedded and keyword-indexed."""

from __future__ import annotations

from retrieval.types import StoredChunk

HEADING_SEPARATOR = " > "


def indexed_text(stored: StoredChunk) -> str:
    """The document title, the chunk's heading path and the chunk text, one per
    line (empty parts left out), so a question naming the title or a section
    heading finds chunks whose own text does not repeat it."""
    parts = [
        stored.title.strip(),
        HEADING_SEPARATOR.join(h.strip() for h in stored.chunk.heading_path),
    ]
    parts.append(stored.chunk.text)
    return "\n".join(p for p in parts if p)
