"""The composition root takes its parts by keyword: fakes in, nothing built from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer import ExtractiveGenerator
from drafting import DraftRequest
from server.services import Services
from server.settings import Settings
from tests.fakes import HashingEmbedder
from tests.retrieval.memory_kb import MemoryKeywordIndex, MemoryStore


def test_parts_passed_in_are_used_and_the_rest_is_built_over_them(
    tmp_path: Path, corpus_dir: Path
) -> None:
    embedder = HashingEmbedder()
    store, index = MemoryStore(), MemoryKeywordIndex()
    services = Services(
        Settings(data_dir=tmp_path / "data"),
        embedder=embedder,
        store=store,
        keyword_index=index,
    )
    assert services.embedder is embedder
    kb = services.knowledge_base
    assert kb.store is store and kb.keyword_index is index and kb.embedder is embedder
    assert kb.ingest([corpus_dir]).failed == 0 and store.count() > 0
    assert services.searcher.search("五星支部创建", k=3)
    assert isinstance(services.generator, ExtractiveGenerator)
    draft = services.compose_draft(DraftRequest("brief", "湖北路街道", topic="五星支部创建"))
    assert draft.citations
    assert not (tmp_path / "data" / "chroma").exists()  # no Chroma was opened
    assert services.is_warm


def test_a_given_knowledge_base_searcher_and_generator_are_used_as_they_are(
    tmp_path: Path,
) -> None:
    class Searcher:
        def search(self, query, *, k=10, filters=None, mode="hybrid"):
            return []

    searcher, generator = Searcher(), ExtractiveGenerator(HashingEmbedder())
    services = Services(Settings(data_dir=tmp_path), searcher=searcher, generator=generator)
    assert services.searcher is searcher and services.generator is generator
    assert not services.is_warm  # the embedder and the knowledge base are not built yet


def test_a_store_needs_its_keyword_index(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="together"):
        Services(Settings(data_dir=tmp_path), store=MemoryStore())


def test_a_listing_opens_the_indexes_without_the_model_and_a_warm_up_loads_it(
    tmp_path: Path, e5_model_path: Path
) -> None:
    # kb kb list reads document and chunk counts: opening the index needs the model's
    # name and dimension, not the model (about 10 s to load on 2 cores)
    services = Services(Settings(data_dir=tmp_path / "data", model_path=e5_model_path))
    services.registry.ensure("policy", title="政策法规")
    kb = services.registry.get("policy")
    assert (len(kb.documents()), kb.chunk_count()) == (0, 0)
    inner = services.embedder.inner
    assert inner._model is None
    services.warm_up()  # a server loads it before its first request
    assert inner._model is not None
