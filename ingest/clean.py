"""Boilerplate removal: the article's text without the web page around it.

Articles saved from news sites and government portals arrive wrapped in
navigation bars, breadcrumbs, "news ranking" lists, login boxes, licence/ICP
footers, photo captions and credits, and sometimes a second, unrelated article
glued to the end. Everything here works line by line on plain text (HTML is
first reduced to text by trafilatura, or readability-lxml when that fails), so
the same rules serve .txt files copied from a browser and real .html pages.

The rules are deliberately conservative about body text: a line that ends a
sentence (。！？) is only dropped when it is clearly a footer, and headings
(一、 （一） —— or short unpunctuated lines between paragraphs) are kept.
Office formats (docx, doc, wps) are authored documents, not web pages, so they
only get whitespace normalisation.

Pure functions: text in, text out; no I/O.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingest.encoding import normalize_newlines
from textcore import (
    BRACKET_PAIRS,
    COUNTY_OR_ABOVE,
    Numbering,
    ends_sentence,
    heading_mark,
    is_cjk,
    region_spans,
    starts_with_place,
    strip_unit_suffix,
)

logger = logging.getLogger(__name__)

__all__ = ["clean_html", "clean_text", "html_to_text", "is_heading_line", "page_text"]

WEB_FORMATS = frozenset({"txt", "md", "html", "pdf"})

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_WS = re.compile(r"[ \t\u3000\xa0]+")

_BREADCRUMB = re.compile(
    r"^(您|你)?(当前|现在|目前)?的?(所在)?(位置|位置是)\s*[:：]|首页\s*(>|>>|›|»|＞)"
)
_FOOTER = re.compile(
    r"许可证|备案号|备案编号|ICP|举报电话|举报邮箱|违法和不良信息|法律顾问|版权所有|版权声明"
    r"|Copyright|©|All Rights Reserved|邮编\s*[:：]|传真\s*[:：]|网络服务\s*[:：]|业务咨询"
    r"|主办单位|承办单位|技术支持\s*[:：]|联系我们|广告服务|关于我们|网站地图|免责声明|公网安备",
    re.IGNORECASE,
)
_LOGIN = re.compile(r"用户名|密\s*码\s*[:：]|验证码|忘记密码|立即注册|登录\s*[:：]?$|^登录|登录 ")
_SECTION_WORDS = re.compile(
    r"^(.{0,6}新闻排行|.{0,6}排行榜?|相关新闻|相关阅读|相关链接|相关文章|热点新闻|热门推荐|热门新闻"
    r"|推荐阅读|精彩推荐|精彩图片.*|猜你喜欢|延伸阅读|往期回顾|返回顶部|返回首页|打印本页|打印本文"
    r"|关闭窗口|【?关闭】?|分享到.*|上一篇.*|下一篇.*|责任编辑.*|编辑\s*[:：].*|来源\s*[:：].*"
    r"|扫一扫.*|点击查看.*|更多>*|更多新闻.*)$"
)
_BULLET = re.compile(r"^[•·●◆◇▪▫□►▶○◎※\-*]\s*")
_LINK_ITEM = re.compile(r"(【(组图|图|视频|图文|专题)】|\[(组图|图)\]|（组图）|\(组图\))$")
_BYLINE = re.compile(
    r"^[■●◆▲□]?\s*(文\s*[/／|｜]|文\s*[:：]|图\s*[/／]|图文\s*[/／]|作者\s*[:：]|来源\s*[:：]"
    r"|(本报|特约|见习)?记者|通讯员|责任编辑|编辑\s*[:：]|审核\s*[:：]|校对\s*[:：]|撰稿|供稿)"
    r"|^[■●◆▲□]\s*\S{0,14}(记者|通讯员)"
    r"|^\S{0,14}(记者|通讯员)\s*[:：]?\s*[\u4e00-\u9fff]{1,3}(\s|$)"
)
_CREDIT = re.compile(
    r"(供图|供稿|摄|摄影|摄影报道|图片来源.*|图源.*|资料图.*)$|^(图片来源|图源|摄影)\s*[:：]"
)
_EVENT_CAPTION = re.compile(
    r"(仪式|活动|汇演|演出|展厅|展馆|现场|合影|合影留念|留影|座谈会|启动会|推进会|培训班|观摩学习"
    r"|参观学习|揭牌|心愿墙|服务中心|晚会|比赛|宣讲|慰问|调研|走访|风采|一角|掠影|剪影)$"
)
_YEAR = re.compile(r"(19|20)\d{2}年")


@dataclass
class _Line:
    text: str
    blank_before: int
    blank_after: int = 0
    md_heading: bool = False
    keep: bool = True
    reason: str = ""


def clean_text(text: str, *, fmt: str) -> str:
    """Return the body of ``text`` with web boilerplate removed, one paragraph per line.

    ``fmt`` is the source format (``txt``, ``md``, ``html``, ``pdf``, ``docx``,
    ``doc``, ``wps``). Web-style rules (navigation, footers, rankings, captions,
    credits, an unrelated trailing article) apply to txt/md/html/pdf; office
    formats only get whitespace and blank-line normalisation.
    """
    lines = _split_lines(normalize_newlines(text), markdown=fmt != "docx")
    if fmt in WEB_FORMATS:
        _drop_boilerplate(lines)
        _drop_bullet_runs(lines)
        _drop_captions(lines)
        kept = [ln for ln in lines if ln.keep]
        kept = _drop_unrelated_tail(kept)
        paragraphs = _join_broken_lines(kept)
    else:
        paragraphs = [ln.text for ln in lines]
    for ln in lines:
        if not ln.keep:
            logger.debug("dropped (%s): %s", ln.reason, ln.text[:40])
    return "\n".join(p for p in paragraphs if p)


def html_to_text(html: str) -> str:
    """Reduce an HTML page to its main text, one block per line (not yet cleaned).

    trafilatura, tuned for precision, does the work; when its output is empty or
    mostly link texts / table cells (it picked a menu or a link list), the page is
    read again with readability-lxml.
    """
    import trafilatura

    extracted = (
        trafilatura.extract(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            deduplicate=False,
            output_format="txt",
        )
        or ""
    )
    if extracted.strip() and not _link_or_table_heavy(extracted, html):
        return extracted
    logger.info("trafilatura output empty or link-heavy; falling back to readability")
    fallback = _readability_text(html)
    return fallback if fallback.strip() else extracted


def clean_html(html: str) -> str:
    """Main text of an HTML page with the plain-text boilerplate rules applied."""
    return clean_text(html_to_text(html), fmt="html")


def is_heading_line(line: str) -> bool:
    """Whether ``line`` looks like a heading: numbered (一、 （一） ——) or short without a sentence end."""
    line = line.strip()
    if not line:
        return False
    if _numbered(line) and len(line) <= 60:
        return True
    return len(line) <= 40 and not ends_sentence(line)


# -- line model --------------------------------------------------------------


def _split_lines(text: str, *, markdown: bool) -> list[_Line]:
    lines: list[_Line] = []
    blanks = 0
    for raw in text.split("\n"):
        line = _WS.sub(" ", raw).strip()
        md_heading = False
        if markdown:
            mark = heading_mark(line)
            if mark is not None and mark.kind is Numbering.MARKDOWN:
                line = line[mark.end :].strip()
                md_heading = True
            line = _MD_IMAGE.sub("", line)
            line = _MD_LINK.sub(r"\1", line)
            line = _MD_EMPHASIS.sub(r"\2", line).strip()
        if not line:
            blanks += 1
            continue
        if lines:
            lines[-1].blank_after = blanks
        lines.append(_Line(line, blank_before=blanks if lines else 99, md_heading=md_heading))
        blanks = 0
    if lines:
        lines[-1].blank_after = 99
    return lines


def _numbered(line: str) -> bool:
    """Whether ``line`` starts with structural numbering (一、 （一） 1. 第X条 ① ——)."""
    mark = heading_mark(line)
    return mark is not None and mark.kind is not Numbering.MARKDOWN


def _is_structural_heading(ln: _Line) -> bool:
    return ln.md_heading or _numbered(ln.text)


def _drop(ln: _Line, reason: str) -> None:
    ln.keep = False
    ln.reason = reason


# -- rules -------------------------------------------------------------------


def _drop_boilerplate(lines: list[_Line]) -> None:
    for ln in lines:
        reason = _boilerplate_reason(ln.text)
        if reason:
            _drop(ln, reason)


def _boilerplate_reason(text: str) -> str:
    ends = ends_sentence(text)
    if _is_nav_bar(text):
        return "navigation"
    if _BREADCRUMB.search(text):
        return "breadcrumb"
    footer_words = {m.group(0) for m in _FOOTER.finditer(text)}
    # A sentence may mention a 许可证 or a 举报电话; a footer is a list of them.
    if footer_words and (not ends or (len(footer_words) >= 2 and "，" not in text)):
        return "footer"
    if _LOGIN.search(text) and len(text) <= 60 and not ends:
        return "login"
    if len(text) <= 16 and _SECTION_WORDS.match(text.strip("·• ")):
        return "section label"
    if len(text) <= 12 and "·" in text and not ends:
        return "channel label"
    if _LINK_ITEM.search(text) and len(text) <= 50:
        return "link item"
    if len(text) <= 50 and not ends and _BYLINE.search(text):
        return "byline"
    if len(text) <= 40 and not ends and _CREDIT.search(text):
        return "photo credit"
    return ""


def _is_nav_bar(text: str) -> bool:
    if ends_sentence(text) or "，" in text or "。" in text:
        return False
    items = [i.strip() for i in re.split(r"[|｜]", text) if i.strip()]
    if len(items) >= 3 and all(len(i) <= 10 for i in items):
        return True
    tokens = text.split(" ")
    # Table rows ("武汉路社区 320 12") carry numbers; menus and name lists do not.
    return (
        len(tokens) >= 3
        and all(len(t) <= 6 for t in tokens)
        and not any(t.isdigit() for t in tokens)
    )


def _drop_bullet_runs(lines: list[_Line]) -> None:
    """Drop runs of two or more short bullet lines: related links and rankings."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _BULLET.match(lines[j].text) and len(lines[j].text) <= 60:
            j += 1
        if j - i >= 2:
            for ln in lines[i:j]:
                _drop(ln, "link list")
        i = max(j, i + 1)


