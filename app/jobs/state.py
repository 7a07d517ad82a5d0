"""Job state in the database. Every transition is a guarded UPDATE, so any number of API
processes and workers agree on who does what: a job is requested once per (report, action)
while it is queued or running, claimed by one runner at a time, and always ends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.jobs.models import Job, JobRun
from app.reports import repository as repo
from app.store.models import Report

ACTIVE = ("queued", "running")
DONE = ("succeeded", "failed")


@dataclass(frozen=True)
class Requested:
    job: Job
    fresh: bool  # False: the same job was already queued or running


def request(session: Session, report_id: str, action: str) -> Requested:
    """Queue (report, action) unless it is queued or running already. A new request starts
    with no attempts."""
    job = get(session, report_id, action)
    if job is None:
        now = repo.now()
        try:
            with session.begin_nested():
                job = Job(report_id=report_id, action=action, state="queued", created_at=now, updated_at=now)
                session.add(job)
                session.flush()
            return Requested(job, fresh=True)
        except IntegrityError:  # another process requested it at the same moment
            job = get(session, report_id, action)
            assert job is not None
            return Requested(job, fresh=False)
    moved = session.execute(
        update(Job).where(col(Job.id) == job.id, col(Job.state).in_(DONE))
        .values(state="queued", attempts=0, outcome=None, stage=None, pages_done=None, pages_ocr=None,
                updated_at=repo.now())
    ).rowcount  # type: ignore[attr-defined]
    session.refresh(job)
    return Requested(job, fresh=bool(moved))


def ensure(session: Session, report_id: str, action: str) -> Job:
    """The job of a report left queued by a stopped process (attempts kept)."""
    job = get(session, report_id, action)
    return job if job is not None and job.state in ACTIVE else request(session, report_id, action).job


def claim(session: Session, report_id: str, action: str, worker: str) -> tuple[Job, JobRun] | None:
    """Start a run: queued → running (or running → running, for the job of a runner that died,
    handed over by the queue's stalled-job retry). None: nothing to do."""
    moved = session.execute(
        update(Job).where(col(Job.report_id) == report_id, col(Job.action) == action, col(Job.state).in_(ACTIVE))
        .values(state="running", worker=worker, attempts=Job.attempts + 1, stage="starting", updated_at=repo.now())
    ).rowcount  # type: ignore[attr-defined]
    if not moved:
        return None
    job = get(session, report_id, action)
    assert job is not None and job.id is not None
    session.refresh(job)
    run = JobRun(job_id=job.id, report_id=report_id, action=action, worker=worker, started_at=repo.now())
    session.add(run)
    session.flush()
    return job, run


def progress(session: Session, job_id: int, **fields: object) -> None:
    session.execute(update(Job).where(col(Job.id) == job_id).values(updated_at=repo.now(), **fields))


def finish(session: Session, job: Job, run: JobRun, *, state: str, outcome: str, pages: int | None = None) -> None:
    """End a run; `state` queued hands the job back (a retry or a shutdown), else it is done."""
    now = repo.now()
    session.execute(update(Job).where(col(Job.id) == job.id, col(Job.state) == "running")
                    .values(state=state, outcome=outcome, stage="done" if state in DONE else "queued",
                            updated_at=now))
    session.execute(update(JobRun).where(col(JobRun.id) == run.id)
                    .values(finished_at=now, outcome=outcome, pages=pages,
                            seconds=(now - run.started_at).total_seconds()))


def set_queue_id(session: Session, job_id: int, queue_id: int) -> None:
    session.execute(update(Job).where(col(Job.id) == job_id).values(queue_id=queue_id))


def stuck(session: Session) -> list[tuple[str, str]]:
    """(report, action) pairs a stopped process left queued or running, including reports
    queued before any job row existed."""
    pairs = {(j.report_id, j.action) for j in session.exec(select(Job).where(col(Job.state).in_(ACTIVE))).all()}
    pairs |= {(r.id, "parse") for r in repo.stuck_reports(session)}
    return sorted(pairs)


def list_jobs(session: Session, *, state: str | None, limit: int) -> Sequence[Job]:
    q = select(Job)
    if state:
        q = q.where(Job.state == state)
    return session.exec(q.order_by(col(Job.updated_at).desc(), col(Job.id).desc()).limit(limit)).all()


def runs_of(session: Session, report_id: str) -> Sequence[JobRun]:
    return session.exec(select(JobRun).where(JobRun.report_id == report_id).order_by(col(JobRun.id))).all()


def get(session: Session, report_id: str, action: str) -> Job | None:
    return session.exec(select(Job).where(Job.report_id == report_id, Job.action == action)).first()


def report_status(session: Session, report_id: str) -> str | None:
    report = session.get(Report, report_id)
    return None if report is None else report.status
