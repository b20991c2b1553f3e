"""GB/T 9704 elements from the user's fields: 版头, 附件说明 and 版记.

Field names are the standard's own: 发文机关标志, 发文字号, 签发人, 附件 (or 附件说明),
抄送 (or 抄送机关), 印发机关, 印发日期. Values are the user's, tidied only where the
standard fixes a form: the year of a 发文字号 in 六角括号 (〔2026〕), dates written out
(2026年12月1日), several 附件 or 抄送 split and joined the standard way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from drafting.periods import format_chinese_date
from drafting.types import Imprint, Letterhead

__all__ = [
    "attachments_from",
    "imprint_from",
    "letterhead_from",
    "normalize_doc_number",
    "official_fields",
]

_YEAR_BRACKETS = re.compile(r"[\[［(（【〔<〈]\s*((?:19|20)\d{2})\s*[\]］)）】〕>〉]")
_LIST_SEPARATORS = re.compile(r"\s*(?:\n|；|;)\s*")


def official_fields(*, upward: bool) -> tuple[str, ...]:
    """The field names that ask for 版头, 附件说明 and 版记 (签发人 only for 上行文)."""
    head = ("发文机关标志", "发文字号") + (("签发人",) if upward else ())
    return head + ("附件", "抄送", "印发机关", "印发日期")


def normalize_doc_number(number: str) -> str:
    """``湖街发[2026]12号`` / ``湖街发(2026)12号`` → ``湖街发〔2026〕12号`` (GB/T 9704 7.2.4:
    the year in 六角括号, no leading zeros in the serial number)."""
    text = re.sub(r"\s+", "", number)
    text = _YEAR_BRACKETS.sub(r"〔\1〕", text)
    return re.sub(r"〕0+(\d)", r"〕\1", text)


def _field(fields: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = (fields.get(name) or "").strip()
        if value:
            return value
    return ""


def letterhead_from(fields: Mapping[str, str], *, upward: bool) -> Letterhead | None:
    """The 版头 the fields ask for, or None. 签发人 only stands in an upward document."""
    mark = _field(fields, "发文机关标志")
    number = _field(fields, "发文字号")
    signer = _field(fields, "签发人") if upward else ""
    if not (mark or number or signer):
        return None
    return Letterhead(
        issuer_mark=mark, number=normalize_doc_number(number) if number else "", signer=signer
    )


def attachments_from(fields: Mapping[str, str]) -> tuple[str, ...]:
    """The attachment names (附件 one per line or separated by ；), without numbers."""
    value = _field(fields, "附件", "附件说明")
    items = [re.sub(r"^\d+[.．、]\s*", "", item) for item in _LIST_SEPARATORS.split(value)]
    return tuple(item.rstrip("。") for item in items if item)


def imprint_from(fields: Mapping[str, str], *, default_date: str) -> Imprint | None:
    """The 版记 the fields ask for (抄送 and/or 印发机关), or None. 抄送 are joined with
    "，" and end with "。" (GB/T 9704 7.4.2); the 印发日期 defaults to the 成文日期."""
    copy_to = _field(fields, "抄送", "抄送机关")
    printer = _field(fields, "印发机关")
    if not (copy_to or printer):
        return None
    if copy_to:
        names = [n for n in re.split(r"\s*(?:\n|；|;|，|,|、)\s*", copy_to) if n]
        copy_to = "，".join(n.rstrip("。") for n in names) + "。"
    when = _field(fields, "印发日期")
    return Imprint(
        copy_to=copy_to,
        printer=printer,
        print_date=format_chinese_date(when) if when else default_date,
    )
