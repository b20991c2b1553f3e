"""``kb search`` and ``kb eval`` through the CLI."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from server.cli import cli


@pytest.fixture
def real(monkeypatch, corpus_kb, corpus_searcher):
    services = SimpleNamespace(
        knowledge_base=corpus_kb,
        searcher=corpus_searcher,
        embedder=corpus_kb.embedder,
        chunk_count=corpus_kb.chunk_count,  # what `kb eval` checks before it starts
    )
    monkeypatch.setattr("server.commands.search.get_services", lambda ctx: services)
    return services


def test_search_prints_ranked_passages(real):
    result = CliRunner().invoke(cli, ["search", "涧西区一共建了多少个网格党支部？", "-k", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(" 1. ") and "score=" in lines[0]
    assert "001_60637e34c9e23eb9.txt" in lines[0]  # the 涧西区 article
    assert sum(1 for line in lines if line[:3].strip().rstrip(".").isdigit()) == 3


def test_search_json_with_filters(real, corpus_kb):
    from retrieval import SearchFilters

    region = "东风路街道"
    allowed = {d.doc_id for d in corpus_kb.documents(SearchFilters(regions=(region,)))}
    result = CliRunner().invoke(
        cli, ["search", "楼宇经济", "--region", region, "--mode", "bm25", "--json", "-k", "5"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "bm25" and 0 < len(data["hits"]) <= 5
    assert {h["doc_id"] for h in data["hits"]} <= allowed
    assert all(h["retrievers"] == ["bm25"] for h in data["hits"])


def test_search_refuses_an_empty_query_and_a_bad_date(real):
    result = CliRunner().invoke(cli, ["search", "   "])
    assert result.exit_code == 2 and "empty" in result.output
    result = CliRunner().invoke(cli, ["search", "党建", "--date-from", "2021/01/01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_eval_qa_json(real, seeds_qa_path, tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        ["eval", str(seeds_qa_path), "--mode", "bm25", "--json", "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == json.loads(out.read_text(encoding="utf-8"))
    assert set(data["by_mode"]) == {"bm25"} and data["by_mode"]["bm25"]["count"] >= 40
    assert data["by_mode"]["bm25"]["recall@10"] >= 0.9
    assert {"fact", "cross"} <= set(data["by_type"]["bm25"])


def test_eval_cmrc_indexes_paragraphs_in_a_temporary_knowledge_base(monkeypatch, tmp_path):
    from tests.fakes import HashingEmbedder

    services = SimpleNamespace(embedder=HashingEmbedder())
    monkeypatch.setattr("server.commands.search.get_services", lambda ctx: services)
    paragraphs = [
        (
            "P1",
            "泡泡战士",
            "玩家以水枪、小枪、锤子或是水炸弹泡封敌人，生命数耗完即算为踢爆。",
            "生命数耗完即算为什么？",
        ),
        (
            "P2",
            "洛阳",
            "洛阳位于河南省西部，是华夏文明的发祥地之一，有龙门石窟和白马寺。",
            "洛阳有哪些名胜？",
        ),
        ("P3", "长江", "长江是中国第一长河，全长约六千三百公里，注入东海。", "长江全长多少公里？"),
    ]
    data = {
        "data": [
            {
                "id": pid,
                "title": title,
                "paragraphs": [
                    {"id": pid, "context": text, "qas": [{"id": f"{pid}_Q", "question": q}]}
                ],
            }
            for pid, title, text, q in paragraphs
        ]
    }
    path = tmp_path / "mini_cmrc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--cmrc", str(path), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "CMRC 2018" in result.output and "| hybrid | all | 2 |" in result.output
    result = CliRunner().invoke(cli, ["eval", "--cmrc", str(path), "--json", "--mode", "bm25"])
    report = json.loads(result.output)
    assert report["info"]["paragraphs"] == 3
    assert report["by_mode"]["bm25"]["recall@5"] == 1.0


def test_eval_needs_exactly_one_input(real, seeds_qa_path):
    result = CliRunner().invoke(cli, ["eval"])
    assert result.exit_code == 2 and "either" in result.output


def test_search_explain_shows_the_lexicon_expansion(real):
    result = CliRunner().invoke(cli, ["search", "居委会怎么换届？", "--explain", "-k", "2"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("lexicon (词表扩展): ")
    assert "居委会 → 居民委员会" in first and "换届 → 选举" in first
    data = json.loads(
        CliRunner()
        .invoke(cli, ["search", "居委会怎么换届？", "--explain", "--json", "-k", "2"])
        .output
    )
    assert ["居委会", ["居民委员会"]] in data["lexicon"]
    assert all("article" in hit and "context" in hit for hit in data["hits"])
