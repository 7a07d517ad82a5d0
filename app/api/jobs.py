"""/jobs: the job table (admin scope, like every path in `app.auth.ADMIN_PATHS`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.api.deps import SessionDep
from app.jobs import state
from app.reports.record import iso


class JobOut(BaseModel):
    id: int
    report_id: str
    action: Literal["parse", "validate"]
    state: Literal["queued", "running", "succeeded", "failed"]
    attempts: int
    worker: str | None
    stage: str | None
    pages_total: int | None
    pages_done: int | None
    pages_ocr: int | None
    outcome: str | None
    queue_id: int | None
    created_at: str
    updated_at: str


class JobList(BaseModel):
    data: list[JobOut]


router = APIRouter(prefix="/jobs", tags=["jobs"])


def _iso(dt: datetime) -> str:
    return iso(dt)


@router.get("", operation_id="list_jobs", response_model=JobList)
def list_jobs(
    session: SessionDep,
    state_: Annotated[Literal["queued", "running", "succeeded", "failed"] | None, Query(alias="state")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JobList:
    """Parse and validate jobs, most recently changed first, with the progress of running ones."""
    rows = state.list_jobs(session, state=state_, limit=limit)
    return JobList(data=[JobOut(id=j.id or 0, report_id=j.report_id, action=j.action,  # type: ignore[arg-type]
                                state=j.state, attempts=j.attempts, worker=j.worker,  # type: ignore[arg-type]
                                stage=j.stage, pages_total=j.pages_total, pages_done=j.pages_done,
                                pages_ocr=j.pages_ocr, outcome=j.outcome, queue_id=j.queue_id,
                                created_at=_iso(j.created_at), updated_at=_iso(j.updated_at)) for j in rows])
