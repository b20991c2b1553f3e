"""Answers written by any OpenAI-compatible chat endpoint, checked against the passages.

vLLM, Ollama, llama.cpp's server and the cloud APIs all speak ``/v1/chat/completions``.
The model gets the retrieved passages numbered [1]..[n] and is asked to cite them;
its answer is then not trusted as is: every sentence is matched again against the
passages (its ``[n]`` markers are only a claim), numbers, dates and units that no
passage contains are flagged, an answer with no support at all becomes the
refusal, and so does one that fails the answerability check
(``answer.answerability``). When the endpoint times out, cannot be reached or
fails, the answer comes
from the ``fallback`` generator with a warning saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

import httpx
import openai

from answer.answerability import enforce
from answer.citations import attach_citations, number_citations, split_cited_sentences
from answer.generator import (
    REFUSAL_TEXT,
    GenerationError,
    Generator,
    refusal,
    stream_events,
)
from answer.types import Answer
from retrieval.types import Embedder, Hit
from textcore.facts import check_facts

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionChunk

__all__ = ["SYSTEM_PROMPT", "OpenAIChatGenerator", "build_messages"]

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "你是街道、社区工作人员的知识库问答助手。请只根据用户给出的参考材料回答问题，"
    "不要使用材料以外的知识，不要编造数字、日期、人名或单位名称。\n"
    "回答要求：\n"
    "1. 用简洁、准确的中文回答，一般不超过五句话；\n"
    "2. 每句话末尾用方括号标注所依据材料的编号，例如 [1] 或 [1][3]；\n"
    "3. 数字、日期、单位名称照材料原文写；\n"
    f"4. 如果参考材料不能回答问题，只回答：{REFUSAL_TEXT}"
)

# Phrases with which a model says the passages do not answer the question.
_REFUSAL_PHRASES = (
    "没有找到相关内容",
    "没有找到相关信息",
    "未找到相关内容",
    "无法根据参考材料回答",
)
_MAX_HISTORY_TURNS = 3
_MAX_HISTORY_ANSWER_CHARS = 400


def build_messages(
    question: str,
    hits: Sequence[Hit],
    *,
    history: Sequence[tuple[str, str]] = (),
    max_passage_chars: int = 800,
) -> list[dict[str, str]]:
    """The chat messages: the system prompt, earlier turns, then the numbered passages
    and the question."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for past_question, past_answer in list(history)[-_MAX_HISTORY_TURNS:]:
        messages.append({"role": "user", "content": past_question})
        messages.append({"role": "assistant", "content": past_answer[:_MAX_HISTORY_ANSWER_CHARS]})
    blocks = []
    for number, hit in enumerate(hits, start=1):
        where = " › ".join(hit.heading_path)
        head = f"[{number}]《{hit.title}》" + (f"（{where}）" if where else "")
        blocks.append(f"{head}\n{hit.text.strip()[:max_passage_chars]}")
    passages = "\n\n".join(blocks)
    messages.append({"role": "user", "content": f"参考材料：\n{passages}\n\n问题：{question}"})
    return messages


