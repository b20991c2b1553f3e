"""The LLM prompt within its token budget, the first tokens streamed as they come, and
the fallback's notice — against the stub OpenAI-compatible server (no model)."""

from __future__ import annotations

import pytest

from answer import ExtractiveGenerator, OpenAIChatGenerator
from answer.openai_generator import (
    PROMPT_TOKENS_DEFAULT,
    SYSTEM_PROMPT,
    build_prompt,
    estimate_tokens,
)
from retrieval import Hit
from tests.answer.test_openai_generator import QUESTION, make_hits
from tests.llm_stub import StubLLM, parse_prompt
from textcore import split_sentences

# Eight passages of about 150 characters, ranked: the budget decides how many go in.
_SENTENCES = (
    "第{n}社区组建了{n}支志愿服务队，常年开展邻里互助活动。",
    "社区党委每月召开一次议事会，收集居民意见{n}0余条。",
    "今年以来，社区共办结群众诉求{n}6件，满意率保持在较高水平。",
    "下一步，社区将继续完善网格化管理，推动服务向楼院延伸。",
    "社区还建成了党群服务中心，面积{n}00平方米，向居民全天开放。",
)


def ranked_hits(count: int = 8) -> list[Hit]:
    hits = []
    for n in range(1, count + 1):
        text = "".join(s.format(n=n) for s in _SENTENCES)
        hits.append(
            Hit(
                chunk_id=f"p{n}:00000",
                doc_id=f"p{n}",
                text=text,
                title=f"第{n}社区工作报道",
                heading_path=("工作开展",),
                start=0,
                end=len(text),
                score=1.0 / n,
            )
        )
    return hits


def prompt_tokens_of(messages: list[dict[str, str]]) -> int:
    return sum(estimate_tokens(m["content"]) for m in messages)


def test_the_estimate_errs_high_against_the_measured_rates() -> None:
    # measured with the model's tokenizer: 0.61 tokens per CJK character, 0.60 per other
    # character (each digit a token); the estimate may not fall below either
    assert estimate_tokens("") == 0
    chinese = "社区党委每月召开一次议事会"
    assert estimate_tokens(chinese) >= len(chinese) * 0.61
    assert estimate_tokens("2022年12月5日") >= len("2022") + len("12") + len("5") + 3 * 0.61
    assert estimate_tokens("1234") == 4  # a digit is a token


def test_the_prompt_keeps_the_best_passages_first_within_the_budget() -> None:
    hits = ranked_hits()
    unbounded = build_prompt(QUESTION, hits)
    assert unbounded.passages == len(hits)
    budget = 500
    assert prompt_tokens_of(unbounded.messages) > budget  # the budget has work to do
    prompt = build_prompt(QUESTION, hits, prompt_tokens=budget)
    assert prompt.tokens <= budget
    assert prompt_tokens_of(prompt.messages) <= budget
    assert 1 <= prompt.passages < len(hits)
    passages, question = parse_prompt(prompt.messages)
    assert question == QUESTION
    assert prompt.messages[0]["content"] == SYSTEM_PROMPT
    # the first ones, in rank order, numbered as they go
    assert sorted(passages) == list(range(1, prompt.passages + 1))
    for number, text in passages.items():
        source = hits[number - 1].text
        assert source.startswith(text)
        # a cut passage ends at a sentence end
        assert any(end == len(text) for _, end in split_sentences(source))
    assert passages[1] == hits[0].text  # the best passage whole


