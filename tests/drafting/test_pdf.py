"""PDF preview through LibreOffice: the Chinese text survives into the PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drafting import (
    DraftRequest,
    PdfConversionError,
    SofficeMissingError,
    compose_draft,
    convert_to_pdf,
    render_docx,
)
from drafting.pdf import find_soffice

needs_tools = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler's pdftotext are needed for the PDF preview test",
)


@needs_tools
@pytest.mark.slow
def test_draft_converts_to_pdf_with_its_chinese_text(corpus_searcher_fake, tmp_path: Path):
    draft = compose_draft(
        DraftRequest("work-report", "湖北路街道", period="2022Q3", date="2026-11-23"),
        searcher=corpus_searcher_fake,
    )
    docx = tmp_path / "报告.docx"
    docx.write_bytes(render_docx(draft))
    pdf = convert_to_pdf(docx, tmp_path / "out")
    assert pdf == tmp_path / "out" / "报告.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert draft.title in flat
    assert "区委、区政府：" in flat
    assert "一、工作开展情况" in flat
    first_body = next(p.text for s in draft.sections for p in s.paragraphs if p.citations)
    assert "".join(first_body[:30].split()) in flat
    assert "2026年11月23日" in flat
    assert "—1—" in flat  # the page number field was computed


def test_missing_soffice_is_a_clear_error(tmp_path: Path, monkeypatch):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SofficeMissingError, match="LibreOffice"):
        convert_to_pdf(docx, tmp_path)
    with pytest.raises(SofficeMissingError, match="无法启动"):
        convert_to_pdf(docx, tmp_path, soffice=str(tmp_path / "no-such-soffice"))


def test_missing_input_is_an_error(tmp_path: Path):
    with pytest.raises(PdfConversionError, match="找不到"):
        convert_to_pdf(tmp_path / "nothing.docx", tmp_path)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_conversion_past_its_timeout_is_stopped(tmp_path: Path):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(PdfConversionError, match="超时"):
        convert_to_pdf(docx, tmp_path / "out", timeout=0.01)
