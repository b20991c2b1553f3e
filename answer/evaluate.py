"""Answer evaluation: does the chat answer hold the gold passage, and refuse when it should?

Each row of a QA set (JSONL: ``id``, ``question``, ``type``, ``source``,
``gold_passage``, optional ``history`` — earlier questions of the conversation)
is answered end to end (follow-up rewriting, search, generator, answerability),
and measured per question type:

- **gold contained** (answerable rows): the answer holds every gold passage at
  character-level coverage ≥ ``GOLD_COVERAGE`` (the share of the passage's
  characters found in order in the answer: its longest common subsequence; both
  read as an answer is shown, normalised: 七个 and 7个 are the same words);
- **wrongly refused** (answerable rows): the answer is a refusal;
- **refused** (``unanswerable`` and ``wrong_entity`` rows): refusal recall; a
  ``wrong_entity`` row that is answered is an answer about another unit;
- **citation precision** (answered answerable rows): share of citations whose
  passage holds a gold passage (same coverage rule);
- **latency** p50/p95 of the whole answer.

Pure orchestration: the caller passes the function that answers.
"""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from answer.types import Answer
from textcore import normalize_text

__all__ = [
    "GOLD_COVERAGE",
    "REFUSAL_TYPES",
    "AnswerEvalReport",
    "AnswerItem",
    "AnswerOutcome",
    "evaluate_answers",
    "format_answer_report",
    "gold_coverage",
    "load_answer_items",
]

GOLD_COVERAGE = 0.9
# Row types whose right answer is the refusal.
REFUSAL_TYPES = frozenset(["unanswerable", "wrong_entity"])

AnswerFn = Callable[[str, Sequence[str]], Answer]


@dataclass(frozen=True)
class AnswerItem:
    """One evaluation question; ``history`` holds the earlier questions, oldest first."""

    id: str
    question: str
    type: str
    gold_passages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    history: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type not in REFUSAL_TYPES


def _as_tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(value) if isinstance(value, list) else (str(value),)


