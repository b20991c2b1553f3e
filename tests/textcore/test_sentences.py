"""One sentence splitter: the spans are sound, and every reader cuts any text the same way."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from answer.citations import split_cited_sentences
from ingest.chunking import _units
from textcore import (
    CITATION_MARKER,
    CLOSERS,
    SENTENCE_ENDS,
    check_facts,
    compact,
    content_chars,
    sentence_at,
    sentence_texts,
    split_lines,
    split_sentences,
    trim_span,
)

# Chinese text with every mark the splitter treats specially, plus the ones it must not.
_ALPHABET = (
    "社区街道党委开展活动居民服务12３.%，、：；;。！？!?…”’）」』)】》\"'“‘（《【 \t\n\r\u3000"
)
_TEXTS = st.text(alphabet=_ALPHABET, max_size=300)
_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)


def _check_spans(text: str) -> list[tuple[int, int]]:
    spans = split_sentences(text)
    last_end = 0
    for start, end in spans:
        assert 0 <= last_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert not any(ch in piece for ch in "\n\r\v\f\x85\u2028\u2029")
        # only more end marks or closing marks follow an end mark inside a sentence
        for k, ch in enumerate(piece):
            if ch in SENTENCE_ENDS:
                assert all(x in SENTENCE_ENDS + CLOSERS for x in piece[k:])
        # what lies between sentences is whitespace
        assert text[last_end:start].strip() == ""
        last_end = end
    assert text[last_end:].strip() == ""
    return spans


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS)
def test_sentences_rejoin_into_the_text(text: str) -> None:
    _check_spans(text)
    # the sentences hold every non-whitespace character of the text, in order
    assert "".join("".join(sentence_texts(text)).split()) == "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(text=_ANY_TEXT)
def test_offsets_stay_in_range_for_any_text(text: str) -> None:
    _check_spans(text)


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS)
def test_the_chunker_packs_exactly_these_sentences(text: str) -> None:
    # With a maximum no sentence reaches, every chunking unit is one whole sentence —
    # except that a line holding a tab is a table row, kept whole as one unit.
    units = _units(text, target_size=len(text) + 50, hard_max=len(text) + 50)
    rows = [(s, e) for s, e in split_lines(text) if "\t" in text[s:e].strip()]
    expected = [
        span for span in split_sentences(text) if not any(s <= span[0] < e for s, e in rows)
    ]
    expected += [trim_span(text, s, e) for s, e in rows]
    assert sorted((u.start, u.end) for u in units) == sorted(x for x in expected if x)


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS)
def test_citations_cut_answers_where_the_splitter_does(text: str) -> None:
    assume(CITATION_MARKER.search(text) is None)  # markers move to the sentence they close
    # split_cited_sentences drops sentences with no content (a lone 。) and strips them
    expected = [s for s in sentence_texts(text) if content_chars(s)]
    assert [sentence for sentence, _ in split_cited_sentences(text)] == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(
        st.sampled_from(
            ["开展活动32场", "覆盖居民1200户", "2022年9月", "七个社区", "，", "。", "！", "；",
             "”", "\n", " ", "服务", "湖北路街道", "98.8%"]
        ),
        max_size=30,
    )
)  # fmt: skip
def test_the_fact_check_names_the_splitters_sentence(pieces: list[str]) -> None:
    text = "".join(pieces)
    norm = compact(text)
    sentences = set(sentence_texts(norm))
    # no source: every fact is an issue, and each names the sentence it stands in
    for issue in check_facts(text, []):
        assert issue.sentence in sentences
        assert issue.text in issue.sentence


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    text = "他说：“办成了！”大家都笑了。『真好。』\n（完）"
    assert sentence_texts(text) == ["他说：“办成了！”", "大家都笑了。", "『真好。』", "（完）"]


def test_semicolons_and_half_width_marks_end_sentences_but_pauses_do_not() -> None:
    text = "一是建强班子；二是完善机制;三是抓好落实!好吗?好的，继续、推进：完成…"
    assert sentence_texts(text) == [
        "一是建强班子；",
        "二是完善机制;",
        "三是抓好落实!",
        "好吗?",
        "好的，继续、推进：完成…",
    ]


def test_every_line_break_ends_a_sentence() -> None:
    text = "标题\r\n第一段\u2028第二段\x85第三段"
    assert sentence_texts(text) == ["标题", "第一段", "第二段", "第三段"]
    assert [text[s:e] for s, e in split_lines(text)] == ["标题", "第一段", "第二段", "第三段"]


def test_sentence_at_finds_the_sentence_around_an_offset() -> None:
    text = "第一句。 第二句！"
    assert sentence_at(text, 0) == (0, 4)
    assert sentence_at(text, 6) == (5, 9)
    assert sentence_at(text, 4) is None  # the space between them
    assert sentence_at(text, 99) is None


def test_trim_span_drops_surrounding_whitespace() -> None:
    assert trim_span("  社区 \u3000", 0, 6) == (2, 4)
    assert trim_span("   ", 0, 3) is None
