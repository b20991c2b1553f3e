"""The ``KB_OCR_*`` settings and OCR page progress on their way through the server.

The app over a real ``KnowledgeBase`` on the in-memory store and index; a fake
``PageEngine`` (the interface ocrmypdf sits behind) records the options it is
called with and what the job status said while it worked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import pytest

from ingest import OcrOptions, loaders
from ingest.ocr import ocr_pdf_pages
from server.app import create_app
from server.services import Services
from server.settings import Settings
from tests.fakes import HashingEmbedder
from tests.ingest.scans import image_only_pdf
from tests.retrieval.memory_kb import MemoryKeywordIndex, MemoryStore
from tests.server.conftest import wait_for_job

PAGES = 20


def test_ocr_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "KB_OCR_ENABLED": "false",
        "KB_OCR_LANGUAGES": "chi_sim+eng",
        "KB_OCR_DPI": "200",
        "KB_OCR_PAGE_TIMEOUT": "42",
        "KB_OCR_JOBS": "2",
    }.items():
        monkeypatch.setenv(name, value)
    assert Settings().ocr_options == OcrOptions(
        enabled=False, languages="chi_sim+eng", dpi=200, page_timeout=42.0, jobs=2
    )
    assert Settings(ocr_languages="", ocr_enabled=True).ocr_options.languages is None


def test_upload_job_ocrs_with_the_settings_and_reports_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    settings = Settings(
        data_dir=tmp_path / "data",
        ocr_languages="chi_sim",
        ocr_dpi=200,
        ocr_page_timeout=42,
        ocr_jobs=2,
    )
    services = Services(
        settings,
        embedder=HashingEmbedder(),
        store=MemoryStore(),
        keyword_index=MemoryKeywordIndex(),
    )
    app = create_app(settings=settings, services=services)
    calls: list[tuple[str, OcrOptions, tuple[int, int, str]]] = []

    def engine(
        source: Path, pages: Sequence[int], *, languages: str, options: OcrOptions
    ) -> Mapping[int, str | None]:
        job = app.state.jobs.recent()[0]
        calls.append((languages, options, (job.pages_done, job.pages_total, job.current)))
        # The seventh page runs out of time; the others read as a line of a notice.
        return {p: None if p == 6 else f"第{p + 1}页：低保对象复核名单公示。" for p in pages}

    monkeypatch.setattr(loaders, "ocr_pdf_pages", partial(ocr_pdf_pages, engine=engine))
    with TestClient(app, raise_server_exceptions=False) as client:
        files = [("files", ("扫描通知.pdf", image_only_pdf(PAGES), "application/pdf"))]
        resp = client.post("/documents", files=files)
        assert resp.status_code == 202
        job = wait_for_job(client, resp.json()["job_id"])
    assert settings.ocr_options == OcrOptions(
        languages="chi_sim", dpi=200, page_timeout=42.0, jobs=2
    )
    assert [c[:2] for c in calls] == [("chi_sim", settings.ocr_options)] * 3
    # While OCR went on, the job said how many pages of which file were done.
    assert [c[2] for c in calls] == [
        (0, 0, ""),
        (8, PAGES, "扫描通知.pdf"),
        (16, PAGES, "扫描通知.pdf"),
    ]
    assert (job["status"], job["added"], job["failed"]) == ("done", 1, 0)
    assert (job["pages_done"], job["pages_total"]) == (0, 0)  # finished
    (warning,) = job["warnings"]
    assert warning["source"] == "扫描通知.pdf"
    assert "page 7: OCR took longer than 42s" in warning["reason"]
