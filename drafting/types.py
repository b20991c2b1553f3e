"""Data that the drafting side hands to the server: draft requests and drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from answer.types import Citation
from textcore.facts import FactIssue

__all__ = ["Draft", "DraftParagraph", "DraftRequest", "DraftSection", "Imprint", "Letterhead"]


@dataclass(frozen=True)
class DraftRequest:
    """What the user asks for. ``period`` is free text such as ``2022Q3`` or
    ``2022年第三季度``; ``fields`` carries type-specific inputs given verbatim
    (活动时间, 活动地点, 参加人员, 主送机关 …)."""

    doc_type: str
    unit: str
    period: str | None = None
    topic: str | None = None
    notes: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    date: str | None = None  # 成文日期; today when unset


@dataclass(frozen=True)
class DraftParagraph:
    """A paragraph of body text; ``level`` 0 is body, 1..4 are the heading levels
    一、 （一） 1. （1）."""

    text: str
    level: int = 0
    citations: tuple[int, ...] = ()
    placeholder: bool = False


@dataclass(frozen=True)
class DraftSection:
    key: str
    heading: str
    paragraphs: tuple[DraftParagraph, ...]


@dataclass(frozen=True)
class Letterhead:
    """The 版头 of GB/T 9704 (7.2): 发文机关标志, 发文字号 (〔2026〕 form) and, for an
    upward document (上行文), 签发人. Empty parts are left out."""

    issuer_mark: str = ""
    number: str = ""
    signer: str = ""


@dataclass(frozen=True)
class Imprint:
    """The 版记 of GB/T 9704 (7.4): 抄送机关 and 印发机关和印发日期 between its rules."""

    copy_to: str = ""
    printer: str = ""
    print_date: str = ""


@dataclass(frozen=True)
class Draft:
    """A composed document, ready to render."""

    request: DraftRequest
    title: str
    recipient: str | None
    sections: tuple[DraftSection, ...]
    closing: str | None
    signature: str
    date: str
    citations: tuple[Citation, ...]
    issues: tuple[FactIssue, ...] = ()
    supported_share: float = 1.0
    warnings: tuple[str, ...] = ()
    letterhead: Letterhead | None = None  # on request (fields 发文机关标志, 发文字号 …)
    attachments: tuple[str, ...] = ()  # 附件说明: the names of the attachments, in order
    imprint: Imprint | None = None  # on request (fields 抄送, 印发机关, 印发日期)
