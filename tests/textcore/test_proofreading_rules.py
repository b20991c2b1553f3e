"""The core rules proofreading reads documents with: outline numbers, paired marks,
sentences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textcore import (
    OUTLINE_LEVELS,
    format_number,
    heading_number,
    split_sentences,
    unpaired_marks,
)


def canonical_marker(level: int, value: int) -> str:
    return format_number(OUTLINE_LEVELS[level - 1], value)


@pytest.mark.parametrize(
    ("text", "level", "value", "canonical"),
    [
        ("一、基本情况", 1, 1, "一、"),
        ("十二、其他", 1, 12, "十二、"),
        ("（三）强化组织", 2, 3, "（三）"),
        ("(三)强化组织", 2, 3, "（三）"),
        ("2.年龄结构", 3, 2, "2."),
        ("2、年龄结构", 3, 2, "2."),
        ("（10）其他", 4, 10, "（10）"),
    ],
)
def test_heading_numbers(text, level, value, canonical) -> None:
    number = heading_number(text)
    assert number is not None
    assert (number.level, number.value, number.canonical) == (level, value, canonical)
    assert number.marker + number.rest == text


@pytest.mark.parametrize(
    "text", ["2022年9月", "3.5万人参加", "一是加强领导", "社区共有党员", "100.活动"]
)
def test_not_headings(text) -> None:
    assert heading_number(text) is None


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=4))
def test_canonical_markers_read_back(value: int, level: int) -> None:
    number = heading_number(canonical_marker(level, value) + "标题")
    assert number is not None and (number.level, number.value) == (level, value)


def test_unpaired_marks() -> None:
    assert unpaired_marks("打造“红色物业”品牌（试点）《条例》") == []
    assert unpaired_marks("打造“红色物业品牌") == [(2, "“")]
    assert unpaired_marks("品牌”好") == [(2, "”")]
    assert [m for _, m in unpaired_marks("（“引文）”")] == ["“", "”"]


def test_document_number_brackets_pair_and_half_width_ones_are_left_to_the_width_rule() -> None:
    assert unpaired_marks("〔2023〕5号") == []
    assert unpaired_marks("〔2023 5号") == [(0, "〔")]
    assert unpaired_marks("1) 加强领导") == []


def test_heading_numbers_after_indentation_and_other_numberings() -> None:
    number = heading_number("\u3000\u3000一、基本情况")
    assert number is not None and (number.marker, number.rest) == ("一、", "基本情况")
    assert heading_number("第一条 为了规范") is None
    assert heading_number("①加强领导") is None


@given(st.text(alphabet="社区党员。！？；，”", max_size=60))
def test_sentences_cover_the_text_in_order(text: str) -> None:
    spans = split_sentences(text)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    # no whitespace in the alphabet: the sentences rejoin into the text
    assert "".join(text[a:b] for a, b in spans) == text
