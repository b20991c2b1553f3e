"""Document types as data: which sections a draft has and how each finds its evidence.

Adding a type means adding a ``DocumentType`` to ``DOCUMENT_TYPES``; the composer
and the renderer need no change. Queries are templates over ``{unit}``,
``{topic}`` and ``{period}`` (missing values become empty strings); leads may also use
``{self}``, the unit's name in its own voice (我街道, see ``drafting.voice``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textcore.errors import InvalidRequestError

__all__ = [
    "DOCUMENT_TYPES",
    "DocumentType",
    "SectionSpec",
    "Theme",
    "UnknownDocumentTypeError",
    "resolve_doc_type",
]


class UnknownDocumentTypeError(InvalidRequestError):
    """No document type has that key or name."""


@dataclass(frozen=True)
class Theme:
    """A sub-section (（一）…) of a themed section. A sentence counts as evidence
    for the theme only when it contains one of ``keywords``; the query finds
    candidates, the keywords keep off-topic ones out."""

    name: str
    query: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SectionSpec:
    """One section of a document type.

    ``kind`` says where its content comes from:

    - ``evidence``: sentences retrieved with ``query`` that contain a ``keywords`` term;
    - ``themes``: one （一）（二）… sub-section per ``Theme`` that found evidence;
    - ``field``: the user's ``fields[field]`` verbatim (else ``default`` or a 待补充 note);
    - ``items``: like ``evidence`` but written as numbered items 1. 2. 3.; with a topic,
      sentences sharing words with the topic are preferred (else a warning says so);
    - ``lead`` / ``fixed``: fact-free standard text (``lead``, or ``lines`` as paragraphs);
    - ``plan``: a plan's forward-looking items, one per ``steps`` template filled from the
      user's fields (活动时间, 活动地点, 参加人员, 议程), then "可借鉴的做法": cited
      sentences from the knowledge base found like ``items``.

    ``accepts`` lists the sentence roles (``drafting.sections.Role``) the section may
    hold: 问题 only problems, 下一步 only forward-looking sentences, background only in
    the opening. ``heading`` is empty for the untitled opening paragraph.
    """

    key: str
    heading: str
    kind: str = "evidence"
    query: str = ""
    keywords: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    field: str | None = None
    default: str | None = None
    max_sentences: int = 4
    takes_notes: bool = False
    lead: str | None = None  # a fixed, fact-free opening line (templated like queries)
    lines: tuple[str, ...] = ()  # fact-free standard paragraphs of a ``fixed`` section
    accepts: tuple[str, ...] = ()  # sentence roles the section may hold; () takes any
    steps: tuple[str, ...] = ()  # a ``plan`` section's standard steps (templates over fields)
    # Sections with narrow keywords pick their sentences first (lower goes first), so a
    # broad theme does not take the one sentence that states a problem.
    priority: int = 1


@dataclass(frozen=True)
class DocumentType:
    """A kind of official document the assistant drafts."""

    key: str
    name: str
    title: str  # template over {unit} {topic} {period} {subject}
    sections: tuple[SectionSpec, ...]
    aliases: tuple[str, ...] = ()
    recipient_field: str | None = None
    default_recipient: str | None = None
    closing: str | None = None
    max_citations: int = 40
    upward: bool = False  # 上行文: the 版头 carries 签发人 (GB/T 9704 7.2.4)

    def request_fields(self) -> list[str]:
        """The type-specific inputs a user may give (``DraftRequest.fields``): the
        recipient, the ``field`` sections and the fields a plan's steps use."""
        names = [self.recipient_field] if self.recipient_field else []
        for section in self.sections:
            if section.kind == "field" and section.field:
                names.append(section.field)
            for step in section.steps:
                names.extend(n for n in re.findall(r"\{([^{}]+)\}", step) if not n.isascii())
            if section.kind == "plan":
                names.append("议程")
        return list(dict.fromkeys(names))


