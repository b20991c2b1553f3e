"""What a Chinese question asks for, and whether a sentence has that kind of answer.

A question's answer type follows from its question word: 多少/几 ask for a
quantity (with the measure word that follows, 几次 → 次), 哪年/何时/多久 for a
date or a duration, 哪里 for a place (地址 for a street address), 电话 for a
number pattern, 谁 for a person or a body, 哪些/怎么/如何 for a list or steps.
``answer_types`` reads them; ``has_answer_type`` says whether a sentence holds
an answer of that type. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from enum import StrEnum

from textcore.numerals import CN_NUMERAL_CHARS
from textcore.punct import SENTENCE_ENDS
from textcore.units import named_units

__all__ = [
    "PERIOD",
    "QUESTION_WORDS",
    "THRESHOLD",
    "AnswerType",
    "abbreviation_in",
    "answer_types",
    "asked_acts",
    "asked_attribute",
    "asked_duration",
    "asked_enactment",
    "asked_measure",
    "asked_post",
    "asking_clauses",
    "asks_fine",
    "asks_hours",
    "asks_local",
    "asks_roster",
    "asks_location",
    "asks_permission",
    "asks_redress",
    "asks_report",
    "asks_sanction",
    "is_topic_word",
    "asks_money",
    "counted_after",
    "counted_phrase",
    "has_answer_type",
    "has_duration_of",
    "has_person_name",
    "mentions",
    "quantity_spans",
    "question_clauses",
    "states_act",
    "without_a_not_a",
    "without_question_word",
    "written_verbs",
    "yes_no_predicates",
]


class AnswerType(StrEnum):
    """The kind of answer a question asks for."""

    QUANTITY = "quantity"
    TIME = "time"  # a date or a duration
    PLACE = "place"
    ADDRESS = "address"
    PHONE = "phone"
    AGENT = "agent"  # a person or a body
    NAME = "name"  # a person's name (叫什么名字, 主任是谁)
    LIST = "list"  # items or steps
    ANY = "any"  # yes/no, 什么, or no question word


# Words that make a question a question; they say nothing about what it is about.
QUESTION_WORDS = frozenset(
    [
        "什么", "哪些", "哪个", "哪几个", "哪几", "哪", "多少", "几", "几个", "怎么", "怎样",
        "如何", "是否", "吗", "呢", "为什么", "谁", "哪里", "哪儿", "多久", "多长", "分别",
        "具体", "包括", "一共", "共", "有", "是", "的", "了", "在", "和", "与", "及", "其中",
        "哪一年", "哪年", "何时", "方面", "可以", "能", "都", "还", "又", "也", "被", "把",
        "对", "给", "从", "怎么样", "请问", "介绍", "一下", "情况", "相关", "主要", "哪些方面",
        "时候", "多大", "多", "个", "这", "那", "这个", "那个", "我", "你", "他们", "它", "其",
        "我们", "咱们", "要", "会", "想", "得", "要不要", "能不能", "可不可以", "有没有",
        "算不算", "收不收", "开不开", "是不是", "吧", "啊", "呀", "一般", "大概", "最多",
        "最少", "至少", "需要", "应该", "怎么办", "办", "干", "弄", "才", "就", "下", "上",
        "今年", "去年", "目前", "现在", "已经", "一直",
        # words that only ask for steps or point at someone unnamed
        "流程", "步骤", "手续", "有人", "辖区", "这一块", "一块", "一位", "一个", "某个",
        "不能", "到哪", "要是", "这儿", "那儿", "才能", "就是", "接下来", "以后", "最后",
        "起来", "全都", "还能",
        # directional complements (办下来, 定下来) and times a story is told in (以前,
        # 前天, 平时): no topic of what is asked
        "下来", "过来", "出来", "上来", "回来", "以前", "之前", "当时", "后来", "平时",
        "事后", "前天", "昨天", "明天",
        # how long, how often: the asked duration, not its topic (多长时间…公开一次)
        "多长时间", "多少时间", "多少天", "几天", "几年", "几个月", "多少年", "一次", "一回",
    ]
)  # fmt: skip

# Question words jieba may keep at the head of a longer word (哪些地方, 怎么办理).
_LEADING_QUESTION_WORDS = ("哪些", "哪个", "什么", "多少", "怎么", "怎样", "如何", "哪")


def without_question_word(word: str) -> str:
    """``word`` without a question word at its head (哪些地方 → 地方), when at least
    two characters remain; otherwise ``word`` as it is."""
    for head in _LEADING_QUESTION_WORDS:
        if word.startswith(head) and len(word) - len(head) >= 2:
            return word[len(head) :]
    return word


# Measure words that may follow 几/多少, grouped by what they count: an answer
# fits when its number carries a measure of the same group (几次 → 3次 or 三场).
_MEASURE_GROUPS = (
    ("人", "名", "位", "人次", "个人"),
    ("个", "家", "所", "座", "处", "支", "间"),
    ("次", "场", "轮", "回", "批"),
    ("元", "万元", "亿元", "块", "钱"),
    ("户",),
    ("项", "条", "件", "类", "种"),
    ("年", "个月", "月", "周", "天", "日", "工作日", "小时", "分钟", "岁"),
    ("平方米", "平米", "亩", "公里", "米"),
    ("册", "本", "份"),
    # things counted one by one: a count of one kind is no count of another
    ("张", "页"),
    ("台", "部"),
    ("辆",),
    ("套",),
    ("栋", "幢"),
    ("层",),
    ("%",),
)
_MEASURES = sorted({m for group in _MEASURE_GROUPS for m in group}, key=len, reverse=True)
_MEASURE_ALT = "|".join(re.escape(m) for m in _MEASURES)
_ASKED_MEASURE = re.compile(rf"(?:多少|几)(?P<m>{_MEASURE_ALT}|点)")

# 半 counts as a numeral in quantities (半年, 过半数)
_CN_NUM = CN_NUMERAL_CHARS + "半"
_NUMBER = rf"(?:\d+(?:[.,]\d+)*|[{_CN_NUM}]+)"
_QUANTITY = re.compile(rf"{_NUMBER}(?:余|多)?[万亿千]?(?P<m>{_MEASURE_ALT})")
_BARE_QUANTITY = re.compile(
    rf"\d|[{_CN_NUM}]+(?:分之|倍|成)|[{_CN_NUM}]+[{_CN_NUM}]|过半数|半数|全部|所有"
)
# A span of time (3年, 15个工作日, 半年); 十八周岁 is an age, no span.
_SPAN = rf"{_NUMBER}(?:余|多)?个?(?:年|月|周(?!岁)|天|日|工作日|小时|分钟)|半年"
_DURATION = re.compile(rf"{_SPAN}|之日起|之日前|届满|每年|每季度|每月")
_ORDINAL = re.compile(rf"第{_NUMBER}")
# A question for a calendar day or year, which only a date answers.
# Which day (哪一天, 几月几号), or when within a period one names (今年什么时候换届,
# 这次定在什么时候): a date answers, not a period or a time limit.
_ASKS_DATE = re.compile(
    r"哪一?天|几号|几月几|哪一?年|哪个月|几月份"
    r"|(?:今年|明年|年内|本月|这个月|下个月|这次|这一次|下次|下一次|本次|本届|下一届)"
    r"[^，,。？?]{0,12}(?:什么时候|何时|啥时候)"
)
_CLOCK = re.compile(r"\d{1,2}\s*[:：点时]|[上下]午[一二三四五六七八九十]+点")
_DATE = re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[上下]半年|年底|年初")
# Where something is, or where one goes: a body or a building, an address, or a named
# place (``named_units``). A bare 区 or 街 is no place: 社区 and 临街 are everywhere.
_STREET_NUMBER = r"[路街巷]\s*\d+\s*号|\d+\s*[号楼层室]"
_PLACE_WORDS = re.compile(
    r"政府|办事处|部门|机关|机构|法院|检察院|委员会|居委会|村委会|中心|服务站|窗口|大厅|所在地"
    r"|医院|派出所|公安|民政|派出|乡镇|馆|场所|学校|广场|公园|宾馆|酒店|安置点|避难场所"
    rf"|{_STREET_NUMBER}"
)
_ADDRESS = re.compile(rf"[路街道巷]\s*\d+\s*号|{_STREET_NUMBER}|[路街巷]\S{{0,6}}号|大厦|广场\d")
_PHONE = re.compile(
    r"(?<!\d)(?:0\d{2,3}[-－—\s]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)12[0-9]{3}(?!\d)"
)
_AGENT_WORDS = re.compile(
    r"政府|部门|机关|机构|企业|公司|学校|医院|协会|委员会|居委会|村委会|党委|党工委|支部|法院|公安|民政|办事处|单位|组织"
    r"|书记|主任|主席|局|厅|中心|本人|当事人|家属|亲属|监护人|人员|员|者|负责人|代表"
)
# Enumeration marks, steps, or a sentence of several comma clauses. Half-width marks
# count like their full-width twins: sources mix them ("配齐配强班子成员,王府庄社区"),
# and the answer shows them normalised (``normalize_text``), as ``enforce`` reads it.
_LIST = re.compile(
    r"[、；;]|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、]|[，,].+[，,]"
)

# Nouns that ask for steps (办理手续, 什么程序).
_STEP_NOUNS = ("流程", "步骤", "程序", "手续", "做法", "措施")
# Cues asking how something is done (steps), not which items there are.
_HOW_CUES = ("怎么", "如何", "怎样", *_STEP_NOUNS)
# 什么 with a noun that is answered by items: 带什么材料, 符合什么条件, 什么情况下不给办.
_ITEM_NOUNS = ("材料", "证件", "证明", "资料", "条件", "情况下", "情形", "要求", "手续")
_WHAT_ITEMS = tuple(f"什么{noun}" for noun in _ITEM_NOUNS)
# What one brings or hands in (带什么, 要准备什么) is answered by items too.
_WHAT_BROUGHT = tuple(f"{verb}什么" for verb in ("带", "拿", "准备", "提交", "递交"))
# Cues in the order they are tried within one clause; the first that matches wins.
_CUES: tuple[tuple[AnswerType, tuple[str, ...]], ...] = (
    (AnswerType.PHONE, ("电话", "号码", "热线")),
    (AnswerType.ADDRESS, ("地址", "门牌")),
    (AnswerType.NAME, ("叫什么", "名字", "姓名", "姓什么")),
    (
        AnswerType.TIME,
        (
            "多久", "多长时间", "多少天", "几天", "几个月", "多少年", "何时", "什么时候",
            "哪年", "哪一年", "哪天", "哪一天", "几号", "几点", "时限", "期限",
        ),
    ),
    (AnswerType.PLACE, ("哪里", "哪儿", "在哪", "到哪", "去哪", "哪个地方", "什么地方")),
    (AnswerType.LIST, ("哪些", "哪几")),  # 哪几个方面 asks for items, not a count
    (AnswerType.QUANTITY, ("多少", "几", "多大", "多高", "比例")),
    (
        AnswerType.AGENT,
        ("谁", "哪个部门", "哪个单位", "哪个机构", "什么部门", "什么机关", "哪一级", "哪级"),
    ),
    # 些什么 is 哪些 (能帮些什么); 分别 asks one answer per thing named (殡仪馆和骨灰堂
    # 分别要走什么审批), unless a cue above says what each answer is (分别有多少)
    (AnswerType.LIST, ("哪些", "哪几", *_HOW_CUES, "些什么", "分别", *_WHAT_ITEMS, *_WHAT_BROUGHT)),
)  # fmt: skip
# Yes/no forms (要不要, 收不收, 是否) ask for no particular type.
_YES_NO = re.compile(r"(.)不\1|是否|有没有|可否|能否|吗")
_CLAUSE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}]+")


# Words holding 几 or 多少 that ask nothing (好几回, 几乎, 没几个月, 几十年): read
# as a question they would ask for a count.
_NOT_ASKING = re.compile(
    r"好几|几乎|几经|没几|多少有些|或多或少"
    # 几十年, 几千块钱 tell a rough size, unless asked (封顶线是几万？罚几千块？)
    r"|(?<![是为])几[十百千万](?![^，,。；;]{0,2}[？?])"
    # a time some years or days ago or lately (前几年, 这几天, 最近几个月): a when, not a count
    r"|(?:前|近|这|那|头|最近|过去)几(?:个)?(?:年|天|日|月|周|星期)"
)


# 几 that counts nothing asked: 有几户独居老人想…，该怎么申请 (some households), 几个
# 子女都不给… (several children), 帮他联系了几份工作，他都推掉了 (a few, told as done),
# when a later part of the sentence asks the question.
_SOME = re.compile(
    rf"有几(?={_MEASURE_ALT})|(?<=了)几(?={_MEASURE_ALT})|几(?={_MEASURE_ALT})[^，,]*?[都也全]"
    # 几 opening what the part tells of (村里几个大姓想…, 社区调委会现在几个委员…): some
    rf"|(?:^|(?<=[里上中内们在]))几(?={_MEASURE_ALT})"
)
_PART_MARKS = re.compile(r"([，,])")
_ASKS = ("什么", "怎么", "怎样", "如何", "哪", "谁", "多少", "多久", "多长")


def _without_some(sentence: str) -> str:
    """``sentence`` with an indefinite 几 (``_SOME``) taken out of each part that a
    later part follows with a question of its own."""
    parts = _PART_MARKS.split(sentence)
    for i in range(0, len(parts) - 2, 2):
        later = "".join(parts[i + 2 :])
        if _YES_NO.search(later) or any(w in later for w in _ASKS):
            parts[i] = _SOME.sub(lambda m: m.group(0).replace("几", "，"), parts[i])
    return "".join(parts)


def _asking_text(clause: str) -> str:
    ends = re.split(f"([{re.escape(SENTENCE_ENDS)}]+)", clause)
    return _NOT_ASKING.sub("，", "".join(_without_some(part) for part in ends))


# Who brings the question, before a colon (社区居民来问：, 外地来的租户问：, 有商户咨询：):
# the asker, not what is asked.
_FRAMING = re.compile(
    r"^[^，。？！?；：:]{1,14}?(?:来|过来)?(?:问|咨询|打听|反映)(?:我|我们|道)?[：:]\s*"
)


def without_framing(question: str) -> str:
    """``question`` without a lead that says who asks it (社区居民来问：家里要穷到…
    → 家里要穷到…), when a question remains after it."""
    rest = _FRAMING.sub("", question, count=1)
    return rest if rest.strip() else question


def question_clauses(question: str) -> list[str]:
    """The question's clauses, split at ？！。； (“需要多少人提议？会议怎样才算有效？”)."""
    return [c.strip() for c in _CLAUSE_END.split(question) if c.strip()]


