"""Render a ``Draft`` as a .docx in the GB/T 9704-2012 layout (python-docx).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt)
方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312, exactly 28 pt line spacing,
first line indented two characters; 一、 in 黑体, （一） in 楷体_GB2312, 1. and
（1） in 仿宋_GB2312; page numbers "— 1 —" 4号 in the footer, on the outer side; 落款 and date on
the right. Chinese fonts are set through ``w:rFonts/@w:eastAsia``: python-docx's
``font.name`` only sets the Latin slots, which Word ignores for Chinese text.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from drafting.blocks import (
    LATIN_FONT,
    PAGE_NUMBER_SIZE,
    check_citation_style,
    draft_blocks,
    ensure_styles,
    set_east_asian_font,
    write_block,
)
from drafting.template_fill import fill_template
from drafting.types import Draft

__all__ = ["PAGE_MARGINS", "PAGE_SIZE", "add_page_numbers", "render_docx"]

PAGE_SIZE = (Mm(210), Mm(297))  # A4
# top, bottom, left, right (GB/T 9704 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm)
PAGE_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))


def _set_doc_defaults(document: DocxDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), "仿宋_GB2312")
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
    parts = ("title", "recipient", "body", "closing", "signature", "date")
    blocks = [block for part in parts for block in draft_blocks(draft, part)]
    references = draft_blocks(draft, "references")
    for index, block in enumerate(blocks + references):
        paragraph = first if index == 0 else document.add_paragraph()
        if block.style == "KB Signature":
            # 落款 sits below the text with one blank line (GB/T 9704 7.3.5).
            spacer = paragraph
            spacer.style = document.styles["KB Body"]
            paragraph = document.add_paragraph()
        if block.style == "KB Reference Heading":
            spacer = paragraph
            spacer.style = document.styles["KB Body"]
            paragraph = document.add_paragraph()
        write_block(paragraph, block, citation_style=citation_style, issues=draft.issues)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
