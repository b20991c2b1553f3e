"""Queries keep working while a bulk ingest job runs in the live server.

Latency is measured and printed, not asserted beyond a generous sanity bound:
tests check behaviour, and "no search waits for the whole ingest" is behaviour."""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from tests.reliability.test_crash_safety import write_synthetic_corpus

QUERIES = ("五星支部创建有哪些做法", "网格党支部", "社区志愿服务", "违建拆除")
SANITY_BOUND_S = 30.0


def test_searches_and_chat_answer_while_a_bulk_ingest_runs(live_server) -> None:
    write_synthetic_corpus(live_server.roots / "bulk", files=150)
    kb = live_server.services.knowledge_base
    before = kb.chunk_count()
    client = httpx.Client(base_url=live_server.base_url, timeout=60, trust_env=False)
    accepted = client.post("/ingest", json={"paths": ["bulk"]})
    assert accepted.status_code == 202, accepted.text
    job_url = accepted.json()["url"]

    latencies: list[float] = []
    errors: list[str] = []
    during_job = 0
    stop = threading.Event()

    def worker(seed: int) -> None:
        nonlocal during_job
        n = seed
        with httpx.Client(base_url=live_server.base_url, timeout=60, trust_env=False) as http:
            while not stop.is_set():
                query = QUERIES[n % len(QUERIES)]
                n += 1
                started = time.perf_counter()
                if n % 3 == 0:
                    response = http.post("/chat", json={"message": query + "？"})
                else:
                    response = http.post("/search", json={"query": query, "k": 5})
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                elif "hits" in response.json() and not response.json()["hits"]:
                    errors.append(f"no hits for {query}")
                if client.get(job_url).json()["status"] in ("queued", "running"):
                    during_job += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 240
    try:
        while client.get(job_url).json()["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, "the ingest job did not finish"
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    job = client.get(job_url).json()
    assert job["status"] == "done" and not job["failures"], job
    assert job["added"] == 150
    assert kb.chunk_count() > before
    assert not errors, errors[:5]
    assert during_job > 0, "no query ran while the job was running"
    p50 = statistics.median(latencies)
    p95 = sorted(latencies)[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"\n{len(latencies)} queries during ingest: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    assert max(latencies) < SANITY_BOUND_S
    # The new material is searchable once the job is done.
    hits = client.post("/search", json={"query": "第42号工作材料", "k": 5, "mode": "bm25"}).json()
    assert hits["hits"]
    assert kb.check().ok
