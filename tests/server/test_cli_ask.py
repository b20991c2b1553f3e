"""``kb ask``: the answer with numbered citations and the cited passages."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from answer import ExtractiveGenerator
from retrieval import Hit
from server.cli import cli

PASSAGES = {
    "d1": (
        "开元路街道：党建引领基层治理",
        ("一、夯实基层党建",),
        "街道储备基层党务后备力量90人，其中32人通过社区“两委”换届走上重要岗位。",
    ),
    "d2": (
        "湖北路街道的“红色物业”",
        (),
        "湖北路街道辖区内有党政机关和企事业单位128个（含区委区政府），下辖七个居民社区。",
    ),
}


class KeywordSearcher:
    """Returns the passages sharing characters with the query, best overlap first."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query, *, k=10, filters=None, mode="hybrid"):
        self.queries.append(query)
        scored = []
        for doc_id, (title, heading, text) in PASSAGES.items():
            overlap = len(set(query) & set(text))
            scored.append((overlap, doc_id, title, heading, text))
        scored.sort(reverse=True)
        return [
            Hit(
                chunk_id=f"{doc_id}:00000",
                doc_id=doc_id,
                text=text,
                title=title,
                heading_path=heading,
                start=0,
                end=len(text),
                score=float(overlap),
                source_key=f"corpus/{doc_id}.txt",
                date="2022-09-07",
            )
            for overlap, doc_id, title, heading, text in scored[:k]
        ]


@pytest.fixture
def services(monkeypatch, fake_embedder):
    services = SimpleNamespace(
        searcher=KeywordSearcher(),
        generator=ExtractiveGenerator(fake_embedder, threshold=0.0),
    )
    monkeypatch.setattr("server.commands.ask.get_services", lambda ctx: services)
    return services


def test_prints_the_answer_with_markers_and_the_cited_passages(services) -> None:
    result = CliRunner().invoke(cli, ["ask", "开元路街道有多少人通过换届走上重要岗位？"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "32人" in lines[0] and "[1]" in lines[0]
    assert "来源：" in lines
    source_line = lines[lines.index("来源：") + 1]
    assert source_line.startswith("[1] 《开元路街道：党建引领基层治理》 一、夯实基层党建")
    assert "32人通过社区" in lines[lines.index("来源：") + 2]


def test_json_output(services) -> None:
    result = CliRunner().invoke(cli, ["ask", "湖北路街道下辖几个社区？", "--json", "-k", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # answers are normalised for output: counts in Arabic numerals (GB/T 15835), so the
    # source's 七个 reads 7个; the citation keeps the indexed text
    assert data["refused"] is False and "下辖7个居民社区" in data["answer"]
    assert "七个" in data["citations"][0]["excerpt"]
    assert data["citations"][0]["doc_id"] == "d2" and data["citations"][0]["number"] == 1
    assert data["generator"] == "extractive"


def test_history_file_rewrites_a_follow_up(services, tmp_path) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps([["开元路街道有多少党政机关和企事业单位？", "……"]], ensure_ascii=False),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["ask", "那湖北路街道呢？", "--history-file", str(history)])
    assert result.exit_code == 0, result.output
    assert services.searcher.queries == ["湖北路街道有多少党政机关和企事业单位？"]
    assert result.output.startswith("（按“湖北路街道有多少党政机关和企事业单位？”检索）")
    assert "128个" in result.output


def test_bad_history_file_and_empty_question_are_usage_errors(services, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["ask", "问题", "--history-file", str(bad)])
    assert result.exit_code == 2 and "history-file" in result.output
    result = CliRunner().invoke(cli, ["ask", "  "])
    assert result.exit_code == 2 and "问题不能为空" in result.output


def test_refusal_is_printed_plainly(monkeypatch, fake_embedder) -> None:
    services = SimpleNamespace(
        searcher=KeywordSearcher(), generator=ExtractiveGenerator(fake_embedder)
    )
    monkeypatch.setattr("server.commands.ask.get_services", lambda ctx: services)
    result = CliRunner().invoke(cli, ["ask", "上海市浦东新区陆家嘴街道有多少人口？"])
    assert result.exit_code == 0
    assert result.output.strip() == "知识库中没有找到相关内容。"


def test_llm_warnings_go_to_stderr(monkeypatch, fake_embedder) -> None:
    from answer import OpenAIChatGenerator
    from tests.llm_stub import StubLLM

    with StubLLM(behaviour="error500") as stub:
        services = SimpleNamespace(
            searcher=KeywordSearcher(),
            generator=OpenAIChatGenerator(
                base_url=stub.base_url,
                model="stub-model",
                fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
            ),
        )
        monkeypatch.setattr("server.commands.ask.get_services", lambda ctx: services)
        result = CliRunner().invoke(cli, ["ask", "湖北路街道下辖几个社区？"])
    assert result.exit_code == 0, result.output
    assert "七个" in result.stdout
    assert "HTTP 500" in result.stderr and "摘录式" in result.stderr


@pytest.mark.slow
def test_real_corpus_end_to_end(monkeypatch, corpus_kb, real_embedder) -> None:
    from retrieval import HybridSearcher

    services = SimpleNamespace(
        searcher=HybridSearcher(corpus_kb), generator=ExtractiveGenerator(real_embedder)
    )
    monkeypatch.setattr("server.commands.ask.get_services", lambda ctx: services)
    result = CliRunner().invoke(cli, ["ask", "东风路街道“社区能人库”收录了多少名党员？"])
    assert result.exit_code == 0, result.output
    answer, _, sources = result.output.partition("来源：")
    assert "68名" in answer and "[1]" in answer
    assert "[1] 《" in sources
