"""Articles of a statute: which 第X条 a position in its text belongs to."""

from __future__ import annotations

import re

from textcore.headings import Numbering, heading_mark
from textcore.sentences import split_lines

__all__ = ["article_at", "states_sanction"]

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


# What a statute does to one who breaks it: a fine, a penalty, an order, a liability.
_SANCTION = re.compile(
    r"罚款|罚金|处分|拘留|警告|没收|吊销|取缔|责令|追究|强制执行|批评教育|告诫|训诫"
    r"|承担[^，。；]{0,6}责任|撤销[^，。；]{0,8}(?:资格|登记|许可)|处罚"
)


# What a statute gives one who objects to a decision (不服, 有异议): review, a suit, an
# appeal.
_REMEDY = re.compile(r"行政复议|行政诉讼|提起诉讼|向人民法院起诉|申请复议|申请复核|申诉|复查")
_OBJECTED = re.compile(r"不服|异议")
# Where one who meets a wrong may report it (有权…举报、投诉; 可以向…反映).
_REPORTING = re.compile(r"(?:有权|可以向)[^。；;]{0,40}(?:举报|投诉|检举|控告|反映)")


def states_remedy(text: str) -> bool:
    """Whether ``text`` states what one who objects to a decision may do (…不服的，可以
    依法申请行政复议或者提起行政诉讼)."""
    return bool(_REMEDY.search(text) and _OBJECTED.search(text))


def states_reporting(text: str) -> bool:
    """Whether ``text`` states where one may report a wrong (任何单位和个人都有权对…违法
    行为进行检举、控告)."""
    return bool(_REPORTING.search(text))


def states_sanction(text: str) -> bool:
    """Whether ``text`` (a statute's sentence, with the lead-in of its list) states what
    befalls one who breaks a rule (…责令改正，处五千元以下罚款; 依法给予处分)."""
    return bool(_SANCTION.search(text))
