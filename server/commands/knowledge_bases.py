"""``kb kb …`` (knowledge bases) and ``kb token …`` (API tokens with roles)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from retrieval.errors import KnowledgeBaseError
from server.access import ALL_KNOWLEDGE_BASES, Role
from server.commands._common import get_services


@contextmanager
def _user_errors() -> Iterator[None]:
    """Knowledge-base errors carry a message for the user: show it, not a traceback."""
    try:
        yield
    except KnowledgeBaseError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("kb")
def kb_group() -> None:
    """Create, list, rename and delete knowledge bases (管理知识库)."""


@kb_group.command("create")
@click.argument("name")
@click.option("--title", help="The Chinese display name, e.g. 政策法规 (default: NAME).")
@click.option("--exist-ok", is_flag=True, help="Do nothing when it exists already.")
@click.pass_context
def create_command(ctx: click.Context, name: str, title: str | None, exist_ok: bool) -> None:
    """Create the knowledge base NAME (a-z, 0-9, '_' or '-')."""
    registry = get_services(ctx).registry
    with _user_errors():
        if exist_ok and registry.exists(name):
            click.echo(f"exists 已存在: {name} ({registry.info(name).title})")
            return
        info = registry.create(name, title=title)
    click.echo(f"created 已创建: {info.name} ({info.title})")


@kb_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List the knowledge bases with their document and chunk counts."""
    services = get_services(ctx)
    rows = []
    for info in services.registry.list():
        kb = services.registry.get(info.name)
        rows.append(
            {
                "name": info.name,
                "title": info.title,
                "documents": len(kb.documents()),
                "chunks": kb.chunk_count(),
                "created": info.created,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(rows)} knowledge bases 知识库")
    for column in ("name", "title 名称", "documents 文档", "chunks 片段", "created 创建"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["name"],
            escape(row["title"]),
            str(row["documents"]),
            str(row["chunks"]),
            row["created"],
        )
    Console().print(table)


@kb_group.command("rename")
@click.argument("name")
@click.argument("title")
@click.pass_context
def rename_command(ctx: click.Context, name: str, title: str) -> None:
    """Give the knowledge base NAME the display name TITLE."""
    with _user_errors():
        info = get_services(ctx).registry.rename(name, title=title)
    click.echo(f"renamed 已改名: {info.name} ({info.title})")


@kb_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete_command(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete the knowledge base NAME with all its documents."""
    registry = get_services(ctx).registry
    with _user_errors():
        info = registry.info(name)
        if not yes:
            click.confirm(f"删除知识库“{info.title}”({name}) 及其全部文档？", abort=True)
        registry.delete(name)
    click.echo(f"deleted 已删除: {name}")


@click.group("token")
def token_group() -> None:
    """Make, list and revoke API tokens (访问令牌)."""


@token_group.command("add")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="reader: ask/search/draft/proofread; editor: also upload/delete; admin: everything.",
)
@click.option(
    "--kb",
    "knowledge_bases",
    multiple=True,
    help=f"A knowledge base the token may use (repeat; {ALL_KNOWLEDGE_BASES!r} for all).",
)
@click.option("--label", default="", help="Who or what the token is for.")
@click.pass_context
def token_add_command(
    ctx: click.Context, role: str, knowledge_bases: tuple[str, ...], label: str
) -> None:
    """Make a token; it is printed once and stored only as a hash."""
    services = get_services(ctx)
    with _user_errors():
        for name in knowledge_bases:
            if name != ALL_KNOWLEDGE_BASES:
                services.registry.info(name)  # an unknown name is an error, not a no-op
    try:
        token, record = services.tokens.add(
            role=Role(role), knowledge_bases=knowledge_bases, label=label
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(
        f"token {record.token_id} ({record.role.label}): {', '.join(record.knowledge_bases)}"
    )
    click.echo("请妥善保存，此令牌只显示这一次 / keep it now, it is not shown again:", err=True)
    click.echo(token)


@token_group.command("list")
@click.pass_context
def token_list_command(ctx: click.Context) -> None:
    """List the tokens (never the tokens themselves)."""
    table = Table(title="tokens 令牌")
    for column in ("id", "role 角色", "knowledge bases 知识库", "label 说明", "created 创建"):
        table.add_column(column)
    for r in get_services(ctx).tokens.list():
        table.add_row(
            r.token_id, r.role.value, ", ".join(r.knowledge_bases), escape(r.label), r.created
        )
    Console().print(table)


@token_group.command("revoke")
@click.argument("token_id")
@click.pass_context
def token_revoke_command(ctx: click.Context, token_id: str) -> None:
    """Revoke the token TOKEN_ID (see `kb token list`)."""
    if not get_services(ctx).tokens.revoke(token_id):
        raise click.ClickException(f"no token with id {token_id} (未找到该令牌)")
    click.echo(f"revoked 已吊销: {token_id}")


def register(group: click.Group) -> None:
    group.add_command(kb_group)
    group.add_command(token_group)
