"""What the index-based benchmarks share: their common options, and the knowledge base
they measure against (in ``--data-dir`` when given, else in a temporary folder that
lives as long as the returned handle)."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from retrieval import Embedder, KnowledgeBase, SentenceTransformerEmbedder, prepare_e5_model

ROOT = Path(__file__).resolve().parent.parent


def add_index_options(parser: argparse.ArgumentParser, *, default_out: Path) -> None:
    """``--model-path``, ``--data-dir`` and ``--out``, as every index benchmark takes them."""
    parser.add_argument("--model-path", type=Path, help="a sentence-transformers folder")
    parser.add_argument("--data-dir", type=Path, help="an existing index (default: build one)")
    parser.add_argument("--out", type=Path, default=default_out)


def parse_bench_args(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """Parse ``argv``; warnings only, and never the model hub (the model is bundled)."""
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return args


def bench_embedder(model_path: Path | None) -> SentenceTransformerEmbedder:
    """The bundled e5 model (prepared under ``$KB_DATA_DIR/models``), or ``model_path``."""
    data_dir = Path(os.environ.get("KB_DATA_DIR", ROOT / "data"))
    return SentenceTransformerEmbedder(model_path or prepare_e5_model(data_dir / "models"))


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
