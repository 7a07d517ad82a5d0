"""The progress of a report's running parse, read from the job row the job function updates."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.jobs.models import Job
from app.reports.schemas import Progress


def parse_progress(session: Session, report_id: str) -> Progress | None:
    """None unless the report's parse job is running."""
    q = select(Job).where(col(Job.report_id) == report_id, col(Job.action) == "parse", col(Job.state) == "running")
    job = session.exec(q).first()
    if job is None:
        return None
    return Progress(stage=job.stage or "starting", pages_done=job.pages_done, pages_ocr=job.pages_ocr,
                    pages_total=job.pages_total)
