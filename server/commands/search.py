"""``kb search`` (query the knowledge base) and ``kb eval`` (measure retrieval)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import click

from server.commands._common import get_services

_MODES = ("hybrid", "dense", "bm25")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _DATE.match(value):
        raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD (日期格式应为 YYYY-MM-DD)")
    return value


def _snippet(text: str, width: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@click.command("search")
@click.argument("query")
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--mode", type=click.Choice(_MODES), default="hybrid", show_default=True)
@click.option("--region", "regions", multiple=True, help="区/街道/社区 name; repeatable (any).")
@click.option("--doc-type", "doc_types", multiple=True, help="news, report, summary, plan, …")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id; repeatable.")
@click.option("--date-from", callback=_check_date, help="Documents dated on or after (YYYY-MM-DD).")
@click.option("--date-to", callback=_check_date, help="Documents dated on or before (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option(
    "--explain",
    is_flag=True,
    help="Show the statute words the lexicon adds to the keyword query, and each hit's references.",
)
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    k: int,
    mode: str,
    regions: tuple[str, ...],
    doc_types: tuple[str, ...],
    doc_ids: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    as_json: bool,
    explain: bool,
) -> None:
    """Search the knowledge base (检索知识库) for QUERY."""
    from retrieval import SearchFilters
    from retrieval.lexicon import default_lexicon

    if not query.strip():
        raise click.UsageError("the query is empty (查询内容不能为空)")
    filters = SearchFilters(
        doc_ids=doc_ids,
        regions=regions,
        doc_types=doc_types,
        date_from=date_from,
        date_to=date_to,
    )
    searcher = get_services(ctx).searcher
    hits = searcher.search(query, k=k, filters=filters, mode=mode)
    expansion = default_lexicon().expand(query.strip())
    if as_json:
        from server.schemas import HitOut, SearchResponse

        response = SearchResponse(
            query=query,
            mode=mode,
            hits=[HitOut.from_hit(h) for h in hits],
            lexicon=[(w, list(t)) for w, t in expansion.matches] if explain else None,
        )
        click.echo(response.model_dump_json(indent=2, exclude_none=True))
        return
    if explain and mode != "dense":
        if expansion.matches:
            pairs = "; ".join(f"{w} → {' '.join(t)}" for w, t in expansion.matches)
            click.echo(f"lexicon (词表扩展): {pairs}")
        else:
            click.echo("lexicon (词表扩展): no everyday word of the lexicon in the query")
    if not hits:
        click.echo("没有找到相关内容 (no results)")
        return
    for n, hit in enumerate(hits, start=1):
        found_by = ", ".join(f"{name}#{rank}" for name, rank in hit.ranks.items())
        article = f" {hit.article}" if hit.article else ""
        click.echo(
            f"{n:2d}. {hit.title}{article}  [{hit.source_key}]  score={hit.score:.4f} ({found_by})"
        )
        if hit.heading_path:
            click.echo(f"    {' > '.join(hit.heading_path)}")
        click.echo(f"    {_snippet(hit.text)}")
        if explain and hit.context:
            for line in hit.context.splitlines():
                click.echo(f"    ↳ {_snippet(line, 100)}")


@click.command("eval")
@click.argument(
    "qa_path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--cmrc",
    "cmrc_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CMRC 2018 (SQuAD JSON) file: index its paragraphs in a temporary knowledge base.",
)
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A QA.jsonl file: measure the chat answers (gold contained, refusals, citations).",
)
@click.option("--k", "k", default=10, show_default=True, type=click.IntRange(10, 100))
@click.option("--mode", "modes", multiple=True, type=click.Choice(_MODES), help="Default: all.")
@click.option("--limit", type=click.IntRange(1), help="CMRC: only the first N paragraphs.")
@click.option(
    "--chunk-size",
    default=1000,
    show_default=True,
    type=click.IntRange(100, 4000),
    help="CMRC: chunk size for the temporary index (large keeps paragraphs whole).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write JSON here."
)
@click.pass_context
def eval_command(
    ctx: click.Context,
    qa_path: Path | None,
    cmrc_path: Path | None,
    answers_path: Path | None,
    k: int,
    modes: tuple[str, ...],
    limit: int | None,
    chunk_size: int,
    as_json: bool,
    output: Path | None,
) -> None:
    """Measure retrieval: Recall@1/5/10 and MRR@10 per retriever (or, with
    --answers, the chat answers).

    With QA_PATH (JSONL: question, source, gold_passage, type) the configured
    knowledge base is searched, so index the matching documents first. With
    --cmrc the paragraphs of a CMRC 2018 file are indexed into a temporary
    knowledge base and each question must find its own paragraph.
    """
    from retrieval import (
        DEFAULT_EVAL_MODES,
        HybridSearcher,
        evaluate_cmrc,
        evaluate_qa,
        format_report,
        index_cmrc,
        load_cmrc,
        load_qa,
    )

    if answers_path is not None:
        if qa_path is not None or cmrc_path is not None:
            raise click.UsageError("--answers takes its own QA.jsonl; give nothing else")
        from server.commands.answer_eval import run_answer_eval

        run_answer_eval(get_services(ctx), answers_path, as_json=as_json, output=output)
        return
    if (qa_path is None) == (cmrc_path is None):
        raise click.UsageError("give either a QA.jsonl file or --cmrc PATH.json (not both)")
    services = get_services(ctx)
    chosen = modes or DEFAULT_EVAL_MODES
    if qa_path is not None:
        items = load_qa(qa_path)
        if services.chunk_count() == 0:
            raise click.ClickException(
                "the knowledge base is empty; run `kb ingest` first (知识库为空)"
            )
        report = evaluate_qa(services.searcher, items, modes=chosen, k=k)
        title = f"QA retrieval: {qa_path.name}"
    else:
        assert cmrc_path is not None
        docs, questions = load_cmrc(cmrc_path, limit=limit)
        with tempfile.TemporaryDirectory(prefix="kb-cmrc-") as tmp:
            kb = index_cmrc(
                docs, data_dir=Path(tmp), embedder=services.embedder, chunk_size=chunk_size
            )
            report = evaluate_cmrc(HybridSearcher(kb), questions, modes=chosen, k=k)
        report.info.update(paragraphs=len(docs), chunk_size=chunk_size, file=cmrc_path.name)
        title = f"CMRC 2018 paragraph retrieval: {cmrc_path.name}"
    data = report.to_dict()
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, title=title))
        skipped = report.info.get("skipped_without_gold")
        if skipped:
            click.echo(f"{skipped} questions without a gold passage (unanswerable) not scored")
        for mode in chosen:
            missed = report.misses(mode, k=10)
            if missed and qa_path is not None:
                click.echo(f"{mode}: not fully found in the top 10: {', '.join(missed)}")


def register(group: click.Group) -> None:
    """Add ``search`` and ``eval`` to the ``kb`` group."""
    group.add_command(search_command)
    group.add_command(eval_command)
