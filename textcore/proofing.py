"""Text rules that proofreading needs: 公文 heading numbers, punctuation classes and
pairs, full-width equivalents, sentence spans with offsets.

Pure functions over strings, no I/O. The proofreading rules (drafting/proofread)
build their checks from these names rather than from private patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textcore.facts import Fact, _extract_numbers_and_dates
from textcore.numerals import parse_cn_numeral
from textcore.punct import compact

__all__ = [
    "CJK",
    "CLOSING_OF",
    "FULL_WIDTH_OF",
    "HEADING_LEVELS",
    "HeadingNumber",
    "canonical_marker",
    "chinese_numeral_value",
    "extract_numbers",
    "fact_text",
    "heading_number",
    "sentence_spans",
    "unpaired_marks",
]

# One CJK unified ideograph (the basic block and extension A): what "between Chinese
# characters" means for the punctuation rules.
CJK = "[\u3400-\u4dbf\u4e00-\u9fff]"

# Half-width punctuation and the full-width form a Chinese sentence takes instead.
FULL_WIDTH_OF = {
    ",": "，",
    ";": "；",
    ":": "：",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
    ".": "。",
}

# Marks that open and close; quotes are directional in Chinese text.
CLOSING_OF = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕", "「": "」"}

_CN_NUMERAL = "[一二三四五六七八九十百零〇两]+"
# The four levels of GB/T 9704-2012 7.3.3: 一、 （一） 1. （1）. Half-width brackets, 一.
# and 1、 are accepted on read so that a slip in the marker is still seen as a heading.
_HEADING = (
    (1, re.compile(rf"^\s*(?P<num>{_CN_NUMERAL})(?P<mark>[、.．])")),
    (2, re.compile(rf"^\s*(?P<open>[（(])(?P<num>{_CN_NUMERAL})(?P<mark>[）)])")),
    (3, re.compile(r"^\s*(?P<num>\d{1,3})(?P<mark>[.．、](?!\d))")),
    (4, re.compile(r"^\s*(?P<open>[（(])(?P<num>\d{1,3})(?P<mark>[）)])")),
)
HEADING_LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class HeadingNumber:
    """The structure number that starts a paragraph: ``level`` 1..4 (一、 （一） 1.
    （1）), its ``value``, the ``marker`` as written (``"（三）"``), the standard form
    of that marker (``canonical``) and the text after it (``rest``)."""

    level: int
    value: int
    marker: str
    canonical: str
    rest: str


def chinese_numeral_value(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; None when ``numeral`` is not a Chinese numeral."""
    return parse_cn_numeral(numeral)


def canonical_marker(level: int, value: int) -> str:
    """The standard marker for ``value`` at ``level``: 3 → 三、 / （三） / 3. / （3）."""
    if level in (1, 2):
        numeral = _to_chinese(value)
        return f"{numeral}、" if level == 1 else f"（{numeral}）"
    return f"{value}." if level == 3 else f"（{value}）"


def _to_chinese(value: int) -> str:
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    head = "" if tens == 1 else digits[tens]
    return f"{head}十{digits[ones] if ones else ''}"


def heading_number(text: str) -> HeadingNumber | None:
    """The heading number at the start of ``text``, or None.

    ``2022年`` or ``3.5万`` are not headings: a level-3 number must be followed by a
    mark that is not part of a decimal, and numbers above 99 are not item numbers.
    """
    for level, pattern in _HEADING:
        match = pattern.match(text)
        if not match:
            continue
        raw = match["num"]
        value = int(raw) if raw.isdigit() else chinese_numeral_value(raw)
        if value is None or not 0 < value < 100:
            continue
        marker = match.group(0).strip()
        return HeadingNumber(
            level=level,
            value=value,
            marker=marker,
            canonical=canonical_marker(level, value),
            rest=text[match.end() :],
        )
    return None


_SENTENCE = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;…]+[”’」』）)]*|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` (ending at 。！？； and any closing
    quote after it), in order; whitespace-only pieces are left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            spans.append((match.start(), match.end()))
    return spans


def unpaired_marks(text: str) -> list[tuple[int, str]]:
    """``(offset, mark)`` for every opening mark without its closing one and every
    closing mark without its opening one in ``text``; marks must nest."""
    opening = CLOSING_OF
    closing = {close: open_ for open_, close in opening.items()}
    stack: list[tuple[int, str]] = []
    stray: list[tuple[int, str]] = []
    for offset, ch in enumerate(text):
        if ch in opening:
            stack.append((offset, ch))
        elif ch in closing:
            if stack and stack[-1][1] == closing[ch]:
                stack.pop()
            elif any(mark == closing[ch] for _, mark in stack):
                # a mark closed out of order: the ones opened after it are unpaired
                while stack and stack[-1][1] != closing[ch]:
                    stray.append(stack.pop())
                stack.pop()
            else:
                stray.append((offset, ch))
    stray.extend(stack)
    return sorted(stray)


def fact_text(text: str) -> str:
    """``text`` the way the fact check reads it (NFKC, no whitespace, no ``[n]``
    markers): the offsets of ``extract_facts`` refer to this string."""
    return compact(text)


def extract_numbers(text: str) -> list[Fact]:
    """The numbers and dates of ``text`` as ``extract_facts`` finds them, without the
    named units: those need jieba's tagger, most of the cost of reading a passage."""
    return _extract_numbers_and_dates(compact(text))
