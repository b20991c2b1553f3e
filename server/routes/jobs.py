"""``GET /jobs`` and ``GET /jobs/{id}``: progress of background ingest jobs."""

from __future__ import annotations

from fastapi import APIRouter

from server.deps import JobsDep
from server.errors import NotFoundError
from server.schemas import ErrorResponse, JobList, JobOut

router = APIRouter(tags=["jobs"])


@router.get("/jobs", response_model=JobList)
def list_jobs(jobs: JobsDep) -> JobList:
    """Recent jobs, newest first (finished ones are forgotten after a while)."""
    return JobList(items=[JobOut.from_snapshot(s) for s in jobs.recent()])


@router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {"model": ErrorResponse}})
def get_job(job_id: str, jobs: JobsDep) -> JobOut:
    """Status (queued/running/done/failed), files done/total, chunks, failures with reasons."""
    snap = jobs.get(job_id)
    if snap is None:
        raise NotFoundError(f"未找到该任务 / Job not found: {job_id}")
    return JobOut.from_snapshot(snap)
