"""``kb proofread``: check a 公文 (.docx, or text) and list the findings; optionally
write a copy of the .docx with the findings as Word comments."""

from __future__ import annotations

import json
from pathlib import Path

import click

from server.commands._common import get_services

_TEXT_SUFFIXES = (".txt", ".md")


@click.command("proofread")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（与 POST /proofread 相同）。")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把审校意见作为批注写入 .docx 副本，保存到此路径。",
)
@click.option("--no-figures", is_flag=True, help="不与知识库核对数字（不加载模型，更快）。")
@click.pass_context
def proofread_command(
    ctx: click.Context, file: Path, as_json: bool, output: Path | None, no_figures: bool
) -> None:
    """Proofread FILE (文稿审校): a .docx, or .txt/.md text.

    Checks layout (GB/T 9704), structure (一、（一）1.（1）), punctuation, wording and
    each figure against the knowledge base; prints the findings with paragraph
    numbers. With -o, the .docx copy carries them as Word comments.
    """
    from drafting.proofread import ProofreadInputError, annotate_docx, document_from_text, read_docx
    from server.schemas import ProofreadOut

    suffix = file.suffix.lower()
    data = file.read_bytes()
    if suffix in _TEXT_SUFFIXES:
        if output is not None:
            raise click.BadParameter("只有 .docx 可以写入批注", param_hint="-o")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise click.ClickException("文本文件须为 UTF-8 编码") from exc
        document = document_from_text(text)
    else:
        try:
            document = read_docx(data)
        except ProofreadInputError as exc:
            raise click.ClickException(f"{file.name}：{exc}") from exc
    report = get_services(ctx).proofread(document, check_figures=not no_figures)
    if output is not None:
        if output.suffix.lower() != ".docx":
            output = output.with_suffix(".docx")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(annotate_docx(data, report.findings))

    if as_json:
        payload = ProofreadOut.from_report(
            report, filename=file.name, tables=document.tables, images=document.images
        ).model_dump()
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for f in report.findings:
        where = f"第{f.paragraph}段" if f.paragraph else "全文"
        line = f"{where} [{f.severity.value}] {f.message}　「{f.quote}」"
        if f.suggestion:
            line += f" → {f.suggestion}"
        click.echo(line)
    click.echo(
        f"共 {len(report.findings)} 处：错误 {report.errors}，建议 {len(report.findings) - report.errors}；"
        f"{report.paragraphs} 段，约 {report.pages:g} 页，核对数字 {report.figures_checked} 处"
    )
    for note in report.notes:
        click.echo(f"提示：{note}", err=True)
    if output is not None:
        click.echo(f"已写入批注：{output}")


def register(group: click.Group) -> None:
    group.add_command(proofread_command)
