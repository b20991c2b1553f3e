"""Chinese structure-aware chunking: headings, paragraphs and whole sentences.

A document is read as lines; a line is a paragraph. Lines are split into
sentences at 。！？；!?; (closing quotes and brackets stay with the sentence they
close). Headings are recognised by their numbering (一、 （一） 1. （1） 第一章),
by ``——`` lead lines, by Markdown ``#``, and, in documents without explicit
numbering, by short title-like lines without end punctuation.

Sentences are packed into chunks of about ``target_size`` characters. A heading
starts a new chunk, a break between paragraphs is preferred to one inside a
paragraph, and no sentence is cut unless it alone is longer than
:func:`max_chunk_length` (then it is cut after a comma, or at worst at a fixed
length). Chunks too small to be useful are merged into a neighbour. The next
chunk may repeat the last whole sentences of the previous one, up to
``overlap`` characters, so that a sentence needing its predecessor for context
is still retrievable.

Everything here is pure: text in, spans out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.statute import chunk_statute, is_statute
from ingest.types import Chunk, SourceDocument
from textcore import (
    BRACKET_PAIRS,
    CJK_RANGES,
    ELLIPSIS,
    PAUSE_MARKS,
    SENTENCE_ENDS,
    Numbering,
    heading_mark,
    split_lines,
    split_sentences,
    trim_span,
)

MIN_TARGET_SIZE = 50
# Longest heading text kept in a chunk's heading path; a numbered "heading" can
# be a whole paragraph, and the path is a label, not content.
MAX_HEADING_CHARS = 80

_TERMINATORS = frozenset(SENTENCE_ENDS)
# Where an over-long sentence may be cut: after a pause mark (，、：).
_SOFT_BREAKS = frozenset(PAUSE_MARKS)

# Rank of each numbering (Markdown headings rank by depth, 1-6): a heading pops
# every open heading of equal or higher rank. 第X条 and ① are not headings here.
_NUMBERING_RANKS = {
    Numbering.PART: 4,
    Numbering.CHAPTER: 5,
    Numbering.SECTION: 8,
    Numbering.CN_ITEM: 10,
    Numbering.CN_PAREN: 20,
    Numbering.DASH: 20,
    Numbering.ITEM: 30,
    Numbering.PAREN: 40,
}
_TITLE_RANK = 10
# Explicit top-level structure (一、 or Markdown): short unnumbered lines in such
# a document are photo captions and bylines far more often than headings.
_EXPLICIT_TOP = frozenset(
    {Numbering.MARKDOWN, Numbering.PART, Numbering.CHAPTER, Numbering.SECTION, Numbering.CN_ITEM}
)
_TITLE_MIN, _TITLE_MAX = 4, 40
_NOT_TITLE = re.compile(
    r"^[■●◆▲★•·▪\-*>|【\[]|^(文|图|记者|通讯员|来源|编辑|责编|作者|摄影?)[/：:／\s]"
    r"|供图|摄影|记者|通讯员|[|｜]|https?://"
)
_TITLE_END_PUNCT = frozenset(PAUSE_MARKS + ELLIPSIS)
_CJK = re.compile(f"[{CJK_RANGES}]")


def max_chunk_length(target_size: int) -> int:
    """The hard upper bound on a chunk's length for a given ``target_size``."""
    return target_size + target_size // 2


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a piece of a sentence longer than the hard maximum."""

    start: int
    end: int
    para_start: bool
    heading: bool
    path: tuple[str, ...]
    # Table rows (lines with tab-separated cells): the span of the table's header
    # row, and whether this unit is that header (a chunk never ends right after it).
    table_header: tuple[int, int] | None = None
    is_table_header: bool = False


def _heading_rank(line: str, *, title_like_allowed: bool) -> int | None:
    """The rank of the heading ``line`` (already stripped) starts, or ``None``."""
    mark = heading_mark(line)
    if mark is not None and mark.kind is Numbering.MARKDOWN:
        return mark.depth
    if mark is not None and mark.kind in _NUMBERING_RANKS:
        return _NUMBERING_RANKS[mark.kind]
    if title_like_allowed and _is_title_like(line):
        return _TITLE_RANK
    return None


def _explicit_top(line: str) -> bool:
    mark = heading_mark(line)
    return mark is not None and mark.kind in _EXPLICIT_TOP


def _is_title_like(line: str) -> bool:
    return (
        _TITLE_MIN <= len(line) <= _TITLE_MAX
        and not any(ch in _TERMINATORS for ch in line)
        and line[-1] not in _TITLE_END_PUNCT
        and len(_CJK.findall(line)) * 2 >= len(line)
        and not _NOT_TITLE.search(line)
        # Menus are runs of short words; titles have at most a couple of spaces.
        and len(line.split()) <= 3
        # A line broken off mid-quotation is a wrapped sentence, not a title.
        and all(line.count(o) == line.count(c) for o, c in BRACKET_PAIRS)
    )


def _heading_label(text: str) -> str:
    mark = heading_mark(text)
    label = (text[mark.end :] if mark and mark.kind is Numbering.MARKDOWN else text).strip()
    if len(label) > MAX_HEADING_CHARS:
        label = label[: MAX_HEADING_CHARS - 1] + "…"
    return label


def _cut_long_sentence(text: str, start: int, end: int, piece: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence into pieces of at most ``piece`` characters,
    after a comma where one falls late enough, else at exactly ``piece``."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > piece:
        cut = pos + piece
        for i in range(pos + piece - 1, pos + piece // 3, -1):
            if text[i] in _SOFT_BREAKS:
                cut = i + 1
                break
        span = trim_span(text, pos, cut)
        if span:
            pieces.append(span)
        pos = cut
    span = trim_span(text, pos, end)
    if span:
        pieces.append(span)
    return pieces


def _units(text: str, *, target_size: int, hard_max: int) -> list[_Unit]:
    lines = split_lines(text)
    title_like_allowed = sum(1 for s, e in lines if _explicit_top(text[s:e].strip())) < 2
    sentences = split_sentences(text)
    next_sentence = 0
    units: list[_Unit] = []
    stack: list[tuple[int, str]] = []
    header: tuple[int, int] | None = None
    for n, (line_start, line_end) in enumerate(lines):
        stripped = text[line_start:line_end].strip()
        if not stripped:
            continue
        if "\t" in stripped:  # a table row: one unit, never a heading
            header = header or _table_header(text, lines, n)
            row = trim_span(text, line_start, line_end)
            assert row is not None
            pieces = [row]
            if row[1] - row[0] > hard_max:
                pieces = _cut_long_sentence(text, row[0], row[1], target_size)
            for k, (ps, pe) in enumerate(pieces):
                path = tuple(label for _, label in stack)
                is_header = header is not None and header[0] == ps
                units.append(_Unit(ps, pe, k == 0, False, path, header, is_header))
            # the row's own sentences are inside this unit: the next line starts after them
            while next_sentence < len(sentences) and sentences[next_sentence][0] < line_end:
                next_sentence += 1
            continue
        header = None
        rank = _heading_rank(stripped, title_like_allowed=title_like_allowed)
        first = True
        # sentences never cross a line, so this line's are the next ones before its end
        line_sentences = []
        while next_sentence < len(sentences) and sentences[next_sentence][0] < line_end:
            line_sentences.append(sentences[next_sentence])
            next_sentence += 1
        for s, e in line_sentences:
            pieces = [(s, e)] if e - s <= hard_max else _cut_long_sentence(text, s, e, target_size)
            for ps, pe in pieces:
                is_heading = first and rank is not None
                if is_heading:
                    assert rank is not None
                    while stack and stack[-1][0] >= rank:
                        stack.pop()
                    stack.append((rank, _heading_label(text[ps:pe])))
                path = tuple(label for _, label in stack)
                units.append(_Unit(ps, pe, first, is_heading, path))
                first = False
    return units


def _table_header(text: str, lines: list[tuple[int, int]], n: int) -> tuple[int, int] | None:
    """The span of row ``n`` as its table's header, if a table (2+ tab rows) starts there."""
    if n + 1 < len(lines) and "\t" in text[lines[n + 1][0] : lines[n + 1][1]]:
        return trim_span(text, *lines[n])
    return None


