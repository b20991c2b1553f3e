"""The embedders: the local e5 model, and a remote OpenAI-compatible endpoint over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from retrieval import (
    BatchEmbedder,
    Embedder,
    EmbeddingError,
    EmbeddingServiceError,
    OpenAIEmbedder,
)
from tests.fakes import HashingEmbedder
from tests.retrieval.contracts import EmbedderContract

# --- the contract: the local model, the remote client and the fake -----------


class TestHashingEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self) -> Embedder:
        return HashingEmbedder(64)


class TestSentenceTransformerEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, real_embedder) -> Embedder:
        return real_embedder


class TestOpenAIEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, stub_server) -> Embedder:
        url, _ = stub_server
        return OpenAIEmbedder(base_url=url, model="stub-e5", batch_size=2)


# --- the base class: what backends do not implement ---------------------------


class _Recording(BatchEmbedder):
    """Vectors that spell out each text's length; records every backend call."""

    def __init__(self, *, rows_short_by: int = 0, width: int = 4, **kwargs) -> None:
        super().__init__(**kwargs)
        self.batches: list[list[str]] = []
        self._rows_short_by = rows_short_by
        self._width = width

    @property
    def name(self) -> str:
        return "recording"

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.batches.append(texts)
        rows = [[float(len(t)), 1.0] + [0.0] * (self._width - 2) for t in texts]
        return np.array(rows[: len(rows) - self._rows_short_by], dtype=np.float64) * 5


def test_base_batches_by_length_prefixes_and_restores_the_order() -> None:
    embedder = _Recording(batch_size=2, query_prefix="q:", passage_prefix="p:")
    texts = ["三个字", "一", "五个字的句", "两字"]
    vectors = embedder.embed_passages(texts)
    assert embedder.batches == [["p:一", "p:两字"], ["p:三个字", "p:五个字的句"]]
    assert vectors.dtype == np.float32 and vectors.shape == (4, 4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    lengths = vectors[:, 0] / vectors[:, 1]  # the direction still says the length
    np.testing.assert_allclose(lengths, [len("p:" + t) for t in texts], rtol=1e-5)
    embedder.embed_queries(["问"])
    assert embedder.batches[-1] == ["q:问"]
    assert embedder.dimension == 4


def test_base_learns_the_dimension_and_refuses_bad_backend_output() -> None:
    embedder = _Recording(width=3)
    assert embedder.embed_queries([]).shape == (0, 0)  # nothing asked, nothing learnt
    assert embedder.dimension == 3 and embedder.batches == [["dimension probe"]]
    assert embedder.embed_queries([]).shape == (0, 3)
    with pytest.raises(EmbeddingError, match="shape"):
        _Recording(rows_short_by=1).embed_passages(["一", "二"])
    fixed = _Recording(width=3, dimension=5)
    with pytest.raises(EmbeddingError, match="expected 5"):
        fixed.embed_passages(["一"])
    with pytest.raises(ValueError, match="batch_size"):
        _Recording(batch_size=0)


# --- the local model ---------------------------------------------------------


def test_local_embedder_implements_the_protocol(real_embedder) -> None:
    assert isinstance(real_embedder, Embedder)
    assert real_embedder.dimension == 384
    assert real_embedder.name == "multilingual-e5-small"


def test_vectors_are_unit_float32_rows_in_input_order(real_embedder) -> None:
    # Lengths deliberately out of order: batching sorts by length internally.
    texts = [
        "社区居委会组织志愿者开展环境卫生整治，清理楼道杂物和小广告，居民纷纷点赞。",
        "党建引领",
        "街道召开年度工作会议。",
    ]
    together = real_embedder.embed_passages(texts)
    assert together.dtype == np.float32
    assert together.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([real_embedder.embed_passages([t]) for t in texts])
    # Padding in a batch moves bfloat16 results by ~1e-3 per element, no more.
    similarity = together @ one_by_one.T
    assert np.argmax(similarity, axis=1).tolist() == [0, 1, 2]
    assert np.diag(similarity).min() > 0.999


def test_empty_input_gives_an_empty_matrix(real_embedder) -> None:
    assert real_embedder.embed_queries([]).shape == (0, 384)


def test_query_and_passage_prefixes_differ(real_embedder) -> None:
    text = "老旧小区加装电梯"
    q = real_embedder.embed_queries([text])[0]
    p = real_embedder.embed_passages([text])[0]
    assert float(q @ p) < 0.999


def test_relevant_passage_ranks_above_unrelated_ones(real_embedder) -> None:
    passages = [
        "社区开设老年食堂，为辖区高龄、独居老人提供平价午餐和送餐上门服务。",
        "区城管执法局依法拆除小区内私搭乱建的违法建筑。",
        "街道党工委召开理论学习中心组学习会，传达学习上级会议精神。",
    ]
    scores = (
        real_embedder.embed_queries(["老人吃饭难怎么解决"])
        @ real_embedder.embed_passages(passages).T
    )
    assert int(np.argmax(scores[0])) == 0


def test_precision_is_checked_and_auto_follows_the_cpu() -> None:
    from retrieval.st_embedder import native_bfloat16, resolve_precision

    with pytest.raises(ValueError, match="precision must be one of"):
        resolve_precision("int4", "cpu")
    assert resolve_precision("float32", "cpu") == "float32"
    assert resolve_precision("bfloat16", "cpu") == "bfloat16"
    assert resolve_precision("auto", "cpu") == ("bfloat16" if native_bfloat16() else "float32")
    assert resolve_precision("auto", "cuda") == "float32"


def test_bfloat16_vectors_match_float32_and_rank_the_same(e5_model_path, corpus_chunk_texts):
    """The fast path may not change what search finds: same model in both dtypes,
    every corpus chunk's vector within cosine 0.995, the same top hit per query."""
    from retrieval import SentenceTransformerEmbedder

    full = SentenceTransformerEmbedder(e5_model_path, precision="float32")
    half = SentenceTransformerEmbedder(e5_model_path, precision="bfloat16")
    assert (full.precision, half.precision) == ("float32", "bfloat16")
    a = full.embed_passages(corpus_chunk_texts)
    b = half.embed_passages(corpus_chunk_texts)
    assert b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() > 0.995, cosines.min()
    queries = ["五星支部创建有哪些做法", "涧西区建了多少个网格党支部", "湖北路街道如何服务群众"]
    top_full = np.argmax(full.embed_queries(queries) @ a.T, axis=1)
    top_half = np.argmax(half.embed_queries(queries) @ b.T, axis=1)
    assert top_full.tolist() == top_half.tolist()


# --- a remote endpoint: a small OpenAI-compatible server on 127.0.0.1 --------


@dataclass
class _StubState:
    requests: list[dict] = field(default_factory=list)
    auth_headers: list[str | None] = field(default_factory=list)
    fail_with: int | None = None


def _make_handler(state: _StubState, embedder: HashingEmbedder):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            state.auth_headers.append(self.headers.get("Authorization"))
            if self.path != "/v1/embeddings" or state.fail_with:
                self._reply(state.fail_with or 404, {"error": {"message": "nope"}})
                return
            texts = body["input"]
            # Unnormalised (×3) and in reverse order: the client must fix both.
            vectors = embedder.embed_passages(texts) * 3.0
            data = [
                {"object": "embedding", "index": i, "embedding": vectors[i].tolist()}
                for i in reversed(range(len(texts)))
            ]
            self._reply(
                200,
                {
                    "object": "list",
                    "model": body["model"],
                    "data": data,
                    "usage": {"prompt_tokens": 1, "total_tokens": 1},
                },
            )

        def _reply(self, status: int, payload: dict) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def stub_server() -> Iterator[tuple[str, _StubState]]:
    state = _StubState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state, HashingEmbedder(64)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()


def test_remote_embedder_normalises_and_keeps_order(stub_server) -> None:
    url, state = stub_server
    embedder = OpenAIEmbedder(base_url=url, model="stub-e5", batch_size=2)
    texts = ["社区服务", "网格化管理", "垃圾分类", "老年食堂", "党建引领"]

    vectors = embedder.embed_passages(texts)

    assert isinstance(embedder, Embedder)
    assert vectors.dtype == np.float32 and vectors.shape == (5, 64)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors, HashingEmbedder(64).embed_passages(texts), atol=1e-5)
    assert [len(r["input"]) for r in state.requests] == [2, 2, 1]
    assert all(r["model"] == "stub-e5" for r in state.requests)
    assert embedder.dimension == 64 and embedder.name == "stub-e5"


