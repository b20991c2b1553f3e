"""Laws, regulations and Party rules: their structure, header and cross-references.

A statute is read as lines (the cleaned text keeps one paragraph per line):

- 第X编 / 第X章 / 第X节 open a part, chapter or section (the heading path);
- 第X条 opens an article; each further line of the article is a 款 (paragraph);
- （一）（二）… lines are 项 (items), listed under the 款 whose lead-in
  (usually ending in "：") precedes them.

One article is one chunk unit. An article longer than the hard maximum is split
between 款; a lead-in and its items stay together, and when an item list alone
is too long the lead-in goes into the heading path of every later piece, so an
item never travels without it. Cross-references inside the same text ("本条例
第十一条第（五）项", "依照本法第X条", "前款", "前条") are resolved here: the
referenced text is returned as the chunk's ``context``, to be indexed and shown
with it. The header block (title, 通过/公布/修正/施行 dates, issuing body,
令号) becomes document metadata.

Everything here is pure: text in, spans and metadata out.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from ingest.types import Chunk, SourceDocument
from textcore import CJK_RANGES, CN_NUMERAL_CHARS, fold_width, parse_cn_numeral

__all__ = [
    "STATUTE_TYPES",
    "Article",
    "StatuteHeader",
    "StatuteStructure",
    "chunk_statute",
    "cn_numeral_value",
    "is_statute",
    "parse_header",
    "parse_statute",
]

log = logging.getLogger(__name__)

_NUM = CN_NUMERAL_CHARS + "0-9０-９"
# Text converted from PDF loses the space after the label ("第一条为了…"); a line
# that merely starts by citing an article ("第三条规定的…") is not one.
_ARTICLE = re.compile(rf"^[#\s　]*(第([{_NUM}]+)条(?:之([{_NUM}]+))?)(?![规的所中第、，,和或至及])")
_PART = re.compile(rf"^[#\s　]*(第[{_NUM}]+([编章节]))[\s　]*(\S.*)?$")
_ITEM = re.compile(rf"^[（(]([{_NUM}]+)[）)]")
# A text is read as a statute when this many lines open an article: a news story
# or a work report quotes "第三条" inside sentences, not at the start of lines.
MIN_ARTICLES = 3
# Characters of a referenced article carried as a chunk's context: the articles
# of the six sample texts have a median of 80 characters and a 95th percentile of
# about 300, so this keeps nearly every referenced article whole while one long
# article cannot swamp the text it is attached to.
MAX_CONTEXT_CHARS = 300
_PART_RANK = {"编": 1, "章": 2, "节": 3}
_SELF = r"(?:本|该)(?:法|条例|办法|规定|细则|准则|决定|规则|章程|意见)"
# "本法第十条", "依照第十条第二款", "本条例第十一条第（五）项"; not "《…法》第十条"
_REFERENCE = re.compile(
    rf"(?<![》」])(?:{_SELF})?(第([{_NUM}]+)条)(?:第([{_NUM}]+)款)?(?:第[（(]?([{_NUM}]+)[）)]?项)?"
)
_PREVIOUS_PARAGRAPHS = re.compile(r"前([两二三四])?款")
_PREVIOUS_ARTICLE = re.compile(r"前条")
_LEAD_IN_END = frozenset("：:")


def cn_numeral_value(numeral: str) -> int | None:
    """``"二十三"`` → 23, ``"一百零五"`` → 105, ``"12"``/``"１２"`` → 12; ``None`` if not a numeral."""
    numeral = fold_width(numeral)
    if numeral.isdigit():
        return int(numeral)
    return parse_cn_numeral(numeral) if numeral else None


@dataclass(frozen=True)
class Article:
    """One article: ``label`` such as ``"第十二条"`` (``"第十二条之一"``), its
    ``number`` (12), the span of the whole article in the text, the spans of its
    lines (the first holds the label; items are lines of their own) and the
    编/章/节 headings it sits under."""

    label: str
    number: int
    start: int
    end: int
    lines: tuple[tuple[int, int], ...]
    path: tuple[str, ...]


@dataclass(frozen=True)
class StatuteStructure:
    """The articles of a statute in text order, and what looked wrong with their
    numbering (missing or repeated numbers): the text is indexed anyway."""

    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()

    def article(self, label: str) -> Article | None:
        """The first article with this label."""
        return next((a for a in self.articles if a.label == label), None)


@dataclass(frozen=True)
class StatuteHeader:
    """What the header block of a statute says. Dates are ISO ``YYYY-MM-DD``.

    ``doc_type`` is ``法律``, ``行政法规``, ``党内法规`` or ``规范性文件``;
    ``effective`` is the 施行 date (or, failing that, the latest of 公布/发布/
    修正/修订/通过); ``superseded`` is true when the text says it was repealed
    or has lapsed (废止, 失效)."""

    title: str
    doc_type: str
    issuer: str | None = None
    doc_number: str | None = None
    adopted: str | None = None
    promulgated: str | None = None
    amended: str | None = None
    effective: str | None = None
    superseded: bool = False


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start = pos + len(body) - len(body.lstrip())
        end = pos + len(body.rstrip())
        if end > start:
            spans.append((start, end))
        pos += len(line)
    return spans


def is_statute(text: str) -> bool:
    """Whether ``text`` is laid out as articles (at least ``MIN_ARTICLES`` lines open with 第X条)."""
    count = 0
    for start, end in _lines(text):
        if _ARTICLE.match(text[start:end]):
            count += 1
            if count >= MIN_ARTICLES:
                return True
    return False


def parse_statute(text: str) -> StatuteStructure:
    """Articles, their lines and their 编/章/节 path; numbering faults as warnings."""
    articles: list[Article] = []
    path: list[tuple[int, str]] = []
    current: list[tuple[int, int]] = []
    label, number = "", 0
    article_path: tuple[str, ...] = ()

    def close() -> None:
        if current:
            articles.append(
                Article(
                    label=label,
                    number=number,
                    start=current[0][0],
                    end=current[-1][1],
                    lines=tuple(current),
                    path=article_path,
                )
            )

    for start, end in _lines(text):
        line = text[start:end]
        if m := _ARTICLE.match(line):
            close()
            label = m.group(1)
            number = cn_numeral_value(m.group(2)) or 0
            article_path = tuple(h for _, h in path)
            # Leading Markdown marks are not part of the article.
            current = [(start + m.start(1), end)]
        elif (m := _PART.match(line)) and len(line) <= 40:
            close()
            current = []
            rank = _PART_RANK[m.group(2)]
            while path and path[-1][0] >= rank:
                path.pop()
            name = " ".join((m.group(3) or "").split())
            path.append((rank, f"{m.group(1)} {name}" if name else m.group(1)))
        elif current:
            current.append((start, end))
    close()
    return StatuteStructure(tuple(articles), tuple(_numbering_warnings(articles)))


def _numbering_warnings(articles: list[Article]) -> list[str]:
    warnings = []
    counts = Counter(a.label for a in articles)
    for label, n in counts.items():
        if n > 1:
            warnings.append(f"{label} appears {n} times")
    expected = 1
    for article in articles:
        if "之" in article.label:
            continue
        if article.number > expected:
            missing = (
                f"第{expected}条"
                if article.number == expected + 1
                else f"第{expected}–{article.number - 1}条"
            )
            warnings.append(f"{missing} missing before {article.label}")
        expected = max(expected, article.number + 1)
    return warnings


# -- the header ----------------------------------------------------------------

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ACTIONS = (
    ("effective", re.compile(r"起?施行")),
    ("amended", re.compile(r"修正|修订|修改")),
    ("promulgated", re.compile(r"公布|发布|印发")),
    ("adopted", re.compile(r"通过|批准")),
)
_DOC_NUMBER = re.compile(
    rf"((?:[{CJK_RANGES}]{{2,20}})?令\s*第\s*\d+\s*号|[{CJK_RANGES}]{{1,8}}〔\d{{4}}〕\d+号)"
)
# Best known bodies first; any other ministry, commission or government after them.
_ISSUERS = (
    re.compile(r"全国人民代表大会(?:常务委员会)?"),
    re.compile(r"中共中央(?:办公厅)?|中国共产党中央委员会|中央纪律检查委员会|中央军事委员会"),
    re.compile(r"国务院(?:办公厅)?"),
    re.compile(rf"[{CJK_RANGES}]{{2,12}}?(?:部|委员会|总局|局|办公厅|人民政府)"),
)
_SELF_EFFECTIVE = re.compile(
    rf"{_SELF}自\s*((?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)\s*起施行"
)
_SUPERSEDED = re.compile(r"废止|失效|停止执行")
_PARTY_TITLE = re.compile(r"党|中共|中国共产党")
_PARTY_RULE = re.compile(r"(党章|准则|条例|规则|规定|办法|细则)$")
_LAW_TITLE = re.compile(r"(?<!办)法$|^全国人民代表大会.*决定$")
_REGULATION_TITLE = re.compile(r"(条例|规定|办法|实施细则)$")


def _iso(m: re.Match[str]) -> str:
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _header_text(text: str, structure: StatuteStructure | None) -> str:
    """The lines before the first article or chapter."""
    first = len(text)
    if structure is not None and structure.articles:
        first = structure.articles[0].start
    for start, end in _lines(text[:first]):
        if _PART.match(text[start:end]):
            return text[:start]
    return text[:first]


def parse_header(text: str, *, title: str = "") -> StatuteHeader:
    """Read the header block of a statute (``title`` when already known).

    Dated lines ("2015年11月26日 中华人民共和国国务院令第663号公布") give the
    adoption, promulgation, amendment and entry-into-force dates; the body that
    adopts or issues it gives the issuer and, with the title, the type.
    """
    structure = parse_statute(text)
    header = _header_text(text, structure)
    lines = [ln for s, e in _lines(header) if (ln := header[s:e].strip("# \u3000"))]
    if not title:
        title = next((ln for ln in lines if not _DATE.search(ln)), "")
    dates: dict[str, str] = {}
    issuer: str | None = None
    # Cleaning can join the dated lines into one: cut at each date.
    marks = list(_DATE.finditer(header))
    for n, m in enumerate(marks):
        segment = header[m.end() : marks[n + 1].start() if n + 1 < len(marks) else len(header)]
        segment = segment.split("\n", 1)[0]
        for field, pattern in _ACTIONS:
            if pattern.search(segment):
                # The latest amendment counts; the first adoption/promulgation does.
                if field == "amended" or field not in dates:
                    dates[field] = _iso(m)
                break
        if issuer is None:
            issuer = _issuer(segment)
    number = _DOC_NUMBER.search(header)
    effective = dates.get("effective")
    if effective is None and structure.articles:
        # "本条例自2016年1月1日起施行" in the closing articles.
        for article in structure.articles[-3:]:
            if said := _SELF_EFFECTIVE.search(text[article.start : article.end]):
                effective = _iso(_DATE.search(said.group(1)))  # type: ignore[arg-type]
    known = [d for k, d in dates.items() if k != "effective"]
    if effective is None or (dates.get("amended") and dates["amended"] > effective):
        # An amendment takes effect on its own date, later than the original's.
        effective = max(known) if known else effective
    # Only the header speaks of this text itself: "…同时废止" in the closing
    # articles repeals an older text, not this one.
    superseded = any(_SUPERSEDED.search(ln) for ln in lines)
    return StatuteHeader(
        title=title,
        doc_type=_statute_type(title, issuer),
        issuer=issuer,
        doc_number=number.group(1).replace(" ", "") if number else None,
        adopted=dates.get("adopted"),
        promulgated=dates.get("promulgated"),
        amended=dates.get("amended"),
        effective=effective,
        superseded=superseded,
    )


def _issuer(segment: str) -> str | None:
    for pattern in _ISSUERS:
        if found := pattern.search(segment):
            return found.group(0)
    return None


# The document types ``_statute_type`` gives: a chunk of one is an article, or the
# statute's front matter (title, enactment record, contents) before its first article.
STATUTE_TYPES = frozenset(("法律", "行政法规", "党内法规", "规范性文件"))


def _statute_type(title: str, issuer: str | None) -> str:
    bare = re.sub(r"[（(][^）)]*[）)]$", "", title).strip()
    if (
        _PARTY_TITLE.search(bare)
        and _PARTY_RULE.search(bare)
        or (issuer and issuer.startswith(("中共", "中国共产党", "中央纪律")))
    ):
        return "党内法规"
    if issuer and issuer.startswith("全国人民代表大会") or _LAW_TITLE.search(bare):
        return "法律"
    if issuer == "国务院" and _REGULATION_TITLE.search(bare):
        return "行政法规"
    return "规范性文件"


# -- chunks --------------------------------------------------------------------


def chunk_statute(
    doc: SourceDocument,
    *,
    hard_max: int,
    structure: StatuteStructure | None = None,
    max_heading_chars: int = 80,
) -> list[Chunk]:
    """One chunk per article (pieces split between 款 when longer than
    ``hard_max``), with the 编/章/节 path, the article label and the resolved
    cross-references as ``context``. Text before the first article (the header)
    and lines outside any article are chunked as plain paragraphs of their own, so
    nothing of the text is lost."""
    text = doc.text
    structure = structure or parse_statute(text)
    for warning in structure.warnings:
        log.warning("%s: article numbering: %s", doc.source_key, warning)
    pieces: list[tuple[int, int, tuple[str, ...], str, str]] = []
    covered = 0
    for n, article in enumerate(structure.articles):
        if article.start > covered:
            pieces.extend(_loose_pieces(text, covered, article.start, hard_max))
        for start, end, lead_in in _article_pieces(text, article, hard_max):
            path = article.path
            if lead_in:
                label = (
                    lead_in
                    if len(lead_in) <= max_heading_chars
                    else lead_in[: max_heading_chars - 1] + "…"
                )
                path = (*path, label)
            context = _context(text, structure, n, start, end)
            pieces.append((start, end, path, article.label, context))
        covered = article.end
    if covered < len(text):
        pieces.extend(_loose_pieces(text, covered, len(text), hard_max))
    chunks = []
    for index, (start, end, path, label, context) in enumerate(pieces):
        chunks.append(
            Chunk.of_span(
                text,
                doc_id=doc.doc_id,
                index=index,
                start=start,
                end=end,
                heading_path=path,
                context=context,
                article=label,
            )
        )
    return chunks


def _loose_pieces(
    text: str, start: int, end: int, hard_max: int
) -> list[tuple[int, int, tuple[str, ...], str, str]]:
    """Lines outside articles (header, chapter headings, appendices) packed up to
    ``hard_max``; bare 编/章/节 headings are left out: they live in the heading paths."""
    out: list[tuple[int, int, tuple[str, ...], str, str]] = []
    group: list[tuple[int, int]] = []
    for s, e in _lines(text[start:end]):
        s, e = s + start, e + start
        if _PART.match(text[s:e]) and e - s <= 40:
            continue
        if group and e - group[0][0] > hard_max:
            out.append((group[0][0], group[-1][1], (), "", ""))
            group = []
        group.append((s, e))
    if group:
        out.append((group[0][0], group[-1][1], (), "", ""))
    # A single line longer than hard_max stays whole: cutting a header line helps no one.
    return out


def statute_paragraphs(text: str) -> list[str]:
    """The 款 of an article's text (one per line, as chunks hold it): each line
    opens a 款 except a 项 line (（一）…), which stays with the 款 before it, so a
    lead-in keeps its items. Blank lines are dropped."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if out and _ITEM.match(line.strip()):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def _blocks(text: str, article: Article) -> list[tuple[int, int, str]]:
    """The article's 款 as ``(start, end, lead_in)``: a lead-in and its items form one block."""
    blocks: list[list[tuple[int, int]]] = []
    for s, e in article.lines:
        if blocks and _ITEM.match(text[s:e]):
            blocks[-1].append((s, e))
        else:
            blocks.append([(s, e)])
    out = []
    for block in blocks:
        first = text[block[0][0] : block[0][1]]
        lead = first if len(block) > 1 and first.rstrip()[-1:] in _LEAD_IN_END else ""
        out.append((block[0][0], block[-1][1], lead))
        # Items of one block are lines of their own; keep their spans for a later cut.
    return out


