"""Figures against the knowledge base: every number with its measure word, about a
named unit, is looked up; a source that states the same thing with another value
makes it an error citing that source, and one found nowhere is a note.

"The same thing" is decided locally: the same measure word (名, 户, 场, %) and the
same two characters next to the number on either side (党员32名 / 32名党员), in a
passage that names the same unit (湖北路街道) when the sentence names one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafting.proofread.types import Block, BlockRole, FigureSource, Finding, ProofDocument
from textcore.facts import Fact, extract_numbers
from textcore.punct import CJK_RANGES, compact
from textcore.sentences import split_sentences
from textcore.units import named_units

if TYPE_CHECKING:
    from drafting.proofread.checks import Context
    from drafting.proofread.rules import Rule
    from retrieval import Hit

__all__ = ["figure_findings"]

log = logging.getLogger(__name__)

SEARCH_K = 5  # passages read per sentence; the sentence's own source ranks first when it exists
# Keyword search: a figure is checked by its words and numbers, which BM25 matches
# exactly; a query embedding cost 2-4 s on the shared 2-core bench machine (86 of the
# 103 s of a 10-page document's figure check went there), BM25 0.03 s.
SEARCH_MODE = "bm25"
# Words between the thing counted and its number (共有党员32名): skipped to reach the thing.
_FILLERS = (
    "累计",
    "合计",
    "总计",
    "共计",
    "共有",
    "达到",
    "超过",
    "新增",
    "增加",
    "共",
    "有",
    "达",
    "约",
    "计",
    "了",
    "为",
    "是",
    "近",
    "逾",
    "到",
    "至",
)
_DATE_UNITS = frozenset({"年", "月", "日"})
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+$")
_CJK_HEAD = re.compile(f"^[{CJK_RANGES}]+")


@dataclass(frozen=True)
class _Figure:
    fact: Fact
    value: float
    unit: str
    before: str  # the two characters naming what is counted, before the number
    after: str  # … or after the measure word

    def same_thing(self, other: _Figure) -> bool:
        if self.unit != other.unit:
            return False
        mine = {c for c in (self.before, self.after) if c}
        theirs = {c for c in (other.before, other.after) if c}
        return bool(mine & theirs)


def _context_before(norm: str, start: int) -> str:
    match = _CJK_RUN.search(norm[max(0, start - 8) : start])
    run = match.group(0) if match else ""
    stripped = True
    while run and stripped:
        stripped = False
        for filler in _FILLERS:
            if run.endswith(filler) and len(run) > len(filler):
                run, stripped = run[: -len(filler)], True
                break
    return run[-2:] if len(run) >= 2 else ""


def _context_after(norm: str, end: int) -> str:
    match = _CJK_HEAD.match(norm[end : end + 8])
    run = match.group(0) if match else ""
    return run[:2] if len(run) >= 2 else ""


def _figures(text: str) -> list[_Figure]:
    norm = compact(text)
    figures = []
    for fact in sorted(extract_numbers(text), key=lambda f: f.start):
        if fact.kind != "number" or fact.key[0] != "value":
            continue
        _, value, unit = fact.key
        if not unit or unit in _DATE_UNITS:
            continue  # a bare number has no measure word; 年月日 are dates
        figures.append(
            _Figure(
                fact=fact,
                value=value,
                unit=unit,
                before=_context_before(norm, fact.start),
                after=_context_after(norm, fact.end),
            )
        )
    return figures


@dataclass(frozen=True)
class _Verdict:
    block: Block
    figure: _Figure
    sentence: str
    contradicted_by: FigureSource | None  # None: found nowhere
    source_value: str = ""


def _source_sentence(text: str, fact: Fact) -> str:
    norm = compact(text)
    for start, end in split_sentences(norm):
        if start <= fact.start < end:
            return norm[start:end]
    return norm


def _check_sentence(
    block: Block,
    sentence: str,
    claims: Sequence[_Figure],
    hits: Sequence[Hit],
    read: dict[str, list[_Figure]],
) -> Iterator[_Verdict]:
    units = named_units(sentence)
    readable = []
    for hit in hits:
        about = f"{hit.title}\n{hit.text}"
        if units and not any(unit in about for unit in units):
            continue  # a passage about another street or community says nothing of ours
        if hit.chunk_id not in read:
            read[hit.chunk_id] = _figures(hit.text)
        readable.append((hit, read[hit.chunk_id]))
    for claim in claims:
        supported = False
        conflict: tuple[Hit, _Figure] | None = None
        for hit, figures in readable:
            for figure in figures:
                if figure.unit == claim.unit and figure.value == claim.value:
                    supported = True
                    break
                if conflict is None and claim.same_thing(figure):
                    conflict = (hit, figure)
            if supported:
                break
        if supported:
            continue
        if conflict is None:
            yield _Verdict(block, claim, sentence, None)
            continue
        hit, figure = conflict
        source = FigureSource(
            title=hit.title or hit.source_key,
            doc_id=hit.doc_id,
            chunk_id=hit.chunk_id,
            excerpt=_source_sentence(hit.text, figure.fact),
        )
        yield _Verdict(block, claim, sentence, source, figure.fact.text)


def _verdicts(doc: ProofDocument, ctx: Context) -> list[_Verdict]:
    searcher = ctx.searcher
    if searcher is None:
        return []
    verdicts: list[_Verdict] = []
    seen: dict[str, list[Hit]] = {}
    read: dict[str, list[_Figure]] = {}  # the figures of each passage, read once
    queries = 0
    for block in doc.blocks:
        if block.role is BlockRole.TITLE:
            continue
        figures = _figures(block.text)
        if not figures:
            continue
        norm = compact(block.text)
        for start, end in split_sentences(norm):
            claims = [f for f in figures if start <= f.fact.start < end]
            if not claims:
                continue
            sentence = norm[start:end]
            ctx.figures_checked += len(claims)
            if sentence not in seen:
                if queries >= ctx.max_figure_queries:
                    ctx.figures_checked -= len(claims)
                    if not any("数字核对" in n for n in ctx.notes):
                        ctx.notes.append(
                            f"数字核对只查了前{ctx.max_figure_queries}句，其余句子中的数字未核对"
                        )
                    continue
                queries += 1
                try:
                    seen[sentence] = searcher.search(sentence, k=SEARCH_K, mode=SEARCH_MODE)
                except Exception as exc:  # the index is down: the other rules still run
                    log.warning("figure lookup failed: %s", exc)
                    ctx.notes.append(f"知识库暂不可用，数字未核对：{exc}")
                    return verdicts
            verdicts.extend(_check_sentence(block, sentence, claims, seen[sentence], read))
    return verdicts


def _quote(block: Block, figure: _Figure, sentence: str) -> str:
    text = block.text
    at = text.find(figure.fact.text)
    if at < 0:
        return sentence[:40]
    return text[max(0, at - 8) : at + len(figure.fact.text) + 8]


def figure_findings(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """The findings of ``rule``: ``figures.contradiction`` for a figure a source
    contradicts, ``figures.unsourced`` for one no passage states."""
    if ctx.figure_verdicts is None:
        ctx.figure_verdicts = _verdicts(doc, ctx)
    contradiction = rule.params.get("verdict") == "contradiction"
    for verdict in ctx.figure_verdicts:
        if (verdict.contradicted_by is not None) != contradiction:
            continue
        quote = _quote(verdict.block, verdict.figure, verdict.sentence)
        if verdict.contradicted_by is None:
            yield Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                paragraph=verdict.block.index,
                quote=quote,
                message=f"“{verdict.figure.fact.text}”{rule.message}",
            )
            continue
        source = verdict.contradicted_by
        yield Finding(
            rule_id=rule.id,
            kind=rule.kind,
            severity=rule.severity,
            paragraph=verdict.block.index,
            quote=quote,
            message=(
                f"“{verdict.figure.fact.text}”{rule.message}：《{source.title}》为"
                f"“{verdict.source_value}”（{source.excerpt[:60]}）"
            ),
            suggestion=quote.replace(verdict.figure.fact.text, verdict.source_value, 1),
            source=source,
        )
