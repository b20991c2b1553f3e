"""``kb serve``: the HTTP API and the web page, on uvicorn."""

from __future__ import annotations

import ipaddress
import logging

import click

from server.settings import Settings

log = logging.getLogger(__name__)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, log_level: str) -> None:
    """Serve the API and the web page (启动网页与接口服务) at http://HOST:PORT/.

    The model and the index load once before the first request. Settings come
    from KB_* environment variables: KB_API_TOKEN to require a token,
    KB_INGEST_ROOTS for server-side folders, KB_LLM_BASE_URL / KB_LLM_MODEL for
    an OpenAI-compatible LLM, KB_CHROMA_URL for a `chroma run` server.
    """
    import uvicorn

    from server.app import create_app

    root = ctx.find_root()
    settings = root.obj if isinstance(root.obj, Settings) else Settings()
    if not _is_loopback(host) and not settings.api_token:
        click.echo(
            f"警告：在 {host} 上对外提供服务但未设置 KB_API_TOKEN，任何能访问该地址的人都可读写知识库。\n"
            f"Warning: serving on {host} without KB_API_TOKEN; anyone who can reach it can use the API.",
            err=True,
        )
    app = create_app(settings=settings)
    click.echo(
        f"知识库助手：http://{host}:{port}/  (API docs: http://{host}:{port}/docs)", err=True
    )
    # One process only: background jobs and the embedded index live in this process.
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1)


def register(group: click.Group) -> None:
    group.add_command(serve_command)
