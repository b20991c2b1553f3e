"""Errors of the retrieval side that callers handle by kind."""

from __future__ import annotations

__all__ = [
    "KnowledgeBaseBusyError",
    "KnowledgeBaseError",
    "KnowledgeBaseExistsError",
    "KnowledgeBaseNameError",
    "UnknownKnowledgeBaseError",
]


class KnowledgeBaseError(Exception):
    """Root of the named-knowledge-base errors; the message is shown to the user."""


class KnowledgeBaseNameError(KnowledgeBaseError, ValueError):
    """A knowledge base name or title that is not allowed (``/``, ``..``, too long …)."""


class KnowledgeBaseExistsError(KnowledgeBaseError, ValueError):
    """Creating a knowledge base under a name that is taken."""


class UnknownKnowledgeBaseError(KnowledgeBaseError, LookupError):
    """A knowledge base name that is not registered."""


class KnowledgeBaseBusyError(KnowledgeBaseError, RuntimeError):
    """Deleting a knowledge base that a running job writes to."""