def _article_pieces(text: str, article: Article, hard_max: int) -> list[tuple[int, int, str]]:
    """``(start, end, lead_in)`` pieces of an article, each at most ``hard_max``
    unless one line alone is longer; ``lead_in`` is set for a piece that starts
    inside an item list whose lead-in lies in an earlier piece."""
    if article.end - article.start <= hard_max:
        return [(article.start, article.end, "")]
    lines = list(article.lines)
    # Where a cut may go: before a 款 (not an item), or before an item when the
    # item list alone is too long.
    pieces: list[tuple[int, int, str]] = []
    start = lines[0][0]
    last_end = lines[0][1]
    lead_in = ""
    current_lead = (
        text[lines[0][0] : lines[0][1]]
        if text[lines[0][0] : lines[0][1]].rstrip()[-1:] in _LEAD_IN_END
        else ""
    )
    for s, e in lines[1:]:
        is_item = bool(_ITEM.match(text[s:e]))
        if e - start > hard_max:
            pieces.append((start, last_end, lead_in))
            start = s
            lead_in = current_lead if is_item else ""
        if not is_item:
            line = text[s:e]
            current_lead = line if line.rstrip()[-1:] in _LEAD_IN_END else ""
        last_end = e
    pieces.append((start, last_end, lead_in))
    return _keep_items_with_lead_in(text, pieces, hard_max)


