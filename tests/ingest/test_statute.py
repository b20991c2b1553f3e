"""Statutes: structure, header metadata, article chunks, cross-references, formats."""

from __future__ import annotations

import logging
from pathlib import Path

import docx
import pytest

import ingest
from ingest import chunk_document, is_statute, parse_header, parse_statute, read_document
from ingest.statute import MAX_CONTEXT_CHARS, cn_numeral_value
from ingest.types import DocumentMetadata, SourceDocument
from tests.ingest.builders import soffice_convert

TITLE = "某市社区事务管理条例"
HEADER = (
    "2015年10月21日 国务院第109次常务会议通过",
    "2015年11月26日 中华人民共和国国务院令第663号公布",
    "2016年1月1日 施行",
)
BODY = (
    "第一章 总则",
    "第一条 为了规范社区事务管理，制定本条例。",
    "第二条 居民委员会协助街道办事处开展工作。",
    "第二章 申请与审批",
    "第三条 申请社区救助，按照下列程序办理：",
    "（一）由本人向户籍所在地的街道办事处提出书面申请；",
    "（二）街道办事处通过入户调查等方式核实家庭状况；",
    "（三）县级人民政府民政部门审批。",
    "第四条 对本条例第三条第（二）项规定的事项，居民委员会应当予以协助。",
    "第五条 街道办事处应当自受理之日起十五日内作出决定。",
    "不予批准的，应当书面说明理由。",
    "对前款规定的决定不服的，可以依照本条例第五条申请复核。",
    "第三章 附则",
    "第六条 本条例自2016年1月1日起施行。",
)
STATUTE = "\n".join((TITLE, *HEADER, *BODY)) + "\n"


def _doc(text: str, *, name: str = "statute.md") -> SourceDocument:
    return SourceDocument(
        doc_id="d1",
        source_key=name,
        text=text,
        content_hash="h",
        metadata=DocumentMetadata(title=TITLE),
    )


def test_numerals() -> None:
    assert cn_numeral_value("二十三") == 23
    assert cn_numeral_value("一百零五") == 105
    assert cn_numeral_value("十") == 10
    assert cn_numeral_value("１２") == 12
    assert cn_numeral_value("条") is None


def test_statute_is_recognised_and_news_is_not() -> None:
    assert is_statute(STATUTE)
    news = "记者从街道获悉，依照本条例第三条的规定，社区开展了活动。\n" * 5
    assert not is_statute(news)


def test_articles_chapters_and_items() -> None:
    structure = parse_statute(STATUTE)
    assert [a.label for a in structure.articles] == [f"第{n}条" for n in "一二三四五六"]
    assert [a.number for a in structure.articles] == [1, 2, 3, 4, 5, 6]
    third = structure.article("第三条")
    assert third is not None
    assert third.path == ("第二章 申请与审批",)
    assert len(third.lines) == 4  # the lead-in and three items
    assert structure.article("第六条").path == ("第三章 附则",)  # type: ignore[union-attr]
    assert structure.warnings == ()


def test_header_metadata() -> None:
    header = parse_header(STATUTE)
    assert header.title == TITLE
    assert header.doc_type == "行政法规"
    assert header.issuer == "国务院"
    assert header.doc_number == "中华人民共和国国务院令第663号"
    assert header.adopted == "2015-10-21"
    assert header.promulgated == "2015-11-26"
    assert header.effective == "2016-01-01"
    assert header.superseded is False


@pytest.mark.parametrize(
    ("title", "header", "doc_type"),
    [
        (
            "中华人民共和国某某法",
            "2010年8月28日 第十一届全国人民代表大会常务委员会第十六次会议通过",
            "法律",
        ),
        ("中国共产党基层组织工作条例", "2019年1月1日 中共中央发布", "党内法规"),
        ("某某管理暂行办法", "2014年2月21日 中华人民共和国国务院令第649号公布", "行政法规"),
        ("关于加强社区治理的实施意见", "2020年3月1日 某某市人民政府印发", "规范性文件"),
    ],
)
def test_document_type_from_title_and_issuer(title: str, header: str, doc_type: str) -> None:
    text = "\n".join((title, header, *BODY))
    assert parse_header(text).doc_type == doc_type


