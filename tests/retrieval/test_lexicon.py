"""The domain lexicon: everyday words to statute words, applied to BM25 queries."""

from __future__ import annotations

from importlib import resources

import pytest

from ingest import Chunk
from retrieval import BM25Index, Lexicon, StoredChunk, default_lexicon
from textcore import content_chars


def test_expansion_adds_statute_words_longest_match_first():
    lexicon = Lexicon.from_tsv("# comment\n居委会\t居民委员会\n委会\t委员会\n低保\t最低生活保障\n")
    expansion = lexicon.expand("低保要找居委会吗？")
    assert expansion.matches == (("低保", ("最低生活保障",)), ("居委会", ("居民委员会",)))
    assert expansion.added == ("最低生活保障", "居民委员会")
    assert expansion.text == "低保要找居委会吗？ 最低生活保障 居民委员会"


def test_words_already_in_the_query_or_containing_the_word_are_not_added():
    lexicon = Lexicon.from_tsv("物业费\t物业服务费用\n街道\t街道办事处\n")
    assert lexicon.expand("物业费和物业服务费用").matches == ()
    assert len(lexicon) == 1  # 街道 → 街道办事处 adds only noise to a bigram index
    assert lexicon.expand("街道").text == "街道"


def test_knows_reads_the_everyday_column_only():
    lex = Lexicon.from_tsv("低保\t最低生活保障\n")
    assert lex.knows("低保")
    assert not lex.knows("最低生活保障") and not lex.knows("保")


def test_a_line_without_statute_word_is_an_error():
    with pytest.raises(ValueError, match="line 2"):
        Lexicon.from_tsv("低保\t最低生活保障\n物业费\n")


def test_shipped_lexicon_covers_everyday_words_of_community_work():
    lexicon = default_lexicon()
    assert len(lexicon) >= 100
    for word, term in [
        ("物业费", "物业服务费用"),
        ("低保", "最低生活保障"),
        ("换届", "选举"),
        ("居委会", "居民委员会"),
        ("老人", "老年人"),
        ("着火", "火灾"),
        ("办结", "办理完毕"),
        ("抽烟", "吸烟"),
        ("养狗", "养犬"),
        ("欠薪", "劳动报酬"),
        ("拆迁", "征收"),
        ("退休金", "基本养老金"),
        ("讨饭", "乞讨"),
        ("加油站", "易燃易爆"),
        ("不小心", "过失"),
        ("私自", "擅自"),
        ("发大水", "自然灾害"),
        ("安顿", "安置"),
        ("不准", "禁止"),
        # the statute sections: what residents say for what an article writes
        ("说了算", "决定"),
        ("关起门", "不公开"),
        ("没带齐", "不全"),
        ("上学", "义务教育"),
        ("燃气管", "管路"),
        ("回族", "少数民族"),
        ("无儿无女", "无法定赡养"),
        ("外村人", "村民以外的其他人员"),
        # what a sanction article names, as people tell it (没批下来就先动工建了)
        ("没批下来", "未经批准"),
        ("动工", "施工"),
        ("一直不改", "拒不改正"),
        ("去哪里反映", "投诉"),
        # the second pass: questions as residents tell them
        ("一个人说了算", "少数服从多数"),
        ("消防车进不来", "消防车通道"),
        ("刚搬来", "居住期限"),
    ]:
        assert term in lexicon.expand(f"关于{word}的问题").added, word


def test_shipped_lexicon_lines_parse_once_each():
    """Every line of the shipped file is a group of its own: an everyday word of two
    or more characters, not given twice (a second line would be merged silently), and
    at least one statute word."""
    text = resources.files("retrieval").joinpath("data/lexicon.tsv").read_text(encoding="utf-8")
    words = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, *terms = line.split("\t")
        assert word == word.strip() and len(word) >= 2, f"line {line_no}: {word!r}"
        assert terms and all(t.strip() for t in terms), f"line {line_no}: {line!r}"
        words.append(word)
        # words are compared on content characters (no punctuation): 投入使用、营业
        # would never be met, 投入使用 and 营业 are
        assert all(content_chars(t) == t.strip() for t in terms), f"line {line_no}: {line!r}"
    duplicates = sorted({w for w in words if words.count(w) > 1})
    assert duplicates == []
    assert len(Lexicon.from_tsv(text)) <= len(words)


def _stored(index: int, text: str) -> StoredChunk:
    chunk = Chunk(f"d:{index:05d}", "d", index, text, 0, len(text))
    return StoredChunk(chunk=chunk, title="", source_key="d.md", doc_hash="h", doc_chunks=3)


def test_expansion_reaches_an_article_in_statute_words_but_weighs_less():
    index = BM25Index()
    index.add(
        [
            _stored(0, "第十一条 申请最低生活保障，由共同生活的家庭成员提出书面申请。"),
            _stored(1, "第二十条 居民应当按时缴纳有关费用。"),
            _stored(2, "第三条 低保工作公开公平。"),
        ]
    )
    query = "低保申请"
    expansion = default_lexicon().expand(query)
    plain = [c for c, _ in index.query(query, k=3)]
    expanded = index.query(query, k=3, expansion=" ".join(expansion.added), expansion_weight=0.3)
    assert plain[0] in ("d:00000", "d:00002")
    assert [c for c, _ in expanded][0] == "d:00000"
    # A document matching only through the expansion scores below the question's own words.
    only_expansion = index.query("无关", k=3, expansion="最低生活保障", expansion_weight=0.3)
    own_words = index.query("最低生活保障", k=3)
    assert only_expansion[0][1] == pytest.approx(0.3 * own_words[0][1])
