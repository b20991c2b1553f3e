"""Policy-text retrieval: ours against a naive LangChain pipeline, same texts, same run.

Indexes ``corpus/policy`` (the six statutes) twice in temporary folders:

- ours: ``KnowledgeBase`` (article chunks, cross-references, lexicon), searched in
  ``bm25``, ``dense`` and ``hybrid`` mode;
- naive LangChain: the raw files, ``RecursiveCharacterTextSplitter(500, 50)``, the
  same e5-small folder loaded with ``HuggingFaceEmbeddings`` defaults into
  ``langchain_chroma.Chroma`` (cosine) for ``lc-dense`` top-k;
  ``BM25Retriever`` (rank_bm25, words from ``jieba.lcut``: whitespace splitting,
  its default, finds nothing in Chinese) for ``lc-bm25``; and
  ``EnsembleRetriever([bm25, dense], weights=[0.5, 0.5])`` for ``lc-ensemble``.

Every mode is scored by ``retrieval.evaluate`` on the same QA files (unanswerable
rows skipped): Recall@1/5/10, MRR@10 and All@5 per question type. ``--ablation``
adds our hybrid with one mechanism switched off at a time.

    python bench/policy.py                 # writes bench/results/policy.json
    python bench/policy.py --ablation
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and its ingest.py (a
# sibling benchmark) would shadow the ingest package; put the project root there.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from retrieval import (  # noqa: E402
    Hit,
    HybridSearcher,
    KnowledgeBase,
    SentenceTransformerEmbedder,
    evaluate_qa,
    load_qa,
    prepare_e5_model,
)

RESULTS = ROOT / "bench" / "results"
DEFAULT_QA = (ROOT / "tests/data/qa_policy_dev.jsonl", ROOT / "tests/data/qa_policy_extra.jsonl")
OURS = ("bm25", "dense", "hybrid")
LANGCHAIN = ("lc-dense", "lc-bm25", "lc-ensemble")

log = logging.getLogger("bench.policy")


class LangChainSearcher:
    """The naive pipeline behind the ``search(query, k=, mode=)`` that the evaluation calls."""

    def __init__(self, folder: Path, model_path: Path, persist_dir: Path) -> None:
        import chromadb
        import jieba
        from chromadb.config import Settings
        from langchain_chroma import Chroma
        from langchain_classic.retrievers import EnsembleRetriever
        from langchain_community.retrievers import BM25Retriever
        from langchain_core.documents import Document
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        docs: list[Document] = []
        for path in sorted(folder.iterdir()):
            if path.suffix in (".md", ".txt"):
                text = path.read_text(encoding="utf-8")
                docs.extend(
                    splitter.split_documents(
                        [Document(page_content=text, metadata={"source": str(path)})]
                    )
                )
        self.chunks = len(docs)
        embeddings = HuggingFaceEmbeddings(
            model_name=str(model_path),
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True},
        )
        self._store = Chroma.from_documents(
            docs,
            embeddings,
            collection_name="naive",
            collection_metadata={"hnsw:space": "cosine"},
            client=chromadb.PersistentClient(
                path=str(persist_dir), settings=Settings(anonymized_telemetry=False)
            ),
        )
        self._bm25 = BM25Retriever.from_documents(docs, preprocess_func=jieba.lcut)
        self._dense = self._store.as_retriever()
        self._ensemble = EnsembleRetriever(retrievers=[self._bm25, self._dense], weights=[0.5, 0.5])

    def search(self, query: str, *, k: int = 10, filters: Any = None, mode: str = "") -> list[Hit]:
        self._bm25.k = k
        self._dense.search_kwargs = {"k": k}
        retriever = {"lc-dense": self._dense, "lc-bm25": self._bm25, "lc-ensemble": self._ensemble}
        docs = retriever[mode].invoke(query)[:k]
        return [
            Hit(
                chunk_id=f"lc:{n}",
                doc_id=Path(d.metadata["source"]).stem,
                text=d.page_content,
                title=Path(d.metadata["source"]).stem,
                heading_path=(),
                start=0,
                end=len(d.page_content),
                score=1.0 / n,
                source_key=d.metadata["source"],
            )
            for n, d in enumerate(docs, start=1)
        ]


def _metrics(report: Any) -> dict[str, Any]:
    data = report.to_dict()
    return {
        "by_mode": data["by_mode"],
        "by_type": data["by_type"],
        "misses@5": {mode: report.misses(mode, k=5) for mode in report.questions},
    }


class _KeywordIndexSwapped:
    """``kb`` searched through another keyword index (same chunks, other BM25 parameters)."""

    def __init__(self, kb: KnowledgeBase, keyword_index: Any) -> None:
        self.store, self.embedder, self.catalog = kb.store, kb.embedder, kb.catalog
        self.keyword_index = keyword_index


def _ablation(kb: KnowledgeBase, items: list[Any]) -> dict[str, Any]:
    """Our hybrid with one search-time mechanism off at a time."""
    from retrieval import BM25Index, Lexicon

    textbook = BM25Index(b=0.75)
    textbook.add(list(kb.store.iter_chunks()))
    variants = {
        "hybrid (all on)": HybridSearcher(kb),
        "no lexicon": HybridSearcher(kb, lexicon=Lexicon(())),
        "no per-article cap (news cap of 3 per document)": HybridSearcher(
            kb, per_article_cap=False
        ),
        "equal RRF weights": HybridSearcher(kb, weights={"dense": 1.0, "bm25": 1.0}),
        "no statute RRF weights (news weights for every chunk)": HybridSearcher(
            kb, statute_weights=None
        ),
        "statutes by RRF rank, not score fusion": HybridSearcher(kb, statute_score_weights=None),
        "statute score fusion dense 0.5 : BM25 0.5": HybridSearcher(
            kb, statute_score_weights={"dense": 0.5, "bm25": 0.5}
        ),
        "statute score fusion dense 0.7 : BM25 0.3": HybridSearcher(
            kb, statute_score_weights={"dense": 0.7, "bm25": 0.3}
        ),
        "no 款 vectors (whole-chunk cosine only)": HybridSearcher(kb, part_weight=0.0),
        "款 weight 0.3": HybridSearcher(kb, part_weight=0.3),
        "BM25 length normalisation b 0.75 (textbook), not 0.3": HybridSearcher(
            _KeywordIndexSwapped(kb, textbook)
        ),
    }
    out = {}
    for name, searcher in variants.items():
        report = evaluate_qa(searcher, items, modes=("hybrid",))
        out[name] = report.to_dict()["by_mode"]["hybrid"]
        log.info("ablation %-50s %s", name, out[name])
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    model_path = args.model_path or prepare_e5_model(args.data_dir / "models")
    embedder = SentenceTransformerEmbedder(model_path)
    qa_sets = {path.name: load_qa(path) for path in args.qa if path.exists()}
    result: dict[str, Any] = {
        "corpus": str(args.corpus.relative_to(ROOT))
        if args.corpus.is_relative_to(ROOT)
        else str(args.corpus),
        "qa": {name: len(items) for name, items in qa_sets.items()},
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "note": "shared 2-core machine; timings are indicative",
    }
    with tempfile.TemporaryDirectory(prefix="kb-bench-policy-") as tmp:
        started = time.perf_counter()
        kb = KnowledgeBase.open(data_dir=Path(tmp) / "ours", embedder=embedder, collection="policy")
        report = kb.ingest([args.corpus])
        result["ours_index"] = {
            "chunks": report.chunks,
            "seconds": round(time.perf_counter() - started, 1),
        }
        searcher = HybridSearcher(kb)
        lc = None
        if not args.skip_langchain:
            started = time.perf_counter()
            lc = LangChainSearcher(args.corpus, model_path, Path(tmp) / "langchain")
            result["langchain_index"] = {
                "chunks": lc.chunks,
                "seconds": round(time.perf_counter() - started, 1),
            }
        result["sets"] = {}
        for name, items in qa_sets.items():
            entry = {"ours": _metrics(evaluate_qa(searcher, items, modes=OURS))}
            if lc is not None:
                entry["langchain"] = _metrics(evaluate_qa(lc, items, modes=LANGCHAIN))
            if args.ablation:
                entry["ablation"] = _ablation(kb, items)
            result["sets"][name] = entry
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| set | pipeline | type | n | R@1 | R@5 | R@10 | MRR@10 | All@5 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, entry in result["sets"].items():
        for side in ("ours", "langchain"):
            if side not in entry:
                continue
            for mode, types in entry[side]["by_type"].items():
                rows = [("fact+procedure", entry[side]["by_mode"][mode]), *types.items()]
                for kind, m in rows:
                    lines.append(
                        f"| {name} | {mode} | {kind} | {m['count']} | {m['recall@1']:.3f} | "
                        f"{m['recall@5']:.3f} | {m['recall@10']:.3f} | {m['mrr@10']:.3f} | "
                        f"{m.get('all@5', 0.0):.3f} |"
                    )
        for variant, m in entry.get("ablation", {}).items():
            lines.append(
                f"| {name} | ablation: {variant} | all | {m['count']} | {m['recall@1']:.3f} | "
                f"{m['recall@5']:.3f} | {m['recall@10']:.3f} | {m['mrr@10']:.3f} | "
                f"{m.get('all@5', 0.0):.3f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "policy")
    parser.add_argument("--qa", type=Path, nargs="+", default=list(DEFAULT_QA))
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--model-path", type=Path, help="Default: the prepared e5 model.")
    parser.add_argument("--output", type=Path, default=RESULTS / "policy.json")
    parser.add_argument("--skip-langchain", action="store_true")
    parser.add_argument("--ablation", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("jieba", "httpx", "chromadb", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    result = run(args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(markdown(result))


if __name__ == "__main__":
    main()
