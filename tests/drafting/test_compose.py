"""Composition over the sample corpus: sections, period and unit scope, citations that
trace back to the sources, placeholders instead of invention, and the fact check."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import pytest

from answer import Answer, AnswerSentence, Citation
from drafting import DraftRequest, compose_draft
from drafting.compose import format_chinese_date
from drafting.types import Draft
from drafting.voice import voice_for
from retrieval.types import Hit
from tests.conftest import CORPUS_DIR
from textcore.normalize import normalize_text


def _cited_paragraphs(draft: Draft):
    return [p for s in draft.sections for p in s.paragraphs if p.citations]


def _assert_traceable(draft: Draft) -> None:
    """Every cited paragraph is made of its cited sentences (said in the unit's voice,
    with normalised punctuation), and every number in it is in one of them or in its
    date: checked here independently of the fact checker."""
    voice = voice_for(draft.request.unit, draft.request.doc_type)
    by_number = {c.number: c for c in draft.citations}
    assert sorted(by_number) == list(range(1, len(draft.citations) + 1))
    for p in _cited_paragraphs(draft):
        cited = [by_number[n] for n in p.citations]
        shown = [normalize_text(voice.rewrite(c.excerpt, source_date=c.date) or "") for c in cited]
        text = re.sub(r"^\d+\.", "", p.text)
        rest = text
        for sentence in shown:
            rest = rest.replace(sentence, "")
        assert rest == "", f"text not from the cited sentences: {rest!r}"
        sources = [
            unicodedata.normalize("NFKC", c.excerpt)
            + (c.date or "")
            + (voice.resolve_years(c.excerpt, c.date) or "")
            for c in cited
        ]
        for number in re.findall(r"\d+(?:\.\d+)?", text):
            assert any(number in e or cn_count(number, e) for e in sources), number


def cn_count(number: str, source: str) -> bool:
    """A count the normaliser wrote in Arabic numerals (7个) from a Chinese one (七个)."""
    chinese = "零一二三四五六七八九"
    return len(number) == 1 and chinese[int(number)] in source


def _assert_excerpts_in_corpus(draft: Draft) -> None:
    texts = {path.stem: path.read_text(encoding="utf-8") for path in CORPUS_DIR.glob("*.txt")}
    for c in draft.citations:
        assert texts[c.doc_id][c.start : c.end] == c.excerpt


def test_quarterly_summary_in_period_and_unit(corpus_searcher_fake):
    request = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3", date="2026-11-23")
    draft = compose_draft(request, searcher=corpus_searcher_fake)

    assert draft.title == "湖北路街道2022年第三季度工作总结"
    assert [s.heading for s in draft.sections] == [
        "",
        "一、主要工作及成效",
        "二、存在的问题和不足",
        "三、下一步工作打算",
    ]
    assert draft.date == "2026年11月23日"
    assert draft.signature == "湖北路街道"
    assert draft.warnings == ()
    # Only the one document dated in 2022 Q3 about the unit is searched.
    scoped = [f for _, f in corpus_searcher_fake.calls[2:]]  # after the two scope probes
    assert all(
        f is not None and f.date_from == "2022-07-01" and f.date_to == "2022-09-30" for f in scoped
    )
    assert all("湖北路街道" in f.regions for f in scoped)
    assert {c.doc_id for c in draft.citations} == {"004_7a3d55e367e2524f"}

    themes = [p.text for p in draft.sections[1].paragraphs if p.level == 2]
    assert themes and themes[0].startswith("（一）")
    assert all(re.match(r"（[一二三四五]）", t) for t in themes)
    assert draft.sections[0].paragraphs[-1].text == "现将我街道2022年第三季度工作情况总结如下。"
    _assert_traceable(draft)
    _assert_excerpts_in_corpus(draft)
    assert draft.issues == ()
    assert draft.supported_share == 1.0


def test_section_without_evidence_says_so_instead_of_inventing(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3"),
        searcher=corpus_searcher_fake,
    )
    next_steps = draft.sections[3].paragraphs
    assert len(next_steps) == 1 and next_steps[0].placeholder
    assert next_steps[0].text == "【待补充：知识库中未找到下一步工作打算相关内容】"


def test_no_sentence_is_used_twice(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("work-report", "涧西区", topic="城市基层党建"), searcher=corpus_searcher_fake
    )
    excerpts = [c.excerpt for c in draft.citations]
    assert len(excerpts) == len(set(excerpts)) >= 5
    _assert_traceable(draft)


def test_period_without_material_falls_back_and_says_so(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("quarterly-summary", "开元路街道", period="2021Q1"),
        searcher=corpus_searcher_fake,
    )
    notice = "知识库中未找到2021年第一季度的材料，以下内容取自其他时期的材料"
    assert notice in draft.warnings
    overview = draft.sections[0].paragraphs
    assert overview[0].placeholder and notice in overview[0].text
    assert _cited_paragraphs(draft), "fallback evidence was used"
    assert {c.doc_id for c in draft.citations} == {"000_4423692526bec3df"}  # still the unit's
    _assert_traceable(draft)


def test_unknown_unit_relaxes_the_region_filter_with_a_warning(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("brief", "幸福路街道", topic="五星支部创建"), searcher=corpus_searcher_fake
    )
    assert any("幸福路街道" in w and "放宽" in w for w in draft.warnings)
    assert draft.citations
    assert draft.title == "幸福路街道五星支部创建工作简报"


def test_work_report_recipient_closing_and_title(corpus_searcher_fake):
    plain = compose_draft(
        DraftRequest("work-report", "湖北路街道", topic="五星支部创建工作"),
        searcher=corpus_searcher_fake,
    )
    assert plain.title == "关于湖北路街道五星支部创建工作情况的报告"
    assert plain.recipient == "区委、区政府"
    assert plain.closing == "特此报告。"
    custom = compose_draft(
        DraftRequest("work-report", "湖北路街道", period="2022Q3", fields={"主送机关": "涧西区委"}),
        searcher=corpus_searcher_fake,
    )
    assert custom.recipient == "涧西区委"
    assert custom.title == "关于湖北路街道2022年第三季度工作情况的报告"


def test_activity_plan_fills_user_fields_verbatim(corpus_searcher_fake):
    fields = {
        "活动时间": "2022年10月4日（星期二）上午9:00",
        "活动地点": "湖北路街道党群服务中心 3楼",
    }
    notes = "邀请辖区80岁以上老人参加。\n活动结束后合影留念。"
    draft = compose_draft(
        DraftRequest("activity-plan", "湖北路街道", topic="重阳节敬老", notes=notes, fields=fields),
        searcher=corpus_searcher_fake,
    )
    assert draft.title == "湖北路街道重阳节敬老活动方案"
    by_heading = {s.heading: s.paragraphs for s in draft.sections}
    assert by_heading["一、活动主题"][0].text == "重阳节敬老"
    assert by_heading["二、活动时间"][0].text == fields["活动时间"]
    assert by_heading["三、活动地点"][0].text == "湖北路街道党群服务中心3楼"
    assert by_heading["四、参加人员"][0].placeholder
    content = by_heading["五、活动内容"]
    texts = [p.text for p in content]
    assert texts[0] == "（一）活动安排"
    assert "2.活动实施。2022年10月4日（星期二）上午9:00在湖北路街道党群服务中心3楼举行" in texts[2]
    notes_at = texts.index("邀请辖区80岁以上老人参加。")
    assert texts[notes_at + 1] == "活动结束后合影留念。"
    assert texts[notes_at + 2] == "（二）可借鉴的做法"
    items = [p for p in content if p.citations]
    assert items and [p.text.split(".")[0] for p in items] == [
        str(i) for i in range(1, len(items) + 1)
    ]
    assert all(p.level == 3 for p in items)
    _assert_traceable(draft)
    # The user's own text and fields are not fact-checked: "80岁" is theirs.
    assert draft.issues == ()
    # Nothing in the corpus is about 重阳节敬老: the items are other activities, and it says so.
    assert (
        "知识库中未找到与“重阳节敬老”直接相关的活动内容，所列为其他活动的做法，仅供参考"
        in draft.warnings
    )
    requirements = by_heading["六、工作要求"]
    assert [p.text[:3] for p in requirements] == ["（一）", "（二）", "（三）"]
    assert not any(p.citations for p in requirements)


def test_activity_content_prefers_material_on_the_topic(corpus_searcher_fake):
    draft = compose_draft(
        DraftRequest("activity-plan", "湖北路街道", topic="五星支部创建观摩"),
        searcher=corpus_searcher_fake,
    )
    items = [p for s in draft.sections if s.key == "content" for p in s.paragraphs if p.citations]
    assert items
    topic_grams = {"五星支部创建观摩"[i : i + 2] for i in range(7)}
    assert all(any(g in p.text for g in topic_grams) for p in items)
    assert not any("直接相关" in w for w in draft.warnings)


class _InventingRewriter:
    """An LLM stand-in that adds a number no source has."""

    def rewrite_section(
        self, *, doc_name: str, heading: str, evidence: Sequence[tuple[int, str]]
    ) -> str:
        number, sentence = evidence[0]
        return f"{sentence}[{number}]全年共开展活动999次。"


def test_rewritten_text_is_fact_checked_and_flagged(corpus_searcher_fake):
    request = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3")
    draft = compose_draft(request, searcher=corpus_searcher_fake, rewriter=_InventingRewriter())
    flagged = {i.text for i in draft.issues}
    assert any("999" in text for text in flagged)
    assert draft.supported_share < 1.0
    assert any("999次" in p.text for p in _cited_paragraphs(draft))

    cleaned = compose_draft(
        request,
        searcher=corpus_searcher_fake,
        rewriter=_InventingRewriter(),
        remove_unsupported=True,
    )
    assert not any("999" in p.text for s in cleaned.sections for p in s.paragraphs)
    assert any(p.citations for p in _cited_paragraphs(cleaned))


class _EchoChatGenerator:
    """A ``Generator`` (the answer seam) that restates its first hit, citing it."""

    name = "fake-chat"
    extractive = False

    def __init__(self) -> None:
        self.questions: list[str] = []

    def generate(self, question: str, hits: Sequence[Hit], *, history=()) -> Answer:
        self.questions.append(question)
        hit = hits[-1]
        citation = Citation(
            1, hit.chunk_id, hit.doc_id, hit.title, (), hit.text, hit.start, hit.end
        )
        return Answer(question, (AnswerSentence(hit.text, (1,)),), (citation,), generator=self.name)


def test_a_chat_generator_rewrites_each_section_from_its_evidence(corpus_searcher_fake):
    generator = _EchoChatGenerator()
    draft = compose_draft(
        DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3"),
        searcher=corpus_searcher_fake,
        generator=generator,
    )
    assert generator.questions and all("湖北路街道" in q for q in generator.questions)
    by_number = {c.number: c for c in draft.citations}
    voice = voice_for("湖北路街道", "quarterly-summary")
    for p in _cited_paragraphs(draft):
        # The rewrite is said in the unit's voice like extracted text.
        polished = [
            normalize_text(
                voice.own_voice(
                    voice.resolve_years(by_number[n].excerpt.strip(), by_number[n].date) or ""
                )
            )
            for n in p.citations
        ]
        assert p.citations and all(text in p.text for text in polished)
    assert draft.supported_share == 1.0


def test_bad_inputs_raise_clear_errors(corpus_searcher_fake):
    from drafting import PeriodError, UnknownDocumentTypeError

    with pytest.raises(UnknownDocumentTypeError):
        compose_draft(DraftRequest("minutes", "湖北路街道"), searcher=corpus_searcher_fake)
    with pytest.raises(PeriodError):
        compose_draft(
            DraftRequest("brief", "湖北路街道", period="去年"), searcher=corpus_searcher_fake
        )
    with pytest.raises(ValueError, match="单位"):
        compose_draft(DraftRequest("brief", "  "), searcher=corpus_searcher_fake)


def test_chinese_dates():
    assert format_chinese_date("2026-11-23") == "2026年11月23日"
    assert format_chinese_date("2022/9/4") == "2022年9月4日"
    assert format_chinese_date("二〇二二年九月") == "二〇二二年九月"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", format_chinese_date(None))


@pytest.mark.slow
@pytest.mark.parametrize(
    "request_",
    [
        DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3"),
        DraftRequest(
            "activity-plan", "湖北路街道", topic="五星支部创建观摩", fields={"活动时间": "9月20日"}
        ),
        DraftRequest("brief", "西工区", topic="五星支部创建"),
    ],
    ids=lambda r: r.doc_type,
)
def test_extractive_drafts_on_the_real_index_trace_every_number(real_corpus_searcher, request_):
    draft = compose_draft(request_, searcher=real_corpus_searcher)
    assert _cited_paragraphs(draft), "the real index found evidence"
    _assert_traceable(draft)
    assert draft.issues == ()
    assert draft.supported_share == 1.0


class _InventingOnlyFor:
    """Rewrites one sub-section into a single sentence with an invented number."""

    def __init__(self, heading: str) -> None:
        self.heading = heading

    def rewrite_section(
        self, *, doc_name: str, heading: str, evidence: Sequence[tuple[int, str]]
    ) -> str:
        if self.heading in heading:
            # every figure of the evidence kept (or the rewrite is not taken), each
            # sentence carrying the invented one
            return "".join(
                f"{sentence.rstrip('。')}，共建成示范点777个[{number}]。"
                for number, sentence in evidence
            )
        return "".join(f"{sentence}[{number}]" for number, sentence in evidence)


def test_removing_a_whole_sub_section_drops_its_heading_and_renumbers(corpus_searcher_fake):
    request = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3")
    before = compose_draft(request, searcher=corpus_searcher_fake)
    themes = [p.text for p in before.sections[1].paragraphs if p.level == 2]
    assert len(themes) >= 2
    victim = themes[0].split("）", 1)[1]
    after = compose_draft(
        request,
        searcher=corpus_searcher_fake,
        rewriter=_InventingOnlyFor(victim),
        remove_unsupported=True,
    )
    assert any("777" in i.text for i in after.issues)
    remaining = [p.text for p in after.sections[1].paragraphs if p.level == 2]
    assert victim not in "".join(remaining)
    assert remaining[0].startswith("（一）") and len(remaining) == len(themes) - 1
    assert not any("777" in p.text for s in after.sections for p in s.paragraphs)


class _ExtractiveLike:
    name = "extractive"
    extractive = True

    def generate(self, question, hits, *, history=()):
        raise AssertionError("an extractive generator is not asked to rewrite")


def test_an_extractive_generator_leaves_the_extractive_draft(corpus_searcher_fake):
    request = DraftRequest("brief", "湖北路街道", topic="五星支部创建")
    plain = compose_draft(request, searcher=corpus_searcher_fake)
    with_generator = compose_draft(
        request, searcher=corpus_searcher_fake, generator=_ExtractiveLike()
    )
    assert with_generator.sections == plain.sections


class _FallingBack:
    """A chat generator whose endpoint is down: its extractive fallback answers."""

    name = "openai:down"
    extractive = False

    def __init__(self) -> None:
        self.calls = 0

    def generate(self, question, hits, *, history=()):
        self.calls += 1
        hit = hits[0]
        citation = Citation(1, hit.chunk_id, hit.doc_id, hit.title, (), hit.text, 0, 1)
        return Answer(
            question,
            (AnswerSentence("改写后的句子。", (1,)),),
            (citation,),
            generator="extractive",
            warnings=("生成服务在 1 秒内没有响应，已改用摘录式回答。",),
            fell_back=True,
        )


def test_a_fallen_back_rewrite_keeps_the_extractive_section_and_says_why(corpus_searcher_fake):
    request = DraftRequest("brief", "湖北路街道", topic="五星支部创建")
    plain = compose_draft(request, searcher=corpus_searcher_fake)
    generator = _FallingBack()
    draft = compose_draft(request, searcher=corpus_searcher_fake, generator=generator)
    assert generator.calls >= 1
    assert draft.sections == plain.sections
    assert any("改用摘录式回答" in w for w in draft.warnings)


@pytest.fixture
def chat_stub():
    """A real HTTP server speaking ``/v1/chat/completions``: it answers with the first
    passage it was given, cited, followed by ``state["extra"]``."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    state = {"extra": "", "calls": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["calls"] += 1
            user = body["messages"][-1]["content"]
            passage = re.search(r"\[1\]《[^》]*》[^\n]*\n([^\n]+)", user).group(1)
            reply = {
                "id": "stub",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": f"{passage}[1]{state['extra']}",
                        },
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
            if body.get("stream"):  # the same reply as one chunk of an event stream
                choice = reply["choices"][0]
                choice["delta"] = choice.pop("message")
                reply["object"] = "chat.completion.chunk"
                data = f"data: {json.dumps(reply, ensure_ascii=False)}\n\ndata: [DONE]\n\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(data.encode())))
                self.end_headers()
                self.wfile.write(data.encode())
                return
            data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


