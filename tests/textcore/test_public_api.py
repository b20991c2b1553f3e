"""textcore's public names are pinned: a change to them is a change to every package above."""

from __future__ import annotations

import importlib
from pathlib import Path

import textcore

PUBLIC = {
    "ADMIN_SUFFIXES", "BRACKET_PAIRS", "CITATION_MARKER", "CJK_RANGES", "CLOSERS",
    "CN_NUMERAL_CHARS", "COUNTY_OR_ABOVE", "ELLIPSIS", "FULL_WIDTH", "LIST_NUMBERINGS",
    "ORG_SUFFIXES", "PAUSE_MARKS", "SENTENCE_ENDS", "SENTENCE_FINAL", "UNIT_SUFFIXES",
    "Fact", "FactIssue", "HeadingMark", "Numbering",
    "char_bigrams", "char_ngrams", "check_facts", "citation_numbers", "cjk_bigrams",
    "cn_numeral", "compact", "content_chars", "ends_sentence", "extract_facts",
    "find_regions", "fold_width", "format_number", "heading_mark", "idf_table", "is_cjk",
    "jaccard", "jieba_module", "list_marker_end", "local_place", "named_units",
    "parse_cn_numeral", "pos_tag", "region_spans", "segment", "segment_for_search",
    "sentence_at", "sentence_texts", "split_lines", "split_sentences", "starts_with_place",
    "strip_citation_markers", "strip_unit_suffix", "trim_span", "unit_spans", "unit_suffix",
}  # fmt: skip
MODULES = ("facts", "headings", "ngrams", "numerals", "punct", "segment", "sentences", "units")


def test_public_names_are_pinned() -> None:
    assert set(textcore.__all__) == PUBLIC
    assert len(textcore.__all__) == len(PUBLIC)  # no name listed twice
    for name in PUBLIC:
        assert getattr(textcore, name) is not None


def test_every_module_name_is_re_exported() -> None:
    for module_name in MODULES:
        module = importlib.import_module(f"textcore.{module_name}")
        for name in module.__all__:
            assert getattr(textcore, name) is getattr(module, name), f"{module_name}.{name}"


def test_the_core_imports_nothing_above_it() -> None:
    for module_name in MODULES:
        module = importlib.import_module(f"textcore.{module_name}")
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        for package in ("ingest", "retrieval", "answer", "drafting", "server"):
            assert f"from {package}" not in source and f"import {package}" not in source
