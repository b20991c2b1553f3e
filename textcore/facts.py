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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from textcore.numerals import CN_NUMERAL_CHARS, parse_cn_numeral
from textcore.punct import compact
from textcore.sentences import sentence_at
from textcore.units import unit_spans

__all__ = ["Fact", "FactIssue", "check_facts", "extract_facts", "extract_numbers"]


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
    key: tuple[Any, ...]
    start: int
    end: int


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
# Only measure words that make a Chinese numeral an amount (七个, 三级, 六家); a numeral
# before anything else (三社联动, 一把手, 五星支部) is part of a name or an idiom.
_CN_MEASURES = "个|名|位|家|户|次|场|级|项|条|所|座|批|届|类|种|轮|支|件|份|栋|幢|年|天|月"
_CN_NUMBER = re.compile(
    rf"(?<![第初])(?P<num>[{CN_NUMERAL_CHARS}]+)"
    r"(?P<approx>余|多)?"
    rf"(?P<unit>{_CN_MEASURES})"
)
# Generic "one of something" phrases: checking 一个/一次 would flag idiom, not fact.
_CN_TRIVIAL = {"一", "两", "二"}


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
            key: tuple[Any, ...] = ("literal", m.group(0))
        else:
            key = ("value", _number_value(m["num"], m["mult"]), _unit_key(m["unit"]))
        claim(start, m.end())
        facts.append(Fact("number", norm[start : m.end()], key, start, m.end()))

    for m in _CN_NUMBER.finditer(norm):
        if any(taken[m.start() : m.end()]) or m["num"] in _CN_TRIVIAL:
            continue
        value = parse_cn_numeral(m["num"])
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
    norm = compact(text)
    units = [Fact("unit", name, (name,), s, e) for s, e, name in unit_spans(norm)]
    facts = _extract_numbers_and_dates(norm) + units
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


def extract_numbers(text: str) -> list[Fact]:
    """The numbers and dates of ``text`` as :func:`extract_facts` finds them, without
    the named units: those need jieba's tagger, most of the cost of reading a passage.

    Offsets refer to ``compact(text)``, as those of :func:`extract_facts` do.
    """
    return _extract_numbers_and_dates(compact(text))


# --- checking ----------------------------------------------------------------------

_ANY_UNIT = "*"


class _SourceFacts:
    """Everything the sources state, indexed for the three kinds of lookup."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.joined = "\n".join(compact(s) for s in sources)
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
    norm = compact(text)
    issues: list[FactIssue] = []
    seen: set[tuple[str, str, str]] = set()
    for fact in extract_facts(text):
        if known.supports(fact):
            continue
        span = sentence_at(norm, fact.start)
        sentence = norm[span[0] : span[1]] if span else norm.strip()
        key = (fact.text, fact.kind, sentence)
        if key not in seen:
            seen.add(key)
            issues.append(FactIssue(text=fact.text, kind=fact.kind, sentence=sentence))
    return issues
