"""Cited answers and official-format drafts from retrieved evidence."""

from drafting.answer import answer_question, rewrite_follow_up, stream_answer
from drafting.citations import attach_citations, build_citation
from drafting.compose import compose_draft, format_chinese_date
from drafting.doctypes import (
    DOCUMENT_TYPES,
    DocumentType,
    SectionSpec,
    Theme,
    UnknownDocumentTypeError,
    resolve_doc_type,
)
from drafting.docx_render import render_docx
from drafting.extractive import REFUSAL_THRESHOLD, ExtractiveGenerator, assess_evidence
from drafting.factcheck import check_facts, named_units
from drafting.generator import (
    REFUSAL_TEXT,
    GenerationError,
    Generator,
    answer_to_dict,
    cited_text,
)
from drafting.openai_generator import OpenAIChatGenerator
from drafting.pdf import PdfConversionError, SofficeMissingError, convert_to_pdf
from drafting.periods import Period, PeriodError, parse_period
from drafting.template_fill import TemplateError, fill_template, template_placeholders
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
    "named_units",
    "REFUSAL_TEXT",
    "REFUSAL_THRESHOLD",
    "ExtractiveGenerator",
    "GenerationError",
    "Generator",
    "OpenAIChatGenerator",
    "answer_question",
    "answer_to_dict",
    "assess_evidence",
    "attach_citations",
    "build_citation",
    "cited_text",
    "rewrite_follow_up",
    "stream_answer",
    "DOCUMENT_TYPES",
    "DocumentType",
    "PdfConversionError",
    "Period",
    "PeriodError",
    "SectionSpec",
    "SofficeMissingError",
    "TemplateError",
    "Theme",
    "UnknownDocumentTypeError",
    "compose_draft",
    "convert_to_pdf",
    "fill_template",
    "format_chinese_date",
    "parse_period",
    "render_docx",
    "resolve_doc_type",
    "template_placeholders",
]