def load_answer_items(path: Path) -> list[AnswerItem]:
    """Read a QA JSONL file. Raises ``ValueError`` naming the line of a bad row."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            item = AnswerItem(
                id=str(row.get("id", number)),
                question=row["question"],
                type=row.get("type") or "fact",
                gold_passages=_as_tuple(row.get("gold_passage")),
                sources=_as_tuple(row.get("source")),
                history=_as_tuple(row.get("history")),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name} line {number}: not a QA row ({exc})") from exc
        if item.answerable and not item.gold_passages:
            raise ValueError(f"{path.name} line {number}: an answerable row needs gold_passage")
        items.append(item)
    return items


def _chars(text: str) -> str:
    # the answer is shown normalised (七个 → 7个, GB/T 15835): the gold is read the same way
    text = unicodedata.normalize("NFKC", normalize_text(text))
    return "".join(ch for ch in text if ch.isalnum())


def gold_coverage(answer: str, gold: str) -> float:
    """Share of ``gold``'s characters (letters and digits, NFKC) that ``answer``
    holds in the same order: the longest common subsequence over ``len(gold)``."""
    g, a = _chars(gold), _chars(answer)
    if not g:
        return 1.0
    if g in a:
        return 1.0
    previous = [0] * (len(a) + 1)
    for gc in g:
        current = [0]
        for j, ac in enumerate(a, start=1):
            current.append(previous[j - 1] + 1 if gc == ac else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1] / len(g)


@dataclass(frozen=True)
class AnswerOutcome:
    """How one row was answered."""

    id: str
    type: str
    question: str
    refused: bool
    text: str
    coverage: float  # lowest coverage over the row's gold passages (1.0 when none)
    citation_precision: float | None
    latency_s: float
    rewritten_query: str | None = None

    @property
    def correct(self) -> bool:
        if self.type in REFUSAL_TYPES:
            return self.refused
        return not self.refused and self.coverage >= GOLD_COVERAGE


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class AnswerEvalReport:
    """Outcomes of one run and their metrics, per question type and overall."""

    outcomes: list[AnswerOutcome] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def _metrics(self, rows: Sequence[AnswerOutcome]) -> dict[str, Any]:
        answerable = [r for r in rows if r.type not in REFUSAL_TYPES]
        refusable = [r for r in rows if r.type in REFUSAL_TYPES]
        answered = [r for r in answerable if not r.refused]
        precisions = [r.citation_precision for r in answered if r.citation_precision is not None]
        latencies = [r.latency_s for r in rows]
        metrics: dict[str, Any] = {"count": len(rows)}
        if answerable:
            metrics["gold_contained"] = sum(
                r.coverage >= GOLD_COVERAGE and not r.refused for r in answerable
            ) / len(answerable)
            metrics["wrongly_refused"] = sum(r.refused for r in answerable) / len(answerable)
            metrics["mean_coverage"] = statistics.fmean(
                0.0 if r.refused else r.coverage for r in answerable
            )
            metrics["citation_precision"] = statistics.fmean(precisions) if precisions else None
        if refusable:
            metrics["refused"] = sum(r.refused for r in refusable) / len(refusable)
            metrics["answered_instead"] = sum(not r.refused for r in refusable)
        metrics["latency_p50_ms"] = round(1000 * _percentile(latencies, 0.5), 1)
        metrics["latency_p95_ms"] = round(1000 * _percentile(latencies, 0.95), 1)
        return metrics

    def by_type(self) -> dict[str, dict[str, Any]]:
        types = sorted({r.type for r in self.outcomes})
        return {t: self._metrics([r for r in self.outcomes if r.type == t]) for t in types}

    def overall(self) -> dict[str, Any]:
        return self._metrics(self.outcomes)

    def failures(self) -> list[AnswerOutcome]:
        return [r for r in self.outcomes if not r.correct]

    def to_dict(self) -> dict[str, Any]:
        return {
            "info": self.info,
            "overall": self.overall(),
            "by_type": self.by_type(),
            "rows": [
                {
                    "id": r.id,
                    "type": r.type,
                    "question": r.question,
                    "rewritten_query": r.rewritten_query,
                    "refused": r.refused,
                    "coverage": round(r.coverage, 3),
                    "citation_precision": r.citation_precision,
                    "correct": r.correct,
                    "latency_ms": round(1000 * r.latency_s, 1),
                    "text": r.text,
                }
                for r in self.outcomes
            ],
        }


def _citation_precision(answer: Answer, golds: Sequence[str]) -> float | None:
    if not answer.citations:
        return None
    good = sum(
        any(gold_coverage(c.excerpt, g) >= GOLD_COVERAGE for g in golds) for c in answer.citations
    )
    return good / len(answer.citations)


def evaluate_answers(
    items: Sequence[AnswerItem],
    answer: AnswerFn,
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> AnswerEvalReport:
    """Answer every item with ``answer(question, history)`` and measure the answers."""
    report = AnswerEvalReport()
    for item in items:
        started = clock()
        result = answer(item.question, item.history)
        elapsed = clock() - started
        coverage = (
            min(gold_coverage(result.text, g) for g in item.gold_passages)
            if item.gold_passages
            else 1.0
        )
        report.outcomes.append(
            AnswerOutcome(
                id=item.id,
                type=item.type,
                question=item.question,
                refused=result.refused,
                text=result.text,
                coverage=coverage,
                citation_precision=(
                    _citation_precision(result, item.gold_passages)
                    if item.answerable and not result.refused
                    else None
                ),
                latency_s=elapsed,
                rewritten_query=result.rewritten_query,
            )
        )
    return report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def format_answer_report(report: AnswerEvalReport, *, title: str) -> str:
    """A plain-text table: one line per question type, then the overall line."""
    lines = [
        title,
        f"{'type':<14}{'n':>4}{'gold≥0.9':>10}{'wrong ref.':>12}{'refused':>9}"
        f"{'cit.prec':>10}{'p50 ms':>9}{'p95 ms':>9}",
    ]
    rows = [*report.by_type().items(), ("all", report.overall())]
    for name, m in rows:
        lines.append(
            f"{name:<14}{m['count']:>4}{_pct(m.get('gold_contained')):>10}"
            f"{_pct(m.get('wrongly_refused')):>12}{_pct(m.get('refused')):>9}"
            f"{_pct(m.get('citation_precision')):>10}"
            f"{m['latency_p50_ms']:>9.0f}{m['latency_p95_ms']:>9.0f}"
        )
    return "\n".join(lines)
