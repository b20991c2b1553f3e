"""Reporting periods: every documented form parses to the right range and official text."""

from __future__ import annotations

from datetime import date

import pytest

from drafting.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "display"),
    [
        ("2022Q3", date(2022, 7, 1), date(2022, 9, 30), "2022年第三季度"),
        ("2022-q1", date(2022, 1, 1), date(2022, 3, 31), "2022年第一季度"),
        ("２０２２Ｑ４", date(2022, 10, 1), date(2022, 12, 31), "2022年第四季度"),
        ("2022年第三季度", date(2022, 7, 1), date(2022, 9, 30), "2022年第三季度"),
        ("2022年二季度", date(2022, 4, 1), date(2022, 6, 30), "2022年第二季度"),
        ("2022年第2季度", date(2022, 4, 1), date(2022, 6, 30), "2022年第二季度"),
        ("2022年上半年", date(2022, 1, 1), date(2022, 6, 30), "2022年上半年"),
        ("2022 年 下半年", date(2022, 7, 1), date(2022, 12, 31), "2022年下半年"),
        ("2022H1", date(2022, 1, 1), date(2022, 6, 30), "2022年上半年"),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2022年度", date(2022, 1, 1), date(2022, 12, 31), "2022年"),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28), "2023年2月"),
        ("2022年1-9月", date(2022, 1, 1), date(2022, 9, 30), "2022年1—9月"),
    ],
)
def test_forms_parse_to_range_and_display_text(text, start, end, display):
    period = parse_period(text)
    assert (period.start, period.end, period.text) == (start, end, display)
    assert period.date_from == start.isoformat()
    assert period.date_to == end.isoformat()


@pytest.mark.parametrize(
    "text", ["", "上个季度", "2022Q5", "2022年第五季度", "2022年13月", "2022年9-3月", "22Q3"]
)
def test_unknown_forms_raise_a_readable_error(text):
    with pytest.raises(PeriodError, match="无法识别的时间段"):
        parse_period(text)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)