# A post asked with 谁 (主任是谁, 谁是书记) asks who holds it: a person, by name.
_POSTS = (
    r"(?:主任|书记|负责人|组长|站长|队长|部长|局长|主席|会长|社长|院长|所长|理事长|网格员|楼长)"
)
_WHO_HOLDS = re.compile(
    rf"(?P<a>副?{_POSTS})(?:是|叫|为)?(?:谁|哪位|叫什么|什么名字)"
    rf"|(?:谁|哪位)(?:是|担任|任)\S{{0,8}}?(?P<b>副?{_POSTS})"
)


def asked_post(question: str) -> str | None:
    """The post whose holder a question asks for by name (主任是谁 → 主任)."""
    match = _WHO_HOLDS.search(_asking_text(question))
    return (match["a"] or match["b"]) if match else None


# Cues that are nouns: they ask for steps as words of their own (办理手续, 什么程序),
# not inside another word (手续费, 程序员).
_NOUN_CUES = frozenset(_STEP_NOUNS)


def _has_cue(text: str, cue: str) -> bool:
    """Whether ``text`` holds ``cue`` (a noun cue only as a word of its own)."""
    if cue not in text:
        return False
    if cue not in _NOUN_CUES:
        return True
    from textcore.segment import segment  # jieba loads on first use, not on import

    return any(word.endswith(cue) for word in segment(text) if cue in word)


