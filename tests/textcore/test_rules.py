"""The text core's rules one by one: punctuation, headings, numerals, n-grams, jieba."""

from __future__ import annotations

import subprocess
import sys

import pytest

from textcore import (
    CITATION_MARKER,
    HeadingMark,
    Numbering,
    char_bigrams,
    char_ngrams,
    citation_numbers,
    cjk_bigrams,
    cn_numeral,
    compact,
    content_chars,
    ends_sentence,
    fold_width,
    format_number,
    heading_mark,
    is_cjk,
    jaccard,
    joined_verb,
    list_marker_end,
    parse_cn_numeral,
    pos_tag,
    segment,
    segment_for_search,
    strip_citation_markers,
)

# --- punctuation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("社区开展活动。", True),
        ("他说：“办成了！”", True),
        ("还有……", True),
        ("这样可以吗?", True),
        ("一是建强班子；", True),
        ("。”）", True),  # any number of closers after the end mark
        ("加强组织建设", False),
        ("（完）", False),  # a closer with no end mark before it
        ("主要做法：", False),
        ("", False),
        ("   ", False),
    ],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_cjk_is_ideographs_only() -> None:
    assert all(is_cjk(ch) for ch in "社区㐀豈")
    assert not any(is_cjk(ch) for ch in "。，ａA1の한")


def test_width_folding_and_compact_form() -> None:
    assert fold_width("１２.８万，ＡＢＣ") == "12.8万,ABC"
    assert compact("常住人口 １２.８万 [1]【2】[3, 4]。") == "常住人口12.8万。"


def test_citation_markers() -> None:
    text = "常住人口12.8万[1]。其中32人[2][3]，党支部【4】；合计[5,6]。"
    assert citation_numbers(text) == [1, 2, 3, 4, 5, 6]
    assert strip_citation_markers(text) == "常住人口12.8万。其中32人，党支部；合计。"
    assert CITATION_MARKER.search("[2022年]") is None  # not a marker: more than a number


# --- headings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "end"),
    [
        ("第一编 总则", Numbering.PART, 3),
        ("第三章 基层组织", Numbering.CHAPTER, 3),
        ("第二部分 主要做法", Numbering.CHAPTER, 4),
        ("第十二节 附则", Numbering.SECTION, 4),
        ("第12条 信访事项", Numbering.ARTICLE, 4),
        ("一、主要工作", Numbering.CN_ITEM, 2),
        ("十一．其他", Numbering.CN_ITEM, 3),
        ("（二）完善机制", Numbering.CN_PAREN, 3),
        ("(三)抓好落实", Numbering.CN_PAREN, 3),
        ("1.加强领导", Numbering.ITEM, 2),
        ("12、明确责任", Numbering.ITEM, 3),
        ("（1）建立台账", Numbering.PAREN, 3),
        ("③落实到人", Numbering.CIRCLED, 1),
        ("——以党建引领基层治理", Numbering.DASH, 2),
        ("—以党建引领", Numbering.DASH, 1),
    ],
)
def test_numbering_kinds(line: str, kind: Numbering, end: int) -> None:
    assert heading_mark(line) == HeadingMark(kind, end)


@pytest.mark.parametrize(
    "line",
    [
        "1.5万人参加",  # a number, not item 1
        "#话题#",  # a hashtag, not Markdown
        "————",  # a rule, not a lead line
        "社区一、二楼",  # numbering only counts at the start
        "一是加强领导",
        "",
    ],
)
def test_lines_without_numbering(line: str) -> None:
    assert heading_mark(line) is None


def test_markdown_headings_carry_their_depth() -> None:
    assert heading_mark("### 一、基本情况") == HeadingMark(Numbering.MARKDOWN, 4, depth=3)
    assert heading_mark("####### 七级") is None


def test_list_markers_and_their_spaces_are_measured() -> None:
    assert list_marker_end("（一） 加强领导") == 4
    assert list_marker_end("●\u3000服务群众") == 2
    assert list_marker_end("- 走访") == 2
    assert list_marker_end("第一条 信访") == 0  # an article is structure, not a list item
    assert list_marker_end("社区开展活动") == 0


def test_sequential_numbers_are_formatted() -> None:
    assert [format_number(Numbering.CN_ITEM, n) for n in (1, 10, 11)] == ["一、", "十、", "十一、"]
    assert format_number(Numbering.CN_PAREN, 2) == "（二）"
    assert format_number(Numbering.ITEM, 3) == "3."
    assert format_number(Numbering.PAREN, 4) == "（4）"
    with pytest.raises(ValueError):
        format_number(Numbering.ARTICLE, 1)


# --- numerals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("七", 7), ("十", 10), ("十二", 12), ("二十", 20), ("三百零五", 305), ("两万", 20000)],
)
def test_chinese_numerals_read_and_write(numeral: str, value: int) -> None:
    assert parse_cn_numeral(numeral) == value
    if value < 100:
        assert cn_numeral(value) == numeral


def test_numeral_edge_cases() -> None:
    assert parse_cn_numeral("二〇二二") == 2022
    assert parse_cn_numeral("七个") is None
    with pytest.raises(ValueError):
        cn_numeral(0)


# --- n-grams ---------------------------------------------------------------------


def test_content_characters_drop_marks_spaces_and_width() -> None:
    assert content_chars("“五星支部” 创建，１２个[1]。") == "五星支部创建12个"


def test_bigrams_of_content_characters() -> None:
    assert char_bigrams("党建，引领") == {"党建", "建引", "引领"}
    assert char_bigrams("党") == {"党"}
    assert char_bigrams("。") == set()
    assert char_ngrams("社区党委", 3) == {"社区党", "区党委"}
    with pytest.raises(ValueError):
        char_ngrams("社区", 0)


def test_cjk_bigrams_stay_inside_runs_of_ideographs() -> None:
    assert cjk_bigrams("社区ABC党建，引领") == ["社区", "党建", "引领"]
    assert cjk_bigrams("社区社区") == ["社区", "区社", "社区"]


def test_jaccard() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), {"a"}) == 0.0


# --- jieba -----------------------------------------------------------------------


def test_segmentation_and_tags() -> None:
    assert "街道" in segment("湖北路街道开展活动")
    assert "党建" in segment_for_search("基层党建工作")
    tags = dict(pos_tag("洛阳市开展活动"))
    assert tags.get("洛阳市", "").startswith("ns")


def test_a_separable_verb_split_by_an_aspect_particle_is_joined() -> None:
    assert joined_verb("离了婚") == "离婚"
    assert joined_verb("报了名") == "报名"
    # no word of its own when joined, or no particle: as it is
    assert joined_verb("老两口") == "老两口"
    assert joined_verb("离婚") == "离婚"


def test_jieba_loads_quietly() -> None:
    # A fresh process: jieba's dictionary is built here, and must say nothing.
    result = subprocess.run(
        [sys.executable, "-c", "from textcore import segment; print(segment('社区党建'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "社区" in result.stdout
    assert "prefix dict" not in result.stderr and "Loading model" not in result.stderr
