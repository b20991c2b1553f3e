"""Diversity for a ranked list: a per-document cap and maximal marginal relevance. Pure."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from textcore import char_ngrams, jaccard

T = TypeVar("T")


def cap_per_group(
    items: Sequence[T],
    *,
    group: Callable[[T], Hashable],
    max_per_group: int,
    k: int,
) -> list[T]:
    """Return the first ``k`` items of ``items`` with at most ``max_per_group``
    from any one group among them, keeping the given order.

    Items over a group's cap are not dropped but deferred: they fill the end of
    the list, in their original order, only when too few other items remain. So
    one long document cannot crowd out the rest, and each group's best items
    keep their relative order.
    """
    if max_per_group < 1:
        raise ValueError(f"max_per_group must be at least 1, got {max_per_group}")
    if k < 0:
        raise ValueError(f"k must not be negative, got {k}")
    kept: list[T] = []
    deferred: list[T] = []
    counts: dict[Hashable, int] = {}
    for item in items:
        if len(kept) >= k:
            break
        key = group(item)
        if counts.get(key, 0) < max_per_group:
            counts[key] = counts.get(key, 0) + 1
            kept.append(item)
        else:
            deferred.append(item)
    return kept + deferred[: k - len(kept)]


def char_ngram_similarity(a: str, b: str, *, n: int = 2) -> float:
    """Jaccard similarity of the character n-gram sets of two texts (0..1).

    A cheap stand-in for vector similarity that needs no model: Chinese text
    that repeats the same passage shares most of its bigrams. Punctuation, spaces
    and width do not count (see ``textcore.char_ngrams``)."""
    grams_a, grams_b = char_ngrams(a, n), char_ngrams(b, n)
    if not grams_a or not grams_b:
        return 1.0 if a == b else 0.0
    return jaccard(grams_a, grams_b)


def mmr_select(
    items: Sequence[T],
    *,
    relevance: Sequence[float],
    similarity: Callable[[T, T], float],
    k: int,
    lambda_: float = 0.7,
) -> list[T]:
    """Maximal marginal relevance: greedily pick the item maximising
    ``lambda_ * relevance - (1 - lambda_) * max similarity to those picked``.

    ``relevance`` is parallel to ``items`` and should be on a 0..1 scale like
    ``similarity``. ``lambda_ = 1`` keeps the relevance order unchanged.
    """
    if len(relevance) != len(items):
        raise ValueError("relevance must have one value per item")
    if not 0.0 <= lambda_ <= 1.0:
        raise ValueError(f"lambda_ must be between 0 and 1, got {lambda_}")
    remaining = list(range(len(items)))
    chosen: list[int] = []
    max_sim = [0.0] * len(items)
    while remaining and len(chosen) < k:
        best = max(
            remaining,
            key=lambda i: (lambda_ * relevance[i] - (1.0 - lambda_) * max_sim[i], -i),
        )
        chosen.append(best)
        remaining.remove(best)
        for i in remaining:
            max_sim[i] = max(max_sim[i], similarity(items[i], items[best]))
    return [items[i] for i in chosen]