def _clause_type(clause: str) -> AnswerType:
    clause = _asking_text(clause)
    if _WHO_HOLDS.search(clause):
        return AnswerType.NAME
    for answer_type, cues in _CUES:
        if any(_has_cue(clause, cue) for cue in cues):
            # 几 inside a yes/no clause (“能不能干几年” is rare): the cue still wins
            return answer_type
    return AnswerType.ANY


def asking_clauses(question: str) -> list[str]:
    """The clauses of ``question`` that ask something (a question word, 什么, or a
    yes/no form); a remark (“我是社区工作者。”) asks nothing."""
    return [
        c
        for c in question_clauses(question)
        if _clause_type(c) is not AnswerType.ANY
        or _YES_NO.search(c)
        or any(w in c for w in ("什么", "为什么", "怎么", "哪"))
    ]


def answer_types(question: str) -> tuple[AnswerType, ...]:
    """The answer types ``question`` asks for, one per clause that asks for one
    (a yes/no or 什么 clause asks for ``ANY``); ``(ANY,)`` for a statement."""
    types: list[AnswerType] = []
    for clause in question_clauses(question) or [question]:
        kinds = _piece_types(clause)
        if kinds == [AnswerType.ANY] and not _YES_NO.search(clause) and types:
            continue  # a trailing remark without a question word adds nothing
        types += kinds
    return tuple(dict.fromkeys(types)) or (AnswerType.ANY,)


