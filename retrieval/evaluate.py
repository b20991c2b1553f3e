"""Retrieval evaluation: a QA set over the knowledge base, and the CMRC 2018
paragraph-retrieval benchmark. Metrics: Recall@1/5/10 and MRR@10 per retriever
mode (and per question type for the QA set)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.types import DocumentMetadata, SourceDocument
from retrieval.types import Hit, Searcher
from textcore.errors import InvalidRequestError

log = logging.getLogger(__name__)

RECALL_AT = (1, 5, 10)
DEFAULT_EVAL_MODES = ("bm25", "dense", "hybrid")
# Share of the gold passage's characters a chunk must cover (as one contiguous
# run) to count as a hit: a gold passage cut by a chunk boundary still counts.
MIN_OVERLAP = 0.5

# NFKC folds full-width ASCII forms; these are the punctuation marks it leaves alone.
_PUNCT_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "、": ",",
        "。": ".",
        "﹐": ",",
        "—": "-",
        "–": "-",
        "·": ".",
        "・": ".",
    }
)


@dataclass(frozen=True)
class QAItem:
    """One evaluation question. ``sources`` and ``gold_passages`` are parallel
    when they have the same length (a cross-document question has several)."""

    id: str
    question: str
    answer: str
    sources: tuple[str, ...]
    gold_passages: tuple[str, ...]
    type: str = "fact"


@dataclass(frozen=True)
class Metrics:
    """Mean Recall@k (fraction of golds in the top k) and MRR@10 over ``count`` questions."""

    count: int
    recall: dict[int, float]
    mrr: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            **{f"recall@{k}": round(v, 4) for k, v in self.recall.items()},
            "mrr@10": round(self.mrr, 4),
        }


@dataclass(frozen=True)
class QuestionResult:
    """How one question fared under one mode: per-cutoff recall and the rank of the first gold."""

    id: str
    type: str
    recall: dict[int, float]
    first_rank: int | None


@dataclass
class EvalReport:
    """Metrics per mode (and per question type), plus per-question detail."""

    by_mode: dict[str, Metrics] = field(default_factory=dict)
    by_type: dict[str, dict[str, Metrics]] = field(default_factory=dict)
    questions: dict[str, list[QuestionResult]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def misses(self, mode: str, *, k: int = 10) -> list[str]:
        """Ids of the questions whose golds were not all found in the top ``k``."""
        return [q.id for q in self.questions.get(mode, []) if q.recall.get(k, 0.0) < 1.0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "info": self.info,
            "by_mode": {mode: m.to_dict() for mode, m in self.by_mode.items()},
            "by_type": {
                mode: {t: m.to_dict() for t, m in types.items()}
                for mode, types in self.by_type.items()
            },
            "misses@10": {mode: self.misses(mode) for mode in self.questions},
        }


def normalize_text(text: str) -> str:
    """Fold width and punctuation variants and drop all whitespace, so a gold
    passage written with half-width commas still matches the source."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)
    return "".join(folded.split())


def _longest_common_substring(a: str, b: str) -> int:
    if not a or not b:
        return 0
    best = 0
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best = current[j]
        previous = current
    return best


def passage_matches(chunk_text: str, gold: str, *, min_overlap: float = MIN_OVERLAP) -> bool:
    """True when the chunk contains the gold passage (after ``normalize_text``) or
    shares a contiguous run of at least ``min_overlap`` of its characters."""
    chunk_n, gold_n = normalize_text(chunk_text), normalize_text(gold)
    if not gold_n:
        return False
    if gold_n in chunk_n:
        return True
    return _longest_common_substring(gold_n, chunk_n) >= min_overlap * len(gold_n)