def test_remote_embedder_applies_optional_prefixes_and_key(stub_server) -> None:
    url, state = stub_server
    embedder = OpenAIEmbedder(
        base_url=url,
        model="stub-e5",
        api_key="secret-key",
        query_prefix="query: ",
        passage_prefix="passage: ",
    )
    embedder.embed_queries(["红色驿站在哪里"])
    embedder.embed_passages(["红色驿站位于社区党群服务中心。"])
    assert [r["input"] for r in state.requests] == [
        ["query: 红色驿站在哪里"],
        ["passage: 红色驿站位于社区党群服务中心。"],
    ]
    assert state.auth_headers == ["Bearer secret-key", "Bearer secret-key"]

    plain = OpenAIEmbedder(base_url=url, model="stub-e5")
    plain.embed_queries(["红色驿站在哪里"])
    assert state.requests[-1]["input"] == ["红色驿站在哪里"]


def test_remote_failure_is_reported_as_our_error(stub_server) -> None:
    url, state = stub_server
    state.fail_with = 500
    embedder = OpenAIEmbedder(base_url=url, model="stub-e5", max_retries=0)
    with pytest.raises(EmbeddingServiceError, match="stub-e5"):
        embedder.embed_passages(["任何文本"])


class TestDeferredEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, e5_model_path) -> Embedder:
        from retrieval.st_embedder import DeferredEmbedder

        return DeferredEmbedder(e5_model_path)


def test_a_deferred_model_loads_on_first_use_only(e5_model_path, real_embedder, tmp_path) -> None:
    """Its name and dimension come from the folder, as the loaded model gives them; the
    model is built by the first embedding (or ``load``), once."""
    from retrieval.st_embedder import DeferredEmbedder

    deferred = DeferredEmbedder(e5_model_path)
    assert (deferred.name, deferred.dimension) == (real_embedder.name, real_embedder.dimension)
    assert deferred._model is None  # nothing loaded to answer those
    vectors = deferred.embed_queries(["低保申请交到哪里？"])
    np.testing.assert_allclose(vectors, real_embedder.embed_queries(["低保申请交到哪里？"]))
    assert deferred.load() is deferred.load()
    # a folder whose pooling config does not say: the dimension loads the model
    assert DeferredEmbedder(tmp_path / "missing")._dimension is None
