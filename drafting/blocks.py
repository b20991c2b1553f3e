"""The shared pieces of the .docx output: the "KB …" paragraph styles and the blocks.

A draft is written as a list of ``Block``s (style, text, citations), each into one
paragraph by ``write_block``; both the GB/T 9704 renderer (``docx_render``) and
the user-template filler (``template_fill``) build on these, so neither imports
the other's internals. Chinese fonts are set through ``w:rFonts/@w:eastAsia``:
python-docx's ``font.name`` only sets the Latin slots, which Word ignores for
Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from drafting.types import Draft, DraftSection
from textcore.errors import InvalidRequestError
from textcore.facts import FactIssue

__all__ = [
    "BODY_SIZE",
    "CHAR_WIDTH",
    "CITATION_STYLES",
    "IMPRINT_SIZE",
    "ISSUER_MARK_SIZE",
    "LATIN_FONT",
    "LINE_PITCH",
    "PAGE_NUMBER_SIZE",
    "RED",
    "STYLE_FONTS",
    "STYLE_NAMES",
    "TEXT_WIDTH",
    "THICK_RULE",
    "THIN_RULE",
    "Block",
    "check_citation_style",
    "draft_blocks",
    "ensure_styles",
    "set_east_asian_font",
    "set_rpr_fonts",
    "text_width",
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
        "KB Issuer Mark",
        "方正小标宋简体",
        ISSUER_MARK_SIZE,
        WD_ALIGN_PARAGRAPH.CENTER,
        None,
        Pt(48),
    ),
    _StyleSpec("KB Doc Number", "仿宋_GB2312", BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER, None),
    _StyleSpec("KB Attachment", "仿宋_GB2312", BODY_SIZE, WD_ALIGN_PARAGRAPH.LEFT),
    _StyleSpec("KB Imprint", "仿宋_GB2312", IMPRINT_SIZE, WD_ALIGN_PARAGRAPH.LEFT, None),
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


def set_east_asian_font(element_with_rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set ascii/hAnsi and eastAsia fonts on a style's or run's ``w:rPr``, dropping
    theme-font attributes, which would otherwise win over the named fonts."""
    set_rpr_fonts(element_with_rpr.get_or_add_rPr(), east_asia, latin)


def set_rpr_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """The same on a ``w:rPr`` element itself (the document defaults have no owner)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


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
    ``date``, ``references``, or ``section:<key or heading>`` (one section's paragraphs; with its heading when
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


def _section_blocks(section: DraftSection, with_heading: bool) -> list[Block]:
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


def check_citation_style(citation_style: str) -> None:
    """Raise ``InvalidRequestError`` unless ``citation_style`` is one of ``CITATION_STYLES``."""
    if citation_style not in CITATION_STYLES:
        raise InvalidRequestError(
            f"citation_style must be one of {CITATION_STYLES}, not {citation_style!r}"
        )
