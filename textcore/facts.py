"""The fact check: every number, date and named unit in generated text must be in a source.

Generated text (an LLM's answer, a composed draft) may only state facts that the
retrieved sources state. This module finds the checkable facts in a text —
numbers with their units (``32人``, ``12.8万``, ``98.8%``, ``七个``), dates
(``2022年9月``, ``7月7日``) and named units or organisations (``湖北路街道``,
``涧西区``, ``社会心理服务中心``) — and reports each one that no source contains.

Comparison is forgiving where it is safe: full- and half-width forms and spaces
are normalised, numbers are compared by value (``12.8万`` matches ``128000``;
``七个`` matches ``7个``), a bare number matches any occurrence of its value, and
a date matches a source date that agrees on every part the claim states.
Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Fact", "FactIssue", "check_facts", "extract_facts", "named_units"]


@dataclass(frozen=True)
class FactIssue:
    """A number, date or named unit in generated text that no cited source contains."""

    text: str
    kind: str  # "number" | "date" | "unit"
    sentence: str


@dataclass(frozen=True)
class Fact:
    """A checkable statement found in a text: ``kind`` is ``number``, ``date`` or ``unit``;
    ``key`` is what is compared (a normalised value), ``text`` what the text said."""

    kind: str
    text: str
    key: tuple
    start: int
    end: int


# --- normalisation -----------------------------------------------------------------

_CITATION_MARK = re.compile(r"\[\d+(?:\s*[,，、]\s*\d+)*\]")
_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """Full-width → half-width (NFKC), no whitespace, no citation markers ``[n]``."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text)
    return _CITATION_MARK.sub("", text)


# --- numbers -----------------------------------------------------------------------

# Measure words and units that may follow a number; longest first so 人次 wins over 人.
_UNITS = sorted(
    [
        "人次",
        "平方米",
        "平方公里",
        "万元",
        "亿元",
        "公里",
        "千米",
        "小时",
        "分钟",
        "人",
        "名",
        "位",
        "个",
        "家",
        "户",
        "次",
        "场",
        "天",
        "年",
        "月",
        "日",
        "周",
        "米",
        "亩",
        "元",
        "岁",
        "项",
        "条",
        "支",
        "所",
        "座",
        "栋",
        "幢",
        "套",
        "间",
        "处",
        "批",
        "期",
        "届",
        "级",
        "台",
        "辆",
        "件",
        "份",
        "本",
        "篇",
        "类",
        "种",
        "轮",
        "张",
        "块",
        "门",
        "部",
        "栋",
        "层",
        "km",
        "m",
        "kg",
        "%",
        "‰",
    ],
    key=len,
    reverse=True,
)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
_ARABIC_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])"
    r"(?P<code>[A-Za-z]+)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?)"
    r"(?P<mult>[万亿千])?"
    r"(?P<approx>余|多)?"
    rf"(?P<unit>{_UNIT_ALT})?"
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
# Only measure words that make a Chinese numeral an amount (七个, 三级, 六家); a numeral
# before anything else (三社联动, 一把手, 五星支部) is part of a name or an idiom.
_CN_MEASURES = "个|名|位|家|户|次|场|级|项|条|所|座|批|届|类|种|轮|支|件|份|栋|幢|年|天|月"
_CN_NUMBER = re.compile(
    r"(?<![第初])(?P<num>[零〇一二两三四五六七八九十百千万亿]+)"
    r"(?P<approx>余|多)?"
    rf"(?P<unit>{_CN_MEASURES})"
)
# Generic "one of something" phrases: checking 一个/一次 would flag idiom, not fact.
_CN_TRIVIAL = {"一", "两", "二"}


