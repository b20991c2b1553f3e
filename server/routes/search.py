"""``POST /search``: hybrid (or dense / BM25) search with metadata filters."""

from __future__ import annotations

from fastapi import APIRouter

from server.deps import SearcherDep
from server.schemas import ErrorResponse, HitOut, SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse, responses={400: {"model": ErrorResponse}})
def search(body: SearchRequest, searcher: SearcherDep) -> SearchResponse:
    """The ``k`` best passages for ``query``, each with its document, heading path and offsets."""
    hits = searcher.search(body.query, k=body.k, filters=body.filters.to_filters(), mode=body.mode)
    return SearchResponse(query=body.query, mode=body.mode, hits=[HitOut.from_hit(h) for h in hits])
