"""The checkers that apply rules: each takes a rule, the document and the shared
context, and yields findings. A rule's ``check`` field names its checker here.

Pure functions over a ``ProofDocument``; the one that needs the knowledge base
(figures) reaches it through the context's searcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from docx.shared import Length

from drafting.blocks import LINE_PITCH, PAGE_NUMBER_SIZE, STYLE_FONTS
from drafting.docx_render import PAGE_MARGINS, PAGE_SIZE
from drafting.proofread.rules import Rule
from drafting.proofread.types import Block, BlockRole, Finding, ProofDocument
from retrieval.types import Searcher
from textcore.headings import OUTLINE_LEVELS, HeadingNumber, format_number, heading_number
from textcore.numerals import parse_cn_numeral
from textcore.punct import CJK_RANGES, FULL_WIDTH, unpaired_marks
from textcore.sentences import split_sentences

__all__ = ["CHECKS", "Context", "quote_around"]

_QUOTE_CONTEXT = 8  # characters either side of a match: enough to find it again, short to read


def quote_around(text: str, start: int, end: int, *, context: int = _QUOTE_CONTEXT) -> str:
    """A short quote of ``text[start:end]`` with up to ``context`` characters around it."""
    return text[max(0, start - context) : min(len(text), end + context)]


@dataclass
class Context:
    """What several checks share, computed once per document: its outline and, for the
    figure check, the searcher and the lookup results."""

    document: ProofDocument
    searcher: Searcher | None = None
    max_figure_queries: int = 300
    notes: list[str] = field(default_factory=list)
    figures_checked: int = 0
    figure_verdicts: list | None = None

    @cached_property
    def text_blocks(self) -> tuple[Block, ...]:
        return self.document.blocks

    @cached_property
    def segments(self) -> list[list[tuple[Block, HeadingNumber]]]:
        """The headings of the main text and of each attachment, each numbered on its own.

        The main text ends at the 附件说明; each ``附件N`` line starts an attachment,
        whose own title follows it."""
        segments: list[list[tuple[Block, HeadingNumber]]] = [[]]
        counting = True
        for block in self.document.blocks:
            if block.role is not BlockRole.BODY:
                continue
            text = block.text.strip()
            if _ATTACHMENT_NOTE.match(text):
                counting = False
                continue
            if _ATTACHMENT_MARK.fullmatch(text):
                segments.append([])
                counting = True
                continue
            if not counting:
                continue
            number = heading_number(text)
            if number is not None:
                segments[-1].append((block, number))
        return segments


def _finding(
    rule: Rule,
    block: Block | None,
    quote: str,
    *,
    message: str | None = None,
    suggestion: str | None = None,
) -> Finding:
    return Finding(
        rule_id=rule.id,
        kind=rule.kind,
        severity=rule.severity,
        paragraph=block.index if block is not None else 0,
        quote=quote,
        message=message or rule.message,
        suggestion=suggestion,
    )


def _is_body_text(block: Block) -> bool:
    return block.role is not BlockRole.TITLE


# --- text rules ---------------------------------------------------------------------


def check_regex(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """``wrong`` found in a paragraph; ``right`` (a template) gives the correction."""
    for block in doc.blocks:
        for match in rule.pattern.finditer(block.text):
            quote = quote_around(block.text, match.start(), match.end())
            suggestion = None
            if rule.replacement is not None:
                fixed = match.expand(rule.replacement)
                suggestion = quote.replace(match.group(0), fixed, 1)
            yield _finding(rule, block, quote, suggestion=suggestion)


_CJK = f"[{CJK_RANGES}]"
_HALF_WIDTH = re.compile(
    rf"(?<={_CJK})[,;:?!](?=\s*[{CJK_RANGES}“‘（《\d])"
    rf"|(?<=[{CJK_RANGES}”’）》])[,;?!](?=\s*{_CJK})"
    rf"|(?<={_CJK}):"
    rf"|(?<={_CJK})\.(?={_CJK})"
    rf"|\((?=[^()]*{_CJK})[^()]*\)"
)


def check_halfwidth(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """Half-width , ; : ? ! . ( ) next to Chinese characters."""
    for block in doc.blocks:
        for match in _HALF_WIDTH.finditer(block.text):
            mark = match.group(0)
            # a full stop between Chinese characters is a 句号; "." has no entry in
            # FULL_WIDTH because in 1.5 or an item number 1. it stays half-width
            fixed = "（" + mark[1:-1] + "）" if mark.startswith("(") else FULL_WIDTH.get(mark, "。")
            quote = quote_around(block.text, match.start(), match.end())
            shown = fixed if len(fixed) == 1 else "（）"
            yield _finding(
                rule,
                block,
                quote,
                message=f"{rule.message}：“{mark if len(mark) == 1 else '()'}”应为“{shown}”",
                suggestion=quote.replace(mark, fixed, 1),
            )


def check_unpaired(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """Quotes, brackets and 书名号 that open without closing or close without opening."""
    for block in doc.blocks:
        for offset, mark in unpaired_marks(block.text):
            yield _finding(
                rule,
                block,
                quote_around(block.text, offset, offset + 1),
                message=f"{rule.message}：“{mark}”没有与之配对的符号",
            )


_DATE_SEPARATED = re.compile(r"(?<![\d.])((?:19|20)\d{2})([./-])(\d{1,2})\2(\d{1,2})(?![\d.])")
_DATE_PADDED = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?")


def check_date_format(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """2022.9.14, 2022-09-14 and 2022年09月 → 2022年9月14日."""
    for block in doc.blocks:
        text = block.text
        for match in _DATE_SEPARATED.finditer(text):
            year, _, month, day = match.groups()
            if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                continue
            fixed = f"{year}年{int(month)}月{int(day)}日"
            quote = quote_around(text, match.start(), match.end())
            yield _finding(rule, block, quote, suggestion=quote.replace(match.group(0), fixed, 1))
        for match in _DATE_PADDED.finditer(text):
            year, month, day = match.groups()
            if not (month.startswith("0") or (day or "").startswith("0")):
                continue
            fixed = f"{year}年{int(month)}月" + (f"{int(day)}日" if day else "")
            quote = quote_around(text, match.start(), match.end())
            yield _finding(rule, block, quote, suggestion=quote.replace(match.group(0), fixed, 1))


_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_DATE_CHINESE = re.compile(
    r"(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
    r"(?:(?P<d>[一二三四五六七八九十]{1,3})日)?"
)


def check_date_chinese_numerals(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """二〇二二年九月十四日 in the text (not the title) → 2022年9月14日."""
    for block in doc.blocks:
        if not _is_body_text(block):
            continue
        for match in _DATE_CHINESE.finditer(block.text):
            year = "".join(_CN_YEAR_DIGITS[c] for c in match["y"])
            month = parse_cn_numeral(match["m"])
            day = parse_cn_numeral(match["d"]) if match["d"] else None
            if month is None or not 1 <= month <= 12:
                continue
            fixed = f"{year}年{month}月" + (f"{day}日" if day else "")
            quote = quote_around(block.text, match.start(), match.end())
            yield _finding(rule, block, quote, suggestion=quote.replace(match.group(0), fixed, 1))


# A quantity: the number, then a measure word or unit (not a code, year or phone number).
_QUANTITY_UNITS = (
    "人次|户次|平方米|平方公里|万元|亿元|公里|千米|小时|人|名|户|元|个|次|册|件|份|套|间|"
    "场|家|项|条|台|辆|吨|米|亩|株|棵|本|篇|位|余|多"
)
_LARGE_NUMBER = re.compile(rf"(?<![\d,.A-Za-z])(\d{{5,}})(?=(?:{_QUANTITY_UNITS}))")


def _group_thousands(digits: str) -> str:
    return f"{int(digits):,}"


def check_thousands(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """12800人次 → 12,800人次: quantities of five digits or more are grouped in threes."""
    for block in doc.blocks:
        for match in _LARGE_NUMBER.finditer(block.text):
            digits = match.group(1)
            quote = quote_around(block.text, match.start(), match.end())
            yield _finding(
                rule, block, quote, suggestion=quote.replace(digits, _group_thousands(digits), 1)
            )


_WAN_OVER_YI = re.compile(r"(?<![\d.,])(\d{5,}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?)万")
_WAN_QIAN = re.compile(r"(?<![\d.])(\d+)万(\d)千")


def _trim_decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def check_wan_yi(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """12000万 → 1.2亿 (a figure of ten thousand 万 or more is written in 亿);
    3万5千 → 3.5万 (one unit per figure)."""
    for block in doc.blocks:
        text = block.text
        for match in _WAN_OVER_YI.finditer(text):
            value = float(match.group(1).replace(",", "")) / 10_000
            fixed = f"{_trim_decimal(value)}亿"
            quote = quote_around(text, match.start(), match.end())
            yield _finding(
                rule,
                block,
                quote,
                message=f"{rule.message}：一万万以上用“亿”",
                suggestion=quote.replace(match.group(0), fixed, 1),
            )
        for match in _WAN_QIAN.finditer(text):
            fixed = f"{match.group(1)}.{match.group(2)}万"
            quote = quote_around(text, match.start(), match.end())
            yield _finding(
                rule,
                block,
                quote,
                message=f"{rule.message}：一个数字只用一个单位",
                suggestion=quote.replace(match.group(0), fixed, 1),
            )


# --- structure --------------------------------------------------------------------

_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[：:]")
_ATTACHMENT_MARK = re.compile(r"附\s*件\s*(\d{0,2})")
_LIST_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*")


def check_heading_marker(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """一. （一) 1、 → 一、 （一） 1.: the marker written the standard way."""
    for segment in ctx.segments:
        for block, number in segment:
            if number.marker != number.canonical:
                yield _finding(
                    rule,
                    block,
                    quote_around(block.text, 0, len(number.marker)),
                    message=f"{rule.message}：“{number.marker}”应为“{number.canonical}”",
                    suggestion=number.canonical + number.rest[:_QUOTE_CONTEXT],
                )


def _outline_marker(level: int, value: int) -> str:
    """The standard marker of ``value`` at outline ``level`` 1..4: 3 → 三、 / （三） / 3. / （3）."""
    return format_number(OUTLINE_LEVELS[level - 1], value)


def check_heading_skip(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """A heading more than one level below the one before it (一、 then 1.)."""
    for segment in ctx.segments:
        if not segment:
            continue
        # A document that starts at 1. (a short notice) is not skipping 一、 and （一）.
        top = min(number.level for _, number in segment)
        current = top - 1
        for block, number in segment:
            if number.level > current + 1:
                expected = _outline_marker(current + 1, 1)
                yield _finding(
                    rule,
                    block,
                    quote_around(block.text, 0, len(number.marker)),
                    message=f"{rule.message}（此处应先有“{expected}”一级）",
                )
            current = number.level


def check_heading_sequence(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """Numbers at one level under one parent run 1, 2, 3 …: none repeated, none missing."""
    for segment in ctx.segments:
        last: dict[int, int] = {}
        for block, number in segment:
            for deeper in [level for level in last if level > number.level]:
                del last[deeper]
            expected = last.get(number.level, 0) + 1
            last[number.level] = number.value
            if number.value == expected:
                continue
            problem = (
                "重复"
                if number.value < expected
                else f"缺少“{_outline_marker(number.level, expected)}”"
            )
            yield _finding(
                rule,
                block,
                quote_around(block.text, 0, len(number.marker)),
                message=f"{rule.message}：“{number.marker}”序号{problem}",
                suggestion=_outline_marker(number.level, expected) + number.rest[:_QUOTE_CONTEXT],
            )
            last[number.level] = expected if number.value < expected else number.value


def check_heading_stop(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """A heading of ``level`` that stands alone on its line ends without a full stop."""
    level = int(rule.params["level"])
    for segment in ctx.segments:
        for block, number in segment:
            if number.level != level:
                continue
            rest = number.rest.rstrip()
            if not rest.endswith("。"):
                continue
            if len(split_sentences(rest)) > 1:
                continue  # text follows on the same line: the stop separates it
            yield _finding(
                rule,
                block,
                quote_around(block.text, len(block.text.rstrip()) - 1, len(block.text.rstrip())),
                suggestion=(number.marker + rest[:-1])[-2 * _QUOTE_CONTEXT :],
            )


def _attachment_note(doc: ProofDocument) -> tuple[list[tuple[Block, str]], int] | None:
    """The items of the 附件说明 as (block, text as written), and its position."""
    blocks = doc.blocks
    for position, block in enumerate(blocks):
        match = _ATTACHMENT_NOTE.match(block.text.strip())
        if not match or block.role is not BlockRole.BODY:
            continue
        items = [(block, block.text.strip()[match.end() :].strip())]
        for follower in blocks[position + 1 :]:
            if not _LIST_ITEM.match(follower.text):
                break
            items.append((follower, follower.text.strip()))
        return items, position
    return None


def _attached(doc: ProofDocument, after: int) -> list[tuple[Block, str]]:
    """(marker block, title) of each attachment appended after the note: a line
    ``附件`` or ``附件N`` followed by the attachment's title."""
    found = []
    blocks = doc.blocks
    for position in range(after + 1, len(blocks)):
        if _ATTACHMENT_MARK.fullmatch(blocks[position].text.strip()):
            title = blocks[position + 1].text.strip() if position + 1 < len(blocks) else ""
            found.append((blocks[position], title))
    return found


