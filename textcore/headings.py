"""Heading and list numbering: 第一编/章/节/条, 一、 （一） 1. （1） ①, —— lead lines, Markdown #.

Chinese official documents number their structure in a fixed order (GB/T 9704:
一、 → （一） → 1. → （1）; statutes 编 → 章 → 节 → 条). This module says which
numbering a line starts with; what a package makes of it (a chunk boundary, a
line that must not be joined to the previous one, a marker to strip before
quoting) is up to the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from textcore.numerals import cn_numeral, parse_cn_numeral

__all__ = [
    "LIST_NUMBERINGS",
    "OUTLINE_LEVELS",
    "HeadingMark",
    "HeadingNumber",
    "Numbering",
    "format_number",
    "heading_mark",
    "heading_number",
    "list_marker_end",
]


class Numbering(StrEnum):
    """The kinds of numbering a heading or list item starts with."""

    MARKDOWN = "markdown"  # # 标题 (depth = number of #)
    PART = "part"  # 第一编
    CHAPTER = "chapter"  # 第一章, 第一篇, 第一部分
    SECTION = "section"  # 第一节
    ARTICLE = "article"  # 第一条
    CN_ITEM = "cn_item"  # 一、
    CN_PAREN = "cn_paren"  # （一）
    ITEM = "item"  # 1. 1、
    PAREN = "paren"  # （1）
    CIRCLED = "circled"  # ①
    DASH = "dash"  # ——以党建引领……


# Numbering that marks an item in running text rather than a unit of a statute.
LIST_NUMBERINGS = frozenset(
    {
        Numbering.CN_ITEM,
        Numbering.CN_PAREN,
        Numbering.ITEM,
        Numbering.PAREN,
        Numbering.CIRCLED,
        Numbering.DASH,
    }
)


# The four levels of body-text structure numbers, GB/T 9704-2012 7.3.3: 一、 （一） 1. （1）.
OUTLINE_LEVELS: tuple[Numbering, ...] = (
    Numbering.CN_ITEM,
    Numbering.CN_PAREN,
    Numbering.ITEM,
    Numbering.PAREN,
)


@dataclass(frozen=True)
class HeadingMark:
    """The numbering a line starts with: its kind, where the marker ends, and for
    Markdown the heading depth (1–6)."""

    kind: Numbering
    end: int
    depth: int = 0


_CN = "一二三四五六七八九十百零〇两"
_ORDINAL = rf"第[{_CN}\d]+"
_PATTERNS: tuple[tuple[Numbering, re.Pattern[str]], ...] = (
    # CommonMark wants a space after the #s; "#话题#" is a hashtag, not a heading.
    (Numbering.MARKDOWN, re.compile(r"(#{1,6})[ \t]+(?=\S)")),
    (Numbering.PART, re.compile(rf"{_ORDINAL}编")),
    (Numbering.CHAPTER, re.compile(rf"{_ORDINAL}(?:章|篇|部分?)")),
    (Numbering.SECTION, re.compile(rf"{_ORDINAL}节")),
    (Numbering.ARTICLE, re.compile(rf"{_ORDINAL}条")),
    (Numbering.CN_ITEM, re.compile(rf"[{_CN}]+[、．.]")),
    (Numbering.CN_PAREN, re.compile(rf"[（(][{_CN}]+[）)]")),
    # 1.5万 is a number, not item 1
    (Numbering.ITEM, re.compile(r"\d{1,2}[、．.](?!\d)")),
    (Numbering.PAREN, re.compile(r"[（(]\d{1,2}[）)]")),
    (Numbering.CIRCLED, re.compile(r"[①-⑳]")),
    # one or two em dashes before text; a line of dashes is a rule, not a lead
    (Numbering.DASH, re.compile(r"——?(?=[ \t\u3000]*[^\s—])")),
)
_BULLET = re.compile(r"[-－]{1,2}|[■●◆▲★·•]+")


def heading_mark(line: str) -> HeadingMark | None:
    """The numbering ``line`` starts with (at offset 0: strip it first), or ``None``.

    >>> heading_mark("（二）完善机制")
    HeadingMark(kind=<Numbering.CN_PAREN: 'cn_paren'>, end=3, depth=0)
    """
    for kind, pattern in _PATTERNS:
        if m := pattern.match(line):
            depth = len(m.group(1)) if kind is Numbering.MARKDOWN else 0
            return HeadingMark(kind, m.end(), depth)
    return None


@dataclass(frozen=True)
class HeadingNumber:
    """The structure number that starts a paragraph: ``level`` 1..4 (一、 （一） 1.
    （1）, the index into :data:`OUTLINE_LEVELS` plus one), its ``value``, the
    ``marker`` as written (``"(三)"``), the standard form of that marker
    (``canonical``, ``"（三）"``) and the text after it (``rest``)."""

    level: int
    value: int
    marker: str
    canonical: str
    rest: str


_MARKER_PUNCT = "（()）、．."


def heading_number(text: str) -> HeadingNumber | None:
    """The outline number (一、 （一） 1. （1）) at the start of ``text``, or ``None``.

    Leading whitespace is skipped. Half-width brackets, 一. and 1、 count, so that a
    slip in the marker is still seen as a heading; ``2022年`` or ``3.5万`` do not,
    and numbers above 99 are not item numbers.

    >>> heading_number("(三)强化组织").canonical
    '（三）'
    """
    stripped = text.lstrip()
    mark = heading_mark(stripped)
    if mark is None or mark.kind not in OUTLINE_LEVELS:
        return None
    marker = stripped[: mark.end]
    raw = marker.strip(_MARKER_PUNCT)
    value = int(raw) if raw.isdigit() else parse_cn_numeral(raw)
    if value is None or not 0 < value < 100:
        return None
    level = OUTLINE_LEVELS.index(mark.kind) + 1
    return HeadingNumber(
        level=level,
        value=value,
        marker=marker,
        canonical=format_number(mark.kind, value),
        rest=stripped[mark.end :],
    )


def list_marker_end(text: str) -> int:
    """Length of the list marker ``text`` starts with (一、 （1） —— ● - …, and the
    spaces after it); 0 when it starts with none."""
    mark = heading_mark(text)
    if mark is not None and mark.kind in LIST_NUMBERINGS:
        end = mark.end
    elif m := _BULLET.match(text):
        end = m.end()
    else:
        return 0
    while end < len(text) and text[end].isspace():
        end += 1
    return end


def format_number(kind: Numbering, n: int) -> str:
    """The ``n``-th marker of a list numbering: 三、 （三） 3. （3） for n = 3."""
    if kind is Numbering.CN_ITEM:
        return f"{cn_numeral(n)}、"
    if kind is Numbering.CN_PAREN:
        return f"（{cn_numeral(n)}）"
    if kind is Numbering.ITEM:
        return f"{n}."
    if kind is Numbering.PAREN:
        return f"（{n}）"
    raise ValueError(f"no sequential form for {kind}")
