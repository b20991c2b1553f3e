"""Output normalisation for Chinese prose: what a 公文 or a chat answer prints.

Sources on the web mix half-width punctuation into Chinese text ("工作以来,湖北路街道"),
leave quotation marks unpaired ("“132277“工作流程"), put spaces between Chinese
characters and write counts in Chinese numerals ("七个社区"). ``normalize_text``
rewrites such text the way GB/T 15834 (punctuation) and GB/T 15835 (numbers) want it:

- ``, ; : ? ! ( ) .`` and ``...`` next to a Chinese character become ``，；：？！（）。……``;
  between digits (``1,000``, ``12:30``, ``3.5``) and in Latin text they stay;
- double and single quotation marks are paired per paragraph (“…” and ‘…’),
  a mark left without a partner is removed;
- ``<…>``, ``〈…〉`` around Chinese text become 《…》 (titles);
- whitespace between Chinese characters (or a Chinese character and a digit) is removed,
  except after a leading statute unit number (``第十一条　申请……``);
- full-width digits become half-width, and a single Chinese numeral counting with a
  measure word becomes an Arabic one (``七个社区`` → ``7个社区``), except in fixed
  phrases (``三个代表``, a short quoted term such as “两个覆盖”), approximate numbers
  (``三四个``, ``十几个``) and ``一个``.

Text without any Chinese character is returned unchanged. The function is idempotent
and pure; it never adds or drops a Chinese character.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textcore.headings import Numbering, heading_mark
from textcore.numerals import CN_NUMERAL_CHARS, parse_cn_numeral
from textcore.punct import CJK_RANGES, FULL_WIDTH, is_cjk

__all__ = ["normalize_text", "restore_punctuation"]

# The ideographs and the 〇 numeral: 二〇二四年 is Chinese text too.
_CJK = CJK_RANGES + "\u3007"
# Full-width punctuation that is part of Chinese running text.
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』"
_CJK_RE = re.compile(f"[{_CJK}]")

# Fixed phrases keep their Chinese numerals (GB/T 15835-2011, 5.1.2: 词语、惯用语).
_FIXED_NUMERAL_PHRASES = (
    "三个代表",
    "两个维护",
    "两个确立",
    "四个意识",
    "四个自信",
    "四个全面",
    "五位一体",
    "两个一百年",
    "八项规定",
    "三个务必",
    "五个一",
    "三会一课",
    "四下基层",
    "一个中心",
    "两个覆盖",
)
# A short quoted term ("两个覆盖", "三清两建") is a slogan: its numerals stay as written.
_QUOTED_TERM = re.compile(r"“[^“”]{1,10}”")
_MEASURE_WORDS = "个名位人户家项次场处件条支所座套批期届类种"
# 几 is no numeral, but 十几个 is no exact count either.
_CN_NUMERAL_CHARS = CN_NUMERAL_CHARS + "几"
# 二…九, 十, 十一…十九, 二十…九十九: a single, exact count (一 is left: 一个 is an article).
_COUNT = re.compile(
    f"(?<![{_CN_NUMERAL_CHARS}第初周星])"
    # the end of a range keeps the numerals of its start (二至三人, 三到五个)
    f"(?<![{_CN_NUMERAL_CHARS}][至到])"
    r"((?:[二三四五六七八九]?十[一二三四五六七八九]?)|[二两三四五六七八九])"
    f"(?=[{_MEASURE_WORDS}])(?![{_MEASURE_WORDS}][{_CN_NUMERAL_CHARS}])"
)


def _chinese_side(char: str) -> bool:
    return is_cjk(char) or char == "\u3007" or char in _CJK_PUNCT


def _arabic_counts(text: str) -> str:
    protected = [m.span() for m in _QUOTED_TERM.finditer(text)]
    for phrase in _FIXED_NUMERAL_PHRASES:
        protected.extend(m.span() for m in re.finditer(re.escape(phrase), text))

    def replace(match: re.Match[str]) -> str:
        if any(s <= match.start() < e for s, e in protected):
            return match.group(0)
        # _COUNT only matches 二…九十九, which parse_cn_numeral always reads.
        return str(parse_cn_numeral(match.group(1)))

    return _COUNT.sub(replace, text)


def _full_width_punct(text: str) -> str:
    # A run of marks (",,湖") converts from the Chinese side inwards: repeat to a fixpoint.
    while True:
        converted = _full_width_punct_once(text)
        if converted == text:
            return text
        text = converted


def _full_width_punct_once(text: str) -> str:
    chars = list(text)
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch not in FULL_WIDTH and ch != ".":
            continue
        before = chars[i - 1] if i > 0 else ""
        j = i + 1
        while j < n and chars[j] == " ":
            j += 1
        after = chars[j] if j < n else ""
        if ch == ".":
            # Only a sentence end after Chinese text; 3.5, 1. and file.txt stay.
            if before and _chinese_side(before) and (not after or _chinese_side(after)):
                chars[i] = "。"
            continue
        if before.isdigit() and after.isdigit():
            continue  # 1,000 and 12:30
        if (before and _chinese_side(before)) or (after and _chinese_side(after)):
            chars[i] = FULL_WIDTH[ch]
    return "".join(chars)


def _parentheses(text: str) -> str:
    """``(…)`` holding Chinese text (or standing next to it) becomes ``（…）``."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if _CJK_RE.search(inner) or _chinese_side(before) or _chinese_side(after):
            return f"（{inner}）"
        return match.group(0)

    return re.sub(r"\(([^()]*)\)", replace, text)


