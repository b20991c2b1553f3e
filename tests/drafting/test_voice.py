"""Author voice: one test per rule of drafting/data/voice.toml."""

from __future__ import annotations

import pytest

from drafting.voice import unit_kind, voice_for


@pytest.fixture
def summary():
    return voice_for("湖北路街道", "quarterly-summary")


def test_the_unit_is_read_from_a_name_with_district_and_body():
    voice = voice_for("涧西区湖北路街道办事处", "work-report")
    assert (voice.name, voice.kind, voice.self_name) == ("湖北路街道", "街道", "我街道")
    assert unit_kind("联盟社区") == "社区"
    assert voice_for("联盟社区", "quarterly-summary").self_name == "我社区"


def test_the_units_bodies_drop_its_name(summary):
    assert summary.own_voice("湖北路街道党工委高位谋划。") == "街道党工委高位谋划。"
    assert summary.own_voice("湖北路街道办事处党工委部署。") == "街道党工委部署。"


def test_the_full_name_and_gai_become_the_self_name(summary):
    assert summary.own_voice("目前,该街道已完成建设。") == "目前,我街道已完成建设。"
    assert summary.own_voice("湖北路街道开展活动。") == "我街道开展活动。"


def test_a_district_prefix_goes_with_the_name(summary):
    assert summary.own_voice("涧西区湖北路街道党工委坚持党建引领。") == "街道党工委坚持党建引领。"


def test_beside_another_unit_of_the_kind_the_unit_is_we_never_a_bare_body(summary):
    text = "明确武汉路街道办事处、湖北路街道办事处作为试点街道。"
    assert summary.own_voice(text) == "明确武汉路街道办事处、我街道作为试点街道。"
    text = "长安路街道党工委、湖北路街道党工委联合开展活动。"
    assert summary.own_voice(text) == "长安路街道党工委、我街道党工委联合开展活动。"


def test_document_names_in_title_marks_are_quoted_as_issued(summary):
    text = "出台了《湖北路街道关于物业服务的意见》，湖北路街道推进落实。"
    assert summary.own_voice(text) == "出台了《湖北路街道关于物业服务的意见》，我街道推进落实。"


def test_a_brief_reports_on_the_unit_by_name():
    brief = voice_for("湖北路街道", "brief")
    assert (
        brief.own_voice("该街道湖北路街道党工委开展活动。")
        == "湖北路街道湖北路街道党工委开展活动。"
    )


def test_datelines_are_removed(summary):
    text = "中国经济周刊-经济网讯  洛龙区开元路街道党工委坚持党建引领。"
    assert summary.strip_framing(text) == "洛龙区开元路街道党工委坚持党建引领。"
    assert summary.strip_framing("本报讯（记者 王某）街道开展活动。") == "街道开展活动。"


@pytest.mark.parametrize("opener", ["据了解，", "据悉,", "日前，", "近日，", "记者了解到，"])
def test_reporter_openers_are_removed(summary, opener):
    assert summary.strip_framing(f"{opener}社区开展活动。") == "社区开展活动。"
    assert (
        summary.strip_framing(f"活动结束后，{opener}居民反响良好。") == "活动结束后，居民反响良好。"
    )


@pytest.mark.parametrize("word", ["另外", "此外", "同时", "与此同时"])
def test_a_dangling_connective_at_the_start_is_dropped(summary, word):
    assert summary.drop_connective(f"{word},联盟社区开展活动。") == "联盟社区开展活动。"


def test_a_connective_that_is_part_of_the_sentence_stays(summary):
    assert summary.drop_connective("同时也有更高品质的诉求。") == "同时也有更高品质的诉求。"
    assert summary.drop_connective("社区同时开展两项活动。") == "社区同时开展两项活动。"


def test_relative_years_resolve_from_the_source_date(summary):
    assert summary.resolve_years("今年,社区开展活动。", "2022-09-01") == "2022年,社区开展活动。"
    assert summary.resolve_years("已于去年考上公务员。", "2022-09-01") == "已于2021年考上公务员。"
    assert summary.resolve_years("力争明年建成。", "2022-09-01") == "力争2023年建成。"


def test_a_relative_year_without_a_date_is_left_out_or_refused(summary):
    assert summary.resolve_years("今年以来,社区开展活动。", None) == "社区开展活动。"
    assert summary.resolve_years("已于去年考上公务员。", None) is None
    assert summary.rewrite("已于去年考上公务员。") is None


def test_rewrite_applies_every_rule(summary):
    text = "据了解,今年湖北路街道党工委另外开展活动。"
    assert summary.rewrite(text, source_date="2022-07-01") == "2022年街道党工委另外开展活动。"
