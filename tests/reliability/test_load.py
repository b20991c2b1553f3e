"""``bench/load.py`` against a live uvicorn on loopback: a short run, no errors."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

import pytest

from tests.conftest import ROOT


def _load_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


load = _load_module()


def test_short_load_run_has_no_errors(live_server) -> None:
    result = asyncio.run(load.run_load(live_server.base_url, clients=10, duration_s=5.0))
    assert result.errors == 0, result.error_samples
    assert result.requests >= 10
    assert all(fig["requests"] > 0 for fig in result.by_endpoint.values()), result.by_endpoint
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms <= result.max_ms
    table = load.markdown(result)
    assert f"| {result.requests} | 0 |" in table


@pytest.mark.parametrize(
    "url", ["http://192.0.2.10:8000", "http://example.com", "ftp://127.0.0.1", "http://10.0.0.1"]
)
def test_non_loopback_targets_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        load.check_loopback(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://localhost:1", "http://[::1]:80"])
def test_loopback_targets_are_accepted(url: str) -> None:
    assert load.check_loopback(url) == url.rstrip("/")


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert load.percentile(values, 50) == 50.0
    assert load.percentile(values, 95) == 95.0
    assert load.percentile(values, 99) == 99.0
    assert load.percentile([], 50) == 0.0
