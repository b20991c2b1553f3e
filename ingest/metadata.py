"""Document metadata from text: title, date, source/author, regions, document type.

Heuristics tuned on Chinese news articles and official documents (公文): the
title is the first heading-like line (or what the container says), the date is
a full date near the top (dateline, breadcrumb) or the bottom (落款), the
source/author comes from bylines such as "文/…", "通讯员: …", "■…记者 …" or
"…讯", and the document type from words in the title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath

from ingest.types import DocumentMetadata
from textcore import SENTENCE_ENDS, find_regions

__all__ = ["extract_metadata", "clean_title"]

_HEAD_LINES = 8
_TAIL_LINES = 6
_FULL_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2})(?!\d))"
)
_MONTH_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)|-(\d{1,2})(?![-\d]))"
)
_SITE_SUFFIX = re.compile(
    r"\s*(?:[_|｜\-—–]+\s*)[^_|｜\-—–]{1,20}(网|站|频道|首页|新闻|政府|门户|平台)\s*$"
)
_TITLE_SEP = re.compile(r"\s*[_|｜]\s*")

_SOURCE_WEN = re.compile(r"^\s*文\s*[/／|｜:：]\s*(\S[^\n]{0,40}?)\s*$", re.M)
_REPORTER = re.compile(
    r"^[■●◆▲□]?[ \t　]*(?P<source>[\u4e00-\u9fff]{2,12}?)?(?:本报|特约|见习)?记者[ \t　]*[:：]?[ \t　]*"
    r"(?P<name>[\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff]){1,3})(?=[ \t　]|$)",
    re.M,
)
_CORRESPONDENT = re.compile(r"通讯员\s*[:：]?\s*(?P<name>[\u4e00-\u9fff]{2,4})")
_AUTHOR_LABEL = re.compile(r"(?:作者|撰稿)\s*[:：]\s*(?P<name>[\u4e00-\u9fff]{2,4})")
_SOURCE_LABEL = re.compile(r"来源\s*[:：]\s*(?P<source>[^\s，。|]{2,30})")
_NEWS_AGENCY = re.compile(
    r"^\s*(?P<source>[\u4e00-\u9fffA-Za-z·\-—]{2,20}?)(?:讯|消息)(?=[\s　（(]|$)", re.M
)
_BREADCRUMB_SITE = re.compile(r"位置\s*[:：]\s*(?P<site>[^\s>»›]{2,12}?)\s*(?:>|»|›)")
_NAMES_LINE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3})(?:\s+[\u4e00-\u9fff]{2,3}){1,4}$")

_DOC_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("summary", re.compile(r"总结|小结|述评")),
    ("plan", re.compile(r"方案|计划|规划|安排|预案|要点")),
    ("notice", re.compile(r"通知|通告|公告|公示|启事|通报")),
    ("policy", re.compile(r"意见|办法|规定|条例|细则|制度|决定|规则|守则|章程")),
    ("report", re.compile(r"报告|汇报|述职|调研报告|情况说明")),
)
_NEWS_SIGNALS = re.compile(
    r"记者|通讯员|讯\s|网讯|报道|新闻|纪实|日报|晚报|^文\s*[/／]|位置\s*[:：]", re.M
)


_MAX_REGION_CHARS = 200_000


def extract_metadata(
    text: str, *, filename: str, raw_hints: Mapping[str, object] | None = None
) -> DocumentMetadata:
    """Build :class:`DocumentMetadata` for a cleaned document.

    ``text`` is the cleaned body. ``raw_hints`` may carry what the container
    knows: ``title`` (HTML ``<title>``, docx core title), ``date``, ``author``,
    ``source``/``sitename``, and ``raw_text`` (the text before cleaning, where
    bylines and datelines that cleaning removed are still present).
    """
    hints = dict(raw_hints or {})
    raw_text = str(hints.get("raw_text") or text)
    file_type = _file_type(filename)
    title = _title(text, hints, filename)
    date = _date(raw_text, hints, filename)
    source, author = _source_and_author(raw_text, hints)
    # Place names of a very long text are read from its beginning: tagging runs at
    # ~60 KB/s, and the places a document is about are named early.
    regions = tuple(find_regions(text[:_MAX_REGION_CHARS]))
    doc_type = _doc_type(title, raw_text, source)
    return DocumentMetadata(
        title=title,
        date=date,
        source=source,
        author=author,
        regions=regions,
        doc_type=doc_type,
        file_type=file_type,
    )


def clean_title(title: str) -> str:
    """Strip site suffixes ("…_洛阳网", "… - 新华网", "…|县区频道") and extra spaces."""
    title = " ".join(title.split())
    # PDFs printed from Word carry "Microsoft Word - 文件名.docx" as their title.
    title = re.sub(r"^Microsoft (Word|Office Word)\s*-\s*", "", title)
    title = re.sub(r"\.(docx?|wps|pdf|txt)$", "", title, flags=re.I)
    previous = None
    while previous != title:
        previous = title
        title = _SITE_SUFFIX.sub("", title)
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1:  # "正文标题_频道_站点": the longest part is the article's title
        title = max(parts, key=len)
    return title.strip(" -—_|")


def _file_type(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    return {"htm": "html", "markdown": "md", "text": "txt"}.get(suffix, suffix or "txt")


def _title(text: str, hints: Mapping[str, object], filename: str) -> str:
    hinted = hints.get("title")
    if isinstance(hinted, str) and clean_title(hinted):
        return clean_title(hinted)
    for line in text.splitlines()[:3]:
        line = line.strip().lstrip("#").strip()
        if 4 <= len(line) <= 80 and line[-1] not in SENTENCE_ENDS:
            return clean_title(line)
    return PurePath(filename).stem


def _date(raw_text: str, hints: Mapping[str, object], filename: str) -> str | None:
    hinted = hints.get("date")
    if isinstance(hinted, str):
        parsed = _parse_date(hinted)
        if parsed:
            return parsed
    lines = [ln for ln in raw_text.splitlines() if ln.strip()]
    # Datelines sit near the top, the 落款 date of an official document at the end;
    # years and dates inside the body ("建于2001年", "7月7日") describe events instead.
    for line in lines[:_HEAD_LINES] + lines[-_TAIL_LINES:]:
        found = _parse_date(line)
        if found and len(found) == 10:
            return found
    return _parse_date(PurePath(filename).stem)


def _parse_date(text: str) -> str | None:
    m = _FULL_DATE.search(text)
    if m:
        year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
    m = _MONTH_DATE.search(text)
    if m:
        month = m.group(2) or m.group(3)
        if 1 <= int(month) <= 12:
            return f"{m.group(1)}-{int(month):02d}"
    return None


def _source_and_author(raw_text: str, hints: Mapping[str, object]) -> tuple[str | None, str | None]:
    source = _hint(hints, "source") or _hint(hints, "sitename")
    author = _hint(hints, "author")
    lines = [ln.strip() for ln in raw_text.splitlines() if ln.strip()]
    head = "\n".join(lines[:_HEAD_LINES])
    m = _REPORTER.search(head)
    if m:
        author = author or " ".join(m.group("name").split()).replace(" ", "")
        if m.group("source") and m.group("source") not in ("本报", "特约", "见习"):
            source = source or m.group("source")
    m = _SOURCE_WEN.search(head)
    if m:
        author = author or m.group(1).strip()
    m = _CORRESPONDENT.search(head)
    if m:
        author = author or m.group("name")
    m = _AUTHOR_LABEL.search(head)
    if m:
        author = author or m.group("name")
    m = _SOURCE_LABEL.search(head)
    if m:
        source = source or m.group("source")
    m = _NEWS_AGENCY.search(head)
    if m:
        source = source or m.group("source")
    m = _BREADCRUMB_SITE.search(head)
    if m:
        source = source or m.group("site")
    if author is None and lines and _NAMES_LINE.match(lines[-2] if len(lines) > 1 else ""):
        author = lines[-2]  # "党贺董 董丽霞 韩海燕" above a closing caption
    if author is None and lines and _NAMES_LINE.match(lines[-1]):
        author = lines[-1]
    return source, author


def _hint(hints: Mapping[str, object], key: str) -> str | None:
    value = hints.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _doc_type(title: str, raw_text: str, source: str | None) -> str:
    # The word nearest the end decides: "关于印发…实施方案的通知" is a notice.
    best: tuple[int, str] | None = None
    for doc_type, pattern in _DOC_TYPES:
        for m in pattern.finditer(title):
            if best is None or m.end() > best[0]:
                best = (m.end(), doc_type)
    if best is not None:
        return best[1]
    head = "\n".join(raw_text.splitlines()[:_HEAD_LINES])
    if source or _NEWS_SIGNALS.search(head) or _NEWS_SIGNALS.search(title):
        return "news"
    return "other"
