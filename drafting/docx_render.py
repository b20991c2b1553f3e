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
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_BREAK,
    WD_COLOR_INDEX,
    WD_LINE_SPACING,
    WD_TAB_ALIGNMENT,
)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from drafting.types import Draft, Imprint, Letterhead
from textcore.facts import FactIssue

__all__ = [
    "CITATION_STYLES",
    "text_width",
    "write_imprint",
    "write_letterhead",
    "STYLE_NAMES",
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
CHAR_WIDTH = BODY_SIZE  # one Chinese character of body text
TEXT_WIDTH = Mm(156)  # 版心: 210 mm less the 28 mm and 26 mm margins
# GB/T 9704 leaves the size of the 发文机关标志 to the office ("醒目、美观、庄重"); 小初
# (36 pt) is what the sample letterheads we compared use for a one-line name.
ISSUER_MARK_SIZE = Pt(36)
RED = RGBColor(0xFF, 0x00, 0x00)
IMPRINT_SIZE = PAGE_NUMBER_SIZE  # 版记 in 4号 仿宋 (GB/T 9704 7.4.1)
# Rule widths in eighths of a point: 0.35 mm (thick) and 0.25 mm (thin), GB/T 9704 7.4.1.
THICK_RULE = 8
THIN_RULE = 6


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
    _StyleSpec(
        "KB Issuer Mark", "方正小标宋简体", ISSUER_MARK_SIZE, WD_ALIGN_PARAGRAPH.CENTER, None, Pt(48)
    ),
    _StyleSpec("KB Doc Number", "仿宋_GB2312", BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER, None),
    _StyleSpec("KB Attachment", "仿宋_GB2312", BODY_SIZE, WD_ALIGN_PARAGRAPH.LEFT),
    _StyleSpec("KB Imprint", "仿宋_GB2312", IMPRINT_SIZE, WD_ALIGN_PARAGRAPH.LEFT, None),
    _StyleSpec("KB Reference", "仿宋_GB2312", PAGE_NUMBER_SIZE, None, None, Pt(22)),
    _StyleSpec("KB Page Number", "宋体", PAGE_NUMBER_SIZE, WD_ALIGN_PARAGRAPH.CENTER, None, Pt(20)),
)
STYLE_NAMES = tuple(spec.name for spec in _STYLES)
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
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.top_margin = Mm(37)
        section.bottom_margin = Mm(35)
        section.left_margin = Mm(28)
        section.right_margin = Mm(26)
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
    right_indent_chars: float | None = None  # 署名 centred over the 成文日期
    left_indent_chars: float | None = None  # later lines of a 附件说明


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
    section with its heading), ``closing``, ``attachments`` (附件说明), ``signature``,
    ``date``, ``references``,
    or ``section:<key or heading>`` (one section's paragraphs; with its heading when
    the name given includes the number, e.g. ``section:一、主要工作及成效``)."""
    if part == "title":
        return [Block("KB Title", draft.title)]
    if part == "recipient":
        return [Block("KB Recipient", f"{draft.recipient}：")] if draft.recipient else []
    if part == "closing":
        return [Block("KB Body", draft.closing)] if draft.closing else []
    if part == "signature":
        indent = _signature_indents(draft)[0]
        return [Block("KB Signature", draft.signature, right_indent_chars=indent)]
    if part == "date":
        return [Block("KB Date", draft.date, right_indent_chars=_signature_indents(draft)[1])]
    if part == "attachments":
        return _attachment_blocks(draft.attachments)
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


def text_width(text: str) -> float:
    """Width in Chinese characters: a half-width character (digit, Latin) is half one."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def _signature_indents(draft: Draft) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期: the date two characters in from
    the right, the 署名 centred over it; a longer 署名 stands two in and the date moves
    in by half the difference (GB/T 9704 7.3.5.2)."""
    name, when = text_width(draft.signature), text_width(draft.date)
    if name <= when:
        return 2 + (when - name) / 2, 2.0
    return 2.0, 2 + (name - when) / 2


def _attachment_blocks(names: Sequence[str]) -> list[Block]:
    """附件说明: "附件：" two characters in; several attachments numbered 1．2．, the later
    ones aligned under the first name (GB/T 9704 7.3.4)."""
    if not names:
        return []
    if len(names) == 1:
        return [Block("KB Attachment", f"附件：{names[0]}")]
    blocks = [Block("KB Attachment", f"附件：1．{names[0]}")]
    for number, name in enumerate(names[1:], start=2):
        blocks.append(Block("KB Attachment", f"{number}．{name}", left_indent_chars=5))
    return blocks


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
    if block.right_indent_chars is not None:
        paragraph.paragraph_format.right_indent = Pt(CHAR_WIDTH.pt * block.right_indent_chars)
    if block.left_indent_chars is not None:
        paragraph.paragraph_format.left_indent = Pt(CHAR_WIDTH.pt * block.left_indent_chars)
        paragraph.paragraph_format.first_line_indent = Pt(0)
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


def _run(paragraph: Paragraph, text: str, east_asia: str | None = None):
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


def write_imprint(document: DocxDocument, imprint: Imprint) -> None:
    """版记 (GB/T 9704 7.4) after a blank line: 抄送 and 印发机关和印发日期 in 4号 仿宋,
    one character in on both sides, between a thick first rule, thin middle rules and a
    thick last rule; the 印发机关 on the left, "…印发" on the right."""
    document.add_paragraph(style=document.styles["KB Body"])
    rows: list[Paragraph] = []
    if imprint.copy_to:
        row = document.add_paragraph(style=document.styles["KB Imprint"])
        _run(row, f"抄送：{imprint.copy_to}")
        rows.append(row)
    row = document.add_paragraph(style=document.styles["KB Imprint"])
    row.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - IMPRINT_SIZE, WD_TAB_ALIGNMENT.RIGHT)
    _run(row, f"{imprint.printer}\t{imprint.print_date}印发")
    rows.append(row)
    for index, row in enumerate(rows):
        fmt = row.paragraph_format
        fmt.left_indent = IMPRINT_SIZE
        fmt.right_indent = IMPRINT_SIZE
        _set_border(row, "top", THICK_RULE if index == 0 else THIN_RULE)
    _set_border(rows[-1], "bottom", THICK_RULE)
