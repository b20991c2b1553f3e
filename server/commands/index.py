"""``kb ingest``, ``kb remove``, ``kb documents`` and ``kb check``: build and inspect the index."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from server.commands._common import get_services

if TYPE_CHECKING:
    from retrieval import FileOutcome, IngestProgress, IngestReport

_STATUS_LABELS = {
    "added": "added 新增",
    "updated": "updated 更新",
    "unchanged": "unchanged 未变",
    "duplicate": "duplicate 重复",
    "removed": "removed 移除",
    "failed": "failed 失败",
}


@contextmanager
def _progress_reporter(err: Console) -> Iterator[Callable[[IngestProgress], None]]:
    """A rich progress bar on a terminal; one plain line per file otherwise (logs, CI)."""
    if not err.is_terminal:

        def plain(p: IngestProgress) -> None:
            if p.pages_total:
                click.echo(f"  {p.current}: OCR {p.pages_done}/{p.pages_total} pages", err=True)
                return
            rate = p.chunks_done / p.elapsed_s if p.elapsed_s > 0 else 0.0
            click.echo(
                f"[{p.files_done}/{p.files_total}] {p.current} "
                f"({p.chunks_done} chunks, {rate:.1f} chunks/s, {p.failed} failed)",
                err=True,
            )

        yield plain
        return

    columns = (
        TextColumn("[bold]indexing 索引中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[chunks]} chunks · {task.fields[rate]:.1f} chunks/s"),
        TextColumn("· {task.fields[failed]} failed"),
        TextColumn("{task.fields[pages]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None, chunks=0, rate=0.0, failed=0, pages="")

        def rich_update(p: IngestProgress) -> None:
            rate = p.chunks_done / p.elapsed_s if p.elapsed_s > 0 else 0.0
            bar.update(
                task,
                total=p.files_total,
                completed=p.files_done,
                chunks=p.chunks_done,
                rate=rate,
                failed=p.failed,
                # A long scan: its OCR pages, so the bar moves within one file.
                pages=f"· OCR {p.pages_done}/{p.pages_total} pages" if p.pages_total else "",
            )

        yield rich_update


def _print_report(out: Console, report: IngestReport) -> None:
    counts: dict[str, int] = {}
    for outcome in report.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = Table(title=f"Ingest summary 入库结果 ({report.elapsed_s:.1f} s)")
    summary.add_column("status 状态")
    summary.add_column("files 文件", justify="right")
    for status, label in _STATUS_LABELS.items():
        if status in counts or status in ("added", "updated", "unchanged", "failed"):
            summary.add_row(label, str(counts.get(status, 0)))
    summary.add_row("chunks written 写入片段", str(report.chunks))
    out.print(summary)
    partial = [o for o in report.outcomes if o.status in ("added", "updated") and o.reason]
    _print_files(out, "Indexed with parts left out 部分内容未入库:", "bold yellow", partial)
    duplicates = [o for o in report.outcomes if o.status == "duplicate"]
    _print_files(
        out, "Not indexed again, same content 内容重复未再入库:", "bold yellow", duplicates
    )
    failed = [o for o in report.outcomes if o.status == "failed"]
    _print_files(out, "Failed files 失败文件:", "bold red", failed)


def _print_files(out: Console, title: str, style: str, outcomes: list[FileOutcome]) -> None:
    """One plain line per file with its reason, not a table: long paths stay whole and
    can be copied."""
    if not outcomes:
        return
    out.print(title, style=style)
    for outcome in outcomes:
        out.print(
            f"  {outcome.source_key}: {outcome.reason}",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--prune",
    is_flag=True,
    help="Also remove indexed documents whose file under these folders is gone.",
)
@click.pass_context
def ingest_command(ctx: click.Context, paths: tuple[Path, ...], prune: bool) -> None:
    """Index the files and folders PATHS (导入文件/文件夹到知识库).

    Unchanged files are skipped, changed ones replaced; a copy of an indexed file
    (same bytes, other path) is reported and skipped; a broken file is reported and
    the rest go in. Exits non-zero only if every file failed.
    """
    kb = get_services(ctx).knowledge_base
    err = Console(stderr=True)
    with _progress_reporter(err) as report_progress:
        report = kb.ingest(list(paths), progress=report_progress, prune=prune)
    _print_report(Console(), report)
    files = [o for o in report.outcomes if o.status != "removed"]
    if files and all(o.status == "failed" for o in files):
        raise click.ClickException("no file could be indexed (所有文件均导入失败)")


@click.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@click.pass_context
def remove_command(ctx: click.Context, doc_ids: tuple[str, ...]) -> None:
    """Remove documents DOC_IDS from the knowledge base (删除文档)."""
    kb = get_services(ctx).knowledge_base
    unknown = []
    for doc_id in doc_ids:
        if kb.remove(doc_id):
            click.echo(f"removed {doc_id}")
        else:
            unknown.append(doc_id)
    if unknown:
        raise click.ClickException(f"not in the knowledge base (未找到): {', '.join(unknown)}")


@click.command("documents")
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
@click.pass_context
def documents_command(ctx: click.Context, as_json: bool) -> None:
    """List the indexed documents (列出知识库文档)."""
    services = get_services(ctx)
    scope = services.scope
    rows = [(name, r) for name in scope for r in services.registry.get(name).documents()]
    if as_json:
        from server.schemas import DocumentOut

        payload = [
            DocumentOut.from_record(r, knowledge_base=name).model_dump(mode="json")
            for name, r in rows
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} documents 文档")
    table.add_column("kb 知识库", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title 标题", overflow="fold")
    table.add_column("date 日期", no_wrap=True)
    table.add_column("chunks 片段", justify="right", no_wrap=True)
    table.add_column("regions 地区", overflow="fold")
    for name, r in rows:
        table.add_row(
            name,
            r.doc_id,
            escape(r.title),
            r.date or "",
            str(r.chunk_count),
            escape("、".join(r.regions[:4])),
        )
    Console().print(table)


@click.command("check")
@click.option(
    "--repair", is_flag=True, help="Rebuild BM25 from Chroma and drop incomplete documents."
)
@click.pass_context
def check_command(ctx: click.Context, repair: bool) -> None:
    """Check that the BM25 index agrees with Chroma (检查索引一致性)."""
    report = get_services(ctx).knowledge_base.check(repair=repair)
    click.echo(f"chunks in Chroma:         {report.chroma_chunks}")
    click.echo(f"chunks in BM25:           {report.bm25_chunks}")
    click.echo(f"missing in BM25:          {len(report.missing_in_bm25)}")
    click.echo(f"extra in BM25:            {len(report.extra_in_bm25)}")
    click.echo(f"incomplete documents:     {len(report.incomplete_documents)}")
    for doc_id in report.incomplete_documents[:20]:
        click.echo(f"  {doc_id}")
    if report.ok:
        click.echo("ok 索引一致")
    elif report.repaired:
        click.echo("repaired 已修复 (re-run `kb ingest` to add incomplete documents again)")
    else:
        click.echo("problems found; run `kb check --repair` (发现不一致)", err=True)
        ctx.exit(1)


def register(group: click.Group) -> None:
    for command in (ingest_command, remove_command, documents_command, check_command):
        group.add_command(command)