def _piece_types(clause: str) -> list[AnswerType]:
    """The types one clause asks for: each comma piece's that asks one. A cue in the
    story a question tells (没管顾客往哪儿撤，这种情况会怎么处理; 停几天水…，要提前跟谁
    打招呼) is read beside the piece that asks, not instead of it; a clause that asks
    two things (谁来主持，名单什么时候公布) asks for both."""
    whole = _clause_type(clause)
    pieces = [p for p in _PART_MARKS.split(_asking_text(clause)) if p.strip("，, ")]
    if whole is AnswerType.ANY or len(pieces) < 2:
        return [whole]
    kinds = [k for k in (_clause_type(p) for p in pieces) if k is not AnswerType.ANY]
    return list(dict.fromkeys(kinds)) or [whole]


# A不A verbs that ask whether one may or must (能不能, 要不要, 是不是), or whether a
# rule covers it (管不管, 算不算): the answer's 可以/应当/不得/尊重 says that; other
# verbs (开不开门, 收不收费) name the predicate.
_MODAL_VERBS = frozenset("能要可是有会用行该准让肯敢算管需")
_A_NOT_A = re.compile(r"(.)不\1(.?)")


# A不A and A没A (会不会, 有没有, 可不可以): the question asks whether A.
_ASKS_WHETHER = re.compile(r"([\u4e00-\u9fff])[不没]\1")


def without_a_not_a(question: str) -> str:
    """``question`` with each A不A / A没A form read as plain A: 会不会被拘留 → 会被拘留,
    有没有规矩 → 有规矩, 开不开门 → 开门, 可不可以 → 可以. The negative half is the
    asking, not the topic: the segmenter would keep it as a word (不会, 没有规矩)."""
    return _ASKS_WHETHER.sub(r"\1", question)


# The written forms of a spoken verb of an A不A question, which a statute uses for it
# (给不给救助 → 提供基本生活救助, 交不交 → 缴纳).
_WRITTEN_VERBS = {"给": ("提供", "发放"), "交": ("缴纳",)}


def written_verbs(verb: str) -> tuple[str, ...]:
    """``verb`` and the forms a statute writes it in (``_WRITTEN_VERBS``)."""
    return (verb, *_WRITTEN_VERBS.get(verb, ()))


def yes_no_predicates(question: str) -> tuple[str, ...]:
    """The predicates an A不A question asks about, each its verb and the first
    character of its object (开不开门 → 开门, 收不收工本费 → 收工); modal forms
    (能不能, 要不要, 是不是) ask about no predicate of their own."""
    found = []
    for m in _A_NOT_A.finditer(question):
        verb, after = m.group(1), m.group(2)
        if verb in _MODAL_VERBS or not verb.strip():
            continue
        obj = after if after and after not in SENTENCE_ENDS and after.strip() else ""
        found.append(verb + obj)
    return tuple(dict.fromkeys(found))


# Nouns of money: 多少资金 counts an amount, whatever the money is called.
_MONEY_NOUNS = ("资金", "经费", "费用", "钱", "金额", "工资", "补贴", "预算", "款", "罚款")
_COUNTED_AFTER = re.compile(rf"(?:多少|几)(?:{_MEASURE_ALT})?")
# Tags of the words that make up what is counted (a noun phrase): nouns, names,
# verbal nouns, abbreviations, set phrases.
_COUNTED_FLAGS = ("n", "vn", "nz", "j", "l", "ns", "nt")
_COUNTED_BREAKS = frozenset("、，,和与及或")


def counted_phrase(question: str) -> tuple[str, ...]:
    """The words of what a 多少/几 question counts when it follows the question word
    (多少个社区食堂 → 社区, 食堂; 多少名网格员 → 网格员); ``()`` when the thing counted
    stands before it (社区有多少家) or nothing nominal follows (多少人借…进入)."""
    question = _asking_text(question)
    match = _COUNTED_AFTER.search(question)
    if match is None or question.startswith(_MONEY_NOUNS, match.end()):
        return ()  # 多少资金 counts 元, whatever the money is called
    return tuple(_leading_nouns(question[match.end() :], _COUNTED_BREAKS))


# 是多少 / 为几年 …: the copula that joins an attribute to the asked figure (有效期是几年,
# 标准是每人每月多少钱).
_ATTRIBUTE_ASKED = re.compile(r"(?:是|为)(?:每[^，,。？?]{1,2}?)*(?:多少|几|多大|多长)")
# Attribute words that name no attribute of their own but the measure (收缴总额, 低保
# 标准, 法定人数, 使用年限): a rule states the figure without them (过半数出席).
_BARE_ATTRIBUTES = (
    "总额", "总数", "数额", "数量", "数目", "数字", "人数", "户数", "金额", "标准", "规模",
    "期限", "年限", "时间", "时限", "比例", "面积", "次数", "额度",
)  # fmt: skip


def asked_attribute(question: str) -> str:
    """The attribute whose figure a question asks with 是多少/是几 (居住证有效期是几年 →
    有效期; 一年封顶线是几万 → 封顶线): the noun right before the copula, with the word
    before it when it is one character; ``""`` when there is none or it is generic
    (总额, 标准). A figure of another attribute (居住半年以上) does not answer it."""
    from textcore.segment import pos_tag  # jieba loads on first use, not on import

    match = _ATTRIBUTE_ASKED.search(question)
    if match is None:
        return ""
    words = pos_tag(re.split(r"[，,、；;：:]", question[: match.start()])[-1])
    if not words or not words[-1][1].startswith(_COUNTED_FLAGS):
        return ""
    head = words[-1][0]
    if len(head) == 1 and len(words) > 1:
        head = words[-2][0] + head  # 封顶|线, 起付|线
    return "" if head.endswith(_BARE_ATTRIBUTES) or len(head) < 2 else head


def _leading_nouns(text: str, breaks: Collection[str]) -> list[str]:
    """The words of the noun phrase ``text`` opens with (nouns, names, verbal nouns,
    set phrases), up to the first other word or one holding a mark of ``breaks``."""
    from textcore.segment import pos_tag  # jieba loads on first use, not on import

    words: list[str] = []
    for word, flag in pos_tag(text):
        if any(ch in breaks for ch in word) or not flag.startswith(_COUNTED_FLAGS):
            break
        words.append(word)
    return words