def _drop_captions(lines: list[_Line]) -> None:
    kept = [ln for ln in lines if ln.keep]
    if not kept:
        return
    first = kept[0]
    typical_gap = _typical_gap(kept)
    for ln in kept:
        if ln is first or _is_structural_heading(ln):
            continue
        text = ln.text
        short_unpunctuated = len(text) <= 60 and not ends_sentence(text)
        if (
            short_unpunctuated
            and _EVENT_CAPTION.search(text)
            and (
                starts_with_place(text)
                or _YEAR.search(text)
                or "领导" in text
                or _isolated(ln, typical_gap)
            )
        ):
            _drop(ln, "photo caption")
        elif short_unpunctuated and len(text) <= 40 and _isolated(ln, typical_gap):
            _drop(ln, "isolated caption")
    # A short line right above a dropped credit ("…供图", "…摄") is that photo's caption.
    for prev, ln in zip(lines, lines[1:], strict=False):
        if (
            ln.reason == "photo credit"
            and prev.keep
            and prev is not first
            and len(prev.text) <= 40
            and prev.blank_after == 0
            and not _is_structural_heading(prev)
        ):
            _drop(prev, "photo caption")


def _typical_gap(lines: list[_Line]) -> int:
    gaps = [ln.blank_before for ln in lines[1:]]
    if not gaps:
        return 0
    return sorted(gaps)[len(gaps) // 2]


def _isolated(ln: _Line, typical_gap: int) -> bool:
    """Set apart by more blank lines than the text's paragraphs are."""
    before = ln.blank_before > typical_gap
    after = ln.blank_after > typical_gap and ln.blank_after != 99
    return (before or after) and typical_gap >= 1


# Longest text whose trailing article is looked for (place-name tagging runs ~60 KB/s).
_MAX_TAIL_CHECK_CHARS = 200_000


def _drop_unrelated_tail(lines: list[_Line]) -> list[_Line]:
    """Cut a trailing article that shares no place names with the main one.

    News pages often append the next article: a short title line and a few
    paragraphs about somewhere else. A trailing section is dropped only when it
    names another city or district and none of its places (nor the main
    title's) occur in the rest.
    """
    if len(lines) < 4:
        return lines
    text = "\n".join(ln.text for ln in lines)
    if len(text) > _MAX_TAIL_CHECK_CHARS:
        # Appended articles are a web-page habit; a book-length text is not a news
        # page, and tagging its place names would cost minutes.
        return lines
    offsets = []
    pos = 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln.text) + 1
    spans = region_spans(text)
    title_regions = {name for start, _end, name in spans if start < len(lines[0].text)}
    total = len(text)
    for idx in range(len(lines) - 2, 0, -1):
        cut = offsets[idx]
        if total - cut > 0.4 * total:
            break
        ln = lines[idx]
        if ends_sentence(ln.text) or len(ln.text) > 40 or _numbered(ln.text):
            continue
        if not _looks_like_article(lines[idx + 1 :]):
            continue
        tail = text[cut:]
        tail_regions = {name for start, _end, name in spans if start >= cut}
        main_regions = {name for start, _end, name in spans if start < cut}
        # Another city or district, and nothing shared: a section about one of the
        # main article's own communities names only 社区/街道 that belong to it.
        foreign = {r for r in tail_regions - main_regions if r.endswith(COUNTY_OR_ABOVE)}
        related = tail_regions & main_regions or any(
            strip_unit_suffix(r) in tail
            for r in title_regions
            if len(strip_unit_suffix(r)) >= 2
        )
        if foreign and not related:
            for dropped in lines[idx:]:
                _drop(dropped, "unrelated trailing article")
            logger.info("dropping unrelated trailing section from %r", ln.text)
            return _drop_unrelated_tail(lines[:idx])
    return lines


