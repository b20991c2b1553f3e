"""``kb draft``: compose an official-format document from the knowledge base as .docx."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from server.commands._common import get_services

log = logging.getLogger(__name__)


def _parse_fields(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            name, sep, value = item.partition("：")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"“{item}”应写成 名称=内容，例如 活动时间=2022年10月4日上午9时"
            )
        fields[name.strip()] = value.strip()
    return fields


@click.command("draft")
@click.argument("doc_type", metavar="TYPE")
@click.option("--unit", required=True, help="单位名称，如 湖北路街道（也用作落款）。")
@click.option("--period", help="时间段：2022Q3、2022年第三季度、2022年上半年、2022年 …")
@click.option("--topic", help="主题，如 五星支部创建、重阳节敬老。")
@click.option("--notes", help="要原样写入文稿的补充内容（可多行）。")
@click.option(
    "--field",
    "fields",
    multiple=True,
    callback=_parse_fields,
    help="名称=内容，原样填入，如 活动时间=…、活动地点=…、主送机关=…；可重复。",
)
@click.option("--date", "doc_date", help="成文日期（YYYY-MM-DD），默认今天。")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="自己的 .docx 模板，含 {{标题}}、{{正文}} 等占位符。",
)
@click.option(
    "--citations",
    type=click.Choice(["footnote", "inline"]),
    default="footnote",
    show_default=True,
    help="引用标注：上标 [n]（footnote）或正文内 [n]（inline）。",
)
@click.option("--remove-unsupported", is_flag=True, help="删除来源中找不到的数字/单位所在的句子。")
@click.option("--pdf", "make_pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF 预览。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出文稿内容。")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出 .docx 路径（默认：输出目录下的 <标题>.docx）。",
)
@click.option(
    "-d",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="未给 -o 时，文稿写入的目录。",
)
@click.pass_context
def draft_command(
    ctx: click.Context,
    doc_type: str,
    unit: str,
    period: str | None,
    topic: str | None,
    notes: str | None,
    fields: dict[str, str],
    doc_date: str | None,
    template: Path | None,
    citations: str,
    remove_unsupported: bool,
    make_pdf: bool,
    as_json: bool,
    output: Path | None,
    output_dir: Path,
) -> None:
    """Draft a document of TYPE (起草公文) from the knowledge base as .docx.

    TYPE is a key or its Chinese name: quarterly-summary（季度工作总结）,
    work-summary（工作总结）, work-report（工作报告）, activity-plan（活动方案）,
    brief（信息简报）. Every number and named unit is checked against the cited
    sources; what cannot be traced is reported (and highlighted in the .docx).
    """
    from drafting import DraftRequest, PdfConversionError, convert_to_pdf
    from server.schemas import DraftFileOut, DraftOut
    from server.uploads import draft_filename

    if not unit.strip():
        raise click.BadParameter("单位名称不能为空", param_hint="--unit")
    template_bytes = template.read_bytes() if template is not None else None
    request = DraftRequest(
        doc_type=doc_type.strip(),
        unit=unit.strip(),
        period=period,
        topic=topic,
        notes=notes,
        fields=fields,
        date=doc_date,
    )
    # The same two calls as POST /drafts; an unknown type, an unreadable period or
    # template is an InvalidRequestError, which the kb group turns into a usage error.
    services = get_services(ctx)
    draft = services.compose_draft(request, remove_unsupported=remove_unsupported)
    data = services.render_draft(draft, template=template_bytes, citation_style=citations)

    # -o is the user's own path; otherwise the title names the file, cleaned as the
    # HTTP route cleans it, inside --output-dir.
    docx_path = output or output_dir / draft_filename(draft.title)
    if docx_path.suffix.lower() != ".docx":
        docx_path = docx_path.with_suffix(".docx")
    docx_path.parent.mkdir(parents=True, exist_ok=True)
    docx_path.write_bytes(data)

    pdf_path: Path | None = None
    if make_pdf:
        try:
            pdf_path = convert_to_pdf(docx_path, docx_path.parent)
        except PdfConversionError as exc:
            raise click.ClickException(f"已生成 {docx_path}，但 PDF 预览失败：{exc}") from exc

    if as_json:
        shape = DraftOut.from_draft(draft, filename=docx_path.name).model_dump()
        pdf = str(pdf_path) if pdf_path else None
        payload = DraftFileOut.model_validate({**shape, "output": str(docx_path), "pdf": pdf})
        click.echo(payload.model_dump_json(indent=2))
        return
    click.echo(f"已生成：{docx_path}")
    if pdf_path:
        click.echo(f"PDF 预览：{pdf_path}")
    click.echo(f"标题：{draft.title}")
    click.echo(f"引用材料：{len(draft.citations)} 条；事实核对：{draft.supported_share:.0%} 有来源")
    for warning in draft.warnings:
        click.echo(f"提示：{warning}", err=True)
    for issue in draft.issues:
        click.echo(f"未找到来源的{issue.kind}：{issue.text}（{issue.sentence}）", err=True)
    placeholders = sum(p.placeholder for s in draft.sections for p in s.paragraphs)
    if placeholders:
        click.echo(f"待补充：{placeholders} 处（文稿中以【待补充】标出）", err=True)


def register(group: click.Group) -> None:
    group.add_command(draft_command)