def test_superseded_when_the_header_says_so_not_when_an_article_repeals_another() -> None:
    repealing = STATUTE + "第七条 原《社区事务暂行规定》同时废止。\n"
    assert parse_header(repealing).superseded is False
    repealed = "\n".join((TITLE, *HEADER, "2020年5月1日 废止", *BODY))
    assert parse_header(repealed).superseded is True


def test_amendment_date_is_the_effective_date_of_the_current_text() -> None:
    text = "\n".join(
        (
            "中华人民共和国某某法",
            "1998年4月29日 第九届全国人民代表大会常务委员会第二次会议通过",
            "2021年4月29日 第十三届全国人民代表大会常务委员会第二十八次会议第二次修正",
            *BODY[:3],
            "第三条 本法自2009年5月1日起施行。",
        )
    )
    header = parse_header(text)
    assert header.amended == "2021-04-29"
    assert header.effective == "2021-04-29"
    assert header.doc_type == "法律"


def test_extract_metadata_describes_a_statute() -> None:
    meta = ingest.extract_metadata(STATUTE, filename="条例.md")
    assert meta.doc_type == "行政法规"
    assert meta.effective == "2016-01-01"
    assert meta.date == "2015-11-26"
    assert meta.source == "国务院"
    assert meta.doc_number == "中华人民共和国国务院令第663号"


def test_one_chunk_per_article_with_chapter_path_and_label() -> None:
    doc = _doc(STATUTE)
    chunks = chunk_document(doc)
    articles = [c for c in chunks if c.article]
    assert [c.article for c in articles] == [f"第{n}条" for n in "一二三四五六"]
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
    third = next(c for c in chunks if c.article == "第三条")
    assert third.heading_path == ("第二章 申请与审批",)
    assert "（三）县级人民政府民政部门审批。" in third.text
    # The header block is kept as a chunk of its own; chapter headings live in the paths.
    assert chunks[0].article == "" and "国务院令第663号" in chunks[0].text
    assert not any(c.text == "第一章 总则" for c in chunks)


def test_nothing_of_the_text_is_lost() -> None:
    doc = _doc(STATUTE)
    covered = "".join(c.text for c in chunk_document(doc))
    for line in STATUTE.splitlines():
        if line.startswith("第") and line[2] in "章":
            continue
        assert line in covered, line


def test_cross_references_travel_as_context() -> None:
    chunks = {c.article: c for c in chunk_document(_doc(STATUTE)) if c.article}
    fourth = chunks["第四条"].context
    # "本条例第三条第（二）项": the item, with its lead-in.
    assert fourth.startswith("第三条第（二）项：")
    assert "按照下列程序办理" in fourth and "入户调查" in fourth
    assert "县级人民政府民政部门审批" not in fourth
    # A self-reference adds nothing; an article without references has no context.
    assert chunks["第五条"].context == ""
    assert chunks["第一条"].context == ""


def test_reference_to_another_law_is_not_resolved() -> None:
    text = STATUTE.replace(
        "第二条 居民委员会协助街道办事处开展工作。",
        "第二条 依照《中华人民共和国城市居民委员会组织法》第三条的规定开展工作。",
    )
    chunks = {c.article: c for c in chunk_document(_doc(text)) if c.article}
    assert chunks["第二条"].context == ""


def _long_article() -> str:
    items = [
        f"（{n}）第{n}项事务应当由社区居民委员会会同有关单位认真办理并及时报告情况"
        for n in "一二三四五六七八九十"
    ]
    paragraphs = [
        "第一条 为了规范社区事务，制定本条例。",
        "第二条 社区居民委员会应当办理下列事务：",
        *[item + "；" for item in items],
        "街道办事处对前款规定的事务给予指导。" + "有关部门应当支持配合。" * 20,
        "违反前款规定的，由街道办事处责令改正。",
        "第三条 本条例自公布之日起施行。",
    ]
    return "\n".join((TITLE, *paragraphs)) + "\n"


