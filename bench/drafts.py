"""Draft evaluation: does every document type read as the unit's own document?

Drafts every type for several units, periods and topics of the sample corpus
(``corpus/news``) and reports, per type:

- half-width punctuation next to a Chinese character (target 0);
- news-voice markers: reporter framing (据了解, 记者, 近日 …), a dateline (…网讯),
  该街道, the unit's full name with its body (湖北路街道党工委) where the unit speaks,
  and a paragraph opening with 另外/此外/同时 (target 0);
- sentences in a section that fail the section's rule (target 0);
- plan items (活动安排) copied verbatim from a source (target 0);
- numbers traced: the share of numbers, dates and named units in cited text that the
  cited sources hold (target 100 %);
- 待补充 notes, and the time per draft (compose + render).

With the real embedding model it builds an index of ``corpus/news`` in a temporary
folder (or uses ``--data-dir``); ``--pages docs/`` also writes the first page of a
summary and of an activity plan as PNG (LibreOffice + pdftoppm). JSON goes to
``bench/results/drafts.json``.

    python bench/drafts.py
    python bench/drafts.py --pages docs/
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_index import (  # noqa: E402
    add_index_options,
    bench_embedder,
    open_index,
    parse_bench_args,
)
from drafting import (  # noqa: E402
    DOCUMENT_TYPES,
    Draft,
    DraftRequest,
    compose_draft,
    convert_to_pdf,
    render_docx,
)
from drafting.sections import classify_sentence  # noqa: E402
from drafting.voice import voice_for  # noqa: E402
from textcore import (  # noqa: E402
    content_chars,
    extract_facts,
    is_cjk,
    list_marker_end,
    sentence_texts,
)

DEFAULT_OUT = ROOT / "bench" / "results" / "drafts.json"
CORPUS = ROOT / "corpus" / "news"

_PLAN_FIELDS = {
    "活动时间": "2026-12-05",
    "活动地点": "街道党群服务中心三楼会议室",
    "参加人员": "各社区党组织书记、党员代表",
    "议程": "签到入场；观看创建工作专题片；各社区交流创建经验；街道党工委书记讲话",
}
# (document type, unit, period, topic, fields): three per type, over the units and
# periods the sample corpus holds (and one it does not, 开元路街道 in 2022Q3).
CASES: tuple[tuple[str, str, str | None, str | None, dict[str, str]], ...] = (
    ("quarterly-summary", "湖北路街道", "2022Q3", None, {}),
    ("quarterly-summary", "开元路街道", "2022Q3", None, {}),
    ("quarterly-summary", "东风路街道", "2022Q3", "基层党建", {}),
    ("work-summary", "东风路街道", "2022年", None, {}),
    ("work-summary", "邙岭路街道", "2022年", "基层治理", {}),
    ("work-summary", "开元路街道", "2022年", "党建引领", {}),
    ("work-report", "湖北路街道", "2022年上半年", None, {"主送机关": "涧西区委"}),
    ("work-report", "开元路街道", "2022年", "基层党建", {}),
    ("work-report", "武汉路街道", "2022年", None, {}),
    ("activity-plan", "湖北路街道", None, "五星支部创建", _PLAN_FIELDS),
    ("activity-plan", "开元路街道", None, "红色物业", {}),
    ("activity-plan", "东风路街道", None, "重阳节敬老", {"活动时间": "2026-10-29"}),
    ("brief", "湖北路街道", None, "五星支部创建", {}),
    ("brief", "邙岭路街道", None, "基层党建", {}),
    ("brief", "东风路街道", None, None, {}),
)

_FRAMING = ("据了解", "据悉", "据介绍", "记者", "通讯员", "日前", "近日", "网讯", "报讯")
_DANGLING = re.compile(r"^(?:另外|此外|同时|与此同时|除此之外)[，,]")
_HALF_WIDTH = re.compile(r"[,;:?!()\"]")


def _paragraphs(draft: Draft) -> list[tuple[str, Any]]:
    return [(section.key, p) for section in draft.sections for p in section.paragraphs]


def _all_text(draft: Draft) -> list[str]:
    return [draft.title, draft.signature, draft.date] + [p.text for _, p in _paragraphs(draft)]


def half_width_count(texts: Sequence[str]) -> int:
    """Half-width , ; : ? ! ( ) " with a Chinese character on either side."""
    count = 0
    for text in texts:
        for match in _HALF_WIDTH.finditer(text):
            i = match.start()
            if any(is_cjk(c) for c in text[max(0, i - 1) : i] + text[i + 1 : i + 2]):
                count += 1
    return count


def news_voice_count(draft: Draft) -> int:
    voice = voice_for(draft.request.unit, draft.request.doc_type)
    markers = list(_FRAMING)
    if voice.kind:
        markers.append(f"该{voice.kind}")
        if voice.short_bodies:
            markers += [f"{voice.name}党工委", f"{voice.name}办事处", f"{voice.name}党委"]
    count = 0
    for _, p in _paragraphs(draft):
        if not p.citations:
            continue
        count += sum(p.text.count(m) for m in markers)
        count += bool(_DANGLING.match(p.text))
    return count


def section_rule_failures(draft: Draft) -> int:
    """Cited sentences whose role the section does not accept."""
    spec = DOCUMENT_TYPES[draft.request.doc_type]
    accepts = {s.key: s.accepts for s in spec.sections}
    failures = 0
    for key, p in _paragraphs(draft):
        if not p.citations or not accepts.get(key):
            continue
        body = p.text[list_marker_end(p.text) :]
        for sentence in sentence_texts(body):
            if len(sentence) >= 8 and classify_sentence(sentence) not in accepts[key]:
                failures += 1
    return failures