def _looks_like_article(body: list[_Line]) -> bool:
    """At least one real paragraph: long and ending a sentence."""
    return any(len(ln.text) >= 50 and ends_sentence(ln.text) for ln in body)


def _join_broken_lines(lines: list[_Line]) -> list[str]:
    """Rejoin paragraphs that a copy/paste or PDF export broke mid-sentence."""
    out: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        if (
            prev is not None
            and out
            and _continues(prev, ln, first=len(out) == 1 and prev is lines[0])
        ):
            out[-1] += ln.text
        else:
            out.append(ln.text)
        prev = ln
    return out


def _continues(prev: _Line, ln: _Line, *, first: bool) -> bool:
    if first or prev.md_heading or ln.md_heading:
        return False
    if _numbered(ln.text) or _numbered(prev.text):
        return False
    a = prev.text
    if ends_sentence(a) or a[-1] in "：:”’」』》)）":
        return False
    if not (is_cjk(ln.text[0]) or ln.text[0].isalnum() or ln.text[0] in "“《（("):
        return False
    return len(a) >= 25 or a[-1] in "，、,（(“‘《" or _unbalanced(a)


def _unbalanced(text: str) -> bool:
    return any(text.count(o) > text.count(c) for o, c in BRACKET_PAIRS)


# -- HTML --------------------------------------------------------------------


