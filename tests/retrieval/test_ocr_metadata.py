"""Text recognised by OCR stays marked as such from the chunk store to the hit.

Real Chroma in ``tmp_path`` with the hashing embedder; the scan is rendered at
test time and OCRed by the real Tesseract.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Chunk
from retrieval import HybridSearcher, KnowledgeBase, StoredChunk
from retrieval.chroma_store import from_metadata, to_metadata
from tests.fakes import HashingEmbedder
from tests.ingest.scans import SCAN_LINES, image_bytes, render_page, require_ocr_tools


def test_ocr_flag_survives_the_chroma_metadata_round_trip() -> None:
    chunk = Chunk("d:00000", "d", 0, "正文", 0, 2)
    for flag in (True, False):
        stored = StoredChunk(chunk, "标题", "扫描.pdf", "h", 1, ocr=flag)
        assert from_metadata(chunk.chunk_id, chunk.text, to_metadata(stored)).ocr is flag


def test_chunks_written_before_the_flag_existed_read_as_not_ocr() -> None:
    chunk = Chunk("d:00000", "d", 0, "正文", 0, 2)
    meta = to_metadata(StoredChunk(chunk, "标题", "a.txt", "h", 1))
    del meta["ocr"]
    assert from_metadata(chunk.chunk_id, chunk.text, meta).ocr is False


@pytest.mark.slow
def test_scanned_image_is_indexed_and_its_hits_say_ocr(tmp_path: Path) -> None:
    require_ocr_tools()
    kb = KnowledgeBase.open(data_dir=tmp_path / "data", embedder=HashingEmbedder())
    scan = image_bytes(render_page(SCAN_LINES), "PNG")
    typed = "桃源社区志愿服务\n2023年，桃源社区组织志愿服务活动128场。".encode()
    report = kb.ingest_bytes([("低保通知.png", scan), ("简报.txt", typed)])
    assert (report.added, report.failed) == (2, 0)
    searcher = HybridSearcher(kb)
    by_source = {h.source_key: h for h in searcher.search("低保对象复核", k=5)}
    assert by_source["低保通知.png"].ocr is True
    assert "低保对象复核" in by_source["低保通知.png"].text
    typed_hits = [h for h in searcher.search("志愿服务活动", k=5) if h.source_key == "简报.txt"]
    assert typed_hits and not any(h.ocr for h in typed_hits)