def _cn_to_int(numeral: str) -> int | None:
    """Parse a Chinese numeral such as 七, 十二, 三百零五, 两万; None when it is not one."""
    total, section, digit = 0, 0, None
    for ch in numeral:
        if ch in _CN_DIGITS:
            # 二〇二二-style digit strings read digit by digit
            digit = _CN_DIGITS[ch] if digit is None else digit * 10 + _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (digit if digit is not None else 1) * _CN_SMALL[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _number_value(num: str, mult: str | None) -> float:
    if "/" in num:
        top, bottom = num.split("/", 1)
        value = float(top) / float(bottom) if float(bottom) else float(top)
    else:
        value = float(num.replace(",", ""))
    factor = {"万": 10_000, "亿": 100_000_000, "千": 1000}.get(mult or "", 1)
    return round(value * factor, 6)


def _unit_key(unit: str | None) -> str:
    # 万元/亿元 carry their multiplier in the value; what remains is the currency.
    if unit in ("万元", "亿元"):
        return "元"
    return unit or ""


# --- dates -------------------------------------------------------------------------

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?"
    r"|(?P<y2>(?:19|20)\d{2})[-./](?P<m2>\d{1,2})(?:[-./](?P<d2>\d{1,2}))?"
    r"|(?<!\d)(?P<m3>\d{1,2})\s*月(?:\s*(?P<d3>\d{1,2})\s*[日号])?"
)


