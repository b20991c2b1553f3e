"""Cited answers and official-format drafts from retrieved evidence."""

from drafting.factcheck import check_facts
from drafting.types import (
    Answer,
    AnswerSentence,
    Citation,
    Draft,
    DraftParagraph,
    DraftRequest,
    DraftSection,
    FactIssue,
)

__all__ = [
    "Answer",
    "AnswerSentence",
    "Citation",
    "Draft",
    "DraftParagraph",
    "DraftRequest",
    "DraftSection",
    "FactIssue",
    "check_facts",
]
