"""Answer quality and latency on the dev sets: gold contained, refusals, citations.

Builds a knowledge base over ``corpus/news`` and ``corpus/policy`` with the real
embedding model in a temporary folder (or uses ``--data-dir``); the sets asked over
the second policy corpus (``tests/data/corpus-policy-b``: six other statutes that
neither the lexicon's statute sections nor any tuning has seen) get a knowledge base
of the news and those statutes (in ``DIR-policy-b`` beside ``--data-dir``). Then answers
every row of each QA set end to end with the extractive generator (follow-ups
rewritten from the row's ``history``) and measures, per question type, what
``answer.evaluate`` defines. Each set is answered twice: the first pass meets
every sentence for the first time (cold sentence-vector cache), the second is
what a running server sees. Writes ``bench/results/answers.json``.

    python bench/answers.py [--data-dir DIR] [--sets seeds unanswerable policy ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_index import (  # noqa: E402
    add_index_options,
    bench_embedder,
    open_index,
    parse_bench_args,
)

SETS = {
    "seeds": ROOT / "tests" / "data" / "qa_seeds_dev.jsonl",
    "unanswerable": ROOT / "tests" / "data" / "qa_seeds_unanswerable.jsonl",
    "policy": ROOT / "tests" / "data" / "qa_policy_dev.jsonl",
    # rows written for the answer checks (not copies of the dev rows): statute facts,
    # procedures and local questions statutes cannot answer; counts of another kind,
    # other units and questions of two parts on the news
    "policy_extra": ROOT / "tests" / "data" / "qa_policy_answers_extra.jsonl",
    "seeds_extra": ROOT / "tests" / "data" / "qa_seeds_answers_extra.jsonl",
    # the policy retrieval set of our own (54 colloquial questions, 12 procedures),
    # answered end to end: what retrieval finds, does the answer keep?
    "policy_retrieval_extra": ROOT / "tests" / "data" / "qa_policy_extra.jsonl",
    # news questions written from the documents (not from refused questions): whether
    # a question that has an answer gets one (one row asks about a trailing report
    # that ingest cuts: unanswerable)
    "seeds_refusal": ROOT / "tests" / "data" / "qa_seeds_refusal_extra.jsonl",
    # news check rows of our own, a held-out-like mix: questions about one unit for a
    # figure the corpus gives for another (other unit, other year, follow-ups), questions
    # on the corpus's topics it does not answer, and answerable ones (not to be refused)
    "seeds_checks": ROOT / "tests" / "data" / "qa_seeds_checks_extra.jsonl",
    # policy check rows of our own, a held-out-like mix in the dev set's proportions:
    # colloquial fact and procedure questions over all six statutes (not the dev rows'
    # articles) and local questions a national statute cannot answer
    "policy_checks": ROOT / "tests" / "data" / "qa_policy_checks_extra.jsonl",
    # blind rows written from the statutes in the dev set's proportions; not used for tuning
    "policy_holdout": ROOT / "tests" / "data" / "qa_policy_holdout.jsonl",
    # the second policy corpus, in the dev set's proportions: rows to look into, and
    # blind rows (never opened) that say how the answers carry to statutes not tuned on
    "policy_b_dev": ROOT / "tests" / "data" / "qa_policy_b_dev.jsonl",
    "policy_b_holdout": ROOT / "tests" / "data" / "qa_policy_b_holdout.jsonl",
    # more dev rows there, on articles neither set above asks about
    "policy_b_extra": ROOT / "tests" / "data" / "qa_policy_b_extra.jsonl",
    # a dev set over the sample statutes written the same way, to study what fails on
    # questions the code was not written for
    "policy_fresh": ROOT / "tests" / "data" / "qa_policy_fresh.jsonl",
    # a second set over the sample statutes, written from their text alone after the
    # first (policy_holdout) was opened; blind for two rounds, opened since
    "policy_holdout2": ROOT / "tests" / "data" / "qa_policy_holdout2.jsonl",
    # out-of-scope questions over the sample statutes, written to study refusals: local
    # figures, offices and schedules, neighbouring topics the statutes do not govern, and
    # details a statute leaves unsaid
    "policy_unanswerable": ROOT / "tests" / "data" / "qa_policy_unanswerable_extra.jsonl",
    # a third set over the sample statutes, written from their text alone when the
    # second was opened; blind for one round, opened since
    "policy_holdout3": ROOT / "tests" / "data" / "qa_policy_holdout3.jsonl",
    # questions over the sample statutes written to study what the answer checks misread:
    # every question form (多少/几 with measure words, X是多少, 多久, 谁, 哪里, A不A,
    # 能不能, 还是), local and out-of-scope questions; a dev set
    "policy_probe": ROOT / "tests" / "data" / "qa_policy_probe.jsonl",
    # a fourth set over the sample statutes, written from their text alone when the
    # third was opened, on articles the other sets rarely ask about; blind for one
    # round, then opened
    "policy_holdout4": ROOT / "tests" / "data" / "qa_policy_holdout4.jsonl",
    # a fifth blind set over the sample statutes, written from their text alone when
    # the fourth was opened: counts only, never its failure lines
    "policy_holdout5": ROOT / "tests" / "data" / "qa_policy_holdout5.jsonl",
    # a sixth blind set over the sample statutes, written from their text alone (and the
    # dev set's style) while the fifth stayed blind: counts only, never its failure lines
    "policy_holdout6": ROOT / "tests" / "data" / "qa_policy_holdout6.jsonl",
    # a seventh, written the same way when the sixth was first measured, asked to reach
    # the statutes' later chapters too (penalties, supervision); blind for three rounds,
    # now opened
    "policy_holdout7": ROOT / "tests" / "data" / "qa_policy_holdout7.jsonl",
    # an eighth, written from the statutes and the dev set alone in the dev set's own
    # short style (one or two clauses a row); blind for one round, now opened
    "policy_holdout8": ROOT / "tests" / "data" / "qa_policy_holdout8.jsonl",
    # a ninth, written by the same brief as the eighth: counts only
    "policy_holdout9": ROOT / "tests" / "data" / "qa_policy_holdout9.jsonl",
    # a tenth, by the same brief, written when the seventh was opened: counts only
    "policy_holdout10": ROOT / "tests" / "data" / "qa_policy_holdout10.jsonl",
    # procedures alone, asked in the dev set's short style (the blind sets' weakest
    # kind), over each corpus: dev rows to look into
    "policy_steps": ROOT / "tests" / "data" / "qa_policy_steps.jsonl",
    "policy_b_steps": ROOT / "tests" / "data" / "qa_policy_b_steps.jsonl",
}
# sets whose rows stay unread: their failure lines are never printed
BLIND = frozenset(
    (
        "policy_b_holdout",
        "policy_holdout5",
        "policy_holdout6",
        "policy_holdout9",
        "policy_holdout10",
    )
)
NEWS = ROOT / "corpus" / "news"
POLICY_B = ROOT / "tests" / "data" / "corpus-policy-b"


def corpus_of(name: str) -> tuple[tuple[Path, ...], str]:
    """The folders a set is asked over, and the suffix of its index folder."""
    if name.startswith("policy_b"):
        return (NEWS, POLICY_B), "-policy-b"
    return (NEWS, ROOT / "corpus" / "policy"), ""


def index_dir(data_dir: Path | None, suffix: str) -> Path | None:
    """Where a corpus's index lives beside ``--data-dir`` (``None``: a temporary one)."""
    return None if data_dir is None else data_dir.with_name(data_dir.name + suffix)


