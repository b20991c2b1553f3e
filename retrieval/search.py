"""Hybrid search: dense (Chroma) and sparse (BM25) candidates, fused by reciprocal
rank, filtered by the catalog, diversified per document, optionally reranked."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Protocol, TypeVar

import numpy as np

from retrieval.errors import SearchRequestError
from retrieval.fusion import fuse_rrf, fuse_scores, mix_part_scores, reorder_within
from retrieval.lexicon import Expansion, Lexicon, default_lexicon
from retrieval.mmr import cap_per_group
from retrieval.types import (
    Embedder,
    Hit,
    KeywordIndex,
    Reranker,
    SearchFilters,
    StoredChunk,
    VectorStore,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "DENSE_EXPANSION_WEIGHT",
    "PART_WEIGHT",
    "SEARCH_MODES",
    "STATUTE_SCORE_WEIGHTS",
    "STATUTE_WEIGHTS",
    "HybridSearcher",
    "SearchableIndex",
    "order_statutes",
]

log = logging.getLogger(__name__)
Key = TypeVar("Key", bound=Hashable)

SEARCH_MODES = ("hybrid", "dense", "bm25")
# BM25 counts double in the fusion: on the seed QA set it alone finds every gold
# passage in the top 5, while the small multilingual model misses some exact
# names and numbers (hybrid MRR@10 1.00 with this weight, 0.95 with equal ones).
DEFAULT_WEIGHTS = {"dense": 1.0, "bm25": 2.0}
# A lexicon term counts 0.3 of a question's own term in BM25: on the policy dev
# set hybrid MRR@10 is 0.914 with 0.3 or 0.5 and 0.861 with 1.0 (statute words
# then outweigh the question's own), and on the seed set (news) 0.3 is the only
# weight that leaves R@1 0.950 / MRR 1.000 as without the lexicon (0.5: 0.925 / 0.988).
EXPANSION_WEIGHT = 0.3
# The dense side reads the lexicon too: the query vector is 0.7 × the question's
# own and 0.3 × that of the question followed by the lexicon's statute words (both
# unit vectors, the mix normalised again). A resident's words (住满多久, 骗低保) sit
# far from a statute's in the small model's space, and the statute words pull the
# vector towards the articles that write them; the question's own vector keeps
# most of the weight, so a lexicon word that misreads the question cannot steer it.
# Hybrid R@1 / R@5 / MRR@10 over the statutes (``python bench/policy.py``), without
# → with: dev 0.813 / 0.987 / 0.933 → 0.813 / 0.987 / 0.940; own extra set
# 0.704 / 0.966 / 0.846 → 0.741 / 0.966 / 0.870; fresh set 0.787 / 0.920 / 0.862 →
# 0.827 / 0.920 / 0.894; second corpus, dev 0.647 / 0.887 / 0.870 → 0.660 / 0.887 /
# 0.910. At 0.5 and 0.7 R@1 rises as much and the fresh set's R@5 falls to 0.893;
# the seed set (news) is unchanged. 0 turns it off.
DENSE_EXPANSION_WEIGHT = 0.3
# Statute chunks (those with an article) are fused with dense counting double
# instead: questions paraphrase statute wording (低保 for 最低生活保障, 住满多久
# for 居住半年以上), where the model does better than words. Policy dev set,
# hybrid R@5 / MRR@10: 0.947 / 0.914 with DEFAULT_WEIGHTS, 1.000 / 0.898 with
# these; own extra set 0.840 / 0.717 → 0.891 / 0.811. News chunks keep
# DEFAULT_WEIGHTS (seed set unchanged). ``statute_weights=None`` turns it off.
STATUTE_WEIGHTS = {"dense": 2.0, "bm25": 1.0}
# Among themselves, statute chunks are then ordered by their fused *scores* (each
# retriever's scores min-max normalised over its pool, dense 0.6 : BM25 0.4), not by
# ranks. With RRF a chunk both retrievers find somewhere beats the article the model
# puts far ahead of everything else, and colloquial questions match BM25 on their
# everyday words (怎么办, 居民, 社区) in many articles, so BM25's list is long and flat.
# Score fusion keeps the margins. Policy sets, hybrid R@1 / R@5 / MRR@10 (RRF with
# STATUTE_WEIGHTS → this): dev 0.773 / 1.000 / 0.898 → 0.800 / 0.987 / 0.920; own
# extra set (54 questions) 0.546 / 0.874 / 0.715 → 0.620 / 0.948 / 0.772. Dense
# share 0.5 / 0.7 give extra R@5 0.920 / 0.948, MRR 0.763 / 0.774; 0.8 drops dev
# R@1 to 0.640. The per-kind placement above is untouched, so news (the seed set)
# ranks as before. ``statute_score_weights=None`` keeps the RRF order.
STATUTE_SCORE_WEIGHTS = {"dense": 0.6, "bm25": 0.4}
# A statute chunk's dense score is 0.5 × its own cosine + 0.5 × its best 款's (the
# 款 vectors written at ingest; a knowledge base indexed before them has none and
# keeps the plain cosine). A question usually asks about one 款 of a long article,
# whose other 款 dilute the whole-chunk vector. Only the dense pool is re-scored
# (pulling in chunks from beyond it by their 款 made hybrid worse: extra R@5 0.938).
# Policy sets, hybrid R@1 / R@5 / MRR@10 without → with: dev 0.800 / 0.987 / 0.920
# unchanged; own extra set 0.620 / 0.948 / 0.772 → 0.620 / 0.966 / 0.777 (0.3:
# 0.966 / 0.780). Dense alone, extra 0.562 / 0.901 / 0.740 → 0.574 / 0.948 / 0.754.
PART_WEIGHT = 0.5


class _Catalog(Protocol):
    def resolve(self, filters: SearchFilters | None) -> set[str] | None: ...


class SearchableIndex(Protocol):
    """What ``HybridSearcher`` needs of a ``KnowledgeBase``."""

    @property
    def store(self) -> VectorStore: ...

    @property
    def keyword_index(self) -> KeywordIndex: ...

    @property
    def embedder(self) -> Embedder: ...

    @property
    def catalog(self) -> _Catalog: ...


class HybridSearcher:
    """The ``Searcher`` over a knowledge base.

    ``pool_size`` candidates come from each retriever; hybrid mode fuses them with
    RRF (``rrf_k``, ``weights`` per retriever name, default ``DEFAULT_WEIGHTS``). The fused pool goes through the
    reranker (if any), then at most ``max_per_doc`` chunks of one document are kept
    among the top ``k`` (more only when nothing else is left), so one long article
    does not fill the list and a question spanning documents sees each of them.
    With ``per_article_cap`` a statute's articles count as documents of their own
    for that cap: its articles are independent answers, and a procedure spans
    several articles of one law. Hybrid scores of statute chunks use
    ``statute_weights`` (default ``STATUTE_WEIGHTS``) and are then ordered among
    themselves by score fusion (``statute_score_weights``, see ``order_statutes``);
    their dense scores are mixed with their best 款's (``part_weight``, see
    ``PART_WEIGHT``; 0 turns it off). BM25 queries are expanded with ``lexicon``
    (default: the shipped ``default_lexicon()``; ``Lexicon(())`` turns it off), and
    the dense query vector reads the same statute words at ``dense_expansion_weight``
    (see ``DENSE_EXPANSION_WEIGHT``).
    """

    def __init__(
        self,
        kb: SearchableIndex,
        *,
        reranker: Reranker | None = None,
        pool_size: int = 50,
        rrf_k: int = 60,
        weights: Mapping[str, float] | None = None,
        max_per_doc: int = 3,
        lexicon: Lexicon | None = None,
        expansion_weight: float = EXPANSION_WEIGHT,
        per_article_cap: bool = True,
        statute_weights: Mapping[str, float] | None = STATUTE_WEIGHTS,
        statute_score_weights: Mapping[str, float] | None = STATUTE_SCORE_WEIGHTS,
        part_weight: float = PART_WEIGHT,
        dense_expansion_weight: float = DENSE_EXPANSION_WEIGHT,
    ) -> None:
        if pool_size < 1:
            raise ValueError(f"pool_size must be at least 1, got {pool_size}")
        if max_per_doc < 1:
            raise ValueError(f"max_per_doc must be at least 1, got {max_per_doc}")
        if not 0.0 <= part_weight <= 1.0:
            raise ValueError(f"part_weight must lie in [0, 1], got {part_weight}")
        if not 0.0 <= dense_expansion_weight <= 1.0:
            raise ValueError(
                f"dense_expansion_weight must lie in [0, 1], got {dense_expansion_weight}"
            )
        self._kb = kb
        self._reranker = reranker
        self._pool_size = pool_size
        self._rrf_k = rrf_k
        self._weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
        self._max_per_doc = max_per_doc
        self._lexicon = default_lexicon() if lexicon is None else lexicon
        self._per_article_cap = per_article_cap
        self._expansion_weight = expansion_weight
        self._statute_weights = dict(statute_weights) if statute_weights is not None else None
        self._part_weight = part_weight
        self._dense_expansion_weight = dense_expansion_weight
        self._statute_score_weights = (
            dict(statute_score_weights) if statute_score_weights is not None else None
        )

    def explain(self, query: str) -> Expansion:
        """How the keyword side reads ``query``: the lexicon's statute words for it."""
        return self._lexicon.expand((query or "").strip())

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Return up to ``k`` hits for ``query``, best first.

        ``mode`` is ``"hybrid"`` (``Hit.score`` is the fused RRF score), ``"dense"``
        (cosine similarity) or ``"bm25"`` (BM25 score). Raises ``SearchRequestError`` for an
        empty query, ``k < 1`` or an unknown mode.
        """
        text = (query or "").strip()
        if not text:
            raise SearchRequestError("query must not be empty (查询内容不能为空)")
        if k < 1:
            raise SearchRequestError(f"k must be at least 1, got {k}")
        if mode not in SEARCH_MODES:
            raise SearchRequestError(f"mode must be one of {', '.join(SEARCH_MODES)}; got {mode!r}")

        allowed = self._kb.catalog.resolve(filters if filters and not filters.is_empty() else None)
        if allowed is not None and not allowed:
            log.info("no document matches the filters %s", filters)
            return []
        pool = max(self._pool_size, k)
        added = " ".join(self.explain(text).added)
        rankings: dict[str, list[tuple[str, float]]] = {}
        if mode in ("hybrid", "dense"):
            vector = self._query_vector(text, added)
            doc_ids = sorted(allowed) if allowed is not None else None
            dense = self._kb.store.query(vector, k=pool, doc_ids=doc_ids)
            if self._part_weight > 0:
                parts = self._kb.store.part_scores(vector, [cid for cid, _ in dense])
                dense = mix_part_scores(dense, parts, weight=self._part_weight)
            rankings["dense"] = dense
        if mode in ("hybrid", "bm25"):
            rankings["bm25"] = self._kb.keyword_index.query(
                text,
                k=pool,
                doc_ids=allowed,
                expansion=added,
                expansion_weight=self._expansion_weight,
            )

        if mode == "hybrid":
            fused = fuse_rrf(
                {name: [cid for cid, _ in ranked] for name, ranked in rankings.items()},
                k=self._rrf_k,
                weights=self._weights,
            )
        else:
            fused = list(rankings[mode])
        ranks = {
            name: {cid: rank for rank, (cid, _) in reversed(list(enumerate(ranked, start=1)))}
            for name, ranked in rankings.items()
        }

        stored = {item.chunk.chunk_id: item for item in self._kb.store.get([c for c, _ in fused])}
        if mode == "hybrid" and self._statute_weights is not None:
            fused = self._refuse_statutes(rankings, fused, stored)
        if mode == "hybrid" and self._statute_score_weights is not None:
            fused = order_statutes(
                fused,
                rankings,
                is_statute=lambda cid: bool((item := stored.get(cid)) and item.chunk.article),
                weights=self._statute_score_weights,
            )
        hits: list[Hit] = []
        for chunk_id, score in fused:
            item = stored.get(chunk_id)
            if item is None:
                # The two indexes can briefly disagree (e.g. mid-ingest); skip rather than fail.
                log.warning("chunk %s is ranked but not stored; skipped", chunk_id)
                continue
            if allowed is not None and item.chunk.doc_id not in allowed:
                continue
            found_by = {name: r[chunk_id] for name, r in ranks.items() if chunk_id in r}
            hits.append(_to_hit(item, score=score, ranks=found_by))

        if self._reranker is not None:
            hits = self._reranker.rerank(text, hits, k=len(hits))
        return cap_per_group(hits, group=self._group, max_per_group=self._max_per_doc, k=k)

    def _query_vector(self, text: str, added: str) -> np.ndarray:
        """The dense query vector: the question's own, mixed with the question read
        with the lexicon's statute words ``added`` (see ``DENSE_EXPANSION_WEIGHT``)."""
        weight = self._dense_expansion_weight
        if not added or weight == 0:
            return np.asarray(self._kb.embedder.embed_queries([text])[0])
        own, expanded = np.asarray(self._kb.embedder.embed_queries([text, f"{text} {added}"]))
        mixed = (1.0 - weight) * own + weight * expanded
        norm = float(np.linalg.norm(mixed))
        return mixed / norm if norm > 0 else own

    def _refuse_statutes(
        self,
        rankings: Mapping[str, list[tuple[str, float]]],
        fused: list[tuple[str, float]],
        stored: Mapping[str, StoredChunk],
    ) -> list[tuple[str, float]]:
        """Score statute chunks with ``statute_weights`` instead (both weight sets
        sum alike, so the two kinds of chunk stay comparable)."""
        assert self._statute_weights is not None
        statute = dict(
            fuse_rrf(
                {name: [cid for cid, _ in ranked] for name, ranked in rankings.items()},
                k=self._rrf_k,
                weights=self._statute_weights,
            )
        )
        rescored = [
            (cid, statute[cid] if (item := stored.get(cid)) and item.chunk.article else score)
            for cid, score in fused
        ]
        return sorted(rescored, key=lambda pair: (-pair[1], pair[0]))

    def _group(self, hit: Hit) -> str:
        if self._per_article_cap and hit.article:
            return f"{hit.doc_id}|{hit.article}"
        return hit.doc_id


