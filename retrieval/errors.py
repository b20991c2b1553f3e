"""Why a search could not run as asked (see ``textcore.errors`` for the whole tree)."""

from __future__ import annotations

from textcore.errors import InvalidRequestError

__all__ = ["SearchRequestError"]


class SearchRequestError(InvalidRequestError):
    """The query is empty, ``k`` is below 1 or the search mode is unknown."""