_SUMMARY_THEMES = (
    Theme(
        "党建引领",
        "{unit}{topic} 党建引领 基层党组织建设 党支部 党员作用",
        ("党建", "党组织", "党委", "党工委", "党支部", "党员", "五星"),
    ),
    Theme(
        "基层治理",
        "{unit}{topic} 基层治理 网格化 居民自治 物业 共建共治",
        ("治理", "网格", "自治", "物业", "议事", "共建", "共治"),
    ),
    Theme(
        "为民服务",
        "{unit}{topic} 为民服务 便民服务 养老 民生实事 群众需求",
        ("服务", "养老", "便民", "民生", "实事", "群众", "居民"),
    ),
    Theme(
        "平安建设",
        "{unit}{topic} 平安建设 安全生产 矛盾纠纷调解 社会稳定",
        ("平安", "安全", "矛盾", "纠纷", "调解", "综治", "消防", "防控", "稳定", "违建"),
    ),
    Theme(
        "队伍建设",
        "{unit}{topic} 队伍建设 干部培训 社区工作者 人才",
        ("队伍", "干部", "培训", "人才", "书记", "党校", "工作者", "述职"),
    ),
)

# Background may open a document (its 基本情况) and nowhere else.
_OPENING_ROLES = ("background", "work", "result")
_WORK_ROLES = ("work", "result")

_OVERVIEW = SectionSpec(
    key="overview",
    heading="",
    query="{unit}{topic} 坚持 以 为抓手 推动 工作 成效",
    keywords=("坚持", "围绕", "以", "推动", "着力"),
    max_sentences=2,
    accepts=_OPENING_ROLES,
)

_PROBLEMS = SectionSpec(
    key="problems",
    heading="存在的问题和不足",
    query="{unit}{topic} 存在的问题 不足 短板 困难 有待提升",
    # Not a bare 问题: "协调解决问题450余项" is an achievement, not a shortcoming.
    keywords=(
        "不足",
        "短板",
        "困难",
        "薄弱",
        "有待",
        "难题",
        "瓶颈",
        "死结",
        "突出",
        "不够",
        "滞后",
        "难以",
        "需求",
        "诉求",
        "风险",
        "隐患",
        "压力",
        "亟待",
        "仍需",
    ),
    max_sentences=3,
    priority=0,
    accepts=("problem",),
)

_NEXT_KEYWORDS = (
    "下一步",
    "将继续",
    "将进一步",
    "将持续",
    "将着力",
    "将围绕",
    "力争",
    "今后",
    "明年",
)

_NEXT_STEPS = SectionSpec(
    key="next-steps",
    heading="下一步工作打算",
    query="{unit}{topic} 下一步 将继续 持续推进 进一步 努力打造",
    keywords=_NEXT_KEYWORDS,
    max_sentences=4,
    priority=0,
    accepts=("forward",),
)


def _opening(lead: str) -> SectionSpec:
    """The unheaded opening paragraph of a summary or report: its lead, then background."""
    return SectionSpec(
        key="overview",
        heading="",
        lead=lead,
        query=_OVERVIEW.query,
        keywords=_OVERVIEW.keywords,
        max_sentences=2,
        accepts=_OPENING_ROLES,
    )


def _work_done(heading: str) -> SectionSpec:
    """The section of work done and its results, one sub-heading per theme found."""
    return SectionSpec(
        key="achievements",
        heading=heading,
        kind="themes",
        themes=_SUMMARY_THEMES,
        max_sentences=3,
        takes_notes=True,
        accepts=_WORK_ROLES,
    )


def _summary(key: str, name: str, aliases: tuple[str, ...]) -> DocumentType:
    return DocumentType(
        key=key,
        name=name,
        title="{unit}{period}{topic}工作总结",
        aliases=aliases,
        sections=(
            _opening("现将{self}{period}{topic}工作情况总结如下。"),
            _work_done("主要工作及成效"),
            _PROBLEMS,
            _NEXT_STEPS,
        ),
    )