def order_statutes(
    fused: Sequence[tuple[Key, float]],
    rankings: Mapping[str, Sequence[tuple[Key, float]]],
    *,
    is_statute: Callable[[Key], bool],
    weights: Mapping[str, float],
) -> list[tuple[Key, float]]:
    """Re-order the statute chunks of ``fused`` among the places they hold, by
    ``fuse_scores`` of the retrievers' ``rankings`` (see ``STATUTE_SCORE_WEIGHTS``);
    other chunks keep their places, every place its score."""
    statute_rankings = {
        name: [(key, score) for key, score in ranked if is_statute(key)]
        for name, ranked in rankings.items()
    }
    order = [key for key, _ in fuse_scores(statute_rankings, weights=weights)]
    return reorder_within(fused, order, member=is_statute)


def _to_hit(item: StoredChunk, *, score: float, ranks: Mapping[str, int]) -> Hit:
    chunk = item.chunk
    return Hit(
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        text=chunk.text,
        title=item.title,
        heading_path=chunk.heading_path,
        start=chunk.start,
        end=chunk.end,
        score=float(score),
        retrievers=tuple(ranks),
        ranks=dict(ranks),
        date=item.date,
        source_key=item.source_key,
        regions=item.regions,
        doc_type=item.doc_type,
        ocr=item.ocr,
        context=chunk.context,
        article=chunk.article,
    )