class _Packer:
    """Greedy packing of units into overlapping index ranges ``[a, b)``."""

    def __init__(self, units: list[_Unit], *, target: int, overlap: int) -> None:
        self.units = units
        self.target = target
        self.overlap = overlap
        self.groups: list[tuple[int, int]] = []

    def span(self, a: int, b: int) -> int:
        return self.units[b - 1].end - self.units[a].start

    def overlap_start(self, a: int, j: int) -> int:
        """The earliest unit after ``a`` from which units up to ``j`` fit in ``overlap``."""
        o = j
        while o - 1 > a and not self.units[o - 1].heading and self.span(o - 1, j) <= self.overlap:
            o -= 1
        return o

    def pack(self) -> list[tuple[int, int]]:
        units = self.units
        if not units:
            return []
        a = own = 0  # group start; first unit not repeated from the previous group
        for i in range(1, len(units)):
            if units[i].heading:
                self.groups.append((a, i))
                a = own = i
                continue
            while self.span(a, i + 1) > self.target and own < i:
                j = self._break_point(a, own, i)
                self.groups.append((a, j))
                o = self.overlap_start(a, j)
                a = o if self.span(o, i + 1) <= self.target else j
                own = j
        self.groups.append((a, len(units)))
        return self.groups

    def _break_point(self, a: int, own: int, i: int) -> int:
        """Where to end the group ``[a, i)``: a paragraph start if one leaves the
        group at least half full, else just before unit ``i``."""
        for k in range(i - 1, own, -1):
            if (
                self.units[k].para_start
                and not self.units[k - 1].is_table_header
                and self.span(a, k) >= self.target // 2
            ):
                return k
        if self.units[i - 1].is_table_header and i - 1 > own:
            return i - 1  # the header goes with the rows under it
        return i


