"""Places and units: 洛阳市, 涧西区, 湖北路街道, 天四社区, 开元路街道党工委, 社会心理服务中心.

One vocabulary of what a place or unit name ends with, and the two readings
built on it:

- :func:`region_spans` / :func:`find_regions` — administrative places
  (省/市/区/县/乡/镇/街道/社区), for a document's region metadata and search
  filters. Precision first: jieba's dictionary tags (no HMM guessing) tell place
  and proper names from verbs and common nouns; road-based names (湖北路街道) and
  numbered communities (七二五社区) are read by pattern.
- :func:`unit_spans` / :func:`named_units` — every named unit a sentence states,
  organisations included (…党工委, …中心, …公司), for the fact check and
  follow-up questions. Recall first: a run of nouns before a unit word is a name
  unless every part of it is generic (居民社区, 全区, 物业公司).

Chinese has no word boundaries, so "在河南省" or "强化社区" cannot be split by a
regex alone; both readings go through :mod:`textcore.segment`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from textcore.punct import CJK_RANGES, PAUSE_MARKS, SENTENCE_ENDS, compact
from textcore.segment import pos_tag

__all__ = [
    "ADMIN_SUFFIXES",
    "COUNTY_OR_ABOVE",
    "ORG_SUFFIXES",
    "UNIT_SUFFIXES",
    "find_regions",
    "gazetteer_spans",
    "local_place",
    "named_units",
    "region_spans",
    "starts_with_place",
    "strip_unit_suffix",
    "unit_spans",
    "unit_suffix",
]

# --- vocabulary --------------------------------------------------------------------

# Administrative divisions: what a place name ends with.
ADMIN_SUFFIXES = ("街道", "社区", "省", "市", "区", "县", "乡", "镇")
# Divisions at county level or above: a place that is "somewhere else", not a part
# of the street or community a text is about.
COUNTY_OR_ABOVE = ("省", "市", "区", "县")
# Organisations: what the name of a Party or government body, or a company, ends with.
ORG_SUFFIXES = ("办事处", "委员会", "党工委", "党支部", "党委", "支部", "公司", "中心")
# Everything a named unit ends with, longest first so 党工委 wins over 委 and 党支部 over 支部.
UNIT_SUFFIXES = tuple(sorted(ORG_SUFFIXES + ADMIN_SUFFIXES, key=len, reverse=True))
_ONE_CHAR_ADMIN = "".join(s for s in ADMIN_SUFFIXES if len(s) == 1)

# Words that end like a unit but never name one; they may still be part of a longer name.
_NOT_NAMES = frozenset(
    [
        "城市", "超市", "都市", "门市", "小区", "园区", "景区", "片区", "街区", "辖区", "城区",
        "地区", "山区", "市区", "郊区", "校区", "营区", "灾区", "疫区", "选区", "分区", "专区",
        "禁区", "误区", "盲区", "老区", "大区", "驻区", "县区", "区县", "省市", "市县", "城乡",
        "村镇", "乡镇", "城镇", "小城镇", "集镇", "社区内", "城市社区", "文明城市", "友好城市", "中心城区",
        "核心区", "功能区", "示范区", "试验区", "开发区", "商圈",
    ]
)  # fmt: skip
# Unit words that alone (no proper name before them) are generic: 社区, 街道党工委, 全市.
_GENERIC_UNITS = frozenset(
    [
        "社区", "街道", "党委", "党工委", "支部", "党支部", "委员会", "居委会", "村委会", "公司",
        "有限公司", "物业公司", "中心", "服务中心", "办事处", "全市", "全区", "全县", "全省",
        "我市", "我区", "本市", "本区", "该市", "该区", "各区", "各市", "各市县", "省", "市", "区", "县", "乡", "镇",
        "新区", "建制镇", "民族乡", "民族镇",
        "两委", "党总支",
    ]
)  # fmt: skip
# Nouns that describe rather than name; a "name" made only of these is generic.
_GENERIC_MODIFIERS = frozenset(
    [
        "居民", "城市", "基层", "农村", "城乡", "住宅", "老旧", "相关", "有关", "上级", "下级",
        "驻区", "试点", "示范", "先进", "服务", "各级", "全国", "全省", "全市", "全区", "党群",
        "党员", "群众", "红色", "新", "老", "该", "各", "本", "我", "所在", "所属", "区域",
        "社会", "物业", "网格", "楼栋", "小区", "商务", "企业", "组织", "党组织", "社区", "街道",
        "机关", "单位", "两新", "非公", "人民政府", "政府", "驻地", "党建",
    ]
)  # fmt: skip
# One-character determiners that make 区/市/县 generic: 全区, 我市, 该县.
_DETERMINERS = "全我本该各此两每市县"


def unit_suffix(name: str) -> str | None:
    """The unit word ``name`` ends with (街道, 党工委, 区 …), or ``None`` when it does
    not end like a unit or is a common noun that only looks like one (小区, 城市)."""
    if name in _NOT_NAMES or _names_a_kind_of_area(name):
        return None
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return None


# What a 区 is for, when it names a kind of area, not a district: 宿舍区, 生活区,
# 工业区, 家属区 (单位宿舍区 is part of a work unit, 涧西区 a district). A kind of area
# a statute describes (火葬区: 实行火葬的地区) is read against the evidence instead
# (``answer.answerability.area_kinds``).
_AREA_USES = (
    "宿舍", "生活", "家属", "工业", "商业", "住宅", "居住", "办公", "教学", "休闲", "娱乐",
    "风景", "物流", "仓储", "养殖", "种植",
)  # fmt: skip


def _names_a_kind_of_area(name: str) -> bool:
    return name.endswith("区") and name[:-1].endswith(_AREA_USES)


def strip_unit_suffix(name: str) -> str:
    """``name`` without its unit word: 湖北路街道 → 湖北路, 涧西区 → 涧西."""
    suffix = unit_suffix(name)
    return name[: -len(suffix)] if suffix else name


# Below the county: streets, communities, townships; the bodies named after them.
_LOCAL_SUFFIXES = tuple(s for s in ADMIN_SUFFIXES if s not in COUNTY_OR_ABOVE)
_LOCAL_PLACE = re.compile(
    rf"([^{''.join(COUNTY_OR_ABOVE)}]{{2,}}?(?:{'|'.join(_LOCAL_SUFFIXES)}))"
    r"(?:办事处|党工委|党委)?$"
)


def local_place(unit: str) -> str | None:
    """The street, community or township a unit's name ends in (涧西区湖北路街道党工委
    → 湖北路街道), or ``None`` when it names none."""
    match = _LOCAL_PLACE.search(unit.strip())
    return match.group(1) if match else None


_STARTS_WITH_PLACE = re.compile(rf"^[{CJK_RANGES}]{{2,10}}?(?:{'|'.join(ADMIN_SUFFIXES)}|村)")


def starts_with_place(text: str) -> bool:
    """Whether ``text`` opens with a place (涧西区…, 武汉路社区…, 小铺村…), as photo
    captions do. A village (村) counts here though it is no region filter."""
    return _STARTS_WITH_PLACE.match(text) is not None


# --- administrative places (regions) -------------------------------------------------

_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt", "nrt", "nrfg"})
_ALL_CJK = re.compile(f"^[{CJK_RANGES}]+$")
_NUMBER_WORD = re.compile(r"^\d{2,4}$")
_NOT_REGION_ENDINGS = (
    "小区",
    "园区",
    "片区",
    "景区",
    "街区",
    "校区",
    "城市",
    "超市",
    "都市",
    "大区",
)
_ROAD = re.compile(rf"([{CJK_RANGES}]{{2}}路[一二三四五六七八九十]?)(街道|社区)")
_NUMBERED = re.compile(r"([一二三四五六七八九〇零]{3,4}|\d{2,4})(社区)")


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
        for span in _find_region_spans(text)
        if span[2] not in _NOT_NAMES
        and span[2] not in _GENERIC_UNITS
        and not span[2].endswith(_NOT_REGION_ENDINGS)
    )


def _find_region_spans(text: str) -> list[tuple[int, int, str]]:
    spans: dict[int, tuple[int, int, str]] = {}
    for pattern in (_ROAD, _NUMBERED):
        for m in pattern.finditer(text):
            spans[m.end()] = (m.start(), m.end(), m.group(0))
    tokens: list[tuple[int, str, str]] = []
    pos = 0
    for word, flag in pos_tag(text, hmm=False):
        tokens.append((pos, word, flag))
        pos += len(word)
    # A live view: names found earlier in this pass count, without rebuilding a set per token.
    region_ends = spans.keys()
    maybe: list[tuple[int, int, str]] = []  # common-noun names, kept only next to a sure one
    for i, (start, word, flag) in enumerate(tokens):
        end = start + len(word)
        if end in spans:
            continue
        if word in ADMIN_SUFFIXES and i > 0:
            p_start, prev, p_flag = tokens[i - 1]
            if len(prev) == 1 and _ALL_CJK.match(prev):
                # The dictionary split an unknown name into single characters
                # (天四社区 -> 天/四/社区); let the HMM look at just this spot.
                p_start, prev, p_flag = _hmm_token_before(text, start)
            if not (_ALL_CJK.match(prev) or _NUMBER_WORD.match(prev)):
                continue
            if (len(prev) >= 2 and p_flag in _NAME_TAGS) or _NUMBER_WORD.match(prev):
                spans[end] = (p_start, end, prev + word)
            elif (
                len(prev) >= 2
                and not p_flag.startswith(("p", "r", "m", "c", "u"))
                and (p_start in region_ends or not p_flag.startswith(("v", "a", "d")))
            ):
                maybe.append((p_start, end, prev + word))
        elif word.endswith(ADMIN_SUFFIXES) and _ALL_CJK.match(word):
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
    begin = max(0, end - 8)
    pos = begin
    last = (end, "", "x")
    for word, flag in pos_tag(text[begin:end]):
        last = (pos, word, flag)
        pos += len(word)
    return last


# --- named units ---------------------------------------------------------------------

_NAME_FLAGS = ("n", "j", "eng", "vn")
_MAX_NAME_TOKENS = 4
_CN_DIGIT_CHARS = "〇零一二三四五六七八九十"
_BREAKS = PAUSE_MARKS + SENTENCE_ENDS + "."


def _is_name_part(word: str, flag: str) -> bool:
    if flag == "m":  # 014中心社区, 七二五社区: digits belong to a name; 七个 does not
        return (word.isascii() and word.isalnum()) or all(ch in _CN_DIGIT_CHARS for ch in word)
    return flag.startswith(_NAME_FLAGS) and not any(c in _BREAKS for c in word)


def _is_generic_unit(run: list[str], word: str) -> bool:
    if not run:
        if word in _GENERIC_UNITS:
            return True
        suffix = unit_suffix(word)
        if suffix and len(word) > len(suffix) and word[: -len(suffix)] in _GENERIC_MODIFIERS:
            return True  # 街道社区(办主任), 居民社区, 社区党委: generic words run together
        return len(word) == 2 and word[1] in _ONE_CHAR_ADMIN and word[0] in _DETERMINERS
    return all(part in _GENERIC_MODIFIERS for part in run) and (
        word in _GENERIC_UNITS or unit_suffix(word) == word
    )


# A housing estate: 小区 after its proper name (通元花园小区, 香榭丽·黎明小区). Alone, or
# after words that describe it (老旧小区, 智慧小区, 该小区), it names none.
_ESTATE = "小区"
_NAME_DOTS = "·•・"
_ESTATE_DESCRIPTIONS = frozenset(
    [
        "智慧", "平安", "文明", "和谐", "美丽", "绿色", "幸福", "老旧", "安置", "回迁", "拆迁",
        "商品房", "保障房", "无物业", "封闭式", "开放式", "新建", "周边", "附近", "相邻", "整个",
        "这个", "那个", "涉及", "试点", "示范", "样板",
    ]
)  # fmt: skip


def _names_estate(run: list[tuple[str, int, str]]) -> bool:
    """Whether the words before 小区 are its name: two words or more (通元|花园), or
    one proper name (永安|小区 with 永安 a place name), not only describing words."""
    words = [w for w, _s, _f in run if w not in _NAME_DOTS]
    if not words or all(w in _GENERIC_MODIFIERS or w in _ESTATE_DESCRIPTIONS for w in words):
        return False
    if run[-1][0] in _NAME_DOTS:
        return False
    return len(words) >= 2 or (len(words[0]) >= 2 and run[0][2] in _NAME_TAGS)


_COMPANY = "公司"


def unit_spans(text: str) -> list[tuple[int, int, str]]:
    """Every named unit in ``text`` as ``(start, end, name)``, in text order.

    Each unit of a chain is read on its own (涧西区湖北路街道 → 涧西区, 湖北路街道);
    generic words (社区, 全区, 物业公司, 居民社区) name nothing and are left out.
    ``text`` is read as it is: compare facts on :func:`textcore.punct.compact` text.
    """
    spans: list[tuple[int, int, str]] = []
    run: list[tuple[str, int, str]] = []  # (word, start, flag) of the name being read
    pos = 0
    for word, flag in pos_tag(text):
        start, pos = pos, pos + len(word)
        if word == _ESTATE:
            if _names_estate(run):
                spans.append((run[0][1], pos, text[run[0][1] : pos]))
            run = []
            continue
        if word in _NAME_DOTS and run:
            run.append((word, start, flag))  # 香榭丽·黎明小区: one name, dot inside
            continue
        suffix = unit_suffix(word)
        if suffix is not None and len(suffix) == 1 and len(word) == 2 and flag != "ns":
            suffix = None  # 驻区, 辖区, 超市, 节省: a word, not a place
        if suffix is not None and len(word) == 1 and run and run[-1][2] == "vn":
            suffix = None  # 研究省、市: a verb's object, not a place's name
        if suffix is not None:
            if not run and flag == "n" and word.endswith(_COMPANY) and len(word) > len(_COMPANY):
                # a dictionary word for a kind of company (电力公司, 燃气公司, 保险公司):
                # a proper name before 公司 is no dictionary word (洛阳|银隆|公司)
                continue
            if not _is_generic_unit([w for w, _s, _f in run], word):
                name_start = run[0][1] if run else start
                spans.append((name_start, pos, text[name_start:pos]))
            run = []
            continue
        if _is_name_part(word, flag):
            run.append((word, start, flag))
            run = run[-_MAX_NAME_TOKENS:]
        else:
            run = []
    return spans


def named_units(text: str, known: Iterable[str] = ()) -> list[str]:
    """The named units (…区, …街道, …社区, …党委, …中心 …) that ``text`` mentions,
    in order, without repeats; generic words (社区, 全区, 物业公司) are left out.

    ``known`` is a gazetteer of names the caller knows to exist (the places its
    documents name): one that stands in ``text`` is read whole, over a segmentation
    that cuts it (前天|九社区 when 天九社区 is known), see :func:`gazetteer_spans`."""
    text = compact(text)
    spans = unit_spans(text)
    found = gazetteer_spans(text, known)
    if found:
        # a name read by the segmenter stays when it holds a known one whole and is
        # longer (涧西区湖北路街道党工委 over 湖北路街道); otherwise the known name wins
        spans = [
            (s, e, n)
            for s, e, n in spans
            if not any(s < ke and ks < e and not (s <= ks and ke <= e) for ks, ke, _ in found)
        ]
        spans += [k for k in found if not any(s <= k[0] and k[1] <= e for s, e, _ in spans)]
        spans.sort()
    return list(dict.fromkeys(name for _s, _e, name in spans))


# A gazetteer name shorter than this is too likely to stand inside another word.
_MIN_KNOWN_CHARS = 3


def gazetteer_spans(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where ``text`` names one of ``names`` (places and units known to exist), as
    ``(start, end, name)``: longest match first, leftmost, without overlaps, so
    天九社区 wins over 九社区 and 涧西区 over 西区. Names of fewer than three
    characters, or that do not end like a unit (:func:`unit_suffix`), are ignored."""
    candidates = sorted(
        {n for n in names if len(n) >= _MIN_KNOWN_CHARS and unit_suffix(n) is not None},
        key=len,
        reverse=True,
    )
    taken: list[tuple[int, int, str]] = []
    for name in candidates:
        start = text.find(name)
        while start != -1:
            end = start + len(name)
            if not any(start < e and s < end for s, e, _ in taken):
                taken.append((start, end, name))
            start = text.find(name, start + 1)
    return sorted(taken)
