"""Reciprocal-rank fusion and the diversity helpers: properties and small cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.fusion import fuse_rrf, fuse_scores, mix_part_scores, reorder_within
from retrieval.mmr import cap_per_group, char_ngram_similarity, mmr_select
from retrieval.search import STATUTE_SCORE_WEIGHTS, STATUTE_WEIGHTS, order_statutes

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


scored = st.lists(
    st.tuples(ids, st.integers(min_value=-50, max_value=500).map(lambda n: n / 10)), max_size=10
).map(lambda pairs: sorted(dict(pairs).items(), key=lambda p: -p[1]))
scored_rankings = st.dictionaries(st.sampled_from(["dense", "bm25"]), scored, max_size=2)
weight_maps = st.fixed_dictionaries(
    {"dense": st.floats(min_value=0, max_value=3), "bm25": st.floats(min_value=0, max_value=3)}
)


@given(scored_rankings, weight_maps)
def test_score_fusion_ranks_every_item_once_within_the_weight_sum(named, weights):
    fused = fuse_scores(named, weights=weights)
    items = [item for item, _ in fused]
    assert len(items) == len(set(items))
    assert set(items) == {item for ranked in named.values() for item, _ in ranked}
    assert all(-1e-9 <= s <= sum(weights.values()) + 1e-9 for _, s in fused)
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)


@given(scored_rankings, st.floats(min_value=0.01, max_value=100), st.floats(-10, 10))
def test_score_fusion_ignores_each_rankings_scale_and_offset(named, scale, offset):
    moved = {n: [(i, s * scale + offset) for i, s in r] for n, r in named.items()}
    before = fuse_scores(named, weights=STATUTE_SCORE_WEIGHTS)
    after = fuse_scores(moved, weights=STATUTE_SCORE_WEIGHTS)
    # Same scores (rounding aside, so items tied in score may swap places).
    assert dict(after) == pytest.approx(dict(before), abs=1e-9)


def test_score_fusion_keeps_a_wide_lead_that_rank_fusion_loses():
    # The model puts article A far ahead; BM25 finds B and C (everyday words) but not A.
    dense = [("A", 0.92), ("B", 0.70), ("C", 0.69), ("D", 0.68), ("E", 0.60)]
    bm25 = [("B", 9.0), ("C", 8.5), ("D", 8.4), ("F", 2.0)]
    assert fuse_rrf({"dense": ["A", "B", "C", "D", "E"], "bm25": ["B", "C", "D", "F"]})[0][0] == "B"
    assert fuse_scores({"dense": dense, "bm25": bm25}, weights=STATUTE_SCORE_WEIGHTS)[0][0] == "A"
    with pytest.raises(ValueError):
        fuse_scores({"dense": dense}, weights={"dense": -1.0})


@given(
    st.lists(ids, unique=True, max_size=12),
    st.lists(ids, max_size=12),
    st.sets(ids),
)
def test_reorder_within_moves_only_members_and_keeps_every_place_score(items, order, members):
    fused = [(item, float(len(items) - n)) for n, item in enumerate(items)]
    out = reorder_within(fused, order, member=lambda item: item in members)
    assert [s for _, s in out] == [s for _, s in fused]
    assert sorted(i for i, _ in out) == sorted(items)
    for (item, _), (was, _) in zip(out, fused, strict=True):
        assert (item in members) == (was in members)
        if was not in members:
            assert item == was
    moved = [i for i, _ in out if i in members]
    wanted = [i for i in dict.fromkeys(order) if i in members and i in items]
    assert moved[: len(wanted)] == wanted


def test_statutes_are_reordered_by_score_among_their_places_and_news_keep_theirs():
    dense = [("A", 0.92), ("news", 0.85), ("B", 0.80), ("C", 0.79)]
    bm25 = [("B", 9.0), ("news", 8.8), ("C", 8.5)]
    rankings = {"dense": dense, "bm25": bm25}
    fused = fuse_rrf({n: [i for i, _ in r] for n, r in rankings.items()}, weights=STATUTE_WEIGHTS)
    # By rank, the article the model puts far ahead comes last.
    assert [i for i, _ in fused] == ["news", "B", "C", "A"]
    out = order_statutes(
        fused, rankings, is_statute=lambda i: i != "news", weights=STATUTE_SCORE_WEIGHTS
    )
    assert [i for i, _ in out] == ["news", "A", "B", "C"]
    assert [s for _, s in out] == [s for _, s in fused]


def test_mix_part_scores_blends_and_resorts() -> None:
    ranked = [("a", 0.8), ("b", 0.7), ("c", 0.6)]
    mixed = mix_part_scores(ranked, {"c": 0.9, "x": 1.0}, weight=0.5)
    assert mixed == [("a", 0.8), ("c", pytest.approx(0.75)), ("b", 0.7)]
    assert mix_part_scores(ranked, {"c": 0.9}, weight=0.0) == ranked
    assert mix_part_scores(ranked, {}, weight=0.5) == ranked
    with pytest.raises(ValueError):
        mix_part_scores(ranked, {}, weight=1.5)
