"""The ``kb`` command line: one group; each command module adds its commands."""

from __future__ import annotations

import importlib
import logging

import click

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
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    """jieba logs its dictionary loading at DEBUG through its own handler, and
    transformers draws a progress bar for every model load: noise in a CLI."""
    import jieba
    from transformers.utils import logging as hf_logging

    jieba.setLogLevel(logging.WARNING)
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
