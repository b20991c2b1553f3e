"""What a question asks for, and whether a sentence holds an answer of that kind."""

from __future__ import annotations

import pytest

from textcore.questions import (
    PERIOD,
    THRESHOLD,
    AnswerType,
    abbreviation_in,
    answer_types,
    asked_acts,
    asked_duration,
    asked_enactment,
    asked_measure,
    asked_post,
    asking_clauses,
    asks_money,
    asks_sanction,
    counted_after,
    counted_phrase,
    has_answer_type,
    has_duration_of,
    has_person_name,
    quantity_spans,
    states_act,
    without_a_not_a,
    without_question_word,
    yes_no_predicates,
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
        # 些什么 is 哪些: items; 分别 asks one answer per thing named, unless a cue
        # before it says what each answer is (分别有多少, 分别多长时间)
        ("临时救助能给些什么？", (AnswerType.LIST,)),
        ("建公墓和殡仪服务站分别要过什么审批？", (AnswerType.LIST,)),
        ("两个社区分别以什么身份参加？", (AnswerType.LIST,)),
        ("常住人口和流动人口分别有多少？", (AnswerType.QUANTITY,)),
        ("物业公司对消防设施有什么责任？", (AnswerType.ANY,)),
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
        ("居民被转移到涧西区第二中学。", AnswerType.PLACE, None, True),
        # 社区 and 临街 name no place
        ("各社区加强对临街店面的日常排查。", AnswerType.PLACE, None, False),
        ("服务中心位于开元大道218号。", AnswerType.ADDRESS, None, True),
        ("服务中心为居民提供便利。", AnswerType.ADDRESS, None, False),
        ("咨询电话：0379-63211234。", AnswerType.PHONE, None, True),
        ("开通热线电话，接受预约。", AnswerType.PHONE, None, False),
        ("报县级人民政府民政部门审批。", AnswerType.AGENT, None, True),
        # a company is a body that answers 谁负责
        ("住宅区的物业服务企业应当对共用消防设施进行维护管理。", AnswerType.AGENT, None, True),
        ("自治、法治、德治、智治“四治”并进。", AnswerType.LIST, None, True),
        # steps in comma clauses, typed with half-width commas as much as full-width
        (
            "街道党工委选派第一书记，一方面成立经济组织，另一方面提升治理能力。",
            AnswerType.LIST,
            None,
            True,
        ),
        (
            "街道党工委选派第一书记,一方面成立经济组织,另一方面提升治理能力。",
            AnswerType.LIST,
            None,
            True,
        ),
        ("街道党工委选派第一书记主持日常工作。", AnswerType.LIST, None, False),
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


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("社区代办居住证的窗口周末开不开门？", ("开门",)),
        ("第一次办居住证收不收工本费？", ("收工",)),
        # modal forms ask whether one may or must, about no predicate of their own
        ("班子成员能不能连着干？", ()),
        ("要不要收费？", ()),
        ("只是口头说好了算不算数？", ()),
        ("回族居民按自己民族的习俗办丧事，殡葬改革管不管？", ()),
        ("低保申请要交到哪里？", ()),
        ("有危险的活，需不需要给志愿者买保险？", ()),
    ],
)
def test_a_not_a_questions_name_their_predicate(question, expected) -> None:
    assert yes_no_predicates(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("居民会不会被拘留？", "居民会被拘留？"),
        ("这有没有规矩？", "这有规矩？"),
        ("窗口周末开不开门？", "窗口周末开门？"),
        ("可不可以葬在耕地里？", "可以葬在耕地里？"),
        ("不得不去", "不得不去"),  # no A不A: 得 and 不 differ
    ],
)
def test_an_a_not_a_form_reads_as_what_it_asks_about(question, expected) -> None:
    assert without_a_not_a(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("涧西区一共建了多少个社区食堂？", ("社区", "食堂")),
        ("东风路街道建立了多少个网格党支部？", ("网格", "党支部")),
        ("西工区组建了多少个小区、楼院党支部？", ("小区",)),  # a list: its first item
        ("湖北路街道辖区里有多少家驻区单位？", ("驻区", "单位")),
        ("驻区单位有多少家？", ()),  # what is counted stands before the question word
        ("有多少人借社区换届进入了关键岗位？", ()),  # a verb follows: nothing named
        ("投入了多少资金？", ()),  # money is counted in 元, whatever it is called
    ],
)
def test_what_a_count_question_counts(question, expected) -> None:
    assert counted_phrase(question) == expected


