"""Administrative place names (省/市/区/县/街道/社区/乡/镇) mentioned in Chinese text.

Chinese has no word boundaries, so "在河南省" or "强化社区" cannot be split by a
regex alone. jieba's part-of-speech tags tell place and proper names (ns, nr,
nz, nt) from verbs and common nouns; road-based names (湖北路街道, 武汉路社区)
are recognised by their 路.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

__all__ = ["find_regions", "region_spans"]

_SUFFIXES = ("街道", "社区", "省", "市", "区", "县", "乡", "镇")
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt", "nrt", "nrfg"})
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_DIGITS = re.compile(r"^\d{2,4}$")
_JUNK = frozenset(
    {
        "城市", "城市社区", "文明城市", "友好城市", "新区", "老区", "山区", "市区", "城区", "郊区",
        "全区", "全市", "全县", "全省", "辖区", "小区", "园区", "片区", "景区", "街区", "县区",
        "省市", "市县", "区县", "城乡", "村镇", "乡镇", "集镇", "大区", "驻区", "社区", "街道",
    }
)  # fmt: skip
_JUNK_ENDINGS = ("小区", "园区", "片区", "景区", "街区", "校区", "城市", "超市", "都市", "大区")


_ROAD = re.compile(r"([\u4e00-\u9fff]{2}路[一二三四五六七八九十]?)(街道|社区)")
_NUMBERED = re.compile(r"(?<![\u4e00-\u9fff])?([一二三四五六七八九〇零]{3,4}|\d{2,4})(社区)")


def find_regions(text: str) -> list[str]:
    """Place names in ``text`` such as 洛阳市, 涧西区, 湖北路街道, 武汉路社区; most frequent first.

    Generic words (全区, 该街道, 社区, 小区, 城市) are not names and are skipped;
    ties keep the order of first mention.
    """
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for start, _end, name in region_spans(text):
        counts[name] += 1
        order.setdefault(name, start)
    return sorted(counts, key=lambda r: (-counts[r], order[r]))


def region_spans(text: str) -> list[tuple[int, int, str]]:
    """Every place-name mention as ``(start, end, name)``, in text order."""
    return list(_region_spans(text))


# Cleaning (the trailing-article check) and metadata tag the same text one after
# the other; tagging is the costliest step of reading a document, so do it once.
@lru_cache(maxsize=8)
def _region_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        span
        for span in _find_spans(text)
        if span[2] not in _JUNK and not span[2].endswith(_JUNK_ENDINGS)
    )


def _find_spans(text: str) -> list[tuple[int, int, str]]:
    import jieba.posseg

    spans: dict[int, tuple[int, int, str]] = {}
    for pattern in (_ROAD, _NUMBERED):
        for m in pattern.finditer(text):
            spans[m.end()] = (m.start(), m.end(), m.group(0))
    tokens: list[tuple[int, str, str]] = []
    pos = 0
    for pair in jieba.posseg.cut(text, HMM=False):
        tokens.append((pos, pair.word, pair.flag))
        pos += len(pair.word)
    # A live view: names found earlier in this pass count, without rebuilding a set per token.
    region_ends = spans.keys()
    maybe: list[tuple[int, int, str]] = []  # common-noun names, kept only next to a sure one
    for i, (start, word, flag) in enumerate(tokens):
        end = start + len(word)
        if end in spans:
            continue
        if word in _SUFFIXES and i > 0:
            p_start, prev, p_flag = tokens[i - 1]
            if len(prev) == 1 and _CJK.match(prev):
                # The dictionary split an unknown name into single characters
                # (天四社区 -> 天/四/社区); let the HMM look at just this spot.
                p_start, prev, p_flag = _hmm_token_before(text, start)
            if not (_CJK.match(prev) or _DIGITS.match(prev)):
                continue
            if (len(prev) >= 2 and p_flag in _NAME_TAGS) or _DIGITS.match(prev):
                spans[end] = (p_start, end, prev + word)
            elif (
                len(prev) >= 2
                and not p_flag.startswith(("p", "r", "m", "c", "u"))
                and (p_start in region_ends or not p_flag.startswith(("v", "a", "d")))
            ):
                maybe.append((p_start, end, prev + word))
        elif word.endswith(_SUFFIXES) and _CJK.match(word):
            if (len(word) >= 3 and flag in _NAME_TAGS) or (
                len(word) == 2 and word[-1] in "县市" and flag == "ns"
            ):
                spans[end] = (start, end, word)
            elif len(word) in (3, 4) and flag == "n":
                maybe.append((start, end, word))
    region_starts = {s for s, _e, _n in spans.values()}
    for start, end, name in maybe:
        # 西工区西工街道, 金水区东风路街道: an ordinary-looking name chained to a real one.
        if start in region_ends or end in region_starts:
            spans[end] = (start, end, name)
    return sorted(spans.values())


def _hmm_token_before(text: str, end: int) -> tuple[int, str, str]:
    """The token ending at ``end`` when a short window before it is cut with jieba's HMM."""
    import jieba.posseg

    begin = max(0, end - 8)
    window = text[begin:end]
    pos = begin
    last = (end, "", "x")
    for pair in jieba.posseg.cut(window, HMM=True):
        last = (pos, pair.word, pair.flag)
        pos += len(pair.word)
    return last
