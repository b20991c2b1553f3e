"""A small thread-safe LRU map with a generation counter, for the request-path caches.

Query vectors, stored chunks and answer-sentence vectors repeat from request to
request; each cache keeps the most recently used entries up to a bound. ``clear``
bumps ``generation`` so a value computed from data read before the clear is not
put back afterwards (``put_many(..., generation=...)`` drops it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

__all__ = ["LruCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``max_entries`` values, the least recently used evicted first;
    ``max_entries=0`` keeps nothing. ``hits`` and ``misses`` count look-ups."""

    def __init__(self, max_entries: int) -> None:
        if max_entries < 0:
            raise ValueError(f"max_entries must be >= 0, got {max_entries}")
        self._max = max_entries
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The cached values among ``keys`` (each marked as just used)."""
        found: dict[K, V] = {}
        with self._lock:
            for key in keys:
                if key in found:
                    continue
                if key not in self._items:
                    self.misses += 1
                    continue
                self._items.move_to_end(key)
                found[key] = self._items[key]
                self.hits += 1
        return found

    def put_many(self, values: Mapping[K, V], *, generation: int | None = None) -> None:
        """Keep ``values``; skipped when ``generation`` is given and a ``clear``
        happened since it was read (the values may be stale)."""
        if not self._max:
            return
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            for key, value in values.items():
                self._items[key] = value
                self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (the data behind the values changed)."""
        with self._lock:
            self._items.clear()
            self.generation += 1
