"""Merging several rankings of the same items into one: reciprocal-rank fusion, and
fusion of min-max normalised scores. Pure."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Generic, TypeVar

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
    weights = _checked(weights)
    tally: _Tally[Item] = _Tally()
    for name, ranking in rankings.items():
        weight = float(weights.get(name, 1.0))
        if weight == 0:
            continue
        seen: set[Item] = set()
        for rank, item in enumerate(ranking, start=1):
            if item not in seen:
                seen.add(item)
                tally.add(item, weight / (k + rank), rank)
    return tally.ranked()


def fuse_scores(
    rankings: Mapping[str, Sequence[tuple[Item, float]]],
    *,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[Item, float]]:
    """Fuse named ``(item, score)`` rankings by their scores, not their ranks.

    Each ranking's scores are min-max normalised to [0, 1] (its best item 1, its
    worst 0; a ranking whose scores are all equal gives each of its items 1); an
    item's fused score is ``sum(weight[name] * normalised score)``, 0 from a ranking
    that does not hold it. Unlike RRF this keeps how far apart the scores are: an
    item far ahead in one ranking stays ahead of items that are merely present in
    both. A ranking missing from ``weights`` has weight 1.0; only an item's first
    occurrence in a ranking counts. Returns ``(item, score)`` best first; ties go to
    the item with the better best rank, then to the one seen first.

    Raises ``ValueError`` for a negative weight.
    """
    weights = _checked(weights)
    tally: _Tally[Item] = _Tally()
    for name, ranking in rankings.items():
        weight = float(weights.get(name, 1.0))
        seen: dict[Item, float] = {}
        for item, score in ranking:
            seen.setdefault(item, float(score))
        if not seen:
            continue
        low, high = min(seen.values()), max(seen.values())
        span = high - low
        for rank, (item, score) in enumerate(seen.items(), start=1):
            tally.add(item, weight * ((score - low) / span if span > 0 else 1.0), rank)
    return tally.ranked()


def _checked(weights: Mapping[str, float] | None) -> Mapping[str, float]:
    for name, weight in (weights or {}).items():
        if weight < 0:
            raise ValueError(f"weight of {name!r} must not be negative, got {weight}")
    return weights or {}


class _Tally(Generic[Item]):
    """Fused scores as they add up, with what breaks ties: an item's best rank in any
    ranking, then the order items were first seen in."""

    def __init__(self) -> None:
        self.scores: dict[Item, float] = {}
        self.best_rank: dict[Item, int] = {}
        self.first_seen: dict[Item, int] = {}

    def add(self, item: Item, gain: float, rank: int) -> None:
        self.scores[item] = self.scores.get(item, 0.0) + gain
        self.best_rank[item] = min(rank, self.best_rank.get(item, rank))
        self.first_seen.setdefault(item, len(self.first_seen))

    def ranked(self) -> list[tuple[Item, float]]:
        order = sorted(
            self.scores,
            key=lambda item: (-self.scores[item], self.best_rank[item], self.first_seen[item]),
        )
        return [(item, self.scores[item]) for item in order]


def reorder_within(
    fused: Sequence[tuple[Item, float]],
    order: Sequence[Item],
    *,
    member: Callable[[Item], bool],
) -> list[tuple[Item, float]]:
    """Put the ``member`` items of ``fused`` in the order of ``order``, each taking
    one of the places (and scores) members held, so the other items keep theirs.

    Members missing from ``order`` follow those in it, in their ``fused`` order; items
    of ``order`` not in ``fused`` are ignored. Used to rank one kind of item by its
    own rule while the mix of kinds stays the one ``fused`` chose.
    """
    members = [item for item, _ in fused if member(item)]
    present = set(members)
    ranked = [item for item in dict.fromkeys(order) if item in present]
    placed = set(ranked)
    queue = iter(ranked + [item for item in members if item not in placed])
    return [(next(queue), score) if member(item) else (item, score) for item, score in fused]


def mix_part_scores(
    ranked: Sequence[tuple[Item, float]],
    part_scores: Mapping[Item, float],
    *,
    weight: float,
) -> list[tuple[Item, float]]:
    """Give each item of ``ranked`` that has a part score ``(1 - weight) * its score
    + weight * its part score`` (others keep theirs) and sort best first again;
    ties keep ``ranked`` order.

    Raises ``ValueError`` unless ``0 <= weight <= 1``.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must lie in [0, 1], got {weight}")
    if weight == 0 or not part_scores:
        return list(ranked)
    mixed = [
        (item, (1.0 - weight) * score + weight * part_scores[item])
        if item in part_scores
        else (item, score)
        for item, score in ranked
    ]
    return sorted(mixed, key=lambda pair: -pair[1])
