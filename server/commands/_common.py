"""What every command module shares: the services built from the group's settings."""

from __future__ import annotations

import click

from server.services import Services
from server.settings import Settings

# Commands that write to one knowledge base; every other command reads from one or more.
WRITING_COMMANDS = frozenset({"ingest", "remove", "check"})


def get_services(ctx: click.Context) -> Services:
    """One ``Services`` per CLI invocation, built from the settings the group read and
    the knowledge bases chosen with ``--kb``."""
    root = ctx.find_root()
    services = root.meta.get("services")
    if services is None:
        settings = root.obj if isinstance(root.obj, Settings) else Settings()
        chosen: list[str] = root.meta.get("knowledge_bases") or []
        if len(chosen) == 1:
            settings = settings.model_copy(update={"knowledge_base": chosen[0]})
        services = Services(settings)
        if chosen:
            services.read_scope = chosen
        elif settings.knowledge_base:
            services.read_scope = [settings.knowledge_base]
        root.meta["services"] = services
    return services


def _remember_knowledge_bases(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...] | str | None
) -> None:
    if not value:
        return
    names = [value] if isinstance(value, str) else list(dict.fromkeys(value))
    from retrieval.errors import KnowledgeBaseError
    from retrieval.registry import check_name

    try:
        for name in names:
            check_name(name)
    except KnowledgeBaseError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc
    ctx.find_root().meta["knowledge_bases"] = names


def add_knowledge_base_option(command: click.Command) -> None:
    """Give ``command`` a ``--kb NAME`` option: one knowledge base for a command that
    writes, repeatable for one that reads (default ``KB_KNOWLEDGE_BASE``, else the default
    knowledge base for writing and every knowledge base for reading)."""
    writes = command.name in WRITING_COMMANDS
    command.params.append(
        click.Option(
            ["--kb", "knowledge_bases"],
            multiple=not writes,
            expose_value=False,
            is_eager=True,
            callback=_remember_knowledge_bases,
            metavar="NAME",
            help=(
                "The knowledge base to write to (default: KB_KNOWLEDGE_BASE, else kb)."
                if writes
                else "A knowledge base to read (repeat for several; default: "
                "KB_KNOWLEDGE_BASE, else all)."
            ),
        )
    )
