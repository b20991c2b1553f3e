"""Well-formed GB/T 9704 documents (rendered by the product) and variants of them with
one layout fact changed: the layout rules' examples and the benchmark's seeded errors."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.shared import Mm, Pt

from drafting import Draft, DraftParagraph, DraftRequest, DraftSection, render_docx
from drafting.blocks import set_east_asian_font

SAMPLE_SECTIONS: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = (
    (
        "一、基本情况",
        (
            (2, "（一）党员队伍"),
            (0, "社区党委下设4个党支部，共有党员126名。"),
            (2, "（二）服务阵地"),
            (0, "社区建有党群服务中心1个，面积达到800平方米。"),
        ),
    ),
    ("二、主要做法", ((0, "坚持党建引领，推动各项工作落地见效。"),)),
)


def render_document(
    title: str,
    sections: Sequence[tuple[str, Sequence[tuple[int, str]]]] = SAMPLE_SECTIONS,
    *,
    signature: str = "湖北路街道办事处",
    date: str = "2022年9月14日",
) -> bytes:
    """A .docx as the product renders it: title, sections of (level, text) paragraphs."""
    draft = Draft(
        request=DraftRequest(doc_type="work-summary", unit=signature),
        title=title,
        recipient=None,
        sections=tuple(
            DraftSection(
                key=f"s{i}",
                heading=heading,
                paragraphs=tuple(DraftParagraph(text=t, level=lv) for lv, t in paragraphs),
            )
            for i, (heading, paragraphs) in enumerate(sections)
        ),
        closing=None,
        signature=signature,
        date=date,
        citations=(),
    )
    return render_docx(draft)


def apply_layout(data: bytes, changes: Mapping[str, Any]) -> bytes:
    """``data`` with the layout ``changes`` applied: ``page_mm`` [w, h], ``margins_mm``
    [top, bottom, left, right], ``title_font``/``title_size_pt``, ``body_font``/
    ``body_size_pt``, ``heading1_font``, ``line_spacing_pt``, ``page_number`` (the
    footer's text around the number, e.g. ``"-1-"``)."""
    if not changes:
        return data
    document = Document(io.BytesIO(data))
    styles = document.styles
    for section in document.sections:
        if "page_mm" in changes:
            section.page_width, section.page_height = (Mm(x) for x in changes["page_mm"])
        if "margins_mm" in changes:
            top, bottom, left, right = (Mm(x) for x in changes["margins_mm"])
            section.top_margin, section.bottom_margin = top, bottom
            section.left_margin, section.right_margin = left, right
    if "title_font" in changes:
        set_east_asian_font(styles["KB Title"].element, changes["title_font"])
    if "title_size_pt" in changes:
        styles["KB Title"].font.size = Pt(changes["title_size_pt"])
    for name in ("KB Body", "KB Heading 3", "KB Heading 4"):
        if "body_font" in changes:
            set_east_asian_font(styles[name].element, changes["body_font"])
        if "body_size_pt" in changes:
            styles[name].font.size = Pt(changes["body_size_pt"])
    if "heading1_font" in changes:
        set_east_asian_font(styles["KB Heading 1"].element, changes["heading1_font"])
    if "line_spacing_pt" in changes:
        styles["KB Body"].paragraph_format.line_spacing = Pt(changes["line_spacing_pt"])
    if "page_number" in changes:
        left, right = re.split(r"\d+", changes["page_number"], maxsplit=1)
        for section in document.sections:
            for footer in (section.footer, section.even_page_footer):
                for paragraph in footer.paragraphs:
                    runs = [r for r in paragraph.runs if r.text]
                    if len(runs) >= 3:
                        runs[0].text, runs[-1].text = left, right
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
