"""Metadata from the sample articles and from small hand-written texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import extract_metadata, find_regions, read_document
from ingest.metadata import clean_title


def _doc(corpus_dir: Path, seed: str):
    (path,) = corpus_dir.glob(f"{seed}_*.txt")
    return read_document(path)


@pytest.fixture(scope="module")
def seeds(corpus_dir: Path) -> dict:
    return {seed: _doc(corpus_dir, seed) for seed in ("000", "001", "002", "003", "004")}


def test_news_page_metadata(seeds: dict) -> None:
    meta = seeds["004"].metadata
    assert meta.title == "湖北路街道以党建高质量发展引领“五星”支部创建工作"
    assert meta.date == "2022-09-14"
    assert meta.author == "马瑞"
    assert meta.source == "洛阳网"
    assert meta.doc_type == "news"
    assert meta.file_type == "txt"
    assert meta.regions[0] == "湖北路街道"
    assert {"涧西区", "七二五社区", "天四社区", "唐村社区"} <= set(meta.regions)


def test_reporter_byline_and_undated_article(seeds: dict) -> None:
    meta = seeds["003"].metadata
    assert meta.source == "中国城市报"
    assert meta.author == "张永超"
    assert meta.date is None  # "7月7日" has no year and is an event, not the document's date
    assert meta.regions[0] == "西工区"
    assert {"洛阳市", "邙岭路街道", "王城路街道", "西工街道"} <= set(meta.regions)
    assert not {"北京市", "朝阳区", "建外街道"} & set(meta.regions)  # the dropped article's


def test_organisation_byline(seeds: dict) -> None:
    meta = seeds["001"].metadata
    assert meta.author == "中共洛阳市涧西区委组织部"
    assert meta.title.startswith("洛阳市涧西区委书记温清到武汉路街道办事处")
    assert meta.regions[0] == "涧西区"
    assert {"武汉路街道", "武汉路社区", "湖北路街道", "洛阳市"} <= set(meta.regions)


def test_news_agency_dateline(seeds: dict) -> None:
    meta = seeds["000"].metadata
    assert meta.source == "中国经济周刊-经济网"
    assert meta.doc_type == "news"
    assert meta.regions[:3] == ("开元路街道", "洛龙区", "洛阳市")


def test_markdown_title_and_regions(seeds: dict) -> None:
    meta = seeds["002"].metadata
    assert meta.title == "红色引擎促区域融合 浩荡东风催朝夕前行"
    assert meta.regions[0] == "东风路街道"
    assert "金水区" in meta.regions


def test_generic_words_are_not_regions(seeds: dict) -> None:
    junk = {"全区", "全市", "该街道", "社区", "街道", "小区", "辖区", "城市", "城市社区", "各社区"}
    for doc in seeds.values():
        assert not junk & set(doc.metadata.regions), doc.metadata.regions


def test_find_regions_orders_by_frequency() -> None:
    text = "涧西区湖北路街道天四社区开展活动。湖北路街道党工委表示，全区各社区将推广，该街道将继续。湖北路街道。"
    assert find_regions(text) == ["湖北路街道", "涧西区", "天四社区"]


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("天四社区2023年上半年工作总结", "summary"),
        ("关于开展“七一”主题党日活动的方案", "plan"),
        ("湖北路街道2024年重阳节敬老活动方案", "plan"),
        ("关于做好2023年防汛工作的通知", "notice"),
        ("关于加强城市基层党建工作的意见（试行）", "policy"),
        ("涧西区物业服务管理办法", "policy"),
        ("关于印发《网格化管理实施方案》的通知", "notice"),
        ("关于社区养老服务情况的调研报告", "report"),
        ("社区居民公约", "other"),
    ],
)
def test_doc_type_from_title(title: str, doc_type: str) -> None:
    text = f"{title}\n为进一步做好相关工作，现将有关事项明确如下。"
    assert extract_metadata(text, filename="a.docx", raw_hints={}).doc_type == doc_type


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("标题\n发布时间：2022-09-14 10:00\n正文。", "2022-09-14"),
        ("标题\n2023年3月1日\n正文。", "2023-03-01"),
        ("标题\n来源：某某网 2021/11/5\n正文。", "2021-11-05"),
        ("标题\n7月7日，社区召开会议。\n正文。", None),
        ("标题\n建于2001年的小区。\n正文。", None),
        ("通知\n正文。\n某某街道办事处\n2024年1月8日", "2024-01-08"),
    ],
)
def test_dates(text: str, date: str | None) -> None:
    assert extract_metadata(text, filename="a.txt", raw_hints={}).date == date


def test_container_hints_win() -> None:
    meta = extract_metadata(
        "正文第一句话很长很长，没有标题的样子。",
        filename="upload.docx",
        raw_hints={"title": "关于开展文明城市创建工作的通知_某某网", "date": "2023年5月6日"},
    )
    assert meta.title == "关于开展文明城市创建工作的通知"
    assert meta.date == "2023-05-06"
    assert meta.doc_type == "notice"
    assert meta.file_type == "docx"


def test_title_falls_back_to_file_name() -> None:
    meta = extract_metadata("。", filename="社区 工作台账.txt", raw_hints={})
    assert meta.title == "社区 工作台账"


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("湖北路街道引领“五星”支部创建工作_洛阳网", "湖北路街道引领“五星”支部创建工作"),
        ("社区召开党员大会 - 新华网", "社区召开党员大会"),
        ("社区召开党员大会_县区频道_洛阳网", "社区召开党员大会"),
        ("社区召开党员大会", "社区召开党员大会"),
        ("Microsoft Word - 社区工作总结.docx", "社区工作总结"),
    ],
)
def test_clean_title(raw: str, title: str) -> None:
    assert clean_title(raw) == title


def test_own_paper_reporter_is_an_author_not_a_source() -> None:
    meta = extract_metadata(
        "社区召开党员大会\n本报记者 王小明\n正文。", filename="a.txt", raw_hints={}
    )
    assert meta.author == "王小明"
    assert meta.source is None
