"""Official-format drafts from retrieved evidence: compose, fact-check, render."""

from drafting.compose import SectionRewriter, compose_draft, format_chinese_date
from drafting.doctypes import (
    DOCUMENT_TYPES,
    DocumentType,
    SectionSpec,
    Theme,
    UnknownDocumentTypeError,
    resolve_doc_type,
)
from drafting.docx_render import render_docx
from drafting.pdf import PdfConversionError, SofficeMissingError, convert_to_pdf
from drafting.periods import Period, PeriodError, parse_period
from drafting.template_fill import TemplateError, fill_template, template_placeholders
from drafting.types import Draft, DraftParagraph, DraftRequest, DraftSection

__all__ = [
    "Draft",
    "DraftParagraph",
    "DraftRequest",
    "DraftSection",
    "DOCUMENT_TYPES",
    "DocumentType",
    "PdfConversionError",
    "Period",
    "PeriodError",
    "SectionRewriter",
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
