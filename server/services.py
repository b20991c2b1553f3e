"""The composition root: every part is built once from settings, here and nowhere else."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING

from server.settings import Settings

if TYPE_CHECKING:
    from answer import Generator
    from drafting import Draft, DraftRequest
    from retrieval import Embedder, KnowledgeBase, Searcher

log = logging.getLogger(__name__)


class Services:
    """Lazily built, shared parts. ``warm_up()`` builds the heavy ones up front
    (the server's lifespan calls it) so no request pays for loading a model."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    @cached_property
    def embedder(self) -> Embedder:
        from retrieval import OpenAIEmbedder, SentenceTransformerEmbedder, prepare_e5_model
        from retrieval.shared_embedder import SharedEmbedder

        s = self.settings
        if s.embedding_base_url:
            return OpenAIEmbedder(
                base_url=s.embedding_base_url, model=s.embedding_model, api_key=s.embedding_api_key
            )
        model_path = s.model_path or prepare_e5_model(s.models_dir)
        # one model, many request threads: calls queue in arrival order (see SharedEmbedder)
        return SharedEmbedder(
            SentenceTransformerEmbedder(model_path, precision=s.embedding_precision)
        )

    @cached_property
    def knowledge_base(self) -> KnowledgeBase:
        from retrieval import KnowledgeBase

        s = self.settings
        return KnowledgeBase.open(
            data_dir=s.data_dir,
            embedder=self.embedder,
            chroma_url=s.chroma_url,
            collection=s.collection,
            chunk_size=s.chunk_size,
            chunk_overlap=s.chunk_overlap,
        )

    @cached_property
    def searcher(self) -> Searcher:
        from retrieval import Searcher

        return Searcher(self.knowledge_base)

    @cached_property
    def generator(self) -> Generator:
        from answer import ExtractiveGenerator, OpenAIChatGenerator

        s = self.settings
        extractive = ExtractiveGenerator(self.embedder)
        if s.llm_base_url and s.llm_model:
            return OpenAIChatGenerator(
                base_url=s.llm_base_url,
                model=s.llm_model,
                api_key=s.llm_api_key,
                timeout=s.llm_timeout,
                fallback=extractive,
                embedder=self.embedder,
            )
        return extractive

    @property
    def is_warm(self) -> bool:
        """Whether the heavy parts are built already (then a server need not warm up)."""
        return all(
            name in self.__dict__
            for name in ("embedder", "knowledge_base", "searcher", "generator")
        )

    @property
    def store_mode(self) -> str:
        """``http`` when the vectors live in a ``chroma run`` server, else ``embedded``."""
        return "http" if self.settings.chroma_url else "embedded"

    def compose_draft(self, request: DraftRequest, *, remove_unsupported: bool = False) -> Draft:
        """Compose a draft from the knowledge base; optionally drop every sentence
        that the fact check could not match to a source."""
        from drafting import compose_draft

        return compose_draft(
            request,
            searcher=self.searcher,
            generator=self.generator,
            remove_unsupported=remove_unsupported,
        )

    def render_draft(
        self, draft: Draft, *, template: bytes | None = None, citation_style: str = "footnote"
    ) -> bytes:
        """The draft as .docx bytes (GB/T 9704 layout, or the user's own template)."""
        from drafting import render_docx

        return render_docx(draft, template=template, citation_style=citation_style)

    def warm_up(self) -> None:
        """Build the model, the stores and the generator now rather than on first use."""
        _ = self.searcher
        _ = self.generator
        log.info("services ready: %d chunks indexed", self.knowledge_base.chunk_count())
