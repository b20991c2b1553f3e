"""Encodings Chinese office files really come in, decoded back to the same text."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from ingest import CorruptFileError, decode_text, read_document
from tests.ingest.builders import SAMPLE_TEXT

ENCODINGS = {
    "utf-8": SAMPLE_TEXT.encode("utf-8"),
    "utf-8 with BOM": codecs.BOM_UTF8 + SAMPLE_TEXT.encode("utf-8"),
    "gbk": SAMPLE_TEXT.encode("gbk"),
    "gb18030": SAMPLE_TEXT.encode("gb18030"),
    "utf-16 LE with BOM": codecs.BOM_UTF16_LE + SAMPLE_TEXT.encode("utf-16-le"),
    "utf-16 BE with BOM": codecs.BOM_UTF16_BE + SAMPLE_TEXT.encode("utf-16-be"),
    "utf-16 LE without BOM": SAMPLE_TEXT.encode("utf-16-le"),
    "utf-16 BE without BOM": SAMPLE_TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("name", ENCODINGS)
def test_decodes_every_supported_encoding_exactly(name: str) -> None:
    assert decode_text(ENCODINGS[name]) == SAMPLE_TEXT


def test_gb18030_only_characters_survive() -> None:
    text = "㐀䶵 扩展字符与“——”破折号。\n"  # 㐀 is outside GBK: only GB18030 encodes it
    assert decode_text(text.encode("gb18030")) == text


def test_short_gbk_text_is_not_mistaken_for_korean() -> None:
    # charset-normalizer alone calls these 12 bytes cp949.
    assert decode_text("湖北路街道——".encode("gbk")) == "湖北路街道——"


def test_declared_gb2312_is_read_as_gb18030_keeping_the_dash() -> None:
    data = "破折号——不能丢".encode("gbk")
    assert "——" not in data.decode("gb2312", errors="replace")  # the trap being avoided
    assert decode_text(data, declared="gb2312") == "破折号——不能丢"


def test_newlines_are_normalised_and_full_width_punctuation_kept() -> None:
    text = decode_text("第一行，全角：标点！\r\n第二行（括号）\r第三行".encode())
    assert text == "第一行，全角：标点！\n第二行（括号）\n第三行"


def test_binary_data_is_refused() -> None:
    data = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(4000)
    with pytest.raises(CorruptFileError):
        decode_text(data)


@pytest.mark.parametrize("name", ["gbk", "gb18030", "utf-16 LE with BOM", "utf-8 with BOM"])
def test_read_document_decodes_files_with_chinese_names(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"编码 测试 {name}.txt"
    path.write_bytes(ENCODINGS[name])
    doc = read_document(path)
    assert "——以“开放”姿态凝聚力量，激发基层组织新活力。" in doc.text
    assert "\ufeff" not in doc.text
    assert doc.metadata.title == "湖北路街道以党建高质量发展引领“五星”支部创建工作"
