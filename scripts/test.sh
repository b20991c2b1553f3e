#!/usr/bin/env bash
# Set up (venv, test extras, Debian packages), prepare the model, check style, types and
# layers, then run the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
# shellcheck disable=SC1091
. .venv/bin/activate
kb prepare-model
# Style, types and layers before any test: the same checks CI runs.
ruff format --check textcore ingest retrieval answer drafting server tests bench
ruff check textcore ingest retrieval answer drafting server tests bench
mypy  # the packages listed in pyproject.toml [tool.mypy]
lint-imports  # the layer contracts in pyproject.toml [tool.importlinter]
python -m pytest "$@"
