"""BM25: the tokenizer, scoring against a plain reference implementation, filters,
changes, and atomic persistence."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import Chunk
from retrieval import BM25Index, StoredChunk, indexed_text, tokenize_for_index
from retrieval.bm25 import DEFAULT_B, DEFAULT_K1, index_fingerprint


def stored(
    doc_id: str, index: int, text: str, *, title: str = "", doc_hash: str = "h1"
) -> StoredChunk:
    chunk = Chunk(f"{doc_id}:{index:05d}", doc_id, index, text, 0, len(text))
    return StoredChunk(chunk=chunk, title=title, source_key=doc_id, doc_hash=doc_hash, doc_chunks=1)


def split_words(text: str) -> list[str]:
    return text.split()


# -- tokenizer ---------------------------------------------------------------


def test_tokens_hold_jieba_words_and_character_bigrams() -> None:
    terms = tokenize_for_index("涧西区网格党支部建设")
    assert "涧西" in terms or "涧西区" in terms
    assert "党支部" in terms
    # bigrams across jieba's word boundaries, so a differently segmented query still matches
    assert "区网" in terms and "格党" in terms


def test_tokens_drop_punctuation_and_fold_width_and_case() -> None:
    terms = tokenize_for_index("１９９８年，ＡＢＣ！  社区。")
    assert "1998" in terms
    assert "abc" in terms
    assert not any(t in {"，", "！", "。", " "} for t in terms)
    assert all(t.strip() == t and t for t in terms)


def test_indexed_text_carries_title_and_headings() -> None:
    chunk = Chunk("d:00000", "d", 0, "正文内容", 0, 4, heading_path=("一、总体要求", "（一）目标"))
    item = StoredChunk(chunk=chunk, title="工作方案", source_key="d", doc_hash="h", doc_chunks=1)
    text = indexed_text(item)
    assert text.splitlines() == ["工作方案", "一、总体要求 > （一）目标", "正文内容"]


# -- scoring -------------------------------------------------------------------


def reference_bm25(
    docs: dict[str, list[str]], query: list[str], k1: float, b: float
) -> dict[str, float]:
    """Textbook BM25 with Lucene's non-negative idf, summed over query term occurrences."""
    n = len(docs)
    avg = sum(len(t) for t in docs.values()) / n
    df = Counter(term for terms in docs.values() for term in set(terms))
    scores = {}
    for doc, terms in docs.items():
        tf = Counter(terms)
        score = 0.0
        for term in query:
            if term in tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score += (
                    idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * len(terms) / avg))
                )
        if score > 0:
            scores[doc] = score
    return scores


words = st.sampled_from(["党建", "网格", "社区", "街道", "志愿", "服务", "治理", "居民"])


@settings(max_examples=40, deadline=None)
@given(
    corpus=st.lists(st.lists(words, min_size=1, max_size=12), min_size=1, max_size=12),
    query=st.lists(words, min_size=1, max_size=4),
    params=st.sampled_from([None, (1.5, 0.75), (1.2, 0.0), (2.0, 1.0)]),
)
def test_scores_equal_the_reference_formula(
    corpus: list[list[str]], query: list[str], params: tuple[float, float] | None
) -> None:
    if params is None:  # the defaults
        index = BM25Index(tokenizer=split_words)
        k1, b = DEFAULT_K1, DEFAULT_B
    else:
        k1, b = params
        index = BM25Index(tokenizer=split_words, k1=k1, b=b)
    index.add([stored(f"doc{i}", 0, " ".join(terms)) for i, terms in enumerate(corpus)])
    expected = reference_bm25(
        {f"doc{i}:00000": terms for i, terms in enumerate(corpus)}, query, k1, b
    )
    got = dict(index.query(" ".join(query), k=100))
    assert got.keys() == expected.keys()
    for chunk_id, score in expected.items():
        assert got[chunk_id] == pytest.approx(score, rel=1e-4)
    ranked = [s for _, s in index.query(" ".join(query), k=100)]
    assert ranked == sorted(ranked, reverse=True)


def test_default_length_normalisation_is_weak() -> None:
    """A long article that names the asked-about thing twice outranks a short one
    naming it once (the textbook b = 0.75 puts the short one first)."""
    short = "申请 救助 需要 材料"
    long_ = " ".join(["申请", "救助", "审核", "救助", *(["公示"] * 12)])
    others = [stored(f"o{i}", 0, "社区 服务 活动 材料") for i in range(6)]
    corpus = [stored("short", 0, short), stored("long", 0, long_), *others]

    weak = BM25Index(tokenizer=split_words)
    weak.add(corpus)
    assert [c for c, _ in weak.query("救助", k=2)] == ["long:00000", "short:00000"]

    textbook = BM25Index(tokenizer=split_words, b=0.75)
    textbook.add(corpus)
    assert [c for c, _ in textbook.query("救助", k=2)] == ["short:00000", "long:00000"]
    assert DEFAULT_B < 0.75