def test_money_named_with_the_question_word_asks_for_an_amount() -> None:
    assert asks_money("西工区2018年投入了多少资金用于党建阵地建设？")
    # named before 多少 too: 经费有多少 is counted in 元 (not in 四星 or 一号)
    assert asks_money("每年的工作经费有多少？")
    assert asks_money("湖北路街道支部创建的专项经费是多少？")
    assert asks_money("救助资金一共多少？")
    assert not asks_money("建了多少个社区食堂？")
    assert not asks_money("社区有多少个网格员？")


def test_ordinals_are_no_amounts() -> None:
    assert quantity_spans("第二十八条 任何单位、个人不得损坏消防设施。") == []
    assert quantity_spans("个人有前款第二项、第三项行为之一的") == []
    assert quantity_spans("处警告或者五百元以下罚款") != []


def test_the_clauses_that_ask_something() -> None:
    question = "涧西区确定的两个试点街道是哪两个？其中湖北路街道下辖几个居民社区？"
    assert asking_clauses(question) == [
        "涧西区确定的两个试点街道是哪两个",
        "其中湖北路街道下辖几个居民社区",
    ]
    assert asking_clauses("我是社区工作者。低保申请要交到哪里？") == ["低保申请要交到哪里"]


def test_words_holding_ji_that_ask_nothing_do_not_ask_for_a_count() -> None:
    # 好几回 is "several times", 没几个月 "only a few months": no count is asked
    assert answer_types("调了好几回双方还是谈不拢，调解员接下来该怎么办？") == (AnswerType.LIST,)
    assert asked_measure("调了好几回双方还是谈不拢，调解员接下来该怎么办？") is None
    assert AnswerType.QUANTITY not in answer_types("住了没几个月的居民能不能参加选举？")
    assert answer_types("社区有几个网格员？") == (AnswerType.QUANTITY,)
    # 前几年, 这几天: a time some years or days back, not a count
    assert AnswerType.QUANTITY not in answer_types("前几年办的居住证现在还能用吗？")
    assert AnswerType.QUANTITY not in answer_types("这几天社区在排查什么？")
    assert answer_types("居住证几年签注一次？") == (AnswerType.QUANTITY,)


def test_each_comma_piece_that_asks_gives_its_type() -> None:
    # a cue in the story the question tells is read beside the piece that asks
    story = "街道要挖路修管道，中间还得停几天水，要提前跟谁打招呼？"
    assert AnswerType.AGENT in answer_types(story)
    story = "店员自己先跑了，根本没管顾客往哪儿撤，这种情况会怎么处理？"
    assert AnswerType.LIST in answer_types(story)
    # a clause that asks two things asks for both
    assert answer_types("谁来主持，名单什么时候公布？") == (AnswerType.AGENT, AnswerType.TIME)
    # an indefinite 几 in the story still asks for no count
    assert answer_types("社区有几户独居老人想请志愿者上门，该怎么申请？") == (AnswerType.LIST,)
    told = "社区帮他联系了几份合适的工作，他一次次都推掉了，会有什么后果？"
    assert AnswerType.QUANTITY not in answer_types(told)
    # asked on its own, V了几 still asks for a count
    assert answer_types("街道今年开了几次居民会议？") == (AnswerType.QUANTITY,)
    # 、 joins the things counted, it does not split the question
    assert answer_types("西工区建成了多少个小区、楼院党支部？") == (AnswerType.QUANTITY,)


def test_a_question_word_at_the_head_of_a_word_is_not_part_of_the_topic() -> None:
    assert without_question_word("哪些地方") == "地方"
    assert without_question_word("怎么办理") == "办理"
    assert without_question_word("哪里") == "哪里"  # nothing left to keep
    assert without_question_word("多少钱") == "多少钱"


