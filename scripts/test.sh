#!/usr/bin/env bash
# Set up (venv, test extras, Debian packages), prepare the model, lint, then run the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
# shellcheck disable=SC1091
. .venv/bin/activate
kb prepare-model
ruff check textcore ingest retrieval answer drafting server tests bench
python -m pytest "$@"
