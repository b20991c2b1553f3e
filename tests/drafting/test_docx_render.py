"""The rendered .docx read back with python-docx: GB/T 9704 page, styles, East-Asian
fonts, heading levels, citations, the 参考材料 list, page numbers, highlights."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from drafting import DraftRequest, compose_draft, render_docx
from drafting.types import Draft
from textcore import FactIssue


@pytest.fixture
def report(corpus_searcher_fake) -> Draft:
    request = DraftRequest("work-report", "湖北路街道", period="2022Q3", date="2026-11-23")
    return compose_draft(request, searcher=corpus_searcher_fake)


def _read(data: bytes):
    return Document(io.BytesIO(data))


def _east_asia(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def _body(doc):
    return [p for p in doc.paragraphs if p.text.strip()]


def test_page_is_a4_with_official_margins(report):
    section = _read(render_docx(report)).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for margin, mm in (
        ("top_margin", 37),
        ("bottom_margin", 35),
        ("left_margin", 28),
        ("right_margin", 26),
    ):
        assert abs(getattr(section, margin) - Mm(mm)) < Mm(0.5), margin


@pytest.mark.parametrize(
    ("name", "east_asia", "size"),
    [
        ("KB Title", "方正小标宋简体", 22),
        ("KB Recipient", "仿宋_GB2312", 16),
        ("KB Body", "仿宋_GB2312", 16),
        ("KB Heading 1", "黑体", 16),
        ("KB Heading 2", "楷体_GB2312", 16),
        ("KB Heading 3", "仿宋_GB2312", 16),
        ("KB Heading 4", "仿宋_GB2312", 16),
        ("KB Signature", "仿宋_GB2312", 16),
        ("KB Page Number", "宋体", 14),
    ],
)
def test_styles_carry_east_asian_fonts_and_sizes(report, name, east_asia, size):
    style = _read(render_docx(report)).styles[name]
    assert _east_asia(style) == east_asia
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override the name
    assert style.font.size == Pt(size)


def test_body_spacing_and_indent(report):
    doc = _read(render_docx(report))
    for name in ("KB Body", "KB Heading 1", "KB Heading 2"):
        fmt = doc.styles[name].paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(28)
        assert fmt.first_line_indent == Pt(32)
    assert doc.styles["KB Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert doc.styles["KB Recipient"].paragraph_format.first_line_indent in (None, 0)
    assert doc.styles["KB Signature"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert doc.styles["KB Date"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_document_structure_in_order(report):
    paragraphs = _body(_read(render_docx(report)))
    styles = [p.style.name for p in paragraphs]
    texts = [p.text for p in paragraphs]
    assert (styles[0], texts[0]) == ("KB Title", "关于湖北路街道2022年第三季度工作情况的报告")
    assert (styles[1], texts[1]) == ("KB Recipient", "区委、区政府：")
    headings = [t for p, t in zip(paragraphs, texts, strict=True) if p.style.name == "KB Heading 1"]
    assert headings == ["一、工作开展情况", "二、存在的问题和不足", "三、下一步工作安排"]
    subheadings = [
        t for p, t in zip(paragraphs, texts, strict=True) if p.style.name == "KB Heading 2"
    ]
    assert subheadings and all(re.fullmatch(r"（[一二三四五]）\S+", t) for t in subheadings)
    assert "特此报告。" in texts
    signature = texts.index("湖北路街道")
    assert styles[signature] == "KB Signature"
    assert (styles[signature + 1], texts[signature + 1]) == ("KB Date", "2026年11月23日")
    assert texts.index("特此报告。") < signature


def test_footnote_citations_are_superscript_and_listed(report):
    doc = _read(render_docx(report))
    markers = [
        r
        for p in doc.paragraphs
        if p.style.name == "KB Body"
        for r in p.runs
        if re.fullmatch(r"(\[\d+\])+", r.text)
    ]
    assert markers and all(r.font.superscript for r in markers)
    cited = {int(n) for r in markers for n in re.findall(r"\d+", r.text)}
    assert cited == {c.number for c in report.citations}

    texts = [p.text for p in doc.paragraphs]
    start = texts.index("参考材料")
    entries = [p for p in doc.paragraphs[start + 1 :] if p.text.strip()]
    assert len(entries) == len(report.citations)
    for entry, citation in zip(entries, report.citations, strict=True):
        assert entry.style.name == "KB Reference"
        assert entry.text.startswith(f"[{citation.number}] {citation.title}（2022年9月14日）：")
        assert entry.text.endswith(citation.excerpt)


def test_inline_citations_are_plain_text(report):
    doc = _read(render_docx(report, citation_style="inline"))
    markers = [r for p in doc.paragraphs for r in p.runs if re.fullmatch(r"(\[\d+\])+", r.text)]
    assert markers and not any(r.font.superscript for r in markers)
    with pytest.raises(ValueError, match="citation_style"):
        render_docx(report, citation_style="endnote")


def test_page_numbers_in_odd_and_even_footers_on_the_outer_side(report):
    doc = _read(render_docx(report))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        instructions = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.style.name == "KB Page Number"
        assert paragraph.style.font.size == Pt(14)
        assert paragraph.paragraph_format.alignment == align


def test_unsupported_facts_are_highlighted(report):
    target = next(p for s in report.sections for p in s.paragraphs if p.citations)
    flagged_text = "128个"
    section_index = next(i for i, s in enumerate(report.sections) if target in s.paragraphs)
    edited = replace(target, text=target.text + f"共有{flagged_text}单位参加。")
    sections = list(report.sections)
    sections[section_index] = replace(
        sections[section_index],
        paragraphs=tuple(edited if p is target else p for p in sections[section_index].paragraphs),
    )
    draft = replace(
        report,
        sections=tuple(sections),
        issues=(FactIssue(flagged_text, "number", f"共有{flagged_text}单位参加。"),),
    )
    doc = _read(render_docx(draft))
    highlighted = [
        r.text
        for p in doc.paragraphs
        for r in p.runs
        if r.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]
    assert highlighted and set(highlighted) == {flagged_text}
    plain = _read(render_docx(report))
    assert not any(r.font.highlight_color for p in plain.paragraphs for r in p.runs)


def test_placeholders_are_marked(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("activity-plan", "湖北路街道", topic="重阳节敬老"),
        searcher=corpus_searcher_fake,
    )
    doc = _read(render_docx(draft))
    pending = [p for p in doc.paragraphs if p.text.startswith("【待补充")]
    assert {p.text for p in pending} >= {
        "【待补充：活动时间】",
        "【待补充：活动地点】",
        "【待补充：参加人员】",
    }
    assert all(r.font.bold for p in pending for r in p.runs)
    items = [p for p in doc.paragraphs if p.style.name == "KB Heading 3"]
    assert items and items[0].text.startswith("1.")
