"""A live server on loopback (real uvicorn, real HTTP) over a real knowledge base.

The hashing embedder stands in for the model: these tests are about the server
under concurrent load, not about answer quality, and must stay fast in CI."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import CORPUS_DIR
from tests.fakes import HashingEmbedder


@dataclass
class LiveServer:
    base_url: str
    services: object
    roots: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    import uvicorn

    from server.app import create_app
    from server.services import Services
    from server.settings import Settings

    roots = tmp_path / "roots"
    roots.mkdir()
    settings = Settings(data_dir=tmp_path / "data", ingest_roots=[roots])
    services = Services(settings, embedder=HashingEmbedder())
    services.warm_up()
    services.knowledge_base.ingest([CORPUS_DIR])
    app = create_app(settings=settings, services=services)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base_url}/health", timeout=2, trust_env=False).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.1)
    try:
        yield LiveServer(base_url=base_url, services=services, roots=roots)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
