"""The ``kb`` command line: one group; each command module adds its commands."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from server.commands._common import add_knowledge_base_option
from server.settings import Settings

# Each module defines ``register(group)``; owners add their module here.
_COMMAND_MODULES = (
    "server.commands.model",
    "server.commands.index",
    "server.commands.search",
    "server.commands.ask",
    "server.commands.draft",
    "server.commands.proofread",
    "server.commands.serve",
    "server.commands.knowledge_bases",
)


class KbGroup(click.Group):
    """The ``kb`` group: the packages' errors become click's, by class, here only.

    A request the user can fix (``InvalidRequestError``: an unknown document type,
    an unreadable period, an empty query …) is a usage error (exit 2); a part that
    failed (``ServiceFailureError``, any other ``KbError``) an error (exit 1).
    """

    def invoke(self, ctx: click.Context) -> Any:
        from textcore import InvalidRequestError, KbError

        try:
            return super().invoke(ctx)
        except InvalidRequestError as exc:
            raise click.UsageError(str(exc)) from exc
        except KbError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (to stderr).")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Knowledge base and drafting assistant (知识库与公文起草助手)."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        _quiet_libraries()
    ctx.obj = Settings()


def _quiet_libraries() -> None:
    """transformers draws a progress bar for every model load: noise in a CLI.
    (jieba is quiet already: ``textcore.segment`` loads it.)"""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != _name:
            raise
        continue
    _module.register(cli)

# Every command that touches a knowledge base takes --kb (the kb/token groups name theirs).
for _command in cli.commands.values():
    if not isinstance(_command, click.Group) and _command.name not in ("prepare-model", "serve"):
        add_knowledge_base_option(_command)


def main() -> None:
    from retrieval.errors import KnowledgeBaseError

    try:
        cli()
    except KnowledgeBaseError as exc:
        # A wrong or unknown knowledge base name: the message says what to do.
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