def test_long_article_split_between_paragraphs_items_keep_their_lead_in() -> None:
    text = _long_article()
    doc = _doc(text)
    chunks = chunk_document(doc, target_size=200, overlap=20)
    second = [c for c in chunks if c.article == "第二条"]
    assert len(second) > 1
    hard_max = ingest.max_chunk_length(200)
    for chunk in second:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= hard_max
        lines = chunk.text.splitlines()
        if lines[0].startswith("（"):
            # An item list cut in two: the later piece names its lead-in.
            assert chunk.heading_path[-1] == "第二条 社区居民委员会应当办理下列事务："
        else:
            assert not any(line.endswith("：") for line in lines[-1:])  # no lead-in left alone
    joined = "\n".join(c.text for c in second)
    assert all(f"第{n}项事务" in joined for n in "一二三四五六七八九十")
    # "前款" in a later piece: the earlier 款 of the article travel with it.
    later = [c for c in second if "违反前款规定" in c.text]
    assert later and "第二条：" in later[0].context
    assert all(len(line) <= MAX_CONTEXT_CHARS + 10 for line in later[0].context.splitlines())


def test_broken_numbering_is_indexed_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    text = "\n".join(
        (
            TITLE,
            *(f"第{n}条 第{n}条的内容，社区应当遵守。" for n in "一二三四五"),
            "第五条 重复编号的第五条，内容不同。",
            *(f"第{n}条 第{n}条的内容，社区应当遵守。" for n in ("六", "七", "八", "九")),
            "第十一条 第十条缺失之后的条文。",
        )
    )
    structure = parse_statute(text)
    assert any("第五条 appears 2 times" in w for w in structure.warnings)
    assert any("第10条 missing before 第十一条" in w for w in structure.warnings)
    with caplog.at_level(logging.WARNING, logger="ingest.statute"):
        chunks = chunk_document(_doc(text, name="broken.md"))
    assert "broken.md" in caplog.text and "missing" in caplog.text
    labels = [c.article for c in chunks if c.article]
    assert labels.count("第五条") == 2
    assert "重复编号的第五条" in "".join(c.text for c in chunks)
    assert labels[-1] == "第十一条"


# -- the same text as .md, .txt, .docx and .pdf --------------------------------


def _write_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = TITLE
    for line in (TITLE, *HEADER, *BODY):
        document.add_paragraph(line)
    document.save(str(path))


@pytest.fixture(scope="module")
def statute_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("statute")
    files = {
        "md": folder / "条例.md",
        "txt": folder / "条例.txt",
        "docx": folder / "条例.docx",
    }
    files["md"].write_text(
        "\n\n".join((f"# {TITLE}", *HEADER, *(f"## {b}" if "章" in b[:4] else b for b in BODY))),
        encoding="utf-8",
    )
    files["txt"].write_text(STATUTE, encoding="gb18030")
    _write_docx(files["docx"])
    return files


@pytest.mark.parametrize("fmt", ["md", "txt", "docx", "pdf"])
def test_every_format_gives_the_same_articles(
    fmt: str, statute_files: dict[str, Path], tmp_path: Path
) -> None:
    path = (
        soffice_convert(statute_files["docx"], "pdf", tmp_path)
        if fmt == "pdf"
        else statute_files[fmt]
    )
    doc = read_document(path)
    assert doc.metadata.doc_type == "行政法规"
    assert doc.metadata.effective == "2016-01-01"
    chunks = chunk_document(doc)
    assert [c.article for c in chunks if c.article] == [f"第{n}条" for n in "一二三四五六"]
    third = next(c for c in chunks if c.article == "第三条")
    assert third.heading_path == ("第二章 申请与审批",)
    assert "县级人民政府民政部门审批" in third.text
    fourth = next(c for c in chunks if c.article == "第四条")
    assert "入户调查" in fourth.context


def test_statute_paragraphs_keep_items_with_their_lead_in() -> None:
    text = "第三条 申请按照下列程序：\n（一）提出申请；\n（二）调查核实。\n\n前款规定的期限为30日。"
    assert ingest.statute_paragraphs(text) == [
        "第三条 申请按照下列程序：\n（一）提出申请；\n（二）调查核实。",
        "前款规定的期限为30日。",
    ]
    assert ingest.statute_paragraphs("第一条 只有一款。") == ["第一条 只有一款。"]
