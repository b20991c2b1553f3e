"""The knowledge base a benchmark measures against: in ``--data-dir`` when given, else
in a temporary folder that lives as long as the returned handle."""

from __future__ import annotations

import tempfile
from pathlib import Path

from retrieval import Embedder, KnowledgeBase


def open_index(
    data_dir: Path | None, embedder: Embedder, *, prefix: str = "kb-bench-"
) -> tuple[KnowledgeBase, tempfile.TemporaryDirectory[str] | None]:
    """The knowledge base in ``data_dir`` (``None``: a new temporary folder, returned
    with it so the caller decides when it goes). Ingesting is the caller's."""
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix=prefix)
        data_dir = Path(tmp.name)
    return KnowledgeBase.open(data_dir=data_dir, embedder=embedder), tmp
