"""``kb ask``: a cited answer from the knowledge base, in the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from server.commands._common import get_services


def _read_history(path: Path | None) -> list[tuple[str, str]]:
    """Earlier turns from a JSON file: ``[[question, answer], …]`` or
    ``[{"question": …, "answer": …}, …]``, oldest first."""
    if path is None:
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--history-file") from exc
    if not isinstance(data, list):
        raise click.BadParameter("expected a JSON list of turns", param_hint="--history-file")
    turns: list[tuple[str, str]] = []
    for item in data:
        if isinstance(item, dict) and "question" in item:
            turns.append((str(item["question"]), str(item.get("answer", ""))))
        elif isinstance(item, list | tuple) and len(item) == 2:
            turns.append((str(item[0]), str(item[1])))
        else:
            raise click.BadParameter(
                'expected [[question, answer], …] or [{"question": …, "answer": …}, …]',
                param_hint="--history-file",
            )
    return turns


def _excerpt(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_answer(answer: Any) -> None:
    from answer import cited_text

    if answer.rewritten_query:
        click.echo(f"（按“{answer.rewritten_query}”检索）")
    if answer.notice:
        click.echo(f"（{answer.notice}）")
    click.echo(cited_text(answer))
    for heading, citations in (
        ("来源：", answer.citations),
        ("相关内容（不是答案）：", answer.related),
    ):
        if not citations:
            continue
        click.echo("")
        click.echo(heading)
        for citation in citations:
            where = " › ".join(citation.heading_path)
            # 《条例》第X条 for an article of a statute, else the title and its section
            title = (
                (citation.label if citation.article else f"《{citation.title}》")
                if citation.title
                else citation.source_key
            )
            head = f"[{citation.number}] {title}" + (f" {where}" if where else "")
            if citation.date:
                head += f"（{citation.date}）"
            click.echo(head)
            click.echo(f"    {_excerpt(citation.excerpt)}")
    for issue in answer.issues:
        click.echo(f"待核实：“{issue.text}”在材料中找不到（{issue.sentence}）", err=True)
    for warning in answer.warnings:
        click.echo(f"注意：{warning}", err=True)


@click.command("ask")
@click.argument("question")
@click.option("-k", "k", default=8, show_default=True, type=click.IntRange(1, 50))
@click.option(
    "--history-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Earlier turns as JSON: [["问题", "回答"], …], oldest first.',
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.pass_context
def ask_command(
    ctx: click.Context, question: str, k: int, history_file: Path | None, as_json: bool
) -> None:
    """Answer QUESTION from the knowledge base (知识库问答), citing sources [1][2]."""
    from answer import answer_question

    if not question.strip():
        raise click.UsageError("the question is empty (问题不能为空)")
    history = _read_history(history_file)
    services = get_services(ctx)
    answer = answer_question(
        question, searcher=services.searcher, generator=services.generator, history=history, k=k
    )
    if as_json:
        from server.schemas import AnswerOut

        click.echo(AnswerOut.from_answer(answer).model_dump_json(indent=2))
        return
    _print_answer(answer)


def register(group: click.Group) -> None:
    group.add_command(ask_command)
