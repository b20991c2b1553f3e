"""A stub OpenAI-compatible chat server for tests: real HTTP on 127.0.0.1, no model.

It reads the numbered passages ([1] …) out of the prompt and answers with one of a
few behaviours, set on ``StubLLM.behaviour``:

- ``faithful``: the passage sentence that best matches the question, verbatim,
  cited with its number (``wrong_citation`` cites a different passage instead, and
  ``bad_citation`` cites [99], so citation re-attachment can be tested);
- ``unsupported_number``: a faithful answer plus a sentence with a number that no
  passage contains;
- ``refuse``: the refusal sentence; ``offtopic``: fluent text that no passage supports;
- ``slow``: sleeps ``delay`` seconds before answering (past the client's timeout);
- ``error500``: HTTP 500; ``break_stream``: streams a little, then drops the connection;
- ``gated``: streams the first piece, then waits for ``gate`` to be set before the
  rest (``finished`` is set once the whole answer is sent), so a test can see that
  the first tokens travel before the answer is complete.

``/v1/chat/completions`` honours ``stream: true`` with SSE chunks; ``/v1/models``
lists the one model. Every request body is kept in ``requests``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "stub-model"
REFUSAL = "知识库中没有找到相关内容。"
UNSUPPORTED_SENTENCE = "此外，该街道共有9876名志愿者参与其中[1]。"
OFFTOPIC_TEXT = "建议您多喝热水，注意休息。周末可以去公园散步放松心情。"

_PASSAGE_HEAD = re.compile(r"^\[(\d+)\][^\n]*\n", re.MULTILINE)
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


def _bigrams(text: str) -> set[str]:
    chars = re.sub(r"[\W_]+", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def parse_prompt(messages: list[dict[str, Any]]) -> tuple[dict[int, str], str]:
    """The numbered passages and the question of the last user message."""
    content = str(messages[-1]["content"])
    body, _, question = content.rpartition("问题：")
    passages: dict[int, str] = {}
    heads = list(_PASSAGE_HEAD.finditer(body))
    for head, nxt in zip(heads, heads[1:] + [None], strict=False):
        end = nxt.start() if nxt else len(body)
        passages[int(head.group(1))] = body[head.end() : end].strip()
    return passages, question.strip()


def faithful_answer(passages: dict[int, str], question: str, *, shift: int = 0) -> str:
    """The best-matching passage sentence, verbatim, with its (possibly shifted) number."""
    query = _bigrams(question)
    best: tuple[float, int, str] = (-1.0, 0, "")
    for number, text in sorted(passages.items()):
        for sentence in _SENTENCE.findall(text):
            sentence = sentence.strip()
            if len(sentence) < 6:
                continue
            score = len(query & _bigrams(sentence)) / (len(query) or 1)
            if score > best[0]:
                best = (score, number, sentence)
    _, number, sentence = best
    if not sentence:
        return REFUSAL
    if shift == 99:
        number = 99
    elif shift:
        number = number % len(passages) + 1
    body = sentence.rstrip("。！？；")
    return f"{body}[{number}]。"


class StubLLM:
    """Runs the stub server in a thread; use as a context manager."""

    def __init__(self, *, behaviour: str = "faithful", delay: float = 3.0) -> None:
        self.behaviour = behaviour
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.gate = threading.Event()
        self.finished = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> StubLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer_for(self, messages: list[dict[str, Any]]) -> str:
        passages, question = parse_prompt(messages)
        behaviour = self.behaviour
        if behaviour == "refuse" or not passages:
            return REFUSAL
        if behaviour == "offtopic":
            return OFFTOPIC_TEXT
        if behaviour == "unsupported_number":
            return faithful_answer(passages, question) + UNSUPPORTED_SENTENCE
        if behaviour == "wrong_citation":
            return faithful_answer(passages, question, shift=1)
        if behaviour == "bad_citation":
            return faithful_answer(passages, question, shift=99)
        return faithful_answer(passages, question)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/v1/models"):
                    self._json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": "not found"}})
                    return
                if stub.behaviour == "slow":
                    time.sleep(stub.delay)
                if stub.behaviour == "error500":
                    self._json(500, {"error": {"message": "model crashed", "type": "server_error"}})
                    return
                text = stub.answer_for(body.get("messages", []))
                try:
                    if body.get("stream"):
                        self._stream(text)
                    else:
                        self._json(200, _completion(text))
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (its timeout)

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = list(_pieces(text))
                if stub.behaviour == "break_stream":
                    pieces = pieces[:2]
                for n, piece in enumerate(pieces):
                    if stub.behaviour == "gated" and n == 2:  # role chunk, first text, then wait
                        stub.gate.wait(timeout=30)
                    self.wfile.write(f"data: {json.dumps(piece, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                if stub.behaviour == "break_stream":
                    self.wfile.write(b"data: {not json")  # a torn chunk, then the line drops
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                stub.finished.set()
                self.close_connection = True

        return Handler


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _pieces(text: str, size: int = 6) -> Iterator[dict[str, Any]]:
    """Chat-completion chunks of ``size`` characters, as real servers send tokens."""
    base = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "model": MODEL}
    yield {**base, "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}
    for i in range(0, len(text), size):
        delta = {"content": text[i : i + size]}
        yield {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