def test_a_post_asked_with_who_asks_for_a_name() -> None:
    assert answer_types("通元花园小区物业管理委员会的主任是谁？") == (AnswerType.NAME,)
    assert answer_types("王府庄社区的下派第一书记叫什么名字？") == (AnswerType.NAME,)
    assert asked_post("谁是社区党委书记？") == "书记"
    # who approves asks for a body, not a name
    assert answer_types("村里想建公益性墓地，要报谁批？") == (AnswerType.AGENT,)


def test_a_name_answers_only_beside_the_post_asked() -> None:
    deputy = "小区物业管理委员会副主任罗增礼说，小区变化很大。"
    assert has_person_name(deputy)
    assert not has_person_name(deputy, post="主任")  # 副主任 is another post
    assert has_person_name("上海市场社区书记许文盈成立了工作室。", post="书记")
    # 通元 and 智慧 are tagged as names, but start with no surname; a post without a name
    assert not has_person_name("通元花园小区推进智慧小区建设。")
    question = "王府庄社区的第一书记叫什么名字？"
    text = "选派工作经验丰富的同志作为下派第一书记。"
    assert not has_answer_type(text, AnswerType.NAME, question=question)


def test_the_noun_after_a_quantity_is_what_it_counts() -> None:
    assert counted_after("建设网格“六支队伍”", len("建设网格“六支")) == "队伍"
    assert counted_after("建成15个“红色驿站”。", len("建成15个")) == "红色驿站"
    # a quantity that closes its phrase counts what stands before it
    assert counted_after("建立网格党支部238个，楼院党支部300个", len("建立网格党支部238个")) == ""


@pytest.mark.parametrize(
    ("question", "word", "expected"),
    [
        ("村里想建公益性墓地，要报谁批？", "审核", True),
        ("这个项目由哪个部门审批？", "批", True),
        ("持居住证的人想落户，落户条件由谁定？", "定", True),
        ("临时救助找谁申请？", "提出", True),
        ("志愿消防队建起来以后谁来指导？", "指导", True),
        ("邻里闹矛盾，谁来调？", "调解", True),
        ("最后谁批、钱怎么发？", "审核", True),
    ],
)
def test_the_act_a_who_question_asks_the_body_of(question, word, expected) -> None:
    assert (word in asked_acts(question)) is expected


def test_a_generic_verb_asks_for_no_act() -> None:
    # 谁来管, 由谁解决: any body that takes it on answers them
    assert asked_acts("调解员受了伤，生活有困难，谁来管？") == ()
    assert asked_acts("居委会的办公用房由谁来解决？") == ()
    assert asked_acts("公益性墓地要建在哪里？") == ()
    assert asked_acts("这件事由谁来调查？") == ()  # starts like 调解, is not


def test_an_act_is_stated_with_the_body_that_does_it() -> None:
    acts = asked_acts("要报谁批？")
    assert states_act("经乡级人民政府审核同意后，报县级人民政府民政部门审批。", acts)
    # a body, but not approving anything; an approval, but nobody doing it
    assert not states_act("农村的公益性墓地不得对村民以外的其他人员提供墓穴用地。", acts)
    assert not states_act("审批结果应当及时公布。", acts)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("居民委员会多久换届一次？", PERIOD),
        ("经发办多久去辖区规上（四上）企业走访一次？", PERIOD),
        ("外地来的人要住满多久才能办居住证？", THRESHOLD),
        ("至少要住多久？", THRESHOLD),
        # how soon something is done, or how long it took: neither
        ("材料交上去以后，多长时间能拿到证？", None),
        ("交了材料多久才能拿到居住证？", None),
        ("征迁签约用了多长时间？", None),
        ("走多久能到达食堂？", None),
    ],
)
def test_what_a_how_long_question_asks_the_length_of(question, expected) -> None:
    assert asked_duration(question) == expected


@pytest.mark.parametrize(
    ("text", "period", "threshold"),
    [
        ("居民委员会每届任期五年。", True, False),
        ("建立双月座谈会制度，每两个月召开一次会议。", True, False),
        ("到其他城市居住半年以上。", False, True),
        ("连续居住满一年的，可以申请。", False, True),
        # deadlines are neither how often nor how long before
        ("公安机关应当自受理之日起15日内制作发放居住证。", False, False),
        ("延长后最长不得超过30日。", False, False),
        ("年满十八周岁的居民有选举权。", False, False),  # an age, not a stay
    ],
)
def test_kinds_of_duration_in_a_sentence(text, period, threshold) -> None:
    assert has_duration_of(text, PERIOD) is period
    assert has_duration_of(text, THRESHOLD) is threshold


