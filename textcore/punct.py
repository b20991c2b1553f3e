"""Punctuation and character classes of Chinese text.

The classes follow the national standard on punctuation (GB/T 15834): 句末点号
(。？！) end a sentence, 句内点号 (、，；：) pause inside one. We also end a
sentence at ；: retrieval, citations and the fact check all want the shorter
unit, and a 分号 clause in official prose is usually a complete statement of its
own. Half-width forms count like their full-width twins, because pasted and
generated text mixes them freely.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "BRACKET_PAIRS",
    "CITATION_MARKER",
    "CJK_RANGES",
    "CJK_TEXT_RANGES",
    "CLOSERS",
    "ELLIPSIS",
    "FULL_WIDTH",
    "PAUSE_MARKS",
    "SENTENCE_ENDS",
    "SENTENCE_FINAL",
    "citation_numbers",
    "compact",
    "ends_sentence",
    "fold_width",
    "is_cjk",
    "strip_citation_markers",
    "unpaired_marks",
]

# Marks after which a sentence ends (and the text is split).
SENTENCE_ENDS = "。！？；!?;"
ELLIPSIS = "…"
# Marks a complete sentence may end with: the ends above, or an ellipsis (……).
# An ellipsis does not split (it often trails off inside a sentence), but a line
# ending with one is a sentence, not a heading.
SENTENCE_FINAL = SENTENCE_ENDS + ELLIPSIS
# Closing quotes and brackets that stay with the sentence whose end they follow
# (他说：“办成了！”). ASCII quotes are ambiguous; after an end mark they close.
CLOSERS = "”’）」』)】》\"'"
# 句内点号: where a clause pauses; an over-long sentence may be cut after one.
PAUSE_MARKS = "、，；：,;:"
# Paired marks, opening first: a line with an open one has not ended yet.
BRACKET_PAIRS: tuple[tuple[str, str], ...] = (
    ("“", "”"),
    ("‘", "’"),
    ("（", "）"),
    ("(", ")"),
    ("《", "》"),
    ("「", "」"),
    ("【", "】"),
    ("〔", "〕"),
)
# Half-width punctuation and its full-width form in Chinese text (output normalisation
# turns the first into the second).
FULL_WIDTH: dict[str, str] = {
    ",": "，",
    ";": "；",
    ":": "：",
    "!": "！",
    "?": "？",
    "(": "（",
    ")": "）",
}
# The CJK ideograph blocks (Extension A, Unified, Compatibility), as a regex class body.
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Every character of Chinese running text: radicals and ideographs, CJK punctuation
# (。、「」) and the full-width forms (，：１Ａ). A space between two of them is an
# artifact of OCR or PDF extraction, never meant.
CJK_TEXT_RANGES = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
# A citation marker in generated text: [3], 【3】, or several numbers in one: [1, 2].
CITATION_MARKER = re.compile(
    r"\[\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\]|【\d{1,3}(?:\s*[,，、]\s*\d{1,3})*】"
)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph (汉字), not punctuation or kana."""
    return bool(_CJK_CHAR.fullmatch(ch))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a complete sentence: with 。！？；…, possibly
    followed by closing quotes or brackets (……。” counts, ……” does not)."""
    body = text.rstrip().rstrip(CLOSERS)
    return bool(body) and body[-1] in SENTENCE_FINAL


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation folded to half-width (NFKC), for
    comparing texts however they were typed (``１２.８万`` = ``12.8万``)."""
    return unicodedata.normalize("NFKC", text)


def citation_numbers(text: str) -> list[int]:
    """The numbers of the citation markers in ``text``, in order (``[1][2]`` → 1, 2)."""
    return [int(n) for m in CITATION_MARKER.finditer(text) for n in _DIGITS.findall(m.group(0))]


def strip_citation_markers(text: str) -> str:
    """``text`` without its citation markers."""
    return CITATION_MARKER.sub("", text)


def compact(text: str) -> str:
    """The form in which facts and names are compared: width folded, no whitespace,
    no citation markers (``１２.８万 [1]`` → ``12.8万``)."""
    return strip_citation_markers(_SPACE.sub("", fold_width(text)))


def unpaired_marks(text: str) -> list[tuple[int, str]]:
    """``(offset, mark)`` for every opening mark without its closing one and every
    closing mark without its opening one in ``text``; marks must nest.

    Only the full-width pairs count: a half-width bracket in Chinese text is a slip
    of its own (and ``1)`` opens nothing), which the proofreading width rule reports.
    """
    closing = {close: open_ for open_, close in BRACKET_PAIRS if not open_.isascii()}
    opening = set(closing.values())
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
