"""The seam between evidence and answer: the ``Generator`` protocol and the stream events.

A generator turns a question and its retrieved hits into a cited ``Answer``. Two
implementations exist: ``ExtractiveGenerator`` (picks source sentences, no LLM)
and ``OpenAIChatGenerator`` (any OpenAI-compatible chat endpoint, checked against
the passages afterwards).

Streaming yields plain dicts, in this order::

    {"type": "delta", "text": "…"}              # zero or more, as text arrives
    {"type": "citations", "answer": Answer}     # the checked answer, once
    {"type": "done"}

The ``citations`` event's answer is authoritative: the checked answer may differ
from the streamed deltas (citations re-attached, or, when the endpoint failed or
its answer failed the checks, the fallback's answer after a notice delta; the
answer then has ``fell_back`` and the same ``notice``). ``stream_answer`` adds
``{"type": "error", "message": "…"}`` (then nothing more) when retrieval fails.
The wire format of answers and events belongs to the server (``server/schemas.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from answer.types import Answer, AnswerSentence
from retrieval.types import Hit
from textcore import LIST_NUMBERINGS, SENTENCE_FINAL, Numbering, heading_mark
from textcore.errors import ServiceFailureError

__all__ = [
    "REFUSAL_TEXT",
    "GenerationError",
    "Generator",
    "cited_text",
    "refusal",
]

REFUSAL_TEXT = "知识库中没有找到相关内容。"


class GenerationError(ServiceFailureError):
    """The generator could not produce an answer and had nothing to fall back on."""


@runtime_checkable
class Generator(Protocol):
    """Writes a cited answer from retrieved hits. ``history`` is earlier
    ``(question, answer)`` pairs of the conversation, oldest first.

    ``extractive`` is true for a generator whose answers are the sources' own
    sentences (nothing reworded): drafting, already extractive, then has nothing
    to ask it. A generator that writes its own wording (an LLM) says false, and
    marks an answer its fallback wrote with ``Answer.fell_back``.
    """

    @property
    def name(self) -> str: ...

    @property
    def extractive(self) -> bool: ...

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


def _with_markers(sentence: AnswerSentence) -> str:
    """``……32人[1]。``: markers go before the sentence's closing punctuation."""
    if not sentence.citations:
        return sentence.text
    markers = "".join(f"[{n}]" for n in sentence.citations)
    text = sentence.text
    end = len(text.rstrip(SENTENCE_FINAL))
    return text[:end] + markers + text[end:]


def cited_text(answer: Answer) -> str:
    """The answer as one string with its ``[n]`` citation markers; an article or a
    list item (第十二条…, （一）…) starts a line of its own, as in the statute."""
    return "".join(_pieces(answer))


def _pieces(answer: Answer) -> list[str]:
    """Each sentence with its markers, after a line break when it opens a block."""
    return [
        ("\n" if i and _opens_block(s.text) else "") + _with_markers(s)
        for i, s in enumerate(answer.sentences)
    ]


def _opens_block(text: str) -> bool:
    # a procedure answer quotes three articles and their items: read as one run-on
    # paragraph, 第十二条 and （二） are lost in the middle of a line
    mark = heading_mark(text)
    return mark is not None and (mark.kind is Numbering.ARTICLE or mark.kind in LIST_NUMBERINGS)


def stream_events(answer: Answer) -> Iterator[dict[str, Any]]:
    """Stream an already complete answer: one delta per sentence, then citations, done."""
    for piece in _pieces(answer):
        yield {"type": "delta", "text": piece}
    yield {"type": "citations", "answer": answer}
    yield {"type": "done"}
