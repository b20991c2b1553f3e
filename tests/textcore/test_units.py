"""Places and units: one vocabulary, the region reader and the named-unit reader."""

from __future__ import annotations

import pytest

from textcore import (
    UNIT_SUFFIXES,
    find_regions,
    local_place,
    named_units,
    region_spans,
    starts_with_place,
    strip_unit_suffix,
    unit_suffix,
)


def test_suffixes_are_tried_longest_first() -> None:
    lengths = [len(s) for s in UNIT_SUFFIXES]
    assert lengths == sorted(lengths, reverse=True)
    assert unit_suffix("开元路街道党工委") == "党工委"
    assert unit_suffix("网格党支部") == "党支部"
    assert unit_suffix("伊川县") == "县"


@pytest.mark.parametrize("word", ["小区", "城市", "超市", "开发区", "城乡", "乡镇", "文明城市"])
def test_common_nouns_that_end_like_units_are_not_units(word: str) -> None:
    assert unit_suffix(word) is None


def test_strip_unit_suffix() -> None:
    assert strip_unit_suffix("湖北路街道") == "湖北路"
    assert strip_unit_suffix("涧西区") == "涧西"
    assert strip_unit_suffix("社区活动") == "社区活动"


def test_local_place_of_a_unit_name() -> None:
    assert local_place("涧西区湖北路街道") == "湖北路街道"
    assert local_place("涧西区湖北路街道党工委") == "湖北路街道"
    assert local_place("金水区东风路街道办事处") == "东风路街道"
    assert local_place("涧西区") is None


def test_captions_that_open_with_a_place() -> None:
    assert starts_with_place("武汉路社区党委开展庆祝活动")
    assert starts_with_place("小铺村签约现场")
    assert not starts_with_place("开展庆祝活动")


def test_named_units_read_each_unit_of_a_chain() -> None:
    text = "涧西区湖北路街道和伊川县白沙镇的社区党委参加了活动，全区、全省各社区节省开支。"
    assert named_units(text) == ["涧西区", "湖北路街道", "伊川县", "白沙镇"]


def test_a_housing_estate_is_a_unit_after_its_proper_name() -> None:
    assert named_units("通元花园小区到目前为止有几户业主领到房产证？") == ["通元花园小区"]
    # a dot inside a name keeps it one name
    assert named_units("香榭丽·黎明小区开过几次会？")[0] == "香榭丽·黎明小区"
    # words that describe an estate name none
    for text in ("完成了6个老旧小区的改造", "推进智慧小区建设", "该小区居民", "在安置小区里"):
        assert named_units(text) == [], text


def test_a_kind_of_area_is_no_district() -> None:
    assert named_units("单位宿舍区住的都是职工家属") == []
    assert named_units("工业区和生活区分开") == []
    assert named_units("涧西区和西工区") == ["涧西区", "西工区"]


def test_generic_words_run_together_name_no_unit() -> None:
    # 街道社区(办主任) is an office of the street, not a community called 街道
    assert named_units("街道党工委将其破格提拔为街道社区办主任。") == []


def test_a_kind_of_company_is_no_unit_but_a_company_by_name_is() -> None:
    assert named_units("物业公司替自来水公司、电力公司代收水电费") == []
    assert named_units("燃气公司上门检查") == []
    assert named_units("洛阳银隆公司有多少员工？") == ["洛阳银隆公司"]


def test_regions_are_administrative_places_only() -> None:
    text = "洛阳市涧西区湖北路街道天四社区召开会议，社会心理服务中心参加。全区各小区。"
    regions = find_regions(text)
    assert set(regions) == {"洛阳市", "涧西区", "湖北路街道", "天四社区"}
    for start, end, name in region_spans(text):
        assert text[start:end] == name


def test_known_name_is_read_whole_over_a_cut_that_leaves_a_fragment():
    from textcore import gazetteer_spans, named_units

    question = "汛期前天九社区对危房小区采取了什么措施？"
    assert gazetteer_spans(question, ["天九社区", "九社区", "湖北路街道"]) == [(3, 7, "天九社区")]
    assert named_units(question, ["天九社区"]) == ["天九社区"]
    # a longer name the segmenter reads keeps what it holds; unknown names stay as read
    assert "涧西区" in named_units("涧西区湖北路街道有多少户？", ["湖北路街道"])
    assert named_units("西工区有多少个驿站？", ["天九社区"]) == named_units("西工区有多少个驿站？")