def test_a_rule_for_a_case_is_a_step_of_how_it_is_handled() -> None:
    rule = (
        "消防救援机构在消防监督检查中发现火灾隐患的，应当通知有关单位或者个人立即采取措施消除隐患。"
    )
    assert has_answer_type(rule, AnswerType.LIST, question="查出火灾隐患会怎么处理？")
    # it names no items: no answer to which ones there are
    assert not has_answer_type(rule, AnswerType.LIST, question="哪些单位是消防安全重点单位？")
    # a statement of what is, without a case and what is done in it, is no step
    assert not has_answer_type(
        "居住证是持证人在居住地居住的证明。", AnswerType.LIST, question="居住证怎么办？"
    )


def test_a_procedure_by_reference_is_a_step_of_how_it_is_done() -> None:
    rule = "复婚登记适用本条例结婚登记的规定。"
    assert has_answer_type(rule, AnswerType.LIST, question="复婚是怎么个办法？")
    assert not has_answer_type(rule, AnswerType.LIST, question="复婚要带哪些证件？")


def test_a_noun_cue_asks_for_steps_only_as_a_word_of_its_own() -> None:
    # 手续费 is a fee, not 手续: the question asks whether, not how
    assert answer_types("物业公司代收水电费，还另外收业主手续费，这样可以吗？") == (AnswerType.ANY,)
    assert answer_types("结婚登记要办什么手续？") == (AnswerType.LIST,)
    assert answer_types("调解程序是怎样的？") == (AnswerType.LIST,)


def test_where_a_thing_is_is_answered_by_an_address_or_a_named_place() -> None:
    question = "我们区反家暴临时庇护所设在哪儿？"
    # a kind of place, or the bodies every community has, say where to go, not where it is
    kind = "县级人民政府可以依托救助管理机构设立临时庇护场所。"
    assert not has_answer_type(kind, AnswerType.PLACE, question=question)
    bodies = "居民委员会、村民委员会、公安派出所应当进行查访。"
    assert not has_answer_type(bodies, AnswerType.PLACE, question=question)
    assert has_answer_type("庇护所设在涧西区长春路12号。", AnswerType.PLACE, question=question)
    assert has_answer_type("庇护所位于涧西区救助管理站内。", AnswerType.PLACE, question=question)
    # a named place merely mentioned is not where the thing is
    mentioned = "涧西区认真学习领会市委办公室的文件。"
    assert not has_answer_type(mentioned, AnswerType.PLACE, question="办公室在哪条路上？")
    # where to go to do something: the body that does it answers
    assert has_answer_type(kind, AnswerType.PLACE, question="居住证要到哪里去办？")


def test_ji_that_counts_nothing_asked_asks_for_no_count() -> None:
    # some households, several children: the question comes after
    assert answer_types("社区有几户独居老人想请志愿者上门帮忙，该怎么申请？") == (AnswerType.LIST,)
    assert answer_types("辖区有位老人，几个子女都不给赡养费，社区能做些什么？") == (
        AnswerType.LIST,
    )
    assert answer_types("居委会名下有几间门面房，区里想拿去用，居委会能不答应吗？") == (
        AnswerType.ANY,
    )
    # a count asked, alone or before another question
    assert answer_types("街道有几个社区？") == (AnswerType.QUANTITY,)
    assert answer_types("老人有几个子女，分别多大？") == (AnswerType.QUANTITY,)


def test_how_many_people_is_answered_by_a_share_of_them() -> None:
    rule = "有十分之一以上的村民或者三分之一以上的村民代表提议，应当召集村民会议。"
    assert has_answer_type(rule, AnswerType.QUANTITY, measure="人")
    assert has_answer_type(
        "经20%以上的业主提议，应当召开临时会议。", AnswerType.QUANTITY, measure="人"
    )
    # a share is no sum of money
    assert not has_answer_type(rule, AnswerType.QUANTITY, measure="元")


