"""``POST /chat``: a cited answer, as JSON or streamed as server-sent events."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from server.deps import GeneratorDep, SearcherDep
from server.errors import BadRequestError
from server.schemas import AnswerOut, ChatRequest, ErrorResponse, jsonable

log = logging.getLogger(__name__)

router = APIRouter(tags=["chat"])

_SSE_DOC = {
    "description": "With `stream=true`: `text/event-stream` with `delta` events "
    '(`{"type": "delta", "text": ...}`), then one `citations` event, then `done` '
    "(or `error`).",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}


def _sse(event: dict[str, Any]) -> str:
    kind = str(event.get("type", "message"))
    data = json.dumps(jsonable(event), ensure_ascii=False)
    return f"event: {kind}\ndata: {data}\n\n"


def _events(body: ChatRequest, searcher: Any, generator: Any) -> Iterator[str]:
    import answer as answering

    kwargs: dict[str, Any] = {
        "searcher": searcher,
        "generator": generator,
        "history": body.history_pairs(),
        "filters": body.filters.to_filters(),
        "k": body.k,
    }
    finished = False
    try:
        for event in answering.stream_answer(body.message, **kwargs):
            finished = finished or event.get("type") in ("done", "error")
            yield _sse(event)
    except Exception as exc:
        # Headers are gone already: the failure can only travel as an event.
        log.exception("streamed answer failed")
        yield _sse(
            {"type": "error", "message": f"生成回答失败 / Answering failed: {type(exc).__name__}"}
        )
        finished = True
    if not finished:
        yield _sse({"type": "done"})


@router.post(
    "/chat",
    response_model=AnswerOut,
    responses={200: _SSE_DOC, 400: {"model": ErrorResponse}},
)
def chat(body: ChatRequest, searcher: SearcherDep, generator: GeneratorDep) -> Any:
    """Answer ``message`` from the knowledge base; every sentence cites its passages.

    Earlier turns (``history``) help resolve follow-ups such as “那第二点呢？”."""
    if body.stream:
        return StreamingResponse(
            _events(body, searcher, generator),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    import answer as answering

    try:
        answer = answering.answer_question(
            body.message,
            searcher=searcher,
            generator=generator,
            history=body.history_pairs(),
            filters=body.filters.to_filters(),
            k=body.k,
        )
    except ValueError as exc:
        raise BadRequestError(f"问题无法处理 / Cannot answer this request: {exc}") from exc
    return AnswerOut.from_answer(answer)
