"""Dependencies of the routes, as ``Annotated`` aliases: settings, services, parts, auth.

Routes never build anything: the app factory puts one ``Settings``, one
``Services`` and one ``JobManager`` on ``app.state``; these functions hand them
out, and turn a part that cannot be built (model missing, Chroma server down)
into a ``503`` instead of a stack trace.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.errors import ServiceUnavailableError, UnauthorizedError
from server.jobs import JobManager
from server.services import Services
from server.settings import Settings

if TYPE_CHECKING:
    from answer import Generator
    from retrieval import KnowledgeBase, Searcher

log = logging.getLogger(__name__)

# auto_error=False: a missing header is our own 401 in our own JSON shape.
_bearer = HTTPBearer(auto_error=False, description="KB_API_TOKEN, when the server sets one")


# The three look-ups below are ``async`` because they do no I/O: a sync dependency
# waits for a worker thread, and under load every worker is busy answering, so even
# ``/health`` queued behind them (p95 2.2 s at 50 clients).
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_jobs(request: Request) -> JobManager:
    jobs: JobManager = request.app.state.jobs
    return jobs


def _part(services: Services, name: str) -> Any:
    try:
        return getattr(services, name)
    except Exception as exc:
        log.exception("cannot build %s", name)
        raise ServiceUnavailableError(
            f"知识库服务暂不可用 / The {name.replace('_', ' ')} is unavailable: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def get_knowledge_base(services: Annotated[Services, Depends(get_services)]) -> KnowledgeBase:
    return _part(services, "knowledge_base")  # type: ignore[no-any-return]


def get_searcher(services: Annotated[Services, Depends(get_services)]) -> Searcher:
    return _part(services, "searcher")  # type: ignore[no-any-return]


def get_generator(services: Annotated[Services, Depends(get_services)]) -> Generator:
    return _part(services, "generator")  # type: ignore[no-any-return]


def require_token(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """When ``KB_API_TOKEN`` is set, demand ``Authorization: Bearer <token>``."""
    expected = settings.api_token
    if not expected:
        return
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError()
    # compare_digest on bytes: constant time, and no error on non-ASCII input.
    if not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise UnauthorizedError("访问令牌无效 / Invalid API token")


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServicesDep = Annotated[Services, Depends(get_services)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
if TYPE_CHECKING:
    KnowledgeBaseDep = Annotated[KnowledgeBase, Depends(get_knowledge_base)]
    SearcherDep = Annotated[Searcher, Depends(get_searcher)]
    GeneratorDep = Annotated[Generator, Depends(get_generator)]
else:  # the parts' classes load lazily with their heavy libraries; FastAPI needs no type here
    KnowledgeBaseDep = Annotated[Any, Depends(get_knowledge_base)]
    SearcherDep = Annotated[Any, Depends(get_searcher)]
    GeneratorDep = Annotated[Any, Depends(get_generator)]
Authorized = Depends(require_token)
