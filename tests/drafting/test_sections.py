"""Sentence roles and section rules (drafting/data/sections.toml), on corpus sentences."""

from __future__ import annotations

import pytest

from drafting.sections import Role, classify_sentence, fits_section


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # The example: a description of the street, not a problem.
        (
            "该街道地处涧西区核心地带,包括区委区政府等128个党政机关,人口老龄化问题突出。",
            Role.BACKGROUND,
        ),
        ("下一步,街道将继续深化“五星”支部创建。", Role.FORWARD),
        ("部分小区物业管理仍然薄弱,居民参与议事的积极性有待提高。", Role.PROBLEM),
        ("群众也有更高品质的诉求,需要通过市场化手段填补。", Role.PROBLEM),
        ("完成了29个小区卡口60余天的防疫执勤守卫。", Role.RESULT),
        ("我街道已完成了一个街道级和七个社区级养老阵地建设。", Role.RESULT),
        ("七二五社区形成四维联动的治理模式,解决了群众期盼的“一号清单”。", Role.WORK),
        ("稳住经济大盘,服务项目建设。", Role.WORK),
        ("洛阳东方控股公司位于城区北部的一条街上的一个角落里面的。", Role.BACKGROUND),
        ("天气晴好。", Role.OTHER),
    ],
)
def test_roles(text, role):
    assert classify_sentence(text) is role


def test_a_problem_that_was_met_is_not_a_problem():
    assert (
        classify_sentence("街道选派第一书记,化解了社区书记人选难以确定的困难。") is not Role.PROBLEM
    )


def test_a_section_takes_only_what_it_accepts():
    background = "该街道地处涧西区核心地带。"
    assert fits_section(background, ("background", "work", "result"))
    assert not fits_section(background, ("problem",))
    assert not fits_section("下一步,街道将继续推进。", ("work", "result"))
    assert fits_section("天气晴好。", ())
