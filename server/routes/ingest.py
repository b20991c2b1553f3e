"""``POST /ingest``: index folders that already sit on the server, as a background job."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Response

from ingest import iter_files
from server.deps import JobsDep, ServicesDep, SettingsDep, WriteTargetDep
from server.errors import BadRequestError, ForbiddenError
from server.routes.documents import submit_writing_job
from server.schemas import ErrorResponse, IngestRequest, JobAccepted
from server.settings import Settings

router = APIRouter(tags=["documents"])


def resolve_ingest_path(raw: str, settings: Settings) -> Path:
    """The real path ``raw`` names, which must lie inside one of ``settings.ingest_roots``.

    Relative paths are taken against each root in turn. Symlinks and ``..`` are
    resolved before the containment check, so neither can lead outside a root."""
    roots = [root.resolve() for root in settings.ingest_roots]
    if not roots:
        raise ForbiddenError(
            "服务器未开放目录导入（请设置 KB_INGEST_ROOTS） / "
            "Server-side ingest is disabled (set KB_INGEST_ROOTS)",
            code="ingest_disabled",
        )
    if not raw.strip() or "\x00" in raw:
        raise BadRequestError("路径无效 / Invalid path", code="bad_path")
    given = Path(raw)
    candidates = [given] if given.is_absolute() else [root / given for root in roots]
    for candidate in candidates:
        resolved = candidate.resolve()
        if not any(resolved.is_relative_to(root) for root in roots):
            raise ForbiddenError(
                f"路径不在允许的导入目录内 / Path is outside the allowed ingest roots: {raw}",
                code="path_not_allowed",
            )
        if resolved.exists():
            return resolved
    raise BadRequestError(f"路径不存在 / Path not found: {raw}", code="path_not_found")


@router.post(
    "/ingest",
    status_code=202,
    response_model=JobAccepted,
    responses={400: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)
def ingest_paths(
    body: IngestRequest,
    response: Response,
    settings: SettingsDep,
    services: ServicesDep,
    jobs: JobsDep,
    target: WriteTargetDep,
) -> JobAccepted:
    """Index server-side files or folders (only under ``KB_INGEST_ROOTS``); unchanged files are skipped."""
    paths = [resolve_ingest_path(raw, settings) for raw in body.paths]
    prune = body.prune
    # Counting up front lets the progress bar show n/total before the first file is done.
    files_total = sum(1 for _ in iter_files(paths))
    snap = submit_writing_job(
        services,
        jobs,
        target,
        lambda kb, progress: kb.ingest(paths, progress=progress, prune=prune),
        kind="folder",
        label="、".join(body.paths)[:200],
        files_total=files_total,
    )
    url = f"/jobs/{snap.job_id}"
    response.headers["Location"] = url
    return JobAccepted(job_id=snap.job_id, status=snap.status, url=url)
