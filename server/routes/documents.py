"""Documents: upload (a background job), list with filters, show with chunks, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from retrieval import DocumentRecord, SearchFilters
from server.deps import JobsDep, KnowledgeBaseDep, SettingsDep
from server.errors import NotFoundError, ServiceUnavailableError
from server.schemas import (
    ChunkOut,
    Deleted,
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    ErrorResponse,
    JobAccepted,
)
from server.uploads import check_content_type, read_limited, sanitize_filename

router = APIRouter(tags=["documents"])

_ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# A deletion waits this long for a running ingest job to release the index.
_WRITE_WAIT_S = 30.0


@router.post(
    "/documents",
    status_code=202,
    response_model=JobAccepted,
    responses={
        400: {"model": ErrorResponse},
        413: {"model": ErrorResponse},
        415: {"model": ErrorResponse},
    },
)
async def upload_documents(
    files: Annotated[list[UploadFile], File(description="txt, md, html, docx, pdf, doc, wps")],
    response: Response,
    settings: SettingsDep,
    jobs: JobsDep,
    kb: KnowledgeBaseDep,
) -> JobAccepted:
    """Index uploaded files in the background; poll ``GET /jobs/{job_id}`` for progress.

    Every file is checked first (safe name, size, content matching its type): one bad
    file rejects the request, so nothing is half-uploaded."""
    max_bytes = settings.max_upload_mb * 2**20
    items: list[tuple[str, bytes]] = []
    for upload in files:
        name = sanitize_filename(upload.filename)
        data = await read_limited(upload, max_bytes=max_bytes, name=name)
        check_content_type(name, data)
        items.append((name, data))
    label = "、".join(name for name, _ in items)
    snap = jobs.submit(
        lambda progress: kb.ingest_bytes(items, progress=progress),
        kind="upload",
        label=label if len(label) <= 200 else label[:199] + "…",
        files_total=len(items),
    )
    url = f"/jobs/{snap.job_id}"
    response.headers["Location"] = url
    return JobAccepted(job_id=snap.job_id, status=snap.status, url=url)


def _sort_key(rec: DocumentRecord) -> tuple[str, str]:
    # Newest first; undated documents last; then by title for a stable order.
    return (rec.date or "", rec.title)


@router.get("/documents", response_model=DocumentPage)
def list_documents(
    kb: KnowledgeBaseDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    doc_type: Annotated[str | None, Query(max_length=40)] = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    date_from: Annotated[str | None, Query(pattern=_ISO_DATE)] = None,
    date_to: Annotated[str | None, Query(pattern=_ISO_DATE)] = None,
) -> DocumentPage:
    """Indexed documents, newest first, a page at a time, filtered by type, region and date."""
    filters = SearchFilters(
        doc_types=(doc_type,) if doc_type else (),
        regions=(region,) if region else (),
        date_from=date_from,
        date_to=date_to,
    )
    records = kb.documents(None if filters.is_empty() else filters)
    dated = sorted((r for r in records if r.date), key=_sort_key, reverse=True)
    undated = sorted((r for r in records if not r.date), key=lambda r: r.title)
    ordered = dated + undated
    page = ordered[offset : offset + limit]
    return DocumentPage(
        total=len(ordered),
        offset=offset,
        limit=limit,
        items=[DocumentOut.from_record(r) for r in page],
    )


@router.get(
    "/documents/{doc_id}", response_model=DocumentDetail, responses={404: {"model": ErrorResponse}}
)
def get_document(doc_id: str, kb: KnowledgeBaseDep) -> DocumentDetail:
    """One document's metadata and its chunks in order."""
    record = kb.document(doc_id)
    if record is None:
        raise NotFoundError(f"未找到该文档 / Document not found: {doc_id}")
    chunks = sorted(kb.chunks(doc_id), key=lambda s: s.chunk.index)
    return DocumentDetail(
        **DocumentOut.from_record(record).model_dump(),
        chunks=[ChunkOut.from_stored(s) for s in chunks],
    )


@router.delete(
    "/documents/{doc_id}",
    response_model=Deleted,
    responses={404: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
def delete_document(doc_id: str, kb: KnowledgeBaseDep, jobs: JobsDep) -> Deleted:
    """Remove a document and its chunks from both indexes."""
    if not jobs.write_lock.acquire(timeout=_WRITE_WAIT_S):
        raise ServiceUnavailableError(
            "索引正在更新，请稍后重试 / The index is busy, try again shortly"
        )
    try:
        removed = kb.remove(doc_id)
    finally:
        jobs.write_lock.release()
    if not removed:
        raise NotFoundError(f"未找到该文档 / Document not found: {doc_id}")
    return Deleted(doc_id=doc_id, deleted=True)
