"""The seam between evidence and answer: the ``Generator`` protocol and the stream events.

A generator turns a question and its retrieved hits into a cited ``Answer``. Two
implementations exist: ``ExtractiveGenerator`` (picks source sentences, no LLM)
and ``OpenAIChatGenerator`` (any OpenAI-compatible chat endpoint, checked against
the passages afterwards).

Streaming yields plain, JSON-ready dicts, in this order::

    {"type": "delta", "text": "…"}          # zero or more, as text arrives
    {"type": "citations", **answer_to_dict(answer)}   # the checked answer, once
    {"type": "done"}

The ``citations`` event's ``text`` is authoritative: the checked answer may differ
from the streamed deltas (citations re-attached, or, when the endpoint failed
mid-answer, the fallback's answer after a notice delta). ``stream_answer`` adds
``{"type": "error", "message": "…"}`` (then nothing more) when retrieval fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any, Protocol, runtime_checkable

from answer.types import Answer, AnswerSentence
from retrieval.types import Hit

__all__ = [
    "REFUSAL_TEXT",
    "GenerationError",
    "Generator",
    "answer_to_dict",
    "cited_text",
    "refusal",
]

REFUSAL_TEXT = "知识库中没有找到相关内容。"


class GenerationError(RuntimeError):
    """The generator could not produce an answer and had nothing to fall back on."""


@runtime_checkable
class Generator(Protocol):
    """Writes a cited answer from retrieved hits. ``history`` is earlier
    ``(question, answer)`` pairs of the conversation, oldest first."""

    @property
    def name(self) -> str: ...

    def generate(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Answer: ...

    def stream(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Iterator[dict[str, Any]]: ...


def refusal(
    question: str,
    *,
    generator: str,
    warnings: Sequence[str] = (),
    rewritten_query: str | None = None,
) -> Answer:
    """The answer given when the knowledge base holds nothing that answers ``question``."""
    return Answer(
        question=question,
        sentences=(AnswerSentence(REFUSAL_TEXT),),
        citations=(),
        refused=True,
        generator=generator,
        warnings=tuple(warnings),
        rewritten_query=rewritten_query,
    )


_CLOSING_PUNCT = "。！？!?；;…"


def _with_markers(sentence: AnswerSentence) -> str:
    """``……32人[1]。``: markers go before the sentence's closing punctuation."""
    if not sentence.citations:
        return sentence.text
    markers = "".join(f"[{n}]" for n in sentence.citations)
    text = sentence.text
    end = len(text.rstrip(_CLOSING_PUNCT))
    return text[:end] + markers + text[end:]


def cited_text(answer: Answer) -> str:
    """The answer as one string with its ``[n]`` citation markers."""
    return "".join(_with_markers(s) for s in answer.sentences)


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """A JSON-ready view of an answer (the stream's ``citations`` event carries it)."""
    return {
        "question": answer.question,
        "text": cited_text(answer),
        "plain_text": answer.text,
        "sentences": [{"text": s.text, "citations": list(s.citations)} for s in answer.sentences],
        "citations": [
            {**asdict(c), "heading_path": list(c.heading_path), "label": c.label}
            for c in answer.citations
        ],
        "refused": answer.refused,
        "generator": answer.generator,
        "issues": [asdict(i) for i in answer.issues],
        "rewritten_query": answer.rewritten_query,
        "warnings": list(answer.warnings),
        "related": [
            {**asdict(c), "heading_path": list(c.heading_path), "label": c.label}
            for c in answer.related
        ],
    }


def stream_events(answer: Answer) -> Iterator[dict[str, Any]]:
    """Stream an already complete answer: one delta per sentence, then citations, done."""
    for sentence in answer.sentences:
        yield {"type": "delta", "text": _with_markers(sentence)}
    yield {"type": "citations", **answer_to_dict(answer)}
    yield {"type": "done"}
