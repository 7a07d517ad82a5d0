"""Job tables: one `job` row per (report, action) whose state transitions are guarded in the
database, and one `job_run` row per attempt (which worker, how long, how many pages, outcome)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("report_id", "action", name="uq_job_report_action"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="report.id", max_length=64, ondelete="CASCADE")
    action: str = Field(max_length=16)  # parse, validate
    state: str = Field(index=True, max_length=16)  # queued, running, succeeded, failed
    attempts: int = 0  # runs started since the last request (MAX_ATTEMPTS is checked against it)
    worker: str | None = Field(default=None, max_length=128)
    stage: str | None = Field(default=None, max_length=32)
    pages_total: int | None = None
    pages_done: int | None = None
    pages_ocr: int | None = None  # of pages_done, those read by OCR (scanned pages)
    queue_id: int | None = None  # the PostgreSQL queue's job id, when JOB_QUEUE=postgres
    outcome: str | None = Field(default=None, max_length=64)
    created_at: datetime
    updated_at: datetime


class JobRun(SQLModel, table=True):
    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True, ondelete="CASCADE")
    report_id: str = Field(max_length=64, index=True)
    action: str = Field(max_length=16)
    worker: str = Field(max_length=128, index=True)
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=64)  # parsed, validated, failed:<code>, retry, cancelled
    seconds: float | None = None
    pages: int | None = None