def test_a_bigger_budget_sends_more_passages() -> None:
    hits = ranked_hits()
    counts = [build_prompt(QUESTION, hits, prompt_tokens=b).passages for b in (400, 800, 1600)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_the_best_passage_goes_in_even_when_the_budget_is_tiny() -> None:
    prompt = build_prompt(QUESTION, ranked_hits(), prompt_tokens=200)
    passages, _ = parse_prompt(prompt.messages)
    assert list(passages) == [1] and passages[1]


def test_earlier_turns_get_only_the_room_the_passages_leave() -> None:
    hits = ranked_hits(2)
    history = [("开元路街道有多少党员？", "开元路街道有党员1200名[1]。")]
    roomy = build_prompt(QUESTION, hits, history=history, prompt_tokens=4000)
    assert [m["role"] for m in roomy.messages] == ["system", "user", "assistant", "user"]
    tight_budget = build_prompt(QUESTION, hits).tokens + 5
    tight = build_prompt(QUESTION, hits, history=history, prompt_tokens=tight_budget)
    assert tight.passages == 2
    assert [m["role"] for m in tight.messages] == ["system", "user"]


def test_the_generator_sends_the_budgeted_prompt_and_cites_only_what_it_sent(
    fake_embedder,
) -> None:
    hits = ranked_hits()
    with StubLLM() as stub:
        gen = OpenAIChatGenerator(
            base_url=stub.base_url,
            model="stub-model",
            prompt_tokens=500,
            fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
        )
        sent = gen.prompt_for("第8社区办结群众诉求多少件？", hits)
        answer = gen.generate("第8社区办结群众诉求多少件？", hits)
    (request,) = stub.requests
    passages, _ = parse_prompt(request["messages"])
    assert len(passages) == sent.passages < len(hits)
    assert prompt_tokens_of(request["messages"]) <= 500
    assert request["stream"] is True
    # passage 8 was never sent: no citation may point at it
    assert {c.doc_id for c in answer.citations} <= {h.doc_id for h in hits[: sent.passages]}


def test_a_budget_must_be_positive() -> None:
    with pytest.raises(ValueError, match="prompt_tokens"):
        OpenAIChatGenerator(base_url="http://127.0.0.1:9/v1", model="m", prompt_tokens=0)


def test_the_settings_default_is_the_measured_budget(tmp_path, monkeypatch) -> None:
    from server.services import Services
    from server.settings import Settings
    from tests.fakes import HashingEmbedder

    assert Settings(data_dir=tmp_path).llm_prompt_tokens == PROMPT_TOKENS_DEFAULT
    monkeypatch.setenv("KB_LLM_PROMPT_TOKENS", "400")
    settings = Settings(
        data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="stub-model"
    )
    services = Services(settings, embedder=HashingEmbedder())
    generator = services.generator
    assert isinstance(generator, OpenAIChatGenerator)
    assert generator.prompt_for(QUESTION, ranked_hits()).tokens <= 400


def test_the_first_tokens_arrive_before_the_model_has_finished(fake_embedder) -> None:
    with StubLLM(behaviour="gated") as stub:
        gen = OpenAIChatGenerator(
            base_url=stub.base_url,
            model="stub-model",
            fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
        )
        events = gen.stream(QUESTION, make_hits())
        first = next(events)
        # the stub holds the rest of its answer until the gate opens
        assert first["type"] == "delta" and first["text"]
        assert not stub.finished.is_set()
        stub.gate.set()
        rest = list(events)
    assert stub.finished.is_set()
    assert [e["type"] for e in rest][-2:] == ["citations", "done"]
    final = rest[-2]["answer"]
    assert not final.fell_back and "32人" in final.text
    assert (first["text"] + "".join(e["text"] for e in rest if e["type"] == "delta")).startswith(
        "街道储备"
    )


def test_a_streamed_answer_that_fails_the_check_ends_with_the_extractive_answer(
    fake_embedder,
) -> None:
    with StubLLM(behaviour="offtopic") as stub:
        gen = OpenAIChatGenerator(
            base_url=stub.base_url,
            model="stub-model",
            fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
        )
        events = list(gen.stream(QUESTION, make_hits()))
    deltas = [e["text"] for e in events if e["type"] == "delta"]
    streamed = "".join(deltas)
    # the model's text went out first, then the notice, then the extractive answer
    assert streamed.index("热水") < streamed.index("未通过核对") < streamed.index("32人")
    assert [e["type"] for e in events][-2:] == ["citations", "done"]
    final = events[-2]["answer"]
    assert final.fell_back and final.generator == "extractive"
    assert final.notice == "语言模型的回答未通过核对，以下为摘录式回答"


def test_a_timeout_before_the_first_token_streams_the_notice_then_the_extract(
    fake_embedder,
) -> None:
    with StubLLM(behaviour="slow", delay=2.0) as stub:
        gen = OpenAIChatGenerator(
            base_url=stub.base_url,
            model="stub-model",
            timeout=0.5,
            fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
        )
        events = list(gen.stream(QUESTION, make_hits()))
    deltas = [e["text"] for e in events if e["type"] == "delta"]
    assert deltas[0] == "（语言模型未在时限内作答，以下为摘录式回答）\n"
    assert "32人" in "".join(deltas[1:])
    assert events[-2]["answer"].fell_back
