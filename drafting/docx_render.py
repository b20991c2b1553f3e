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
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from drafting.types import Draft
from textcore.facts import FactIssue

__all__ = [
    "BODY_SIZE",
    "CITATION_STYLES",
    "LINE_PITCH",
    "PAGE_MARGINS",
    "PAGE_NUMBER_SIZE",
    "PAGE_SIZE",
    "STYLE_FONTS",
    "STYLE_NAMES",
    "TITLE_SIZE",
    "Block",
    "draft_blocks",
    "ensure_styles",
    "render_docx",
    "write_block",
]

CITATION_STYLES = ("footnote", "inline")
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_PITCH = Pt(28)
INDENT_TWO_CHARS = Pt(32)
PAGE_SIZE = (Mm(210), Mm(297))  # A4
# top, bottom, left, right (GB/T 9704 5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm)
PAGE_MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))


@dataclass(frozen=True)
class _StyleSpec:
    name: str
    east_asia: str
    size: Pt
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line_indent: Pt | None = INDENT_TWO_CHARS
    line_spacing: Pt = LINE_PITCH
    outline_level: int | None = None
    right_indent: Pt | None = None
    space_after: Pt | None = None


_STYLES = (
    _StyleSpec(
        "KB Title",
        "方正小标宋简体",
        TITLE_SIZE,
        WD_ALIGN_PARAGRAPH.CENTER,
        None,
        Pt(36),
        space_after=LINE_PITCH,
    ),
    _StyleSpec("KB Recipient", "仿宋_GB2312", BODY_SIZE, WD_ALIGN_PARAGRAPH.LEFT, None),
    _StyleSpec("KB Body", "仿宋_GB2312", BODY_SIZE),
    _StyleSpec("KB Heading 1", "黑体", BODY_SIZE, outline_level=1),
    _StyleSpec("KB Heading 2", "楷体_GB2312", BODY_SIZE, outline_level=2),
    # Levels 3 and 4 often carry whole sentences (numbered items): no outline level and
    # no keep-with-next, which would chain a list of items onto one page.
    _StyleSpec("KB Heading 3", "仿宋_GB2312", BODY_SIZE),
    _StyleSpec("KB Heading 4", "仿宋_GB2312", BODY_SIZE),
    _StyleSpec(
        "KB Signature",
        "仿宋_GB2312",
        BODY_SIZE,
        WD_ALIGN_PARAGRAPH.RIGHT,
        None,
        right_indent=INDENT_TWO_CHARS,
    ),
    _StyleSpec(
        "KB Date",
        "仿宋_GB2312",
        BODY_SIZE,
        WD_ALIGN_PARAGRAPH.RIGHT,
        None,
        right_indent=INDENT_TWO_CHARS,
    ),
    _StyleSpec("KB Reference Heading", "黑体", BODY_SIZE, WD_ALIGN_PARAGRAPH.LEFT, None),
    _StyleSpec("KB Reference", "仿宋_GB2312", PAGE_NUMBER_SIZE, None, None, Pt(22)),
    _StyleSpec("KB Page Number", "宋体", PAGE_NUMBER_SIZE, WD_ALIGN_PARAGRAPH.CENTER, None, Pt(20)),
)
STYLE_NAMES = tuple(spec.name for spec in _STYLES)
# The East Asian font and size of each style, for whoever checks a document against them.
STYLE_FONTS = {spec.name: (spec.east_asia, spec.size) for spec in _STYLES}
_LEVEL_STYLE = {
    0: "KB Body",
    1: "KB Heading 1",
    2: "KB Heading 2",
    3: "KB Heading 3",
    4: "KB Heading 4",
}


