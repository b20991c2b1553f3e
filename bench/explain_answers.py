"""Why an answer holds or misses its gold: a debug view of the extractive composition.

For each asked row of a QA set: the retrieved hits (rank, article, chapter, which
gold passages each holds), the question's focus and the focus of each asking
clause, the candidate sentences in score order with their checks (focus
coverage, answer type, passes, supports, which clauses they answer), the answer,
and for each gold passage the answer misses where it was lost: not retrieved,
not among the embedded sentences, not among the checked ones, its article not
taken, or its article taken without the 款 that holds it.

    python bench/explain_answers.py --data-dir DIR --set policy_checks --ids pc20 pc24
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answers import BLIND, SETS, corpus_of, index_dir  # noqa: E402
from bench.corpus_index import bench_embedder, open_index  # noqa: E402

# A sentence holds a gold passage when it covers this much of it (a gold passage
# may run over two sentences; the answer itself is judged at GOLD_COVERAGE).
_PART = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--set", choices=sorted(set(SETS) - BLIND), required=True)
    parser.add_argument("--ids", nargs="*", default=[], help="row ids (default: the misses)")
    parser.add_argument("--model-path", type=Path, default=None)
    args = parser.parse_args(argv)

    import answer.extractive as ex
    from answer import answer_question
    from answer.answerability import parts_of, passes_clause, read_with_evidence
    from answer.evaluate import GOLD_COVERAGE, gold_coverage, load_answer_items
    from retrieval import HybridSearcher
    from retrieval.shared_embedder import SharedEmbedder

    embedder = SharedEmbedder(bench_embedder(args.model_path))
    folders, suffix = corpus_of(args.set)
    kb, _ = open_index(index_dir(args.data_dir, suffix), embedder)
    kb.ingest(list(folders))  # unchanged files are skipped: builds only what is missing
    searcher = HybridSearcher(kb)
    generator = ex.ExtractiveGenerator(embedder)

    for item in load_answer_items(SETS[args.set]):
        if args.ids and item.id not in args.ids:
            continue
        golds = item.gold_passages
        answer = answer_question(
            item.question, searcher=searcher, generator=generator,
            history=[(q, "") for q in item.history],
        )  # fmt: skip
        covered = [gold_coverage(answer.text, g) for g in golds]
        if not args.ids and (not golds or min(covered) >= GOLD_COVERAGE):
            continue
        query = answer.rewritten_query or item.question
        hits = searcher.search(query, k=8)
        print("=" * 100)
        print(f"{item.id} [{item.type}] {query}")
        for rank, hit in enumerate(hits):
            held = [j for j, g in enumerate(golds) if gold_coverage(hit.text, g) >= GOLD_COVERAGE]
            chapter = ex._chapter(hit) if hit.article else ""
            print(f"  hit {rank} {hit.title[:14]} {hit.article} {chapter} {len(hit.text)} chars"
                  f"{f'  gold {held}' if held else ''}")  # fmt: skip
        focus = read_with_evidence(query, hits)
        parts = parts_of(focus)
        print(f"  focus {focus.terms} {[t.value for t in focus.types]}")
        for clause in parts:
            print(f"  clause {clause.terms} {[t.value for t in clause.types]}")
        candidates = generator._score(query, hits)
        ranked = sorted(candidates, key=lambda c: (-c.score, c.hit_index, c.start))
        for position, cand in enumerate(ranked):
            check = generator._check(focus, cand, hits)
            answers = "".join(
                "P" if passes_clause(p, generator._check(p, cand, hits), check) else "."
                for p in parts
            )
            held = [j for j, g in enumerate(golds) if gold_coverage(cand.text, g) >= _PART]
            mark = "*" if position < ex._MAX_CHECKED else " "
            print(
                f"  {mark}{position:2d} hit {cand.hit_index} score {cand.score:.3f}"
                f" cov {check.coverage:.2f}/{check.sentence_coverage:.2f}"
                f" type {int(check.type_ok)} pass {int(check.passed)}"
                f" supports {int(ex._supports(check))} clauses {answers or '-'}"
                f"{f' gold {held}' if held else ''} | {cand.text[:50]}"
            )
        refused = " refused" if answer.refused else ""
        print(f"  answer ({len(answer.text)} chars{refused}): {answer.text[:400]}")
        for j, gold in enumerate(golds):
            if covered[j] >= GOLD_COVERAGE:
                continue
            print(
                f"  gold {j} missed ({covered[j]:.2f}): {_where_lost(gold, hits, ranked, answer.text)}"
            )
    return 0


def _where_lost(gold: str, hits, ranked, text: str) -> str:
    import answer.extractive as ex
    from answer.evaluate import GOLD_COVERAGE, gold_coverage

    found = [i for i, h in enumerate(hits) if gold_coverage(h.text, gold) >= GOLD_COVERAGE]
    if not found:
        return "not retrieved"
    index = found[0]
    hit = hits[index]
    positions = [
        p
        for p, c in enumerate(ranked)
        if c.hit_index == index and gold_coverage(c.text, gold) >= _PART
    ]
    where = f"hit {index} {hit.article}"
    if not positions:
        return f"{where}: its sentence not among the embedded ones"
    if positions[0] >= ex._MAX_CHECKED:
        return f"{where}: its sentence ranks {positions[0]}, past the checked ones"
    if hit.article and hit.article in text:
        return f"{where}: article taken without the 款 that holds it"
    return f"{where}: article not taken (sentence ranks {positions[0]})"


if __name__ == "__main__":
    raise SystemExit(main())