def _item_name(item: str) -> str:
    return _LIST_ITEM.sub("", item).strip().rstrip("。；;，,.")


def check_attachment_list(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """The 附件说明 lists what is attached: the same number of items and the same names."""
    note = _attachment_note(doc)
    attached = _attached(doc, note[1] if note else -1)
    if note is None:
        if attached:
            block, _ = attached[0]
            yield _finding(rule, block, block.text, message=f"{rule.message}：正文后缺少附件说明")
        return
    items, _ = note
    names = [_item_name(text) for _, text in items if _item_name(text)]
    if not attached:
        return  # the attachments may be separate files
    if len(names) != len(attached):
        block = items[0][0]
        yield _finding(
            rule,
            block,
            block.text[: 2 * _QUOTE_CONTEXT],
            message=f"{rule.message}：附件说明列出{len(names)}个附件，文末附有{len(attached)}个",
        )
    for (block, _), name, (_mark, title) in zip(items, names, attached, strict=False):
        if title and name != title:
            yield _finding(
                rule,
                block,
                name,
                message=f"{rule.message}：附件说明为“{name}”，所附附件标题为“{title}”",
                suggestion=title,
            )


def check_attachment_punct(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """附件名称后不加标点; more than one attachment is numbered 1. 2. …"""
    note = _attachment_note(doc)
    if note is None:
        return
    items, _ = note
    items = [(block, text) for block, text in items if text]
    for block, text in items:
        if text[-1:] in "。；;，,.：:":
            yield _finding(
                rule,
                block,
                text[-2 * _QUOTE_CONTEXT :],
                message=f"{rule.message}：名称后不加“{text[-1]}”",
                suggestion=text[:-1][-2 * _QUOTE_CONTEXT :],
            )
    if len(items) > 1 and not all(_LIST_ITEM.match(text) for _, text in items):
        block = items[0][0]
        yield _finding(rule, block, items[0][1][: 2 * _QUOTE_CONTEXT])


# --- 版记 -------------------------------------------------------------------------

_CC_LINE = re.compile(r"^\s*抄\s*送\s*[：:]\s*(?P<rest>.+)$")


def check_cc_line(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """抄送：甲，乙。 — commas between the organisations, a full stop after the last."""
    for block in doc.blocks:
        match = _CC_LINE.match(block.text)
        if not match:
            continue
        rest = match["rest"].strip()
        names = [n.strip() for n in re.split(r"[，,、；;]", rest.rstrip("。.")) if n.strip()]
        fixed = "抄送：" + "，".join(names) + "。"
        if block.text.strip() != fixed:
            yield _finding(rule, block, block.text.strip()[: 3 * _QUOTE_CONTEXT], suggestion=fixed)


# --- layout -----------------------------------------------------------------------


def _mm(length: Length) -> float:
    return round(length.mm, 1)


def check_paper(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    layout = doc.layout
    if layout is None:
        return
    width, height = (_mm(x) for x in PAGE_SIZE)
    tolerance = float(rule.params.get("tolerance_mm", 1.0))
    if abs(layout.width_mm - width) > tolerance or abs(layout.height_mm - height) > tolerance:
        yield _finding(
            rule,
            None,
            f"{layout.width_mm:.0f} mm × {layout.height_mm:.0f} mm",
            message=f"{rule.message}，本文档为 {layout.width_mm:.1f} mm × {layout.height_mm:.1f} mm",
            suggestion=f"{width:.0f} mm × {height:.0f} mm",
        )


def check_margins(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    layout = doc.layout
    if layout is None:
        return
    expected = [_mm(x) for x in PAGE_MARGINS]
    actual = [layout.top_mm, layout.bottom_mm, layout.left_mm, layout.right_mm]
    tolerance = float(rule.params.get("tolerance_mm", 1.0))
    if any(abs(a - e) > tolerance for a, e in zip(actual, expected, strict=True)):
        shown = "、".join(f"{side}{a:.1f} mm" for side, a in zip("上下左右", actual, strict=True))
        yield _finding(
            rule,
            None,
            shown,
            message=f"{rule.message}，本文档为{shown}",
            suggestion="、".join(
                f"{side}{e:.0f} mm" for side, e in zip("上下左右", expected, strict=True)
            ),
        )


_FONT_FAMILIES = (
    ("小标宋", ("小标宋",)),
    ("仿宋", ("仿宋", "fangsong")),
    ("楷体", ("楷体", "kaiti", "楷")),
    ("黑体", ("黑体", "simhei")),
    ("宋体", ("宋体", "simsun")),
)


def _font_family(name: str | None) -> str | None:
    if not name:
        return None
    lowered = name.lower()
    for family, needles in _FONT_FAMILIES:
        if any(n in lowered for n in needles):
            return family
    return lowered


def _expected(style: str) -> tuple[str, float]:
    font, size = STYLE_FONTS[style]
    return font, size.pt


def _font_problems(block: Block, style: str) -> list[str]:
    font, size = _expected(style)
    problems = []
    if block.east_asia_font is not None and _font_family(block.east_asia_font) != _font_family(
        font
    ):
        problems.append(f"字体为{block.east_asia_font}（应为{font}）")
    if block.size_pt is not None and abs(block.size_pt - size) > 0.25:
        problems.append(f"字号为{block.size_pt:g}磅（应为{size:g}磅）")
    return problems


def _report_blocks(
    rule: Rule, offending: Sequence[tuple[Block, list[str]]], what: str
) -> Iterator[Finding]:
    """One finding for the first offending paragraph, with how many there are: a
    document set in the wrong font would otherwise get one finding per paragraph."""
    if not offending:
        return
    block, problems = offending[0]
    more = f"，共{len(offending)}段" if len(offending) > 1 else ""
    yield _finding(
        rule,
        block,
        block.text[: 2 * _QUOTE_CONTEXT],
        message=f"{rule.message}：{what}{'，'.join(problems)}{more}",
    )


def _layout_blocks(doc: ProofDocument) -> Iterator[tuple[Block, HeadingNumber | None]]:
    if doc.layout is None:
        return
    for block in doc.blocks:
        if block.role is BlockRole.BODY and not block.centred:
            yield block, heading_number(block.text)


def check_title_font(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    if doc.layout is None:
        return
    titles = [b for b in doc.blocks if b.role is BlockRole.TITLE]
    offending = [(b, p) for b in titles[:1] if (p := _font_problems(b, "KB Title"))]
    yield from _report_blocks(rule, offending, "标题")


def check_body_font(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    offending = [
        (block, problems)
        for block, number in _layout_blocks(doc)
        if (number is None or number.level > 2) and (problems := _font_problems(block, "KB Body"))
    ]
    yield from _report_blocks(rule, offending, "正文")


def check_heading_font(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    styles = {1: "KB Heading 1", 2: "KB Heading 2"}
    offending = [
        (block, problems)
        for block, number in _layout_blocks(doc)
        if number is not None
        and number.level in styles
        and len(split_sentences(number.rest)) <= 1
        and (problems := _font_problems(block, styles[number.level]))
    ]
    yield from _report_blocks(rule, offending, "标题层次")


def check_line_spacing(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    tolerance = float(rule.params.get("tolerance_pt", 2.0))
    pitch = LINE_PITCH.pt
    offending = []
    for block, _ in _layout_blocks(doc):
        if block.line_rule is None:
            continue
        if block.line_rule == "multiple" or block.line_spacing_pt is None:
            offending.append((block, ["为多倍行距"]))
        elif abs(block.line_spacing_pt - pitch) > tolerance:
            offending.append((block, [f"为{block.line_spacing_pt:g}磅"]))
    yield from _report_blocks(rule, offending, "行距")


_PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


def check_page_number(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    layout = doc.layout
    if layout is None:
        return
    if layout.page_number is None:
        yield _finding(rule, None, "页脚", message=f"{rule.message}：页脚中没有页码")
        return
    problems = []
    if not _PAGE_NUMBER.match(layout.page_number):
        problems.append(f"页码为“{layout.page_number.strip()}”")
    size = layout.page_number_size_pt
    if size is not None and abs(size - PAGE_NUMBER_SIZE.pt) > 0.25:
        problems.append(f"页码字号为{size:g}磅")
    if problems:
        yield _finding(
            rule,
            None,
            layout.page_number.strip(),
            message=f"{rule.message}：{'，'.join(problems)}",
            suggestion="— 1 —",
        )


def check_figures(rule: Rule, doc: ProofDocument, ctx: Context) -> Iterator[Finding]:
    """Figures compared with the knowledge base (drafting/proofread/figures.py)."""
    from drafting.proofread.figures import figure_findings

    yield from figure_findings(rule, doc, ctx)


CHECKS: dict[str, Callable[[Rule, ProofDocument, Context], Iterator[Finding]]] = {
    "regex": check_regex,
    "halfwidth": check_halfwidth,
    "unpaired": check_unpaired,
    "date_format": check_date_format,
    "date_chinese_numerals": check_date_chinese_numerals,
    "thousands": check_thousands,
    "wan_yi": check_wan_yi,
    "heading_marker": check_heading_marker,
    "heading_skip": check_heading_skip,
    "heading_sequence": check_heading_sequence,
    "heading_stop": check_heading_stop,
    "attachment_list": check_attachment_list,
    "attachment_punct": check_attachment_punct,
    "cc_line": check_cc_line,
    "paper": check_paper,
    "margins": check_margins,
    "title_font": check_title_font,
    "body_font": check_body_font,
    "heading_font": check_heading_font,
    "line_spacing": check_line_spacing,
    "page_number": check_page_number,
    "figures": check_figures,
}
