"""Proofreading of a user's own document: layout (GB/T 9704), structure, punctuation,
wording and figures against the knowledge base, as findings and as Word comments."""

from drafting.proofread.comments import annotate_docx
from drafting.proofread.docx_reader import (
    CorruptDocxError,
    DocumentTooLongError,
    EncryptedDocxError,
    NotDocxError,
    ProofreadInputError,
    read_docx,
)
from drafting.proofread.engine import CHARS_PER_PAGE, document_from_text, proofread
from drafting.proofread.rules import Rule, RuleDataError, load_rules
from drafting.proofread.types import (
    Block,
    BlockRole,
    FigureSource,
    Finding,
    PageLayout,
    ProofDocument,
    ProofreadReport,
    RuleKind,
    Severity,
)

__all__ = [
    "CHARS_PER_PAGE",
    "Block",
    "BlockRole",
    "CorruptDocxError",
    "DocumentTooLongError",
    "EncryptedDocxError",
    "FigureSource",
    "Finding",
    "NotDocxError",
    "PageLayout",
    "ProofDocument",
    "ProofreadInputError",
    "ProofreadReport",
    "Rule",
    "RuleDataError",
    "RuleKind",
    "Severity",
    "annotate_docx",
    "document_from_text",
    "load_rules",
    "proofread",
    "read_docx",
]
