"""The fact check: numbers, dates and named units must be in a source."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textcore.facts import check_facts, extract_facts

SOURCE = (
    "2022年9月7日，开元路街道党工委召开会议。街道储备基层党务后备力量90人，"
    "其中32 人通过社区“两委”换届走上重要岗位。今天的东风路街道有着12.8万常住人口，"
    "3.7万流动人口。小铺村15天签订263户，完成98.8%。湖北路街道下辖七个居民社区，"
    "辖区内有LY188电商直播公园党支部和西工区014中心社区。"
    "由街道社会心理服务中心开发的微党课。２０１８年以来，累计开展３４００余场活动。"
)


def kinds(issues):
    return [(i.kind, i.text) for i in issues]


@pytest.mark.parametrize(
    "text",
    [
        "其中32人通过社区换届走上重要岗位[1]。",
        "其中３２人走上重要岗位。",  # full-width digits
        "东风路街道常住人口12.8万人，流动人口3.7万人。",
        "东风路街道常住人口128000人。",
        "签约完成98.8%，共263户，用时15天。",
        "湖北路街道下辖七个居民社区。",
        "湖北路街道下辖7个居民社区。",
        "2022年9月，开元路街道党工委召开会议。",
        "9月7日召开会议。",
        "2018年以来累计开展3400余场活动。",
        "LY188电商直播公园党支部。",
        "西工区014中心社区。",
        "由街道社会心理服务中心开发。",
        "1、加强党建。（2）完善机制。",  # list markers are layout
        "全区各社区的物业公司和社区党委积极参与。",  # generic units name nothing
    ],
)
def test_supported_facts_raise_no_issue(text: str) -> None:
    assert check_facts(text, [SOURCE]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("其中33人走上重要岗位。", [("number", "33人")]),
        ("湖北路街道下辖8个居民社区。", [("number", "8个")]),
        ("湖北路街道下辖九个居民社区。", [("number", "九个")]),
        ("签约完成99.8%。", [("number", "99.8%")]),
        ("其中32个社区参与。", [("number", "32个")]),  # same value, other unit
        ("2021年9月召开会议。", [("date", "2021年9月")]),
        ("2022年10月召开会议。", [("date", "2022年10月")]),
        ("9月8日召开会议。", [("date", "9月8日")]),
        ("陆家嘴街道也参加了。", [("unit", "陆家嘴街道")]),
        ("上海市浦东新区开展活动。", [("unit", "上海市浦东新区")]),
        ("LY18电商直播公园。", [("number", "LY18")]),
        ("由街道社会心理咨询中心开发。", [("unit", "社会心理咨询中心")]),
    ],
)
def test_unsupported_facts_are_flagged(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(check_facts(text, [SOURCE])) == expected


def test_issue_names_the_sentence_it_occurs_in() -> None:
    text = "开元路街道党工委召开会议。其中45人走上重要岗位。"
    (issue,) = check_facts(text, [SOURCE])
    assert issue.text == "45人"
    assert issue.sentence == "其中45人走上重要岗位。"


def test_any_source_may_support_a_fact() -> None:
    text = "其中32人走上重要岗位，辖区有18家驻区单位。"
    assert kinds(check_facts(text, ["其中32人走上重要岗位"])) == [("number", "18家")]
    assert check_facts(text, ["其中32人走上重要岗位", "18家驻区单位加入联盟"]) == []


def test_nested_units_are_checked_one_by_one() -> None:
    facts = [(f.kind, f.text) for f in extract_facts("洛阳市涧西区湖北路街道天四社区党委")]
    assert facts == [
        ("unit", "洛阳市"),
        ("unit", "涧西区"),
        ("unit", "湖北路街道"),
        ("unit", "天四社区"),
    ]
    assert kinds(check_facts("涧西区湖北路街道", ["湖北路街道"])) == [("unit", "涧西区")]


def test_numbers_inside_dates_are_not_checked_twice() -> None:
    facts = extract_facts("2022年9月7日")
    assert [(f.kind, f.text) for f in facts] == [("date", "2022年9月7日")]


def test_the_real_corpus_supports_its_own_gold_facts(corpus_dir) -> None:
    sources = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    for text in ["网格党支部238个，楼栋党小组262个", "3400余场，80000余人次", "91个成员单位"]:
        assert check_facts(text, sources) == [], text


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["人", "个", "户", "家", "%"]))
def test_a_number_is_supported_exactly_when_a_source_states_it(value: int, unit: str) -> None:
    source = f"共有{value}{unit}参加。"
    assert check_facts(f"参加的有{value}{unit}。", [source]) == []
    assert kinds(check_facts(f"参加的有{value + 1}{unit}。", [source])) == [
        ("number", f"{value + 1}{unit}")
    ]
