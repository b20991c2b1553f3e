"""Evaluation: gold matching, metrics, the QA and CMRC loaders."""

from __future__ import annotations

import json

import pytest

from retrieval.evaluate import (
    CmrcQuestion,
    QAItem,
    evaluate_cmrc,
    evaluate_qa,
    format_report,
    load_cmrc,
    load_qa,
    normalize_text,
    passage_matches,
    score_hits,
)
from retrieval.types import Hit


def hit(text: str, source: str = "corpus/a.txt", doc_id: str = "a") -> Hit:
    return Hit(
        chunk_id=f"{doc_id}:{abs(hash(text)) % 10**5:05d}",
        doc_id=doc_id,
        text=text,
        title="t",
        heading_path=(),
        start=0,
        end=len(text),
        score=1.0,
        source_key=source,
    )


def test_normalize_folds_width_punctuation_and_whitespace():
    assert normalize_text("引进总部企业，打造 楼宇经济") == normalize_text(
        "引进总部企业,打造楼宇经济"
    )
    assert normalize_text("ＡＢＣ１２３　“四治”") == normalize_text('ABC123"四治"')
    assert normalize_text("a\n b\tc") == "abc"


@pytest.mark.parametrize(
    ("chunk", "gold", "expected"),
    [
        (
            "前文。完成了29个小区卡口60余天24小时的防疫执勤守卫。后文",
            "完成了29个小区卡口60余天 24小时的防疫执勤守卫",
            True,
        ),
        ("东风路街道引进总部企业，打造楼宇经济。", "引进总部企业,打造楼宇经济", True),
        # A chunk boundary cut the passage: more than half of it is here.
        ("……其中32人通过社区“两委”换届", "其中32人通过社区“两委”换届走上重要岗位", True),
        # Less than half: not a hit.
        ("……其中32人", "其中32人通过社区“两委”换届走上重要岗位", False),
        ("西工区组建小区楼院党支部", "其中32人通过社区“两委”换届走上重要岗位", False),
        ("anything", "", False),
    ],
)
def test_passage_matches(chunk, gold, expected):
    assert passage_matches(chunk, gold) is expected


def test_score_hits_recall_is_the_fraction_of_golds_and_rank_is_the_first():
    golds = [("试点街道先行先试", ("001.txt",)), ("下辖七个居民社区", ("004.txt",))]
    hits = [hit("无关内容", "corpus/001.txt")] * 2 + [
        hit("明确两个试点街道先行先试", "corpus/001.txt"),
        hit("下辖七个居民社区", "corpus/001.txt"),  # right text, wrong source
        *[hit("无关内容", "corpus/004.txt")] * 3,
        hit("湖北路街道下辖七个居民社区。", "corpus/004.txt"),
    ]
    recall, first = score_hits(hits, golds)
    assert recall == {1: 0.0, 5: 0.5, 10: 1.0}
    assert first == 3
    assert score_hits(hits[:2], golds) == ({1: 0.0, 5: 0.0, 10: 0.0}, None)


