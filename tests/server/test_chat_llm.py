"""``/chat`` and ``kb ask`` over the LLM generator (the stub OpenAI-compatible server):
the first tokens travel as the model writes them, and a fallback says so."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import httpx
from click.testing import CliRunner
from fastapi.testclient import TestClient

from answer import ExtractiveGenerator, OpenAIChatGenerator
from server.app import create_app
from server.cli import cli
from server.settings import Settings
from tests.answer.test_openai_generator import QUESTION, make_hits
from tests.fakes import HashingEmbedder
from tests.llm_stub import StubLLM
from tests.server.conftest import make_fake_services, serve_live


class StaticSearcher:
    def search(self, query, *, k=10, filters=None, mode="hybrid"):
        return make_hits()[:k]


def _generator(stub: StubLLM, **kwargs) -> OpenAIChatGenerator:
    return OpenAIChatGenerator(
        base_url=stub.base_url,
        model="stub-model",
        fallback=ExtractiveGenerator(HashingEmbedder(), threshold=0.0),
        **kwargs,
    )


def _app(tmp_path: Path, generator: OpenAIChatGenerator):
    settings = Settings(data_dir=tmp_path / "data")
    services = make_fake_services(settings, searcher=StaticSearcher(), generator=generator)
    return create_app(settings=settings, services=services)


def test_the_chat_stream_forwards_the_first_tokens_before_the_answer_is_done(
    tmp_path: Path,
) -> None:
    with (
        StubLLM(behaviour="gated") as stub,
        serve_live(_app(tmp_path, _generator(stub))) as base_url,
        httpx.Client(timeout=60) as client,
        client.stream("POST", f"{base_url}/chat", json={"message": QUESTION, "stream": True}) as r,
    ):
        kinds: list[str] = []
        final: dict = {}
        for line in r.iter_lines():
            if line.startswith("event:"):
                kinds.append(line[6:].strip())
            elif line.startswith("data:") and kinds[-1] == "delta" and kinds.count("delta") == 1:
                # the first piece is on the wire while the model still holds the rest
                assert json.loads(line[5:])["text"]
                assert not stub.finished.is_set()
                stub.gate.set()
            elif line.startswith("data:") and kinds[-1] == "citations":
                final = json.loads(line[5:])
    assert stub.finished.is_set()
    assert kinds[0] == "delta" and kinds[-2:] == ["citations", "done"]
    assert final["fell_back"] is False and final["notice"] == ""
    assert "32人" in final["answer"]


def test_the_json_answer_carries_the_fallback_and_its_notice(tmp_path: Path) -> None:
    with StubLLM(behaviour="slow", delay=2.0) as stub:
        app = _app(tmp_path, _generator(stub, timeout=0.5))
        with TestClient(app) as client:
            body = client.post("/chat", json={"message": QUESTION}).json()
    assert body["fell_back"] is True
    assert body["notice"] == "语言模型未在时限内作答，以下为摘录式回答"
    assert body["generator"] == "extractive" and "32人" in body["answer"]


def test_kb_ask_shows_the_notice_above_the_fallback_answer(monkeypatch) -> None:
    with StubLLM(behaviour="offtopic") as stub:
        services = SimpleNamespace(searcher=StaticSearcher(), generator=_generator(stub))
        monkeypatch.setattr("server.commands.ask.get_services", lambda ctx: services)
        result = CliRunner().invoke(cli, ["ask", QUESTION])
        as_json = CliRunner().invoke(cli, ["ask", QUESTION, "--json"])
    assert result.exit_code == 0, result.output
    first, _, rest = result.stdout.partition("\n")
    assert first == "（语言模型的回答未通过核对，以下为摘录式回答）"
    assert "32人" in rest
    assert json.loads(as_json.stdout)["fell_back"] is True
