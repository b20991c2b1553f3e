"""Run the rules over a document: every rule's checker, findings in document order."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from drafting.proofread.checks import CHECKS, Context
from drafting.proofread.rules import Rule, load_rules
from drafting.proofread.types import (
    Block,
    BlockRole,
    Finding,
    ProofDocument,
    ProofreadReport,
    RuleKind,
)
from retrieval.types import Searcher
from textcore.headings import heading_number

__all__ = ["CHARS_PER_PAGE", "document_from_text", "looks_like_title", "proofread"]

log = logging.getLogger(__name__)

# GB/T 9704-2012 5.2.2: 22 lines of 28 characters a page.
CHARS_PER_PAGE = 22 * 28
_TITLE_MAX_CHARS = 60
_ISSUER_OR_NUMBER = re.compile(r"(?:文件|〔\d{4}〕\d+号|[\[［【(（]\d{4}[\]］】)）]第?\d+号)$")


def looks_like_title(text: str) -> bool:
    """A title is short, has no heading number and does not end like a sentence."""
    stripped = text.strip()
    return (
        0 < len(stripped) <= _TITLE_MAX_CHARS
        and heading_number(stripped) is None
        and stripped[-1] not in "。；，：！？;,:!?"
        and not _ISSUER_OR_NUMBER.search(stripped)
    )


def document_from_text(text: str) -> ProofDocument:
    """A plain-text document, one paragraph a line; the first line is the title when
    it reads like one. No layout facts: the layout rules have nothing to say."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    blocks = []
    for index, line in enumerate(lines, 1):
        role = BlockRole.TITLE if index == 1 and looks_like_title(line) else BlockRole.BODY
        blocks.append(Block(index=index, text=line, role=role))
    return ProofDocument(blocks=tuple(blocks))


def proofread(
    document: ProofDocument,
    *,
    searcher: Searcher | None = None,
    rules: Sequence[Rule] | None = None,
    kinds: Iterable[RuleKind] | None = None,
    max_figure_queries: int = 300,
) -> ProofreadReport:
    """Every finding of ``rules`` (default: all shipped rules) in ``document``.

    Figures are compared with the knowledge base through ``searcher``; without one
    the figure rules are skipped and the report says so. ``kinds`` restricts the
    rules run. ``max_figure_queries`` bounds the look-ups (one per sentence with
    figures) so that a 200-page document still answers; what is left unchecked is
    in ``notes``.
    """
    selected = list(rules if rules is not None else load_rules())
    if kinds is not None:
        wanted = set(kinds)
        selected = [r for r in selected if r.kind in wanted]
    ctx = Context(document, searcher=searcher, max_figure_queries=max_figure_queries)
    if searcher is None and any(r.kind is RuleKind.FIGURES for r in selected):
        ctx.notes.append("未连接知识库，数字未核对")
    findings: list[Finding] = []
    for rule in selected:
        check = CHECKS.get(rule.check)
        if check is None:
            raise ValueError(f"rule {rule.id}: unknown check {rule.check!r}")
        findings.extend(check(rule, document, ctx))
    # Whole-document findings (paragraph 0) first, then by paragraph; a rule's own
    # order is kept within a paragraph.
    findings.sort(key=lambda f: f.paragraph)
    return ProofreadReport(
        findings=tuple(findings),
        paragraphs=len(document.blocks),
        pages=round(document.characters / CHARS_PER_PAGE, 1),
        figures_checked=ctx.figures_checked,
        notes=tuple(ctx.notes),
    )
