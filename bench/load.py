"""Load test: N concurrent clients for D seconds against a running server on loopback.

Each client loops over a mix of requests (by default 60 % ``POST /search``,
30 % ``POST /chat`` (JSON, not streamed), 10 % ``GET /health``), one at a time,
until the duration is up; requests still in flight then get at most
``--timeout`` seconds. Any non-2xx answer or transport error counts as an error.
Only loopback hosts are accepted: this is a tool for measuring your own server,
not for loading anyone else's.

    kb serve --port 8000 &
    python bench/load.py --base-url http://127.0.0.1:8000 --clients 50 --duration 60

Prints a Markdown table and, with ``--json PATH``, writes the figures as JSON.
Exits 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

QUESTIONS = (
    "五星支部创建有哪些做法",
    "涧西区建了多少个网格党支部",
    "社区党组织如何开展志愿服务",
    "基层治理中网格员的职责是什么",
    "街道如何推进老旧小区改造",
    "党员积分管理怎么做",
    "违建拆除工作怎样开展",
    "如何发挥党员先锋模范作用",
)
MAX_CLIENTS = 500
MAX_DURATION_S = 3600.0


@dataclass
class LoadResult:
    """The figures of one run; latencies in milliseconds."""

    base_url: str
    clients: int
    duration_s: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    by_endpoint: dict[str, dict[str, float]] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)


def check_loopback(base_url: str) -> str:
    """Return ``base_url`` without a trailing slash; refuse hosts that are not loopback."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    host = parts.hostname
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    if not loopback:
        raise ValueError(f"refusing to load a non-loopback host: {host!r} (use 127.0.0.1)")
    return base_url.rstrip("/")


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100), nearest-rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def _pick(rng: random.Random, mix: dict[str, float]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


async def _client(
    http: httpx.AsyncClient,
    *,
    seed: int,
    deadline: float,
    mix: dict[str, float],
    samples: dict[str, list[float]],
    errors: list[str],
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        endpoint = _pick(rng, mix)
        question = rng.choice(QUESTIONS)
        started = time.perf_counter()
        try:
            if endpoint == "search":
                response = await http.post("/search", json={"query": question, "k": 8})
            elif endpoint == "chat":
                response = await http.post("/chat", json={"message": question + "？"})
            else:
                response = await http.get("/health")
            ok = 200 <= response.status_code < 300
            detail = f"{endpoint}: HTTP {response.status_code} {response.text[:200]}"
        except httpx.HTTPError as exc:
            ok, detail = False, f"{endpoint}: {type(exc).__name__}: {exc}"
        elapsed_ms = (time.perf_counter() - started) * 1000
        if ok:
            samples[endpoint].append(elapsed_ms)
        else:
            errors.append(detail)


async def run_load(
    base_url: str,
    *,
    clients: int,
    duration_s: float,
    timeout_s: float = 60.0,
    token: str | None = None,
    mix: dict[str, float] | None = None,
) -> LoadResult:
    """Run ``clients`` concurrent loops against ``base_url`` for ``duration_s`` seconds."""
    base_url = check_loopback(base_url)
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must be between 1 and {MAX_CLIENTS}")
    if not 0 < duration_s <= MAX_DURATION_S:
        raise ValueError(f"duration must be between 0 and {MAX_DURATION_S:.0f} seconds")
    mix = mix or {"search": 0.6, "chat": 0.3, "health": 0.1}
    samples: dict[str, list[float]] = {name: [] for name in mix}
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        timeout=timeout_s,
        limits=limits,
        trust_env=False,  # never through a proxy: the target is this machine
    ) as http:
        started = time.monotonic()
        deadline = started + duration_s
        tasks = [
            _client(http, seed=i, deadline=deadline, mix=mix, samples=samples, errors=errors)
            for i in range(clients)
        ]
        # Bounded in time: the loops stop at the deadline, a stuck request at its timeout.
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=duration_s + timeout_s + 5)
        elapsed = time.monotonic() - started
    latencies = [ms for values in samples.values() for ms in values]
    total = len(latencies) + len(errors)
    return LoadResult(
        base_url=base_url,
        clients=clients,
        duration_s=round(elapsed, 2),
        requests=total,
        errors=len(errors),
        rps=round(total / elapsed, 2) if elapsed > 0 else 0.0,
        p50_ms=round(percentile(latencies, 50), 1),
        p95_ms=round(percentile(latencies, 95), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        max_ms=round(max(latencies, default=0.0), 1),
        by_endpoint={
            name: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "mean_ms": round(statistics.fmean(values), 1) if values else 0.0,
            }
            for name, values in samples.items()
        },
        error_samples=errors[:10],
    )


def markdown(result: LoadResult) -> str:
    """The figures as a Markdown table."""
    lines = [
        f"Load: {result.clients} clients × {result.duration_s:.0f} s against {result.base_url}",
        "",
        "| requests | errors | rps | p50 ms | p95 ms | p99 ms | max ms |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result.requests} | {result.errors} | {result.rps:.1f} | {result.p50_ms:.0f} "
        f"| {result.p95_ms:.0f} | {result.p99_ms:.0f} | {result.max_ms:.0f} |",
        "",
        "| endpoint | requests | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, fig in result.by_endpoint.items():
        lines.append(
            f"| {name} | {fig['requests']:.0f} | {fig['p50_ms']:.0f} | {fig['p95_ms']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    parser.add_argument("--token", default=os.environ.get("KB_API_TOKEN"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        result = asyncio.run(
            run_load(
                args.base_url,
                clients=args.clients,
                duration_s=args.duration,
                timeout_s=args.timeout,
                token=args.token,
            )
        )
    except ValueError as exc:
        parser.error(str(exc))
    print(markdown(result))
    for sample in result.error_samples:
        print(f"error: {sample}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