def test_rare_term_outranks_common_term_and_k_limits() -> None:
    index = BM25Index()
    index.add(
        [stored(f"d{i}", 0, "社区开展志愿服务活动") for i in range(8)]
        + [stored("rare", 0, "社区开展垃圾分类督导")]
    )
    hits = index.query("垃圾分类", k=3)
    assert hits[0][0] == "rare:00000"
    assert len(index.query("社区志愿服务", k=3)) == 3
    assert index.query("完全无关的词汇火星", k=5) == []


def test_doc_id_filter_restricts_results() -> None:
    index = BM25Index()
    index.add(
        [stored("a", 0, "网格党支部"), stored("b", 0, "网格党支部建设"), stored("c", 0, "网格")]
    )
    assert {c for c, _ in index.query("网格党支部", k=10, doc_ids={"b", "c"})} == {
        "b:00000",
        "c:00000",
    }
    assert index.query("网格党支部", k=10, doc_ids=set()) == []


def test_delete_and_replace() -> None:
    index = BM25Index()
    index.add(
        [stored("a", 0, "五星支部创建"), stored("a", 1, "党员先锋"), stored("b", 0, "五星支部")]
    )
    index.delete_document("a")
    assert index.chunk_ids() == {"b:00000"}
    index.add([stored("b", 0, "平安建设")])  # same id, new text
    assert index.query("五星支部", k=5) == []
    assert index.query("平安建设", k=5)[0][0] == "b:00000"


# -- persistence -----------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "bm25" / "kb.npz"
    index = BM25Index(path)
    index.add(
        [stored("a", i, f"第{i}段 社区治理 网格员") for i in range(5)]
        + [stored("b", 0, "养老服务", doc_hash="h2")]
    )
    index.save()
    again = BM25Index.load(path)
    assert again.fingerprint() == index.fingerprint()
    assert again.doc_hashes() == index.doc_hashes()
    for query in ("社区治理", "养老服务", "第3段"):
        assert again.query(query, k=10) == index.query(query, k=10)
    assert [p.name for p in path.parent.iterdir()] == ["kb.npz"]  # no temp files left


def test_unreadable_file_loads_empty(tmp_path: Path) -> None:
    path = tmp_path / "kb.npz"
    path.write_bytes(b"not an npz at all")
    assert len(BM25Index.load(path)) == 0
    assert len(BM25Index.load(tmp_path / "missing.npz")) == 0


def test_fingerprint_depends_on_ids_and_versions_not_order() -> None:
    assert index_fingerprint([("a:1", "x"), ("b:1", "y")]) == index_fingerprint(
        [("b:1", "y"), ("a:1", "x")]
    )
    assert index_fingerprint([("a:1", "x")]) != index_fingerprint([("a:1", "z")])
    index = BM25Index()
    index.add([stored("a", 0, "社区", doc_hash="x")])
    assert index.fingerprint() == index_fingerprint([("a:00000", "x")])


def test_query_weights_are_finite_on_a_single_document() -> None:
    index = BM25Index()
    index.add([stored("a", 0, "社区")])
    ((chunk_id, score),) = index.query("社区", k=1)
    assert chunk_id == "a:00000" and np.isfinite(score) and score > 0


@settings(max_examples=30, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["add", "delete", "query"]),
            st.integers(0, 6),
            st.lists(words, min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_changes_between_queries_match_a_fresh_index(steps) -> None:
    """Adds and deletes after the first query go to a delta / a deletion mask; the
    matches must be exactly those of an index built from scratch."""
    index = BM25Index(tokenizer=split_words)
    live: dict[str, str] = {}
    for action, doc, terms in steps:
        text = " ".join(terms)
        if action == "add":
            index.add([stored(f"doc{doc}", 0, text)])
            live[f"doc{doc}"] = text
        elif action == "delete":
            index.delete_document(f"doc{doc}")
            live.pop(f"doc{doc}", None)
        fresh = BM25Index(tokenizer=split_words)
        fresh.add([stored(d, 0, t) for d, t in live.items()])
        got, expected = dict(index.query(text, k=50)), dict(fresh.query(text, k=50))
        assert got.keys() == expected.keys()
        assert all(score > 0 for score in got.values())
