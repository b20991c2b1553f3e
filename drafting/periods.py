"""Reporting periods: "2022Q3", "2022年第三季度", "2022年上半年", "2022年" → a date range.

A draft is period-aware: its evidence is searched among documents dated inside
the period first, and the title says the period in the official Chinese form.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from textcore import cn_numeral, parse_cn_numeral
from textcore.errors import InvalidRequestError

__all__ = ["Period", "PeriodError", "format_chinese_date", "parse_period"]


class PeriodError(InvalidRequestError):
    """The period text is not one of the forms the drafting side understands."""


@dataclass(frozen=True)
class Period:
    """A closed date range and how an official document names it (``text``)."""

    start: date
    end: date
    text: str

    @property
    def date_from(self) -> str:
        return self.start.isoformat()

    @property
    def date_to(self) -> str:
        return self.end.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(
        date(year, first, 1),
        _month_end(year, first + 2),
        f"{year}年第{cn_numeral(quarter)}季度",
    )


def _half(year: int, half: int) -> Period:
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30), f"{year}年上半年")
    return Period(date(year, 7, 1), date(year, 12, 31), f"{year}年下半年")


def _normalise(text: str) -> str:
    # Full-width digits and letters come from Chinese input methods.
    table = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＱＨｑｈ－"}
    return re.sub(r"\s+", "", text.translate(table))


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})[-_/]?[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})年?第?([一二三四1-4])季度$"), "quarter"),
    (re.compile(r"^(\d{4})[-_/]?[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})年?(上|下)半年$"), "half"),
    (re.compile(r"^(\d{4})年?(?:度|全年)?$"), "year"),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), "month"),
    (re.compile(r"^(\d{4})年(\d{1,2})[-—~至到](\d{1,2})月$"), "months"),
)


def parse_period(text: str) -> Period:
    """Parse a reporting period.

    Understood forms: ``2022Q3`` / ``2022-Q3`` / ``2022年第三季度`` / ``2022年三季度``,
    ``2022H1`` / ``2022年上半年`` / ``2022年下半年``, ``2022`` / ``2022年`` / ``2022年度``,
    ``2022-09`` / ``2022年9月``, ``2022年1-9月``. Raises ``PeriodError`` otherwise.
    """
    cleaned = _normalise(text)
    for pattern, kind in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        year = int(match.group(1))
        if kind == "quarter":
            q = match.group(2)
            quarter = int(q) if q.isdigit() else parse_cn_numeral(q)
            if quarter is not None:
                return _quarter(year, quarter)
        if kind == "half":
            return _half(year, 1 if match.group(2) in ("1", "上") else 2)
        if kind == "year":
            return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年")
        if kind == "month":
            month = int(match.group(2))
            if not 1 <= month <= 12:
                break
            return Period(date(year, month, 1), _month_end(year, month), f"{year}年{month}月")
        first, last = int(match.group(2)), int(match.group(3))
        if not 1 <= first <= last <= 12:
            break
        return Period(date(year, first, 1), _month_end(year, last), f"{year}年{first}—{last}月")
    raise PeriodError(
        f"无法识别的时间段“{text}”：请写成 2022Q3、2022年第三季度、2022年上半年、2022年 或 2022年9月"
    )


def format_chinese_date(value: str | date | None) -> str:
    """``2026-11-23`` (or a ``date``; today when None) → ``2026年11月23日``; other
    text is kept as the user wrote it."""
    if value is None:
        value = date.today()
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", value)
        if not match:
            return value.strip()
        value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return f"{value.year}年{value.month}月{value.day}日"
