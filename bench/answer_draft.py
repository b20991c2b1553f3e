"""Cited-answer latency over the dev questions, draft time per document type, peak RSS.

Builds a knowledge base over ``corpus/`` with the real embedding model in a
temporary folder (or uses ``--data-dir``), then times ``answer_question`` for
every dev question and ``compose_draft`` + ``render_docx`` for every document
type, with the embedded extractive generator (no LLM). Prints a Markdown table
and writes ``bench/results/answer_draft.json``.

    python bench/answer_draft.py                      # all dev questions, 3 drafts per type
    python bench/answer_draft.py --questions 10 --drafts 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_index import (  # noqa: E402
    add_index_options,
    bench_embedder,
    open_index,
    parse_bench_args,
)

DEFAULT_QUESTIONS = ROOT / "tests" / "data" / "qa_seeds_dev.jsonl"
DEFAULT_OUT = ROOT / "bench" / "results" / "answer_draft.json"
UNITS = {
    "quarterly-summary": ("开元路街道", "2022年第三季度"),
    "work-summary": ("涧西区", "2022年"),
    "work-report": ("湖北路街道", "2022年上半年"),
    "activity-plan": ("开元路街道", None),
    "brief": ("湖北路街道", None),
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions-file", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--questions", type=int, default=0, help="use only the first N (0: all)")
    parser.add_argument("--drafts", type=int, default=3, help="drafts timed per document type")
    add_index_options(parser, default_out=DEFAULT_OUT)
    args = parse_bench_args(parser, argv)

    import answer
    import drafting
    from drafting import DraftRequest
    from retrieval import HybridSearcher

    started = time.perf_counter()
    embedder = bench_embedder(args.model_path)
    load_s = time.perf_counter() - started
    kb, tmp = open_index(args.data_dir, embedder)
    started = time.perf_counter()
    report = kb.ingest([ROOT / "corpus" / "news"])
    ingest_s = time.perf_counter() - started
    searcher = HybridSearcher(kb)
    generator = answer.ExtractiveGenerator(embedder)

    questions = [
        json.loads(line)
        for line in args.questions_file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if args.questions:
        questions = questions[: args.questions]
    # One warm-up call so the first timed question does not pay for lazy loading.
    answer.answer_question(questions[0]["question"], searcher=searcher, generator=generator)
    answer_times: list[float] = []
    cited = 0
    for item in questions:
        t0 = time.perf_counter()
        reply = answer.answer_question(item["question"], searcher=searcher, generator=generator)
        answer_times.append(time.perf_counter() - t0)
        cited += bool(reply.citations)

    drafts: dict[str, dict[str, float]] = {}
    for doc_type in drafting.DOCUMENT_TYPES:
        unit, period = UNITS.get(doc_type, ("开元路街道", None))
        request = DraftRequest(doc_type=doc_type, unit=unit, period=period, topic="基层党建")
        compose, render = [], []
        size = 0
        for _ in range(args.drafts):
            t0 = time.perf_counter()
            draft = drafting.compose_draft(request, searcher=searcher, generator=generator)
            t1 = time.perf_counter()
            size = len(drafting.render_docx(draft))
            t2 = time.perf_counter()
            compose.append(t1 - t0)
            render.append(t2 - t1)
        drafts[doc_type] = {
            "compose_median_s": round(statistics.median(compose), 3),
            "render_median_s": round(statistics.median(render), 3),
            "docx_bytes": size,
        }

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "model": embedder.name,
        "model_load_s": round(load_s, 2),
        "corpus_files": len(report.outcomes),
        "corpus_chunks": kb.chunk_count(),
        "ingest_s": round(ingest_s, 2),
        "questions": len(questions),
        "answers_with_citations": cited,
        "answer_p50_s": round(_percentile(answer_times, 50), 3),
        "answer_p95_s": round(_percentile(answer_times, 95), 3),
        "answer_mean_s": round(statistics.fmean(answer_times), 3),
        "drafts": drafts,
        "drafts_per_type": args.drafts,
        "peak_rss_mib": round(_peak_rss_mib(), 1),
    }
    if tmp is not None:
        tmp.cleanup()

    print(f"Cited answers and drafts ({result['machine']}, {result['model']}, extractive)\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| questions (cited) | {len(questions)} ({cited}) |")
    print(f"| answer p50 | {result['answer_p50_s'] * 1000:.0f} ms |")
    print(f"| answer p95 | {result['answer_p95_s'] * 1000:.0f} ms |")
    for doc_type, fig in drafts.items():
        total = fig["compose_median_s"] + fig["render_median_s"]
        print(
            f"| draft {doc_type} (compose + render) | {total * 1000:.0f} ms "
            f"({fig['compose_median_s'] * 1000:.0f} + {fig['render_median_s'] * 1000:.0f}) |"
        )
    print(f"| peak RSS | {result['peak_rss_mib']:.0f} MiB |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
