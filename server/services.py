"""The composition root: every part is built once from settings, here and nowhere else."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from server.settings import Settings

if TYPE_CHECKING:
    from answer import Generator
    from drafting import Draft, DraftRequest
    from drafting.proofread import ProofDocument, ProofreadReport
    from retrieval import (
        Embedder,
        HybridSearcher,
        KeywordIndex,
        KnowledgeBase,
        Searcher,
        VectorStore,
    )
    from retrieval.registry import KnowledgeBaseRegistry
    from server.access import TokenStore

log = logging.getLogger(__name__)


class Services:
    """Lazily built, shared parts. ``warm_up()`` builds the heavy ones up front
    (the server's lifespan calls it) so no request pays for loading a model.

    A part passed by keyword (``embedder``, ``knowledge_base``, ``searcher``,
    ``generator``) is used as it is instead of being built from ``settings``; the
    parts built later are built over it (a given embedder is the one the knowledge
    base and the generator use). ``store`` and ``keyword_index`` (any
    ``VectorStore`` / ``KeywordIndex``, given together) replace Chroma and the BM25
    file under the default knowledge base. Tests pass fakes or shared real parts this
    way. Named knowledge bases (``registry``) are opened from ``settings``.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        knowledge_base: KnowledgeBase | None = None,
        searcher: Searcher | None = None,
        generator: Generator | None = None,
        store: VectorStore | None = None,
        keyword_index: KeywordIndex | None = None,
    ) -> None:
        if (store is None) != (keyword_index is None):
            raise ValueError(
                "store and keyword_index are given together (the index follows the store)"
            )
        self.settings = settings or Settings()
        self._store = store
        self._keyword_index = keyword_index
        given = {
            "embedder": embedder,
            "knowledge_base": knowledge_base,
            "searcher": searcher,
            "generator": generator,
        }
        for name, part in given.items():
            if part is not None:
                # What ``cached_property`` would have stored after building the part.
                self.__dict__[name] = part
        # A given knowledge base is the default one; a given searcher answers every scope.
        self._given_knowledge_base = knowledge_base
        self._given_searcher = searcher
        # The knowledge bases the CLI's reads cover (``--kb``); ``None``: all of them.
        self.read_scope: list[str] | None = None
        self._searchers: dict[str, HybridSearcher] = {}
        self._searchers_lock = threading.Lock()

    @cached_property
    def embedder(self) -> Embedder:
        from retrieval import OpenAIEmbedder, prepare_e5_model
        from retrieval.shared_embedder import SharedEmbedder
        from retrieval.st_embedder import DeferredEmbedder

        s = self.settings
        if s.embedding_base_url:
            return OpenAIEmbedder(
                base_url=s.embedding_base_url, model=s.embedding_model, api_key=s.embedding_api_key
            )
        model_path = s.model_path or prepare_e5_model(s.models_dir)
        # one model, many request threads: calls queue in arrival order (see SharedEmbedder);
        # loaded on first use (a listing never embeds), or by ``warm_up`` in a server
        return SharedEmbedder(DeferredEmbedder(model_path, precision=s.embedding_precision))

    @cached_property
    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base writes go to: ``KB_KNOWLEDGE_BASE`` (or ``--kb``), else the
        default one, registered on first use."""
        from retrieval.registry import DEFAULT_KNOWLEDGE_BASE

        name = self.settings.knowledge_base or DEFAULT_KNOWLEDGE_BASE
        if name == DEFAULT_KNOWLEDGE_BASE:
            self.registry.ensure(name, title="知识库")
        return self.registry.get(name)

    @cached_property
    def registry(self) -> KnowledgeBaseRegistry:
        """The named knowledge bases under the data folder, opened with these settings."""
        from retrieval import KnowledgeBase
        from retrieval.registry import DEFAULT_KNOWLEDGE_BASE, KnowledgeBaseRegistry

        s = self.settings

        def open_collection(collection: str) -> KnowledgeBase:
            if collection == DEFAULT_KNOWLEDGE_BASE:
                # A given knowledge base, or store and index, are the default one.
                if self._given_knowledge_base is not None:
                    return self._given_knowledge_base
                if self._store is not None and self._keyword_index is not None:
                    return KnowledgeBase.over(
                        store=self._store,
                        keyword_index=self._keyword_index,
                        embedder=self.embedder,
                        chunk_size=s.chunk_size,
                        chunk_overlap=s.chunk_overlap,
                        ocr=s.ocr_options,
                    )
            return KnowledgeBase.open(
                data_dir=s.data_dir,
                embedder=self.embedder,
                chroma_url=s.chroma_url,
                collection=collection,
                chunk_size=s.chunk_size,
                chunk_overlap=s.chunk_overlap,
                ocr=s.ocr_options,
            )

        return KnowledgeBaseRegistry(data_dir=s.data_dir, opener=open_collection)

    @cached_property
    def tokens(self) -> TokenStore:
        """The API tokens with roles (``kb token``), kept hashed in the data folder."""
        from server.access import TokenStore

        return TokenStore(self.settings.data_dir / "tokens.json")

    @property
    def scope(self) -> list[str]:
        """The knowledge bases reads cover: ``read_scope`` when chosen, else every one (the
        default one is registered first when there is none yet)."""
        registry = self.registry
        if self.read_scope:
            for name in self.read_scope:
                registry.info(name)  # an unknown name fails here, with its message
            return list(self.read_scope)
        if not registry.list():
            registry.ensure(self.settings.knowledge_base or "kb", title="知识库")
        return [info.name for info in registry.list()]

    def chunk_count(self) -> int:
        """Chunks in the knowledge bases reads cover."""
        return sum(self.registry.get(name).chunk_count() for name in self.scope)

    @cached_property
    def searcher(self) -> Searcher:
        """Search over the knowledge bases reads cover (``scope``)."""
        return self.searcher_for(self.scope)

    def searcher_for(self, names: Sequence[str]) -> Searcher:
        """A searcher over the named knowledge bases (each must exist)."""
        from retrieval import HybridSearcher
        from retrieval.federated import FederatedSearcher

        if self._given_searcher is not None:
            return self._given_searcher

        with self._searchers_lock:
            for name in names:
                if name not in self._searchers:
                    self._searchers[name] = HybridSearcher(self.registry.get(name))
            return FederatedSearcher({name: self._searchers[name] for name in names})

    def forget(self, name: str) -> None:
        """Drop what is cached for a deleted knowledge base."""
        with self._searchers_lock:
            self._searchers.pop(name, None)
        self.__dict__.pop("searcher", None)

    @cached_property
    def generator(self) -> Generator:
        from answer import ExtractiveGenerator, OpenAIChatGenerator, SentenceVectorCache

        s = self.settings
        # Kept in the data folder: a restart (or the next ``kb ask``) reuses them.
        sentence_vectors = SentenceVectorCache(
            self.embedder, path=s.data_dir / "cache" / "sentence_vectors.bin"
        )
        extractive = ExtractiveGenerator(self.embedder, sentence_vectors=sentence_vectors)
        if s.llm_base_url and s.llm_model:
            return OpenAIChatGenerator(
                base_url=s.llm_base_url,
                model=s.llm_model,
                api_key=s.llm_api_key,
                timeout=s.llm_timeout,
                prompt_tokens=s.llm_prompt_tokens,
                max_tokens=s.llm_max_tokens,
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

    def compose_draft(
        self,
        request: DraftRequest,
        *,
        remove_unsupported: bool = False,
        searcher: Searcher | None = None,
    ) -> Draft:
        """Compose a draft from the knowledge bases (``searcher``: a chosen few; default all
        of ``read_scope``); optionally drop every sentence the fact check could not match."""
        from drafting import compose_draft

        return compose_draft(
            request,
            searcher=searcher or self.searcher,
            generator=self.generator,
            remove_unsupported=remove_unsupported,
        )

    def render_draft(
        self, draft: Draft, *, template: bytes | None = None, citation_style: str = "footnote"
    ) -> bytes:
        """The draft as .docx bytes (GB/T 9704 layout, or the user's own template)."""
        from drafting import render_docx

        return render_docx(draft, template=template, citation_style=citation_style)

    def proofread(self, document: ProofDocument, *, check_figures: bool = True) -> ProofreadReport:
        """Proofread ``document``; its figures are compared with the knowledge base
        unless ``check_figures`` is false or the index cannot be opened (then the
        report's notes say so and every other rule still runs)."""
        from drafting.proofread import RuleKind, proofread

        searcher = None
        notes: tuple[str, ...] = ()
        if check_figures:
            try:
                searcher = self.searcher
            except Exception as exc:  # the model or the index is unavailable
                log.warning("proofreading without the knowledge base: %s", exc)
                notes = (f"知识库暂不可用：{type(exc).__name__}",)
        kinds = None if check_figures else [k for k in RuleKind if k is not RuleKind.FIGURES]
        report = proofread(document, searcher=searcher, kinds=kinds)
        return replace(report, notes=notes + report.notes) if notes else report

    def warm_up(self) -> None:
        """Build the model, the stores and the generator now rather than on first use."""
        from retrieval.st_embedder import DeferredEmbedder

        inner = getattr(self.embedder, "inner", self.embedder)  # under a SharedEmbedder
        if isinstance(inner, DeferredEmbedder):
            inner.load()
        _ = self.searcher
        _ = self.generator
        log.info("services ready: %d chunks indexed", self.chunk_count())
