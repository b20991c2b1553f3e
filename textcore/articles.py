"""Articles of a statute: which 第X条 a position in its text belongs to."""

from __future__ import annotations

from textcore.headings import Numbering, heading_mark
from textcore.sentences import split_lines

__all__ = ["article_at"]

_INDENT = " \t\u3000"


def article_at(text: str, position: int) -> str:
    """The article (``第十一条``) whose heading is the last one at or before
    ``position`` in ``text``; ``""`` when no article heading precedes it."""
    found = ""
    # An article heading opens a line: “第十一条 申请最低生活保障……”; a reference
    # inside a sentence (“依照本法第十条”) does not open one.
    for start, end in split_lines(text):
        line = text[start:end]
        indent = len(line) - len(line.lstrip(_INDENT))
        if start + indent > position:
            break
        mark = heading_mark(line[indent:])
        if mark is not None and mark.kind is Numbering.ARTICLE:
            found = line[indent : indent + mark.end]
    return found
