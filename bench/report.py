"""The README's benchmark section, from the JSON files the benchmarks wrote.

    python bench/report.py            # print the Markdown
    python bench/report.py --write    # replace the section between the markers in README.md

Every figure comes from ``bench/results/*.json`` (see ``bench/run_all.sh`` for the
commands that write them); a goal that a run missed says so with the figure.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, 2 cores, 24 GiB, Python {platform.python_version()}"


def _precision() -> str:
    """What ``KB_EMBEDDING_PRECISION=auto`` picks here."""
    sys.path.insert(0, str(ROOT))
    from retrieval.st_embedder import resolve_precision

    return resolve_precision("auto", "cpu")


def ingest_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    p, bare, re_ = r["pipeline"], r["bare_model"], r["reindex"]
    rows = [
        (
            "Ingest: full pipeline (files → Chroma + BM25)",
            f"{r['corpus']['documents']:,} files, {r['corpus']['characters']:,} chars → "
            f"{p['chunks']:,} chunks in {p['seconds']:.0f} s: {p['chunks_per_s']:.1f} chunks/s, "
            f"{p['chars_per_s']:,.0f} chars/s",
            "",
            "",
        ),
        (
            "Ingest: bare model on the same chunk texts",
            f"{bare['seconds']:.0f} s: {bare['chunks_per_s']:.1f} chunks/s "
            f"({r.get('precision', 'float32')})",
            "",
            "",
        ),
        (
            "Ingest: pipeline overhead over the bare model",
            f"{r['overhead_pct']:+.1f} % wall, {r['overhead_cpu_pct']:+.1f} % CPU time",
            "< 10 %",
            _verdict(r["overhead_pct"] < 10),
        ),
        (
            "Ingest: re-index of the unchanged corpus",
            f"{re_['seconds']:.2f} s, {r['reindex_speedup']:,.0f}× faster than the full index",
            "≥ 50×",
            _verdict(r["reindex_speedup"] >= 50),
        ),
    ]
    lc = r.get("langchain")
    if lc:
        rows.append(
            (
                "Ingest: vs naive LangChain (RecursiveCharacterTextSplitter + "
                "Chroma.from_documents, HuggingFaceEmbeddings defaults)",
                f"LangChain {lc['seconds']:.0f} s for {lc['chunks']:,} chunks "
                f"({lc['chunks_per_s']:.1f}/s); ours {r['langchain_speedup']:.2f}× faster",
                "≥ 1.5×",
                _verdict(r["langchain_speedup"] >= 1.5),
            )
        )
    ours = r.get("langchain_our_embedder")
    if ours:
        rows.append(
            (
                "Ingest: the same LangChain pipeline given our embedder",
                f"{ours['seconds']:.0f} s for {ours['chunks']:,} chunks; ours "
                f"{r['langchain_our_embedder_speedup']:.2f}× its speed (the gain over the "
                "naive run is the embedding runtime, not the pipeline)",
                "",
                "",
            )
        )
    peak = f"pipeline {p['peak_rss_mb']:,.0f} MB, bare-model phase {bare['peak_rss_mb']:,.0f} MB"
    if lc:
        peak += f"; the process after the naive LangChain phase {lc['peak_rss_mb']:,.0f} MB"
    rows.append(("Ingest: peak RSS", peak, "", ""))
    return rows


def search_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for size in r["results"]:
        h, b, q = size["hybrid"], size["bm25"], size["query_embedding"]
        rows.append(
            (
                f"Search latency, {size['chunks']:,} chunks (hybrid, k=10)",
                f"p50 {h['p50_ms']:.0f} ms, p95 {h['p95_ms']:.0f} ms (BM25 alone p50 "
                f"{b['p50_ms']:.0f} ms; query embedding p50 {q['p50_ms']:.0f} ms); "
                f"peak RSS {size['peak_rss_mib']:,.0f} MiB",
                "",
                "",
            )
        )
    return rows


def quality_rows(name: str, r: dict[str, Any], *, mrr_goal: float | None, r5_goal: float):
    rows = []
    for mode in ("bm25", "dense", "hybrid"):
        m = r["by_mode"][mode]
        goal, verdict = "", ""
        if mode == "hybrid":
            ok = m["recall@5"] >= r5_goal and (mrr_goal is None or m["mrr@10"] >= mrr_goal)
            goal = f"R@5 ≥ {r5_goal:g}" + (f", MRR ≥ {mrr_goal:g}" if mrr_goal else "")
            verdict = _verdict(ok)
        rows.append(
            (
                f"{name} ({m['count']:,} questions), {mode}",
                f"R@1 {m['recall@1']:.3f} · R@5 {m['recall@5']:.3f} · R@10 "
                f"{m['recall@10']:.3f} · MRR@10 {m['mrr@10']:.3f}",
                goal,
                verdict,
            )
        )
    return rows


def answer_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = [
        (
            "Cited answer (extractive), seeds dev questions",
            f"p50 {r['answer_p50_s'] * 1000:.0f} ms, p95 {r['answer_p95_s'] * 1000:.0f} ms over "
            f"{r['questions']} questions; {r['answers_with_citations']} with citations",
            "",
            "",
        )
    ]
    drafts = ", ".join(
        f"{kind} {d['compose_median_s']:.1f} s + render {d['render_median_s']:.2f} s"
        for kind, d in r["drafts"].items()
    )
    rows.append(("Draft (compose + .docx), median per type", drafts, "", ""))
    rows.append(("Answers and drafts: peak RSS", f"{r['peak_rss_mib']:,.0f} MiB", "", ""))
    return rows


def draft_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """One row per document type from ``bench/drafts.py``."""
    rows = []
    for kind, d in r["per_type"].items():
        zero = (
            d["half_width_punctuation"]
            + d["news_voice_markers"]
            + d["section_rule_failures"]
            + d["plan_items_copied"]
        )
        rows.append(
            (
                f"Draft evaluation, {kind} ({d['drafts']} drafts)",
                f"half-width punctuation {d['half_width_punctuation']}, news voice "
                f"{d['news_voice_markers']}, section-rule failures {d['section_rule_failures']}, "
                f"copied plan items {d['plan_items_copied']}, numbers traced "
                f"{d['numbers_traced']:.0%} of {d['facts']}, 待补充 {d['placeholders']}, "
                f"{d['draft_median_s']:.2f} s per draft",
                "0 / 0 / 0 / 0, 100 %",
                _verdict(zero == 0 and d["numbers_traced"] == 1.0),
            )
        )
    return rows


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def answer_quality_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """bench/answers.py: gold contained, refusals, citations per dev set (issue 13)."""
    names = {
        "seeds": "seeds dev",
        "policy": "policy dev",
        "unanswerable": "seeds unanswerable + wrong-entity",
        "policy_extra": "policy answer rows of our own (incl. 8 out-of-scope)",
        "seeds_extra": "seeds answer rows of our own",
        "seeds_refusal": "seeds rows of our own (13 answerable, 1 unanswerable)",
        "seeds_checks": "seeds check rows of our own (13 wrong-entity, 12 unanswerable, 12 answerable)",
        "policy_retrieval_extra": "policy retrieval set of our own (54), answered",
        "policy_checks": "policy check rows of our own (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout": "policy holdout rows of our own (18 fact, 7 procedure, 5 unanswerable)",
        "policy_b_dev": "second policy corpus, dev rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_b_holdout": "second policy corpus, blind rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_b_extra": "second policy corpus, more dev rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_fresh": "policy fresh dev rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout2": "policy second holdout rows, opened (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout3": "policy third holdout rows, opened (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout4": "policy fourth holdout rows, opened (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout5": "policy fifth blind rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout6": "policy sixth blind rows (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout7": "policy seventh holdout rows, opened (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout8": "policy eighth holdout rows, dev set's style, opened (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout9": "policy ninth blind rows, dev set's style (18 fact, 7 procedure, 5 unanswerable)",
        "policy_holdout10": "policy tenth blind rows, dev set's style (18 fact, 7 procedure, 5 unanswerable)",
        "policy_steps": "policy procedure rows, dev set's short style (15 procedure)",
        "policy_b_steps": "second policy corpus, procedure rows, dev set's short style (15 procedure)",
        "policy_probe": "policy probe rows of our own (29 fact, 8 procedure, 11 unanswerable)",
        "policy_unanswerable": "policy out-of-scope rows of our own (20 unanswerable)",
    }
    rows = []
    for key, data in r["sets"].items():
        m, by_type = data["overall"], data["by_type"]
        warm = data.get("warm", {}).get("overall", {})
        name = names.get(key, key)
        if "gold_contained" in m:
            goal = 0.85 if key.startswith("policy") else 0.9
            per_type = ", ".join(
                f"{t} {_pct(v['gold_contained'])}"
                for t, v in by_type.items()
                if "gold_contained" in v
            )
            rows.append(
                (
                    f"Answers, {name}: answer holds the gold passage (≥ 0.9 of its characters)",
                    f"{_pct(m['gold_contained'])} ({per_type}); "
                    f"citation precision {_pct(m['citation_precision'])}",
                    f"≥ {goal * 100:.0f} %",
                    _verdict(m["gold_contained"] >= goal),
                )
            )
            rows.append(
                (
                    f"Answers, {name}: answerable questions refused",
                    _pct(m["wrongly_refused"]),
                    "≤ 2 %",
                    _verdict(m["wrongly_refused"] <= 0.02),
                )
            )
        for kind in ("unanswerable", "wrong_entity"):
            t = by_type.get(kind)
            if t:
                goal_ok = (
                    t["refused"] >= 0.9 if kind == "unanswerable" else t["answered_instead"] == 0
                )
                rows.append(
                    (
                        f"Answers, {name}: {kind.replace('_', '-')} questions refused",
                        f"{_pct(t['refused'])} of {t['count']} ({t['answered_instead']} answered)",
                        "≥ 90 %" if kind == "unanswerable" else "0 answered",
                        _verdict(goal_ok),
                    )
                )
        rows.append(
            (
                f"Answers, {name}: latency (extractive, alone)",
                f"first sight of the sentences p50 {m['latency_p50_ms']:.0f} / p95 "
                f"{m['latency_p95_ms']:.0f} ms; cached p50 {warm.get('latency_p50_ms', 0):.0f} / "
                f"p95 {warm.get('latency_p95_ms', 0):.0f} ms",
                "p95 < 300 ms",
                _verdict(warm.get("latency_p95_ms", 1e9) < 300),
            )
        )
    return rows


def load_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    mix = ", ".join(
        f"{name} p50 {e['p50_ms']:.0f} / p95 {e['p95_ms']:.0f} ms"
        for name, e in r["by_endpoint"].items()
    )
    return [
        (
            f"Load: {r['clients']} clients × {r['duration_s']:.0f} s, live uvicorn on loopback",
            f"{r['requests']:,} requests, {r['rps']:.1f} req/s, {r['errors']} errors; "
            f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms ({mix})",
            "≥ 25 req/s, p95 < 2 s, /health p95 < 100 ms, 0 errors",
            _verdict(
                r["rps"] >= 25
                and r["p95_ms"] < 2000
                and r["by_endpoint"].get("health", {}).get("p95_ms", float("inf")) < 100
                and r["errors"] == 0
            ),
        )
    ]


def ocr_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for dpi, m in sorted(r["by_dpi"].items(), key=lambda item: int(item[0])):
        goal = "CER ≤ 3 %" if dpi == "300" else ""
        verdict = _verdict(m["cer"] <= r.get("goal_cer_300dpi", 0.03)) if dpi == "300" else ""
        rows.append(
            (
                f"OCR: corpus pages scanned at {dpi} dpi (ocrmypdf + Tesseract {r['languages']})",
                f"CER {m['cer']:.2%} (full/half-width folded {m['cer_nfkc']:.2%}) on "
                f"{m['pages']} pages, {m['characters']:,} chars; "
                f"{m['pages_per_s']:.2f} pages/s with {r['jobs']} jobs"
                + (
                    f" ({m['cpu_s_per_page']:.1f} CPU-s/page: "
                    f"{m['pages_per_s_2_idle_cores']:.2f} pages/s on 2 idle cores)"
                    if "cpu_s_per_page" in m
                    else ""
                ),
                goal,
                verdict,
            )
        )
    if scan := r.get("long_scan"):
        rows.append(
            (
                f"OCR: one {scan['pages']}-page scan at 300 dpi "
                f"({scan['text_pages']} text pages, the rest blank)",
                f"{scan['seconds']:.0f} s, {scan['pages_per_s']:.2f} pages/s, "
                f"{scan['cpu_s_per_page']:.1f} CPU-s/page; peak RSS {scan['peak_rss_mb']} MB "
                f"(+ {scan['peak_rss_mb_ocr_process']} MB largest OCR process); "
                f"{len(scan['warnings'])} warnings",
                "",
                "",
            )
        )
    return rows


def pdf_table_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    docs = r["documents"]
    pages = sum(d["pages"] for d in docs.values())
    rows = []
    for name, m in r["readers"].items():
        rows.append(
            (
                f"PDF tables: {name}",
                f"cells right {m['cell_recall']:.1%} (precision {m['cell_precision']:.1%}), "
                f"rows exact {m['row_exact_rate']:.1%} of {m['rows_expected']} rows in "
                f"{len(docs)} LibreOffice PDFs ({pages} pages); {m['seconds_per_page']:.2f} s/page",
                "",
                "",
            )
        )
    return rows


def policy_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Policy texts (fact + procedure questions, unanswerable skipped): our three
    modes and the naive LangChain pipeline, measured in the same run by bench/policy.py."""
    rows = []
    labels = {
        "hybrid": "ours, hybrid",
        "bm25": "ours, BM25",
        "dense": "ours, dense",
        "lc-ensemble": "naive LangChain, BM25 + dense ensemble",
        "lc-dense": "naive LangChain, dense (500/50 splitter)",
    }
    for name, entry in r["sets"].items():
        lc = entry.get("langchain", {}).get("by_mode", {}).get("lc-ensemble")
        for side, mode in (
            ("ours", "hybrid"),
            ("ours", "bm25"),
            ("ours", "dense"),
            ("langchain", "lc-ensemble"),
            ("langchain", "lc-dense"),
        ):
            m = entry.get(side, {}).get("by_mode", {}).get(mode)
            if m is None:
                continue
            goal, verdict = "", ""
            if mode == "hybrid":
                goal = "R@5 ≥ 0.95, MRR ≥ 0.85, ahead of LangChain ensemble on R@1/R@5/MRR"
                ok = m["recall@5"] >= 0.95 and m["mrr@10"] >= 0.85
                if lc is not None:
                    ok = ok and all(m[key] > lc[key] for key in ("recall@1", "recall@5", "mrr@10"))
                verdict = _verdict(ok)
            types = entry[side]["by_type"][mode]
            per_type = " · ".join(f"{t} R@5 {v['recall@5']:.3f}" for t, v in types.items())
            rows.append(
                (
                    f"Policy {name} ({m['count']} questions), {labels[mode]}",
                    f"R@1 {m['recall@1']:.3f} · R@5 {m['recall@5']:.3f} · MRR@10 "
                    f"{m['mrr@10']:.3f} · All@5 {m['all@5']:.3f} ({per_type})",
                    goal,
                    verdict,
                )
            )
    return rows