def test_load_qa_accepts_strings_and_lists(tmp_path):
    path = tmp_path / "qa.jsonl"
    rows = [
        {
            "id": "q1",
            "question": "问？",
            "answer": "答",
            "source": "a.txt",
            "gold_passage": "金",
            "type": "fact",
        },
        {
            "id": "q2",
            "question": "问2？",
            "answer": "答",
            "source": ["a.txt", "b.txt"],
            "gold_passage": ["x", "y"],
            "type": "cross",
        },
    ]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8"
    )
    items = load_qa(path)
    assert items[0].sources == ("a.txt",) and items[0].gold_passages == ("金",)
    assert items[1].sources == ("a.txt", "b.txt") and items[1].type == "cross"
    path.write_text('{"id": "bad"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_qa(path)


def test_seed_set_loads(seeds_qa_path):
    items = load_qa(seeds_qa_path)
    assert len(items) >= 40
    assert {"fact", "cross"} <= {i.type for i in items}


class ScriptedSearcher:
    """Returns fixed hits per (question, mode)."""

    def __init__(self, answers):
        self.answers = answers

    def search(self, query, *, k=10, filters=None, mode="hybrid"):
        return self.answers[(query, mode)][:k]


def test_evaluate_qa_aggregates_per_mode_and_type():
    items = [
        QAItem("q1", "问一", "", ("a.txt",), ("金句一",), "fact"),
        QAItem("q2", "问二", "", ("a.txt",), ("金句二",), "procedure"),
    ]
    filler = [hit("无关")] * 9
    searcher = ScriptedSearcher(
        {
            ("问一", "bm25"): [hit("金句一")] + filler,
            ("问二", "bm25"): filler + [hit("金句二")],
            ("问一", "dense"): filler,
            ("问二", "dense"): [hit("无关"), hit("金句二")],
        }
    )
    report = evaluate_qa(searcher, items, modes=("bm25", "dense"))
    bm25, dense = report.by_mode["bm25"], report.by_mode["dense"]
    assert bm25.recall == {1: 0.5, 5: 0.5, 10: 1.0}
    assert bm25.mrr == pytest.approx((1 + 1 / 10) / 2)
    assert dense.recall == {1: 0.0, 5: 0.5, 10: 0.5} and dense.mrr == pytest.approx(0.25)
    assert report.by_type["dense"]["procedure"].mrr == pytest.approx(0.5)
    assert report.misses("dense") == ["q1"]
    data = report.to_dict()
    assert data["by_mode"]["bm25"]["recall@10"] == 1.0
    assert data["misses@10"] == {"bm25": [], "dense": ["q1"]}
    assert "| bm25 | all | 2 |" in format_report(report)


def test_load_cmrc_makes_one_document_per_paragraph(tmp_path):
    data = {
        "data": [
            {
                "id": "A",
                "title": "泡泡战士",
                "paragraphs": [
                    {
                        "id": "P1",
                        "context": "第一段。",
                        "qas": [{"id": "Q1", "question": "一？", "answers": []}],
                    },
                    {
                        "id": "P2",
                        "context": "第二段。",
                        "qas": [
                            {"id": "Q2", "question": "二？", "answers": []},
                            {"id": "Q3", "question": " ", "answers": []},
                        ],
                    },
                ],
            }
        ]
    }
    path = tmp_path / "cmrc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    docs, questions = load_cmrc(path)
    assert [d.text for d in docs] == ["第一段。", "第二段。"]
    assert len({d.doc_id for d in docs}) == 2 and docs[0].metadata.title == "泡泡战士"
    assert [(q.id, q.doc_id) for q in questions] == [("Q1", docs[0].doc_id), ("Q2", docs[1].doc_id)]
    docs1, questions1 = load_cmrc(path, limit=1)
    assert len(docs1) == 1 and [q.id for q in questions1] == ["Q1"]


def test_evaluate_cmrc_ranks_documents_by_their_best_chunk():
    a1, a2 = hit("x", doc_id="A"), hit("y", doc_id="A")
    b = hit("z", doc_id="B")
    searcher = ScriptedSearcher({("q", "hybrid"): [a1, a2, b], ("r", "hybrid"): [a1]})
    report = evaluate_cmrc(
        searcher, [CmrcQuestion("1", "q", "B"), CmrcQuestion("2", "r", "B")], modes=("hybrid",)
    )
    m = report.by_mode["hybrid"]
    # B is the second distinct document for "q" (A's two chunks count once), absent for "r".
    assert m.recall == {1: 0.0, 5: 0.5, 10: 0.5} and m.mrr == pytest.approx(0.25)


def test_seed_set_on_the_real_index(corpus_searcher, seeds_qa_path):
    """The acceptance bar for retrieval quality on the sample corpus."""
    report = evaluate_qa(corpus_searcher, load_qa(seeds_qa_path), modes=("hybrid", "bm25"))
    hybrid = report.by_mode["hybrid"]
    # 79 of the 80 gold passages in the top 5 at least: the last one (d38's second
    # document) ranks 5th or 6th depending on the CPU's bfloat16 kernels (AMX or AVX-512)
    assert hybrid.recall[5] >= 0.98, report.to_dict()
    assert hybrid.recall[10] == 1.0, report.to_dict()
    assert hybrid.mrr >= 0.95, report.to_dict()
    assert report.by_type["hybrid"]["cross"].recall[10] == 1.0


def test_unanswerable_rows_are_skipped_and_all_at_k_needs_every_gold():
    items = [
        QAItem("p1", "流程", "", ("a.txt", "a.txt"), ("提出书面申请", "入户调查核实"), "procedure"),
        QAItem("u1", "无解", "", (), (), "unanswerable"),
    ]
    filler = [hit("无关")] * 9
    searcher = ScriptedSearcher(
        {("流程", "bm25"): [hit("提出书面申请")] + filler[:5] + [hit("入户调查核实")]}
    )
    report = evaluate_qa(searcher, items, modes=("bm25",))
    metrics = report.by_mode["bm25"]
    assert metrics.count == 1 and set(report.by_type["bm25"]) == {"procedure"}
    assert metrics.recall == {1: 0.5, 5: 0.5, 10: 1.0}
    assert metrics.complete == {1: 0.0, 5: 0.0, 10: 1.0}
    assert report.info["skipped_without_gold"] == 1
    assert report.to_dict()["by_mode"]["bm25"]["all@10"] == 1.0
    assert "All@5" in format_report(report)
