"""What a repeated request costs: a question reaches the model once, across search and
answer and across knowledge bases, and the sentence vectors outlive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer import answer_question
from retrieval import SharedEmbedder, default_lexicon
from server.services import Services
from server.settings import Settings
from tests.fakes import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "居民委员会每届任期几年？"


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []
        self.passages: list[str] = []

    def embed_queries(self, texts):
        self.queries.extend(texts)
        return super().embed_queries(texts)

    def embed_passages(self, texts):
        self.passages.extend(texts)
        return super().embed_passages(texts)


def _services(data_dir: Path, inner: CountingEmbedder) -> Services:
    return Services(Settings(data_dir=data_dir), embedder=SharedEmbedder(inner))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """Two real knowledge bases (Chroma + BM25), laid out as scripts/run.sh does."""
    data_dir = tmp_path_factory.mktemp("two-kbs")
    services = _services(data_dir, CountingEmbedder())
    corpus = ROOT / "corpus"
    files = {  # a few of each kind: enough for both to answer, quick to index
        "news": sorted((corpus / "news").iterdir())[:2],
        "policy": [corpus / "policy" / "中华人民共和国城市居民委员会组织法.md"],
    }
    for name, paths in files.items():
        services.registry.ensure(name, title=name)
        assert services.registry.get(name).ingest(paths).failed == 0
    return data_dir


def test_a_repeated_question_reaches_the_model_once(data_dir: Path) -> None:
    inner = CountingEmbedder()
    services = _services(data_dir, inner)
    searcher = services.searcher_for(["news", "policy"])
    for _ in range(2):
        assert searcher.search(QUESTION, k=8)
        answer_question(QUESTION, searcher=searcher, generator=services.generator)
    # two knowledge bases, each searched twice per request, and the answer's scoring: the
    # question reaches the model once, and once more read with the lexicon's statute words
    added = " ".join(default_lexicon().expand(QUESTION).added)
    assert added and sorted(inner.queries) == sorted([QUESTION, f"{QUESTION} {added}"])
    assert inner.passages  # the answer's sentences were embedded (once)


def test_sentence_vectors_are_kept_across_a_restart(data_dir: Path) -> None:
    first = CountingEmbedder()
    services = _services(data_dir, first)
    searcher = services.searcher_for(["news", "policy"])
    before = answer_question(QUESTION, searcher=searcher, generator=services.generator)
    assert (data_dir / "cache" / "sentence_vectors.bin").is_file()

    restarted = CountingEmbedder()
    services = _services(data_dir, restarted)
    searcher = services.searcher_for(["news", "policy"])
    after = answer_question(QUESTION, searcher=searcher, generator=services.generator)
    assert restarted.passages == []  # no sentence embedded again
    assert after.text == before.text and after.citations == before.citations
