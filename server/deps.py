"""Dependencies of the routes, as ``Annotated`` aliases: settings, services, parts, auth.

Routes never build anything: the app factory puts one ``Settings``, one
``Services`` and one ``JobManager`` on ``app.state``; these functions hand them
out, and turn a part that cannot be built (model missing, Chroma server down)
into a ``503`` instead of a stack trace.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from retrieval.registry import DEFAULT_KNOWLEDGE_BASE
from server.access import OPEN_ACCESS, Principal, Role
from server.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from server.jobs import JobManager
from server.services import Services
from server.settings import Settings

if TYPE_CHECKING:
    from answer import Generator
    from retrieval import KnowledgeBase, Searcher
    from retrieval.registry import KnowledgeBaseRegistry

log = logging.getLogger(__name__)

T = TypeVar("T")

# auto_error=False: a missing header is our own 401 in our own JSON shape.
_bearer = HTTPBearer(
    auto_error=False,
    description="KB_API_TOKEN (admin) or a token made with `kb token add`, when any is set",
)


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


def _part(name: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except Exception as exc:
        log.exception("cannot build %s", name)
        raise ServiceUnavailableError(
            f"知识库服务暂不可用 / The {name.replace('_', ' ')} is unavailable: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def get_generator(services: Annotated[Services, Depends(get_services)]) -> Generator:
    return _part("generator", lambda: services.generator)


def get_principal(
    settings: Annotated[Settings, Depends(get_settings)],
    services: Annotated[Services, Depends(get_services)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Who is calling. ``KB_API_TOKEN`` is an admin token; tokens made with ``kb token add``
    carry their role and knowledge bases. With no token configured at all the server is
    open (a single-user install); the first token made closes it."""
    tokens = _part("token store", lambda: services.tokens)
    if credentials is None or credentials.scheme.lower() != "bearer":
        if settings.api_token is None and not tokens.any():
            return OPEN_ACCESS
        raise UnauthorizedError()
    presented = credentials.credentials
    # compare_digest on bytes: constant time, and no error on non-ASCII input.
    if settings.api_token and secrets.compare_digest(
        presented.encode(), settings.api_token.encode()
    ):
        return OPEN_ACCESS
    principal = tokens.authenticate(presented)
    if principal is None:
        raise UnauthorizedError("访问令牌无效 / Invalid API token")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(role: Role) -> Any:
    """A dependency that refuses callers below ``role`` with 403."""

    def check(principal: PrincipalDep) -> Principal:
        if not principal.at_least(role):
            raise ForbiddenError(
                f"当前令牌（{principal.role.label}）无权执行此操作，需要{role.label}权限 / "
                f"This needs the {role.value} role; the token is {principal.role.value}",
                code="role_required",
            )
        return principal

    return Depends(check)


ReaderAccess = require(Role.READER)
EditorAccess = require(Role.EDITOR)
AdminAccess = require(Role.ADMIN)

KbQuery = Annotated[
    list[str] | None,
    Query(
        alias="kb",
        max_length=20,
        description="Knowledge base name(s); repeat for several. Default: every one the token "
        "may use when reading, the default knowledge base when writing.",
    ),
]


def _registry(services: Services) -> KnowledgeBaseRegistry:
    return _part("registry", lambda: services.registry)


def _visible_or_404(principal: Principal, registry: Any, name: str) -> None:
    # A knowledge base the caller was not given is answered exactly like one that does
    # not exist: a reader learns nothing about the others.
    if not principal.may_use(name) or not registry.exists(name):
        raise NotFoundError(
            f"没有名为“{name[:50]}”的知识库 / No knowledge base named {name[:50]!r}",
            code="unknown_knowledge_base",
        )


def get_read_scope(
    services: Annotated[Services, Depends(get_services)],
    principal: PrincipalDep,
    kb: KbQuery = None,
) -> list[str]:
    """The knowledge bases a read covers: those named (each must be visible), else all the
    caller may use."""
    registry = _registry(services)
    if kb:
        names = list(dict.fromkeys(kb))
        for name in names:
            _visible_or_404(principal, registry, name)
        return names
    if not registry.list():
        registry.ensure(DEFAULT_KNOWLEDGE_BASE, title="知识库")
    names = principal.visible(info.name for info in registry.list())
    if not names:
        raise NotFoundError(
            "该令牌没有可用的知识库 / The token has no knowledge base", code="no_knowledge_base"
        )
    return names


def get_write_target(
    settings: Annotated[Settings, Depends(get_settings)],
    services: Annotated[Services, Depends(get_services)],
    principal: PrincipalDep,
    kb: KbQuery = None,
) -> str:
    """The one knowledge base a write goes to: the one named, else the default one (made on
    first use)."""
    if kb and len(set(kb)) > 1:
        raise BadRequestError(
            "写入时只能指定一个知识库 / Name one knowledge base to write to",
            code="one_knowledge_base",
        )
    registry = _registry(services)
    name = kb[0] if kb else settings.knowledge_base or DEFAULT_KNOWLEDGE_BASE
    if not kb and not registry.exists(name) and principal.may_use(name):
        registry.ensure(name, title="知识库")
    _visible_or_404(principal, registry, name)
    return name


ReadScopeDep = Annotated[list[str], Depends(get_read_scope)]
WriteTargetDep = Annotated[str, Depends(get_write_target)]


def get_knowledge_base(
    services: Annotated[Services, Depends(get_services)], target: WriteTargetDep
) -> KnowledgeBase:
    return _registry(services).get(target)


def get_searcher(
    services: Annotated[Services, Depends(get_services)], scope: ReadScopeDep
) -> Searcher:
    try:
        return services.searcher_for(scope)
    except Exception as exc:
        log.exception("cannot build the searcher")
        raise ServiceUnavailableError(
            f"知识库服务暂不可用 / The searcher is unavailable: {type(exc).__name__}: {exc}"
        ) from exc


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
