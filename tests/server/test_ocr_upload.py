"""Scans and PDF tables through the HTTP API: upload, search, and what the JSON says.

The real app over its own real knowledge base (real model, real Chroma); the
scan is rendered at test time and OCRed by the real Tesseract.
"""

from __future__ import annotations

import pytest

from tests.ingest.scans import (
    SCAN_LINES,
    image_bytes,
    photo_bytes,
    render_page,
    require_ocr_tools,
)
from tests.server.conftest import wait_for_job

pytestmark = pytest.mark.slow


def test_uploaded_scan_is_searchable_and_marked_ocr(writable_client) -> None:
    require_ocr_tools()
    files = [
        ("files", ("低保通知.png", image_bytes(render_page(SCAN_LINES), "PNG"), "image/png")),
        ("files", ("风景.jpg", photo_bytes(), "image/jpeg")),
    ]
    resp = writable_client.post("/documents", files=files)
    assert resp.status_code == 202
    job = wait_for_job(writable_client, resp.json()["job_id"], timeout=300)
    assert (job["status"], job["added"], job["failed"]) == ("done", 1, 1)
    failure = job["failures"][0]
    assert failure["source"] == "风景.jpg"
    assert "no text found in this image" in failure["reason"]

    hits = writable_client.post("/search", json={"query": "低保对象复核什么时候完成"}).json()
    top = hits["hits"][0]
    assert top["source_key"] == "低保通知.png"
    assert top["ocr"] is True
    assert "9月30日" in top["text"]
