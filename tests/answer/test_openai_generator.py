"""The LLM path against a stub OpenAI-compatible server: real HTTP, the real openai client."""

from __future__ import annotations

import os

import pytest

from answer import (
    REFUSAL_TEXT,
    ExtractiveGenerator,
    GenerationError,
    Generator,
    OpenAIChatGenerator,
    cited_text,
)
from retrieval import Hit
from tests.llm_stub import UNSUPPORTED_SENTENCE, StubLLM

PASSAGES = [
    (
        "东风路街道",
        "繁华的东风路、热闹的花园路都在辖区内。如今的东风路街道是有着12.8万常住人口，"
        "3.7万流动人口的密集型居住、商业区。",
    ),
    (
        "开元路街道",
        "街道储备基层党务后备力量90人，其中32人通过社区“两委”换届走上重要岗位。"
        "街道党工委被市委评为先进基层党组织。",
    ),
    (
        "西工区",
        "截至目前，西工区已组建小区、楼院党支部300余个，776个小区、楼院实现全覆盖。",
    ),
]


def make_hits() -> list[Hit]:
    return [
        Hit(
            chunk_id=f"doc{i}:00000",
            doc_id=f"doc{i}",
            text=text,
            title=f"{title}的报道",
            heading_path=(),
            start=100 * i,
            end=100 * i + len(text),
            score=1.0 / (i + 1),
            source_key=f"{i:03d}.txt",
        )
        for i, (title, text) in enumerate(PASSAGES)
    ]


QUESTION = "开元路街道有多少人通过换届走上重要岗位？"


@pytest.fixture
def stub():
    with StubLLM() as server:
        yield server


def generator_for(stub: StubLLM, fake_embedder, **kwargs) -> OpenAIChatGenerator:
    return OpenAIChatGenerator(
        base_url=stub.base_url,
        model="stub-model",
        fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
        **kwargs,
    )


def test_both_generators_implement_the_seam(stub, fake_embedder) -> None:
    chat = generator_for(stub, fake_embedder)
    extractive = ExtractiveGenerator(fake_embedder)
    assert isinstance(chat, Generator) and isinstance(extractive, Generator)
    assert not chat.extractive and extractive.extractive


def test_faithful_answer_keeps_its_citation_and_passes_the_check(stub, fake_embedder) -> None:
    answer = generator_for(stub, fake_embedder).generate(QUESTION, make_hits())
    assert not answer.refused and answer.generator == "openai:stub-model"
    assert not answer.fell_back
    assert "32人" in answer.text
    (sentence,) = answer.sentences
    assert sentence.citations == (1,)
    assert answer.citations[0].doc_id == "doc1" and "32人" in answer.citations[0].excerpt
    assert answer.issues == () and answer.warnings == ()
    # the prompt carried the numbered passages and the question
    prompt = stub.requests[0]["messages"][-1]["content"]
    assert "[1]《东风路街道的报道》" in prompt and "[3]" in prompt and QUESTION in prompt
    assert stub.requests[0]["messages"][0]["role"] == "system"


@pytest.mark.parametrize("behaviour", ["wrong_citation", "bad_citation"])
def test_wrong_or_unknown_citation_numbers_are_reattached(stub, fake_embedder, behaviour) -> None:
    stub.behaviour = behaviour
    answer = generator_for(stub, fake_embedder).generate(QUESTION, make_hits())
    assert [c.doc_id for c in answer.citations] == ["doc1"]
    assert answer.sentences[0].citations == (1,)


def test_unsupported_number_is_flagged(stub, fake_embedder) -> None:
    stub.behaviour = "unsupported_number"
    answer = generator_for(stub, fake_embedder).generate(QUESTION, make_hits())
    assert not answer.refused
    assert [(i.kind, i.text) for i in answer.issues] == [("number", "9876名")]
    assert "9876名" in answer.issues[0].sentence
    assert any("9876名" in w for w in answer.warnings)
    # the invented sentence is not attributed to a passage
    invented = [s for s in answer.sentences if "9876" in s.text]
    assert invented and invented[0].citations == ()
    assert UNSUPPORTED_SENTENCE.startswith("此外")


def test_model_refusal_and_unsupported_text_become_the_refusal(stub, fake_embedder) -> None:
    gen = generator_for(stub, fake_embedder)
    stub.behaviour = "refuse"
    assert gen.generate(QUESTION, make_hits()).refused
    stub.behaviour = "offtopic"
    # with no fallback to turn to, unsupported text is the refusal
    answer = OpenAIChatGenerator(base_url=stub.base_url, model="stub-model").generate(
        QUESTION, make_hits()
    )
    assert answer.refused and answer.text == REFUSAL_TEXT
    assert answer.warnings  # says why the model's text was not used


def test_unsupported_text_falls_back_to_the_extractive_answer(stub, fake_embedder) -> None:
    stub.behaviour = "offtopic"
    answer = generator_for(stub, fake_embedder).generate(QUESTION, make_hits())
    assert answer.fell_back and answer.generator == "extractive"
    assert "32人" in answer.text and answer.citations
    assert answer.notice == "语言模型的回答未通过核对，以下为摘录式回答"
    assert "找不到依据" in answer.warnings[0] and "摘录式" in answer.warnings[0]