def _keep_items_with_lead_in(
    text: str, pieces: list[tuple[int, int, str]], hard_max: int
) -> list[tuple[int, int, str]]:
    """Move a lead-in that ends a piece to the start of the next piece (its items),
    when that keeps the next piece within ``hard_max``."""
    out = list(pieces)
    for i in range(len(out) - 1):
        start, end, lead = out[i]
        nstart, nend, nlead = out[i + 1]
        last_line_start = text.rfind("\n", start, end) + 1
        if last_line_start <= start:
            continue
        last = text[last_line_start:end]
        if last.rstrip()[-1:] in _LEAD_IN_END and nend - last_line_start <= hard_max:
            prev_end = last_line_start - 1
            while prev_end > start and text[prev_end - 1].isspace():
                prev_end -= 1
            out[i] = (start, prev_end, lead)
            out[i + 1] = (last_line_start, nend, "")
    return out


def _context(text: str, structure: StatuteStructure, n: int, start: int, end: int) -> str:
    """The text of what ``text[start:end]`` (part of article ``n``) refers to,
    as ``"第十一条：…"`` lines, each at most ``MAX_CONTEXT_CHARS`` characters."""
    article = structure.articles[n]
    piece = text[start:end]
    parts: list[str] = []
    seen: set[str] = set()

    def add(label: str, body: str) -> None:
        key = f"{label}:{body[:20]}"
        if key in seen or not body:
            return
        seen.add(key)
        body = body if len(body) <= MAX_CONTEXT_CHARS else body[: MAX_CONTEXT_CHARS - 1] + "…"
        parts.append(f"{label}：{body}")

    for m in _REFERENCE.finditer(piece):
        label = m.group(1)
        if label == article.label and m.group(3) is None:
            continue
        target = structure.article(label) if label != article.label else article
        if target is None:
            continue
        body = _article_body(text, target)
        paragraph = cn_numeral_value(m.group(3)) if m.group(3) else None
        item = cn_numeral_value(m.group(4)) if m.group(4) else None
        if paragraph or item:
            body = _part_of(text, target, paragraph=paragraph, item=item) or body
        name = (
            label
            + (f"第{m.group(3)}款" if m.group(3) else "")
            + (f"第（{m.group(4)}）项" if m.group(4) else "")
        )
        if target is article and start <= target.start and target.end <= end:
            continue  # the whole article is in the piece already
        add(name, body)
    if _PREVIOUS_PARAGRAPHS.search(piece) and start > article.start:
        # The 款 before this piece live in an earlier piece of the same article.
        add(article.label, _article_body(text, article, until=start))
    if _PREVIOUS_ARTICLE.search(piece) and n > 0:
        previous = structure.articles[n - 1]
        add(previous.label, _article_body(text, previous))
    return "\n".join(parts)


def _article_body(text: str, article: Article, *, until: int | None = None) -> str:
    end = article.end if until is None else min(until, article.end)
    body = text[article.start : end]
    if body.startswith(article.label):
        body = body[len(article.label) :]
    return " ".join(body.split())


def _part_of(text: str, article: Article, *, paragraph: int | None, item: int | None) -> str:
    """The named 款 (and 项 within it, with its lead-in) of ``article``; empty when absent."""
    blocks = _blocks(text, article)
    if paragraph is not None:
        if not 1 <= paragraph <= len(blocks):
            return ""
        blocks = [blocks[paragraph - 1]]
    if item is None:
        return " ".join(text[s:e] for s, e, _ in blocks).replace("\n", " ")
    for s, e, _ in blocks:
        lines = [ln for ln in text[s:e].split("\n") if ln.strip()]
        for line in lines[1:]:
            m = _ITEM.match(line.strip())
            if m and cn_numeral_value(m.group(1)) == item:
                lead = lines[0]
                if lead.startswith(article.label):
                    lead = lead[len(article.label) :]
                return f"{lead.strip()}{line.strip()}"
    return ""
