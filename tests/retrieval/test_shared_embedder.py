"""The shared embedder: one model call at a time, in arrival order; queries cached."""

from __future__ import annotations

import threading
import time

import numpy as np

from answer.sentence_vectors import SentenceVectorCache
from retrieval import Embedder, FairLock, SharedEmbedder
from tests.fakes import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()

    def _count(self, texts, embed):
        with self._lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        self.calls.append(list(texts))
        time.sleep(0.01)  # long enough for other threads to pile up
        try:
            return embed(texts)
        finally:
            with self._lock:
                self.active -= 1

    # Both public calls are counted: the base class embeds queries without going
    # through embed_passages.
    def embed_passages(self, texts):
        return self._count(texts, super().embed_passages)

    def embed_queries(self, texts):
        return self._count(texts, super().embed_queries)


def test_shared_embedder_is_an_embedder_and_agrees_with_the_inner_one() -> None:
    inner = HashingEmbedder()
    shared = SharedEmbedder(inner)
    assert isinstance(shared, Embedder) and shared.dimension == inner.dimension
    texts = ["开元路街道", "涧西区", "开元路街道"]
    assert np.allclose(shared.embed_queries(texts), inner.embed_queries(texts))
    assert np.allclose(shared.embed_passages(texts), inner.embed_passages(texts))
    assert shared.embed_queries([]).shape == (0, inner.dimension)


def test_repeated_queries_reach_the_model_once() -> None:
    inner = CountingEmbedder()
    shared = SharedEmbedder(inner, max_cached_queries=2)
    shared.embed_queries(["甲"])
    shared.embed_queries(["甲", "乙"])
    assert inner.calls == [["甲"], ["乙"]]
    shared.embed_queries(["丙"])  # evicts 甲, the least recently used
    shared.embed_queries(["甲"])
    assert inner.calls[-1] == ["甲"]


def test_concurrent_calls_never_overlap_in_the_model() -> None:
    inner = CountingEmbedder()
    shared = SharedEmbedder(inner)
    threads = [
        threading.Thread(target=shared.embed_passages, args=([f"第{i}段"],)) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(inner.calls) == 8 and inner.most_active == 1


def test_fair_lock_grants_in_arrival_order() -> None:
    lock = FairLock()
    order: list[int] = []
    started = threading.Event()
    all_queued = threading.Event()

    def hold_first() -> None:
        with lock.hold():
            started.set()
            # Hold until the main thread has seen all five queued: polling the queue's
            # length here instead can release between its checks and hang it.
            all_queued.wait()

    def waiter(n: int) -> None:
        with lock.hold():
            order.append(n)

    first = threading.Thread(target=hold_first)
    first.start()
    started.wait()
    waiters = []
    for n in range(5):
        t = threading.Thread(target=waiter, args=(n,))
        t.start()
        waiters.append(t)
        while len(lock._queue) < n + 2:  # this waiter is queued before the next starts
            time.sleep(0.001)
    all_queued.set()
    for t in [first, *waiters]:
        t.join()
    assert order == [0, 1, 2, 3, 4]


def test_sentence_vectors_are_embedded_once() -> None:
    inner = CountingEmbedder()
    cache = SentenceVectorCache(inner)
    first = cache.vectors(["甲句。", "乙句。", "甲句。"])
    again = cache.vectors(["乙句。", "丙句。"])
    assert inner.calls == [["甲句。", "乙句。"], ["丙句。"]]
    assert np.allclose(first[1], again[0]) and np.allclose(first[0], first[2])
    assert cache.warm(["甲句。", "丁句。"]) == 1 and len(cache) == 4


def test_white_space_variants_of_a_query_share_one_vector() -> None:
    inner = CountingEmbedder()
    shared = SharedEmbedder(inner)
    vectors = shared.embed_queries(["五星支部 创建", " 五星支部\u3000创建\n", "五星支部  创建"])
    assert inner.calls == [["五星支部 创建"]]
    assert np.allclose(vectors[0], vectors[1]) and np.allclose(vectors[0], vectors[2])


def test_a_new_question_asked_by_many_requests_at_once_is_embedded_once() -> None:
    inner = CountingEmbedder()
    shared = SharedEmbedder(inner)
    threads = [
        threading.Thread(target=shared.embed_queries, args=(["涧西区建了多少个网格党支部"],))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert inner.calls == [["涧西区建了多少个网格党支部"]]
    assert shared.query_cache.hits >= 5


def test_sentences_met_by_two_answers_at_once_are_embedded_once() -> None:
    inner = CountingEmbedder()
    cache = SentenceVectorCache(inner)
    sentences = ["甲句。", "乙句。"]
    threads = [threading.Thread(target=cache.vectors, args=(sentences,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert inner.calls == [sentences]


def test_sentence_vectors_survive_a_reopen(tmp_path) -> None:
    path = tmp_path / "cache" / "sentence_vectors.bin"
    first = SentenceVectorCache(CountingEmbedder(), path=path)
    before = first.vectors(["甲句。", "乙句。"])
    first.vectors(["丙句。"])
    inner = CountingEmbedder()
    reopened = SentenceVectorCache(inner, path=path)
    assert len(reopened) == 3
    assert np.allclose(reopened.vectors(["甲句。", "乙句。"]), before)
    assert inner.calls == []
    # a torn last record (a killed process) loses that record only
    path.write_bytes(path.read_bytes()[:-7])
    torn = SentenceVectorCache(inner, path=path)
    assert len(torn) == 2 and inner.calls == []
    torn.vectors(["丙句。"])
    assert inner.calls == [["丙句。"]] and len(SentenceVectorCache(inner, path=path)) == 3


def test_sentence_vectors_of_another_model_are_not_used(tmp_path) -> None:
    path = tmp_path / "sentence_vectors.bin"
    SentenceVectorCache(HashingEmbedder(dimension=64), path=path).vectors(["甲句。"])
    inner = CountingEmbedder()
    cache = SentenceVectorCache(inner, path=path)
    assert len(cache) == 0
    assert cache.vectors(["甲句。"]).shape == (1, inner.dimension)
    assert inner.calls == [["甲句。"]]