def load_qa(path: Path) -> list[QAItem]:
    """Read a QA JSONL file (fields id, question, answer, source, gold_passage, type)."""
    items = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                sources = raw["source"]
                golds = raw["gold_passage"]
                items.append(
                    QAItem(
                        id=str(raw.get("id", line_no)),
                        question=raw["question"],
                        answer=raw.get("answer", ""),
                        sources=tuple([sources] if isinstance(sources, str) else sources),
                        gold_passages=tuple([golds] if isinstance(golds, str) else golds),
                        type=raw.get("type", "fact"),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                msg = f"{path.name} line {line_no}: not a QA record ({exc})"
                raise InvalidRequestError(msg) from exc
    return items


def _source_matches(hit: Hit, source: str) -> bool:
    name = os.path.basename(source)
    return name in (os.path.basename(hit.source_key), hit.doc_id)


def _golds_of(item: QAItem) -> list[tuple[str, tuple[str, ...]]]:
    """Each gold passage with the source(s) it may come from."""
    if len(item.sources) == len(item.gold_passages):
        return [(g, (s,)) for g, s in zip(item.gold_passages, item.sources, strict=True)]
    return [(g, item.sources) for g in item.gold_passages]


def score_hits(
    hits: Sequence[Hit], golds: Sequence[tuple[str, tuple[str, ...]]]
) -> tuple[dict[int, float], int | None]:
    """Per-cutoff recall and the 1-based rank of the first hit matching any gold."""
    found_at: list[int | None] = []
    for gold, sources in golds:
        rank = next(
            (
                r
                for r, hit in enumerate(hits, start=1)
                if (not sources or any(_source_matches(hit, s) for s in sources))
                and passage_matches(hit.text, gold)
            ),
            None,
        )
        found_at.append(rank)
    recall = {
        k: sum(1 for r in found_at if r is not None and r <= k) / len(golds) if golds else 0.0
        for k in RECALL_AT
    }
    ranks = [r for r in found_at if r is not None]
    return recall, (min(ranks) if ranks else None)


def _aggregate(results: Sequence[QuestionResult]) -> Metrics:
    n = len(results)
    if n == 0:
        return Metrics(0, {k: 0.0 for k in RECALL_AT}, 0.0)
    recall = {k: sum(r.recall[k] for r in results) / n for k in RECALL_AT}
    mrr = sum(1.0 / r.first_rank for r in results if r.first_rank and r.first_rank <= 10) / n
    return Metrics(n, recall, mrr)


def _report(per_mode: dict[str, list[QuestionResult]], info: dict[str, Any]) -> EvalReport:
    report = EvalReport(questions=per_mode, info=info)
    for mode, results in per_mode.items():
        report.by_mode[mode] = _aggregate(results)
        types = sorted({r.type for r in results})
        report.by_type[mode] = {t: _aggregate([r for r in results if r.type == t]) for t in types}
    return report


def evaluate_qa(
    searcher: Searcher,
    items: Sequence[QAItem],
    *,
    modes: Sequence[str] = DEFAULT_EVAL_MODES,
    k: int = 10,
) -> EvalReport:
    """Search every question in every mode and score the top ``k`` against its golds."""
    per_mode: dict[str, list[QuestionResult]] = {}
    started = time.perf_counter()
    for mode in modes:
        results = []
        for item in items:
            hits = searcher.search(item.question, k=k, mode=mode)
            recall, first = score_hits(hits, _golds_of(item))
            results.append(QuestionResult(item.id, item.type, recall, first))
        per_mode[mode] = results
    info = {"questions": len(items), "k": k, "elapsed_s": round(time.perf_counter() - started, 2)}
    return _report(per_mode, info)


# --- CMRC 2018 -------------------------------------------------------------------


@dataclass(frozen=True)
class CmrcQuestion:
    """A CMRC question and the document (its own paragraph) that answers it."""

    id: str
    question: str
    doc_id: str


def _cmrc_doc_id(paragraph_id: str) -> str:
    return hashlib.sha256(f"cmrc2018:{paragraph_id}".encode()).hexdigest()[:16]


def load_cmrc(
    path: Path, *, limit: int | None = None
) -> tuple[list[SourceDocument], list[CmrcQuestion]]:
    """Turn a SQuAD-style CMRC file into one document per paragraph and its questions.

    ``limit`` keeps the first ``limit`` paragraphs (and their questions)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    docs: list[SourceDocument] = []
    questions: list[CmrcQuestion] = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            if limit is not None and len(docs) >= limit:
                return docs, questions
            pid = str(paragraph.get("id") or f"{article.get('id')}-{len(docs)}")
            doc_id = _cmrc_doc_id(pid)
            text = paragraph["context"]
            docs.append(
                SourceDocument(
                    doc_id=doc_id,
                    source_key=f"cmrc2018/{pid}",
                    text=text,
                    content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    metadata=DocumentMetadata(title=article.get("title") or pid),
                )
            )
            questions.extend(
                CmrcQuestion(id=qa["id"], question=qa["question"], doc_id=doc_id)
                for qa in paragraph["qas"]
                if qa["question"].strip()
            )
    return docs, questions


def evaluate_cmrc(
    searcher: Searcher,
    questions: Sequence[CmrcQuestion],
    *,
    modes: Sequence[str] = DEFAULT_EVAL_MODES,
    k: int = 10,
    progress: Callable[[str, int], None] | None = None,
) -> EvalReport:
    """Paragraph retrieval: a question is answered at the rank of the first hit
    from its own paragraph (documents ranked by their best chunk)."""
    per_mode: dict[str, list[QuestionResult]] = {}
    started = time.perf_counter()
    for mode in modes:
        results = []
        for n, q in enumerate(questions, start=1):
            hits = searcher.search(q.question, k=k, mode=mode)
            docs = list(dict.fromkeys(h.doc_id for h in hits))
            rank = docs.index(q.doc_id) + 1 if q.doc_id in docs else None
            recall = {cut: 1.0 if rank is not None and rank <= cut else 0.0 for cut in RECALL_AT}
            results.append(QuestionResult(q.id, "cmrc", recall, rank))
            if progress is not None:
                progress(mode, n)
        per_mode[mode] = results
    info = {
        "questions": len(questions),
        "k": k,
        "elapsed_s": round(time.perf_counter() - started, 2),
    }
    return _report(per_mode, info)


def format_report(report: EvalReport, *, title: str = "") -> str:
    """A Markdown table of the per-mode metrics (and per type when there is more than one)."""
    lines = [f"### {title}", ""] if title else []
    lines += ["| mode | type | n | R@1 | R@5 | R@10 | MRR@10 |", "|---|---|---|---|---|---|---|"]

    def row(mode: str, kind: str, m: Metrics) -> str:
        r = m.recall
        return (
            f"| {mode} | {kind} | {m.count} | {r[1]:.3f} | {r[5]:.3f} | {r[10]:.3f} | {m.mrr:.3f} |"
        )

    for mode, metrics in report.by_mode.items():
        lines.append(row(mode, "all", metrics))
        types = report.by_type.get(mode, {})
        if len(types) > 1:
            lines.extend(row(mode, t, m) for t, m in types.items())
    return "\n".join(lines)


def index_cmrc(
    docs: Sequence[SourceDocument],
    *,
    data_dir: Path,
    embedder: Any,
    chunk_size: int = 1000,
    chunk_overlap: int = 60,
) -> Any:
    """Index CMRC paragraphs into a fresh ``KnowledgeBase`` under ``data_dir``.

    The default ``chunk_size`` keeps every CMRC paragraph (under 1,000
    characters) in one chunk, so a hit is a paragraph."""
    from retrieval import KnowledgeBase  # the index lives above this module

    kb = KnowledgeBase.open(
        data_dir=data_dir,
        embedder=embedder,
        collection="cmrc2018",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
    )
    report = kb.index_documents(docs)
    log.info("indexed %d CMRC paragraphs as %d chunks", len(docs), report.chunks)
    return kb