def copied_plan_items(draft: Draft, sources: Sequence[str]) -> int:
    """Plan arrangement items (（一）活动安排) holding a 12-character run of a source."""
    if draft.request.doc_type != "activity-plan":
        return 0
    corpus = [content_chars(s) for s in sources]
    copied = 0
    in_arrangement = False
    for key, p in _paragraphs(draft):
        if key != "content":
            continue
        if p.level == 2:
            in_arrangement = p.text.endswith("活动安排")
            continue
        if not in_arrangement or p.placeholder:
            continue
        text = content_chars(re.sub(r"【待补充：[^】]*】", "", p.text))
        runs = {text[i : i + 12] for i in range(max(0, len(text) - 11))}
        copied += any(run in doc for doc in corpus for run in runs)
    return copied


def traced_counts(draft: Draft) -> tuple[int, int]:
    """(facts in cited text, facts the fact check found no source for)."""
    facts = 0
    for _, p in _paragraphs(draft):
        if p.citations:
            facts += len(extract_facts(p.text[list_marker_end(p.text) :]))
    return facts, len(draft.issues)


def evaluate_drafts(
    searcher: Any,
    *,
    cases: Sequence[tuple[str, str, str | None, str | None, dict[str, str]]] = CASES,
    sources: Sequence[str] = (),
) -> dict[str, Any]:
    """Draft every case with ``searcher`` and return the per-type figures."""
    per_type: dict[str, dict[str, Any]] = {}
    for doc_type, unit, period, topic, fields in cases:
        request = DraftRequest(
            doc_type, unit, period=period, topic=topic, fields=dict(fields), date="2026-12-01"
        )
        started = time.perf_counter()
        draft = compose_draft(request, searcher=searcher)
        render_docx(draft)
        elapsed = time.perf_counter() - started
        facts, untraced = traced_counts(draft)
        row = per_type.setdefault(
            doc_type,
            {
                "drafts": 0,
                "half_width_punctuation": 0,
                "news_voice_markers": 0,
                "section_rule_failures": 0,
                "plan_items_copied": 0,
                "facts": 0,
                "facts_untraced": 0,
                "placeholders": 0,
                "seconds": [],
            },
        )
        row["drafts"] += 1
        row["half_width_punctuation"] += half_width_count(_all_text(draft))
        row["news_voice_markers"] += news_voice_count(draft)
        row["section_rule_failures"] += section_rule_failures(draft)
        row["plan_items_copied"] += copied_plan_items(draft, sources)
        row["facts"] += facts
        row["facts_untraced"] += untraced
        row["placeholders"] += sum("【待补充" in p.text for _, p in _paragraphs(draft))
        row["seconds"].append(elapsed)
    for row in per_type.values():
        seconds = row.pop("seconds")
        row["numbers_traced"] = (
            1.0 if row["facts"] == 0 else (row["facts"] - row["facts_untraced"]) / row["facts"]
        )
        row["draft_median_s"] = round(statistics.median(seconds), 3)
    return per_type


def write_first_pages(searcher: Any, out_dir: Path) -> list[Path]:
    """The first page of a summary (with 版头) and of an activity plan, as PNG."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed for --pages")
    requests = {
        "draft-summary": DraftRequest(
            "quarterly-summary",
            "湖北路街道",
            period="2022Q3",
            date="2026-12-01",
            fields={"发文机关标志": "湖北路街道办事处文件", "发文字号": "湖街发〔2026〕12号"},
        ),
        "draft-activity-plan": DraftRequest(
            "activity-plan", "湖北路街道", topic="五星支部创建", fields=_PLAN_FIELDS
        ),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="kb-pages-") as tmp:
        for name, request in requests.items():
            docx = Path(tmp) / f"{name}.docx"
            docx.write_bytes(render_docx(compose_draft(request, searcher=searcher)))
            pdf = convert_to_pdf(docx, Path(tmp))
            # 60 dpi keeps a page readable at about 500 × 700 px and under 100 KB.
            subprocess.run(
                [
                    pdftoppm,
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(pdf),
                    str(out_dir / name),
                ],
                check=True,
            )
            written.append(out_dir / f"{name}.png")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_options(parser, default_out=DEFAULT_OUT)
    parser.add_argument("--pages", type=Path, help="also write first-page PNGs to this folder")
    args = parse_bench_args(parser, argv)

    from retrieval import HybridSearcher

    embedder = bench_embedder(args.model_path)
    kb, tmp = open_index(args.data_dir, embedder)
    if args.data_dir is None:
        kb.ingest([CORPUS])
    searcher = HybridSearcher(kb)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    searcher.search("湖北路街道 工作", k=3)  # warm-up: the first query loads lazily
    per_type = evaluate_drafts(searcher, sources=sources)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "model": embedder.name,
        "corpus": "corpus/news",
        "cases": len(CASES),
        "per_type": per_type,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        "| Type | Drafts | Half-width | News voice | Section rule | Copied items | Traced | 待补充 | s/draft |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, r in per_type.items():
        print(
            f"| {kind} | {r['drafts']} | {r['half_width_punctuation']} | {r['news_voice_markers']} "
            f"| {r['section_rule_failures']} | {r['plan_items_copied']} "
            f"| {r['numbers_traced']:.0%} | {r['placeholders']} | {r['draft_median_s']:.2f} |"
        )
    if args.pages:
        for path in write_first_pages(searcher, args.pages):
            print(f"wrote {path}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
