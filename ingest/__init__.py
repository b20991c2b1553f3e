"""Files in, clean documents and chunks out. Knows nothing of stores or HTTP."""

from ingest.chunking import chunk_document, max_chunk_length
from ingest.clean import clean_html, clean_text
from ingest.documents import (
    SUPPORTED_SUFFIXES,
    file_sha256,
    iter_files,
    load_bytes,
    make_doc_id,
    read_document,
)
from ingest.encoding import decode_text
from ingest.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from ingest.metadata import extract_metadata
from ingest.ocr import OcrOptions, OcrResult, ProgressCallback
from ingest.soffice import (
    SofficeError,
    SofficeFailedError,
    SofficeMissingError,
    SofficeTimeoutError,
    convert_with_soffice,
    find_soffice,
)
from ingest.statute import (
    STATUTE_TYPES,
    Article,
    StatuteHeader,
    StatuteStructure,
    is_statute,
    parse_header,
    parse_statute,
    statute_paragraphs,
)
from ingest.types import Chunk, DocumentMetadata, SourceDocument
from textcore import find_regions, split_sentences

__all__ = [
    "STATUTE_TYPES",
    "Article",
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
    "EncryptedFileError",
    "extract_metadata",
    "file_sha256",
    "FileTooLargeError",
    "find_regions",
    "find_soffice",
    "IngestError",
    "is_statute",
    "iter_files",
    "load_bytes",
    "make_doc_id",
    "OcrOptions",
    "OcrResult",
    "ProgressCallback",
    "max_chunk_length",
    "parse_header",
    "parse_statute",
    "read_document",
    "SofficeError",
    "SofficeFailedError",
    "SofficeMissingError",
    "SofficeTimeoutError",
    "SourceDocument",
    "split_sentences",
    "StatuteHeader",
    "StatuteStructure",
    "statute_paragraphs",
    "SUPPORTED_SUFFIXES",
    "UnsupportedFormatError",
]
