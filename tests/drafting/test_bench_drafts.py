"""``bench/drafts.py`` over the sample corpus (the fake searcher): every type meets the
draft targets — no half-width punctuation in Chinese, no news voice, no sentence its
section does not accept, no plan item copied from a source, every number traced."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from drafting import DOCUMENT_TYPES, DraftRequest, compose_draft
from tests.conftest import CORPUS_DIR
from tests.drafting.conftest import CorpusSearcher

ROOT = CORPUS_DIR.parent.parent


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_drafts", ROOT / "bench" / "drafts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_drafts"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(bench):
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))]
    return bench.evaluate_drafts(CorpusSearcher(CORPUS_DIR), sources=sources)


def test_every_type_is_drafted_several_times(results):
    assert set(results) == set(DOCUMENT_TYPES)
    assert all(row["drafts"] >= 3 for row in results.values())


@pytest.mark.parametrize(
    "measure",
    ["half_width_punctuation", "news_voice_markers", "section_rule_failures", "plan_items_copied"],
)
def test_targets_of_zero_are_met(results, measure):
    assert {kind: row[measure] for kind, row in results.items()} == dict.fromkeys(results, 0)


def test_every_number_is_traced(results):
    assert all(row["numbers_traced"] == 1.0 for row in results.values())
    assert sum(row["facts"] for row in results.values()) > 0


def test_the_measures_catch_what_they_measure(bench):
    """The counters are not blind: raw news text scores on each of them."""
    assert bench.half_width_count(["工作以来,湖北路街道(试行)"]) == 3
    draft = compose_draft(
        DraftRequest("quarterly-summary", "湖北路街道", period="2022Q3"),
        searcher=CorpusSearcher(CORPUS_DIR),
    )
    from dataclasses import replace

    section = draft.sections[1]
    cited = next(p for p in section.paragraphs if p.citations)
    bad = replace(cited, text="据了解，该街道地处涧西区核心地带。另外，湖北路街道党工委开展活动。")
    spoiled = replace(draft, sections=(replace(section, paragraphs=(bad,)),))
    assert bench.news_voice_count(spoiled) >= 3
    assert bench.section_rule_failures(spoiled) >= 1
