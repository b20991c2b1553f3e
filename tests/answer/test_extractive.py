"""The extractive generator, fast: hand-made hits and the hashing embedder.

(Answers on the real corpus with the real model are in test_answer.py.)"""

from __future__ import annotations

from dataclasses import replace

import pytest

from answer import REFUSAL_TEXT, ExtractiveGenerator, cited_text
from answer.citations import split_cited_sentences
from retrieval import Hit
from tests.fakes import statute_hit

DOC_A = (
    "开元路街道持续加强基层党建工作。"
    "街道储备基层党务后备力量90人，其中32人通过社区“两委”换届走上重要岗位。"
    "街道党工委被市委评为先进基层党组织。"
)
DOC_A2 = "开元路街道经发办每季度走访辖区四上企业至少1次，帮助企业解决实际困难。"
DOC_B = (
    "如今的东风路街道是有着12.8万常住人口，3.7万流动人口的密集型居住、商业区。"
    "东风路街道2016年在全省率先运用ISO9001党建质量管理。"
)


def hit(doc: str, index: int, text: str, start: int = 0, title: str | None = None) -> Hit:
    return Hit(
        chunk_id=f"{doc}:{index:05d}",
        doc_id=doc,
        text=text,
        title=title or f"{doc} 的报道",
        heading_path=("一、党建引领",),
        start=start,
        end=start + len(text),
        score=1.0,
        source_key=f"{doc}.txt",
    )


@pytest.fixture
def generator(fake_embedder) -> ExtractiveGenerator:
    # the hashing embedder's similarities are not e5's: no threshold in these tests
    return ExtractiveGenerator(fake_embedder, threshold=0.0)


def test_answers_with_the_sentence_that_holds_the_fact(generator) -> None:
    hits = [hit("b", 0, DOC_B), hit("a", 0, DOC_A)]
    answer = generator.generate("开元路街道有多少人通过社区换届走上重要岗位？", hits)
    assert not answer.refused and answer.generator == "extractive"
    assert generator.extractive and not answer.fell_back
    assert "32人" in answer.text
    first = answer.sentences[0]
    cited = answer.citations[first.citations[0] - 1]
    assert cited.doc_id == "a" and "32人" in cited.excerpt
    # the excerpt is the used sentence, located in the document
    assert cited.start == hits[1].start + DOC_A.index(cited.excerpt[:10])


