"""Articles of a statute: which 第X条 a position in its text belongs to."""

from __future__ import annotations

import re

__all__ = ["article_at"]

# An article heading opens a line: “第十一条 申请最低生活保障……”; a reference inside
# a sentence (“依照本法第十条”) does not open one.
_ARTICLE_HEAD = re.compile(r"(?:^|\n)[ \t\u3000]*(第[零〇一二三四五六七八九十百千\d]+条)")


def article_at(text: str, position: int) -> str:
    """The article (``第十一条``) whose heading is the last one at or before
    ``position`` in ``text``; ``""`` when no article heading precedes it."""
    found = ""
    for match in _ARTICLE_HEAD.finditer(text):
        if match.start(1) > position:
            break
        found = match.group(1)
    return found
