"""Output normalisation: one test per rule, and properties over arbitrary mixed text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textcore import is_cjk, normalize_text, restore_punctuation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("工作以来,湖北路街道", "工作以来，湖北路街道"),
        ("一是强化;二是完善", "一是强化；二是完善"),
        ("主要做法:一是", "主要做法：一是"),
        ("怎么办?请联系", "怎么办？请联系"),
        ("好!继续", "好！继续"),
        ("工作取得实效.", "工作取得实效。"),
    ],
)
def test_half_width_punctuation_next_to_chinese_becomes_full_width(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("raw", ["共1,000人次", "上午9:30开始", "增长3.5%", "见附件1.docx"])
def test_punctuation_between_digits_stays(raw):
    assert normalize_text(raw) == raw


def test_parentheses_around_chinese_become_full_width():
    assert normalize_text("实施意见(试行)") == "实施意见（试行）"
    assert normalize_text("ratio (a+b)") == "ratio (a+b)"


def test_straight_quotes_become_paired_chinese_quotes():
    assert normalize_text('打造"红色物业"品牌') == "打造“红色物业”品牌"
    assert normalize_text("坚持'四治'并进") == "坚持‘四治’并进"


def test_unpaired_quotes_are_repaired():
    assert normalize_text("“132277“工作流程") == "“132277”工作流程"
    assert normalize_text("”五星”支部") == "“五星”支部"
    assert normalize_text("开展“红色物业活动") == "开展红色物业活动"


def test_titles_get_book_title_marks():
    assert normalize_text("学习<信访工作条例>") == "学习《信访工作条例》"
    assert normalize_text("学习〈条例〉") == "学习《条例》"
    assert normalize_text("if a<b and b>c") == "if a<b and b>c"


def test_no_spaces_between_chinese_characters():
    assert normalize_text("湖北路 街道　党工委") == "湖北路街道党工委"
    assert normalize_text("60余天 24小时") == "60余天24小时"
    assert normalize_text("使用 Word 文档") == "使用 Word 文档"


def test_counts_use_arabic_numerals_per_gbt_15835():
    assert normalize_text("下辖七个社区、十二名干部") == "下辖7个社区、12名干部"
    assert normalize_text("２０２２年") == "2022年"


def test_the_end_of_a_range_keeps_the_numerals_of_its_start():
    assert normalize_text("选举代表二至三人") == "选举代表二至三人"
    assert normalize_text("三到五个人") == "三到五个人"
    assert normalize_text("至少五个人") == "至少5个人"


@pytest.mark.parametrize(
    "raw",
    [
        "践行三个代表",
        "增强四个意识",
        "一个中心",
        "三四个人",
        "十几个社区",
        "第三个",
        "一个社区",
        "推动“两个覆盖”",
    ],
)
def test_fixed_phrases_and_approximate_numbers_keep_chinese_numerals(raw):
    assert normalize_text(raw) == raw


def test_ellipsis():
    assert normalize_text("等等...") == "等等……"
    assert normalize_text("等等…") == "等等……"


def test_latin_text_is_unchanged():
    text = 'He said: "ok", (fine)... 1,000!'
    assert normalize_text(text) == text


# --- properties --------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("湖北路街道党工委社区居民开展活动工作七三十二个名")
    + list(",.;:?!()\"'“”‘’<>《》 　０１２3456789abc-…")
    + ["\n", "1,000", "9:30", "三个代表", "十几个"]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_no_half_width_punctuation_touches_chinese(text):
    out = normalize_text(text)
    for match in re.finditer(r"[,;:?!()]", out):
        i = match.start()
        neighbours = out[i - 1 : i] + out[i + 1 : i + 2]
        assert not any(is_cjk(c) for c in neighbours), (out, i)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_quotes_are_paired_in_every_paragraph(text):
    for paragraph in normalize_text(text).split("\n"):
        if not any(is_cjk(c) for c in paragraph):
            continue
        depth = 0
        for ch in paragraph:
            if ch in "“”":
                assert ch == ("“" if depth == 0 else "”")
                depth ^= 1
            assert ch != '"'
        assert depth == 0


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_chinese_characters_are_kept_except_converted_counts(text):
    def letters(s: str) -> str:
        return "".join(c for c in s if is_cjk(c) and c not in "一二两三四五六七八九十")

    assert letters(normalize_text(text)) == letters(text)


def test_a_statute_unit_keeps_the_space_after_its_number():
    assert (
        normalize_text("第十一条 申请最低生活保障,按照下列程序办理:")
        == "第十一条 申请最低生活保障，按照下列程序办理："
    )
    assert normalize_text("第三章\u3000法律责任") == "第三章\u3000法律责任"
    # Elsewhere a space between Chinese characters still goes.
    assert normalize_text("依照 第十一条 办理") == "依照第十一条办理"


def test_restore_punctuation_changes_only_punctuation_and_spaces() -> None:
    text = '下辖七个社区 , 常住人口３万(2023年) , "五星"支部'
    assert restore_punctuation(text) == "下辖七个社区，常住人口３万（2023年），“五星”支部"
    assert normalize_text(text) == "下辖7个社区，常住人口3万（2023年），“五星”支部"


@given(st.text(alphabet="社区七个３5 ,.:;?!()\"'“”《》<>\n", max_size=40))
@settings(max_examples=200, deadline=None)
def test_restore_punctuation_keeps_every_letter_and_digit_and_is_idempotent(text: str) -> None:
    restored = restore_punctuation(text)
    assert [c for c in restored if c.isalnum()] == [c for c in text if c.isalnum()]
    assert restore_punctuation(restored) == restored
