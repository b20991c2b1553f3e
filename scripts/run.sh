#!/usr/bin/env bash
# The main job on a fresh machine: set up, prepare the bundled embedding model, index
# corpus/ (two knowledge bases) and serve the assistant (API + web page) on http://127.0.0.1:${KB_PORT:-8000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
kb prepare-model
# The sample knowledge bases: work material (news) and policy texts; the page asks both.
kb kb create news --title 工作材料 --exist-ok
kb kb create policy --title 政策法规 --exist-ok
kb ingest --kb news corpus/news/
kb ingest --kb policy corpus/policy/
exec kb serve --host "${KB_HOST:-127.0.0.1}" --port "${KB_PORT:-8000}"