def test_what_with_a_noun_of_items_asks_for_a_list() -> None:
    assert answer_types("领结婚证需要带什么材料？") == (AnswerType.LIST,)
    assert answer_types("申请保护令要符合什么条件？") == (AnswerType.LIST,)
    assert answer_types("什么情况下登记处不给办？") == (AnswerType.LIST,)
    assert answer_types("这是什么情况？") == (AnswerType.ANY,)
    # what one brings or hands in is answered by items, with or without the noun
    assert answer_types("领结婚证要去哪儿办？带什么？") == (AnswerType.PLACE, AnswerType.LIST)
    assert answer_types("补办要准备什么？") == (AnswerType.LIST,)


def test_a_question_about_the_askers_own_place_is_local() -> None:
    from textcore.questions import asks_local

    assert asks_local("我们区的婚姻登记处在哪儿？")
    assert asks_local("本市的低保标准是多少？")
    assert not asks_local("婚姻登记处要带什么材料？")
    assert asks_local("我们辖区有哪些单位被定为消防安全重点单位？")


def test_a_roster_of_the_askers_own_area_is_told_apart() -> None:
    from textcore.questions import asks_roster

    assert asks_roster("我们辖区有哪些单位被定为消防安全重点单位？")
    assert asks_roster("本市哪些区域全年禁止燃放烟花爆竹？")
    assert asks_roster("我们街道哪几家企业评上了文明单位？")
    # a rule asked for, or no place of the asker's own
    assert not asks_roster("我们社区居委会下面能设哪些委员会？")
    assert not asks_roster("辖区有人想开一家民营养老院，要办哪些手续？")
    assert not asks_roster("哪些单位应当履行消防安全职责？")


def test_which_day_is_answered_by_a_date_not_a_period() -> None:
    yearly = "机关、团体应当每年组织进行有针对性的消防演练。"
    assert not has_answer_type(yearly, AnswerType.TIME, question="今年的消防演练安排在哪一天？")
    dated = "2018年10月12日，社区组织了消防演练。"
    assert has_answer_type(dated, AnswerType.TIME, question="消防演练是哪一天？")
    # how long is answered by a period
    period = "公安机关应当自受理之日起15日内制作发放居住证。"
    assert has_answer_type(period, AnswerType.TIME, question="多长时间能拿到证？")
    # when within a period one names (今年什么时候) asks for that period's date too; a
    # term of office says how often, not when this year's election is
    term = "居民委员会每届任期五年，其成员可以连选连任。"
    assert not has_answer_type(term, AnswerType.TIME, question="我们社区居委会今年什么时候换届？")
    assert has_answer_type(term, AnswerType.TIME, question="居委会什么时候换届？")
    # the period named in another clause leaves a later when as it was
    asked = "村里今年换届选举，名单什么时候公布？"
    assert has_answer_type(
        "选民名单应当在选举日的二十日以前公布。", AnswerType.TIME, question=asked
    )


def test_the_askers_own_place_and_the_hours_of_an_office() -> None:
    from textcore.questions import asks_hours, asks_local

    assert asks_local("我们这片归哪个派出所办居住证？")
    assert asks_local("咱这儿的低保标准是多少？")
    assert not asks_local("外地来的人要住满多久才能办居住证？")
    assert asks_hours("窗口几点上班，周末开不开门？")
    assert asks_hours("殡仪馆的办公时间是什么？")
    assert not asks_hours("居住证办下来要等多久？")


def test_an_age_is_no_span_of_time() -> None:
    age = "居民会议可以由全体十八周岁以上的居民或者每户派代表参加。"
    assert not has_answer_type(age, AnswerType.TIME, question="多长时间开一回？")
    assert has_answer_type("居民委员会每届任期五年。", AnswerType.TIME, question="多长时间换一回？")
    assert asked_duration("多长时间开一回？") == PERIOD


def test_the_attribute_whose_figure_is_asked() -> None:
    from textcore.questions import asked_attribute

    assert asked_attribute("居住证办下来以后有效期是几年？到期了要不要重新办？") == "有效期"
    assert asked_attribute("按咱这儿的医疗救助政策，一年封顶线是几万？") == "封顶线"
    assert asked_attribute("社区党组织书记的任期是几年？") == "任期"
    # generic words name no attribute of their own; no copula, no attribute
    assert asked_attribute("党费收缴总额是多少？") == ""
    assert asked_attribute("低保标准是每人每月多少钱？") == ""
    assert asked_attribute("居民会议的法定人数是多少？") == ""
    assert asked_attribute("骨灰一次最多能存几年？") == ""


