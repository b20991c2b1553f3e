"""Every loader against generated files, and every way a file can be refused."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from ingest import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    UnsupportedFormatError,
    load_bytes,
    read_document,
)
from tests.ingest.builders import (
    DOCX_PARAGRAPHS,
    DOCX_TITLE,
    NEWS_HTML,
    build_docx,
    build_zip_bomb,
)

# -- docx --------------------------------------------------------------------


def test_docx_keeps_headings_paragraphs_and_tables_in_order(docx_path: Path) -> None:
    doc = read_document(docx_path)
    lines = doc.text.split("\n")
    assert lines[0] == DOCX_TITLE
    expected_order = [
        "一、主要做法及成效",
        DOCX_PARAGRAPHS[0],
        "（一）强化组织建设",
        DOCX_PARAGRAPHS[1],
        "社区\t党员数\t网格数",
        "武汉路社区\t320\t12",
        "二、存在问题",
        DOCX_PARAGRAPHS[2],
    ]
    positions = [doc.text.index(part) for part in expected_order]
    assert positions == sorted(positions)
    assert doc.metadata.title == DOCX_TITLE
    assert doc.metadata.doc_type == "summary"
    assert doc.metadata.file_type == "docx"
    assert "涧西区" in doc.metadata.regions


def test_docx_that_is_not_a_zip_is_corrupt() -> None:
    with pytest.raises(CorruptFileError, match="not a zip"):
        load_bytes("这其实是一段文本".encode(), filename="伪装.docx")


def test_truncated_docx_is_corrupt() -> None:
    data = build_docx()
    with pytest.raises(CorruptFileError):
        load_bytes(data[: len(data) // 2], filename="截断.docx")


def test_zip_without_word_parts_is_corrupt() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(CorruptFileError):
        load_bytes(buffer.getvalue(), filename="空壳.docx")


def test_zip_bomb_docx_is_refused_before_decompressing() -> None:
    bomb = build_zip_bomb()
    assert len(bomb) < 200_000  # 32 MiB of zeros inside
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        load_bytes(bomb, filename="炸弹.docx")


def test_docx_unpacking_beyond_max_bytes_is_refused() -> None:
    data = build_docx()
    with pytest.raises(FileTooLargeError, match="unpacks"):
        load_bytes(data, filename="a.docx", max_bytes=len(data) + 1)


# -- pdf ---------------------------------------------------------------------


def test_pdf_paragraphs_are_rejoined_without_spaces_between_chinese(pdf_path: Path) -> None:
    doc = read_document(pdf_path)
    lines = doc.text.split("\n")
    # The first paragraph wraps over two lines in the PDF; it comes back whole.
    assert DOCX_PARAGRAPHS[0] in lines
    assert DOCX_PARAGRAPHS[1] in lines
    assert DOCX_PARAGRAPHS[2] in lines  # with its "——" in reading order
    assert "一、主要做法及成效" in lines
    assert "（一）强化组织建设" in lines
    assert "武汉路社区\t320\t12" in lines  # cells tab-separated, as in .docx rows
    assert doc.metadata.file_type == "pdf"


def test_pdf_without_text_layer_is_reported_as_scanned() -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(EmptyDocumentError, match=r"no text layer \(scanned PDF\?\) and no text"):
        load_bytes(buffer.getvalue(), filename="扫描件.pdf")


def test_pdf_with_garbage_body_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        load_bytes(b"%PDF-1.7\n" + b"garbage " * 100, filename="坏.pdf")


def test_text_named_pdf_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        load_bytes("普通文本".encode(), filename="假的.pdf")


# -- doc / wps (external converters) -----------------------------------------


def test_doc_is_read_with_antiword(doc_path: Path) -> None:
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed: apt-get install antiword")
    doc = read_document(doc_path)
    assert DOCX_PARAGRAPHS[0] in doc.text
    assert "武汉路社区\t320\t12" in doc.text
    assert doc.metadata.file_type == "doc"


def test_doc_falls_back_to_libreoffice_without_antiword(
    doc_path: Path, path_without_antiword: Path
) -> None:
    doc = read_document(doc_path)
    assert DOCX_PARAGRAPHS[1] in doc.text
    assert "二、存在问题" in doc.text


def test_wps_is_converted_by_libreoffice(doc_path: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
    # WPS writes the same OLE container as Word 97; LibreOffice detects it by content.
    wps = tmp_path / "社区 活动.wps"
    wps.write_bytes(doc_path.read_bytes())
    doc = read_document(wps)
    assert DOCX_PARAGRAPHS[2] in doc.text
    assert doc.metadata.file_type == "wps"


def test_missing_converter_names_the_debian_package(
    doc_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no antiword, no soffice
    with pytest.raises(ConverterMissingError, match="antiword"):
        read_document(doc_path)
    wps = tmp_path / "a.wps"
    wps.write_bytes(doc_path.read_bytes())
    with pytest.raises(ConverterMissingError, match="libreoffice"):
        read_document(wps)


def test_docx_renamed_to_doc_is_reported_not_guessed() -> None:
    with pytest.raises(CorruptFileError, match=r"\.docx"):
        load_bytes(build_docx(), filename="旧格式.doc")


# -- html / markdown ---------------------------------------------------------


def test_html_keeps_the_article_and_drops_menus_rankings_and_footer() -> None:
    doc = load_bytes(NEWS_HTML.encode(), filename="新闻 页面.html")
    assert "该街道七二五社区是一个以科研单位在职与离退休职工" in doc.text
    assert "党建“树星”:回应关切、服务问效" in doc.text
    for noise in (
        "洛阳网首页",
        "您当前位置",
        "新闻排行",
        "组图",
        "零碳",
        "用户名",
        "许可证",
        "法律顾问",
    ):
        assert noise not in doc.text, noise
    meta = doc.metadata
    assert meta.title == "湖北路街道以党建高质量发展引领“五星”支部创建工作"
    assert meta.date == "2022-09-14"
    assert meta.author == "马瑞"
    assert meta.doc_type == "news"
    assert meta.file_type == "html"


def test_html_declared_gb2312_is_decoded_as_gb18030() -> None:
    html = NEWS_HTML.replace('charset="utf-8"', 'charset="gb2312"').replace(
        "高质统筹，", "高质统筹——"
    )
    doc = load_bytes(html.encode("gb18030"), filename="gb.htm")
    assert "高质统筹——以党建高质量发展" in doc.text


def test_table_layout_page_falls_back_to_readability() -> None:
    # trafilatura returns this page as table cells, menu included.
    html = (
        "<html><body><table><tr><td><a href=/a>首页</a></td><td><a href=/b>新闻中心</a></td>"
        "</tr></table><table width=900><tr><td><font size=3>"
        "社区开展了清洁家园活动，共有党员志愿者120人参加，清理卫生死角35处。<br>"
        "下一步，社区将继续开展此类活动，建设美丽家园。<br></font></td></tr></table></body></html>"
    )
    doc = load_bytes(html.encode(), filename="table.html")
    assert doc.text.split("\n") == [
        "社区开展了清洁家园活动，共有党员志愿者120人参加，清理卫生死角35处。",
        "下一步，社区将继续开展此类活动，建设美丽家园。",
    ]


def test_markdown_markup_is_removed_and_headings_kept() -> None:
    md = (
        "# 社区党建工作简报\n\n## 一、基本情况\n\n"
        "本季度共开展**主题党日**活动6次，详见[通知](http://example.org/a)。\n\n"
        "![合影](photo.jpg)\n"
    )
    doc = load_bytes(md.encode(), filename="简报.md")
    assert doc.text.split("\n") == [
        "社区党建工作简报",
        "一、基本情况",
        "本季度共开展主题党日活动6次，详见通知。",
    ]
    assert doc.metadata.title == "社区党建工作简报"
    assert doc.metadata.file_type == "md"


# -- refusals ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["数据.xlsx", "演示.pptx", "无后缀"])
def test_unknown_types_are_unsupported(name: str) -> None:
    with pytest.raises(UnsupportedFormatError, match="unsupported file type"):
        load_bytes(b"whatever", filename=name)


@pytest.mark.parametrize("name", ["空.txt", "空.docx", "空.pdf", "空.html"])
def test_zero_byte_files_are_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.touch()
    with pytest.raises(EmptyDocumentError):
        read_document(path)


def test_whitespace_only_text_is_empty() -> None:
    with pytest.raises(EmptyDocumentError):
        load_bytes("  \n\u3000\n".encode(), filename="空白.txt")


def test_binary_named_txt_is_corrupt() -> None:
    with pytest.raises(CorruptFileError):
        load_bytes(bytes(range(256)) * 8, filename="二进制.txt")


def test_pdf_named_txt_is_corrupt() -> None:
    with pytest.raises(CorruptFileError, match="PDF"):
        load_bytes(b"%PDF-1.4 ...", filename="notes.txt")


def test_file_over_max_bytes_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "巨大 文件.txt"
    with path.open("wb") as handle:  # sparse: 200 MiB that take no disk space
        handle.truncate(200 * 2**20)
    with pytest.raises(FileTooLargeError, match="limit"):
        read_document(path)


def test_bytes_over_max_bytes_are_refused() -> None:
    with pytest.raises(FileTooLargeError):
        load_bytes("字".encode() * 100, filename="a.txt", max_bytes=50)
