"""``GET /health``: is the index up, how big is it, which model and store — no token needed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from server.deps import JobsDep, ServicesDep, SettingsDep
from server.schemas import HealthOut
from server.services import Services

router = APIRouter(tags=["health"])


def _tokens_made(services: Services) -> bool:
    # Health answers whatever is broken; a token store that cannot be read says no.
    try:
        return services.tokens.any()
    except Exception:
        return False


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
async def health(
    request: Request, settings: SettingsDep, services: ServicesDep, jobs: JobsDep
) -> JSONResponse:
    """Status, index size (chunks, documents), model name, store mode, LLM configured or not.

    ``async`` on purpose: it needs no worker thread, so it answers at once even when
    every thread of the pool is busy with a search or an answer (a few ms of
    catalog look-ups on the event loop)."""
    running = sum(1 for j in jobs.recent() if j.status in ("queued", "running"))
    common = HealthOut(
        status="ok",
        chunks=None,
        documents=None,
        model=None,
        store_mode="http" if services.store_mode == "http" else "embedded",
        llm_configured=bool(settings.llm_base_url and settings.llm_model),
        llm_model=settings.llm_model,
        auth_required=bool(settings.api_token) or _tokens_made(services),
        jobs_running=running,
    )
    try:
        # Every knowledge base together: health says how big the whole index is.
        kbs = [services.registry.get(name) for name in services.scope]
        out = common.model_copy(
            update={
                "chunks": sum(kb.chunk_count() for kb in kbs),
                "documents": sum(len(kb.documents()) for kb in kbs),
                "model": services.embedder.name,
            }
        )
        code = 200
    except Exception as exc:  # health must answer, whatever is broken
        detail = request.app.state.startup_error or f"{type(exc).__name__}: {exc}"
        out = common.model_copy(update={"status": "unavailable", "detail": detail})
        code = 503
    return JSONResponse(out.model_dump(), status_code=code)
