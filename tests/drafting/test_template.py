"""A user's own .docx template: placeholders (even split over runs) are filled, block
placeholders expand into styled paragraphs, the letterhead and header stay."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.shared import Pt, RGBColor

from drafting import DraftRequest, TemplateError, compose_draft, render_docx, template_placeholders
from drafting.types import Draft

RED = RGBColor(0xFF, 0x00, 0x00)


@pytest.fixture
def summary(corpus_searcher_fake) -> Draft:
    request = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3", date="2026-11-23")
    return compose_draft(request, searcher=corpus_searcher_fake)


def _template(
    *lines: str | tuple[str, ...], header: str | None = "湖北路街道办事处 {{日期}}"
) -> bytes:
    """A letterhead template; a tuple line is written as several runs (how Word splits)."""
    doc = Document()
    letterhead = doc.add_paragraph()
    run = letterhead.add_run("湖北路街道办事处文件")
    run.font.color.rgb = RED
    run.font.size = Pt(26)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    for line in lines:
        paragraph = doc.add_paragraph()
        for piece in (line,) if isinstance(line, str) else line:
            paragraph.add_run(piece)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _read(data: bytes):
    return Document(io.BytesIO(data))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs]
    return "\n".join(parts)


def test_placeholders_split_across_runs_are_filled(summary):
    template = _template(
        ("{{", "标", "题}}"), "{{正文}}", ("{{落", "款}}"), "{{日期}}", "{{参考材料}}"
    )
    assert template_placeholders(template) == [
        "标题",
        "正文",
        "落款",
        "日期",
        "参考材料",
    ]  # body, then header
    doc = _read(render_docx(summary, template=template))
    text = _all_text(doc)
    assert "{{" not in text and "}}" not in text
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "湖北路街道办事处文件"
    assert doc.paragraphs[0].runs[0].font.color.rgb == RED  # the letterhead keeps its look
    assert texts[1] == summary.title
    assert doc.sections[0].header.paragraphs[0].text == "湖北路街道办事处 2026年11月23日"
    assert "湖北路街道" in texts and "2026年11月23日" in texts


def test_body_placeholder_expands_with_heading_levels(summary):
    doc = _read(render_docx(summary, template=_template("{{标题}}", "{{正文}}", "{{参考材料}}")))
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["KB Heading 1"] == [
        "一、主要工作及成效",
        "二、存在的问题和不足",
        "三、下一步工作打算",
    ]
    assert by_style["KB Heading 2"][0].startswith("（一）")
    assert len(by_style["KB Body"]) >= 4
    assert by_style["KB Reference Heading"] == ["参考材料"]
    assert len(by_style["KB Reference"]) == len(summary.citations)
    markers = [
        r for p in doc.paragraphs for r in p.runs if r.text.startswith("[") and r.font.superscript
    ]
    assert markers


def test_section_placeholders(summary):
    template = _template(
        "{{主要工作及成效}}", "{{二、存在的问题和不足}}", "{{next-steps}}", "{{活动地点}}"
    )
    doc = _read(render_docx(summary, template=template))
    texts = [p.text for p in doc.paragraphs]
    # A bare name brings the section's paragraphs; a numbered one brings its heading too.
    assert "一、主要工作及成效" not in texts
    assert any(t.startswith("（一）") for t in texts)
    assert "二、存在的问题和不足" in texts
    assert "【待补充：知识库中未找到下一步工作打算相关内容】" in texts
    assert "{{活动地点}}" in texts  # unknown placeholders are left for the user to see
    # No {{正文}}: nothing else of the body is added; no {{参考材料}}: the list is appended.
    assert texts.count("参考材料") == 1


def test_template_without_placeholders_gets_the_whole_draft(summary):
    doc = _read(render_docx(summary, template=_template(header=None)))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "湖北路街道办事处文件"
    assert texts[1] == summary.title
    assert "一、主要工作及成效" in texts and "参考材料" in texts


def test_recipient_gets_its_colon_once(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("work-report", "湖北路街道", topic="五星支部创建"),
        searcher=corpus_searcher_fake,
    )
    doc = _read(
        render_docx(draft, template=_template("{{主送机关}}", "{{主送机关}}：", "{{正文}}"))
    )
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "区委、区政府：" and texts[2] == "区委、区政府："
    assert "特此报告。" in texts  # the closing goes with the body when there is no {{结束语}}


def test_a_broken_template_raises(summary, tmp_path):
    with pytest.raises(TemplateError, match="模板"):
        render_docx(summary, template=b"not a docx")
    path = tmp_path / "t.docx"
    path.write_bytes(_template("{{标题}}"))
    assert _read(render_docx(summary, template=path)).paragraphs[1].text == summary.title


def test_english_placeholder_names(summary):
    template = _template(
        "{{title}}", "{{ body }}", "{{signature}}", "{{date}}", "{{references}}", header=None
    )
    doc = _read(render_docx(summary, template=template))
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == summary.title
    assert "一、主要工作及成效" in texts
    assert texts.count("参考材料") == 1
    assert "湖北路街道" in texts and "2026年11月23日" in texts
    assert not any("{{" in t for t in texts)
