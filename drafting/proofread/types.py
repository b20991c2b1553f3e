"""Data of proofreading: what a document looks like to the rules, and what they find."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Block",
    "BlockRole",
    "FigureSource",
    "Finding",
    "PageLayout",
    "ProofDocument",
    "ProofreadReport",
    "RuleKind",
    "Severity",
]


class Severity(StrEnum):
    """错误 must be corrected; 建议 is worth a look (or a figure without a source)."""

    ERROR = "错误"
    SUGGESTION = "建议"


class RuleKind(StrEnum):
    LAYOUT = "layout"
    STRUCTURE = "structure"
    PUNCTUATION = "punctuation"
    WORDING = "wording"
    FIGURES = "figures"


class BlockRole(StrEnum):
    """Where a paragraph sits: the rules for layout and structure depend on it."""

    TITLE = "title"
    BODY = "body"
    TABLE = "table"


@dataclass(frozen=True)
class Block:
    """One paragraph as the rules see it. ``index`` is its 1-based number among the
    document's non-empty paragraphs (table cells included, in reading order). The
    layout facts are the effective values (run, then paragraph style chain, then the
    document defaults); None where the document does not say (plain text input)."""

    index: int
    text: str
    role: BlockRole = BlockRole.BODY
    east_asia_font: str | None = None
    size_pt: float | None = None
    line_spacing_pt: float | None = None
    line_rule: str | None = None  # "exact" | "at_least" | "multiple"
    centred: bool = False


@dataclass(frozen=True)
class PageLayout:
    """Page facts of the first section, in millimetres, and the footer's page number:
    ``page_number`` is the footer text around the PAGE field (``"— 1 —"``), None when
    no footer has one; ``page_number_size_pt`` its font size."""

    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    page_number: str | None = None
    page_number_size_pt: float | None = None


@dataclass(frozen=True)
class ProofDocument:
    """A document to proofread: its paragraphs in order and, for a .docx, its page."""

    blocks: tuple[Block, ...]
    layout: PageLayout | None = None
    tables: int = 0
    images: int = 0

    @property
    def characters(self) -> int:
        return sum(len(b.text) for b in self.blocks)


@dataclass(frozen=True)
class FigureSource:
    """The knowledge-base passage a figure was compared with."""

    title: str
    doc_id: str
    chunk_id: str
    excerpt: str


@dataclass(frozen=True)
class Finding:
    """One thing to correct or look at. ``paragraph`` is the block's 1-based number
    (0 for the document as a whole: page size, margins); ``quote`` a short excerpt of
    the text concerned; ``suggestion`` the correction where it is certain."""

    rule_id: str
    kind: RuleKind
    severity: Severity
    paragraph: int
    quote: str
    message: str
    suggestion: str | None = None
    source: FigureSource | None = None


@dataclass(frozen=True)
class ProofreadReport:
    """The findings in document order, with what was read: paragraphs, an estimate of
    the GB/T 9704 pages (22 lines of 28 characters), figures compared with the
    knowledge base, and notes on what was not checked."""

    findings: tuple[Finding, ...]
    paragraphs: int
    pages: float
    figures_checked: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)
