"""Answerability: focus covered, answer type present, the asked unit as subject.

Fast: hand-made hits and the hashing embedder (the dev-set figures are in
bench/answers.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from answer import ExtractiveGenerator, analyse_question, answer_question, enforce
from answer.answerability import (
    AGREED_MIN,
    FOCUS_MIN,
    SentenceCheck,
    check_sentence,
    clause_foci,
    in_agreed_article,
    read_with_evidence,
    story_words,
    unit_is_subject,
)
from answer.citations import build_citation
from answer.types import Answer, AnswerSentence
from retrieval import Hit
from tests.fakes import HashingEmbedder

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


def test_the_refusal_names_what_was_looked_for_with_its_modifier() -> None:
    # jieba reads 低保 as a verb and 临时, 特困 as modifiers: the label keeps them with
    # the noun they stand before, or it would say 标准金额, 救助金额, 人员…
    assert analyse_question("今年我们区的低保标准是每人每月多少钱？").label == "低保标准金额"
    assert analyse_question("我们区临时救助一次最多能给多少钱？").label == "临时救助金额"
    special = analyse_question("今年我们市特困人员的基本生活供养标准是每人每月多少钱？")
    assert special.label.startswith("特困人员")
    # a verb of the asker's story before a noun stays out (觉得救助部门, 搬来社区)
    assert "觉得" not in analyse_question("居民觉得救助部门不给他批不公平，还能走什么途径？").label


def test_a_question_asked_in_verbs_is_refused_in_its_own_words() -> None:
    # its only noun is who asks (居民): 「居民」 would say the knowledge base holds
    # nothing on residents; the question's own words say what was looked for
    fire = analyse_question("居民发现楼里着火了该做什么？火灭了以后还要配合啥？")
    assert fire.label == "居民发现楼里着火了该做什么，火灭了以后还要配合啥"
    assert analyse_question("居住证丢了怎么补？").label == "居住证丢了怎么补"
    # a long question up to its last comma within the bound, not cut inside a word
    long = analyse_question("有人瞒着家里的存款和收入骗低保，被查出来了，除了退钱还要罚吗？")
    assert long.label == "有人瞒着家里的存款和收入骗低保，被查出来了"
    # a place is no generic word: 涧西区 is what was looked for
    assert analyse_question("涧西区呢？").label == "涧西区"


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


def test_enforce_refuses_a_statute_quoted_for_a_roster_of_the_askers_area() -> None:
    duties = (
        "第十七条 消防安全重点单位包括商场、医院、学校、宾馆等人员密集场所，"
        "由县级以上地方人民政府消防救援机构确定。"
    )
    law = statute_hit(duties, article="第十七条", index=0, start=0, title="中华人民共和国消防法")

    def generated(question: str) -> Answer:
        return Answer(
            question=question,
            sentences=(AnswerSentence(duties, (1,)),),
            citations=(build_citation(1, law),),
            generator="openai:test",
        )

    roster = generated("我们辖区有哪些单位被定为消防安全重点单位？")
    checked = enforce(roster.question, roster, [law])
    assert checked.refused and checked.generator == "openai:test"
    # the rule asked for is the statute's to answer
    rule = generated("消防安全重点单位由谁来确定？")
    assert enforce(rule.question, rule, [law]) == rule


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


# --- statutes answer by article; procedures by articles in order ------------------

LAW = "社会救助暂行办法"
ART_12 = "第十二条 对批准获得最低生活保障的家庭，按月发给最低生活保障金。"
# 第六十条 of the fire law: seven items, then the 款 on individuals (over 320 characters)
ART_60 = (
    "第六十条 单位违反本法规定，有下列行为之一的，责令改正，处五千元以上五万元以下罚款：\n"
    "（一）消防设施、器材或者消防安全标志的配置、设置不符合国家标准、行业标准，或者未保持完好有效的；\n"
    "（二）损坏、挪用或者擅自拆除、停用消防设施、器材的；\n"
    "（三）占用、堵塞、封闭疏散通道、安全出口或者有其他妨碍安全疏散行为的；\n"
    "（四）埋压、圈占、遮挡消火栓或者占用防火间距的；\n"
    "（五）占用、堵塞、封闭消防车通道，妨碍消防车通行的；\n"
    "（六）人员密集场所在门窗上设置影响逃生和灭火救援的障碍物的；\n"
    "（七）对火灾隐患经消防救援机构通知后不及时采取措施消除的。\n"
    "个人有前款第二项、第三项、第四项、第五项行为之一的，处警告或者五百元以下罚款。\n"
    "有本条第一款第三项、第四项、第五项、第六项行为，经责令改正拒不改正的，强制执行，"
    "所需费用由违法行为人承担。"
)


def statute_hit(text: str, *, article: str, index: int, start: int, title: str = LAW) -> Hit:
    return Hit(**{**hit("law" + title, text, title=title, index=index, article=article).__dict__,
                  "start": start, "end": start + len(text)})  # fmt: skip


def test_a_fact_from_a_short_article_is_answered_with_the_whole_article(generator) -> None:
    hits = [statute_hit(STATUTE, article="第十一条", index=1, start=0)]
    answer = generator.generate("低保申请要交到哪里？", hits)
    assert not answer.refused
    # the answer holds the article, its lead-in and every item, in order
    assert answer.text.startswith("第十一条 申请最低生活保障")
    assert answer.text.index("（一）") < answer.text.index("（二）") < answer.text.index("（三）")
    assert {c.label for c in answer.citations} == {"《社会救助暂行办法》第十一条"}


def test_a_long_article_is_quoted_by_the_paragraph_that_answers() -> None:
    assert len(ART_60) > 320
    generator = ExtractiveGenerator(HashingEmbedder(), threshold=0.0)
    hits = [statute_hit(ART_60, article="第六十条", index=0, start=0, title="中华人民共和国消防法")]
    answer = generator.generate("个人堵塞安全出口、占用疏散通道，最多罚多少？", hits)
    assert not answer.refused
    assert "五百元以下罚款" in answer.text
    assert "（七）对火灾隐患" not in answer.text  # not the whole long article


def test_a_procedure_is_the_statutes_articles_in_order_without_news(generator) -> None:
    news = hit(
        "news",
        "街道为困难群众申请最低生活保障提供代办服务，按月走访低保家庭。",
        title="湖北路街道以党建引领基层治理",
    )
    hits = [
        statute_hit(ART_12, article="第十二条", index=2, start=500),
        news,
        statute_hit(STATUTE, article="第十一条", index=1, start=0),
    ]
    answer = generator.generate("申请最低生活保障怎么办理？批准以后怎么发钱？", hits)
    assert not answer.refused
    labels = [answer.citations[s.citations[0] - 1].label for s in answer.sentences]
    assert labels.index("《社会救助暂行办法》第十一条") < labels.index(
        "《社会救助暂行办法》第十二条"
    )
    assert all(c.doc_id != "news" for c in answer.citations)  # no news among the steps
    # a list item is never without its lead-in
    texts = [s.text for s in answer.sentences]
    assert texts.index(next(t for t in texts if t.startswith("（一）"))) > texts.index(
        next(t for t in texts if t.startswith("第十一条"))
    )


def test_a_procedures_other_steps_are_the_articles_retrieval_ranks_first(generator) -> None:
    # 第十三条 repeats the question's words more than 第十二条 does, but retrieval
    # (the whole article against the question) ranked 第十二条 higher: the steps
    # follow retrieval, up to eight articles for a question of two parts; 第十三条, ranked
    # last, is left out
    art_13 = (
        "第十三条 最低生活保障家庭的人口状况、收入状况、财产状况发生变化的，"
        "应当及时告知乡镇人民政府、街道办事处。"
    )
    others = [
        f"第{n}条 最低生活保障申请的{what}，由县级人民政府民政部门规定。"
        for n, what in (
            ("十四", "受理"),
            ("十五", "公示"),
            ("十六", "核查"),
            ("十七", "复核"),
            ("十八", "审批"),
            ("十九", "告知"),
        )
    ]
    hits = [
        statute_hit(STATUTE, article="第十一条", index=1, start=0),
        statute_hit(ART_12, article="第十二条", index=2, start=500),
        *(
            statute_hit(text, article=text.split()[0], index=3 + i, start=700 + 100 * i)
            for i, text in enumerate(others)
        ),
        statute_hit(art_13, article="第十三条", index=9, start=600),
    ]
    answer = generator.generate("申请最低生活保障怎么办理？批准以后怎么发钱？", hits)
    labels = {c.label for c in answer.citations}
    assert "《社会救助暂行办法》第十二条" in labels
    assert "《社会救助暂行办法》第十三条" not in labels
    assert len({label for label in labels if label.startswith("《社会救助")}) <= 8


def test_a_question_of_several_parts_takes_articles_for_each(generator) -> None:
    # seven short articles of one statute, in retrieval's order; the third part's
    # answer (第十七条, who gives the money) is ranked seventh. One part asked: five
    # articles, it is left out; three parts asked: it is quoted too
    steps = [
        ("第十一条", "申请最低生活保障，由申请人向乡镇人民政府、街道办事处提出书面申请。"),
        ("第十二条", "乡镇人民政府、街道办事处对最低生活保障申请人的家庭情况进行调查核实。"),
        ("第十三条", "最低生活保障申请的调查结果，在申请人所在村、社区公示。"),
        ("第十四条", "最低生活保障申请经公示后，报县级人民政府民政部门审批。"),
        ("第十五条", "最低生活保障申请的审批结果，由县级人民政府民政部门书面通知申请人。"),
        ("第十六条", "最低生活保障家庭的人口状况发生变化的，应当及时告知乡镇人民政府。"),
        ("第十七条", "对批准获得最低生活保障的家庭，县级人民政府民政部门按月发给最低生活保障金。"),
    ]
    hits = [
        statute_hit(f"{article} {text}", article=article, index=rank, start=100 * rank)
        for rank, (article, text) in enumerate(steps)
    ]

    def quoted(question: str) -> set[str]:
        answer = generator.generate(question, hits)
        assert not answer.refused
        return {c.label.removeprefix(f"《{LAW}》") for c in answer.citations}

    assert "第十七条" not in quoted("申请最低生活保障要走哪些程序？")
    several = quoted("申请最低生活保障要走哪些程序？最后由谁审批？批准以后谁来发最低生活保障金？")
    assert "第十七条" in several and len(several) > 5


# --- the focus met in statute words; the predicate of an A不A question -----------


def test_everyday_words_meet_their_statute_words_through_the_lexicon() -> None:
    focus = analyse_question("小区物业费谁来定？")
    assert ("物业服务费用",) in [v for v in focus.variants if v]
    sentence = "物业服务费用由业主与物业服务企业在物业服务合同中约定。"
    with_lexicon = check_sentence(focus, sentence, None).coverage
    without = check_sentence(replace(focus, variants=()), sentence, None).coverage
    assert with_lexicon > without


def test_a_statute_sentence_is_read_with_its_article() -> None:
    # 材料 stands in the first 款, the time limit in the next one
    article = (
        "第九条 申领居住证，应当向居住地公安派出所提交本人居民身份证、本人相片等证明材料。\n"
        "公安机关应当自受理之日起15日内制作发放居住证。"
    )
    focus = analyse_question("居住证材料交上去以后，多长时间能拿到证？")
    sentence = "公安机关应当自受理之日起15日内制作发放居住证。"
    alone = check_sentence(focus, sentence, None)
    in_article = check_sentence(focus, sentence, statute_hit(article, article="第九条", index=0,
                                                              start=0, title="居住证暂行条例"))  # fmt: skip
    assert in_article.coverage > alone.coverage and in_article.passed
    assert in_article.sentence_coverage == alone.coverage


def test_an_a_not_a_question_needs_its_predicate(generator) -> None:
    article = (
        "第九条 申领居住证，应当向居住地公安派出所或者受公安机关委托的社区服务机构提交"
        "本人居民身份证、本人相片以及居住地住址、就业、就读等证明材料。"
    )
    hits = [statute_hit(article, article="第九条", index=0, start=0, title="居住证暂行条例")]
    refused = generator.generate("社区代办居住证的窗口周末开不开门？", hits)
    assert refused.refused and refused.related
    fee = "第十三条 首次申领居住证，免收证件工本费。换领、补领居住证，应当缴纳证件工本费。"
    hits = [statute_hit(fee, article="第十三条", index=0, start=0, title="居住证暂行条例")]
    answered = generator.generate("第一次办居住证收不收工本费？", hits)
    assert not answered.refused and "免收证件工本费" in answered.text


# --- what a count question counts; the year it names -------------------------------

HUBEI_UNITS = (
    "湖北路街道辖区内有党政机关和企事业单位128个，下辖7个居民社区。"
    "文北社区共为235名70岁以上老人建立健康档案。"
)
HUBEI_HIT = hit("hb", HUBEI_UNITS, title="湖北路街道以党建引领“五星”支部创建")


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("湖北路街道一共建了多少个社区食堂？", False),  # 居民社区 are no 社区食堂
        ("湖北路街道下辖多少个居民社区？", True),
        # the same thing, described: 70岁以上老人 for 高龄老人
        ("湖北路街道给多少名高龄老人建了健康档案？", True),
    ],
)
def test_a_count_must_count_what_was_asked(generator, question, answered) -> None:
    assert generator.generate(question, [HUBEI_HIT]).refused is not answered


def test_a_count_of_another_kind_of_the_same_head_is_no_answer(generator) -> None:
    # 楼院党支部 are counted, 网格党支部 were asked for
    answer = generator.generate("西工区建立了多少个网格党支部？", [XIGONG_HIT])
    assert answer.refused and "300" not in answer.text


def test_a_number_that_counts_another_noun_is_no_count_of_the_asked_one(generator) -> None:
    text = "东风路街道选优配强网格员，建设网格“六支队伍”，实现网格管理全覆盖。"
    hits = [hit("df", text, title="东风路街道以高质量党建促高质量发展")]
    assert generator.generate("东风路街道一共划分了多少个网格？", hits).refused
    assert not generator.generate("东风路街道建设了几支网格队伍？", hits).refused


def test_the_asked_place_itself_does_not_say_where(generator) -> None:
    text = "天九社区对辖区内一处D级危房的居民实施紧急避险。"
    hits = [hit("tj", text, title="天九社区筑牢安全防线")]
    answer = generator.generate("天九社区那处危房的居民被临时安置到了哪里？", hits)
    assert answer.refused and answer.text.startswith("知识库中没有找到「天九社区")


def test_a_deputy_is_not_the_post_asked_for(generator) -> None:
    text = "居民代表、通元花园小区物业管理委员会副主任罗增礼说，小区变化很大。"
    hits = [hit("ty", text, title="通元花园小区的变化")]
    answer = generator.generate("通元花园小区物业管理委员会的主任是谁？", hits)
    assert answer.refused
    assert answer.text == "知识库中没有找到「通元花园小区物业管理委员会主任姓名」的相关内容。"
    assert not generator.generate("通元花园小区物业管理委员会的副主任是谁？", hits).refused


def test_a_figure_of_another_year_is_no_answer(generator) -> None:
    question = "涧西区2019年投入了多少资金用于党建阵地建设？"
    assert generator.generate(question, [JIANXI_HIT]).refused
    assert not generator.generate(question.replace("2019", "2018"), [JIANXI_HIT]).refused


# --- a question of several parts ---------------------------------------------------


def test_each_part_is_answered_or_refused_on_its_own(generator) -> None:
    hits = [hit("hb", HUBEI_UNITS, title="湖北路街道以党建引领“五星”支部创建")]
    answer = generator.generate("湖北路街道下辖几个居民社区？街道党工委书记是谁？", hits)
    assert not answer.refused
    assert "7个居民社区" in answer.sentences[0].text and answer.sentences[0].citations
    last = answer.sentences[-1]
    assert last.text.startswith("知识库中没有找到「湖北路街道") and last.citations == ()
    # the final check accepts an answer whose parts are answered one by one
    assert enforce(answer.question, answer, hits) == answer


def test_a_sentence_without_a_unit_is_about_the_unit_before_it_in_its_passage() -> None:
    passage = (
        "邙岭路街道将辖区高校、科研院所等单位结成党建联盟。东风路街道推行红色物业。"
        "目前，在该街道党工委的牵头组织下，已有18家驻区单位加入党建联盟。"
    )
    xigong = hit("xg", passage, title="河南省洛阳市西工区：基层党建引领保障")
    sentence = "目前，在该街道党工委的牵头组织下，已有18家驻区单位加入党建联盟。"
    assert unit_is_subject("东风路街道", sentence, xigong)
    assert not unit_is_subject("邙岭路街道", sentence, xigong)


def test_known_places_read_the_asked_unit_whole():
    from answer.answerability import analyse_question, known_places

    question = "汛期前天九社区对危房小区采取了什么措施？"
    found = hit("d", "天九社区对辖区内危房小区实施紧急避险。", title="湖北路街道创建工作")
    found = replace(found, regions=("湖北路街道", "天九社区"))
    known = known_places(question, [found])
    assert known == ("天九社区",)
    focus = analyse_question(question, known)
    assert focus.units == ("天九社区",)
    assert "前天" not in focus.terms  # the fragment the cut left is no topic word


def test_list_item_takes_the_amount_of_its_lead_in():
    from answer.answerability import analyse_question, check_sentence

    focus = analyse_question("把居住证出租给别人，会被罚多少钱？")
    lead_in = "有下列行为之一的，由公安机关给予警告、责令改正，处200元以下罚款："
    check = check_sentence(focus, "（二）出租、出借、转让居住证。", None, context=lead_in)
    assert check.type_ok and check.type_from_context
    assert not check_sentence(focus, "（二）出租、出借、转让居住证。", None).type_ok


def test_words_about_the_documents_are_not_the_focus() -> None:
    # what is asked is in the documents (天四社区's part in them); 报道, 角色 and 出现
    # are words about the documents, which no passage needs to hold
    focus = analyse_question("天四社区在涧西区的两篇报道里分别以什么角色出现？")
    assert not {"报道", "两篇", "角色", "出现"} & set(focus.terms)
    assert "天四社区" in focus.units


# --- answer-type precision: the asked act, the asked kind of duration --------------

FUNERAL = "殡葬管理条例"
RESIDENCE = "居住证暂行条例"


def ranked_articles(title: str, *articles: tuple[str, int]) -> list[Hit]:
    """Statute hits in retrieval order, each ``(text, start)``, its article from its text."""
    return [
        statute_hit(text, article=text.split(" ", 1)[0], index=i, start=start, title=title)
        for i, (text, start) in enumerate(articles)
    ]


def test_who_approves_is_answered_by_the_body_that_approves(generator) -> None:
    # both articles name a body of some kind (其他人员), and 第九条 repeats more of the
    # question and ranks first; only 第八条 says who approves
    hits = ranked_articles(
        FUNERAL,
        ("第九条 村里建给村民用的公益性墓地，不得对村民以外的其他人员提供墓穴用地。"
         "禁止建立或者恢复宗族墓地。", 300),
        ("第八条 农村为村民设置公益性墓地，经乡级人民政府审核同意后，"
         "报县级人民政府民政部门审批。", 200),
    )  # fmt: skip
    answer = generator.generate("村里想建给村民用的公益性墓地，要报谁批？", hits)
    assert not answer.refused
    assert answer.text.startswith("第八条") and "民政部门审批" in answer.text


def test_how_long_one_must_stay_is_not_how_soon_the_card_is_made(generator) -> None:
    hits = ranked_articles(
        RESIDENCE,
        ("第九条 对符合居住证办理条件的，公安机关应当自受理之日起15日内制作发放居住证。", 300),
        ("第二条 公民离开常住户口所在地，到其他城市居住半年以上，"
         "符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以申领居住证。", 0),
    )  # fmt: skip
    answer = generator.generate("外地来的人要住满多久才能办居住证？", hits)
    assert not answer.refused
    assert answer.text.startswith("第二条") and "居住半年以上" in answer.text
    # a question of how soon keeps the deadline
    soon = generator.generate("材料交上去以后，多长时间能拿到居住证？", hits)
    assert "15日内" in soon.text


def test_precision_is_read_per_sentence() -> None:
    focus = analyse_question("村里想建公益性墓地，要报谁批？")
    approve = "农村为村民设置公益性墓地，经乡级人民政府审核同意后，报县级人民政府民政部门审批。"
    other = "农村的公益性墓地不得对村民以外的其他人员提供墓穴用地。"
    assert check_sentence(focus, approve, None).precise
    unprecise = check_sentence(focus, other, None)
    assert unprecise.type_ok and not unprecise.precise  # a body, so the type holds


# --- a procedure's steps follow the statute's own sequence -------------------------

MEDIATION = "中华人民共和国人民调解法"


def test_a_procedures_steps_grow_along_the_statute_from_its_lead(generator) -> None:
    # retrieval ranks first the article on making the agreement (第二十八条), which
    # shares the question's words; the steps after a broken agreement are the lead's
    # neighbours, 第三十一条 to 第三十三条, ranked lower (last of seven)
    articles = [
        ("第二十八条", 0, "第二十八条 经人民调解委员会调解达成调解协议的，可以制作调解协议书。"),
        ("第三十三条", 1, "第三十三条 调解协议签了以后，对方当事人拒绝履行或者未全部履行的，"
                          "可以向人民法院申请强制执行。"),
        ("第二十九条", 2, "第二十九条 调解协议书自各方当事人签名、盖章之日起生效。"),
        ("第二十五条", 3, "第二十五条 人民调解员在调解纠纷过程中，发现纠纷有可能激化的，"
                          "应当采取有针对性的预防措施。"),
        ("第二十二条", 4, "第二十二条 人民调解员根据纠纷的不同情况，可以采取多种方式调解民间纠纷，"
                          "帮助当事人自愿达成调解协议。"),
        ("第三十二条", 5, "第三十二条 当事人之间就调解协议的履行发生争议的，"
                          "一方当事人可以向人民法院提起诉讼。"),
        ("第三十一条", 6, "第三十一条 经人民调解委员会调解达成的调解协议，具有法律约束力，"
                          "当事人应当按照约定履行。人民调解委员会应当对调解协议的履行情况进行监督。"),
    ]  # fmt: skip
    order = ["第二十二条", "第二十五条", "第二十八条", "第二十九条", "第三十一条", "第三十二条",
             "第三十三条"]  # fmt: skip
    hits = [
        statute_hit(text, article=article, index=rank, start=100 * order.index(article),
                    title=MEDIATION)
        for article, rank, text in articles
    ]  # fmt: skip
    answer = generator.generate("调解协议签了，对方不履行调解协议，接下来怎么处理？", hits)
    labels = [c.label.removeprefix(f"《{MEDIATION}》") for c in answer.citations]
    # the steps after it, ranked 6th and 7th, before articles ranked higher; in article order
    assert labels[-3:] == ["第三十一条", "第三十二条", "第三十三条"]
    # a question of two parts keeps the articles retrieval ranks first: each part
    # may be answered anywhere in the statute
    two_parts = generator.generate(
        "调解协议签了，对方不履行调解协议怎么处理？调解协议书什么时候生效？", hits
    )
    labels = {c.label.removeprefix(f"《{MEDIATION}》") for c in two_parts.citations}
    assert "第二十八条" in labels


def test_a_procedures_other_steps_come_from_the_chapter_of_its_answer(generator) -> None:
    # retrieval ranks 临时救助 and 监督管理 articles above 医疗救助's own list: they
    # share the question's words (申请, 审批) but are other procedures, in other
    # chapters; the steps come from the answering article's chapter first, the
    # others fill what room is left (up to five articles for a question of one part)
    articles = [
        ("第三十条", "第五章 医疗救助", "第三十条 申请医疗救助的，应当向乡镇人民政府、街道办事处提出，"
                                       "经审核、公示后，由县级人民政府医疗保障部门审批。"),
        ("第四十八条", "第九章 临时救助", "第四十八条 申请临时救助的，应当向乡镇人民政府、街道办事处提出，"
                                         "经审核、公示后，由县级人民政府民政部门审批。"),
        ("第六十条", "第十一章 监督管理", "第六十条 申请社会救助，应当按照本办法的规定提出；申请人难以"
                                         "确定社会救助管理部门的，可以先向县级人民政府民政部门求助。"),
        ("第六十一条", "第十一章 监督管理", "第六十一条 申请社会救助的审批结果，由县级人民政府民政部门"
                                           "公布。"),
        ("第六十二条", "第十一章 监督管理", "第六十二条 申请社会救助的审批，应当接受社会监督。"),
        ("第二十八条", "第五章 医疗救助", "第二十八条 下列人员可以申请相关医疗救助：\n"
                                         "（一）最低生活保障家庭成员；\n（二）特困供养人员。"),
    ]  # fmt: skip
    hits = [
        replace(statute_hit(text, article=article, index=rank, start=100 * rank),
                heading_path=(chapter,))
        for rank, (article, chapter, text) in enumerate(articles)
    ]  # fmt: skip
    question = "医疗救助怎么申请，由谁审批？"
    labels = {
        c.label.removeprefix(f"《{LAW}》") for c in generator.generate(question, hits).citations
    }
    assert {"第三十条", "第二十八条"} <= labels
    assert "第六十二条" not in labels and len(labels) == 5
    # without chapters, retrieval's order: the list ranked last is left out
    flat = [replace(h, heading_path=()) for h in hits]
    labels = {
        c.label.removeprefix(f"《{LAW}》") for c in generator.generate(question, flat).citations
    }
    assert labels == {"第三十条", "第四十八条", "第六十条", "第六十一条", "第六十二条"}


def test_a_step_of_the_leads_chapter_may_share_only_the_topic(generator) -> None:
    # a short question's story words weigh most (两口子, 商量): the step that issues
    # the certificate writes only 离婚 of them, too little to support the answer alone;
    # in the lead's chapter and among retrieval's first hits it is a step all the same
    marriage = "婚姻登记条例"
    articles = [
        ("第十条", "第三章 离婚登记", "第十条 内地居民自愿离婚的，男女双方应当共同到一方当事人常住"
                                     "户口所在地的婚姻登记机关办理离婚登记。"),
        ("第九条", "第二章 结婚登记", "第九条 因胁迫结婚的，受胁迫的当事人可以向婚姻登记机关请求"
                                     "撤销其婚姻，不涉及离婚。"),
        ("第十一条", "第三章 离婚登记", "第十一条 办理离婚登记的内地居民应当出具双方当事人共同签署"
                                       "的离婚协议书。"),
        ("第十三条", "第三章 离婚登记", "第十三条 对当事人确属自愿离婚，并已对子女抚养、财产、债务"
                                       "等问题达成一致处理意见的，应当当场予以登记，发给离婚证。"),
    ]  # fmt: skip
    hits = [
        replace(statute_hit(text, article=article, index=rank, start=100 * rank, title=marriage),
                heading_path=(chapter,))
        for rank, (article, chapter, text) in enumerate(articles)
    ]  # fmt: skip
    question = "两口子商量好离婚，手续怎么办？"
    labels = {
        c.label.removeprefix(f"《{marriage}》")
        for c in generator.generate(question, hits).citations
    }
    assert {"第十条", "第十三条"} <= labels
    # another chapter's article that writes the topic is another procedure
    assert "第九条" not in labels


def test_the_next_step_is_the_best_ranked_neighbour_of_the_leads_run() -> None:
    from answer.extractive import _next_step

    hits = [
        statute_hit("…", article=article, index=i, start=10 * i)
        for i, article in enumerate(["第二十八条", "第三十三条", "第二十九条", "第三十二条"])
    ]
    assert _next_step([0, 2, 3], {1}, 1, hits) == 3  # 第三十二条 follows 第三十三条's lead
    assert _next_step([0, 2], {1}, 1, hits) == 0  # no neighbour: retrieval's order
    # 第二十八条 was taken by rank, not grown from the lead: 第二十九条, its
    # neighbour, is no better evidence than retrieval's order
    assert _next_step([2, 3], {1, 0}, 1, hits) == 3


def test_a_lost_certificate_is_answered_from_its_own_run_of_articles(generator) -> None:
    # retrieval ranks 第九条 (撤销婚姻, which names 结婚证) second; taken by rank, its
    # neighbours 第八条 and 第七条 used to follow it and fill the answer before
    # 第二十一条 (补领…工本费), ranked third
    marriage = "婚姻登记条例"
    articles = [
        ("第十七条", "结婚证、离婚证遗失或者损毁的，当事人可以持户口簿、身份证向原办理婚姻登记的机关申请补领。"),
        ("第九条", "因胁迫结婚的，受胁迫的当事人请求撤销其婚姻的，应当出具本人的身份证、结婚证。"
                   "婚姻登记机关经审查认为受胁迫结婚的情况属实的，应当撤销该婚姻，宣告结婚证作废。"),
        ("第二十一条", "当事人办理婚姻登记或者补领结婚证、离婚证应当交纳工本费。"),
        ("第八条", "男女双方补办结婚登记的，适用本条例结婚登记的规定，发给结婚证。"),
        ("第十八条", "婚姻登记机关及其婚姻登记员为不符合婚姻登记条件的当事人办理婚姻登记的，"
                     "对直接负责的主管人员依法给予行政处分，发给的结婚证无效。"),
        ("第七条", "婚姻登记机关应当对结婚登记当事人出具的证件、证明材料进行审查。对当事人"
                   "符合结婚条件的，应当当场予以登记，发给结婚证。"),
    ]  # fmt: skip
    hits = [
        statute_hit(text, article=article, index=rank, start=100 * rank, title=marriage)
        for rank, (article, text) in enumerate(articles)
    ]
    labels = {
        c.label.removeprefix(f"《{marriage}》")
        for c in generator.generate("结婚证丢了，怎么补？", hits).citations
    }
    assert {"第十七条", "第二十一条"} <= labels


def test_the_asking_and_function_words_are_not_the_focus() -> None:
    # 会不会 asks whether: its 不会 is no topic word
    focus = analyse_question("居民做饭不小心把房子烧着了，会不会被拘留？")
    assert "不会" not in focus.terms and "拘留" in focus.terms
    # a pronoun (这种, 自家), a preposition (经过 of 没经过批准) and a noun that only
    # points at someone (人家) name nothing the answer must hold
    assert "这种" not in analyse_question("有人在加油站这种地方抽烟，会被怎么罚？").terms
    assert "自家" not in analyse_question("老人想葬在自家承包的耕地里，可以吗？").terms
    assert "经过" not in analyse_question("没经过批准建墓地，怎么处罚？").terms
    assert "人家" not in analyse_question("有人家办丧事在小区里放鞭炮，谁来管？").terms


def test_words_that_ask_who_or_glue_a_modal_are_not_the_focus() -> None:
    # 谁来管 asks for the agent (the answer type's part); 谁批's statute word 审批 stays
    assert "谁来管" not in analyse_question("有人家办丧事在小区里放鞭炮，谁来管？").terms
    focus = analyse_question("村里想建一块公益性墓地，要报谁批？")
    assert ("审批",) in focus.variants
    # the segmenter glued a modal to its neighbour (想|葬 → 想葬, 人|想 → 人想)
    assert "想葬" not in analyse_question("老人想葬在自家承包的耕地里，可以吗？").terms
    assert "人想" not in analyse_question("有居住证的人想把户口迁过来，要满足什么？").terms
    # a dictionary word holding a modal is a word (要求)
    assert "要求" in analyse_question("办居住证有什么要求？").terms


def test_a_colloquial_question_meets_its_article_in_statute_words(generator) -> None:
    # 加油站 is a place 具有火灾、爆炸危险, 抽烟 is 吸烟 (the domain lexicon)
    article = (
        "第六十三条 违反本法规定，有下列行为之一的，处警告或者五百元以下罚款；"
        "情节严重的，处五日以下拘留：\n"
        "（一）违反消防安全规定进入生产、储存易燃易爆危险品场所的；\n"
        "（二）违反规定使用明火作业或者在具有火灾、爆炸危险的场所吸烟、使用明火的。"
    )
    hits = [
        statute_hit(article, article="第六十三条", index=0, start=0, title="中华人民共和国消防法")
    ]
    answer = generator.generate("有人在加油站这种地方抽烟，会被怎么罚？", hits)
    assert not answer.refused and "吸烟" in answer.text


def test_a_kind_of_area_the_statute_describes_is_no_district(generator) -> None:
    from answer.answerability import area_kinds

    article = "第十七条 禁止制造、销售封建迷信的丧葬用品。禁止在实行火葬的地区出售棺材等土葬用品。"
    hits = [statute_hit(article, article="第十七条", index=0, start=0, title="殡葬管理条例")]
    question = "火葬区里的店铺还能卖棺材吗？"
    # 火葬区 looks like a district's name; the article writes it 实行火葬的地区
    assert area_kinds(question, hits) == ("火葬区",)
    assert analyse_question(question, (), ("火葬区",)).units == ()
    answer = generator.generate(question, hits)
    assert not answer.refused and "棺材" in answer.text
    # a district stays a place the answer must be about, whatever the evidence says
    assert area_kinds("涧西区的店铺还能卖棺材吗？", hits) == ()
    assert generator.generate("涧西区的店铺还能卖棺材吗？", hits).refused


def test_a_set_phrase_no_passage_writes_weighs_as_a_predicate(generator) -> None:
    from answer.answerability import spoken_words

    article = (
        "第二十三条 当事人在人民调解活动中享有下列权利：\n"
        "（一）选择或者接受人民调解员；\n"
        "（二）接受调解、拒绝调解或者要求终止调解；\n"
        "（三）要求调解公开进行或者不公开进行；"
    )
    hits = [statute_hit(article, article="第二十三条", index=0, start=0, title="人民调解法")]
    question = "调解的时候当事人不想让外人在场旁听，能不能要求关起门来调？"
    # 关起门来 is how people say it; the statute writes 不公开进行
    assert spoken_words(question, hits) == ("关起门来",)
    weighed = analyse_question(question, (), (), ("关起门来",))
    plain = analyse_question(question)
    at = plain.terms.index("关起门来")
    assert weighed.weights[at] < plain.weights[at] and not weighed.topical[at]
    assert "关起门来" not in weighed.label
    answer = generator.generate(question, hits)
    assert not answer.refused and "不公开进行" in answer.text
    # a set phrase the evidence writes stays a topic
    assert spoken_words("人民调解要收费吗？", hits) == ()


class _ScriptedEmbedder:
    """Cosine with the question set per sentence (by a phrase it holds), 0.85 else."""

    name, dimension = "scripted", 2

    def __init__(self, similarity: dict[str, float]) -> None:
        self._similarity = similarity

    def embed_queries(self, texts):
        return np.array([[1.0, 0.0] for _ in texts], dtype=np.float32)

    def embed_passages(self, texts):
        sims = [next((s for k, s in self._similarity.items() if k in t), 0.85) for t in texts]
        return np.array([[s, (1 - s * s) ** 0.5] for s in sims], dtype=np.float32)


def test_the_lead_reads_similarity_above_the_band(monkeypatch) -> None:
    import answer.extractive as extractive

    art_9 = (
        "第九条 任何单位和个人未经批准，不得擅自兴建殡葬设施。\n"
        "农村的公益性墓地不得对村民以外的其他人员提供墓穴用地。\n"
        "禁止建立或者恢复宗族墓地。"
    )
    art_15 = (
        "第十五条 在允许土葬的地区，禁止在公墓和农村的公益性墓地以外的其他任何地方"
        "埋葬遗体、建造坟墓。"
    )
    hits = [
        statute_hit(art_9, article="第九条", index=0, start=0, title="殡葬管理条例"),
        statute_hit(art_15, article="第十五条", index=1, start=200, title="殡葬管理条例"),
    ]
    # the paraphrase (别处来的人 = 村民以外的其他人员, a phrase no lexicon entry holds) is
    # close to its answer in meaning; the other article shares more of its words and is
    # merely related
    embedder = _ScriptedEmbedder({"村民以外": 0.935, "其他任何地方": 0.91})
    generator = ExtractiveGenerator(embedder, threshold=0.0)
    question = "别处来的人想在我们村的公益性墓地买块地方下葬，行不行？"
    answer = generator.generate(question, hits)
    assert not answer.refused and answer.text.index("村民以外") < len("第九条") + 40
    # 第九条 passes as the article retrieval ranks first, below the focus share the
    # others need; 第十五条, which passes in full, may only follow it (``_second_reading``)
    assert answer.text.startswith("第九条")
    # read only within the band, both sentences look alike there and words decide: 第十五条
    # leads, and the article retrieval ranks first, which answers too, is quoted beside it
    monkeypatch.setattr(extractive, "_beyond_band", lambda dense: 0.0)
    text = generator.generate(question, hits).text
    assert "第十五条 在允许土葬的地区" in text and "村民以外" in text


def test_a_short_list_item_of_a_statute_is_read(generator) -> None:
    article = (
        "第六十二条 有下列行为之一的，依照《中华人民共和国治安管理处罚法》的规定处罚：\n"
        "（一）非法携带易燃易爆危险品进入公共场所或者乘坐公共交通工具的；\n"
        "（二）谎报火警的；\n"
        "（三）阻碍消防车、消防艇执行任务的。"
    )
    hits = [statute_hit(article, article="第六十二条", index=0, start=0, title="消防法")]
    question = "有人打119谎报火警，会怎么处理？"
    # the item is six characters: too short for a sentence of news, a rule in a statute
    assert any(c.text.startswith("（二）谎报火警") for c in generator._score(question, hits))
    answer = generator.generate(question, hits)
    assert not answer.refused and "谎报火警" in answer.text
    assert "治安管理处罚法" in answer.text  # with its lead-in
    # in news, as short a sentence is a fragment
    news = hit("news", "——促融合。街道召开消防工作会议，部署冬季防火检查。", title="街道动态")
    assert all("促融合" not in c.text for c in generator._score("街道怎么防火？", [news]))


def test_a_question_whose_parts_are_all_unanswered_is_refused(generator) -> None:
    # where the shelter is: the article names a kind of place, no address; whether one
    # may bring someone at night: nothing says so. The whole question would pass on
    # its yes/no part alone, which any sentence meets on the type check
    article = (
        "第十八条 县级或者设区的市级人民政府可以单独或者依托救助管理机构设立临时庇护场所，"
        "为家庭暴力受害人提供临时生活帮助。"
    )
    hits = [statute_hit(article, article="第十八条", index=0, start=0)]
    answer = generator.generate("我们区反家暴临时庇护所设在哪儿？晚上能直接把人送过去吗？", hits)
    assert answer.refused
    # asked where to go, the same article answers
    answer = generator.generate("家暴受害人需要临时庇护，可以去哪里？", hits)
    assert not answer.refused and "临时庇护场所" in answer.text


def test_a_part_without_a_noun_does_not_lean_on_a_figure_nothing_states(generator) -> None:
    # 有效期是几年: the article sets no term. 到期了要不要重新办 has no noun of its own
    # and asks about that term; the article naming 居住证 and 有效期 does not answer it
    permit = "居住证暂行条例"
    validity = "第二十三条 本条例施行前各地已发放的居住证，在有效期内继续有效。"
    endorsement = "第十条 居住证由县级人民政府公安机关签发，每年签注1次。"
    hits = [
        statute_hit(validity, article="第二十三条", index=0, start=0, title=permit),
        statute_hit(endorsement, article="第十条", index=1, start=100, title=permit),
    ]
    answer = generator.generate("居住证办下来以后有效期是几年？到期了要不要重新办？", hits)
    assert answer.refused and "居住证有效期" in answer.text
    # where the figure is stated, the part after it leans on it as before
    answer = generator.generate("居住证多久签注一次？到期了要不要重新办？", hits)
    assert not answer.refused and "每年签注1次" in answer.text


def test_the_asked_duration_is_no_part_of_the_focus() -> None:
    focus = analyse_question("村里的账目和村务多长时间要公开一次？")
    assert "多长时间" not in focus.terms and "一次" not in focus.terms
    assert {"账目", "村务", "公开"} <= set(focus.terms)


def test_a_fine_is_no_answer_to_how_much_a_fee_is() -> None:
    fine = "违反本条例的规定，擅自采用协议方式选聘物业服务企业的，可以并处10万元以下的罚款。"
    fee = analyse_question("我们小区住宅物业费每平方米每月最高能收多少钱？")
    assert not check_sentence(fee, fine, None).type_ok
    asked_fine = analyse_question("擅自选聘物业服务企业会被罚多少钱？")
    assert check_sentence(asked_fine, fine, None).type_ok


def test_the_askers_own_office_whose_place_is_not_there_is_refused_whole(generator) -> None:
    # where our district's committee sits: no text says. The other part is taken as
    # about the same local office and refused with it, even where a general rule
    # would answer it (the price of refusing 我们区的婚姻登记处在哪儿？周六能去领证吗？)
    article = "第四条 人民调解委员会调解民间纠纷，不收取任何费用。"
    hits = [statute_hit(article, article="第四条", index=0, start=0, title=MEDIATION)]
    assert generator.generate("我们区的调委会在哪儿办公？调解要不要收费？", hits).refused
    # asked without the place, the general rule answers
    answer = generator.generate("调委会调解要不要收费？", hits)
    assert not answer.refused and "不收取任何费用" in answer.text


def test_the_top_ranked_article_passes_at_the_agreed_coverage() -> None:
    article = hit("law", "第四十五条 无正当理由，连续3次拒绝接受介绍的工作的，决定停发。",
                  title="社会救助暂行办法", article="第四十五条")  # fmt: skip
    other = hit("law", "第四十三条 有劳动能力的成员均处于失业状态的，给予就业救助。",
                title="社会救助暂行办法", index=1, article="第四十三条")  # fmt: skip
    news = hit("news", "社区帮低保户家里的小伙子联系工作。", title="社区动态")
    between = SentenceCheck(coverage=0.3, type_ok=True, subjects=(), missing_units=())
    assert AGREED_MIN < between.coverage < FOCUS_MIN and not between.passed
    assert in_agreed_article(between, article, [article, other])
    # only the first-ranked passage, only a statute's article, only the asked type
    assert not in_agreed_article(between, other, [article, other])
    assert not in_agreed_article(between, news, [news, article])
    assert not in_agreed_article(replace(between, type_ok=False), article, [article, other])
    below = replace(between, coverage=AGREED_MIN - 0.05)
    assert not in_agreed_article(below, article, [article, other])
    # only on the question's topic (see the test below)
    assert not in_agreed_article(replace(between, on_topic=False), article, [article, other])


def test_a_text_sharing_only_the_setting_or_the_kind_of_answer_asked_does_not_answer(
    generator,
) -> None:
    # 小区, 居民 are where every question here comes from; 手续 is what it asks for
    news = hit("news", "很长一段时间里，小区管理混乱，居民怨声载道。", title="社区动态")
    answer = generator.generate("小区居民养狗需要办哪些手续？", [news])
    assert answer.refused and "养狗" in answer.text
    assert not generator.generate("小区管理混乱的时候，居民是什么态度？", [news]).refused
    # the first-ranked article that shares only the sanction asked (罚款) does not
    # pass at the agreed coverage either
    fire = "中华人民共和国消防法"
    fine = statute_hit(
        "第六十五条 违反本法规定，生产、销售不合格的消防产品或者国家明令淘汰的消防产品的，"
        "责令限期改正，处五千元以上五万元以下罚款。",
        article="第六十五条", index=0, start=0, title=fire,
    )  # fmt: skip
    answer = generator.generate("垃圾分类投错了桶会被罚款吗？", [fine])
    assert answer.refused and "垃圾分类" in answer.text
    # the article about the wrong asked answers, even where the sentence that sets the
    # sanction (a lead-in) names nothing else: the statute is read with its article
    seal = statute_hit(
        "第六十四条 违反本法规定，有下列行为之一，尚不构成犯罪的，处十日以上十五日以下拘留。"
        "（二）擅自拆封或者使用被消防救援机构查封的场所、部位的。",
        article="第六十四条", index=0, start=0, title=fire,
    )  # fmt: skip
    answer = generator.generate(
        "饭馆被消防查封了，老板自己把封条撕了接着营业，会被拘留几天？", [seal]
    )
    assert not answer.refused and "十日以上十五日以下拘留" in answer.text


def test_a_figure_of_another_attribute_is_no_answer() -> None:
    # 有效期是几年 asks the figure of 有效期: 居住半年以上 is a figure in years, of
    # another thing
    law = statute_hit("第二条 公民到其他城市居住半年以上的，可以申领居住证。",
                      article="第二条", index=0, start=0, title=RESIDENCE)  # fmt: skip
    validity = analyse_question("居住证办下来以后有效期是几年？")
    assert validity.attribute == "有效期"
    assert not check_sentence(validity, law.text, law).type_ok
    term = "居民委员会每届任期五年，其成员可以连选连任。"
    assert check_sentence(analyse_question("居委会的任期是几年？"), term, None).type_ok


def test_a_figure_of_the_askers_own_place_is_not_a_statutes() -> None:
    fee = "第二十条 换领、补领居住证，应当缴纳证件工本费，每证收取20元。"
    law = statute_hit(fee, article="第二十条", index=0, start=0, title=RESIDENCE)
    local = analyse_question("我们市的居住证坏了去换新的，工本费具体收多少钱？")
    assert not check_sentence(local, fee, law).type_ok
    # asked of no place in particular, the statute's figure answers
    general = analyse_question("居住证坏了去换新的，工本费收多少钱？")
    assert check_sentence(general, fee, law).type_ok


def test_a_spoken_verb_is_met_by_its_written_form() -> None:
    # 给不给救助: statutes write 提供…救助
    relief = "受灾地区人民政府应当为遇到生活困难的受灾人员提供基本生活救助。"
    law = statute_hit(relief, article="第二十六条", index=0, start=0)
    asked = analyse_question("遭了水灾的人家生活又接不上了，政府还给不给救助？")
    assert check_sentence(asked, relief, law).type_ok
    closed = "受灾地区人民政府应当组织开展自然灾害救助工作。"
    other = statute_hit(closed, article="第二十二条", index=0, start=0)
    assert not check_sentence(asked, closed, other).type_ok


def test_what_is_counted_may_stand_in_the_statutes_word() -> None:
    cap = "对参加城镇社会保险年限的要求不得超过5年。"
    asked = analyse_question("给持居住证的人定落户条件时，最多能要求交几年社保？")
    assert asked.counted == ("社保",)
    assert check_sentence(asked, cap, None).type_ok
    assert not check_sentence(asked, "对合法稳定就业的年限不得超过5年。", None).type_ok


FIRE = "中华人民共和国消防法"
ART_64 = (
    "第六十四条 违反本法规定，有下列行为之一，尚不构成犯罪的，处十日以上十五日以下拘留，"
    "可以并处五百元以下罚款；情节较轻的，处警告或者五百元以下罚款：\n"
    "（一）过失引起火灾的；\n"
    "（二）擅自拆封或者使用被消防救援机构查封的场所、部位的。"
)


def test_a_lead_in_cut_at_its_semicolons_is_read_whole(generator) -> None:
    from answer.extractive import _lead_in

    # the detention stands before the lead-in's semicolon: the item reads with it
    found = _lead_in(ART_64, ART_64.index("（二）"))
    assert found is not None and found[2].startswith("第六十四条 违反本法规定")
    assert "十日以上十五日以下拘留" in found[2] and found[2].endswith("罚款：")
    law = statute_hit(ART_64, article="第六十四条", index=0, start=0, title=FIRE)
    answer = generator.generate("饭馆被查封后老板擅自拆封接着营业，会被拘留几天？", [law])
    assert not answer.refused
    assert "十日以上十五日以下拘留" in answer.text and "擅自拆封" in answer.text


def test_a_count_of_one_kind_of_thing_is_no_count_of_another() -> None:
    photos = analyse_question("申请特困供养需要附几张照片？")
    assert photos.measure == "张" and photos.counted == ("照片",)
    age = "国家对未满16周岁的未成年人，给予特困人员供养。"
    assert not check_sentence(photos, age, None).type_ok
    assert check_sentence(photos, "申请时应当提交本人照片2张。", None).type_ok


def test_a_directional_complement_or_a_told_time_is_no_topic() -> None:
    focus = analyse_question("以前居委会开会定下来的事，平时没人管，现在还算数吗？")
    assert not {"下来", "以前", "平时"} & set(focus.terms)
    assert {"居委会", "开会"} <= set(focus.terms)


def test_who_brings_the_question_is_no_focus_word() -> None:
    plain = analyse_question("家里要穷到什么程度才能吃上低保？")
    framed = analyse_question("社区居民来问：家里要穷到什么程度才能吃上低保？")
    assert framed.terms == plain.terms
    assert "居民" not in framed.terms and "社区" not in framed.terms


def test_a_kind_of_company_the_statute_describes_is_no_named_unit(generator) -> None:
    from answer.answerability import area_kinds

    article = (
        "第六十九条 消防设施维护保养检测、消防安全评估等消防技术服务机构，"
        "不具备从业条件从事消防技术服务活动或者出具虚假文件的，由消防救援机构责令改正，"
        "处五万元以上十万元以下罚款。"
    )
    hits = [
        statute_hit(article, article="第六十九条", index=0, start=0, title="中华人民共和国消防法")
    ]
    question = "消防检测公司出了一份假报告，会受什么处罚？"
    # 消防检测公司 reads like a company's name; the statute writes 消防 and 检测
    assert area_kinds(question, hits) == ("消防检测公司",)
    answer = generator.generate(question, hits)
    assert not answer.refused and "五万元以上十万元以下罚款" in answer.text
    # a company's name stays a unit the answer must be about
    assert area_kinds("洛阳银隆公司出了一份假报告，会受什么处罚？", hits) == ()
    assert generator.generate("洛阳银隆公司出了一份假报告，会受什么处罚？", hits).refused


def test_a_question_naming_the_statute_is_about_each_of_its_articles(generator) -> None:
    from answer.answerability import named_title

    article = "第七十条 本办法自2014年5月1日起施行。"
    hit = statute_hit(article, article="第七十条", index=0, start=0, title="社会救助暂行办法")
    law = statute_hit(
        "第七十四条 本法自2009年5月1日起施行。",
        article="第七十四条",
        index=0,
        start=0,
        title="中华人民共和国消防法",
    )
    assert named_title("社会救助暂行办法从什么时候开始施行？", hit) == "社会救助暂行办法"
    # the short title names the law; a question that does not name it is about no title
    assert named_title("消防法什么时候施行的？", law) == "中华人民共和国消防法"
    assert named_title("这个办法什么时候施行的？", hit) == ""
    # the article writes 本办法 for the title the question names
    answer = generator.generate("社会救助暂行办法从什么时候开始施行？", [hit])
    assert not answer.refused and "2014年5月1日" in answer.text
    answer = generator.generate("消防法什么时候施行的？", [law])
    assert not answer.refused and "2009年5月1日" in answer.text


def test_a_word_jieba_coins_that_no_passage_writes_weighs_as_a_predicate() -> None:
    from answer.answerability import spoken_words

    article = "第四十八条 消防车、消防艇以及消防器材、装备和设施，不得用于与消防和应急救援工作无关的事项。"
    hits = [
        statute_hit(article, article="第四十八条", index=0, start=0, title="中华人民共和国消防法")
    ]
    question = "社区想借消防车顺便拉点活动物资，能借吗？"
    # 拉点 is jieba's cut of 拉点活动物资, no word of its dictionary: how the question is
    # put, not a topic the article could hold
    assert "拉点" in spoken_words(question, hits)
    weighed = analyse_question(question, (), (), spoken_words(question, hits))
    at = weighed.terms.index("拉点")
    assert not weighed.topical[at]
    assert "拉点" not in weighed.label
    # a dictionary word the passages do not write stays a topic
    assert "物资" not in spoken_words(question, hits)


def test_a_part_named_by_one_generic_word_is_labelled_with_its_own_words() -> None:
    question = "村民想罢免一个村委会委员，要怎么做？罢免后空出来的位子怎么办？"
    first, second = clause_foci(question)
    assert second.label == "罢免后空出来的位子怎么办"
    # who brings the question is not what was looked for
    parts = clause_foci("社区居民来问：家里要穷到什么程度才能吃上低保？光看收入就行吗？")
    assert parts[0].label == "家里要穷到什么程度才能吃上低保"
    assert clause_foci("居住证弄丢了要去补，补办收不收钱？第一次办要钱吗？")[0].label == (
        "居住证弄丢了要去补，补办收不收钱"
    )


def test_the_story_a_question_tells_weighs_as_a_predicate_against_a_statute(generator) -> None:
    sentence = "第十四条 办理丧事活动，不得妨害公共秩序、危害公共安全，不得侵害他人的合法权益。"
    law = statute_hit(sentence, article="第十四条", index=0, start=0, title="殡葬管理条例")
    report = hit("news", sentence, title="某街道工作简报")
    question = "老张家办丧事，在楼下空地搭了灵棚，还整宿放哀乐，办丧事能这样吗？"
    # the particulars of the story (its pieces that ask nothing) that no passage writes;
    # the piece that asks (办丧事能这样吗) tells none
    told = story_words(question, [law])
    assert {"整宿", "哀乐", "空地"} <= set(told)
    assert not set(told) & {"丧事", "办丧事"}
    assert story_words("办丧事能在楼下搭灵棚吗？", [law]) == ()
    focus = read_with_evidence(question, [law])
    # a statute's general rule never writes a story's particulars: against its sentence
    # they weigh as predicates, and the rule passes; a report could write them, and
    # there they keep their weight
    assert check_sentence(focus, sentence, law).passed
    assert not check_sentence(focus, sentence, report).passed
    answer = generator.generate(question, [law])
    assert not answer.refused and "办理丧事活动" in answer.text
    # the label of a refusal still names what was looked for
    assert "灵棚" in focus.label


def test_whether_one_may_is_answered_by_the_rule_not_a_report(generator) -> None:
    # the report shares more of the question's setting (区, 街道, 社区居委会) than the
    # article that rules on it, and passes; a report says what one place did, not
    # whether it is allowed
    rule = statute_hit(
        "第二十条 市、市辖区的人民政府有关部门，需要居民委员会或者它的下属委员会协助进行的"
        "工作，应当经市、市辖区的人民政府或者它的派出机关同意并统一安排。",
        article="第二十条",
        index=0,
        start=0,
    )
    report = hit(
        "news",
        "按照前期出台的《实施意见》，与区住建局、区社创办积极对接，探索党建引领下街道、"
        "社区居委会、小区业委会、物业服务企业四级联动机制。",
        title="西工区党建工作",
        index=1,
    )
    question = "区里某个局绕过街道，直接给社区居委会派活，让居委会协助搞调查，这样合规吗？"
    answer = generator.generate(question, [rule, report])
    assert answer.text.startswith("第二十条")
    assert {c.doc_id for c in answer.citations} == {rule.doc_id}


FIRE = "中华人民共和国消防法"
AID_DECISION = statute_hit(
    "第十一条 县级人民政府民政部门经审查，对符合条件的申请予以批准，并在申请人所在村、"
    "社区公布；对不符合条件的申请不予批准，并书面向申请人说明理由。",
    article="第十一条",
    index=0,
    start=0,
)
AID_REMEDY = statute_hit(
    "第六十五条 申请或者已获得社会救助的家庭或者人员，对社会救助管理部门作出的具体"
    "行政行为不服的，可以依法申请行政复议或者提起行政诉讼。",
    article="第六十五条",
    index=1,
    start=900,
)
FIRE_DUTY = statute_hit(
    "第五十六条 住房和城乡建设主管部门、消防救援机构及其工作人员不得利用职务为用户、"
    "建设单位指定或者变相指定消防产品的品牌、销售单位或者消防技术服务机构。",
    article="第五十六条",
    index=0,
    start=0,
    title=FIRE,
)
FIRE_REPORTING = statute_hit(
    "第五十七条 任何单位和个人都有权对住房和城乡建设主管部门、消防救援机构及其工作人员"
    "在执法中的违法行为进行检举、控告。收到检举、控告的机关，应当按照职责及时查处。",
    article="第五十七条",
    index=1,
    start=400,
    title=FIRE,
)


@pytest.mark.parametrize(
    ("question", "hits", "given", "cited"),
    [
        # the rule of the decision objected to shares the story's words (低保, 民政部门,
        # 批准); what the asker may do is in the remedy, which shares little but 不服
        (
            "居民觉得自己够低保条件，但民政部门没批，他不服，还能走什么途径？",
            [AID_DECISION, AID_REMEDY],
            "行政复议",
            [f"《{LAW}》第六十五条"],
        ),
        # the part that asks where to report shares nothing with the reporting article
        # but 反映's kin; it is answered there, not refused beside the rule broken
        (
            "消防人员给商户指定消防产品的品牌，这样合规吗？商户可以去哪里反映？",
            [FIRE_DUTY, FIRE_REPORTING],
            "检举、控告",
            [f"《{FIRE}》第五十六条", f"《{FIRE}》第五十七条"],
        ),
    ],
)
def test_a_question_of_recourse_is_answered_by_the_recourse_its_statute_gives(
    generator, question, hits, given, cited
) -> None:
    answer = generator.generate(question, hits)
    assert given in answer.text and not answer.unanswered
    assert [c.label for c in answer.citations] == cited
    # the final check reads it the same way
    assert enforce(question, answer, hits) == answer


def test_a_remedy_of_a_statute_ranked_below_anothers_article_does_not_answer(generator) -> None:
    question = "居民觉得自己够低保条件，但民政部门没批，他不服，还能走什么途径？"
    answer = generator.generate(question, [AID_DECISION, AID_REMEDY])
    assert answer.text.startswith("第六十五条")
    other = replace(AID_DECISION, doc_id="law其他", title="其他条例", chunk_id="law其他:00000")
    assert "第六十五条" not in generator.generate(question, [other, AID_REMEDY]).text