DOCUMENT_TYPES: dict[str, DocumentType] = {
    "quarterly-summary": _summary(
        "quarterly-summary", "季度工作总结", ("季度工作总结", "季度总结")
    ),
    "work-summary": _summary("work-summary", "工作总结", ("工作总结", "总结")),
    "work-report": DocumentType(
        key="work-report",
        name="工作报告",
        title="关于{unit}{subject}工作情况的报告",
        aliases=("工作报告", "报告", "情况报告"),
        recipient_field="主送机关",
        default_recipient="区委、区政府",
        closing="特此报告。",
        upward=True,
        sections=(
            _opening("现将{self}{subject}工作情况报告如下。"),
            _work_done("工作开展情况"),
            _PROBLEMS,
            SectionSpec(
                key="next-steps",
                heading="下一步工作安排",
                query=_NEXT_STEPS.query,
                keywords=_NEXT_KEYWORDS,
                max_sentences=4,
                priority=0,
                accepts=("forward",),
            ),
        ),
    ),
    "activity-plan": DocumentType(
        key="activity-plan",
        name="活动方案",
        title="{unit}{topic}活动方案",
        aliases=("活动方案", "方案"),
        sections=(
            SectionSpec(
                key="intro",
                heading="",
                lead="为扎实做好{topic}工作，结合{unit}实际，特制定本方案。",
                kind="lead",
            ),
            SectionSpec(key="theme", heading="活动主题", kind="field", field="活动主题"),
            SectionSpec(key="time", heading="活动时间", kind="field", field="活动时间"),
            SectionSpec(key="place", heading="活动地点", kind="field", field="活动地点"),
            SectionSpec(key="participants", heading="参加人员", kind="field", field="参加人员"),
            SectionSpec(
                key="content",
                heading="活动内容",
                kind="plan",
                # What the planned activity will do, in order; {活动时间} … are the user's
                # fields (a missing one becomes a 待补充 note), {议程} the agenda items.
                steps=(
                    "活动准备。{活动时间}前，制定{topic}活动工作安排，落实活动场地和所需物资，"
                    "通知{参加人员}按时参加。",
                    "活动实施。{活动时间}在{活动地点}举行{topic}活动，按以下议程进行：",
                    "宣传总结。活动结束后，及时整理活动图片和文字资料，总结经验做法，"
                    "做好宣传报道。",
                ),
                # "可借鉴的做法": cited practices from the knowledge base.
                query="{topic} 开展 活动 组织 举办 {unit}",
                keywords=("开展", "活动", "组织", "举办", "召开", "走访", "慰问", "汇演", "宣讲"),
                max_sentences=3,
                takes_notes=True,
                accepts=_WORK_ROLES,
            ),
            SectionSpec(
                key="requirements",
                heading="工作要求",
                kind="fixed",
                # Standard, fact-free requirements: nothing here needs a source.
                lines=(
                    "（一）加强组织领导。各单位要高度重视，明确责任分工，认真组织实施，确保活动取得实效。",
                    "（二）做好安全保障。要提前排查活动场地安全隐患，制定应急预案，确保活动安全有序。",
                    "（三）注重宣传总结。要及时收集活动图片和文字资料，做好宣传报道和总结工作。",
                ),
            ),
        ),
    ),
    "brief": DocumentType(
        key="brief",
        name="信息简报",
        title="{unit}{subject}工作简报",
        aliases=("信息简报", "简报", "摘要"),
        sections=(
            SectionSpec(
                key="body",
                heading="",
                query="{unit}{topic} 工作 开展 成效",
                keywords=(),
                max_sentences=5,
                takes_notes=True,
                accepts=_WORK_ROLES,
            ),
        ),
    ),
}


def resolve_doc_type(name: str) -> DocumentType:
    """The type for a key (``quarterly-summary``) or a Chinese name/alias (``季度工作总结``)."""
    if name in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[name]
    for spec in DOCUMENT_TYPES.values():
        if name == spec.name or name in spec.aliases:
            return spec
    known = "、".join(f"{k}（{v.name}）" for k, v in DOCUMENT_TYPES.items())
    raise UnknownDocumentTypeError(f"未知的文种“{name}”，可选：{known}")
