"""Errors of the retrieval side that callers handle by kind (see ``textcore.errors`` for the
whole tree)."""

from __future__ import annotations

from textcore.errors import InvalidRequestError, KbError

__all__ = [
    "KnowledgeBaseBusyError",
    "KnowledgeBaseError",
    "KnowledgeBaseExistsError",
    "KnowledgeBaseNameError",
    "SearchRequestError",
    "UnknownKnowledgeBaseError",
]


class SearchRequestError(InvalidRequestError):
    """The query is empty, ``k`` is below 1 or the search mode is unknown."""


class KnowledgeBaseError(KbError):
    """Root of the named-knowledge-base errors; the message is shown to the user."""


class KnowledgeBaseNameError(KnowledgeBaseError, InvalidRequestError):
    """A knowledge base name or title that is not allowed (``/``, ``..``, too long …)."""


class KnowledgeBaseExistsError(KnowledgeBaseError, InvalidRequestError):
    """Creating a knowledge base under a name that is taken."""


class UnknownKnowledgeBaseError(KnowledgeBaseError, InvalidRequestError, LookupError):
    """A knowledge base name that is not registered."""


class KnowledgeBaseBusyError(KnowledgeBaseError, InvalidRequestError):
    """Deleting a knowledge base that a running job writes to."""
