"""The answer evaluation: coverage, per-type metrics, the QA file format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer.evaluate import evaluate_answers, gold_coverage, load_answer_items
from answer.types import Answer, AnswerSentence, Citation


def test_gold_coverage_is_the_in_order_share_of_gold_characters() -> None:
    gold = "其中32人通过社区“两委”换届走上重要岗位"
    assert gold_coverage("街道储备90人，其中32人通过社区“两委”换届走上重要岗位。", gold) == 1.0
    # punctuation and width do not count; a missing stretch does
    assert gold_coverage("其中３２人通过社区两委换届走上重要岗位", gold) == 1.0
    partial = gold_coverage("其中32人通过换届走上岗位", gold)
    assert 0.5 < partial < 0.9
    assert gold_coverage("", gold) == 0.0


def _citation(excerpt: str) -> Citation:
    return Citation(1, "d:00000", "d", "t", (), excerpt, 0, len(excerpt))


def _answer(text: str, *, refused: bool = False, excerpt: str = "") -> Answer:
    return Answer(
        question="q",
        sentences=(AnswerSentence(text, () if refused else (1,)),),
        citations=() if refused else (_citation(excerpt or text),),
        refused=refused,
    )


def test_metrics_per_question_type(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "question": "甲", "type": "fact", "gold_passage": "储备力量90人"},
        {"id": "b", "question": "乙", "type": "fact", "gold_passage": "投入1700余万元"},
        {"id": "c", "question": "丙", "type": "unanswerable", "gold_passage": ""},
        {"id": "d", "question": "那丁呢？", "type": "wrong_entity", "history": ["丙有多少？"]},
    ]
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    items = load_answer_items(path)
    assert items[3].history == ("丙有多少？",) and not items[3].answerable
    replies = {
        "甲": _answer("街道储备力量90人。", excerpt="街道储备力量90人。"),
        "乙": _answer("知识库中没有找到相关内容。", refused=True),
        "丙": _answer("知识库中没有找到「丙」的相关内容。", refused=True),
        "那丁呢？": _answer("丙有300个。"),
    }
    seen_history = []

    def ask(question, history):
        seen_history.append(tuple(history))
        return replies[question]

    report = evaluate_answers(items, ask)
    assert seen_history[3] == ("丙有多少？",)
    fact = report.by_type()["fact"]
    assert fact["gold_contained"] == 0.5 and fact["wrongly_refused"] == 0.5
    assert fact["citation_precision"] == 1.0
    assert report.by_type()["unanswerable"]["refused"] == 1.0
    assert report.by_type()["wrong_entity"]["answered_instead"] == 1
    assert [r.id for r in report.failures()] == ["b", "d"]
    assert report.to_dict()["overall"]["count"] == 4


def test_an_answerable_row_without_gold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"id": "x", "question": "甲", "type": "fact"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_answer_items(path)
