"""Knowledge bases (list for every role; create, rename, delete for admins) and API tokens
(admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from retrieval.errors import (
    KnowledgeBaseBusyError,
    KnowledgeBaseExistsError,
    KnowledgeBaseNameError,
    UnknownKnowledgeBaseError,
)
from server.access import ALL_KNOWLEDGE_BASES, Role, TokenRecord
from server.deps import AdminAccess, PrincipalDep, ServicesDep
from server.errors import BadRequestError, ConflictError, NotFoundError
from server.schemas import (
    ErrorResponse,
    KnowledgeBaseDeleted,
    KnowledgeBaseIn,
    KnowledgeBaseOut,
    KnowledgeBaseRename,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from server.services import Services

router = APIRouter(tags=["knowledge bases"])


def _out(services: Services, name: str) -> KnowledgeBaseOut:
    info = services.registry.info(name)
    kb = services.registry.get(name)
    return KnowledgeBaseOut(
        name=info.name,
        title=info.title,
        documents=len(kb.documents()),
        chunks=kb.chunk_count(),
        created=info.created,
    )


def _not_found(name: str) -> NotFoundError:
    return NotFoundError(
        f"没有名为“{name[:50]}”的知识库 / No knowledge base named {name[:50]!r}",
        code="unknown_knowledge_base",
    )


@router.get("/knowledge-bases", response_model=list[KnowledgeBaseOut])
def list_knowledge_bases(services: ServicesDep, principal: PrincipalDep) -> list[KnowledgeBaseOut]:
    """The knowledge bases the token may use, with their document and chunk counts."""
    names = principal.visible(info.name for info in services.registry.list())
    return [_out(services, name) for name in names]


@router.post(
    "/knowledge-bases",
    status_code=201,
    response_model=KnowledgeBaseOut,
    dependencies=[AdminAccess],
    responses={400: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
)
def create_knowledge_base(
    body: KnowledgeBaseIn, services: ServicesDep, response: Response
) -> KnowledgeBaseOut:
    """Create an empty knowledge base (admins)."""
    try:
        services.registry.create(body.name, title=body.title)
    except KnowledgeBaseExistsError as exc:
        raise ConflictError(str(exc), code="knowledge_base_exists") from exc
    except KnowledgeBaseNameError as exc:
        raise BadRequestError(str(exc), code="bad_knowledge_base_name") from exc
    response.headers["Location"] = f"/knowledge-bases/{body.name}"
    return _out(services, body.name)


@router.patch(
    "/knowledge-bases/{name}",
    response_model=KnowledgeBaseOut,
    dependencies=[AdminAccess],
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def rename_knowledge_base(
    name: str, body: KnowledgeBaseRename, services: ServicesDep
) -> KnowledgeBaseOut:
    """Give a knowledge base a new display name (admins)."""
    try:
        services.registry.rename(name, title=body.title)
    except (UnknownKnowledgeBaseError, KnowledgeBaseNameError) as exc:
        raise _not_found(name) from exc
    return _out(services, name)


@router.delete(
    "/knowledge-bases/{name}",
    response_model=KnowledgeBaseDeleted,
    dependencies=[AdminAccess],
    responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
)
def delete_knowledge_base(name: str, services: ServicesDep) -> KnowledgeBaseDeleted:
    """Delete a knowledge base with its documents (admins). Refused (409) while an ingest
    job writes to it."""
    try:
        services.registry.delete(name)
    except (UnknownKnowledgeBaseError, KnowledgeBaseNameError) as exc:
        raise _not_found(name) from exc
    except KnowledgeBaseBusyError as exc:
        raise ConflictError(str(exc), code="knowledge_base_busy") from exc
    services.forget(name)
    return KnowledgeBaseDeleted(name=name, deleted=True)


def _token_out(record: TokenRecord) -> TokenOut:
    return TokenOut(
        token_id=record.token_id,
        role=record.role.value,
        knowledge_bases=list(record.knowledge_bases),
        label=record.label,
        created=record.created,
    )


@router.get("/tokens", response_model=list[TokenOut], dependencies=[AdminAccess], tags=["tokens"])
def list_tokens(services: ServicesDep) -> list[TokenOut]:
    """Every token made with ``kb token add`` or ``POST /tokens`` (never the token itself)."""
    return [_token_out(r) for r in services.tokens.list()]


@router.post(
    "/tokens",
    status_code=201,
    response_model=TokenCreated,
    dependencies=[AdminAccess],
    tags=["tokens"],
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def create_token(body: TokenIn, services: ServicesDep) -> TokenCreated:
    """Make a token with a role and the knowledge bases it may use; it is shown only here."""
    for name in body.knowledge_bases:
        if name != ALL_KNOWLEDGE_BASES and not services.registry.exists(name):
            raise _not_found(name)
    try:
        token, record = services.tokens.add(
            role=Role(body.role), knowledge_bases=body.knowledge_bases, label=body.label
        )
    except ValueError as exc:
        raise BadRequestError(str(exc), code="bad_token_request") from exc
    return TokenCreated(token=token, **_token_out(record).model_dump())


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    dependencies=[AdminAccess],
    tags=["tokens"],
    responses={404: {"model": ErrorResponse}},
)
def revoke_token(token_id: str, services: ServicesDep) -> Response:
    """Revoke a token at once."""
    if not services.tokens.revoke(token_id):
        raise NotFoundError(f"未找到该令牌 / No token {token_id[:20]!r}", code="unknown_token")
    return Response(status_code=204)
