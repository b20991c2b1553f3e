"""Reciprocal-rank fusion and the diversity helpers: properties and small cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.fusion import fuse_rrf
from retrieval.mmr import cap_per_group, char_ngram_similarity, mmr_select

ids = st.sampled_from([f"c{i}" for i in range(12)])
ranking = st.lists(ids, max_size=10, unique=True)
rankings = st.dictionaries(st.sampled_from(["dense", "bm25", "other"]), ranking, max_size=3)


@given(rankings)
def test_every_ranked_item_appears_once_with_a_positive_score(named):
    fused = fuse_rrf(named)
    items = [item for item, _ in fused]
    assert len(items) == len(set(items))
    assert set(items) == {item for ranked in named.values() for item in ranked}
    assert all(score > 0 for _, score in fused)
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)


@given(rankings, st.integers(min_value=1, max_value=100))
def test_score_is_the_sum_of_reciprocal_ranks(named, k):
    for item, score in fuse_rrf(named, k=k):
        expected = sum(1 / (k + r.index(item) + 1) for r in named.values() if item in r)
        assert score == pytest.approx(expected)


@given(ranking.filter(bool), ranking.filter(bool))
def test_an_item_first_in_every_ranking_wins(a, b):
    top = "top"
    fused = fuse_rrf({"dense": [top, *a], "bm25": [top, *b]})
    assert fused[0][0] == top


@given(ranking)
def test_a_single_ranking_keeps_its_order(single):
    assert [item for item, _ in fuse_rrf({"dense": single})] == single


@given(rankings)
def test_fusion_is_symmetric_in_the_rankings_order(named):
    reordered = dict(reversed(list(named.items())))
    assert {i: pytest.approx(s) for i, s in fuse_rrf(named)} == dict(fuse_rrf(reordered))


@given(ranking.filter(bool), ranking.filter(bool), st.floats(min_value=2.0, max_value=10.0))
def test_a_heavier_weight_favours_that_retrievers_top_item(a, b, weight):
    dense = ["d-only", *a]
    bm25 = [*b, "d-only"] if "d-only" not in b else b
    plain = dict(fuse_rrf({"dense": dense, "bm25": bm25}))
    heavy = dict(fuse_rrf({"dense": dense, "bm25": bm25}, weights={"dense": weight}))
    assert heavy["d-only"] > plain["d-only"]


def test_weight_zero_ignores_a_ranking_and_bad_arguments_fail():
    assert fuse_rrf({"dense": ["a"], "bm25": ["b"]}, weights={"bm25": 0}) == [
        ("a", pytest.approx(1 / 61))
    ]
    with pytest.raises(ValueError):
        fuse_rrf({"dense": ["a"]}, k=0)
    with pytest.raises(ValueError):
        fuse_rrf({"dense": ["a"]}, weights={"dense": -1})


def test_duplicates_within_a_ranking_count_once():
    assert dict(fuse_rrf({"dense": ["a", "a", "b"]}))["a"] == pytest.approx(1 / 61)


def test_agreement_beats_a_single_top_rank():
    fused = fuse_rrf({"dense": ["x", "both"], "bm25": ["y", "both"]})
    assert fused[0][0] == "both"


items_with_groups = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from("ABCD")), max_size=30
)


@given(items_with_groups, st.integers(1, 4), st.integers(0, 15))
def test_cap_per_group_bounds_each_group_unless_nothing_else_is_left(items, cap, k):
    items = list(dict.fromkeys(items))  # unique items, so positions are well defined
    kept = cap_per_group(items, group=lambda it: it[1], max_per_group=cap, k=k)
    assert len(kept) == min(k, len(items))
    seen: dict[str, int] = {}
    within_cap = []
    for it in items:
        seen[it[1]] = seen.get(it[1], 0) + 1
        if seen[it[1]] <= cap:
            within_cap.append(it)
    if k <= len(within_cap):
        assert kept == within_cap[:k]
    else:  # too few: every capped item first, in order, then the overflow in order
        assert kept[: len(within_cap)] == within_cap
        assert (
            kept[len(within_cap) :]
            == [it for it in items if it not in within_cap][: k - len(within_cap)]
        )


def test_cap_per_group_lets_other_documents_in():
    ranked = [("a", 1), ("a", 2), ("a", 3), ("a", 4), ("a", 5), ("b", 1), ("c", 1)]
    kept = cap_per_group(ranked, group=lambda it: it[0], max_per_group=3, k=5)
    assert kept == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1)]
    assert cap_per_group(ranked[:5], group=lambda it: it[0], max_per_group=2, k=4) == ranked[:4]


def test_mmr_skips_a_near_duplicate():
    texts = ["社区党支部开展志愿服务活动", "社区党支部开展志愿服务活动。", "街道推进楼宇经济发展"]
    picked = mmr_select(
        texts, relevance=[1.0, 0.99, 0.6], similarity=char_ngram_similarity, k=2, lambda_=0.5
    )
    assert picked == [texts[0], texts[2]]
    plain = mmr_select(
        texts, relevance=[1.0, 0.99, 0.6], similarity=char_ngram_similarity, k=2, lambda_=1.0
    )
    assert plain == texts[:2]
