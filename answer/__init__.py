"""Cited chat answers: follow-up rewriting, generators behind one interface, citations.

Sits between retrieval and drafting: ``server → drafting → answer → retrieval → ingest``.
"""

from answer.answerability import QuestionFocus, analyse_question, enforce
from answer.chat import answer_question, rewrite_follow_up, stream_answer
from answer.citations import attach_citations, build_citation
from answer.evaluate import AnswerEvalReport, AnswerItem, evaluate_answers, load_answer_items
from answer.extractive import REFUSAL_THRESHOLD, ExtractiveGenerator, assess_evidence
from answer.generator import (
    REFUSAL_TEXT,
    GenerationError,
    Generator,
    cited_text,
)
from answer.openai_generator import OpenAIChatGenerator
from answer.sentence_vectors import SentenceVectorCache
from answer.types import Answer, AnswerSentence, Citation

__all__ = [
    "Answer",
    "AnswerEvalReport",
    "AnswerItem",
    "QuestionFocus",
    "SentenceVectorCache",
    "analyse_question",
    "enforce",
    "evaluate_answers",
    "load_answer_items",
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
