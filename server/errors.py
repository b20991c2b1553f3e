"""HTTP errors: one JSON shape, a bilingual message, the right status, never a stack trace.

Every error the API returns looks like
``{"error": {"code": "file_too_large", "message": "文件过大 / File too large"}}``.
Routes raise :class:`ApiError` for HTTP-only problems (auth, paths, uploads) and
otherwise let the packages' errors escape: every one of them is a
``textcore.KbError``, and :data:`ERROR_TABLE` below is the one place that says
which status and code each class gets. The handlers installed by
:func:`install_error_handlers` translate everything else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from answer import GenerationError
from drafting import PdfConversionError, PeriodError, TemplateError, UnknownDocumentTypeError
from ingest import (
    ConverterMissingError,
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from retrieval import EmbeddingServiceError, ModelPreparationError, SearchRequestError
from textcore import InvalidRequestError, KbError, ServiceFailureError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error with a status, a machine-readable code and a ``中文 / English`` message."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.headers = headers


class BadRequestError(ApiError):
    status_code = 400
    code = "bad_request"


class UnauthorizedError(ApiError):
    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str = "需要有效的访问令牌 / A valid API token is required") -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class ForbiddenError(ApiError):
    status_code = 403
    code = "forbidden"


class NotFoundError(ApiError):
    status_code = 404
    code = "not_found"


class ConflictError(ApiError):
    status_code = 409
    code = "conflict"


class PayloadTooLargeError(ApiError):
    status_code = 413
    code = "file_too_large"


class UnsupportedMediaTypeError(ApiError):
    status_code = 415
    code = "unsupported_type"


class ServiceUnavailableError(ApiError):
    status_code = 503
    code = "service_unavailable"


# Which failure means what over HTTP, most specific class first (the first match
# wins). The exception's own message is written for a person, so it is passed on
# after the bilingual prefix.
ERROR_TABLE: tuple[tuple[type[KbError], int, str, str], ...] = (
    (FileTooLargeError, 413, "file_too_large", "文件过大 / File too large"),
    (UnsupportedFormatError, 415, "unsupported_type", "不支持的文件类型 / Unsupported file type"),
    (CorruptFileError, 415, "corrupt_file", "文件已损坏或格式不符 / Damaged or mislabelled file"),
    (EmptyDocumentError, 400, "empty_document", "文件中没有可用文本 / No usable text"),
    (ConverterMissingError, 503, "converter_missing", "缺少转换程序 / Converter not installed"),
    (UnknownDocumentTypeError, 400, "unknown_document_type", "未知的文种 / Unknown document type"),
    (PeriodError, 400, "bad_period", "时间段无法识别 / Unreadable period"),
    (TemplateError, 400, "bad_template", "模板无法使用 / Unusable template"),
    (SearchRequestError, 400, "bad_search", "检索参数有误 / Bad search request"),
    (InvalidRequestError, 400, "bad_request", "请求有误 / Bad request"),
    (GenerationError, 503, "generation_failed", "生成回答失败 / Answering failed"),
    (EmbeddingServiceError, 503, "embedding_failed", "向量服务失败 / Embedding service failed"),
    (ModelPreparationError, 503, "model_unavailable", "模型不可用 / Model unavailable"),
    (PdfConversionError, 503, "pdf_failed", "PDF 转换失败 / PDF conversion failed"),
    (ServiceFailureError, 503, "service_unavailable", "服务暂不可用 / Service unavailable"),
    (IngestError, 400, "ingest_failed", "无法读取文件 / Cannot read the file"),
)


def to_api_error(exc: KbError) -> ApiError:
    """The HTTP error that says the same as a package's error (``ERROR_TABLE``)."""
    for kind, status, code, prefix in ERROR_TABLE:
        if isinstance(exc, kind):
            err = ApiError(f"{prefix}: {exc}", code=code)
            err.status_code = status
            return err
    err = ApiError("服务器内部错误 / Internal server error", code="internal_error")
    err.status_code = 500
    return err


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one JSON shape of every error response."""
    return {"error": {"code": code, "message": message, **extra}}


_STATUS_TEXT = {
    400: ("bad_request", "请求有误 / Bad request"),
    401: ("unauthorized", "需要有效的访问令牌 / A valid API token is required"),
    403: ("forbidden", "无权访问 / Forbidden"),
    404: ("not_found", "未找到 / Not found"),
    405: ("method_not_allowed", "不支持该请求方法 / Method not allowed"),
    413: ("file_too_large", "请求过大 / Request too large"),
    415: ("unsupported_type", "不支持的类型 / Unsupported media type"),
    422: ("validation_error", "请求参数不合法 / Invalid request"),
    503: ("service_unavailable", "服务暂不可用 / Service unavailable"),
}


def _status_error(status: int, detail: Any) -> tuple[str, str]:
    code, default = _STATUS_TEXT.get(status, ("http_error", f"HTTP {status}"))
    # Starlette's own details ("Not Found") are English only; keep our bilingual text then.
    if isinstance(detail, str) and ("/" in detail or not detail.isascii()):
        return code, detail
    return code, default


def install_error_handlers(app: FastAPI) -> None:
    """Register handlers so that every failure leaves as ``{"error": {...}}``."""

    async def on_api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return JSONResponse(
            error_body(exc.code, exc.message), status_code=exc.status_code, headers=exc.headers
        )

    async def on_package_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, KbError)
        api_error = to_api_error(exc)
        if api_error.status_code >= 500:
            log.warning(
                "%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc
            )
        return await on_api_error(request, api_error)

    async def on_http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code, message = _status_error(exc.status_code, exc.detail)
        return JSONResponse(
            error_body(code, message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def on_validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        details = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "problem": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:5])
        return JSONResponse(
            error_body(
                "validation_error",
                f"请求参数不合法 / Invalid request: {summary}",
                details=details,
            ),
            status_code=422,
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the log for the operator, never to the client.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body("internal_error", "服务器内部错误 / Internal server error"),
            status_code=500,
        )

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(KbError, on_package_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
