"""An LLM's section rewrite keeps a citation in every paragraph and every figure of the
text it replaces, or the extractive text stays (the fact check covers figures it adds)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from answer.openai_generator import PROMPT_TOKENS_DEFAULT
from drafting import DraftRequest, compose_draft
from textcore.facts import check_facts, extract_facts

REQUEST = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3")


class _Rewriter:
    def __init__(self, write) -> None:
        self.write = write
        self.headings: list[str] = []

    def rewrite_section(
        self, *, doc_name: str, heading: str, evidence: Sequence[tuple[int, str]]
    ) -> str:
        self.headings.append(heading)
        return self.write(evidence)


def _body(draft) -> list[str]:
    return [p.text for s in draft.sections for p in s.paragraphs]


def _figures(texts: list[str]) -> set[str]:
    return {f.text for t in texts for f in extract_facts(t) if f.kind in ("number", "date")}


def test_a_rewrite_without_citations_leaves_the_extractive_text(corpus_searcher_fake):
    plain = compose_draft(REQUEST, searcher=corpus_searcher_fake)
    rewriter = _Rewriter(lambda evidence: "街道扎实推进各项工作，取得明显成效。")
    draft = compose_draft(REQUEST, searcher=corpus_searcher_fake, rewriter=rewriter)
    assert rewriter.headings
    assert _body(draft) == _body(plain)
    assert any("没有标注来源" in w and "保留摘录原文" in w for w in draft.warnings)


def test_a_rewrite_that_drops_a_figure_leaves_the_extractive_text(corpus_searcher_fake):
    def first_only(evidence):
        number, sentence = evidence[0]
        return f"{sentence}[{number}]"

    plain = compose_draft(REQUEST, searcher=corpus_searcher_fake)
    draft = compose_draft(REQUEST, searcher=corpus_searcher_fake, rewriter=_Rewriter(first_only))
    dropped = [w for w in draft.warnings if "未保留材料中的" in w]
    assert dropped, draft.warnings
    assert all("保留摘录原文" in w for w in dropped)
    assert _body(draft) != _body(plain)  # sections whose figures all survived are rewritten
    assert _figures(_body(plain)) <= _figures(_body(draft))  # no figure of the extract lost
    assert draft.issues == ()


def test_a_rewrite_that_keeps_every_figure_replaces_the_extract(corpus_searcher_fake):
    def joined(evidence):
        return "".join(f"{sentence}[{number}]" for number, sentence in evidence[::-1])

    plain = compose_draft(REQUEST, searcher=corpus_searcher_fake)
    draft = compose_draft(REQUEST, searcher=corpus_searcher_fake, rewriter=_Rewriter(joined))
    assert not [w for w in draft.warnings if "未保留材料中的" in w]
    assert _body(draft) != _body(plain)
    assert draft.issues == ()


@pytest.mark.llm
@pytest.mark.skipif(
    not os.environ.get("KB_TEST_LLM_URL"), reason="set KB_TEST_LLM_URL to a local LLM"
)
def test_a_real_local_model_rewrites_sections_or_the_extract_stays(corpus_searcher_fake):
    from answer import ExtractiveGenerator, OpenAIChatGenerator
    from tests.fakes import HashingEmbedder

    generator = OpenAIChatGenerator(
        base_url=os.environ["KB_TEST_LLM_URL"],
        model=os.environ.get("KB_TEST_LLM_MODEL", "local"),
        timeout=300.0,
        prompt_tokens=PROMPT_TOKENS_DEFAULT,
        max_tokens=300,
        fallback=ExtractiveGenerator(HashingEmbedder(), threshold=0.0),
    )
    request = DraftRequest("brief", "湖北路街道", topic="五星支部创建")
    draft = compose_draft(
        request, searcher=corpus_searcher_fake, generator=generator, remove_unsupported=True
    )
    by_number = {c.number: c for c in draft.citations}
    body = [p for s in draft.sections for p in s.paragraphs if p.level == 0 and not p.placeholder]
    assert body
    for paragraph in body:
        # every paragraph still cites, and every figure in it is in what it cites
        assert paragraph.citations and set(paragraph.citations) <= set(by_number)
        sources = [by_number[n].excerpt for n in paragraph.citations] + ["湖北路街道"]
        assert not [i for i in check_facts(paragraph.text, sources) if i.kind == "number"]