_MONEY_ALT = "|".join(_MONEY_NOUNS)
_ASKED_MONEY = re.compile(
    rf"(?:多少|几)(?:{_MONEY_ALT})|(?:{_MONEY_ALT})(?:总额|总数|数额|标准)?"
    r"(?:是|为|有|共|一共|总共|合计|大概|大约)*多少"
    # a fee (诉讼费, 工本费) or a payment (得交多少, 要赔多少) asks an amount of money
    r"|费[^，,。；;？?]{0,4}多少|(?:交|缴|付|赔)多少(?![^，,。；;？?]*?(?:次|人|年|天|个|份))"
)


def asks_money(question: str) -> bool:
    """Whether a 多少/几 question asks for an amount of money by its name (多少资金,
    多少经费, 专项经费是多少): its answer is counted in 元 as much as 多少钱's."""
    return bool(_ASKED_MONEY.search(_asking_text(question)))


def asked_measure(question: str) -> str | None:
    """The measure word a 几/多少 question counts in (几次 → 次), if it names one."""
    match = _ASKED_MEASURE.search(_asking_text(question))
    if match is None:
        return None
    return "元" if match["m"] in ("钱", "块") else match["m"]


def _measure_group(measure: str) -> tuple[str, ...]:
    for group in _MEASURE_GROUPS:
        if measure in group:
            return group
    return (measure,)


def quantity_spans(
    text: str, *, measure: str | None = None, fines: bool = True
) -> list[tuple[int, int]]:
    """Where ``text`` states an amount: a number with a measure word of ``measure``'s
    group (any number when ``measure`` is None). Dates (2018年) and 一 with a
    measure word (一项工程, 一个整体) are not amounts; 几点 asks for a clock time.
    ``fines=False`` leaves out amounts a penalty stands beside (处10万元以下的罚款)."""
    if measure == "点":
        return [m.span() for m in _CLOCK.finditer(text)]
    # dates (2018年) and ordinals (第二十八条, 第三项) are not amounts
    dates = [m.span() for m in _DATE.finditer(text)]
    dates += [m.span() for m in _ORDINAL.finditer(text)]
    group = _measure_group(measure) if measure else None
    spans = []
    for m in _QUANTITY.finditer(text):
        if m.group(0).startswith("一") and not m.group(0).startswith("一百"):
            continue
        if any(s <= m.start() < e for s, e in dates):
            continue
        if group is None or m["m"] in group:
            spans.append(m.span())
    if group is None:
        spans += [
            m.span()
            for m in _BARE_QUANTITY.finditer(text)
            if not any(s <= m.start() < e for s, e in dates)
        ]
    elif group[0] in _COUNTED_BY_SHARE:
        # how many people or households: a rule counts them as a share of all
        # (十分之一以上的村民, 过半数的户)
        spans += [m.span() for m in _SHARE.finditer(text)]
    if not fines:
        spans = [
            (s, e)
            for s, e in spans
            if _PENALTY not in text[max(0, s - _PENALTY_REACH) : e + _PENALTY_REACH]
        ]
    return sorted(spans)


# A penalty (罚款, 罚金, 处罚), and how close to an amount it makes the amount a fine.
_PENALTY = "罚"
_PENALTY_REACH = 8


def asks_fine(question: str) -> bool:
    """Whether ``question`` asks about a penalty (罚多少钱), which a fine answers."""
    return _PENALTY in question


# Measures of people and households, which a rule may count as a share.
_COUNTED_BY_SHARE = ("人", "户")
_SHARE = re.compile(rf"[{_CN_NUM}]+分之[{_CN_NUM}]+|过半数|半数|\d+(?:\.\d+)?\s*[%％]")


_QUOTES = "“”‘’\"'「」《》"


def counted_after(text: str, end: int) -> str:
    """The noun a quantity ending at ``end`` counts when one follows it (六支队伍 →
    队伍, 15个“红色驿站” → 红色驿站); ``""`` when the quantity closes its phrase
    (网格党支部238个，): then what it counts stands before it."""
    rest = text[end : end + _COUNTED_REACH].lstrip(_QUOTES)
    return "".join(_leading_nouns(rest, _QUOTES))


# How far after a quantity its noun is read (六支队伍, 15个“红色驿站”).
_COUNTED_REACH = 8


def _has_quantity(text: str, measure: str | None) -> bool:
    return bool(quantity_spans(text, measure=measure))


def has_answer_type(
    text: str, answer_type: AnswerType, *, measure: str | None = None, question: str = ""
) -> bool:
    """Whether ``text`` holds an answer of ``answer_type``: a number with a measure of
    ``measure``'s group for a quantity, a date or duration, a place or institution,
    a street address, a phone number, a person or body, an enumeration or steps; a
    person's name (beside the post ``question`` asks about, when it asks for one)."""
    if answer_type is AnswerType.QUANTITY:
        return _has_quantity(text, measure)
    if answer_type is AnswerType.TIME:
        # the date of another text the sentence names (1985年2月8日国务院发布的《…暂行
        # 规定》同时废止) is not this text's
        text = _ANOTHER_TEXTS_DATE.sub("，", text)
        if measure == "点":  # 几点开门 asks for a clock time, not a date
            return bool(_CLOCK.search(text))
        if question and _ASKS_DATE.search(question):
            # which day (哪一天, 几月几号): a date, not a period (每年, 之日起)
            return bool(_DATE.search(text))
        return bool(_DATE.search(text) or _DURATION.search(text))
    if answer_type is AnswerType.PLACE:
        if question and asks_location(question):
            # where a thing is (庇护所设在哪儿): an address, or a named place the text
            # says it stands in (位于涧西区…); not a kind of body or place (民政部门,
            # 临时庇护场所) that says where to go, nor a place merely mentioned
            located = _LOCATED.search(text)
            named = set(named_units(text[located.start() :])) - _BODIES if located else set()
            return bool(_ADDRESS.search(text) or named)
        return bool(_PLACE_WORDS.search(text) or named_units(text))
    if answer_type is AnswerType.ADDRESS:
        return bool(_ADDRESS.search(text))
    if answer_type is AnswerType.PHONE:
        return bool(_PHONE.search(text))
    if answer_type is AnswerType.AGENT:
        return bool(_AGENT_WORDS.search(text) or named_units(text))
    if answer_type is AnswerType.NAME:
        post = asked_post(question) if question else None
        # a thing's name (那门微党课叫什么名字) is a title in quotes; a post's holder
        # (书记叫什么名字) is a person
        return has_person_name(text, post=post) or (post is None and bool(_TITLE.search(text)))
    if answer_type is AnswerType.LIST:
        # a rule for a case (发现火灾隐患的，应当通知…消除隐患) is a step of what is
        # done: it answers 怎么处理 as an enumeration does, not 哪些
        return bool(_LIST.search(text) or (_asks_how(question) and _RULE.search(text)))
    return True


