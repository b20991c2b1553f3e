"""The root of every error the packages raise on purpose.

It lives at the bottom of the stack so that every layer can subclass it::

    KbError
    ├── InvalidRequestError   the caller asked for something unusable: an unknown
    │   │                     document type, a period that cannot be read, a bad
    │   │                     template, an empty query, a file we do not read …
    │   ├── ingest: UnsupportedFormatError, CorruptFileError, EmptyDocumentError,
    │   │           FileTooLargeError
    │   ├── retrieval: SearchRequestError
    │   └── drafting: UnknownDocumentTypeError, PeriodError, TemplateError
    └── ServiceFailureError   a part we depend on failed; the request may work later
        ├── ingest: ConverterMissingError, ConversionError (LibreOffice)
        ├── retrieval: EmbeddingServiceError, ModelPreparationError
        ├── answer: GenerationError
        └── drafting: PdfConversionError

Callers at the edge (``server/errors.py`` for HTTP, the ``kb`` CLI) map these by
class in one place; code in between never needs ``except ValueError``.

``InvalidRequestError`` is also a ``ValueError`` and ``ServiceFailureError`` a
``RuntimeError``, so code written against the builtin kinds keeps working.
"""

from __future__ import annotations

__all__ = ["InvalidRequestError", "KbError", "ServiceFailureError"]


class KbError(Exception):
    """Any failure this project raises on purpose; the message is written for a person."""


class InvalidRequestError(KbError, ValueError):
    """The request cannot be served as asked; asking differently would work."""


class ServiceFailureError(KbError, RuntimeError):
    """A part the request depends on failed (a converter, a model, an endpoint)."""
