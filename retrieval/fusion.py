"""Reciprocal-rank fusion: merge several rankings of the same items into one. Pure."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)


def fuse_rrf(
    rankings: Mapping[str, Sequence[Item]],
    *,
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[Item, float]]:
    """Fuse named rankings (best first) by weighted reciprocal rank.

    An item's score is ``sum(weight[name] / (k + rank))`` over the rankings that
    contain it, with ``rank`` 1-based; only an item's first occurrence in a
    ranking counts. A ranking missing from ``weights`` has weight 1.0; a ranking
    with weight 0 is ignored. Returns ``(item, score)`` best first; ties go to the
    item with the better best rank, then to the earlier name in ``rankings``
    order, so the result is deterministic.

    Raises ``ValueError`` for ``k < 1`` or a negative weight.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    weights = weights or {}
    for name, weight in weights.items():
        if weight < 0:
            raise ValueError(f"weight of {name!r} must not be negative, got {weight}")

    scores: dict[Item, float] = {}
    best_rank: dict[Item, int] = {}
    first_seen: dict[Item, int] = {}
    for name, ranking in rankings.items():
        weight = float(weights.get(name, 1.0))
        if weight == 0:
            continue
        seen: set[Item] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            if rank < best_rank.get(item, rank + 1):
                best_rank[item] = rank
            first_seen.setdefault(item, len(first_seen))
    order = sorted(scores, key=lambda item: (-scores[item], best_rank[item], first_seen[item]))
    return [(item, scores[item]) for item in order]