def _link_or_table_heavy(extracted: str, html: str) -> bool:
    import lxml.html

    lines = [ln.strip() for ln in extracted.splitlines() if ln.strip()]
    if not lines:
        return True
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return False
    anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    anchors.discard("")
    total = sum(len(ln) for ln in lines)
    in_links = sum(len(ln) for ln in lines if ln in anchors)
    in_tables = sum(len(ln) for ln in lines if ln.count("|") >= 2)
    return in_links > 0.5 * total or in_tables > 0.5 * total


_BLOCK_TAGS = {
    "p", "div", "section", "article", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "td", "th", "dd", "dt", "figcaption", "table", "ul", "ol",
}  # fmt: skip


def page_text(html: str) -> str:
    """All visible text of an HTML page, one block per line (menus and footers included)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    return _tree_text(tree)


def _tree_text(tree) -> str:
    for bad in tree.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    parts: list[str] = []
    _collect_text(tree, parts)
    text = "".join(parts)
    return "\n".join(" ".join(ln.split()) for ln in text.splitlines() if ln.strip())


def _readability_text(html: str) -> str:
    import lxml.html
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
        tree = lxml.html.fromstring(summary)
    except Exception as exc:  # readability raises bare Exceptions on odd markup
        logger.info("readability failed: %s", exc)
        return ""
    return _tree_text(tree)


def _collect_text(el, parts: list[str]) -> None:
    """Text of ``el`` in document order, with a line break around every block."""
    block = isinstance(el.tag, str) and el.tag in _BLOCK_TAGS
    if block or el.tag == "br":
        parts.append("\n")
    if isinstance(el.tag, str) and el.text:
        parts.append(el.text)
    for child in el:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")
