"""Answerability: focus covered, answer type present, the asked unit as subject.

Fast: hand-made hits and the hashing embedder (the dev-set figures are in
bench/answers.py)."""

from __future__ import annotations

import pytest

from answer import ExtractiveGenerator, analyse_question, answer_question, enforce
from answer.answerability import check_sentence, unit_is_subject
from answer.citations import build_citation
from answer.types import Answer, AnswerSentence
from retrieval import Hit

XIGONG = (
    "截至目前，西工区已组建小区、楼院党支部300余个，776个小区、楼院实现全覆盖。"
    "西工区持续推进“红色物业”建设。"
)
JIANXI = "2018年,累计投入1700余万元用于党建阵地建设。全区建成党建文化广场11个。"
HUBEI = "湖北路街道高度重视安全生产，组织开展消防演练活动，提升居民安全意识。"
STATUTE = (
    "第十一条 申请最低生活保障，按照下列程序办理：\n"
    "（一）由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；\n"
    "（二）乡镇人民政府、街道办事处应当对申请人的家庭收入状况、财产状况进行调查核实；\n"
    "（三）县级人民政府民政部门经审查，对符合条件的申请予以批准。"
)


def hit(doc: str, text: str, *, title: str, index: int = 0, article: str = "") -> Hit:
    return Hit(
        chunk_id=f"{doc}:{index:05d}",
        doc_id=doc,
        text=text,
        title=title,
        heading_path=(),
        start=0,
        end=len(text),
        score=1.0,
        source_key=f"{doc}.txt",
        article=article,
    )


XIGONG_HIT = hit("xg", XIGONG, title="河南省洛阳市西工区：基层党建引领保障 城市治理提质增效")
JIANXI_HIT = hit("jx", JIANXI, title="洛阳市涧西区委书记到武汉路街道调研城市基层党建工作")


@pytest.fixture
def generator(fake_embedder) -> ExtractiveGenerator:
    # the hashing embedder's similarities are not e5's: no evidence threshold here
    return ExtractiveGenerator(fake_embedder, threshold=0.0)


def test_another_units_figure_is_not_an_answer(generator) -> None:
    # 涧西区 is in the evidence (its own document), the figure asked for is not
    answer = generator.generate("涧西区建成了多少个小区、楼院党支部？", [XIGONG_HIT, JIANXI_HIT])
    assert answer.refused
    assert "300" not in answer.text
    assert answer.text.startswith("知识库中没有找到「涧西区") and answer.citations == ()
    # the nearest passage is offered apart, to read
    assert answer.related and "300余个" in answer.related[0].excerpt
    assert {c.doc_id for c in answer.related} == {"xg", "jx"}


def test_the_same_question_about_the_right_unit_is_answered(generator) -> None:
    answer = generator.generate("西工区建成了多少个小区、楼院党支部？", [XIGONG_HIT])
    assert not answer.refused and "300余个" in answer.sentences[0].text
    assert answer.related == ()


def test_a_sentence_without_a_unit_belongs_to_its_documents_unit(generator) -> None:
    question = "西工区2018年投入了多少资金用于党建阵地建设？"
    refused = generator.generate(question, [JIANXI_HIT])
    assert refused.refused and "1700" not in refused.text
    answered = generator.generate(question.replace("西工区", "涧西区"), [JIANXI_HIT])
    assert not answered.refused and "1700余万元" in answered.sentences[0].text


def test_the_asked_answer_type_must_be_present(generator) -> None:
    hits = [hit("hb", HUBEI, title="湖北路街道以党建引领“五星”支部创建")]
    answer = generator.generate("湖北路街道第三季度组织了几次消防演练？", hits)
    assert answer.refused
    assert answer.text == "知识库中没有找到「湖北路街道消防演练次数」的相关内容。"
    assert answer.related[0].doc_id == "hb"


def test_the_focus_must_be_covered(generator) -> None:
    hits = [hit("hb", HUBEI, title="湖北路街道以党建引领“五星”支部创建")]
    focus = analyse_question("湖北路街道的社区工作者月工资标准是多少？")
    assert focus.units == ("湖北路街道",)
    check = check_sentence(focus, HUBEI, hits[0])
    assert check.coverage < 0.35 and not check.passed


def test_unit_subject_rules() -> None:
    assert unit_is_subject("湖北路街道", "涧西区湖北路街道建成网格党支部20个。", None)
    assert not unit_is_subject("涧西区", "西工区已组建小区党支部300余个。", None)
    # 洛阳市涧西区 and 涧西区 are one unit
    assert unit_is_subject("洛阳市涧西区", "涧西区建成党建文化广场11个。", None)
    # no unit in the sentence, none in the document: nothing says it is about the unit
    assert not unit_is_subject("涧西区", "全区建成党建文化广场11个。", None)
    assert unit_is_subject("涧西区", "全区建成党建文化广场11个。", JIANXI_HIT)


def test_a_list_item_comes_with_its_lead_in(generator) -> None:
    hits = [hit("law", STATUTE, title="社会救助暂行办法", article="第十一条")]
    answer = generator.generate("低保申请要交到哪里？", hits)
    assert not answer.refused
    texts = [s.text for s in answer.sentences]
    item = next(i for i, t in enumerate(texts) if t.startswith("（一）"))
    assert item > 0 and texts[item - 1].startswith("第十一条 申请最低生活保障")
    assert answer.citations[0].label == "《社会救助暂行办法》第十一条"


def test_procedure_steps_come_in_article_order_with_their_labels(generator) -> None:
    law = "社会救助暂行办法"
    hits = [
        hit("law", "第十二条 对批准获得最低生活保障的家庭，按月发给最低生活保障金。",
            title=law, index=2, article="第十二条"),
        hit("law", STATUTE, title=law, index=1, article="第十一条"),
    ]  # fmt: skip
    hits[0] = Hit(**{**hits[0].__dict__, "start": 500, "end": 540})
    answer = generator.generate("申请最低生活保障怎么办理？批准以后怎么发钱？", hits)
    assert not answer.refused
    labels = [answer.citations[s.citations[0] - 1].label for s in answer.sentences]
    assert labels.index("《社会救助暂行办法》第十一条") < labels.index(
        "《社会救助暂行办法》第十二条"
    )


def test_enforce_refuses_a_generated_answer_about_another_unit() -> None:
    citation = build_citation(1, XIGONG_HIT)
    answer = Answer(
        question="涧西区建成了多少个小区、楼院党支部？",
        sentences=(AnswerSentence("涧西区已组建小区、楼院党支部300余个。", (1,)),),
        citations=(citation,),
        generator="openai:test",
    )
    checked = enforce(answer.question, answer, [XIGONG_HIT])
    assert checked.refused and checked.generator == "openai:test"
    assert checked.related and checked.citations == ()


class OneDocSearcher:
    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search(self, query, *, k=10, filters=None, mode="hybrid"):
        return list(self.hits)


def test_a_follow_up_about_another_unit_is_checked_after_rewriting(generator) -> None:
    searcher = OneDocSearcher([XIGONG_HIT])
    first = "西工区建成了多少个小区、楼院党支部？"
    answered = answer_question(first, searcher=searcher, generator=generator)
    assert "300余个" in answered.text
    follow = answer_question(
        "那涧西区呢？", searcher=searcher, generator=generator, history=[(first, answered.text)]
    )
    assert follow.rewritten_query == "涧西区建成了多少个小区、楼院党支部？"
    assert follow.refused and "300" not in follow.text
