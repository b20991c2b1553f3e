"""What a question asks for, and whether a sentence holds an answer of that kind."""

from __future__ import annotations

import pytest

from textcore.questions import (
    AnswerType,
    abbreviation_in,
    answer_types,
    asked_measure,
    has_answer_type,
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("湖北路街道第三季度组织了几次消防演练？", (AnswerType.QUANTITY,)),
        ("西工区2018年投入了多少资金用于党建阵地建设？", (AnswerType.QUANTITY,)),
        ("七二五社区的老年食堂是哪一年开办的？", (AnswerType.TIME,)),
        ("居住证材料交上去以后，多长时间能拿到证？", (AnswerType.TIME,)),
        ("低保申请要交到哪里？", (AnswerType.PLACE,)),
        ("开元路街道党群服务中心的具体地址在哪里？", (AnswerType.ADDRESS,)),
        ("东风路街道党群服务中心的咨询电话是多少？", (AnswerType.PHONE,)),
        ("村里想建公益性墓地，要报谁批？", (AnswerType.AGENT,)),
        ("“四治”并进具体包括哪几个方面？", (AnswerType.LIST,)),
        ("临时救助怎么申请？", (AnswerType.LIST,)),
        ("居民来找社区调委会调解邻里纠纷，要不要收费？", (AnswerType.ANY,)),
        ("需要多少人提议？会议怎样才算有效？", (AnswerType.QUANTITY, AnswerType.LIST)),
    ],
)
def test_answer_types_follow_the_question_words(question, expected) -> None:
    assert answer_types(question) == expected


def test_the_measure_word_after_the_question_word_is_read() -> None:
    assert asked_measure("组织了几次消防演练？") == "次"
    assert asked_measure("有多少名60岁以上的老人？") == "名"
    assert asked_measure("物业费每平方米多少钱？") == "元"
    assert asked_measure("投入了多少资金？") is None


@pytest.mark.parametrize(
    ("text", "answer_type", "measure", "expected"),
    [
        ("街道共开展消防演练3次。", AnswerType.QUANTITY, "次", True),
        ("街道共开展消防演练三场。", AnswerType.QUANTITY, "次", True),
        ("街道共有党员300余名。", AnswerType.QUANTITY, "次", False),
        ("累计投入1700余万元用于党建阵地建设。", AnswerType.QUANTITY, None, True),
        ("处五百元以下罚款。", AnswerType.QUANTITY, "元", True),
        ("街道高度重视消防安全工作。", AnswerType.QUANTITY, None, False),
        ("到其他城市居住半年以上。", AnswerType.TIME, None, True),
        ("自受理之日起15日内制作发放居住证。", AnswerType.TIME, None, True),
        ("居民委员会每届任期五年。", AnswerType.TIME, None, True),
        ("向户籍所在地的乡镇人民政府提出书面申请。", AnswerType.PLACE, None, True),
        ("服务中心位于开元大道218号。", AnswerType.ADDRESS, None, True),
        ("服务中心为居民提供便利。", AnswerType.ADDRESS, None, False),
        ("咨询电话：0379-63211234。", AnswerType.PHONE, None, True),
        ("开通热线电话，接受预约。", AnswerType.PHONE, None, False),
        ("报县级人民政府民政部门审批。", AnswerType.AGENT, None, True),
        ("自治、法治、德治、智治“四治”并进。", AnswerType.LIST, None, True),
    ],
)
def test_answer_type_presence(text, answer_type, measure, expected) -> None:
    assert has_answer_type(text, answer_type, measure=measure) is expected


def test_abbreviations_are_found_in_their_long_form() -> None:
    assert abbreviation_in("低保", "申请最低生活保障，按照下列程序办理")
    assert abbreviation_in("调委会", "人民调解委员会调解民间纠纷")
    assert abbreviation_in("居委会", "居民委员会每届任期五年")
    assert not abbreviation_in("低保", "保障低收入家庭")  # wrong order
    assert not abbreviation_in("低保", "低" + "其" * 20 + "保")  # too far apart


def test_the_article_a_position_belongs_to() -> None:
    from textcore.articles import article_at

    text = (
        "第二章 最低生活保障\n第十一条 申请最低生活保障，依照本法第十条办理。\n第十二条 按月发给。"
    )
    assert article_at(text, 0) == ""
    assert article_at(text, text.index("申请")) == "第十一条"
    assert article_at(text, text.index("按月")) == "第十二条"
