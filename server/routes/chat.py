"""``POST /chat``: a cited answer, as JSON or streamed as server-sent events."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

import answer as answering
from server.deps import GeneratorDep, SearcherDep
from server.schemas import (
    AnswerOut,
    ChatRequest,
    DoneEvent,
    ErrorEvent,
    ErrorResponse,
    StreamEvent,
    stream_event,
)

log = logging.getLogger(__name__)

router = APIRouter(tags=["chat"])

# A comment line every 15 s keeps proxies from closing a quiet stream (nginx's
# default proxy_read_timeout is 60 s) while the first retrieval or a slow LLM runs;
# 15 s is the interval the SSE spec suggests and sse-starlette's default.
KEEP_ALIVE_SECONDS = 15

_SSE_DOC = {
    "description": "With `stream=true`: `text/event-stream` with `delta` events "
    '(`{"type": "delta", "text": ...}`), then one `citations` event (the answer, shaped '
    "as the JSON response, plus `type`), then `done` (or `error`); comment lines "
    "(`: ping`) keep the connection alive.",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}


def _sse(event: StreamEvent) -> ServerSentEvent:
    # ``sep="\n"``: the page and simple clients split events at a blank line "\n\n".
    return ServerSentEvent(data=event.model_dump_json(), event=event.type, sep="\n")


async def _event_stream(events: Iterator[dict[str, Any]]) -> AsyncIterator[ServerSentEvent]:
    """The answer's events on the wire. The generator runs in worker threads; when
    the client goes away sse-starlette cancels this stream, and ``events`` is
    closed so a generator that holds an LLM connection lets it go."""
    finished = False
    try:
        async for event in iterate_in_threadpool(events):
            wire = stream_event(event)
            finished = finished or isinstance(wire, DoneEvent | ErrorEvent)
            yield _sse(wire)
    except Exception as exc:
        # The status line is sent already: the failure can only travel as an event.
        log.exception("streamed answer failed")
        message = f"生成回答失败 / Answering failed: {type(exc).__name__}"
        yield _sse(ErrorEvent(message=message))
        finished = True
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            await run_in_threadpool(close)
    if not finished:
        yield _sse(DoneEvent())


@router.post(
    "/chat",
    response_model=AnswerOut,
    responses={200: _SSE_DOC, 400: {"model": ErrorResponse}},
)
def chat(body: ChatRequest, searcher: SearcherDep, generator: GeneratorDep) -> Any:
    """Answer ``message`` from the knowledge base; every sentence cites its passages.

    Earlier turns (``history``) help resolve follow-ups such as “那第二点呢？”."""
    options: dict[str, Any] = {
        "searcher": searcher,
        "generator": generator,
        "history": body.history_pairs(),
        "filters": body.filters.to_filters(),
        "k": body.k,
    }
    if body.stream:
        # stream_answer checks the request before the first event, so a bad one is
        # still an ordinary error response with its status code.
        events = answering.stream_answer(body.message, **options)
        return EventSourceResponse(
            _event_stream(events),
            ping=KEEP_ALIVE_SECONDS,
            sep="\n",
            headers={"Cache-Control": "no-cache"},
        )
    return AnswerOut.from_answer(answering.answer_question(body.message, **options))