def test_citations_are_numbered_in_order_of_first_use(generator) -> None:
    hits = [hit("b", 0, DOC_B), hit("a", 0, DOC_A)]
    answer = generator.generate("东风路街道和开元路街道的人口和后备力量", hits)
    used = [n for s in answer.sentences for n in s.citations]
    assert used and used[0] == 1
    assert [c.number for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    first_use = list(dict.fromkeys(used))
    assert first_use == sorted(first_use)
    assert {c.chunk_id for c in answer.citations} <= {h.chunk_id for h in hits}


def test_sentences_of_one_document_keep_document_order(fake_embedder) -> None:
    generator = ExtractiveGenerator(fake_embedder, threshold=0.0, max_sentences=3)
    hits = [hit("a", 1, DOC_A2, start=500), hit("a", 0, DOC_A, start=0)]
    question = "开元路街道经发办每季度走访四上企业，街道储备基层党务后备力量90人"
    answer = generator.generate(question, hits)
    assert len(answer.sentences) >= 2
    starts = [
        (h.start + h.text.index(s.text[:8]))
        for s in answer.sentences
        for h in hits
        if s.text[:8] in h.text
    ]
    assert starts == sorted(starts)


def test_near_duplicates_are_dropped(generator) -> None:
    same = "其中32人通过社区“两委”换届走上重要岗位。"
    hits = [hit("a", 0, same), hit("c", 0, "据报道，" + same), hit("b", 0, DOC_B)]
    answer = generator.generate("多少人通过社区两委换届走上重要岗位", hits)
    assert sum("32人" in s.text for s in answer.sentences) == 1


def test_length_bounds_hold(fake_embedder) -> None:
    text = "".join(f"开元路街道第{i}项党建工作取得了新的进展和明显成效。" for i in range(1, 30))
    generator = ExtractiveGenerator(fake_embedder, threshold=0.0, max_sentences=3, max_chars=60)
    answer = generator.generate("开元路街道党建工作进展成效", [hit("a", 0, text)])
    assert 1 <= len(answer.sentences) <= 3
    assert len(answer.text) <= 60 or len(answer.sentences) == 1


def test_no_hits_is_a_refusal(generator) -> None:
    answer = generator.generate("开元路街道有多少人？", [])
    assert answer.refused and answer.text == REFUSAL_TEXT and answer.citations == ()


def test_a_place_the_evidence_never_mentions_is_a_refusal(generator) -> None:
    answer = generator.generate("陆家嘴街道有多少常住人口？", [hit("b", 0, DOC_B)])
    assert answer.refused


def test_a_place_named_with_its_city_still_counts_as_mentioned(generator) -> None:
    answer = generator.generate("郑州市东风路街道有多少常住人口？", [hit("b", 0, DOC_B)])
    assert not answer.refused and "12.8万" in answer.text


def test_weak_evidence_below_the_threshold_is_a_refusal(fake_embedder) -> None:
    strict = ExtractiveGenerator(fake_embedder, threshold=0.9)
    lenient = ExtractiveGenerator(fake_embedder, threshold=0.0)
    hits = [hit("b", 0, DOC_B)]
    question = "推荐一部好看的电影"
    assessment = strict.assess(question, hits)
    assert assessment.best_score < 0.9
    weak = strict.generate(question, hits)
    # refused for weak evidence like any other refusal: saying what was looked for,
    # the nearest passage offered apart, never as the answer
    assert weak.refused and weak.citations == ()
    assert weak.text == "知识库中没有找到「推荐一部好看的电影」的相关内容。" and weak.related
    # above the threshold the answerability check still finds nothing that answers
    # the question: the refusal names it and the passage is only offered as related
    lenient_answer = lenient.generate(question, hits)
    assert lenient_answer.refused and lenient_answer.related
    assert lenient_answer.text != REFUSAL_TEXT


def test_deterministic(generator) -> None:
    hits = [hit("b", 0, DOC_B), hit("a", 0, DOC_A), hit("a", 1, DOC_A2, start=500)]
    question = "开元路街道的党建工作有哪些成效？"
    assert generator.generate(question, hits) == generator.generate(question, hits)


def test_stream_yields_the_answer_sentence_by_sentence(generator) -> None:
    hits = [hit("b", 0, DOC_B), hit("a", 0, DOC_A)]
    question = "东风路街道常住人口有多少？"
    events = list(generator.stream(question, hits))
    assert [e["type"] for e in events][-2:] == ["citations", "done"]
    deltas = "".join(e["text"] for e in events if e["type"] == "delta")
    answer = generator.generate(question, hits)
    assert deltas == cited_text(answer) == cited_text(events[-2]["answer"])
    assert events[-2]["answer"] == answer
    assert "[1]" in deltas


def test_cited_text_starts_an_article_or_an_item_on_a_line_of_its_own() -> None:
    from answer import Answer, AnswerSentence

    answer = Answer(
        question="低保怎么申请？",
        sentences=(
            AnswerSentence("第十一条 申请最低生活保障，按照下列程序办理。", (1,)),
            AnswerSentence("（一）由共同生活的家庭成员提出书面申请。", (1,)),
            AnswerSentence("家庭成员申请有困难的，可以委托居民委员会代为提出申请。", (1,)),
            AnswerSentence("第十二条 对批准获得最低生活保障的家庭，按月发给。", (2,)),
        ),
        citations=(),
        generator="extractive",
    )
    text = cited_text(answer)
    assert text.split("\n") == [
        "第十一条 申请最低生活保障，按照下列程序办理[1]。",
        "（一）由共同生活的家庭成员提出书面申请[1]。"
        "家庭成员申请有困难的，可以委托居民委员会代为提出申请[1]。",
        "第十二条 对批准获得最低生活保障的家庭，按月发给[2]。",
    ]
    # what streams is what the answer reads, line breaks included
    from answer.generator import stream_events

    deltas = [e["text"] for e in stream_events(answer) if e["type"] == "delta"]
    assert "".join(deltas) == text
    assert [(s, c) for s, c in split_cited_sentences(text)] == [
        (s.text, s.citations) for s in answer.sentences
    ]


def test_cited_text_round_trips_through_the_parser(generator) -> None:
    hits = [hit("b", 0, DOC_B), hit("a", 0, DOC_A)]
    answer = generator.generate("东风路街道和开元路街道的人口和后备力量", hits)
    parsed = split_cited_sentences(cited_text(answer))
    assert [(s.text, s.citations) for s in answer.sentences] == list(parsed)


def test_answer_text_is_normalised_but_the_citation_keeps_the_indexed_text(generator) -> None:
    raw = "湖北路街道下辖七个社区,打造“红色物业“品牌。"
    document = "前言。" + raw
    hits = [hit("c", 0, document, start=100)]
    answer = generator.generate("湖北路街道下辖几个社区？", hits)
    assert answer.text == "湖北路街道下辖7个社区，打造“红色物业”品牌。"
    cited = answer.citations[answer.sentences[0].citations[0] - 1]
    assert cited.excerpt == raw
    assert document[cited.start - 100 : cited.end - 100] == raw


def test_a_procedure_written_with_half_width_commas_answers_like_its_full_width_twin(
    generator,
) -> None:
    full = (
        "王府庄社区一时难以遴选出合适人选担任社区书记，街道党工委果断选派同志作为下派"
        "第一书记主持日常工作，一方面成立经济组织，另一方面提升治理能力。"
    )
    question = "王府庄社区一时选不出社区书记，街道党工委是怎么处理的？"
    for text in (full, full.replace("，", ",")):
        answer = generator.generate(question, [hit("w", 0, "加强支部建设。" + text)])
        assert not answer.refused, text
        assert "选派同志作为下派第一书记" in answer.text


def test_a_list_answer_keeps_the_items_that_follow_the_sentence_naming_the_list(
    generator,
) -> None:
    # the items share few of the question's words: scored alone they fall far below
    # the sentence that names the list, and other sentences on the topic crowd them out
    named = (
        "为了使每一颗螺丝钉都能发挥作用，今年，东风路街道将“星级评定”制升级为“红色手账”"
        "党员积分管理制。"
        "分为基础积分、贡献加分、违规扣分和一票否决，对党员形成约束。"
    )
    others = [
        "东风路街道党员积分管理制激励党员服务社区，红色手账记录党员的每一次服务。",
        "东风路街道的红色手账党员积分管理制在社区推广，党员积分与评优挂钩。",
        "东风路街道把红色手账党员积分管理制写进社区公约，党员积分每季度公示。",
        "东风路街道红色手账党员积分管理制运行一年，党员积分排名张榜公布。",
    ]
    hits = [hit("d", 0, named)] + [hit(f"o{i}", 0, t) for i, t in enumerate(others)]
    answer = generator.generate("东风路街道的“红色手账”党员积分由哪几部分组成？", hits)
    assert not answer.refused
    assert "基础积分、贡献加分、违规扣分和一票否决" in answer.text
    # right after the sentence that names the list
    texts = [s.text for s in answer.sentences]
    at = next(i for i, t in enumerate(texts) if t.startswith("分为基础积分"))
    assert at > 0 and "升级为“红色手账”党员积分管理制" in texts[at - 1]


def test_a_two_unit_answer_takes_each_units_answering_sentence(generator) -> None:
    # the sentence on 东风路街道 that scores best names it and little of the focus; the
    # one that says how it builds its 楼宇经济 scores less (no street name): it answers
    kaiyuan = "开元路街道建立红色楼宇联盟，发展楼宇经济，推动楼宇党建。"
    dongfeng = (
        "东风路街道每一步都踏石留印，东风路街道经济发展迅速，扎实有效。"
        "转变工作思路，引进总部企业，打造楼宇经济。"
    )
    hits = [hit("k", 0, kaiyuan), hit("f", 0, dongfeng)]
    answer = generator.generate("开元路街道和东风路街道分别是怎样发展楼宇经济、楼宇党建的？", hits)
    assert not answer.refused
    assert "红色楼宇联盟" in answer.text and "引进总部企业" in answer.text


FRONT = (
    "中华人民共和国城市居民委员会组织法\n"
    "1989年12月26日第七届全国人民代表大会常务委员会第十一次会议通过"
    "2018年12月29日第十三届全国人民代表大会常务委员会第七次会议"
    "《关于修改〈中华人民共和国城市居民委员会组织法〉的决定》修正"
)
SCOPE = "第二十一条 本法适用于乡、民族乡、镇的人民政府所在地设立的居民委员会。"


def test_a_statutes_front_matter_answers_only_when_it_was_adopted(generator) -> None:
    # the title names the statute the question names: it shares the most words with
    # it, and states no rule
    hits = [statute_hit(0, FRONT, "", 0), statute_hit(1, SCOPE, "第二十一条", 2000)]
    answer = generator.generate("镇上的居民委员会，城市居民委员会组织法管不管？", hits)
    assert not answer.refused
    assert "第二十一条" in answer.text and "第十一次会议" not in answer.text
    # the enactment record is the answer to when the statute was adopted
    answer = generator.generate("城市居民委员会组织法是什么时候通过的？", hits)
    assert "1989年12月26日" in answer.text


def test_the_date_of_a_statutes_making_comes_from_its_own_record(generator) -> None:
    # the record's date line is read with the title above it; the last article's date
    # is another text's (…发布的《…》), and 本条例自发布之日起施行 gives no date
    front = "殡葬管理条例\n1997年7月21日 中华人民共和国国务院令第225号发布"
    last = (
        "第二十四条 本条例自发布之日起施行。1985年2月8日国务院发布的"
        "《国务院关于殡葬管理的暂行规定》同时废止。"
    )
    hits = [statute_hit(0, front, "", 0), statute_hit(1, last, "第二十四条", 3000)]
    hits = [replace(h, title="殡葬管理条例") for h in hits]
    answer = generator.generate("殡葬管理条例是哪一年发布的？", hits)
    assert answer.text.startswith("1997年7月21日")
    assert "1985年" not in answer.text
    # the date of the step asked: 施行 is written in the article, not in the record
    effective = "第二十四条 本条例自1997年7月21日起施行。"
    hits[1] = replace(hits[1], text=effective, end=3000 + len(effective))
    assert generator.generate("殡葬管理条例什么时候开始施行？", hits).text.startswith("第二十四条")


def test_a_statute_is_quoted_with_its_own_numerals(generator) -> None:
    article = (
        "第八条 居民委员会主任、副主任和委员，由本居住地区全体有选举权的居民或者由每户派代表"
        "选举产生；根据居民意见，也可以由每个居民小组选举代表二至三人选举产生。"
    )
    hits = [statute_hit(0, article, "第八条", 500)]
    answer = generator.generate("居民委员会的主任和委员怎么选举产生？", hits)
    assert not answer.refused
    assert "二至三人" in answer.text and "3人" not in answer.text


def test_a_fact_read_two_ways_quotes_both_articles() -> None:
    from answer.answerability import SentenceCheck
    from answer.extractive import _Candidate, _second_reading

    first = statute_hit(
        0, "第十三条 居民委员会根据需要设人民调解、治安保卫、公共卫生等委员会。", "第十三条", 0
    )
    other = statute_hit(1, "第七条 居民委员会由主任、副主任和委员共五至九人组成。", "第七条", 100)
    news = hit("n", 0, DOC_A)

    def cand(index: int, score: float) -> _Candidate:
        return _Candidate(index, 0, 10, "句子", 0.5, 0.9, score)

    def read(lead: _Candidate, answering: list[_Candidate], hits: list[Hit]) -> list[_Candidate]:
        return _second_reading(lead, answering, checks, hits, key=lambda c: c.score)

    lead, in_first, weaker_in_first, agreed = cand(1, 0.8), cand(0, 0.6), cand(0, 0.5), cand(0, 0.9)
    passes, agreed_only = SentenceCheck(0.5, True, (), ()), SentenceCheck(0.27, True, (), ())
    checks = {id(c): passes for c in (lead, in_first, weaker_in_first)} | {id(agreed): agreed_only}
    # led by another article: the first-ranked article's best answering sentence comes along
    assert read(lead, [lead, weaker_in_first, in_first], [first, other]) == [in_first]
    # nothing when no sentence of that article answers, or when it is no statute article
    assert read(lead, [lead], [first, other]) == []
    assert read(lead, [lead, in_first], [news, other]) == []
    # led by the first-ranked article in full: nothing more
    assert read(in_first, [in_first, lead], [first, other]) == []
    # led by it only as the agreed article: the other article that passes in full comes along
    assert read(agreed, [agreed, lead], [first, other]) == [lead]
    assert read(agreed, [agreed], [first, other]) == []


def test_the_first_ranked_article_passes_at_the_agreed_coverage_when_nothing_else_passes() -> None:
    from dataclasses import replace

    from answer.answerability import AGREED_MIN, FOCUS_MIN, SentenceCheck
    from answer.extractive import _agreed, _Candidate

    first = statute_hit(0, "第六十四条 过失引起火灾的，处十日以上十五日以下拘留。", "第六十四条", 0)
    news = hit("n", 0, DOC_A)
    hits = [first, news]

    def cand(index: int, score: float) -> _Candidate:
        return _Candidate(index, 0, 10, "句子", 0.5, 0.9, score)

    in_news, in_first = cand(1, 0.6), cand(0, 0.5)
    between = SentenceCheck((AGREED_MIN + FOCUS_MIN) / 2, True, (), ())
    full = replace(between, coverage=FOCUS_MIN)
    checks = {id(in_news): between, id(in_first): between}
    # the best-scored sentence stands elsewhere and nothing passes: the first-ranked
    # article's best sentence passes at the agreed coverage
    assert _agreed([in_news, in_first], [], checks, hits) == [in_first]
    # another sentence passes in full: it answers, the agreed article waits
    checks[id(in_news)] = full
    assert _agreed([in_news, in_first], [in_news], checks, hits) == []
    # the best-scored sentence of all stands in the first-ranked article: it passes
    checks[id(in_news)] = between
    assert _agreed([in_first, in_news], [], checks, hits) == [in_first]
    # below the agreed coverage, or without the asked type: nothing
    checks[id(in_first)] = replace(between, coverage=AGREED_MIN - 0.05)
    assert _agreed([in_news, in_first], [], checks, hits) == []
    checks[id(in_first)] = replace(between, type_ok=False)
    assert _agreed([in_news, in_first], [], checks, hits) == []


def test_a_procedure_is_led_from_the_statute_retrieval_ranks_first() -> None:
    from answer.extractive import _Candidate, _statute_of_first

    fire = statute_hit(
        0, "第五十一条 消防救援机构有权根据需要封闭火灾现场，负责调查火灾原因。", "第五十一条", 0
    )
    relief = _in_doc(
        statute_hit(
            1, "第四十七条 国家对因火灾等意外事件导致生活困难的家庭给予临时救助。", "第四十七条", 0
        ),
        "relief",
    )

    def cand(index: int, score: float) -> _Candidate:
        return _Candidate(index, 0, 10, "句子", 0.5, 0.9, score)

    in_relief, in_fire = cand(1, 0.9), cand(0, 0.6)
    key = lambda c: c.score  # noqa: E731
    # the lead stands in another statute than the first-ranked article: that article leads
    assert _statute_of_first(in_relief, [in_relief, in_fire], [fire, relief], key) is in_fire
    # unless no sentence of it answers
    assert _statute_of_first(in_relief, [in_relief], [fire, relief], key) is in_relief
    # a lead of the same statute, or a first hit that is no article, stays
    same = statute_hit(1, "第五十条 对因参加扑救火灾受伤的人员给予医疗、抚恤。", "第五十条", 50)
    assert _statute_of_first(in_relief, [in_relief, in_fire], [fire, same], key) is in_relief
    news = hit("n", 0, DOC_A)
    assert _statute_of_first(in_relief, [in_relief, in_fire], [news, relief], key) is in_relief


def _in_doc(h: Hit, doc: str) -> Hit:
    from dataclasses import replace

    return replace(h, doc_id=doc, chunk_id=f"{doc}:00000", source_key=f"{doc}.txt")


def test_every_sentence_of_the_first_ranked_article_is_checked(generator) -> None:
    # seventeen sentences share the question's words more than the one that answers
    filler = "".join(f"居民委员会下面的委员会成员第{i}次会议照常举行。" for i in range(1, 18))
    answer_sentence = "居民委员会根据需要设人民调解、治安保卫、公共卫生等委员会。"
    article = f"第十三条 {filler}{answer_sentence}"
    hits = [statute_hit(0, article, "第十三条", 0)]
    answer = generator.generate("居委会下面能设哪些委员会？", hits)
    assert not answer.refused
    assert "人民调解、治安保卫、公共卫生" in answer.text


def test_a_roster_of_the_askers_area_is_not_answered_by_a_statute(generator) -> None:
    duties = (
        "第十七条 消防安全重点单位包括商场、医院、学校、宾馆等人员密集场所，"
        "由县级以上地方人民政府消防救援机构确定。"
    )
    hits = [statute_hit(0, duties, "第十七条", 0)]
    asked = generator.generate("我们辖区有哪些单位被定为消防安全重点单位？", hits)
    assert asked.refused
    # the rule itself is answered, and asked without the asker's own area too
    rule = generator.generate("我们辖区的消防安全重点单位由谁来确定？", hits)
    assert not rule.refused and "第十七条" in rule.text
    rule = generator.generate("消防安全重点单位由谁来确定？", hits)
    assert not rule.refused and "第十七条" in rule.text


def test_a_local_office_whose_hours_are_asked_is_not_answered_by_a_statute(generator) -> None:
    duty = "第八条 公安机关负责居住证的申领受理、制作、发放、签注等证件管理工作。"
    hits = [statute_hit(0, duty, "第八条", 0)]
    asked = generator.generate("我们这片归哪个派出所办居住证？窗口几点上班？", hits)
    assert asked.refused
    # the rule itself is answered
    rule = generator.generate("居住证由哪个部门负责办理？", hits)
    assert not rule.refused and "第八条" in rule.text


# 消防法's articles on the design review of a building, ranked before the penalty: a
# procedure answer's five articles (``_MAX_ARTICLES``) fill with them
DUTIES = (
    (
        "第九条 建设工程的消防设计、施工必须符合国家工程建设消防技术标准。建设、设计、施工、"
        "工程监理等单位依法对建设工程的消防设计、施工质量负责。",
        "第九条",
    ),
    (
        "第十条 对按照国家工程建设消防技术标准需要进行消防设计的建设工程，实行建设工程消防设计"
        "审查验收制度。",
        "第十条",
    ),
    (
        "第十一条 国务院住房和城乡建设主管部门规定的特殊建设工程，建设单位应当将消防设计文件报送"
        "住房和城乡建设主管部门审查，住房和城乡建设主管部门依法对审查的结果负责。",
        "第十一条",
    ),
    (
        "第十二条 特殊建设工程未经消防设计审查或者审查不合格的，建设单位、施工单位不得施工。",
        "第十二条",
    ),
    (
        "第十三条 国务院住房和城乡建设主管部门规定应当申请消防验收的建设工程竣工，建设单位应当"
        "向住房和城乡建设主管部门申请消防验收。",
        "第十三条",
    ),
)
PENALTY = (
    "第五十八条 违反本法规定，有下列行为之一的，由住房和城乡建设主管部门责令停止施工，"
    "并处三万元以上三十万元以下罚款：\n"
    "（一）依法应当进行消防设计审查的建设工程，未经依法审查或者审查不合格，擅自施工的。"
)


@pytest.mark.parametrize(
    "question",
    [
        "特殊建设工程的消防设计没审就开工了，会怎么处理？",
        "特殊建设工程的消防设计要报谁审？没审就开工了会怎么处理？",
    ],
)
def test_a_wrong_done_is_answered_by_its_sanction_not_by_the_duties_broken(
    generator, question: str
) -> None:
    # the duty articles say the same things in the same words and rank first; the
    # question asks what befalls one who broke them
    hits = [statute_hit(i, text, article, 100 * i) for i, (text, article) in enumerate(DUTIES)]
    hits.append(statute_hit(len(hits), PENALTY, "第五十八条", 3000))
    answer = generator.generate(question, hits)
    assert not answer.refused
    assert "三万元以上三十万元以下罚款" in answer.text


def test_a_focus_the_first_ranked_article_holds_is_answered_a_little_under_the_threshold(
    fake_embedder,
) -> None:
    from answer.extractive import _COVERED_MARGIN

    article = "第二十三条 禁止非法携带易燃易爆危险品进入公共场所或者乘坐公共交通工具。"
    other = "第二十二条 易燃易爆气体和液体的充装站、供应站，应当设置在符合消防安全要求的位置。"
    hits = [statute_hit(0, article, "第二十三条", 0), statute_hit(1, other, "第二十二条", 200)]
    question = "有人携带易燃易爆危险品乘坐公共交通工具，可以吗？"

    def answer(hits: list[Hit], margin: float, question: str = question):
        # the threshold set just above the best sentence's score
        best = ExtractiveGenerator(fake_embedder, threshold=0.0).assess(question, hits).best_score
        generator = ExtractiveGenerator(fake_embedder, threshold=best + margin)
        return generator.generate(question, hits)

    # a little under the threshold, and the first-ranked article holds the focus
    assert "第二十三条" in answer(hits, _COVERED_MARGIN / 2).text
    # further under it, or the first hit no statute article: refused, as below any threshold
    assert answer(hits, _COVERED_MARGIN * 2).refused
    assert answer([hit("n", 0, DOC_A), *hits], _COVERED_MARGIN / 2).refused
    # a focus the article does not hold (储存, 仓库): refused
    assert answer(hits, _COVERED_MARGIN / 2, "仓库里储存易燃易爆危险品可以吗？").refused


def test_steps_a_statute_answers_are_not_led_by_a_report_of_how_one_place_did_it(
    generator,
) -> None:
    report = hit(
        "n",
        0,
        "为选聘物业服务企业，涧西区探索业主委员会、物业服务企业和社区“三方联动”的程序，"
        "业主大会选聘物业服务企业由社区党委指导。",
    )
    article = statute_hit(
        1,
        "第十一条 下列事项由业主共同决定：（四）选聘和解聘物业服务企业。",
        "第十一条",
        400,
    )
    answer = generator.generate("业主想换一家物业服务企业，选聘要走什么程序？", [report, article])
    assert not answer.refused
    assert answer.text.startswith("第十一条")
    assert "涧西区" not in answer.text
