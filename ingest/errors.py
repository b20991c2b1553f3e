"""Why a file could not be ingested. Every loader failure is one of these."""

from __future__ import annotations

from textcore.errors import InvalidRequestError, KbError, ServiceFailureError


class IngestError(KbError):
    """A file could not be turned into a document; the message says why."""


class UnsupportedFormatError(IngestError, InvalidRequestError):
    """The file's type is not one we read (reported, never guessed)."""


class CorruptFileError(IngestError, InvalidRequestError):
    """The file claims a format but its content is damaged or not that format."""


class EmptyDocumentError(IngestError, InvalidRequestError):
    """The file was read but holds no usable text (e.g. a scanned PDF)."""


class FileTooLargeError(IngestError, InvalidRequestError):
    """The file, or a part of it once decompressed, is over the size limit."""


class ConverterMissingError(IngestError, ServiceFailureError):
    """An external converter (LibreOffice, antiword) needed for this type is not installed."""
