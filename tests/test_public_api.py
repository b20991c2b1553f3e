"""Each package's public names, pinned: a change to them is a decision, made here too.

Names are what ``__init__.py`` re-exports in ``__all__``; everything else is private.
(httpx's tests/test_exported_members.py does the same.)
"""

from __future__ import annotations

import importlib

import pytest

PUBLIC_NAMES: dict[str, set[str]] = {
    "textcore": {
        "check_facts",
        "extract_facts",
        "Fact",
        "FactIssue",
        "InvalidRequestError",
        "KbError",
        "named_units",
        "ServiceFailureError",
    },
    "ingest": {
        "Chunk",
        "chunk_document",
        "clean_html",
        "clean_text",
        "convert_with_soffice",
        "ConverterMissingError",
        "CorruptFileError",
        "decode_text",
        "DocumentMetadata",
        "EmptyDocumentError",
        "extract_metadata",
        "file_sha256",
        "FileTooLargeError",
        "find_regions",
        "find_soffice",
        "IngestError",
        "iter_files",
        "load_bytes",
        "make_doc_id",
        "max_chunk_length",
        "read_document",
        "SofficeError",
        "SofficeFailedError",
        "SofficeMissingError",
        "SofficeTimeoutError",
        "SourceDocument",
        "split_sentences",
        "SUPPORTED_SUFFIXES",
        "UnsupportedFormatError",
    },
    "retrieval": {
        "BM25Index",
        "Catalog",
        "CheckReport",
        "ChromaVectorStore",
        "CmrcQuestion",
        "DEFAULT_EVAL_MODES",
        "DocumentRecord",
        "Embedder",
        "EmbeddingServiceError",
        "EvalReport",
        "evaluate_cmrc",
        "evaluate_qa",
        "FileOutcome",
        "format_report",
        "fuse_rrf",
        "Hit",
        "IdentityReranker",
        "index_cmrc",
        "indexed_text",
        "IngestProgress",
        "IngestReport",
        "KeywordIndex",
        "KnowledgeBase",
        "KnowledgeBaseRetriever",
        "load_cmrc",
        "load_qa",
        "Metrics",
        "ModelPreparationError",
        "OpenAIEmbedder",
        "prepare_e5_model",
        "QAItem",
        "Reranker",
        "SEARCH_MODES",
        "Searcher",
        "SearchFilters",
        "SearchRequestError",
        "SentenceTransformerEmbedder",
        "StoredChunk",
        "tokenize_for_index",
        "VectorStore",
        "VerificationReport",
    },
    "answer": {
        "Answer",
        "answer_question",
        "AnswerSentence",
        "assess_evidence",
        "attach_citations",
        "build_citation",
        "Citation",
        "cited_text",
        "ExtractiveGenerator",
        "GenerationError",
        "Generator",
        "OpenAIChatGenerator",
        "REFUSAL_TEXT",
        "REFUSAL_THRESHOLD",
        "rewrite_follow_up",
        "stream_answer",
    },
    "drafting": {
        "compose_draft",
        "convert_to_pdf",
        "DOCUMENT_TYPES",
        "DocumentType",
        "Draft",
        "DraftParagraph",
        "DraftRequest",
        "DraftSection",
        "fill_template",
        "format_chinese_date",
        "parse_period",
        "PdfConversionError",
        "Period",
        "PeriodError",
        "render_docx",
        "resolve_doc_type",
        "SectionSpec",
        "SofficeMissingError",
        "template_placeholders",
        "TemplateError",
        "Theme",
        "UnknownDocumentTypeError",
    },
    "server": {
        "create_app",
        "Services",
        "Settings",
    },
}


@pytest.mark.parametrize("package", sorted(PUBLIC_NAMES))
def test_public_names_are_pinned(package: str) -> None:
    module = importlib.import_module(package)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), "a name is listed twice in __all__"
    assert set(exported) == PUBLIC_NAMES[package]


@pytest.mark.parametrize("package", sorted(PUBLIC_NAMES))
def test_every_public_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert not missing