def _date_key(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    y = match["y"] or match["y2"]
    m = match["m"] or match["m2"] or match["m3"]
    d = match["d"] or match["d2"] or match["d3"]
    return (int(y) if y else None, int(m) if m else None, int(d) if d else None)


def _date_supported(
    claim: tuple[int | None, int | None, int | None],
    known: Iterable[tuple[int | None, int | None, int | None]],
) -> bool:
    """A source date supports a claim when it agrees on every part the claim states."""
    for source in known:
        if all(c is None or c == s for c, s in zip(claim, source, strict=True)):
            return True
    return False


# --- named units -------------------------------------------------------------------

# What a named unit ends with; longest first so 党工委 wins over 委.
_UNIT_SUFFIXES = (
    "办事处",
    "委员会",
    "党工委",
    "党支部",
    "街道",
    "社区",
    "党委",
    "支部",
    "公司",
    "中心",
    "区",
    "市",
)
# Words that end like a unit but never name one; they may still be part of a longer name.
_NON_UNIT_WORDS = frozenset(
    [
        "城市",
        "超市",
        "都市",
        "门市",
        "小区",
        "园区",
        "景区",
        "片区",
        "街区",
        "辖区",
        "城区",
        "地区",
        "山区",
        "市区",
        "郊区",
        "校区",
        "营区",
        "灾区",
        "疫区",
        "选区",
        "分区",
        "专区",
        "禁区",
        "误区",
        "盲区",
        "老区",
        "社区内",
        "中心城区",
        "核心区",
        "功能区",
        "示范区",
        "试验区",
        "开发区",
        "商圈",
    ]
)
# Unit words that alone (没有 proper name before them) are generic: 社区, 街道党工委, 全市.
_GENERIC_UNIT_WORDS = frozenset(
    [
        "社区",
        "街道",
        "党委",
        "党工委",
        "支部",
        "党支部",
        "委员会",
        "居委会",
        "村委会",
        "公司",
        "有限公司",
        "物业公司",
        "中心",
        "服务中心",
        "办事处",
        "全市",
        "全区",
        "我市",
        "我区",
        "本市",
        "本区",
        "该市",
        "该区",
        "各区",
        "各市",
        "市",
        "区",
        "两委",
        "党总支",
    ]
)
# Nouns that describe rather than name; a "name" made only of these is generic.
_GENERIC_MODIFIERS = frozenset(
    [
        "居民",
        "城市",
        "基层",
        "农村",
        "城乡",
        "住宅",
        "老旧",
        "相关",
        "有关",
        "上级",
        "下级",
        "驻区",
        "试点",
        "示范",
        "先进",
        "服务",
        "各级",
        "全国",
        "全省",
        "全市",
        "全区",
        "党群",
        "党员",
        "群众",
        "红色",
        "新",
        "老",
        "该",
        "各",
        "本",
        "我",
        "所在",
        "所属",
        "区域",
        "社会",
        "物业",
        "网格",
        "楼栋",
        "小区",
        "商务",
        "企业",
        "组织",
        "党组织",
        "社区",
        "街道",
        "机关",
        "单位",
        "两新",
        "非公",
    ]
)
_NAME_FLAGS = ("n", "j", "eng", "vn")
_MAX_NAME_TOKENS = 4


@lru_cache(maxsize=1)
def _posseg():
    """jieba's part-of-speech tagger, imported on first use (its dictionary takes ~1 s)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not ours to show
    return jieba.posseg


def _is_name_part(word: str, flag: str) -> bool:
    if flag == "m":  # 014中心社区, 七二五社区: digits belong to a name; 七个 does not
        return (word.isascii() and word.isalnum()) or (
            all(ch in "〇零一二三四五六七八九十" for ch in word)
        )
    return flag.startswith(_NAME_FLAGS) and not any(c in "，。、；：！？,.;:!?" for c in word)


def _unit_suffix(word: str) -> str | None:
    if word in _NON_UNIT_WORDS:
        return None
    for suffix in _UNIT_SUFFIXES:
        if word.endswith(suffix):
            return suffix
    return None


def _is_generic_unit(run: list[str], word: str) -> bool:
    if not run:
        if word in _GENERIC_UNIT_WORDS:
            return True
        # 全区, 我市, 该区: a one-character determiner before 区/市
        return len(word) == 2 and word[1] in "区市" and word[0] in "全我本该各此两每市县"
    return all(part in _GENERIC_MODIFIERS for part in run) and (
        word in _GENERIC_UNIT_WORDS or _unit_suffix(word) == word
    )


def _extract_units(text: str) -> list[Fact]:
    facts: list[Fact] = []
    run: list[tuple[str, int]] = []  # (word, start) of the name being read
    pos = 0
    for pair in _posseg().lcut(text):
        word, flag = pair.word, pair.flag
        start, pos = pos, pos + len(word)
        suffix = _unit_suffix(word)
        if suffix in ("区", "市") and len(word) == 2 and flag != "ns":
            suffix = None  # 驻区, 辖区, 超市: a word, not a place
        if suffix is not None:
            run_words = [w for w, _ in run]
            if not _is_generic_unit(run_words, word):
                name_start = run[0][1] if run else start
                name = text[name_start:pos]
                facts.append(Fact("unit", name, (name,), name_start, pos))
            run = []  # 涧西区湖北路街道: each unit in a chain is checked on its own
            continue
        if _is_name_part(word, flag):
            run.append((word, start))
            run = run[-_MAX_NAME_TOKENS:]
        else:
            run = []
    return facts


# --- extraction --------------------------------------------------------------------


def _extract_numbers_and_dates(norm: str) -> list[Fact]:
    facts: list[Fact] = []
    taken = [False] * len(norm)

    def claim(start: int, end: int) -> None:
        taken[start:end] = [True] * (end - start)

    for m in _DATE.finditer(norm):
        date = _date_key(m)
        if date[1] is not None and not 1 <= date[1] <= 12:
            continue
        if date[2] is not None and not 1 <= date[2] <= 31:
            continue
        claim(m.start(), m.end())
        facts.append(Fact("date", m.group(0), date, m.start(), m.end()))

    for m in _ARABIC_NUMBER.finditer(norm):
        start = m.start("num") if not m["code"] else m.start()
        if any(taken[start : m.end()]):
            continue
        after = norm[m.end() : m.end() + 1]
        before = norm[start - 1 : start] if start else ""
        bare = not (m["unit"] or m["mult"] or m["code"])
        # list markers (1、 1. （1）) are layout, not facts
        if bare and (after in ("、", ".") or (before in ("(", "（") and after in (")", "）"))):
            continue
        if m["code"] or (m["num"].startswith("0") and len(m["num"]) > 1 and "." not in m["num"]):
            # codes and zero-padded numbers (LY188, 014) are compared literally
            key: tuple = ("literal", m.group(0))
        else:
            key = ("value", _number_value(m["num"], m["mult"]), _unit_key(m["unit"]))
        claim(start, m.end())
        facts.append(Fact("number", norm[start : m.end()], key, start, m.end()))

    for m in _CN_NUMBER.finditer(norm):
        if any(taken[m.start() : m.end()]) or m["num"] in _CN_TRIVIAL:
            continue
        value = _cn_to_int(m["num"])
        if value is None:
            continue
        claim(m.start(), m.end())
        amount = ("value", float(value), m["unit"])
        facts.append(Fact("number", m.group(0), amount, m.start(), m.end()))
    return facts


def extract_facts(text: str) -> list[Fact]:
    """The checkable facts in ``text``, in text order.

    Offsets refer to the normalised text (NFKC, no spaces, no ``[n]`` markers).
    """
    norm = _normalise(text)
    facts = _extract_numbers_and_dates(norm) + _extract_units(norm)
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


# --- checking ----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


def _sentence_at(norm: str, start: int) -> str:
    for m in _SENTENCE_END.finditer(norm):
        if m.start() <= start < max(m.end(), m.start() + 1):
            return m.group(0).strip()
    return norm.strip()


_ANY_UNIT = "*"


class _SourceFacts:
    """Everything the sources state, indexed for the three kinds of lookup."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.joined = "\n".join(_normalise(s) for s in sources)
        self.values: dict[float, set[str]] = {}
        self.dates: list[tuple[int | None, int | None, int | None]] = []
        for fact in _extract_numbers_and_dates(self.joined):
            if fact.kind == "date":
                self.dates.append(fact.key)
                if fact.key[0] is not None:  # a date's year is also the number 2016年
                    self.values.setdefault(float(fact.key[0]), set()).add("年")
            elif fact.key[0] == "value":
                _, value, unit = fact.key
                # "12.8万常住人口": a 万/亿 figure names its unit a few words later
                if not unit and fact.text[-1:] in ("万", "亿"):
                    unit = _ANY_UNIT
                self.values.setdefault(value, set()).add(unit)

    def supports(self, fact: Fact) -> bool:
        if fact.kind == "unit":
            return fact.key[0] in self.joined
        if fact.kind == "date":
            return _date_supported(fact.key, self.dates) or fact.text in self.joined
        if fact.key[0] == "literal":
            # LY188 must not be found inside LY1880
            return (
                re.search(rf"(?<![A-Za-z0-9]){re.escape(fact.text)}(?![0-9])", self.joined)
                is not None
            )
        _, value, unit = fact.key
        units = self.values.get(value)
        if units is None:
            return False
        # the same value with the same unit; a bare number matches any unit
        return not unit or unit in units or _ANY_UNIT in units


def check_facts(text: str, sources: Sequence[str]) -> list[FactIssue]:
    """Every number, date and named unit in ``text`` that no source contains.

    ``sources`` are the passages the text may draw on (cited excerpts, the user's
    own inputs). Returns one ``FactIssue`` per unsupported fact, in text order,
    with the sentence it occurs in; an empty list means every fact is supported.
    """
    known = _SourceFacts(sources)
    norm = _normalise(text)
    issues: list[FactIssue] = []
    seen: set[tuple[str, str, str]] = set()
    for fact in extract_facts(text):
        if known.supports(fact):
            continue
        sentence = _sentence_at(norm, fact.start)
        key = (fact.text, fact.kind, sentence)
        if key not in seen:
            seen.add(key)
            issues.append(FactIssue(text=fact.text, kind=fact.kind, sentence=sentence))
    return issues


def named_units(text: str) -> list[str]:
    """The named units (…区, …街道, …社区, …党委, …中心 …) that ``text`` mentions,
    in order, without repeats; generic words (社区, 全区, 物业公司) are left out."""
    return list(dict.fromkeys(f.text for f in _extract_units(_normalise(text))))
