"""``kb eval --answers QA.jsonl``: measure the chat answers, not only the retrieval."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from server.services import Services


def run_answer_eval(
    services: Services, qa_path: Path, *, as_json: bool, output: Path | None
) -> None:
    """Answer every row of ``qa_path`` with the configured searcher and generator and
    print gold-contained, refusal and citation figures per question type."""
    from answer import Answer, answer_question
    from answer.evaluate import evaluate_answers, format_answer_report, load_answer_items

    try:
        items = load_answer_items(qa_path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if services.chunk_count() == 0:
        raise click.ClickException(
            "the knowledge base is empty; run `kb ingest` first (知识库为空)"
        )

    def ask(question: str, history: Sequence[str]) -> Answer:
        return answer_question(
            question,
            searcher=services.searcher,
            generator=services.generator,
            history=[(q, "") for q in history],
        )

    report = evaluate_answers(items, ask)
    report.info.update(file=qa_path.name, generator=services.generator.name)
    data = report.to_dict()
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(format_answer_report(report, title=f"Answers: {qa_path.name}"))
    for row in report.failures():
        click.echo(f"✗ {row.id} [{row.type}] {row.question} → {row.text[:80]}")
