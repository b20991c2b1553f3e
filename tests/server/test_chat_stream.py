"""``POST /chat`` with ``stream=true``: the event stream's shape, keep-alive, failures and
a client that goes away — over a scripted generator, so each case is deterministic."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from answer import Answer, AnswerSentence, Citation
from retrieval import Hit
from server.app import create_app
from server.schemas import AnswerOut
from server.settings import Settings
from tests.server.conftest import make_fake_services, serve_live

ANSWER = Answer(
    question="湖北路街道下辖几个社区？",
    sentences=(AnswerSentence("湖北路街道下辖七个社区。", (1,)), AnswerSentence("另有一个村。")),
    citations=(
        Citation(
            number=1,
            chunk_id="d2:00000",
            doc_id="d2",
            title="湖北路街道概况",
            heading_path=("概况",),
            excerpt="湖北路街道下辖七个社区",
            start=0,
            end=11,
            date="2022-09-01",
            source_key="湖北路.txt",
        ),
    ),
)


class ScriptedGenerator:
    """A ``Generator`` that streams ``ANSWER`` sentence by sentence, optionally slowly,
    forever, or failing after the first sentence."""

    name = "scripted"
    extractive = False

    def __init__(self, *, delay: float = 0.0, forever: bool = False, fail: bool = False) -> None:
        self.delay = delay
        self.forever = forever
        self.fail = fail
        self.closed = threading.Event()

    def generate(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Answer:
        return ANSWER

    def stream(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Iterator[dict[str, Any]]:
        try:
            time.sleep(self.delay)
            yield {"type": "delta", "text": "湖北路街道下辖七个社区[1]。"}
            if self.fail:
                raise RuntimeError("the model server went away")
            while self.forever:
                time.sleep(0.05)
                yield {"type": "delta", "text": "……"}
            yield {"type": "delta", "text": "另有一个村。"}
            yield {"type": "citations", "answer": ANSWER}
            yield {"type": "done"}
        finally:
            self.closed.set()


def _app(tmp_path: Path, generator: ScriptedGenerator):
    settings = Settings(data_dir=tmp_path / "data")
    services = make_fake_services(settings)
    services.generator = generator  # type: ignore[misc,assignment]
    return create_app(settings=settings, services=services)


def _events(raw: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse an event stream as a browser does: comment lines are not events."""
    events = []
    for block in raw.split("\n\n"):
        kind, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((kind, json.loads("\n".join(data))))
    return events


def _stream(client: httpx.Client, message: str = "湖北路街道下辖几个社区？") -> str:
    with client.stream("POST", "/chat", json={"message": message, "stream": True}) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        return "".join(resp.iter_text())


def test_the_answer_event_has_the_shape_of_the_json_answer(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path, ScriptedGenerator())) as client:
        events = _events(_stream(client))
        plain = client.post("/chat", json={"message": "湖北路街道下辖几个社区？"}).json()
    assert [kind for kind, _ in events] == ["delta", "delta", "citations", "done"]
    assert all(data["type"] == kind for kind, data in events)
    answer = {k: v for k, v in events[2][1].items() if k != "type"}
    assert set(answer) == set(AnswerOut.model_fields)
    assert answer == plain
    assert answer["cited_answer"] == "湖北路街道下辖七个社区[1]。另有一个村。"
    assert answer["answer"] == "湖北路街道下辖七个社区。另有一个村。"
    assert answer["citations"][0]["heading_path"] == ["概况"]
    assert "".join(d["text"] for k, d in events if k == "delta") == answer["cited_answer"]


def test_a_quiet_stream_is_kept_alive_with_comment_lines(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("server.routes.chat.KEEP_ALIVE_SECONDS", 0.1)
    with TestClient(_app(tmp_path, ScriptedGenerator(delay=0.6))) as client:
        raw = _stream(client)
    assert any(line.startswith(": ping") for line in raw.split("\n"))
    assert [kind for kind, _ in _events(raw)] == ["delta", "delta", "citations", "done"]


def test_a_failure_after_the_first_event_is_an_error_event(tmp_path: Path) -> None:
    generator = ScriptedGenerator(fail=True)
    with TestClient(_app(tmp_path, generator), raise_server_exceptions=False) as client:
        events = _events(_stream(client))
    assert [kind for kind, _ in events] == ["delta", "error"]
    message = events[1][1]["message"]
    assert " / " in message and "RuntimeError" in message
    assert "went away" not in message  # internal details stay in the log
    assert generator.closed.is_set()


def test_a_bad_request_is_refused_before_the_stream_starts(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path, ScriptedGenerator()), raise_server_exceptions=False) as client:
        resp = client.post("/chat", json={"message": "   ", "stream": True})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "validation_error"


@pytest.mark.slow
def test_a_client_that_goes_away_stops_the_generator(tmp_path: Path) -> None:
    generator = ScriptedGenerator(forever=True)
    with serve_live(_app(tmp_path, generator)) as base_url, httpx.Client(timeout=30) as client:
        seen = 0
        with client.stream(
            "POST", f"{base_url}/chat", json={"message": "社区", "stream": True}
        ) as resp:
            for line in resp.iter_lines():
                seen += line.startswith("event: delta")
                if seen == 3:
                    break
        # The connection is closed now; the server notices and closes the generator.
        assert generator.closed.wait(timeout=20), "the answer kept running for nobody"