# A date that heads a phrase naming another text: 1985年2月8日国务院发布的《…》.
_ANOTHER_TEXTS_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?=[^，。；《]{0,15}的《)"
)


# A rule for a case: the case (…的，) and what is to be done in it.
_RULE = re.compile(
    r"的[，,][^。；;]*?(?:应当|可以|必须|责令|予以|依法|依照|由[^，,。]{1,20}(?:办理|处理|决定|审批))"
    # or a procedure by reference (复婚登记适用本条例结婚登记的规定)
    r"|适用[^。；;]{1,30}规定"
)


# A title in quotes: the name of a thing (“心理绘画微党课”, 《居民公约》).
_TITLE = re.compile(r"“[^”]{2,20}”|《[^》]{2,30}》|「[^」]{2,20}」")


# Where a thing is (设在哪儿, 位于什么地方, 在哪条路上, 办公室在哪里？, 在哪儿办公), not
# where to go to do something (要在哪里注册, 交到哪里): a clause that ends on its 在哪.
_ASKS_LOCATION = re.compile(
    r"(?:设在|位于|坐落在?|建在)(?:哪|什么地方|什么位置)|在哪条[路街巷]|位置在哪"
    r"|在(?:哪(?:儿|里)?|什么地方)(?:办公|坐班)?(?:呢|啊|呀)?$"
    # where an event is held (培训在哪儿上课, 在哪里开会): a venue, not the body in charge
    r"|在(?:哪(?:儿|里)?|什么地方)(?:上课|开会|举行|举办|集合|投票|演练|培训|见面)"
)


# The steps of a statute's making, as a question says them and as its record writes
# them (2010年8月28日 …会议通过; 国务院令第225号发布; 2016年1月1日 施行).
_ENACTMENTS = (
    (re.compile(r"施行|实施|实行|生效|起效"), ("施行",)),
    (re.compile(r"通过"), ("通过",)),
    (re.compile(r"发布|公布|颁布|出台"), ("发布", "公布")),
    (re.compile(r"修订|修正|修改"), ("修订", "修正")),
)


# A sanction asked by name (罚多少, 什么处罚, 担什么责任, 追责, 后果).
_SANCTION_ASKED = re.compile(
    r"罚|处分|追究|追责|(?:担|负)什么(?:样的)?(?:法律)?责任|什么法律责任|后果|吊销|拘留|坐牢|判刑"
)
# The words 怎么处理/怎么处置 ask a consequence with.
_CONSEQUENCE_WORDS = ("处理", "处置")
# What happens next (怎么处理, 会怎样, 谁来管), which asks for a sanction when the question
# tells of a wrong done (擅自, 没审就, 骗, 私分, 查实): otherwise it asks for the steps
# (材料没带齐，窗口该怎么处理; 现场怎么处理).
_CONSEQUENCE = re.compile(
    rf"(?:怎么|如何|怎样)(?:{'|'.join(_CONSEQUENCE_WORDS)}|办|管)"
    r"|会(?:怎样|怎么样|如何|被怎么)|管不管|谁(?:来)?管"
)
_WRONGDOING = re.compile(
    r"擅自|私自|偷偷|违规|违反|违法|不合规|不合要求|不符合|不达标|不合格|骗|冒充|冒用|假的?"
    r"|私分|截留|挪用|拒不|不改|没[审批办报经]|未经|不经|强行|谎报|索要|红包|好处|查实|查出来"
)


# Words that say where a thing stands (位于涧西区, 设在湖北路街道, 搬到…).
_LOCATED = re.compile(r"位于|设在|设于|坐落|地处|搬到|迁至|迁到|落户|驻地")
# Bodies every community has, named by their kind: no place a thing is at.
_BODIES = frozenset(("居民委员会", "村民委员会", "居委会", "村委会"))


# The asker's own place (我们区, 咱们社区, 本市, 我们这片): the question is about one local
# instance.
_LOCAL = re.compile(
    r"(?:我们|咱们|我|本)(?:辖区|省|区|市|县|镇|乡|村|街道|社区|小区)"
    r"|(?:我们|咱们|咱)(?:这片|这一片|这块|这边|这儿|这里|当地)"
)
# The hours an office keeps (窗口几点上班, 几点开门, 办公时间): what a local notice says,
# never a statute.
_ASKS_HOURS = re.compile(
    r"几点|(?:上班|下班|开门|关门|办公|营业)时间|什么时(?:候|间)(?:上班|开门|办公)"
)
# which units, places or sites of the asker's own area are meant: a roster of them
_ROSTER = re.compile(
    r"(?:哪些|哪几[个家所处条]?)(?:单位|企业|公司|场所|区域|地方|地段|路段|小区|社区|村|"
    r"学校|医院|商户|商铺|店|县|乡|镇|街道|区)"
)


def asks_local(question: str) -> bool:
    """Whether ``question`` asks about the asker's own place (我们区的婚姻登记处)."""
    return bool(_LOCAL.search(question))


def asks_hours(question: str) -> bool:
    """Whether ``question`` asks when an office opens or works (窗口几点上班)."""
    return bool(_ASKS_HOURS.search(_asking_text(question)))


