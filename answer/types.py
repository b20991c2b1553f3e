"""Data that answering hands up: answers, their sentences and citations."""

from __future__ import annotations

from dataclasses import dataclass

from textcore.facts import FactIssue

__all__ = ["Answer", "AnswerSentence", "Citation"]


@dataclass(frozen=True)
class Citation:
    """Where a sentence came from: a numbered pointer to a chunk's passage."""

    number: int
    chunk_id: str
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    excerpt: str
    start: int
    end: int
    date: str | None = None
    source_key: str = ""
    ocr: bool = False  # the passage was recognised from a scan: check it against the original
    article: str = ""

    @property
    def label(self) -> str:
        """How the citation reads: 《title》第X条 for an article of a statute, else the title."""
        return f"《{self.title}》{self.article}" if self.article else self.title


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence of an answer and the citation numbers that support it."""

    text: str
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A cited answer, or a refusal (``refused=True``) when the corpus has nothing.

    ``fell_back`` is set when the generator asked for it could not answer (its
    endpoint timed out or failed) and its extractive fallback wrote this answer
    instead; ``warnings`` then says why, and ``notice`` is the one line to show
    above the answer (“（语言模型未在时限内作答，以下为摘录式回答）”).
    """

    question: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Citation, ...]
    refused: bool = False
    generator: str = "extractive"
    issues: tuple[FactIssue, ...] = ()
    rewritten_query: str | None = None
    warnings: tuple[str, ...] = ()
    fell_back: bool = False
    notice: str = ""
    # The nearest passages when the answer is a refusal: offered to read, never as the answer.
    related: tuple[Citation, ...] = ()
    # What the parts of the question the answer refuses on their own were looking for.
    unanswered: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)