class OpenAIChatGenerator:
    """A ``Generator`` backed by an OpenAI-compatible chat endpoint.

    ``timeout`` (seconds) bounds each request, with no retries: a slow endpoint
    should fall back quickly rather than keep the user waiting. ``embedder``, when
    given, helps re-attach citations between passages that overlap equally.
    """

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 60.0,
        fallback: Generator | None = None,
        embedder: Embedder | None = None,
        temperature: float = 0.1,
        max_tokens: int = 600,
        max_passages: int = 8,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self._base_url = base_url
        self._model = model
        self._timeout = timeout
        self._fallback = fallback
        self._embedder = embedder
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._max_passages = max_passages
        # Local servers need no key, but the client insists on one.
        self._client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0
        )

    @property
    def name(self) -> str:
        return f"openai:{self._model}"

    @property
    def extractive(self) -> bool:
        return False

    def generate(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Answer:
        """Ask the endpoint, then check its answer against ``hits``."""
        hits = list(hits)[: self._max_passages]
        if not hits:
            return refusal(question, generator=self.name)
        try:
            response = self._client.chat.completions.create(
                model=self._model,
                messages=build_messages(question, hits, history=history),  # type: ignore[arg-type]
                temperature=self._temperature,
                max_tokens=self._max_tokens,
            )
        except (openai.APIError, httpx.HTTPError) as exc:
            reason = self._failure_message(exc)
            log.warning("LLM endpoint failed (%s): %s", reason, exc)
            return self._fall_back(question, hits, history, reason)
        content = response.choices[0].message.content if response.choices else None
        return self.check(question, content or "", hits)

    def stream(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Iterator[dict[str, Any]]:
        """Deltas as the endpoint sends them, then the checked answer's citations."""
        hits = list(hits)[: self._max_passages]
        if not hits:
            yield from stream_events(refusal(question, generator=self.name))
            return
        parts: list[str] = []
        finished = False
        failure: str | None = None
        try:
            chunks = self._client.chat.completions.create(
                model=self._model,
                messages=build_messages(question, hits, history=history),  # type: ignore[arg-type]
                temperature=self._temperature,
                max_tokens=self._max_tokens,
                stream=True,
            )
            for chunk in cast("Iterable[ChatCompletionChunk]", chunks):
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                finished = finished or choice.finish_reason is not None
                if choice.delta.content:
                    parts.append(choice.delta.content)
                    yield {"type": "delta", "text": choice.delta.content}
        except (openai.APIError, httpx.HTTPError) as exc:
            failure = self._failure_message(exc)
            log.warning("LLM endpoint failed while streaming (%s): %s", failure, exc)
        if failure is None and not finished:
            # the connection dropped before the model said it was done
            failure = "生成服务的回答中途中断"
        if failure is not None:
            answer = self._fall_back(question, hits, history, failure)
            if parts:  # the streamed text is void; say so before the fallback's text
                yield {"type": "delta", "text": f"\n\n（{answer.warnings[0]}）\n\n"}
            yield from stream_events(answer)
            return
        answer = self.check(question, "".join(parts), hits)
        yield {"type": "citations", "answer": answer}
        yield {"type": "done"}

    def check(self, question: str, text: str, hits: Sequence[Hit]) -> Answer:
        """Turn a model's raw answer into a checked ``Answer``: citations re-attached
        by what the passages say, unknown numbers dropped, unsupported facts flagged,
        and the refusal when nothing in it is supported."""
        text = text.strip()
        if not text or any(phrase in text for phrase in _REFUSAL_PHRASES):
            return refusal(question, generator=self.name)
        parsed = split_cited_sentences(text)
        supports = attach_citations(parsed, hits, embedder=self._embedder)
        if not any(s.hit_indices for s in supports):
            log.warning("model answer has no support in the passages: %r", text[:200])
            return refusal(
                question,
                generator=self.name,
                warnings=("模型的回答在检索到的材料中找不到依据，已按“没有找到”处理。",),
            )
        sentences, citations = number_citations(supports, hits)
        issues = check_facts(" ".join(s for s, _ in parsed), [h.text for h in hits])
        warnings = []
        unsupported = sum(1 for s in supports if not s.hit_indices)
        if unsupported:
            warnings.append(
                f"有 {unsupported} 句话在检索到的材料中找不到依据，未标注来源，请核实。"
            )
        if issues:
            listed = "、".join(i.text for i in issues[:5])
            warnings.append(f"以下内容在材料中找不到：{listed}，请核实。")
        answer = Answer(
            question=question,
            sentences=tuple(sentences),
            citations=tuple(citations),
            generator=self.name,
            issues=tuple(issues),
            warnings=tuple(warnings),
        )
        # the same answerability check as the extractive answer: a fluent reply about
        # another unit, or one without the asked figure, is still no answer
        return enforce(question, answer, hits)

    def _failure_message(self, exc: Exception) -> str:
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return f"生成服务在 {self._timeout:g} 秒内没有响应"
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return f"无法连接生成服务 {self._base_url}"
        if isinstance(exc, openai.APIStatusError):
            return f"生成服务返回错误（HTTP {exc.status_code}）"
        return f"生成服务出错（{type(exc).__name__}）"

    def _fall_back(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[tuple[str, str]],
        reason: str,
    ) -> Answer:
        if self._fallback is None:
            raise GenerationError(reason)
        answer = self._fallback.generate(question, hits, history=history)
        warning = f"{reason}，已改用摘录式回答。"
        return replace(answer, warnings=(warning, *answer.warnings), fell_back=True)
