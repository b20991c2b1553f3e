"""Chunking: properties over generated Chinese-like texts, and examples on the sample corpus."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import Chunk, DocumentMetadata, SourceDocument, chunk_document, split_sentences
from ingest.chunking import max_chunk_length
from tests.conftest import CORPUS_DIR


def _doc(text: str, doc_id: str = "d0c") -> SourceDocument:
    return SourceDocument(
        doc_id=doc_id,
        source_key=f"{doc_id}.txt",
        text=text,
        content_hash="",
        metadata=DocumentMetadata(title="测试"),
    )


def _corpus(prefix: str) -> SourceDocument:
    (path,) = sorted(CORPUS_DIR.glob(f"{prefix}_*.txt"))
    return _doc(path.read_text(encoding="utf-8"), doc_id=prefix)


def _chunk_containing(chunks: list[Chunk], needle: str) -> Chunk:
    return next(c for c in chunks if needle in c.text)


# --- generated texts ----------------------------------------------------------

_WORDS = st.text(
    alphabet="社区街道党建服务居民网格志愿者工作开展组织推进治理老旧小区改造12345abcXY",
    min_size=1,
    max_size=10,
)
_TERMINATOR = st.sampled_from(
    ["。", "！", "？", "；", "!", "?", ";", "。”", "！」", "？）", "。’”"]
)


@st.composite
def _sentence(draw) -> str:
    clauses = draw(st.lists(_WORDS, min_size=1, max_size=6))
    return draw(st.sampled_from(["，", "、", ","])).join(clauses) + draw(_TERMINATOR)


@st.composite
def _run_on(draw) -> str:
    """A sentence far longer than any chunk: with commas, or with no break at all."""
    n = draw(st.integers(min_value=20, max_value=120))
    sep = draw(st.sampled_from(["，", "、", ""]))
    return sep.join(draw(_WORDS) for _ in range(n)) + draw(st.sampled_from(["。", ""]))


@st.composite
def _heading(draw) -> str:
    title = draw(_WORDS)
    form = draw(
        st.sampled_from(
            [
                "一、{}",
                "二、{}",
                "（一）{}。",
                "(二){}。",
                "1.{}",
                "2、{}",
                "（1）{}",
                "——{}。",
                "# {}",
                "### {}",
                "{}工作",
            ]
        )
    )
    return form.format(title)


@st.composite
def _line(draw) -> str:
    kind = draw(st.sampled_from(["heading", "paragraph", "paragraph", "run_on", "blank"]))
    if kind == "heading":
        line = draw(_heading())
        if draw(st.booleans()):  # a lead heading followed by its paragraph
            line += "".join(draw(st.lists(_sentence(), max_size=4)))
        return line
    if kind == "run_on":
        return draw(_run_on())
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\u3000\u3000", "\t"]))
    pad = draw(st.sampled_from(["", "  ", "\u3000\u3000"]))
    return pad + draw(st.sampled_from(["", " "])).join(
        draw(st.lists(_sentence(), min_size=1, max_size=12))
    )


_TEXTS = st.builds(
    lambda lines, seps: "".join(line + sep for line, sep in zip(lines, seps, strict=False)),
    st.lists(_line(), min_size=0, max_size=25),
    st.lists(
        st.sampled_from(["\n", "\n\n", "\r\n", " \n", "\n\u3000\n"]), min_size=25, max_size=25
    ),
)
_SIZES = st.tuples(st.integers(min_value=50, max_value=600), st.floats(min_value=0, max_value=0.49))


def _check_invariants(text: str, target: int, overlap: int) -> list[Chunk]:
    chunks = chunk_document(_doc(text), target_size=target, overlap=overlap)
    hard_max = max_chunk_length(target)
    for i, c in enumerate(chunks):
        assert c.index == i and c.chunk_id == f"d0c:{i:05d}" and c.doc_id == "d0c"
        assert text[c.start : c.end] == c.text
        assert c.text and c.text == c.text.strip()
        assert len(c.text) <= hard_max
        assert c.content_hash == hashlib.sha256(c.text.encode()).hexdigest()[:16]

    # In order, and together they cover every non-whitespace character.
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        assert prev.start < nxt.start and prev.end < nxt.end
        assert text[prev.end : nxt.start].strip() == ""
        assert prev.end - nxt.start <= overlap
    covered = "".join(text[c.start : c.end] for c in chunks)
    if chunks:
        assert text[: chunks[0].start].strip() == "" and text[chunks[-1].end :].strip() == ""
    else:
        assert text.strip() == ""
    assert covered or not text.strip()

    # A chunk ends only at a sentence end, unless that sentence alone exceeds the maximum.
    sentences = split_sentences(text)
    ends = {e for _, e in sentences}
    starts = {s for s, _ in sentences}
    for c in chunks:
        for pos, edges in ((c.end, ends), (c.start, starts)):
            if pos not in edges:
                s, e = next((s, e) for s, e in sentences if s < pos < e)
                assert e - s > hard_max, f"cut inside a {e - s}-char sentence at {pos}"
    return chunks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, sizes=_SIZES)
def test_chunks_tile_the_text_without_cutting_sentences(text: str, sizes) -> None:
    target, ratio = sizes
    _check_invariants(text, target, int(target * ratio))


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=600))
def test_invariants_hold_for_any_text(text: str) -> None:
    _check_invariants(text, 60, 20)


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS)
def test_sentences_are_trimmed_ordered_and_cover_the_text(text: str) -> None:
    spans = split_sentences(text)
    covered: set[int] = set()
    last_end = 0
    for s, e in spans:
        piece = text[s:e]
        assert last_end <= s < e and piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece
        # Nothing but more end punctuation or closing marks follows an end mark inside a span.
        for k, ch in enumerate(piece):
            if ch in "。！？；!?;":
                assert all(x in "。！？；!?;”’）」』)】》\"'" for x in piece[k:])
        covered.update(range(s, e))
        last_end = e
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


# --- examples -----------------------------------------------------------------


def test_arguments_are_checked_up_front() -> None:
    doc = _doc("社区开展活动。")
    with pytest.raises(ValueError, match="target_size"):
        chunk_document(doc, target_size=49)
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(doc, target_size=100, overlap=50)
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(doc, target_size=100, overlap=-1)


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "他说：“办成了！”大家都笑了。『真好。』\n（完）"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "他说：“办成了！”",
        "大家都笑了。",
        "『真好。』",
        "（完）",
    ]


def test_empty_and_blank_documents_have_no_chunks() -> None:
    assert chunk_document(_doc("")) == []
    assert chunk_document(_doc(" \n\u3000\n\t")) == []


def test_long_sentence_is_cut_after_a_comma() -> None:
    clause = "社区组织志愿者开展入户走访"  # 13 characters
    text = "，".join([clause] * 40) + "。"
    chunks = chunk_document(_doc(text), target_size=100, overlap=0)
    assert len(chunks) > 1
    assert all(c.text.endswith(("，", "。")) for c in chunks)
    assert "".join(c.text for c in chunks) == text


def test_overlap_repeats_whole_sentences() -> None:
    sentences = [f"第{i}项工作已经按计划推进完成。" for i in range(40)]
    text = "".join(sentences)
    chunks = chunk_document(_doc(text), target_size=120, overlap=40)
    spans = set(split_sentences(text))
    repeated = [(nxt.start, prev.end) for prev, nxt in zip(chunks, chunks[1:], strict=False)]
    assert any(s < e for s, e in repeated)
    for s, e in repeated:
        if s < e:
            assert (s, e) in spans or text[s:e].endswith("。")
            assert e - s <= 40
    no_overlap = chunk_document(_doc(text), target_size=120, overlap=0)
    assert all(a.end <= b.start for a, b in zip(no_overlap, no_overlap[1:], strict=False))


def test_tiny_tail_is_merged_into_the_previous_chunk() -> None:
    body = "街道党工委召开专题会议，研究部署老旧小区改造工作。" * 12
    text = body + "\n会议要求抓好落实。"
    chunks = chunk_document(_doc(text), target_size=200, overlap=0)
    assert len(chunks[-1].text) >= 50
    assert chunks[-1].text.endswith("会议要求抓好落实。")


def test_headings_start_chunks_and_nest() -> None:
    text = (
        "一、加强组织建设\n（一）建强班子。"
        + "社区党委定期召开会议，研究解决群众急难愁盼问题。" * 6
        + "\n（二）锻造队伍。"
        + "街道每年组织社区干部轮训，提升服务本领。" * 6
        + "\n二、提升服务水平\n"
        + "社区开设老年食堂，为高龄老人提供助餐服务。" * 6
    )
    chunks = chunk_document(_doc(text), target_size=200, overlap=30)
    for heading in ("（二）锻造队伍。", "二、提升服务水平"):
        assert any(c.text.startswith(heading) for c in chunks), heading
    assert _chunk_containing(chunks, "研究解决群众").heading_path == (
        "一、加强组织建设",
        "（一）建强班子。",
    )
    assert _chunk_containing(chunks, "锻造队伍").heading_path == (
        "一、加强组织建设",
        "（二）锻造队伍。",
    )
    assert _chunk_containing(chunks, "老年食堂").heading_path == ("二、提升服务水平",)


def test_seed_001_subsection_sits_under_its_section() -> None:
    chunks = chunk_document(_corpus("001"))
    chunk = _chunk_containing(chunks, "(一)做好顶层设计")
    assert chunk.heading_path[0].startswith("一、压实工作责任")
    assert chunk.heading_path[1] == "(一)做好顶层设计。"
    # Photo captions between headings are not headings.
    assert not any("文艺汇演" in label for c in chunks for label in c.heading_path)
    assert _chunk_containing(chunks, "二是建设党建文化广场").heading_path[0].startswith("三、")


def test_seed_000_lead_lines_and_plain_titles_are_headings() -> None:
    chunks = chunk_document(_corpus("000"))
    assert (
        _chunk_containing(chunks, "社区虽小，却连着千家万户").heading_path[-1]
        == "打造红色引擎 下好城市治理这盘棋"
    )
    assert any(c.text.startswith("叫响红色品牌 开创街道工作新局面") for c in chunks)


def test_seed_002_markdown_headings_form_the_path() -> None:
    chunks = chunk_document(_corpus("002"))
    path = _chunk_containing(chunks, "构建区域化党建红盟服务圈").heading_path
    assert path[0] == "红色引擎促区域融合 浩荡东风催朝夕前行"
    assert "延伸服务触角 提升党建功能承载力" in path
    assert path[-1].startswith("——厚植“长板”")


def test_seed_003_byline_is_not_a_heading_and_trailing_article_is_its_own_section() -> None:
    chunks = chunk_document(_corpus("003"))
    labels = {label for c in chunks for label in c.heading_path}
    assert not any("供图" in label or "记者" in label for label in labels)
    assert _chunk_containing(chunks, "消除燃气安全隐患").heading_path == (
        "北京建外街道拆除“老赖”违建",
    )


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
@pytest.mark.parametrize(("target", "overlap"), [(400, 60), (200, 30), (800, 0)])
def test_seeds_respect_the_bounds(prefix: str, target: int, overlap: int) -> None:
    doc = _corpus(prefix)
    chunks = _check_invariants(doc.text, target, overlap)
    assert len(chunks) >= len(doc.text) // max_chunk_length(target)
    # Few chunks are tiny: only where a section is short and cannot merge.
    tiny = [c for c in chunks if len(c.text) < target // 4]
    assert len(tiny) <= max(1, len(chunks) // 10)


def test_chunking_is_deterministic() -> None:
    doc = _corpus("001")
    assert chunk_document(doc) == chunk_document(doc)