def _titles(text: str) -> str:
    return re.sub(f"[<〈﹤]([^<>〈〉﹤﹥]*[{_CJK}][^<>〈〉﹤﹥]*)[>〉﹥]", r"《\1》", text)


def _pair_quotes(text: str, marks: str, opening: str, closing: str) -> str:
    """Re-pair one kind of quotation mark: alternate opening and closing marks in order,
    and drop the last opening one when a mark is left over."""
    positions = [i for i, ch in enumerate(text) if ch in marks]
    if not positions:
        return text
    chars = list(text)
    is_open = False
    last_open = -1
    for i in positions:
        chars[i] = closing if is_open else opening
        if not is_open:
            last_open = i
        is_open = not is_open
    if is_open:
        chars[last_open] = ""
    return "".join(chars)


def _quotes(text: str) -> str:
    # An ASCII apostrophe between Latin letters (it's) is not a quotation mark.
    singles = re.sub(r"(?<=[A-Za-z])'(?=[A-Za-z])", "\x00", text)
    singles = _pair_quotes(singles, "‘’'", "‘", "’").replace("\x00", "'")
    return _pair_quotes(singles, '“”"', "“", "”")


def _spaces(text: str) -> str:
    def joinable(a: str, b: str) -> bool:
        a_cn, b_cn = _chinese_side(a), _chinese_side(b)
        return (a_cn and (b_cn or b.isdigit())) or (b_cn and a.isdigit())

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        if start == 0 or end == len(text) or "\n" in match.group(0):
            return match.group(0)
        return "" if joinable(text[start - 1], text[end]) else match.group(0)

    return re.sub(r"[ \t\u3000\u00a0]+", replace, text)


def _digits(text: str) -> str:
    return text.translate({ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"})


def _ellipsis(text: str) -> str:
    return re.sub(f"(?<=[{_CJK}{_CJK_PUNCT}])(?:\\.{{3,}}|。{{3,}}|(?<!…)…(?!…))", "……", text)


def normalize_text(text: str) -> str:
    """``text`` with Chinese punctuation, paired quotes, 《》 titles, no spaces between
    Chinese characters and Arabic counts (see the module docstring). Text without a
    Chinese character comes back unchanged."""
    if not _CJK_RE.search(text):
        return text
    paragraphs = text.split("\n")
    return "\n".join(_normalize_paragraph(p) for p in paragraphs)


# Statute units: "第十一条　申请……" is how a statute sets its article number off from the
# text (and how citations quote it), so the space after a leading one stays.
_STATUTE_UNITS = frozenset(
    {Numbering.PART, Numbering.CHAPTER, Numbering.SECTION, Numbering.ARTICLE}
)


def restore_punctuation(text: str) -> str:
    """``text`` with only its punctuation and spacing put right: the steps of
    :func:`normalize_text` that touch no letter or digit (half-width marks next to
    Chinese made full-width, quotation marks re-paired, ``<…>`` titles, spaces between
    Chinese characters removed). For text read back by OCR or from a PDF, which must
    keep its own numerals and digits."""
    if not _CJK_RE.search(text):
        return text
    return "\n".join(_normalize_paragraph(p, _punctuation_once) for p in text.split("\n"))


def _normalize_paragraph(text: str, once: Callable[[str], str] | None = None) -> str:
    once = once or _normalize_once
    if not _CJK_RE.search(text):
        return text
    mark = heading_mark(text)
    if mark is not None and mark.kind in _STATUTE_UNITS:
        end = mark.end
        while end < len(text) and text[end] in " \t\u3000\u00a0":
            end += 1
        if end > mark.end:
            return text[:end] + _normalize_paragraph(text[end:], once)
    # A step can give another new work (a dropped stray quote puts a comma next to a
    # Chinese character): run the steps until nothing changes. Each step only ever turns
    # text into its normal form, so this ends; three rounds covered every case the
    # property tests generated.
    for _ in range(8):
        changed = once(text)
        if changed == text:
            break
        text = changed
    return text


def _normalize_once(text: str) -> str:
    return _arabic_counts(_punctuation_once(_digits(text)))


def _punctuation_once(text: str) -> str:
    # Spaces twice: a comma made full-width or a dropped stray quote may leave a space
    # between two Chinese characters.
    text = _spaces(text)
    text = _titles(text)
    text = _parentheses(text)
    text = _full_width_punct(text)
    text = _ellipsis(text)
    text = _quotes(text)
    return _spaces(text)
