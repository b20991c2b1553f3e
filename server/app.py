"""The FastAPI app factory: one app per ``Settings``, its parts built once at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from server.deps import EditorAccess, ReaderAccess
from server.errors import install_error_handlers
from server.jobs import JobManager
from server.routes import (
    chat,
    documents,
    drafts,
    health,
    ingest,
    jobs,
    knowledge_bases,
    proofread,
    search,
)
from server.services import Services
from server.settings import Settings

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(resources.files("server") / "static"))

# Threads that run the blocking routes (search, chat, ...): anyio's default is 40.
# The work is Python under one interpreter lock plus model calls that queue at one
# gate, so 40 threads add no throughput on 2 cores; they only take turns at the lock,
# and the event loop (``/health``, new connections) waits its turn among them. With
# 8, waiting requests queue as cheap coroutines instead.
WORKER_THREADS = 8

_DESCRIPTION = """\
知识库与公文起草助手的 HTTP 接口 / HTTP API of the knowledge-base and drafting assistant.

When the server has `KB_API_TOKEN` set, every endpoint except `/health` needs
`Authorization: Bearer <token>` (use the *Authorize* button). Errors always come as
`{"error": {"code": ..., "message": "中文 / English"}}`.
"""


def _swagger_assets() -> Path | None:
    """The Swagger UI files shipped by the ``swagger-ui-bundle-v2`` package, if installed."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(swagger_ui_bundle.swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def _mount_docs(app: FastAPI) -> None:
    # FastAPI's default /docs pulls Swagger UI from a CDN, which the offices'
    # networks often cannot reach; serve the files a PyPI package ships instead.
    assets = _swagger_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

        @app.get("/docs", include_in_schema=False)
        def swagger_docs() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="知识库助手 API",
                swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                swagger_css_url="/docs-assets/swagger-ui.css",
                swagger_favicon_url="/docs-assets/favicon-32x32.png",
            )

    else:  # without the package: a plain list built from /openapi.json, still offline

        @app.get("/docs", include_in_schema=False)
        def minimal_docs() -> FileResponse:
            return FileResponse(STATIC_DIR / "docs.html", media_type="text/html")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app. ``services`` may be injected (tests share one warm instance);
    otherwise they are built from ``settings`` and warmed up before the first request."""
    settings = settings or (services.settings if services is not None else Settings())
    services = services or Services(settings)
    job_manager = JobManager()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        if not services.is_warm:
            try:
                # Load the model and open the stores now, so no request pays for it.
                await run_in_threadpool(services.warm_up)
            except Exception as exc:
                # Keep serving: /health says what is wrong and data endpoints answer 503.
                log.exception("warm-up failed; serving with the index unavailable")
                app.state.startup_error = f"{type(exc).__name__}: {exc}"
        yield
        if any(j.status == "running" for j in job_manager.recent()):
            # The index stays consistent either way; waiting keeps the job's work.
            log.warning("waiting for the running ingest job to finish before shutting down")
        await run_in_threadpool(job_manager.shutdown)

    app = FastAPI(
        title="知识库与公文起草助手 API",
        description=_DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.jobs = job_manager
    app.state.startup_error = None

    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Content-Disposition", "Location"],
        )

    app.include_router(health.router)
    # Roles: readers ask, search, draft and proofread; editors also change documents;
    # admins also manage knowledge bases and tokens (the knowledge-base routes check per
    # operation).
    for module in (search, chat, drafts, proofread, documents, knowledge_bases):
        app.include_router(module.router, dependencies=[ReaderAccess])
    for module in (ingest, jobs):
        app.include_router(module.router, dependencies=[EditorAccess])

    _mount_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        # The page itself carries no data; its script asks for the token when needed.
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    return app
