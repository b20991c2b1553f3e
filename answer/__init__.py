"""Cited chat answers: follow-up rewriting, generators behind one interface, citations.

Sits between retrieval and drafting: ``server → drafting → answer → retrieval → ingest``.
"""

from answer.chat import answer_question, rewrite_follow_up, stream_answer
from answer.citations import attach_citations, build_citation
from answer.extractive import REFUSAL_THRESHOLD, ExtractiveGenerator, assess_evidence
from answer.generator import (
    REFUSAL_TEXT,
    GenerationError,
    Generator,
    cited_text,
)
from answer.openai_generator import OpenAIChatGenerator
from answer.types import Answer, AnswerSentence, Citation

__all__ = [
    "Answer",
    "AnswerSentence",
    "Citation",
    "ExtractiveGenerator",
    "GenerationError",
    "Generator",
    "OpenAIChatGenerator",
    "REFUSAL_TEXT",
    "REFUSAL_THRESHOLD",
    "answer_question",
    "assess_evidence",
    "attach_citations",
    "build_citation",
    "cited_text",
    "rewrite_follow_up",
    "stream_answer",
]
