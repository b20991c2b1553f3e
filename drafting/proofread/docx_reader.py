"""Read a user's .docx into what the rules see: paragraphs in reading order (table
cells included) with their effective font, size, line spacing and alignment, and the
page (size, margins, the footer's page number).

Every way a file can fail to be a readable .docx ends as a ``ProofreadInputError``
with a message for the person who uploaded it; nothing else escapes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

from drafting.proofread.engine import CHARS_PER_PAGE, looks_like_title
from drafting.proofread.types import Block, BlockRole, PageLayout, ProofDocument

__all__ = [
    "MAX_PAGES",
    "CorruptDocxError",
    "DocumentTooLongError",
    "EncryptedDocxError",
    "NotDocxError",
    "ProofreadInputError",
    "read_docx",
]

# A 300-page document still reads in seconds; beyond that it is a book, not a 公文.
MAX_PAGES = 300
# The parts of a .docx unpack to at most this much: more is a zip bomb, not a document.
MAX_UNPACKED_BYTES = 200 * 2**20
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .docx is an OLE2 file whose stream is named "EncryptedPackage".
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_TITLE_SEARCH = 6  # the title is among the first paragraphs (after 版头, if any)


class ProofreadInputError(ValueError):
    """A file that cannot be proofread; the message says why, in Chinese."""


class NotDocxError(ProofreadInputError):
    pass


class EncryptedDocxError(ProofreadInputError):
    pass


class CorruptDocxError(ProofreadInputError):
    pass


class DocumentTooLongError(ProofreadInputError):
    pass


def _open(data: bytes) -> DocxDocument:
    if data.startswith(_OLE2):
        if _ENCRYPTED_STREAM in data:
            raise EncryptedDocxError("文档设有打开密码，请在 Word 中取消密码后再上传")
        raise NotDocxError("这是 Word 97-2003 格式（.doc）的文件，请另存为 .docx 后再上传")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotDocxError("文件不是 .docx 文档（Word 2007 及以后的格式）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocxError(f"文档已损坏，无法打开：{exc}") from exc
    if "word/document.xml" not in names:
        raise NotDocxError("压缩包中没有 Word 正文（word/document.xml），不是 .docx 文档")
    if unpacked > MAX_UNPACKED_BYTES:
        raise CorruptDocxError("文档解压后过大，无法处理")
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged part
        raise CorruptDocxError(f"文档已损坏，无法打开：{type(exc).__name__}") from exc


# --- effective formatting -------------------------------------------------------------


def _style_chain(paragraph: Paragraph) -> Iterator:
    style = paragraph.style
    seen = 0
    while style is not None and seen < 20:  # a cyclic base_style chain is not our loop
        yield style
        style = style.base_style
        seen += 1


def _defaults(document: DocxDocument) -> tuple[str | None, float | None, tuple | None]:
    """The document defaults: East Asian font, size in pt, (line, lineRule) spacing."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    font = size = spacing = None
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            font = _rfonts_east_asia(rpr)
            sz = rpr.find(qn("w:sz"))
            if sz is not None and sz.get(qn("w:val"), "").isdigit():
                size = int(sz.get(qn("w:val"))) / 2
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        if ppr is not None:
            node = ppr.find(qn("w:spacing"))
            if node is not None and node.get(qn("w:line")):
                spacing = (node.get(qn("w:line")), node.get(qn("w:lineRule"), "auto"))
    return font, size, spacing


def _rfonts_east_asia(rpr: BaseOxmlElement | None) -> str | None:
    rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if rfonts is None:
        return None
    name = rfonts.get(qn("w:eastAsia"))
    if name:
        return name
    if rfonts.get(qn("w:eastAsiaTheme")):
        return "主题字体"
    return None


def _east_asia_font(paragraph: Paragraph, default: str | None) -> str | None:
    # The font of the run holding most of the text: a styled first character or a
    # stray space in another font does not decide.
    by_run: dict[str | None, int] = {}
    for run in paragraph.runs:
        if not run.text.strip():
            continue
        font = _rfonts_east_asia(run._r.rPr)
        by_run[font] = by_run.get(font, 0) + len(run.text)
    direct = max(by_run, key=by_run.__getitem__) if by_run else None
    if direct:
        return direct
    for style in _style_chain(paragraph):
        font = _rfonts_east_asia(style.element.rPr)
        if font:
            return font
    return default or "主题字体"


def _size(paragraph: Paragraph, default: float | None) -> float | None:
    by_run: dict[float | None, int] = {}
    for run in paragraph.runs:
        if run.text.strip():
            size = run.font.size.pt if run.font.size is not None else None
            by_run[size] = by_run.get(size, 0) + len(run.text)
    direct = max(by_run, key=by_run.__getitem__) if by_run else None
    if direct:
        return direct
    for style in _style_chain(paragraph):
        if style.font.size is not None:
            return style.font.size.pt
    return default if default is not None else 10.5  # Word's built-in 五号


_RULE_NAMES = {
    WD_LINE_SPACING.EXACTLY: "exact",
    WD_LINE_SPACING.AT_LEAST: "at_least",
}


