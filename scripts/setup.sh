#!/usr/bin/env bash
# Create .venv and install the project. torch==2.13.0 goes first, explicitly: it is the CPU
# wheel; letting a dependency pick torch would pull a multi-GB GPU build.
# Usage: scripts/setup.sh [--test]   (--test adds the test extras and Debian packages)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

extras=""
if [ "${1:-}" = "--test" ]; then
    extras="[test]"
    bash scripts/system-deps.sh
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1
python -c "import torch" 2>/dev/null || pip install -q torch==2.13.0
pip install -q -e ".${extras}" 2>&1 | grep -v -E "^(WARNING: Location|  )" || true
python -c "import torch, sentence_transformers, chromadb" >/dev/null
echo "environment ready: $(python --version), torch $(python -c 'import torch; print(torch.__version__)')"
