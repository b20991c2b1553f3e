"""Files in, clean documents and chunks out. Knows nothing of stores or HTTP."""

from ingest.errors import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from ingest.types import Chunk, DocumentMetadata, SourceDocument

__all__ = [
    "Chunk",
    "ConverterMissingError",
    "CorruptFileError",
    "DocumentMetadata",
    "EmptyDocumentError",
    "FileTooLargeError",
    "IngestError",
    "SourceDocument",
    "UnsupportedFormatError",
]
