"""Render a ``Draft`` as a .docx in the GB/T 9704-2012 layout (python-docx).

On request (``Draft.letterhead`` / ``attachments`` / ``imprint``) the GB/T 9704
elements around the text: 版头 (发文机关标志 in red 小标宋, 发文字号 with 签发人 for an
upward document, the red separator), 附件说明 below the text, and 版记 (抄送, 印发机关和
印发日期 between a thick, a thin and a thick rule). 署名 is centred over the 成文日期,
which stands two characters in from the right (GB/T 9704 7.3.5.2).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt)
方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312, exactly 28 pt line spacing,
first line indented two characters; 一、 in 黑体, （一） in 楷体_GB2312, 1. and
（1） in 仿宋_GB2312; page numbers "— 1 —" 4号 in the footer, on the outer side; 落款 and date on
the right. Chinese fonts are set through ``w:rFonts/@w:eastAsia``: python-docx's
``font.name`` only sets the Latin slots, which Word ignores for Chinese text.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer
from docx.shared import Emu, Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from drafting.blocks import (
    CHAR_WIDTH,
    IMPRINT_SIZE,
    ISSUER_MARK_SIZE,
    LINE_PITCH,
    PAGE_NUMBER_SIZE,
    RED,
    TEXT_WIDTH,
    THICK_RULE,
    THIN_RULE,
    check_citation_style,
    draft_blocks,
    ensure_styles,
    set_east_asian_font,
    set_rpr_fonts,
    text_width,
    write_block,
)
from drafting.template_fill import fill_template
from drafting.types import Draft, Imprint, Letterhead

__all__ = [
    "PAGE_MARGINS",
    "PAGE_SIZE",
    "add_page_numbers",
    "render_docx",
    "write_imprint",
    "write_letterhead",
]

PAGE_SIZE = (Mm(210), Mm(297))  # A4
# top, bottom, left, right (GB/T 9704 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm)
PAGE_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))
TEXT_HEIGHT = Mm(225)  # 版心: 297 mm less the 37 mm and 35 mm margins
IMPRINT_LINE = Pt(28)  # the 版记 rows' exact line pitch (the "KB Imprint" style)
# The last rule sits under the last row's line (its 1 pt spacing and width): lift the
# rows by this much so that it stays inside the text block (measured in the PDF).
_IMPRINT_RULE_ROOM = Pt(6)


def _set_doc_defaults(document: DocxDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    set_rpr_fonts(rpr, "仿宋_GB2312")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_page(document: DocxDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_SIZE
        (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        ) = PAGE_MARGINS
        section.header_distance = Mm(15)
        section.footer_distance = Mm(25)


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``) that Word and LibreOffice compute when they lay out."""

    def run_with(child: BaseOxmlElement | etree._Element) -> None:
        run = paragraph.add_run()
        set_east_asian_font(run._r, "宋体")
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    set_east_asian_font(shown._r, "宋体")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add_page_numbers(document: DocxDocument) -> None:
    """Footer page numbers "— 1 —" (4号) on the outer side, one character in from the
    edge of the text (GB/T 9704 7.5): odd pages on the right, even pages on the left."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            if any(p.text.strip() for p in footer.paragraphs) or _has_field(footer, "PAGE"):
                continue
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            paragraph.style = document.styles["KB Page Number"]
            paragraph.paragraph_format.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
            else:
                paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
            paragraph.add_run("— ")
            _add_field(paragraph, "PAGE", "1")
            paragraph.add_run(" —")


def _has_field(container: _Footer, name: str) -> bool:
    return any(name in (t.text or "") for t in container._element.iter(qn("w:instrText")))


def render_docx(
    draft: Draft,
    *,
    template: bytes | Path | None = None,
    citation_style: str = "footnote",
) -> bytes:
    """The draft as .docx bytes in the GB/T 9704 layout.

    With ``template`` (a user's .docx with ``{{标题}}``, ``{{正文}}`` … placeholders)
    the template is filled instead, keeping its letterhead, headers and footers.
    ``citation_style`` is ``footnote`` (superscript ``[n]``) or ``inline`` (``[n]`` in
    the line); both end with a 参考材料 list. Unsupported facts are highlighted.
    """
    check_citation_style(citation_style)
    if template is not None:
        return fill_template(draft, template, citation_style=citation_style)
    document = Document()
    _set_doc_defaults(document)
    ensure_styles(document)
    _set_page(document)
    document.sections[0].start_type = WD_SECTION.NEW_PAGE
    add_page_numbers(document)
    props = document.core_properties
    props.title = draft.title
    props.author = draft.signature
    props.language = "zh-CN"

    # python-docx's blank template starts with one empty paragraph: reuse it for the title.
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    if draft.letterhead is not None:
        write_letterhead(document, first, draft.letterhead)
        first = document.add_paragraph()
    parts = ("title", "recipient", "body", "closing", "attachments", "signature", "date")
    blocks = [block for part in parts for block in draft_blocks(draft, part)]
    references = draft_blocks(draft, "references")
    for index, block in enumerate(blocks):
        paragraph = first if index == 0 else document.add_paragraph()
        if block.style == "KB Attachment" and block.left_indent_chars is None:
            # 附件说明 sits one blank line below the text (GB/T 9704 7.3.4).
            paragraph.style = document.styles["KB Body"]
            paragraph = document.add_paragraph()
        if block.style == "KB Signature":
            # 落款 sits below the text with one blank line (GB/T 9704 7.3.5).
            spacer = paragraph
            spacer.style = document.styles["KB Body"]
            paragraph = document.add_paragraph()
        write_block(paragraph, block, citation_style=citation_style, issues=draft.issues)
    if draft.imprint is not None:
        write_imprint(document, draft.imprint)
        if not references:
            # a framed paragraph cannot end a document in Word: an empty one to hold on to
            document.add_paragraph(style=document.styles["KB Body"])
    for index, block in enumerate(references):
        if index == 0:
            # The reference list is for the drafter, not part of the document: after the
            # 版记 it starts a page of its own, otherwise one blank line down.
            spacer = document.add_paragraph(style=document.styles["KB Body"])
            if draft.imprint is not None:
                spacer.add_run().add_break(WD_BREAK.PAGE)
        write_block(
            document.add_paragraph(), block, citation_style=citation_style, issues=draft.issues
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_border(paragraph: Paragraph, side: str, size: int, color: str = "000000") -> None:
    """A rule on one side (``top`` / ``bottom``) of ``paragraph``; ``size`` in eighths of a
    point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _run(paragraph: Paragraph, text: str, east_asia: str | None = None) -> Run:
    run = paragraph.add_run(text)
    if east_asia:
        set_east_asian_font(run._r, east_asia)
    return run


def write_letterhead(document: DocxDocument, first: Paragraph, letterhead: Letterhead) -> None:
    """版头 (GB/T 9704 7.2) from ``first`` on: the 发文机关标志 centred in red 小标宋; the
    发文字号 centred, or, with a 签发人 (上行文), one character in from the left with
    "签发人：" (仿宋) and the name (楷体) one character in from the right; under it the
    red separator as wide as the text block."""
    paragraph = first
    if letterhead.issuer_mark:
        paragraph.style = document.styles["KB Issuer Mark"]
        run = _run(paragraph, letterhead.issuer_mark)
        run.font.color.rgb = RED
        # A long name shrinks to stay on one line, as wide as the text block at most.
        fit = Pt(int(TEXT_WIDTH.pt / max(text_width(letterhead.issuer_mark), 1)))
        if fit < ISSUER_MARK_SIZE:
            run.font.size = fit
        paragraph = document.add_paragraph()
    paragraph.style = document.styles["KB Doc Number"]
    if letterhead.signer:
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = CHAR_WIDTH
        fmt.right_indent = CHAR_WIDTH
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH - CHAR_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        _run(paragraph, f"{letterhead.number}\t签发人：")
        _run(paragraph, letterhead.signer, "楷体_GB2312")
    else:
        _run(paragraph, letterhead.number)
    # The red separator 4 mm under the 发文字号 (GB/T 9704 7.2.5); the title follows two
    # lines below it.
    _set_border(paragraph, "bottom", THICK_RULE, "FF0000")
    paragraph.paragraph_format.space_after = LINE_PITCH * 2


# What follows w:framePr in a w:pPr (ECMA-376 CT_PPrBase, then CT_PPr's own): the
# schema fixes the order of a paragraph's properties.
_AFTER_FRAME_PR = tuple(
    f"w:{name}"
    for name in [
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def _frame_at(paragraph: Paragraph, top: Length) -> None:
    """Put ``paragraph`` in a frame of its own, as wide as the text block, ``top`` below
    the text block's top edge (``w:framePr``, laid out by Word and LibreOffice alike).
    Body text never runs under a frame (``notBeside``): what does not fit above it
    moves on to the next page, and the frame with the paragraph that follows it."""
    ppr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    for name, value in (
        ("w", str(int(TEXT_WIDTH.twips))),
        ("wrap", "notBeside"),
        ("vAnchor", "margin"),
        ("hAnchor", "margin"),
        ("xAlign", "center"),
        ("y", str(int(top.twips))),
    ):
        frame.set(qn(f"w:{name}"), value)
    later = {qn(tag) for tag in _AFTER_FRAME_PR}
    successor = next((child for child in ppr if child.tag in later), None)
    if successor is None:
        ppr.append(frame)
    else:
        successor.addprevious(frame)


def write_imprint(document: DocxDocument, imprint: Imprint) -> None:
    """版记 (GB/T 9704 7.4) at the foot of the last page: 抄送 and 印发机关和印发日期 in
    4号 仿宋, one character in on both sides, between a thick first rule, thin middle
    rules and a thick last rule; the 印发机关 on the left, "…印发" on the right.

    GB/T 9704 puts the 版记's last element on the last line of the last page, not
    after the 成文日期: each row is a frame at a fixed height, counted up from the
    text block's foot (rows at the exact 4号 line pitch, a long 抄送 taking as many
    lines as its width needs), so the 版记 stands at the foot of the page the text
    ends on, or of the next page when the text leaves it no room. (One frame for
    all rows, aligned to the bottom, would be simpler, but LibreOffice drops the
    position of a frame whose rows have different rules.)"""
    texts = [f"抄送：{imprint.copy_to}"] if imprint.copy_to else []
    texts.append(f"{imprint.printer}\t{imprint.print_date}印发")
    per_line = (TEXT_WIDTH - 2 * IMPRINT_SIZE) / IMPRINT_SIZE  # characters on a line
    heights = [max(1, math.ceil(text_width(t) / per_line)) * IMPRINT_LINE for t in texts]
    top = TEXT_HEIGHT - _IMPRINT_RULE_ROOM - sum(heights)
    for index, (text, height) in enumerate(zip(texts, heights, strict=True)):
        row = document.add_paragraph(style=document.styles["KB Imprint"])
        fmt = row.paragraph_format
        fmt.left_indent = IMPRINT_SIZE
        fmt.right_indent = IMPRINT_SIZE
        if "\t" in text:
            fmt.tab_stops.add_tab_stop(TEXT_WIDTH - IMPRINT_SIZE, WD_TAB_ALIGNMENT.RIGHT)
        _run(row, text)
        _set_border(row, "top", THICK_RULE if index == 0 else THIN_RULE)
        if index == len(texts) - 1:
            _set_border(row, "bottom", THICK_RULE)
        _frame_at(row, Emu(top))
        top += height
