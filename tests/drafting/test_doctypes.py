"""Document types are data: the required sections exist and a new type needs no code."""

from __future__ import annotations

import pytest

from drafting import DOCUMENT_TYPES, DraftRequest, compose_draft
from drafting.doctypes import DocumentType, SectionSpec, UnknownDocumentTypeError, resolve_doc_type


def _headings(spec: DocumentType) -> list[str]:
    return [s.heading for s in spec.sections if s.heading]


def test_the_agreed_types_exist():
    assert set(DOCUMENT_TYPES) >= {
        "quarterly-summary",
        "work-summary",
        "work-report",
        "activity-plan",
        "brief",
    }


@pytest.mark.parametrize("key", ["quarterly-summary", "work-summary"])
def test_summaries_have_the_required_sections_in_order(key):
    spec = DOCUMENT_TYPES[key]
    assert _headings(spec) == ["主要工作及成效", "存在的问题和不足", "下一步工作打算"]
    themed = next(s for s in spec.sections if s.kind == "themes")
    assert [t.name for t in themed.themes][:5] == [
        "党建引领",
        "基层治理",
        "为民服务",
        "平安建设",
        "队伍建设",
    ]
    assert spec.sections[0].heading == ""  # the untitled overview paragraph


def test_work_report_has_recipient_and_closing():
    spec = DOCUMENT_TYPES["work-report"]
    assert spec.recipient_field == "主送机关"
    assert spec.default_recipient == "区委、区政府"
    assert spec.closing == "特此报告。"
    assert spec.title.startswith("关于") and spec.title.endswith("工作情况的报告")


def test_activity_plan_sections_and_verbatim_fields():
    spec = DOCUMENT_TYPES["activity-plan"]
    assert _headings(spec) == [
        "活动主题",
        "活动时间",
        "活动地点",
        "参加人员",
        "活动内容",
        "工作要求",
    ]
    fields = {s.field for s in spec.sections if s.kind == "field"}
    assert fields == {"活动主题", "活动时间", "活动地点", "参加人员"}


@pytest.mark.parametrize("key", sorted(DOCUMENT_TYPES))
def test_every_template_formats_with_the_documented_names(key):
    spec = DOCUMENT_TYPES[key]
    values = {
        "unit": "湖北路街道",
        "topic": "五星支部创建",
        "period": "2022年第三季度",
        "subject": "五星支部创建",
        "self": "我街道",
    }
    assert "湖北路街道" in spec.title.format(**values)
    for section in spec.sections:
        for template in (
            section.query,
            section.lead or "",
            *section.lines,
            *(t.query for t in section.themes),
        ):
            template.format(**values)  # raises KeyError on an unknown name
        plan_fields = {"活动时间": "", "活动地点": "", "参加人员": "", "议程": ""}
        for step in section.steps:
            step.format(**values, **plan_fields)


@pytest.mark.parametrize("key", sorted(DOCUMENT_TYPES))
def test_every_section_rule_names_known_roles_and_background_only_opens(key):
    from drafting.sections import Role

    for section in DOCUMENT_TYPES[key].sections:
        assert all(role in set(Role) for role in section.accepts)
        if "background" in section.accepts:
            assert section.heading in ("", "基本情况")


def test_resolve_by_key_name_and_alias():
    assert resolve_doc_type("work-report").key == "work-report"
    assert resolve_doc_type("季度工作总结").key == "quarterly-summary"
    assert resolve_doc_type("活动方案").key == "activity-plan"
    assert resolve_doc_type("简报").key == "brief"
    with pytest.raises(UnknownDocumentTypeError, match="未知的文种"):
        resolve_doc_type("会议纪要")


def test_a_new_type_is_just_data(monkeypatch, corpus_searcher_fake):
    minutes = DocumentType(
        key="experience",
        name="经验材料",
        title="{unit}{topic}经验做法",
        sections=(
            SectionSpec(
                key="practice", heading="主要做法", query="{unit}{topic} 做法", keywords=("党",)
            ),
            SectionSpec(
                key="effect",
                heading="取得成效",
                query="{unit}{topic} 成效 完成",
                keywords=("完成",),
            ),
        ),
    )
    monkeypatch.setitem(DOCUMENT_TYPES, "experience", minutes)
    draft = compose_draft(
        DraftRequest(doc_type="经验材料", unit="湖北路街道", topic="五星支部创建"),
        searcher=corpus_searcher_fake,
    )
    assert draft.title == "湖北路街道五星支部创建经验做法"
    assert [s.heading for s in draft.sections] == ["一、主要做法", "二、取得成效"]
    assert all(p.citations for p in draft.sections[0].paragraphs)
