"""The page loop of a long scan: progress, a page over its time limit, a page or a
run of pages that fails, blank pages, OCR switched off.

A fake ``PageEngine`` stands in for ocrmypdf + Tesseract (through the same
interface), so a 300-page scan costs milliseconds; a 300-page image-only PDF is
made for real so that the loader's own page detection decides what is OCRed.
The real engine is tested in test_ocr.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import pytest

from ingest import EmptyDocumentError, OcrOptions, load_bytes, loaders
from ingest.ocr import OcrBatchError, ocr_pdf_pages
from tests.ingest.scans import image_only_pdf

PAGES = 300
# chi_sim named outright: the fake engine needs no installed model.
OPTIONS = OcrOptions(languages="chi_sim", page_timeout=30)


def page_text(page: int) -> str:
    return f"第{page + 1}页登记表。"


class FakeEngine:
    """Reads every page as ``page_text``; ``slow`` pages run out of time, ``blank``
    ones hold nothing, ``broken`` ones make any batch holding them fail."""

    def __init__(
        self,
        *,
        slow: Sequence[int] = (),
        blank: Sequence[int] = (),
        broken: Sequence[int] = (),
    ) -> None:
        self.slow, self.blank, self.broken = set(slow), set(blank), set(broken)
        self.calls: list[tuple[list[int], str, OcrOptions]] = []

    def __call__(
        self, source: Path, pages: Sequence[int], *, languages: str, options: OcrOptions
    ) -> Mapping[int, str | None]:
        assert source.read_bytes().startswith(b"%PDF")
        self.calls.append((list(pages), languages, options))
        if self.broken & set(pages):
            raise OcrBatchError("Ghostscript could not rasterise the page")
        return {
            p: None if p in self.slow else "" if p in self.blank else page_text(p) for p in pages
        }


@pytest.fixture(scope="module")
def scan_300() -> bytes:
    """A 300-page PDF of small page images without a text layer."""
    return image_only_pdf(PAGES)


def test_300_pages_report_progress_and_keep_every_page_but_the_bad_ones() -> None:
    engine = FakeEngine(slow=[57], blank=[199, 200, 201], broken=[150])
    seen: list[tuple[int, int]] = []
    texts, warnings = ocr_pdf_pages(
        b"%PDF-1.7 stand-in",
        range(PAGES),
        options=OPTIONS,
        progress=lambda done, total: seen.append((done, total)),
        engine=engine,
    )
    # Progress after every batch of 8 pages, to the last page.
    assert seen == [(min(n + 8, PAGES), PAGES) for n in range(0, PAGES, 8)]
    assert [p for p in range(PAGES) if texts[p] != page_text(p)] == [57, 150, 199, 200, 201]
    assert warnings == (
        "第58页识别超过30秒，已跳过 / page 58: OCR took longer than 30s and was skipped; "
        "text of the other pages kept",
        "第151页识别失败，已跳过 / page 151: OCR failed (Ghostscript could not rasterise "
        "the page); text of the other pages kept",
        "第200-202页没有识别出文字 / pages 200-202: no text recognised (a blank page or a picture)",
    )
    # The failed batch (pages 145-152) was tried again page by page: only 151 is lost.
    assert ([150], "chi_sim", OPTIONS) in engine.calls
    assert sum(1 for pages, _, _ in engine.calls if len(pages) == 1) == 8


def test_ocr_failing_midway_keeps_the_pages_read_before() -> None:
    engine = FakeEngine(broken=range(120, PAGES))
    texts, warnings = ocr_pdf_pages(b"%PDF", range(PAGES), options=OPTIONS, engine=engine)
    assert all(texts[p] == page_text(p) for p in range(120))
    assert not any(texts[p] for p in range(120, PAGES))
    (warning,) = warnings
    assert warning.startswith("第121-300页识别失败，已跳过 / pages 121-300: OCR failed")


def test_300_page_scan_is_loaded_with_its_warnings(
    scan_300: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeEngine(slow=[9])
    monkeypatch.setattr(loaders, "ocr_pdf_pages", partial(ocr_pdf_pages, engine=engine))
    seen: list[tuple[int, int]] = []
    doc = load_bytes(
        scan_300,
        filename="三百页扫描件.pdf",
        ocr=OPTIONS,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (PAGES, PAGES) and len(seen) == 38
    assert doc.metadata.ocr is True
    assert page_text(0) in doc.text and page_text(PAGES - 1) in doc.text
    assert page_text(9) not in doc.text
    assert doc.text.index(page_text(8)) < doc.text.index(page_text(10))  # page order
    assert doc.warnings == (
        "第10页识别超过30秒，已跳过 / page 10: OCR took longer than 30s and was skipped; "
        "text of the other pages kept",
    )


def test_scan_with_ocr_off_is_not_read_and_says_so(
    scan_300: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("OCR ran although it is off")

    monkeypatch.setattr(loaders, "ocr_pdf_pages", refuse)
    monkeypatch.setattr(loaders, "ocr_image", refuse)
    off = OcrOptions(enabled=False)
    with pytest.raises(EmptyDocumentError, match=r"300 page\(s\) without a text layer"):
        load_bytes(scan_300, filename="扫描件.pdf", ocr=off)
    with pytest.raises(EmptyDocumentError, match="OCR, which is turned off"):
        load_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, filename="照片.png", ocr=off)