def proofread_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    recall = ", ".join(f"{kind} {e['found']}/{e['seeded']}" for kind, e in r["recall"].items())
    c, t = r["controls"], r["time_10_pages_s"]
    return [
        (
            "Proofread: seeded errors recalled (2-page documents from corpus/news)",
            f"{r['recall_overall']:.0%} ({recall})",
            "≥ 95 %",
            _verdict(r["recall_overall"] >= 0.95),
        ),
        (
            "Proofread: false findings on clean documents",
            f"{c['false_per_10_pages']:.1f} per 10 pages ({c['findings']} on {c['pages']:.0f} pages)",
            "≤ 1 per 10 pages",
            _verdict(c["false_per_10_pages"] <= 1.0),
        ),
        (
            "Proofread: 10-page .docx, all rules, figures against the index",
            f"median {t['median']:.1f} s, max {t['max']:.1f} s "
            f"({t['median_without_figures']:.1f} s without figures)",
            "< 5 s",
            _verdict(t["max"] < 5.0),
        ),
    ]


def render() -> str:
    rows: list[tuple[str, str, str, str]] = []
    if r := _load("ingest.json"):
        rows += ingest_rows(r)
    if r := _load("search.json"):
        rows += search_rows(r)
    if r := _load("qa_seeds_dev.json"):
        rows += quality_rows("Seeds dev set", r, mrr_goal=0.95, r5_goal=1.0)
    if r := _load("cmrc2018_dev.json"):
        rows += quality_rows("CMRC 2018 dev, paragraph retrieval", r, mrr_goal=None, r5_goal=0.95)
    if r := _load("policy.json"):
        rows += policy_rows(r)
    if r := _load("answer_draft.json"):
        rows += answer_rows(r)
    if r := _load("drafts.json"):
        rows += draft_rows(r)
    if r := _load("answers.json"):
        rows += answer_quality_rows(r)
    if r := _load("load_50x60.json"):
        rows += load_rows(r)
    if r := _load("ocr.json"):
        rows += ocr_rows(r)
    if r := _load("pdf_tables.json"):
        rows += pdf_table_rows(r)
    if r := _load("proofread.json"):
        rows += proofread_rows(r)
    lines = [
        f"Machine: {_machine()}; embedding model multilingual-e5-small, computing in "
        f"{_precision()} on this CPU (bfloat16 where the CPU has it natively, float32 elsewhere; "
        "rows from another machine say so below the table). Made by "
        "`bash bench/run_all.sh` (each script alone: `python bench/ingest.py --docs 2600`, "
        "`python bench/search.py`, `kb eval tests/data/qa_seeds_dev.jsonl`, "
        "`kb eval --cmrc bench/data/cmrc2018/cmrc2018_dev.json`, `python bench/answer_draft.py`, "
        "`python bench/load.py`, `python bench/ocr.py`, `python bench/pdf_tables.py`); JSON in `bench/results/`, this table by "
        "`python bench/report.py --write`.",
        "",
        "| Measure | Result | Goal | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update README.md in place")
    args = parser.parse_args(argv)
    table = render()
    if not args.write:
        print(table)
        return 0
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} section", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
