#!/usr/bin/env bash
# The main job on a fresh machine: set up, prepare the bundled embedding model, index
# corpus/ and serve the assistant (API + web page) on http://127.0.0.1:${KB_PORT:-8000}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
kb prepare-model
kb ingest corpus/news/ corpus/policy/
exec kb serve --host "${KB_HOST:-127.0.0.1}" --port "${KB_PORT:-8000}"