def set_east_asian_font(element_with_rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set ascii/hAnsi and eastAsia fonts on a style's or run's ``w:rPr``, dropping
    theme-font attributes, which would otherwise win over the named fonts."""
    rpr = element_with_rpr.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


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


def ensure_styles(document: DocxDocument, *, overwrite: bool = True) -> None:
    """Add the named "KB …" paragraph styles to ``document``; existing ones are reset
    unless ``overwrite`` is false (a user's template may have tuned them)."""
    for spec in _STYLES:
        try:
            style = document.styles[spec.name]
            if not overwrite:
                continue
        except KeyError:
            style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = None
        style.quick_style = True
        style.font.name = LATIN_FONT
        style.font.size = spec.size
        style.font.bold = False
        set_east_asian_font(style.element, spec.east_asia)
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.first_line_indent = spec.first_line_indent
        fmt.right_indent = spec.right_indent
        fmt.left_indent = None
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = spec.line_spacing
        fmt.space_before = Pt(0)
        fmt.space_after = spec.space_after or Pt(0)
        fmt.widow_control = True
        if spec.outline_level is not None:
            ppr = style.element.get_or_add_pPr()
            level = ppr.find(qn("w:outlineLvl"))
            if level is None:
                level = OxmlElement("w:outlineLvl")
                ppr.append(level)
            level.set(qn("w:val"), str(spec.outline_level - 1))
            fmt.keep_with_next = True


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

    def run_with(child) -> None:
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


def _has_field(container, name: str) -> bool:
    return any(name in (t.text or "") for t in container._element.iter(qn("w:instrText")))


@dataclass(frozen=True)
class Block:
    """One paragraph to write: its style, text, citation numbers and whether the text
    is a placeholder for the user to fill in."""

    style: str
    text: str
    citations: tuple[int, ...] = ()
    placeholder: bool = False
    checked: bool = False  # fact-checked text, where unsupported facts are highlighted


def _short_date(value: str | None) -> str:
    if not value:
        return ""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not match:
        return value
    year, month, day = match.group(1), int(match.group(2)), match.group(3)
    return f"{year}年{month}月{int(day)}日" if day else f"{year}年{month}月"


def draft_blocks(draft: Draft, part: str) -> list[Block]:
    """The blocks of one part of a draft: ``title``, ``recipient``, ``body`` (every
    section with its heading), ``closing``, ``signature``, ``date``, ``references``,
    or ``section:<key or heading>`` (one section's paragraphs; with its heading when
    the name given includes the number, e.g. ``section:一、主要工作及成效``)."""
    if part == "title":
        return [Block("KB Title", draft.title)]
    if part == "recipient":
        return [Block("KB Recipient", f"{draft.recipient}：")] if draft.recipient else []
    if part == "closing":
        return [Block("KB Body", draft.closing)] if draft.closing else []
    if part == "signature":
        return [Block("KB Signature", draft.signature)]
    if part == "date":
        return [Block("KB Date", draft.date)]
    if part == "references":
        return _reference_blocks(draft)
    if part == "body":
        return [block for section in draft.sections for block in _section_blocks(section, True)]
    if part.startswith("section:"):
        name = part.removeprefix("section:")
        for section in draft.sections:
            bare = section.heading.split("、", 1)[-1]
            if name in (section.key, bare):
                return _section_blocks(section, False)
            if name == section.heading:
                return _section_blocks(section, True)
        return []
    raise ValueError(f"unknown draft part: {part}")


def _section_blocks(section, with_heading: bool) -> list[Block]:
    blocks = [Block("KB Heading 1", section.heading)] if with_heading and section.heading else []
    for p in section.paragraphs:
        blocks.append(
            Block(
                _LEVEL_STYLE.get(p.level, "KB Body"),
                p.text,
                p.citations,
                p.placeholder,
                bool(p.citations),
            )
        )
    return blocks


def _reference_blocks(draft: Draft) -> list[Block]:
    if not draft.citations:
        return []
    blocks = [Block("KB Reference Heading", "参考材料")]
    for c in draft.citations:
        when = _short_date(c.date)
        title = c.title or c.source_key or c.doc_id
        head = f"[{c.number}] {title}" + (f"（{when}）" if when else "")
        blocks.append(Block("KB Reference", f"{head}：{c.excerpt}"))
    return blocks


def _issue_spans(text: str, issues: Sequence[FactIssue]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for issue in issues:
        if not issue.text:
            continue
        for match in re.finditer(re.escape(issue.text), text):
            spans.append(match.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, spans: Sequence[tuple[int, int]]) -> Iterator[tuple[str, bool]]:
    pos = 0
    for start, end in spans:
        if start > pos:
            yield text[pos:start], False
        yield text[start:end], True
        pos = end
    if pos < len(text):
        yield text[pos:], False


def write_block(
    paragraph: Paragraph,
    block: Block,
    *,
    citation_style: str = "footnote",
    issues: Sequence[FactIssue] = (),
) -> None:
    """Write ``block``'s text into an empty ``paragraph`` with the block's style:
    unsupported facts highlighted yellow, citation markers after the text."""
    document_styles = paragraph.part.document.styles  # type: ignore[attr-defined]
    paragraph.style = document_styles[block.style]
    spans = _issue_spans(block.text, issues) if block.checked else []
    for text, flagged in _segments(block.text, spans):
        run = paragraph.add_run(text)
        if flagged:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if block.placeholder:
            run.font.bold = True
    if block.citations:
        marker = "".join(f"[{n}]" for n in block.citations)
        run = paragraph.add_run(marker)
        if citation_style == "footnote":
            run.font.superscript = True


def _check_citation_style(citation_style: str) -> None:
    if citation_style not in CITATION_STYLES:
        raise ValueError(f"citation_style must be one of {CITATION_STYLES}, not {citation_style!r}")


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
    _check_citation_style(citation_style)
    if template is not None:
        from drafting.template_fill import fill_template

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
