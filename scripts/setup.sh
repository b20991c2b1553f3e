#!/usr/bin/env bash
# Create .venv and install the project. torch==2.13.0 goes first, explicitly: it is the CPU
# wheel; letting a dependency pick torch would pull a multi-GB GPU build.
# Usage: scripts/setup.sh [--test] [--bench]
#   --test   adds the test extras and the Debian packages the tests need
#   --bench  adds what the benchmarks compare against (langchain-huggingface)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

wanted=()
for arg in "$@"; do
    case "$arg" in
        --test) wanted+=(test); bash scripts/system-deps.sh ;;
        --bench) wanted+=(bench) ;;
        *) echo "usage: scripts/setup.sh [--test] [--bench]" >&2; exit 2 ;;
    esac
done
extras=""
if [ ${#wanted[@]} -gt 0 ]; then
    extras="[$(IFS=,; echo "${wanted[*]}")]"
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1
log="$(mktemp)"
quiet_pip() {
    # pip's own output only matters when it fails; the machine's index prints many warnings.
    if ! python -m pip install -q "$@" >"$log" 2>&1; then
        grep -v "^WARNING: Location" "$log" >&2
        echo "pip install $* failed" >&2
        exit 1
    fi
}
# The pip a new venv starts with (23.x) trips over duplicated extras in the resolver.
python -m pip --version | grep -q "^pip 2[5-9]" || quiet_pip --upgrade "pip>=25"
python -c "import torch" 2>/dev/null || quiet_pip torch==2.13.0
quiet_pip -e ".${extras}"
rm -f "$log"
python -c "import torch, sentence_transformers, chromadb" >/dev/null
echo "environment ready: $(python --version), torch $(python -c 'import torch; print(torch.__version__)')"
