"""Why a file could not be ingested. Every loader failure is one of these."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be turned into a document; the message says why."""


class UnsupportedFormatError(IngestError):
    """The file's type is not one we read (reported, never guessed)."""


class CorruptFileError(IngestError):
    """The file claims a format but its content is damaged or not that format."""


class EncryptedFileError(CorruptFileError):
    """The file is password-protected; it must be unlocked before it can be read."""


class EmptyDocumentError(IngestError):
    """The file was read but holds no usable text (e.g. a scanned PDF)."""


class FileTooLargeError(IngestError):
    """The file, or a part of it once decompressed, is over the size limit."""


class ConverterMissingError(IngestError):
    """An external converter (LibreOffice, antiword) needed for this type is not installed."""
