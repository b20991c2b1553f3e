#!/usr/bin/env bash
# Every benchmark, one after another, then the README table (bench/report.py).
# They share the machine's cores: run nothing else meanwhile, and never two at once.
#   bash bench/run_all.sh            # ~45 min on 2 cores
#   BENCH_QUICK=1 bash bench/run_all.sh   # a smoke run of every script (~5 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --bench
# shellcheck disable=SC1091
. .venv/bin/activate
kb prepare-model
model="$(pwd)/data/models/multilingual-e5-small"
out=bench/results
work="$(mktemp -d -t kb-bench-XXXXXX)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
quick="${BENCH_QUICK:-}"
eval_dev=bench/data/cmrc2018/cmrc2018_dev.json  # CC BY-SA 4.0: see its LICENCE

echo "== ingest" >&2
if [ -n "$quick" ]; then
    python bench/ingest.py --quick --out "$out/ingest_quick.json"
else
    python bench/ingest.py --docs 2600 --out "$out/ingest.json"
fi

echo "== search latency" >&2
if [ -n "$quick" ]; then
    python bench/search.py --sizes 1000 --queries 50 --real-vectors 300 --output "$work/search.json"
else
    python bench/search.py --sizes 1000,10000,100000 --queries 200 --output "$out/search.json"
fi

echo "== retrieval quality" >&2
export KB_MODEL_PATH="$model" KB_DATA_DIR="$work/kb"
# as scripts/run.sh lays them out: news and policy texts in two knowledge bases, asked together
kb kb create news --title 工作材料 --exist-ok >/dev/null
kb kb create policy --title 政策法规 --exist-ok >/dev/null
kb ingest --kb news corpus/news/ >/dev/null
kb ingest --kb policy corpus/policy/ >/dev/null
kb eval tests/data/qa_seeds_dev.jsonl --json >"$out/qa_seeds_dev.json"
if [ -f "$eval_dev" ] && [ -z "$quick" ]; then
    kb eval --cmrc "$eval_dev" --json >"$out/cmrc2018_dev.json"
fi
if [ -z "$quick" ]; then
    python bench/policy.py --model-path "$model" --ablation --output "$out/policy.json" >/dev/null
fi

echo "== cited answers and drafts" >&2
if [ -n "$quick" ]; then
    python bench/answer_draft.py --questions 5 --drafts 1 --data-dir "$work/kb" --out "$work/ad.json"
else
    python bench/answer_draft.py --data-dir "$work/kb" --out "$out/answer_draft.json"
fi

echo "== draft evaluation" >&2
if [ -n "$quick" ]; then
    python bench/drafts.py --out "$work/drafts.json"
else
    python bench/drafts.py --pages docs/ --out "$out/drafts.json"
fi

echo "== OCR (corpus pages scanned at 150/300 dpi) and PDF tables" >&2
if [ -n "$quick" ]; then
    python bench/ocr.py --dpi 300 --out "$work/ocr.json"
else
    python bench/ocr.py --out "$out/ocr.json"
fi
python bench/pdf_tables.py --out "$([ -n "$quick" ] && echo "$work" || echo "$out")/pdf_tables.json"
echo "== proofreading: seeded errors, clean controls, time for 10 pages" >&2
if [ -n "$quick" ]; then
    python bench/proofread.py --trials 5 --controls 1 --out "$work/proofread.json"
else
    python bench/proofread.py --out "$out/proofread.json"
fi
echo "== answer quality: gold contained, refusals, citations (news + policy)" >&2
if [ -z "$quick" ]; then
    python bench/answers.py --out "$out/answers.json"
fi

echo "== load: 50 clients against a live server on loopback" >&2
port=8765
kb serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
python - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/health", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
PY
if [ -n "$quick" ]; then
    load_args=(--duration 10 --json "$work/load.json")
else
    load_args=(--duration 60 --json "$out/load_50x60.json")
fi
python bench/load.py --base-url "http://127.0.0.1:$port" --clients 50 --timeout 120 \
    "${load_args[@]}" || true
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

[ -z "$quick" ] && python bench/report.py --write
echo "done" >&2