DEFAULT_OUT = ROOT / "bench" / "results" / "answers.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_options(parser, default_out=DEFAULT_OUT)
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(SETS))
    parser.add_argument("--show-failures", action="store_true")
    args = parse_bench_args(parser, argv)

    from answer import ExtractiveGenerator, answer_question
    from answer.evaluate import evaluate_answers, format_answer_report, load_answer_items
    from retrieval import HybridSearcher
    from retrieval.shared_embedder import SharedEmbedder

    embedder = SharedEmbedder(bench_embedder(args.model_path))
    generator = ExtractiveGenerator(embedder)
    searchers: dict[str, HybridSearcher] = {}
    handles = []
    results: dict[str, object] = {"chunks": {}, "sets": {}}

    def searcher_for(name: str) -> HybridSearcher:
        folders, suffix = corpus_of(name)
        if suffix not in searchers:
            kb, tmp = open_index(index_dir(args.data_dir, suffix), embedder, prefix="kb-answers-")
            kb.ingest(list(folders))
            handles.append(tmp)
            searchers[suffix] = HybridSearcher(kb)
            results["chunks"][suffix.strip("-") or "main"] = kb.chunk_count()  # type: ignore[index]
            # lazy loading (jieba dictionaries, the BM25 file) is not an answer's cost
            answer_question("热身", searcher=searchers[suffix], generator=generator)
        return searchers[suffix]

    for name in args.sets:
        searcher = searcher_for(name)

        def ask(question: str, history, searcher: HybridSearcher = searcher) -> object:
            return answer_question(
                question,
                searcher=searcher,
                generator=generator,
                history=[(q, "") for q in history],
            )

        items = load_answer_items(SETS[name])
        cold = evaluate_answers(items, ask)
        warm = evaluate_answers(items, ask)
        cold.info.update(set=name, file=SETS[name].name, pass_="cold")
        print(format_answer_report(cold, title=f"{name} (cold sentence cache)"))
        print(format_answer_report(warm, title=f"{name} (warm)"))
        if args.show_failures and name not in BLIND:
            for row in cold.failures():
                print(f"  ✗ {row.id} [{row.type}] {row.question} → {row.text[:160]}")
        data = cold.to_dict()
        data["warm"] = {"overall": warm.overall(), "by_type": warm.by_type()}
        results["sets"][name] = data  # type: ignore[index]
    results["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    for tmp in handles:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
