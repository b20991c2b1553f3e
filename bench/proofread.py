"""Seeded-error evaluation of proofreading (kb proofread / POST /proofread).

    python bench/proofread.py                 # writes bench/results/proofread.json

Documents are built from the sample corpus's own paragraphs (corpus/news), rendered
as .docx by the product's GB/T 9704 renderer, under 一、/（一） headings:

* clean controls: 10-page documents, every rule run (figures against a real index of
  corpus/news with the real embedding model); every finding on them counts as false.
  The paragraphs are those the knowledge base holds (the loader drops page furniture
  and unrelated news); those that the source itself typesets with half-width
  punctuation next to Chinese characters, or with a quote left open at the line's
  end, are not used (they are not clean: the rules rightly flag them).
* seeded errors: one known error of one rule kind put into a 2-page document; it is
  recalled when a finding of that kind points at the paragraph (or, for layout, the
  document) where it was put. The seeds are written here, independently of the rule
  files' own examples.
* time: read + proofread (all rules, figures against the index) of a 10-page .docx.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_index import (  # noqa: E402
    add_index_options,
    bench_embedder,
    open_index,
    parse_bench_args,
)
from textcore.headings import Numbering, format_number  # noqa: E402
from textcore.punct import CJK_RANGES  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "proofread.json"
CHARS_PER_PAGE = 22 * 28
_DIRTY = re.compile(rf"[{CJK_RANGES}][,;:()?!]|[,;:()?!][{CJK_RANGES}]")
_HEADINGS = ("基本情况", "主要做法", "工作成效", "存在问题", "下步打算", "经验启示")
_SUBHEADINGS = ("强化组织", "完善机制", "优化服务", "凝聚力量", "创新载体")


def corpus_paragraphs() -> list[str]:
    """Body paragraphs of corpus/news as the knowledge base holds them (after the
    loader's cleaning), less those the source typesets badly (see above)."""
    import ingest

    kept = []
    for path in sorted((ROOT / "corpus" / "news").glob("*.txt")):
        lines = [line.strip() for line in ingest.read_document(path).text.splitlines()]
        for line in lines[1:]:
            if len(line) < 40 or _DIRTY.search(line):
                continue
            if line.count("“") != line.count("”") or line.count("（") != line.count("）"):
                continue
            kept.append(line)
    return kept


def build_sections(paragraphs: list[str], rng: random.Random, pages: float):
    """(heading, [(level, text)]) sections holding about ``pages`` pages of text."""
    budget = pages * CHARS_PER_PAGE
    pool = paragraphs[:]
    rng.shuffle(pool)
    sections, used = [], 0

    for h, heading in enumerate(_HEADINGS):
        body = []
        for s, sub in enumerate(_SUBHEADINGS[:2]):
            body.append((2, f"{format_number(Numbering.CN_PAREN, s + 1)}{sub}"))
            for _ in range(2):
                if not pool or used >= budget:
                    break
                text = pool.pop()
                body.append((0, text))
                used += len(text)
        sections.append((f"{format_number(Numbering.CN_ITEM, h + 1)}{heading}", body))
        if used >= budget or not pool:
            break
    while used < budget and pool:  # longer documents: more paragraphs in the last section
        text = pool.pop()
        sections[-1][1].append((0, text))
        used += len(text)
    return sections


# --- seeds: each changes a (level, text) section list or the .docx ------------------

Seed = Callable[[list, random.Random], tuple[list, str] | None]

_WORDING_SEEDS = (
    "截止目前，已完成老旧小区改造任务。",
    "街道为此做出了大量努力。",
    "其它社区也在积极推进。",
    "全体党员要认真的落实各项部署。",
    "要一如继往抓好党建工作。",
    "各网格员要作好排查登记。",
    "向上级反应群众的意见。",
    "以经形成长效机制。",
    "要发扬坚苦奋斗的精神。",
    "同驻区单位签定共建协议。",
    "让居民渡过一个祥和的春节。",
    "这些工作做的很扎实。",
    "必需坚持以人民为中心。",
    "自既日起接受居民报名。",
    "即要抓党建，又要抓服务。",
)
_PUNCT_SEEDS: tuple[Callable[[str, random.Random], str | None], ...] = (
    lambda t, r: _replace_nth(t, r, rf"(?<=[{CJK_RANGES}])，(?=[{CJK_RANGES}])", ","),
    lambda t, r: _replace_nth(t, r, rf"(?<=[{CJK_RANGES}])；(?=[{CJK_RANGES}])", ";"),
    lambda t, r: _replace_nth(t, r, "”", ""),
    lambda t, r: _replace_nth(t, r, "，", "，，"),
    lambda t, r: _replace_nth(t, r, "。", "。。"),
    lambda t, r: t.rstrip("。") + "，会议于2022.9.14召开。",
    lambda t, r: t.rstrip("。") + "，于二〇二二年九月十四日完成。",
    lambda t, r: t.rstrip("。") + "，累计服务群众12800人次。",
    lambda t, r: t.rstrip("。") + "，满意率达百分之九十五。",
    lambda t, r: t.rstrip("。") + "，参照“城市居民委员会组织法”执行。",
    lambda t, r: t.rstrip("。") + "，覆盖老人、儿童、和残疾人。",
    lambda t, r: t.rstrip("。") + "，每月开展三、四次走访。",
)


def _replace_nth(text: str, rng: random.Random, pattern: str, new: str) -> str | None:
    matches = list(re.finditer(pattern, text))
    if not matches:
        return None
    m = rng.choice(matches)
    return text[: m.start()] + new + text[m.end() :]


def _body_positions(sections) -> list[tuple[int, int]]:
    return [
        (s, p)
        for s, (_, paragraphs) in enumerate(sections)
        for p, (level, _) in enumerate(paragraphs)
        if level == 0
    ]


def _copy(sections):
    return [(heading, list(paragraphs)) for heading, paragraphs in sections]


def seed_text(sections, rng, change) -> tuple[list, str] | None:
    sections = _copy(sections)
    positions = _body_positions(sections)
    rng.shuffle(positions)
    for s, p in positions:
        level, text = sections[s][1][p]
        new = change(text, rng)
        if new and new != text:
            sections[s][1][p] = (level, new)
            return sections, new
    return None


def seed_structure(sections, rng) -> tuple[list, str] | None:
    sections = _copy(sections)
    kind = rng.choice(("skip_number", "repeat", "level_skip", "stop", "marker"))
    s = rng.randrange(1, len(sections)) if len(sections) > 1 else 0
    heading, paragraphs = sections[s]
    name = heading.split("、", 1)[1]

    if kind == "skip_number":
        sections[s] = (f"{format_number(Numbering.CN_ITEM, s + 2)}{name}", paragraphs)
        return sections, sections[s][0]
    if kind == "repeat":
        sections[s] = (f"{format_number(Numbering.CN_ITEM, s)}{name}", paragraphs)
        return sections, sections[s][0]
    if kind == "stop":
        sections[s] = (f"{heading}。", paragraphs)
        return sections, sections[s][0]
    subs = [i for i, (level, _) in enumerate(paragraphs) if level == 2]
    if not subs:
        return None
    i = subs[0]
    text = paragraphs[i][1]
    rest = text.split("）", 1)[1]
    new = f"1.{rest}" if kind == "level_skip" else f"(一){rest}"
    paragraphs[i] = (3 if kind == "level_skip" else 2, new)
    return sections, new


_LAYOUT_SEEDS = (
    {"page_mm": [215.9, 279.4]},
    {"margins_mm": [25.4, 25.4, 31.8, 31.8]},
    {"margins_mm": [30, 30, 28, 26]},
    {"title_font": "宋体"},
    {"title_size_pt": 18},
    {"body_font": "宋体"},
    {"body_size_pt": 14},
    {"heading1_font": "仿宋_GB2312"},
    {"line_spacing_pt": 20},
    {"page_number": "-1-"},
    {"page_number": "第1页"},
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="seeded documents per rule kind")
    parser.add_argument("--controls", type=int, default=5, help="clean 10-page documents")
    parser.add_argument("--seed", type=int, default=20221014)
    add_index_options(parser, default_out=DEFAULT_OUT)
    args = parse_bench_args(parser, argv)

    from drafting.proofread import RuleKind, proofread, read_docx
    from retrieval import HybridSearcher
    from tests.drafting.proofread.docx_variants import apply_layout, render_document

    rng = random.Random(args.seed)
    paragraphs = corpus_paragraphs()
    embedder = bench_embedder(args.model_path)
    kb, tmp = open_index(args.data_dir, embedder, prefix="kb-bench-proofread-")
    if not kb.documents():
        kb.ingest([ROOT / "corpus" / "news"])
    searcher = HybridSearcher(kb)
    title = "湖北路街道2022年第三季度党建工作总结"

    # clean controls, timed
    false_findings, pages_total, times, times_no_figures = [], 0.0, [], []
    examples = []
    for _ in range(args.controls):
        data = render_document(title, build_sections(paragraphs, rng, 10))
        started = time.perf_counter()
        report = proofread(read_docx(data), searcher=searcher)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        proofread(read_docx(data), kinds=[k for k in RuleKind if k is not RuleKind.FIGURES])
        times_no_figures.append(time.perf_counter() - started)
        pages_total += report.pages
        false_findings.extend(report.findings)
        examples += [
            {"rule": f.rule_id, "quote": f.quote, "message": f.message} for f in report.findings[:5]
        ]
    per_10_pages = len(false_findings) * 10 / pages_total if pages_total else 0.0

    # seeded errors
    recall: dict[str, dict] = {}
    misses: dict[str, list] = {}

    def record(kind: str, hit: bool, note: str) -> None:
        entry = recall.setdefault(kind, {"seeded": 0, "found": 0})
        entry["seeded"] += 1
        entry["found"] += hit
        if not hit:
            misses.setdefault(kind, []).append(note)

    def found_at(report, document, kind: RuleKind, needle: str) -> bool:
        doc_blocks = {b.index: b.text for b in document.blocks}
        return any(
            f.kind is kind and (f.paragraph == 0 or needle[:12] in doc_blocks.get(f.paragraph, ""))
            for f in report.findings
        )

    text_kinds = [k for k in RuleKind if k not in (RuleKind.LAYOUT, RuleKind.FIGURES)]
    for trial in range(args.trials):
        base = build_sections(paragraphs, rng, 2)
        # punctuation
        change = _PUNCT_SEEDS[trial % len(_PUNCT_SEEDS)]
        seeded = seed_text(base, rng, change)
        if seeded:
            report_doc = read_docx(render_document(title, seeded[0]))
            report = proofread(report_doc, kinds=text_kinds)
            record(
                "punctuation",
                found_at(report, report_doc, RuleKind.PUNCTUATION, seeded[1]),
                seeded[1][-40:],
            )
        # wording
        sentence = _WORDING_SEEDS[trial % len(_WORDING_SEEDS)]
        seeded = seed_text(base, rng, lambda t, r, s=sentence: t + s)
        if seeded:
            report_doc = read_docx(render_document(title, seeded[0]))
            report = proofread(report_doc, kinds=text_kinds)
            record("wording", found_at(report, report_doc, RuleKind.WORDING, seeded[1]), sentence)
        # structure
        seeded = seed_structure(base, rng)
        if seeded:
            report_doc = read_docx(render_document(title, seeded[0]))
            report = proofread(report_doc, kinds=text_kinds)
            record(
                "structure", found_at(report, report_doc, RuleKind.STRUCTURE, seeded[1]), seeded[1]
            )
        # layout
        change_layout = _LAYOUT_SEEDS[trial % len(_LAYOUT_SEEDS)]
        report_doc = read_docx(apply_layout(render_document(title, base), change_layout))
        report = proofread(report_doc, kinds=[RuleKind.LAYOUT])
        record(
            "layout", any(f.kind is RuleKind.LAYOUT for f in report.findings), str(change_layout)
        )
        # figures: one figure of a source paragraph changed
        seeded = seed_text(base, rng, _change_figure)
        if seeded:
            report_doc = read_docx(render_document(title, seeded[0]))
            report = proofread(report_doc, searcher=searcher, kinds=[RuleKind.FIGURES])
            record(
                "figures",
                found_at(report, report_doc, RuleKind.FIGURES, seeded[1]),
                seeded[1][-40:],
            )

    for entry in recall.values():
        entry["recall"] = round(entry["found"] / entry["seeded"], 3) if entry["seeded"] else None
    result = {
        "corpus": "corpus/news",
        "source_paragraphs": len(paragraphs),
        "controls": {
            "documents": args.controls,
            "pages": round(pages_total, 1),
            "findings": len(false_findings),
            "false_per_10_pages": round(per_10_pages, 2),
            "examples": examples[:10],
        },
        "recall": recall,
        "recall_overall": round(
            sum(e["found"] for e in recall.values()) / sum(e["seeded"] for e in recall.values()), 3
        ),
        "misses": {k: v[:10] for k, v in misses.items()},
        "time_10_pages_s": {
            "median": round(statistics.median(times), 2),
            "max": round(max(times), 2),
            "median_without_figures": round(statistics.median(times_no_figures), 2),
        },
        "goals": {"recall": 0.95, "false_per_10_pages": 1.0, "seconds_per_10_pages": 5.0},
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs (shared)",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: result[k] for k in ("controls", "recall", "time_10_pages_s")},
            ensure_ascii=False,
            indent=2,
        )
    )
    if tmp is not None:
        tmp.cleanup()
    return 0


_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(名|个|户|人次|人|家|场|次|支|项|件|万元|元|%)")


def _change_figure(text: str, rng: random.Random) -> str | None:
    matches = [m for m in _FIGURE.finditer(text) if not text[m.end() : m.end() + 1].isdigit()]
    if not matches:
        return None
    m = rng.choice(matches)
    number = m.group(1)
    value = float(number)
    new_value = value + rng.choice((3, 7, 11)) if "." not in number else round(value + 1.3, 1)
    new = f"{new_value:g}" if "." in number else str(int(new_value))
    return text[: m.start(1)] + new + text[m.end(1) :]


if __name__ == "__main__":
    sys.exit(main())