def test_an_openai_compatible_endpoint_rewrites_sections_and_is_checked(
    corpus_searcher_fake, chat_stub
):
    from answer.openai_generator import OpenAIChatGenerator

    generator = OpenAIChatGenerator(base_url=chat_stub["url"], model="stub", timeout=10)
    request = DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3")
    draft = compose_draft(request, searcher=corpus_searcher_fake, generator=generator)
    assert chat_stub["calls"] >= 3  # one per sub-section with evidence
    _assert_traceable(draft)
    assert draft.supported_share == 1.0

    chat_stub["extra"] = "全年共建成示范点777个。"
    flagged = compose_draft(request, searcher=corpus_searcher_fake, generator=generator)
    # A number the model invented never reaches the draft: the sentence is left out and
    # the warning names it (the rewrite keeps every number traced, or falls back).
    assert not any("777" in p.text for s in flagged.sections for p in s.paragraphs)
    assert any("777" in warning for warning in flagged.warnings)


class _OneSentence:
    """A searcher whose knowledge base is one sentence that calls the unit 该街道."""

    TEXT = "目前,在该街道党工委的牵头组织下,已有18家驻区单位加入党建联盟,有效整合辖区资源力量。"

    def search(self, query, *, k=10, filters=None):
        return [Hit("d:00000", "d", self.TEXT, "报道", (), 0, len(self.TEXT), 1.0)]


def test_the_units_name_put_in_by_the_voice_needs_no_source():
    draft = compose_draft(DraftRequest("brief", "邙岭路街道"), searcher=_OneSentence())
    texts = [p.text for s in draft.sections for p in s.paragraphs]
    assert texts == [
        "目前，在邙岭路街道党工委的牵头组织下，已有18家驻区单位加入党建联盟，有效整合辖区资源力量。"
    ]
    assert draft.issues == () and draft.supported_share == 1.0
    assert draft.citations[0].excerpt == _OneSentence.TEXT