def test_a_rough_size_told_asks_nothing_but_one_asked_does() -> None:
    told = "辖区低保户住院自费花了好几万，他欠了几万块钱，该怎么办？"
    assert answer_types(told) == (AnswerType.LIST,)
    assert answer_types("一年封顶线是几万？") == (AnswerType.QUANTITY,)
    assert len(asking_clauses("一年封顶线是几万？自付那部分按什么比例补？")) == 2


def test_ji_opening_what_a_part_tells_counts_nothing() -> None:
    assert answer_types("我们社区调委会现在几个委员全是男的，按规定是不是得有女同志？") == (
        AnswerType.ANY,
    )
    assert answer_types("村里几个大姓想把家族坟山重新修起来，这样允许吗？") == (AnswerType.ANY,)
    # a count asked after a verb, or in the part that asks
    assert answer_types("几个人能提议召开居民会议？") == (AnswerType.QUANTITY,)
    assert answer_types("调委会要选几个委员，谁来选？")[0] is AnswerType.QUANTITY


def test_a_thing_is_named_by_a_title_a_post_by_a_person() -> None:
    course = "街道开发了“心灵画语”心理绘画微党课。"
    assert has_answer_type(course, AnswerType.NAME, question="那门微党课叫什么名字？")
    assert not has_answer_type(course, AnswerType.NAME, question="社区书记叫什么名字？")


def test_a_word_of_an_act_that_qualifies_a_noun_states_no_act() -> None:
    acts = asked_acts("居住证是哪个部门签发的？")
    assert not states_act("登载的内容包括证件的签发机关和签发日期。", acts)
    assert states_act("居住证由县级人民政府公安机关签发。", acts)


def test_a_fee_or_a_payment_asks_an_amount_of_money() -> None:
    assert asks_money("要去法院起诉的话诉讼费得交多少？")
    assert asks_money("邻居把车刮了，要赔多少？")
    assert not asks_money("材料要交多少份？")


def test_the_asker_s_province_and_its_counties_are_local() -> None:
    from textcore.questions import asks_local, asks_location, asks_roster

    assert asks_roster("我们省现在哪些县还允许土葬？")
    assert asks_local("我们省的低保标准是多少？")
    assert not asks_roster("哪些县可以划为火葬区？")
    assert asks_location("区消防救援大队的防火监督科在什么地方办公？")


def test_where_an_event_is_held_asks_for_a_venue() -> None:
    from textcore.questions import asks_location

    assert asks_location("区司法局给调解员办的业务培训在哪儿上课？")
    assert asks_location("居民会议在什么地方开？在哪里开会？")
    # where one goes to get something done is answered by the body that does it
    assert not asks_location("低保申请要交到哪里？")
    assert not asks_location("结婚登记要到哪里去办？")


def test_where_an_office_is_asked_before_a_comma_is_asked_all_the_same() -> None:
    from textcore.questions import asks_location

    # …在哪办公，几点上班 asks where the office is as much as …在哪办公？几点上班？
    assert asks_location("我们街道的调委会在哪办公，几点上班？")
    assert asks_location("婚姻登记处在哪里，周末上班吗？")
    # where to go to get something done, before a comma too, asks for a body
    assert not asks_location("要在哪里登记，带什么材料？")


def test_who_brings_the_question_is_not_part_of_it() -> None:
    from textcore.questions import without_framing

    assert without_framing("社区居民来问：家里要穷到什么程度才能吃上低保？") == (
        "家里要穷到什么程度才能吃上低保？"
    )
    assert without_framing("外地来的租户问：办了居住证有啥用？") == "办了居住证有啥用？"
    assert without_framing("有商户咨询：灭火器多久检查一次？") == "灭火器多久检查一次？"
    # a colon inside the question, or nothing after the lead, leaves it as it is
    assert without_framing("请问居住证怎么办？") == "请问居住证怎么办？"
    assert without_framing("居民问：") == "居民问："
    assert without_framing("问题清单：哪些情形不予受理？") == "问题清单：哪些情形不予受理？"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("有人把自己的居住证租给别人用，会被罚多少钱？", True),
        ("养老院着火时值班人员先跑了，要担什么责任？", True),
        ("特殊建设工程没审就开工了会怎么处理？", True),
        ("有人冒用别人的居住证办事，查出来会怎样？", True),
        # what happens next, with no wrong done: the steps, not a sanction
        ("来办居住证的人材料没带齐，窗口该怎么处理？", False),
        ("火灭了以后现场怎么处理？", False),
        ("居住证每年的签注怎么办？", False),
        # the duties a body has are no liability asked
        ("小区物业公司对楼里的消防设施有什么责任？", False),
    ],
)
def test_a_question_asks_for_a_sanction_when_it_tells_of_a_wrong_done(question, expected) -> None:
    assert asks_sanction(question) is expected