def test_timeout_falls_back_to_extractive_with_a_clear_warning(stub, fake_embedder) -> None:
    stub.behaviour = "slow"
    stub.delay = 2.0
    answer = generator_for(stub, fake_embedder, timeout=0.5).generate(QUESTION, make_hits())
    assert answer.generator == "extractive" and answer.fell_back
    assert "没有响应" in answer.warnings[0] and "摘录式" in answer.warnings[0]
    assert answer.citations and not answer.refused
    assert answer.notice == "语言模型未在时限内作答，以下为摘录式回答"


def test_server_error_falls_back_with_the_status(stub, fake_embedder) -> None:
    stub.behaviour = "error500"
    answer = generator_for(stub, fake_embedder).generate(QUESTION, make_hits())
    assert answer.generator == "extractive" and answer.fell_back
    assert "HTTP 500" in answer.warnings[0]


def test_unreachable_endpoint_falls_back(fake_embedder) -> None:
    with StubLLM() as server:
        url = server.base_url
    gen = OpenAIChatGenerator(
        base_url=url,
        model="m",
        timeout=2.0,
        fallback=ExtractiveGenerator(fake_embedder, threshold=0.0),
    )
    answer = gen.generate(QUESTION, make_hits())
    assert answer.generator == "extractive" and "无法连接" in answer.warnings[0]
    assert answer.fell_back


def test_without_fallback_a_failure_raises(stub) -> None:
    stub.behaviour = "error500"
    gen = OpenAIChatGenerator(base_url=stub.base_url, model="stub-model")
    with pytest.raises(GenerationError, match="HTTP 500"):
        gen.generate(QUESTION, make_hits())


def test_no_hits_means_refusal_without_a_request(stub, fake_embedder) -> None:
    assert generator_for(stub, fake_embedder).generate(QUESTION, []).refused
    assert stub.requests == []


def test_streaming_yields_deltas_then_checked_citations(stub, fake_embedder) -> None:
    stub.behaviour = "unsupported_number"
    events = list(generator_for(stub, fake_embedder).stream(QUESTION, make_hits()))
    kinds = [e["type"] for e in events]
    assert kinds[-2:] == ["citations", "done"]
    deltas = [e["text"] for e in events if e["type"] == "delta"]
    assert len(deltas) > 3  # arrived in pieces, as the server sent them
    assert "32人" in "".join(deltas)
    final = events[-2]["answer"]
    assert final.citations[0].doc_id == "doc1"
    assert [i.text for i in final.issues] == ["9876名"]
    assert "[1]" in cited_text(final)
    assert stub.requests[0]["stream"] is True


def test_streaming_falls_back_when_the_endpoint_fails(stub, fake_embedder) -> None:
    stub.behaviour = "error500"
    events = list(generator_for(stub, fake_embedder).stream(QUESTION, make_hits()))
    assert [e["type"] for e in events][-2:] == ["citations", "done"]
    final = events[-2]["answer"]
    assert final.generator == "extractive" and "HTTP 500" in final.warnings[0]


def test_streaming_broken_mid_answer_says_so_and_falls_back(stub, fake_embedder) -> None:
    stub.behaviour = "break_stream"
    events = list(generator_for(stub, fake_embedder).stream(QUESTION, make_hits()))
    final = next(e["answer"] for e in events if e["type"] == "citations")
    assert final.generator == "extractive" and final.warnings
    notice = [e["text"] for e in events if e["type"] == "delta" and "摘录式" in e["text"]]
    assert notice, "the user is told the streamed text was replaced"


@pytest.mark.llm
@pytest.mark.skipif(
    not os.environ.get("KB_TEST_LLM_URL"), reason="set KB_TEST_LLM_URL to a local LLM"
)
def test_a_real_local_model_answers_in_chinese_with_valid_citations(fake_embedder) -> None:
    gen = OpenAIChatGenerator(
        base_url=os.environ["KB_TEST_LLM_URL"],
        model=os.environ.get("KB_TEST_LLM_MODEL", "local"),
        timeout=300.0,
    )
    hits = make_hits()
    answer = gen.generate(QUESTION, hits)
    assert answer.text.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.text)
    numbers = {c.number for c in answer.citations}
    assert numbers == set(range(1, len(answer.citations) + 1))
    for sentence in answer.sentences:
        assert set(sentence.citations) <= numbers
    assert {c.chunk_id for c in answer.citations} <= {h.chunk_id for h in hits}


def test_markers_are_read_wherever_the_model_puts_them() -> None:
    from answer.citations import split_cited_sentences

    text = "常住人口12.8万[1]。其中32人走上重要岗位。[2][3]\n党支部300余个【3】；完毕"
    assert split_cited_sentences(text) == [
        ("常住人口12.8万。", (1,)),
        ("其中32人走上重要岗位。", (2, 3)),
        ("党支部300余个；", (3,)),
        ("完毕", ()),
    ]


def test_sentences_citing_two_passages_keep_both_when_both_support(fake_embedder) -> None:
    from answer.citations import attach_citations

    hits = make_hits()
    text = "东风路街道是有着12.8万常住人口的密集型居住、商业区"
    (support,) = attach_citations([(text, (1, 2))], hits)
    assert support.hit_indices == (0,)  # [2] says nothing of the kind
    (support,) = attach_citations([(text, ())], hits, embedder=fake_embedder)
    assert support.hit_indices == (0,)
    assert hits[0].text[slice(*support.spans[0])].startswith("如今的东风路街道")