def asks_roster(question: str) -> bool:
    """Whether ``question`` asks which units or places of the asker's own area are meant
    (我们辖区有哪些单位被定为消防安全重点单位): a list only a local text holds, not the
    rule that says what such a unit must do."""
    return asks_local(question) and bool(_ROSTER.search(question))


def asked_enactment(question: str) -> tuple[str, ...]:
    """The words a statute's record writes for the step of its making that ``question``
    asks the date of (什么时候开始实行 → 施行; 哪年出台的 → 发布, 公布; 哪年修订 → 修订,
    修正); ``()`` when it asks none."""
    found: list[str] = []
    for pattern, written in _ENACTMENTS:
        if pattern.search(question):
            found += [w for w in written if w not in found]
    return tuple(found)


def asks_sanction(question: str) -> bool:
    """Whether ``question`` asks what befalls one who breaks a rule (会被怎么罚, 要担什么
    责任; 没审就开工了会怎么处理, 查实了会怎么处理): a sanction answers it, not the
    duty that was broken."""
    if _SANCTION_ASKED.search(question):
        return True
    return bool(_CONSEQUENCE.search(question) and _WRONGDOING.search(question))


# Whether one may or must (能不能, 可以…吗, 合规吗, 要不要先经过…同意): a rule answers,
# not a report of what one place did.
_PERMISSION = re.compile(
    r"合规|合法|违法|违规|犯法|允许|准许|可不可以|([能要准让行该需用得])不\1"
    r"|(?:能|可以|准|需要|必须|得)[^，,。？?！!]*[吗么]"
)


def asks_permission(question: str) -> bool:
    """Whether ``question`` asks whether a rule allows or requires something."""
    return bool(_PERMISSION.search(question))


# One objects to a decision (不服, 不公平, 有异议) and asks what can be done about it.
_OBJECTION = re.compile(r"不服|不公平|不公正|不合理|有异议|不认可|不满意|冤枉")
_ROUTE = re.compile(
    r"途径|渠道|办法|怎么办|咋办|怎么处理|找谁|找哪|去哪|告他|告状|去告|能告|可以告|起诉|讨说法|说理|申诉"
)


def asks_redress(question: str) -> bool:
    """Whether ``question`` objects to a decision and asks what can be done about it
    (觉得救助决定不合理，能走什么途径): the remedy a statute gives answers it
    (…不服的，可以依法申请行政复议或者提起行政诉讼), not the decision's own rule."""
    return bool(_OBJECTION.search(question) and _ROUTE.search(question))


# Where one reports a wrong (可以去哪儿反映, 向谁举报, 找谁投诉).
_REPORT_WHERE = re.compile(
    r"(?:去哪|到哪|哪里|哪儿|向谁|找谁|找哪)[^，,。？?]{0,4}(?:反映|举报|投诉|检举|控告)"
)


def asks_report(question: str) -> bool:
    """Whether ``question`` asks where to report a wrong (可以去哪儿反映): the statute's
    right to report answers it (…有权…进行检举、控告), not the duty broken."""
    return bool(_REPORT_WHERE.search(question))


def is_topic_word(word: str) -> bool:
    """Whether ``word`` of a question says what it is about: not the asker's setting
    (社区, 小区, 居民, 街道: where every question here comes from) nor the kind of
    answer it asks for (手续, 流程, 材料, 条件; a sanction: 罚款, 拘留, 处理). A text
    that shares only those with a question (小区居民养狗需要办哪些手续 and
    小区管理混乱，居民怨声载道) is not about it."""
    return not (
        word in _SETTING
        or word in _NOUN_CUES
        or word in _ITEM_NOUNS
        or _SANCTION_ASKED.search(word)
        or word in _CONSEQUENCE_WORDS
    )


# The places and people a street office's or community's question comes from.
_SETTING = frozenset(("社区", "小区", "居民", "街道", "辖区", "村里", "村民", "群众"))


def asks_location(question: str) -> bool:
    """Whether a clause of ``question``, or a piece of one between commas, asks where a
    thing is (see ``_ASKS_LOCATION``): …在哪办公，几点上班 asks it as much as
    …在哪办公？几点上班？"""
    pieces = (p for c in question_clauses(question) for p in _PART_MARKS.split(c))
    return any(_ASKS_LOCATION.search(p.strip()) for p in pieces)


def _asks_how(question: str) -> bool:
    text = _asking_text(question)
    return any(_has_cue(text, cue) for cue in _HOW_CUES)


def abbreviation_in(short: str, text: str, *, span: int = 4) -> bool:
    """Whether ``text`` holds a long form of the abbreviation ``short``: its characters
    in order within ``span`` × its length (低保 → 最低生活保障, 调委会 → 调解委员会,
    居委会 → 居民委员会). Only for 2–4 character words; the first and last must match."""
    if not 2 <= len(short) <= 4:
        return False
    limit = span * len(short)
    start = text.find(short[0])
    while start != -1:
        pos, ok = start, True
        for ch in short[1:]:
            pos = text.find(ch, pos + 1, start + limit)
            if pos == -1:
                ok = False
                break
        if ok:
            return True
        start = text.find(short[0], start + 1)
    return False


# The commonest Chinese surnames (about 85 % of the population): a personal name
# the tagger reads (nr) starts with one of them; 通元 or 智慧, also tagged nr, do not.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳"
    "甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


def has_person_name(text: str, *, post: str | None = None) -> bool:
    """Whether ``text`` names a person: a word the tagger reads as a personal name
    (nr), two to three characters, starting with a common surname (罗增礼, 许文盈).
    With ``post``, the name stands right beside that post (主任罗增礼, 许文盈书记),
    and 副主任 is not 主任."""
    from textcore.segment import pos_tag  # jieba loads on first use, not on import

    names: list[tuple[int, int]] = []
    pos = 0
    for word, flag in pos_tag(text):
        if flag == "nr" and 2 <= len(word) <= 3 and word[0] in _SURNAMES:
            names.append((pos, pos + len(word)))
        pos += len(word)
    if post is None or not names:
        return bool(names)
    return any(
        start + len(post) <= s <= start + len(post) + 1 or start - 1 <= e <= start
        for start in mentions(text, post)
        for s, e in names
    )


