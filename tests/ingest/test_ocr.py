"""OCR of scans and photos with the real Tesseract and ocrmypdf.

Every image and scanned PDF is rendered here from known text, so the tests can
say how much of it came back. Slow-ish (a few seconds a page): each case is
OCRed once per session.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from ingest import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    OcrOptions,
    chunk_document,
    load_bytes,
    loaders,
    read_document,
)
from ingest.ocr import tidy_ocr_text
from tests.ingest.builders import soffice_convert
from tests.ingest.scans import (
    SCAN_LINES,
    VERTICAL_COLUMNS,
    image_bytes,
    photo_bytes,
    render_page,
    render_vertical,
    require_ocr_tools,
    scan_pdf,
)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_ocr_tools()


def char_error_rate(expected: str, got: str) -> float:
    """Edit operations per expected character, whitespace ignored."""
    a, b = "".join(expected.split()), "".join(got.split())
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    errors = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    return errors / max(1, len(a))


# -- text tidying (pure) -------------------------------------------------------


def test_tidy_removes_spaces_between_chinese_and_joins_paragraph_lines() -> None:
    raw = "关于 做 好 2023 年 第 三 季度\n低 保 发 放 工作 的 通知\n\n各 社区 :\n\nPage one of\nthe plan"
    assert tidy_ocr_text(raw).split("\n") == [
        "关于做好2023年第三季度低保发放工作的通知",
        "各社区：",
        "Page one of the plan",
    ]


def test_tidy_restores_chinese_punctuation_and_keeps_letters_and_numerals() -> None:
    # chi_sim reads “ ” as straight or wrongly turned quotes and ，（） in half width.
    raw = '以"开放“姿态凝聚力量, 党建"树星"思路(试行)\n\n下辖七个 社区 ,开元 e 家 2.0'
    assert tidy_ocr_text(raw).split("\n") == [
        "以“开放”姿态凝聚力量，党建“树星”思路（试行）",
        "下辖七个社区，开元e家2.0",
    ]
    # The space that sets a statute's article number off from its text stays.
    assert tidy_ocr_text("第一条 为了 完善 人民 调解 制度") == "第一条 为了完善人民调解制度"


# -- images --------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif")])
def test_image_text_is_recognised_and_marked_as_ocr(fmt: str, suffix: str) -> None:
    data = image_bytes(render_page(SCAN_LINES), fmt)
    doc = load_bytes(data, filename=f"通知.{suffix}")
    assert char_error_rate("".join(SCAN_LINES), doc.text) <= 0.03
    assert doc.metadata.ocr is True
    assert doc.metadata.file_type == suffix
    chunks = chunk_document(doc)
    assert chunks and all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_photo_turned_on_its_side_is_read_upright() -> None:
    data = image_bytes(render_page(SCAN_LINES).rotate(90, expand=True), "JPEG")
    doc = load_bytes(data, filename="手机拍照.jpg")
    assert char_error_rate("".join(SCAN_LINES), doc.text) <= 0.05


def test_vertical_text_is_read_column_by_column() -> None:
    doc = load_bytes(image_bytes(render_vertical(), "PNG"), filename="竖排横幅.png")
    # Without the vertical model nearly every character is wrong; with it a word
    # or two may fall under the confidence floor.
    assert char_error_rate("".join(VERTICAL_COLUMNS), doc.text) <= 0.10
    assert doc.text.startswith("社区党建工作简报")  # the right-most column first


def test_photo_without_text_says_no_text_found() -> None:
    with pytest.raises(EmptyDocumentError, match="no text found in this image"):
        load_bytes(photo_bytes(), filename="风景.jpg")


def test_damaged_image_is_corrupt() -> None:
    data = image_bytes(render_page(SCAN_LINES), "PNG")
    with pytest.raises(CorruptFileError, match="could not be decoded"):
        load_bytes(data[: len(data) // 3], filename="截断.png")


def test_text_file_named_png_is_corrupt() -> None:
    with pytest.raises(CorruptFileError, match="not a JPEG, PNG or TIFF"):
        load_bytes("这不是图片".encode(), filename="假图.png")


def test_image_page_over_its_time_limit_is_reported() -> None:
    data = image_bytes(render_page(SCAN_LINES), "PNG")
    with pytest.raises(EmptyDocumentError, match="longer than 0.01s"):
        load_bytes(data, filename="慢.png", ocr=OcrOptions(page_timeout=0.01))


# -- PDFs ------------------------------------------------------------------------


def test_scanned_pdf_is_ocred_page_by_page_with_progress_and_blank_page_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ingest import ocr

    monkeypatch.setattr(ocr, "PAGES_PER_BATCH", 2)
    first = list(SCAN_LINES[:2])
    last = ["二、发放结果于10月10日前在社区公示栏公示。"]
    pages = [render_page(first), render_page([" "]), render_page(last)]
    seen: list[tuple[int, int]] = []
    doc = load_bytes(
        scan_pdf(pages),
        filename="扫描件.pdf",
        ocr=OcrOptions(jobs=2),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(2, 3), (3, 3)]
    assert doc.metadata.ocr is True
    assert char_error_rate("".join(first + last), doc.text) <= 0.03
    assert doc.text.index("各社区") < doc.text.index("二、发放结果")  # page order kept
    assert any("page 2: no text recognised" in w for w in doc.warnings)


def test_scanned_pdf_over_its_page_time_limit_keeps_nothing_and_says_why() -> None:
    pdf = scan_pdf([render_page(SCAN_LINES)])
    with pytest.raises(EmptyDocumentError, match=r"page 1: OCR took longer than 0\.01s"):
        load_bytes(pdf, filename="超时.pdf", ocr=OcrOptions(page_timeout=0.01))


def test_text_pdf_is_never_ocred(pdf_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a PDF with a text layer went to OCR")

    monkeypatch.setattr(loaders, "ocr_pdf_pages", refuse)
    doc = read_document(pdf_path)
    assert doc.metadata.ocr is False
    assert "涧西区" in doc.text


def test_encrypted_pdf_is_refused_with_a_clear_message(docx_path: Path, tmp_path: Path) -> None:
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"8848"}}'
    )
    encrypted = soffice_convert(docx_path, options, tmp_path)
    with pytest.raises(EncryptedFileError, match="encrypted: remove the password"):
        read_document(encrypted)