def _line_spacing(paragraph: Paragraph, default: tuple | None) -> tuple[float | None, str]:
    formats = [paragraph.paragraph_format] + [s.paragraph_format for s in _style_chain(paragraph)]
    for fmt in formats:
        rule, value = fmt.line_spacing_rule, fmt.line_spacing
        if value is None and rule is None:
            continue
        name = _RULE_NAMES.get(rule) if rule is not None else None
        if name is not None and value is not None and hasattr(value, "pt"):
            return round(value.pt, 1), name
        return None, "multiple"
    if default is not None:
        line, rule = default
        if rule in ("exact", "atLeast") and line.isdigit():
            return int(line) / 20, "exact" if rule == "exact" else "at_least"
    return None, "multiple"


def _centred(paragraph: Paragraph) -> bool:
    for fmt in [paragraph.paragraph_format] + [s.paragraph_format for s in _style_chain(paragraph)]:
        if fmt.alignment is not None:
            return fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
    return False


# --- reading order -----------------------------------------------------------------


def _paragraphs_in_order(document: DocxDocument) -> Iterator[tuple[Paragraph, bool]]:
    """(paragraph, in_table) for the body in reading order: paragraphs, table cells
    (each merged cell once), content controls' paragraphs."""

    def walk(
        element: BaseOxmlElement, parent: Any, in_table: bool
    ) -> Iterator[tuple[Paragraph, bool]]:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                yield Paragraph(child, parent), in_table
            elif child.tag == qn("w:tbl"):
                table = Table(child, parent)
                seen: set[int] = set()
                for row in table.rows:
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        yield from walk(cell._tc, cell, True)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from walk(content, parent, in_table)

    yield from walk(document.element.body, document, False)


def _paragraph_text(element: BaseOxmlElement) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _page_number(document: DocxDocument) -> tuple[str | None, float | None]:
    for section in document.sections:
        footers = [section.footer, section.even_page_footer, section.first_page_footer]
        for footer in footers:
            if footer.is_linked_to_previous:
                continue  # no footer of its own (asking for its paragraphs would add one)
            for paragraph in footer.paragraphs:
                element = paragraph._p
                instructions = [t.text or "" for t in element.iter(qn("w:instrText"))]
                instructions += [f.get(qn("w:instr"), "") for f in element.iter(qn("w:fldSimple"))]
                if any("PAGE" in i.upper() and "NUMPAGES" not in i.upper() for i in instructions):
                    return _paragraph_text(element), _size(paragraph, None)
    return None, None


def _layout(document: DocxDocument) -> PageLayout:
    section = document.sections[0]

    def mm(length: Length | None) -> float:
        return round(length.mm, 1) if length is not None else 0.0

    number, size = _page_number(document)
    return PageLayout(
        width_mm=mm(section.page_width),
        height_mm=mm(section.page_height),
        top_mm=mm(section.top_margin),
        bottom_mm=mm(section.bottom_margin),
        left_mm=mm(section.left_margin),
        right_mm=mm(section.right_margin),
        page_number=number,
        page_number_size_pt=size,
    )


def read_docx(data: bytes, *, max_pages: int = MAX_PAGES) -> ProofDocument:
    """The document in ``data`` as the rules see it.

    Raises ``NotDocxError`` (not a .docx, or an old .doc), ``EncryptedDocxError``
    (password-protected), ``CorruptDocxError`` (damaged) or ``DocumentTooLongError``
    (more than ``max_pages`` pages of text at 22 × 28 characters a page).
    """
    document = _open(data)
    try:
        font_default, size_default, spacing_default = _defaults(document)
        raw = [(p, in_table) for p, in_table in _paragraphs_in_order(document) if p.text.strip()]
        characters = sum(len(p.text) for p, _ in raw)
        if characters > max_pages * CHARS_PER_PAGE:
            raise DocumentTooLongError(
                f"文档约{characters // CHARS_PER_PAGE}页，超过一次审校的上限{max_pages}页，请分成几部分上传"
            )
        title_at = next(
            (
                i
                for i, (p, in_table) in enumerate(raw[:_TITLE_SEARCH])
                if not in_table and _centred(p) and looks_like_title(p.text)
            ),
            0 if raw and not raw[0][1] and looks_like_title(raw[0][0].text) else None,
        )
        blocks = []
        for index, (paragraph, in_table) in enumerate(raw):
            role = (
                BlockRole.TABLE
                if in_table
                else BlockRole.TITLE
                if index == title_at
                else BlockRole.BODY
            )
            spacing, rule = _line_spacing(paragraph, spacing_default)
            blocks.append(
                Block(
                    index=index + 1,
                    text=paragraph.text.strip(),
                    role=role,
                    east_asia_font=_east_asia_font(paragraph, font_default),
                    size_pt=_size(paragraph, size_default),
                    line_spacing_pt=spacing,
                    line_rule=rule,
                    centred=_centred(paragraph),
                )
            )
        body = document.element.body
        return ProofDocument(
            blocks=tuple(blocks),
            layout=_layout(document),
            tables=len(body.findall(f".//{qn('w:tbl')}")),
            images=len(body.findall(f".//{qn('w:drawing')}"))
            + len(body.findall(f".//{qn('w:pict')}")),
        )
    except ProofreadInputError:
        raise
    except Exception as exc:  # a part python-docx cannot interpret (odd styles, sections)
        raise CorruptDocxError(f"文档结构无法解析：{type(exc).__name__}") from exc