_DEPUTY = "副"


def mentions(text: str, word: str) -> Iterator[int]:
    """Where ``text`` writes ``word`` as itself, not as part of a deputy's post:
    副主任 is another post than 主任, 副书记 than 书记."""
    start = text.find(word)
    while start != -1:
        if not text.endswith(_DEPUTY, 0, start):
            yield start
        start = text.find(word, start + 1)


# -- answer-type precision: what a 谁 or 多久 question asks of its answer ----------

# The administrative acts a 谁 question may ask the body of (报谁批, 由谁定, 谁来
# 指导), each with the words statutes write for it: 报谁批 is answered by 报县级
# 人民政府民政部门审批, not by a sentence that names a body doing something else.
# A generic verb (谁来管, 由谁解决, 归谁负责) names no act: any body answers it.
_ACTS: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (frozenset(["批", "审批", "批准", "核准", "审核"]), ("批", "核准", "审核", "同意", "许可")),
    # 由谁定 → 确定、规定、制定、决定
    (frozenset(["定", "确定", "制定", "决定", "规定"]), ("定",)),
    (frozenset(["指导"]), ("指导",)),
    (frozenset(["监督"]), ("监督",)),
    (frozenset(["申请", "申报", "报"]), ("申请", "申报", "提出")),
    (frozenset(["调", "调解", "调处"]), ("调解", "调处")),
    (frozenset(["发", "发放", "发给", "签发", "核发"]), ("发给", "发放", "核发", "签发")),
)
_AGENT_ASKED = re.compile(
    r"(?:谁|哪个部门|哪个单位|哪个机构|什么部门|什么机关|哪一级|哪级)(?:政府|部门|机关)?"
)
# Words between the question word and the act (谁来调, 由谁负责审批, 哪个部门可以批).
_ACT_HELPERS = frozenset(["来", "去", "负责", "会", "能", "可以", "要", "给"])
# How far before the act the body that does it may stand (“由县级人民政府民政部门
# 审批”: the body ends where the act begins; “经乡级人民政府审核同意后”).
_ACT_REACH = 20


def asked_acts(question: str) -> tuple[str, ...]:
    """The words that state the act a 谁/哪个部门 question asks the body of (报谁批 →
    批、核准、审核…; 找谁申请 → 申请、申报、提出); ``()`` when it names none, or a
    generic one (谁来管), or another word that merely starts alike (谁来调查)."""
    from textcore.segment import segment  # jieba loads on first use, not on import

    words: list[str] = []
    for match in _AGENT_ASKED.finditer(question):
        verb = _first_verb(segment(question[match.end() : match.end() + 8]))
        for forms, statute_words in _ACTS:
            if verb in forms:
                words.extend(statute_words)
                break
    return tuple(dict.fromkeys(words))


def _first_verb(words: list[str]) -> str:
    """The first word after the helpers (来、负责…); jieba may join 来 to the act (来调)."""
    for word in words:
        if word in _ACT_HELPERS:
            continue
        return word[1:] if word[:1] in ("来", "去") and len(word) > 1 else word
    return ""


def states_act(text: str, acts: tuple[str, ...]) -> bool:
    """Whether ``text`` states one of ``acts`` with a body doing it: a person or body
    (``AnswerType.AGENT``) within ``_ACT_REACH`` characters before the act's word."""
    for word in acts:
        start = text.find(word)
        while start != -1:
            if not text.startswith(_ACT_AS_MODIFIER, start + len(word)) and has_answer_type(
                text[max(0, start - _ACT_REACH) : start], AnswerType.AGENT
            ):
                return True
            start = text.find(word, start + 1)
    return False


# Nouns an act's word may qualify (签发机关, 审批部门, 签发日期): the act then names
# a body or a date, and states no one doing it.
_ACT_AS_MODIFIER = ("机关", "部门", "机构", "单位", "人员", "日期", "时间", "地点", "程序")


# What a 多久 question asks the length of. “多久…一次” asks how often (每届任期五年,
# 每季度走访一次); “住满多久”, “至少多久”, “多久以上” ask how long something must
# last before something else may happen (居住半年以上), not how soon something is
# done (15日内制作发放), though both are durations. “多久才能拿到证” asks how soon:
# 才 alone says nothing of which.
PERIOD, THRESHOLD = "period", "threshold"
_ASKS_PERIOD = re.compile(r"(?:多久|多长时间|几个月|几年|几天)[^，,。？?]{0,16}一[次回]")
_ASKS_THRESHOLD = re.compile(
    r"满(?:多久|多长时间|几年|几个月|几天)|(?:至少|最少)[^，,。？?]{0,3}(?:多久|多长时间)"
    r"|(?:多久|多长时间|几年|几个月|几天)以上"
)
_PERIOD_IN_TEXT = re.compile(
    rf"每满?(?:届|年|季度|月|周|半年|{_SPAN})|(?:{_SPAN}|届|期)(?:至少)?{_NUMBER}次|任期"
)
_THRESHOLD_IN_TEXT = re.compile(
    rf"(?:{_SPAN})以上|(?:不少于|不低于|不满|未满|(?<!每)满)(?:{_SPAN})(?!之日)"
)


def asked_duration(question: str) -> str | None:
    """``PERIOD`` for a question asking how often, ``THRESHOLD`` for one asking how
    long something must last (住满多久才能办), ``None`` for any other time question."""
    text = _asking_text(question)
    if _ASKS_PERIOD.search(text):
        return PERIOD
    if _ASKS_THRESHOLD.search(text):
        return THRESHOLD
    return None


def has_duration_of(text: str, kind: str) -> bool:
    """Whether ``text`` states a duration of ``kind``: a period (每季度, 每届任期五年,
    每两个月…一次) or a threshold (半年以上, 满一年, 不少于三个月)."""
    pattern = _PERIOD_IN_TEXT if kind == PERIOD else _THRESHOLD_IN_TEXT
    return bool(pattern.search(text))
