"""One test against a real uvicorn on a loopback port: real sockets, real streaming."""

from __future__ import annotations

import json

import httpx
import pytest

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import TOKEN, serve_live


def test_live_server_answers_over_real_http(real_services) -> None:
    settings = Settings(data_dir=real_services.settings.data_dir, api_token=TOKEN)
    app = create_app(settings=settings, services=real_services)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with serve_live(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        health = client.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert client.post("/search", json={"query": "五星支部"}).status_code == 401

        hits = client.post("/search", json={"query": "五星支部创建", "k": 3}, headers=auth)
        assert hits.status_code == 200
        assert any("五星" in h["text"] for h in hits.json()["hits"])

        # Server-sent events arrive over the socket as they are produced.
        events = []
        with client.stream(
            "POST",
            "/chat",
            json={"message": "湖北路街道如何开展“五星”支部创建？", "stream": True},
            headers=auth,
        ) as resp:
            assert resp.status_code == 200
            assert resp.headers["content-type"].startswith("text/event-stream")
            for line in resp.iter_lines():
                if line.startswith("event:"):
                    events.append(line[6:].strip())
                elif line.startswith("data:"):
                    json.loads(line[5:])  # every event's data is JSON
        assert events[0] == "delta" and events[-1] == "done" and "citations" in events

        page = client.get("/")
        assert page.status_code == 200 and "智能问答" in page.text


@pytest.mark.slow
def test_kb_serve_starts_the_app(tmp_path, e5_model_path) -> None:
    """``kb serve`` itself: settings from KB_* variables, warm-up, then requests."""
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "KB_DATA_DIR": str(tmp_path / "data"),
        "KB_MODEL_PATH": str(e5_model_path),
        "KB_API_TOKEN": TOKEN,
        "HF_HUB_OFFLINE": "1",
    }
    cmd = [
        sys.executable,
        "-c",
        "from server.cli import main; main()",
        "serve",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert health is not None, proc.stdout.read().decode() if proc.stdout else ""
        assert health.json()["status"] == "ok" and health.json()["documents"] == 0
        assert health.json()["auth_required"] is True
        assert httpx.get(f"{base}/documents").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=60)
