"""Proofreading: a user's .docx (multipart) or text (JSON) in, findings or the
.docx with Word comments out. The upload is read in memory and not kept unless
``keep=true``."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from fastapi import APIRouter, Query, Request
from fastapi import UploadFile as FastAPIUploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from server.deps import ServicesDep, SettingsDep
from server.errors import (
    ApiError,
    BadRequestError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
)
from server.routes.drafts import DOCX_MEDIA_TYPE, content_disposition
from server.schemas import ErrorResponse, ProofreadOut, ProofreadTextIn
from server.services import Services
from server.uploads import read_limited, sanitize_filename

if TYPE_CHECKING:
    from drafting.proofread import ProofDocument, ProofreadReport

router = APIRouter(tags=["proofread"])
log = logging.getLogger(__name__)

_FORMAT_DOC = (
    "`json` (default) returns the findings; `docx` returns the uploaded .docx with the "
    "findings as Word comments (only for a .docx upload)."
)
_REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        # inline: the model is parsed by hand, so FastAPI does not register it
        "application/json": {"schema": ProofreadTextIn.model_json_schema()},
    },
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The findings, or with format=docx the commented .docx.",
        "content": {DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    },
    400: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    415: {"model": ErrorResponse},
}


class _Unprocessable(ApiError):
    status_code = 422
    code = "unreadable_document"


def _translate(exc: Exception) -> ApiError:
    """A ``ProofreadInputError`` as the HTTP error that says the same thing."""
    from drafting.proofread import (
        CorruptDocxError,
        DocumentTooLongError,
        EncryptedDocxError,
        NotDocxError,
    )

    message = f"{exc} / The document cannot be proofread"
    if isinstance(exc, NotDocxError):
        return UnsupportedMediaTypeError(message, code="not_docx")
    if isinstance(exc, EncryptedDocxError):
        return _Unprocessable(message, code="encrypted_document")
    if isinstance(exc, CorruptDocxError):
        return _Unprocessable(message, code="corrupt_document")
    if isinstance(exc, DocumentTooLongError):
        return PayloadTooLargeError(message, code="document_too_long")
    return BadRequestError(message)


def _keep(settings_dir: Path, name: str, data: bytes) -> str:
    folder = settings_dir / "proofread"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now():%Y%m%d-%H%M%S}-{name}"
    path.write_bytes(data)
    return str(path.relative_to(settings_dir.parent))


def _commented_name(name: str) -> str:
    stem = re.sub(r"\.docx$", "", name, flags=re.IGNORECASE)
    return f"{stem}（审校意见）.docx"


def _run_docx(
    services: Services, data: bytes, *, check_figures: bool, want_docx: bool
) -> tuple[ProofDocument, ProofreadReport, bytes | None]:
    from drafting.proofread import ProofreadInputError, annotate_docx, read_docx

    try:
        document = read_docx(data)
    except ProofreadInputError as exc:
        raise _translate(exc) from exc
    report = services.proofread(document, check_figures=check_figures)
    commented = annotate_docx(data, report.findings) if want_docx else None
    return document, report, commented


@router.post(
    "/proofread",
    response_model=ProofreadOut,
    responses=_RESPONSES,
    openapi_extra={"requestBody": _REQUEST_BODY},
)
async def proofread_document(
    request: Request,
    services: ServicesDep,
    settings: SettingsDep,
    format: Annotated[Literal["json", "docx"], Query(description=_FORMAT_DOC)] = "json",
    keep: Annotated[
        bool, Query(description="Store the upload under the data folder (default: not kept).")
    ] = False,
    check_figures: Annotated[
        bool, Query(description="Compare each figure with the knowledge base.")
    ] = True,
) -> Any:
    """Proofread a 公文 (文稿审校): layout (GB/T 9704), structure, punctuation, wording
    and figures against the knowledge base. Send a .docx as multipart field ``file``,
    or ``{"text": …}`` as JSON."""
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("application/json"):
        if format == "docx":
            raise BadRequestError(
                "文本没有可批注的 .docx，请上传 .docx 文件 / format=docx needs a .docx upload"
            )
        try:
            body = ProofreadTextIn.model_validate_json(await request.body())
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise BadRequestError(
                f"请求参数不合法 / Invalid request: {problems}", code="validation_error"
            ) from exc
        from drafting.proofread import document_from_text

        document = document_from_text(body.text)
        report = await run_in_threadpool(
            services.proofread, document, check_figures=body.check_figures
        )
        return ProofreadOut.from_report(report)
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMediaTypeError(
            "请以 multipart/form-data 上传 .docx（字段 file），或以 JSON 提交 text / "
            "Send a .docx as multipart field 'file' or JSON {\"text\": ...}"
        )
    async with request.form(max_files=1, max_fields=5) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequestError("缺少上传文件（字段 file） / Missing the 'file' field")
        name = sanitize_filename(upload.filename or "document.docx")
        # starlette's UploadFile is what the form holds; fastapi's only subclasses it
        data = await read_limited(
            cast(FastAPIUploadFile, upload), max_bytes=settings.max_upload_mb * 2**20, name=name
        )
    if not data:
        raise BadRequestError(f"文件为空：{name} / Empty file: {name}", code="empty_file")
    document, report, commented = await run_in_threadpool(
        _run_docx, services, data, check_figures=check_figures, want_docx=format == "docx"
    )
    kept_as = _keep(settings.uploads_dir, name, data) if keep else None
    if commented is not None:
        headers = {
            "Content-Disposition": content_disposition(_commented_name(name)),
            "X-Proofread-Errors": str(report.errors),
            "X-Proofread-Findings": str(len(report.findings)),
        }
        return Response(content=commented, media_type=DOCX_MEDIA_TYPE, headers=headers)
    return ProofreadOut.from_report(
        report, filename=name, tables=document.tables, images=document.images, kept_as=kept_as
    )
