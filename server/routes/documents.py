"""Documents: upload (a background job), list with filters, show with chunks or one
article, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile

from retrieval import DocumentRecord, KnowledgeBase, SearchFilters
from server.deps import (
    EditorAccess,
    JobsDep,
    ReadScopeDep,
    ServicesDep,
    SettingsDep,
    WriteTargetDep,
)
from server.errors import NotFoundError, ServiceUnavailableError
from server.jobs import JobManager, JobSnapshot
from server.schemas import (
    ArticleOut,
    ChunkOut,
    Deleted,
    DocumentDetail,
    DocumentOut,
    DocumentPage,
    ErrorResponse,
    JobAccepted,
)
from server.services import Services
from server.uploads import check_content_type, read_limited, sanitize_filename
from textcore import parse_cn_numeral

router = APIRouter(tags=["documents"])

_ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# A deletion waits this long for a running ingest job to release the index.
_WRITE_WAIT_S = 30.0


@router.post(
    "/documents",
    status_code=202,
    response_model=JobAccepted,
    dependencies=[EditorAccess],
    responses={
        400: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        413: {"model": ErrorResponse},
        415: {"model": ErrorResponse},
    },
)
async def upload_documents(
    files: Annotated[list[UploadFile], File(description="txt, md, html, docx, pdf, doc, wps")],
    response: Response,
    settings: SettingsDep,
    services: ServicesDep,
    jobs: JobsDep,
    target: WriteTargetDep,
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
    snap = submit_writing_job(
        services,
        jobs,
        target,
        lambda kb, progress: kb.ingest_bytes(items, progress=progress),
        kind="upload",
        label=label if len(label) <= 200 else label[:199] + "…",
        files_total=len(items),
    )
    url = f"/jobs/{snap.job_id}"
    response.headers["Location"] = url
    return JobAccepted(job_id=snap.job_id, status=snap.status, url=url)


def submit_writing_job(
    services: Services,
    jobs: JobManager,
    target: str,
    work: Callable[[KnowledgeBase, Any], Any],
    **job: Any,
) -> JobSnapshot:
    """Run ``work(kb, progress)`` on knowledge base ``target`` as a background job; the
    knowledge base counts as busy (cannot be deleted) from now until the job ends."""
    writing = services.registry.writing(target)
    kb = writing.__enter__()

    def run(progress: Any) -> Any:
        try:
            return work(kb, progress)
        finally:
            writing.__exit__(None, None, None)

    try:
        return jobs.submit(run, **job)
    except BaseException:
        writing.__exit__(None, None, None)
        raise


def _sort_key(rec: DocumentRecord) -> tuple[str, str]:
    # Newest first; undated documents last; then by title for a stable order.
    return (rec.date or "", rec.title)


@router.get("/documents", response_model=DocumentPage)
def list_documents(
    services: ServicesDep,
    scope: ReadScopeDep,
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
    records = [
        (name, record)
        for name in scope
        for record in services.registry.get(name).documents(None if filters.is_empty() else filters)
    ]
    dated = sorted((r for r in records if r[1].date), key=lambda r: _sort_key(r[1]), reverse=True)
    undated = sorted((r for r in records if not r[1].date), key=lambda r: r[1].title)
    ordered = dated + undated
    page = ordered[offset : offset + limit]
    return DocumentPage(
        total=len(ordered),
        offset=offset,
        limit=limit,
        items=[DocumentOut.from_record(r, knowledge_base=name) for name, r in page],
    )


def _find(services: Services, scope: list[str], doc_id: str) -> tuple[str, KnowledgeBase]:
    for name in scope:
        kb = services.registry.get(name)
        if kb.document(doc_id) is not None:
            return name, kb
    raise NotFoundError(f"未找到该文档 / Document not found: {doc_id}")


@router.get(
    "/documents/{doc_id}", response_model=DocumentDetail, responses={404: {"model": ErrorResponse}}
)
def get_document(doc_id: str, services: ServicesDep, scope: ReadScopeDep) -> DocumentDetail:
    """One document's metadata and its chunks in order."""
    name, kb = _find(services, scope, doc_id)
    record = kb.document(doc_id)
    assert record is not None
    chunks = sorted(kb.chunks(doc_id), key=lambda s: s.chunk.index)
    return DocumentDetail(
        **DocumentOut.from_record(record, knowledge_base=name).model_dump(),
        chunks=[ChunkOut.from_stored(s) for s in chunks],
    )


@router.get(
    "/documents/{doc_id}/articles/{article}",
    response_model=ArticleOut,
    responses={404: {"model": ErrorResponse}},
)
def get_article(
    doc_id: str, article: str, services: ServicesDep, scope: ReadScopeDep
) -> ArticleOut:
    """One article of a statute, whole (what a citation 《…》第X条 opens): ``article``
    is its label (第十五条) or its number (15)."""
    name, kb = _find(services, scope, doc_id)
    record = kb.document(doc_id)
    assert record is not None
    wanted = article.strip()
    number = int(wanted) if wanted.isascii() and wanted.isdigit() else None
    pieces = sorted(
        (
            s
            for s in kb.chunks(doc_id)
            if s.chunk.article
            and (
                s.chunk.article == wanted
                or (number is not None and _article_number(s.chunk.article) == number)
            )
        ),
        key=lambda s: s.chunk.index,
    )
    if not pieces:
        raise NotFoundError(f"未找到该条文 / Article not found: {doc_id} {wanted}")
    first = pieces[0].chunk
    return ArticleOut(
        knowledge_base=name,
        doc_id=doc_id,
        title=record.title,
        article=first.article,
        # A later piece of a long article adds its list's lead-in to the path; the
        # first piece's path is the article's own place (编/章/节).
        heading_path=list(first.heading_path),
        text="\n".join(s.chunk.text for s in pieces),
        chunks=[ChunkOut.from_stored(s) for s in pieces],
    )


def _article_number(label: str) -> int | None:
    """第十五条 → 15."""
    if label.startswith("第") and label.endswith("条"):
        return parse_cn_numeral(label[1:-1])
    return None


@router.delete(
    "/documents/{doc_id}",
    response_model=Deleted,
    dependencies=[EditorAccess],
    responses={
        403: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
def delete_document(
    doc_id: str, services: ServicesDep, scope: ReadScopeDep, jobs: JobsDep
) -> Deleted:
    """Remove a document and its chunks from both indexes."""
    _, kb = _find(services, scope, doc_id)
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