def _merge_small(
    groups: list[tuple[int, int]], units: list[_Unit], *, min_size: int, hard_max: int
) -> list[tuple[int, int]]:
    """Fold groups shorter than ``min_size`` into a neighbour when the result fits:
    a heading with little under it joins what follows if that lies inside its
    section (a 一、 line joins its first （一）); anything else joins what precedes."""

    def size(a: int, b: int) -> int:
        return units[b - 1].end - units[a].start

    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None

    def fold_back(a: int, b: int) -> bool:
        if merged and size(merged[-1][0], b) <= hard_max:
            merged[-1] = (merged[-1][0], b)
            return True
        return False

    for n, (a, b) in enumerate(groups):
        if pending is not None:
            section = units[pending[0]].path
            nested = units[a].path[: len(section)] == section
            if nested and size(pending[0], b) <= hard_max:
                a = pending[0]
            elif not fold_back(*pending):
                merged.append(pending)
            pending = None
        if size(a, b) >= min_size:
            merged.append((a, b))
        elif units[a].heading and n + 1 < len(groups):
            pending = (a, b)
        elif not fold_back(a, b):
            merged.append((a, b))
    if pending is not None and not fold_back(*pending):
        merged.append(pending)
    return merged


def _main_path(units: list[_Unit]) -> tuple[str, ...]:
    """The heading path under which most of the chunk's characters lie."""
    weight: dict[tuple[str, ...], int] = {}
    for unit in units:
        weight[unit.path] = weight.get(unit.path, 0) + unit.end - unit.start
    return max(weight, key=lambda path: weight[path])  # first wins a tie


def chunk_document(
    doc: SourceDocument, *, target_size: int = 400, overlap: int = 60
) -> list[Chunk]:
    """Split ``doc.text`` into chunks of about ``target_size`` characters.

    Every chunk satisfies ``doc.text[c.start:c.end] == c.text``, has no leading
    or trailing whitespace, is at most :func:`max_chunk_length` characters long,
    and carries the heading path it sits under. Consecutive chunks may share up
    to ``overlap`` characters of whole sentences. Raises ``ValueError`` unless
    ``target_size >= 50`` and ``0 <= overlap < target_size / 2``.
    """
    if target_size < MIN_TARGET_SIZE:
        raise ValueError(f"target_size must be at least {MIN_TARGET_SIZE}, got {target_size}")
    if not 0 <= overlap < target_size / 2:
        raise ValueError(f"overlap must be in [0, target_size / 2), got {overlap}")
    text = doc.text
    hard_max = max_chunk_length(target_size)
    if is_statute(text):
        # Laws and regulations: one article per chunk, see ingest/statute.py.
        return chunk_statute(doc, hard_max=hard_max, max_heading_chars=MAX_HEADING_CHARS)
    units = _units(text, target_size=target_size, hard_max=hard_max)
    groups = _Packer(units, target=target_size, overlap=overlap).pack()
    groups = _merge_small(groups, units, min_size=target_size // 4, hard_max=hard_max)

    chunks = []
    for index, (a, b) in enumerate(groups):
        start, end = units[a].start, units[b - 1].end
        heading_path = _main_path(units[a:b])
        header = units[a].table_header
        if header is not None and header[0] < start:
            # A long table split here: its header row travels with the rows as
            # their label, so they are embedded and shown with their columns.
            heading_path = (*heading_path, text[header[0] : header[1]])
        chunks.append(
            Chunk.of_span(
                text,
                doc_id=doc.doc_id,
                index=index,
                start=start,
                end=end,
                heading_path=heading_path,
            )
        )
    return chunks
