"""Drafts: compose a document from the knowledge base and return the .docx (or JSON)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from server.deps import SearcherDep, ServicesDep, SettingsDep
from server.errors import BadRequestError, UnsupportedMediaTypeError
from server.schemas import DocumentTypeList, DocumentTypeOut, DraftIn, DraftOut, ErrorResponse
from server.services import Services

if TYPE_CHECKING:
    from retrieval import Searcher
from server.uploads import check_content_type, draft_filename, read_limited, sanitize_filename

router = APIRouter(tags=["drafts"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FORMAT_DOC = "`docx` (default) downloads the document; `json` returns sections, citations and fact-check results."
_DOCX_DOC = {
    "description": "The .docx as a download (`Content-Disposition` with a UTF-8 file name).",
    "content": {DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    415: {"model": ErrorResponse},
}


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the real (Chinese) name as RFC 5987 ``filename*``."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip(" .") or ""
    if not ascii_name or ascii_name == ".docx":
        ascii_name = f"draft-{date.today():%Y%m%d}.docx"
    ascii_name = ascii_name.replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _make_draft(
    services: Services,
    body: DraftIn,
    *,
    template: bytes | None,
    fmt: str,
    searcher: Searcher | None = None,
) -> Response | DraftOut:
    # An unknown document type, an unreadable period or template: the package's
    # error reaches the handlers in server/errors.py, which give it its 4xx.
    draft = services.compose_draft(
        body.to_request(), remove_unsupported=body.remove_unsupported, searcher=searcher
    )
    filename = draft_filename(draft.title)
    if fmt == "json":
        return DraftOut.from_draft(draft, filename=filename)
    data = services.render_draft(draft, template=template, citation_style=body.citation_style)
    return Response(
        content=data,
        media_type=DOCX_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(filename)},
    )


@router.get("/drafts/types", response_model=DocumentTypeList)
def document_types() -> DocumentTypeList:
    """The kinds of document the assistant drafts (key, Chinese name, extra inputs)."""
    from drafting import DOCUMENT_TYPES

    items = []
    for key, spec in DOCUMENT_TYPES.items():
        fields = [s.field for s in spec.sections if s.kind == "field" and s.field]
        if spec.recipient_field:
            fields.insert(0, spec.recipient_field)
        items.append(DocumentTypeOut(key=key, name=spec.name, fields=list(dict.fromkeys(fields))))
    return DocumentTypeList(items=items)


@router.post("/drafts", response_model=DraftOut, responses={200: _DOCX_DOC, **_ERRORS})
def create_draft(
    body: DraftIn,
    services: ServicesDep,
    searcher: SearcherDep,
    format: Annotated[Literal["docx", "json"], Query(description=_FORMAT_DOC)] = "docx",
) -> Any:
    """Compose a 总结 / 报告 / 方案 / 简报 for ``unit`` and ``period`` from the knowledge base."""
    return _make_draft(services, body, template=None, fmt=format, searcher=searcher)


@router.post(
    "/drafts/with-template", response_model=DraftOut, responses={200: _DOCX_DOC, **_ERRORS}
)
async def create_draft_with_template(
    services: ServicesDep,
    settings: SettingsDep,
    searcher: SearcherDep,
    request: Annotated[str, Form(description="The same JSON object as the body of POST /drafts.")],
    template: Annotated[UploadFile | None, File(description="Your office's .docx template")] = None,
    format: Annotated[Literal["docx", "json"], Query(description=_FORMAT_DOC)] = "docx",
) -> Any:
    """Like ``POST /drafts`` as a multipart form, optionally with the office's own .docx template
    (``{{title}}``, ``{{body}}`` … placeholders are filled)."""
    try:
        body = DraftIn.model_validate_json(request)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise BadRequestError(
            f"请求参数不合法 / Invalid request: {problems}", code="validation_error"
        ) from exc
    data: bytes | None = None
    if template is not None and (template.filename or template.size):
        name = sanitize_filename(template.filename or "template.docx")
        data = await read_limited(template, max_bytes=settings.max_upload_mb * 2**20, name=name)
        if not name.lower().endswith(".docx"):
            raise UnsupportedMediaTypeError(
                "模板须为 .docx 文件 / The template must be a .docx file"
            )
        check_content_type(name, data, allowed={".docx"})
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(
        _make_draft, services, body, template=data, fmt=format, searcher=searcher
    )
