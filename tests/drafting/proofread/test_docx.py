"""The .docx side of proofreading: reading layout facts back, refusing what is not a
readable .docx with a clear message, tables and images, long documents, comments."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import pytest
from docx.shared import Inches

from drafting.proofread import (
    CorruptDocxError,
    DocumentTooLongError,
    EncryptedDocxError,
    NotDocxError,
    RuleKind,
    annotate_docx,
    proofread,
    read_docx,
)
from drafting.proofread.types import BlockRole
from tests.drafting.proofread.docx_variants import apply_layout, render_document

TITLE = "湖北路街道2022年第三季度工作总结"


def _png() -> bytes:
    """A 1×1 white PNG, enough for python-docx to embed an image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_document(TITLE)


def test_the_products_own_rendering_reads_back_clean(rendered: bytes) -> None:
    document = read_docx(rendered)
    assert document.blocks[0].role is BlockRole.TITLE and document.blocks[0].text == TITLE
    layout = document.layout
    assert layout is not None
    assert (layout.width_mm, layout.height_mm) == (210.0, 297.0)
    assert (layout.top_mm, layout.bottom_mm, layout.left_mm, layout.right_mm) == (37, 35, 28, 26)
    assert layout.page_number is not None and "—" in layout.page_number
    body = [b for b in document.blocks if b.text.startswith("社区党委")][0]
    assert "仿宋" in (body.east_asia_font or "") and body.size_pt == 16
    assert body.line_rule == "exact" and body.line_spacing_pt == 28
    report = proofread(document)
    assert [f for f in report.findings if f.kind is not RuleKind.FIGURES] == []


def test_layout_deviations_are_reported_once_per_rule(rendered: bytes) -> None:
    changed = apply_layout(
        rendered, {"margins_mm": [25, 25, 30, 30], "body_font": "宋体", "line_spacing_pt": 20}
    )
    report = proofread(read_docx(changed), kinds=[RuleKind.LAYOUT])
    ids = sorted(f.rule_id for f in report.findings)
    assert ids == ["layout.body_font", "layout.line_spacing", "layout.margins"]
    body_font = next(f for f in report.findings if f.rule_id == "layout.body_font")
    assert "宋体" in body_font.message and body_font.paragraph > 0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"plain text, not a document", NotDocxError),
        ("这是一段文本".encode(), NotDocxError),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, NotDocxError),  # a .doc
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 64
            + "EncryptedPackage".encode("utf-16-le"),
            EncryptedDocxError,
        ),
        (b"PK\x03\x04" + b"\0" * 100, NotDocxError),  # a truncated zip
    ],
    ids=["text", "chinese-text", "doc", "encrypted", "truncated-zip"],
)
def test_unreadable_input_gets_a_clear_error(data: bytes, error: type) -> None:
    with pytest.raises(error) as info:
        read_docx(data)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))  # a message in Chinese


def test_a_zip_without_a_document_part_and_a_damaged_part(rendered: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(NotDocxError):
        read_docx(buffer.getvalue())
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rendered)) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item, b"<w:document" if item.filename == "word/document.xml" else body)
    with pytest.raises(CorruptDocxError):
        read_docx(damaged.getvalue())


def _long_document(pages: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("关于开展社区环境整治的通知")
    line = "社区组织志愿者开展环境整治，清理楼道杂物，美化小区环境。" * 4
    for _ in range(pages * 616 // len(line)):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_a_200_page_document_gets_findings_and_a_longer_one_a_clear_refusal() -> None:
    data = _long_document(200)
    document = read_docx(data)
    assert document.characters > 190 * 616
    report = proofread(document)
    assert report.pages >= 190
    assert any(f.rule_id == "layout.margins" for f in report.findings)  # python-docx's Letter
    with pytest.raises(DocumentTooLongError) as info:
        read_docx(data, max_pages=100)
    assert "页" in str(info.value)


def test_tables_and_images_are_read_and_checked() -> None:
    document = docx.Document()
    document.add_paragraph("社区活动统计")
    document.add_paragraph("一、活动情况")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "活动名称"
    table.cell(0, 1).text = "参加人数"
    table.cell(1, 0).text = "重阳节敬老,慰问"
    table.cell(1, 1).text = "30人"
    table.cell(1, 0).merge(table.cell(1, 0))
    document.add_picture(io.BytesIO(_png()), width=Inches(0.5))
    document.add_paragraph("二、下步打算")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()

    read = read_docx(data)
    assert read.tables == 1 and read.images == 1
    assert [b.role for b in read.blocks if b.text == "活动名称"] == [BlockRole.TABLE]
    report = proofread(read)
    halfwidth = [f for f in report.findings if f.rule_id == "punct.halfwidth"]
    assert len(halfwidth) == 1 and "重阳节敬老" in halfwidth[0].quote
    # the table's paragraphs are not headings: 一、 → 二、 is a clean sequence
    assert not [f for f in report.findings if f.kind is RuleKind.STRUCTURE]
    commented = annotate_docx(data, report.findings)
    assert len(list(docx.Document(io.BytesIO(commented)).comments)) == len(report.findings)


def test_comments_are_anchored_to_the_quoted_text(rendered: bytes) -> None:
    document = docx.Document(io.BytesIO(rendered))
    target = next(p for p in document.paragraphs if p.text.startswith("坚持党建引领"))
    target.add_run("截止2022年9月,共走访居民12800户。")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()

    report = proofread(read_docx(data))
    ids = {f.rule_id for f in report.findings}
    assert {"wording.截至", "punct.halfwidth", "punct.thousands"} <= ids
    commented = docx.Document(io.BytesIO(annotate_docx(data, report.findings)))
    comments = list(commented.comments)
    assert len(comments) == len(report.findings)
    texts = [c.text for c in comments]
    assert any("截至" in t and "【错误】" in t for t in texts)
    assert all(c.author == "文稿审校" for c in comments)
    # the original is untouched: the copy carries the comments
    assert not list(docx.Document(io.BytesIO(data)).comments)
