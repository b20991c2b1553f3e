"""Calibrate the extractive generator's refusal threshold.

Indexes the sample corpus (real model, real Chroma in a temporary folder, or an
existing data folder with --data-dir), then scores the evidence for

- the dev QA questions (tests/data/qa_seeds_dev.jsonl): these must be answered;
- off-topic questions (below): these must get the refusal,

and prints each score, the threshold that separates the two groups best (the
midpoint of the widest gap) and the margin on either side. The constant
``answer.extractive.REFUSAL_THRESHOLD`` is set from this output.

    python bench/calibrate_refusal.py [--data-dir DIR] [--k 8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Questions the sample corpus cannot answer: daily life, other services, and
# places it never mentions (with and without a grassroots-work flavour).
OFF_TOPIC = (
    "今天天气怎么样",
    "如何办理护照",
    "上海市浦东新区陆家嘴街道有多少人口",
    "推荐一部好看的电影",
    "北京朝阳区望京街道有多少个社区？",
    "怎么做红烧肉？",
    "股票明天会涨吗",
    "深圳南山区粤海街道的党建做法有哪些？",
    "个人所得税怎么申报？",
    "新冠疫苗第三针什么时候打？",
    "西安市雁塔区有哪些社区？",
    "怎样学好英语",
    "电动车上牌需要什么材料",
    "成都武侯区玉林街道的网格员有多少人？",
    "杭州西湖区的垃圾分类怎么做的？",
    "世界杯冠军是哪个国家",
    "失业保险金怎么领取？",
    "如何给孩子报名上小学",
    "手机没信号怎么办",
    "广州天河区石牌街道的志愿服务有哪些？",
    "苹果公司今年发布了什么新产品？",
    "公积金贷款利率是多少",
    "感冒了吃什么药",
    "南京鼓楼区湖南路街道获得过哪些荣誉？",
    "驾照年审需要带什么",
    "怎么养多肉植物",
    "高铁票怎么改签",
    "长沙岳麓区的党群服务中心在哪里",
    "宠物狗需要办证吗",
    "明年春节是几月几号",
)


def _load_dev(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["question"] for line in fh if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing index of corpus/")
    parser.add_argument("--k", type=int, default=8)
    args = parser.parse_args()

    from answer.extractive import REFUSAL_THRESHOLD, ExtractiveGenerator
    from retrieval import (
        HybridSearcher,
        KnowledgeBase,
        SentenceTransformerEmbedder,
        prepare_e5_model,
    )

    data_root = Path(os.environ.get("KB_DATA_DIR", ROOT / "data"))
    embedder = SentenceTransformerEmbedder(prepare_e5_model(data_root / "models"))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        kb = KnowledgeBase.open(data_dir=data_dir, embedder=embedder)
        if args.data_dir is None:
            kb.ingest([ROOT / "corpus" / "news"])
        searcher = HybridSearcher(kb)
        generator = ExtractiveGenerator(embedder)

        def assess(question: str):
            return generator.assess(question, searcher.search(question, k=args.k))

        started = time.perf_counter()
        dev = [(q, assess(q)) for q in _load_dev(ROOT / "tests" / "data" / "qa_seeds_dev.jsonl")]
        off = [(q, assess(q)) for q in OFF_TOPIC]
        elapsed = time.perf_counter() - started

    print(f"{'group':8} {'score':>6} {'dense':>6} {'lexical':>7}  places missing / question")
    for group, rows in (("dev", dev), ("offtopic", off)):
        for question, a in sorted(rows, key=lambda r: r[1].best_score):
            missing = ",".join(a.missing_places) or "-"
            print(
                f"{group:8} {a.best_score:6.3f} {a.best_dense:6.3f} {a.best_lexical:7.2f}"
                f"  {missing} / {question}"
            )

    dev_scores = sorted(a.best_score for _, a in dev)
    # off-topic questions already refused for naming an unknown place need no threshold
    off_scores = sorted(a.best_score for _, a in off if not a.missing_places)
    place_refused = sum(1 for _, a in off if a.missing_places)
    dev_place_refused = sum(1 for _, a in dev if a.missing_places)
    lowest_dev, highest_off = dev_scores[0], off_scores[-1]
    print()
    print(f"dev questions: {len(dev)}, scored in {elapsed:.1f}s with k={args.k}")
    print(f"  lowest score {lowest_dev:.3f}; refused for a missing place: {dev_place_refused}")
    print(f"off-topic questions: {len(off)}; refused for a missing place: {place_refused}")
    print(f"  highest score of the rest {highest_off:.3f}")
    if lowest_dev > highest_off:
        threshold = (lowest_dev + highest_off) / 2
        print(
            f"separable: chosen threshold {threshold:.3f} "
            f"(margin {lowest_dev - threshold:.3f} either side)"
        )
    else:
        # not separable: the threshold that makes the fewest mistakes, dev errors first
        candidates = sorted(set(dev_scores + off_scores))
        threshold = min(
            candidates,
            key=lambda t: (
                sum(s < t for s in dev_scores) + sum(s >= t for s in off_scores),
                -t,
            ),
        )
        wrong_dev = sum(s < threshold for s in dev_scores)
        wrong_off = sum(s >= threshold for s in off_scores)
        print(
            f"NOT separable: threshold {threshold:.3f} refuses {wrong_dev} dev question(s) "
            f"and answers {wrong_off} off-topic question(s)"
        )
    accepted = sum(s >= REFUSAL_THRESHOLD for s in dev_scores) - dev_place_refused
    refused = sum(s < REFUSAL_THRESHOLD for s in off_scores) + place_refused
    print(
        f"current REFUSAL_THRESHOLD {REFUSAL_THRESHOLD:.3f}: answers {accepted}/{len(dev)} dev, "
        f"refuses {refused}/{len(off)} off-topic"
    )


if __name__ == "__main__":
    main()