def test_a_statute_sentence_states_a_sanction() -> None:
    from textcore.articles import states_sanction

    assert states_sanction("由消防救援机构责令改正，处五千元以上五万元以下罚款。")
    assert states_sanction("对直接负责的主管人员依法给予处分。")
    assert states_sanction("给他人造成损失的，依法承担赔偿责任。")
    assert not states_sanction("特殊建设工程未经消防设计审查或者审查不合格的，不得施工。")
    assert not states_sanction("居民委员会每届任期五年，其成员可以连选连任。")


def test_the_step_of_a_statutes_making_a_date_question_asks() -> None:
    assert asked_enactment("居住证暂行条例什么时候开始实行？") == ("施行",)
    assert asked_enactment("殡葬管理条例是哪年出台的？") == ("发布", "公布")
    assert asked_enactment("消防法哪一年修订过？") == ("修订", "修正")
    assert asked_enactment("居委会每届任期几年？") == ()


def test_the_date_of_another_text_a_sentence_names_is_no_date_of_its_own() -> None:
    other = "1985年2月8日国务院发布的《国务院关于殡葬管理的暂行规定》同时废止。"
    assert not has_answer_type(other, AnswerType.TIME)
    assert has_answer_type("本条例自1997年7月21日起施行。", AnswerType.TIME)
    # a record line naming the decision that amended it keeps its date
    amended = "2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议《关于修改…的决定》修正"
    assert has_answer_type(amended, AnswerType.TIME)


def test_whether_one_may_or_must_asks_for_a_rule() -> None:
    from textcore.questions import asks_permission

    for question in (
        "区里某个局直接给居委会派活，这样合规吗？",
        "志愿者能收老人的辛苦费吗？",
        "楼顶装热水器，要不要先经过业委会同意？",
        "可不可以让子女代办居住证？",
        "外地人必须住满半年才能办吗？",
    ):
        assert asks_permission(question), question
    for question in (
        "居委会多久换届一次？",
        "西工区有没有建立红色物业？",
        "违章停车会被怎么罚？",
        "调解协议是不是要写成书面的？",
    ):
        assert not asks_permission(question), question


def test_an_objection_with_a_route_asks_for_redress() -> None:
    from textcore.articles import states_remedy
    from textcore.questions import asks_redress

    assert asks_redress("居民觉得民政部门的救助决定不合理，能走什么途径？")
    assert asks_redress("申请救助没批下来，不服怎么办？")
    # an objection alone, or a route alone, is no redress asked
    assert not asks_redress("居民对居委会某个委员很不满意，想开居民会议把他换掉，需要多少人提议？")
    assert not asks_redress("调解没谈成，还能怎么办？")
    assert states_remedy("对…具体行政行为不服的，可以依法申请行政复议或者提起行政诉讼。")
    assert not states_remedy("对不符合条件的申请不予批准，并书面向申请人说明理由。")


def test_where_to_report_a_wrong_asks_for_the_right_to_report() -> None:
    from textcore.articles import states_reporting
    from textcore.questions import asks_report

    assert asks_report("商户可以去哪里反映？")
    assert asks_report("这种事该向谁举报？")
    assert not asks_report("临时救助找谁申请？")
    assert states_reporting("任何单位和个人都有权对…在执法中的违法行为进行检举、控告。")
    assert states_reporting("可以向民政部门、其他有关部门或者志愿服务行业组织投诉。")
    assert not states_reporting("受理举报、投诉的机关应当及时核实、处理。")
