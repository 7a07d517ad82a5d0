"""JOB_QUEUE=postgres: the job queue is procrastinate on the report database. The API only
enqueues (in the transaction that records the report); `python -m app worker` processes,
on any machine that reaches the database and the file store, run `process_report`."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.config import Settings
from app.jobs import state
from app.jobs.models import Job
from app.jobs.tasks import Action, JobContext, RetryJob, process_report
from app.store.db import session_scope
from app.store.models import Report

log = logging.getLogger(__name__)
TASK = "process_report"
PRUNE_TASK = "prune_queue"
PRUNE_CRON = "*/10 * * * *"
_POLL_SECONDS = 0.25
_SCHEMA_LOCK = 7_311_011  # advisory lock: one process applies the queue's schema


def conninfo(database_url: str) -> str:
    """The libpq URL of an SQLAlchemy one (postgresql+psycopg:// → postgresql://)."""
    return "postgresql://" + database_url.split("://", 1)[1]


def make_app(settings: Settings) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url)))

    # one run per report at a time (lock), one queued job per (action, report) (queueing lock),
    # and the queue's retry policy for runs that did not finish
    @app.task(name=TASK, retry=procrastinate.RetryStrategy(max_attempts=settings.max_attempts, wait=1,
                                                           retry_exceptions={RetryJob}),
              pass_context=False)
    def run(report_id: str, action: str) -> str:
        if _worker_ctx is None:
            raise RuntimeError("this process is not a worker")
        return process_report(_worker_ctx, report_id, action)  # type: ignore[arg-type]

    # the queue's finished rows go after QUEUE_RETENTION_HOURS (the job and job_run tables keep the
    # history); the workers' periodic deferrer runs it, once per tick whichever workers are up
    @app.periodic(cron=PRUNE_CRON, periodic_id=PRUNE_TASK)
    @app.task(name=PRUNE_TASK, queue="maintenance", queueing_lock=PRUNE_TASK, pass_context=False)
    async def prune(timestamp: int) -> None:
        await prune_queue(app, settings.queue_retention_hours)

    return app


async def prune_queue(app: procrastinate.App, hours: int) -> None:
    """Delete the queue's rows of jobs that ended (any way) more than `hours` ago."""
    await app.job_manager.delete_old_jobs(nb_hours=hours, include_failed=True, include_cancelled=True,
                                          include_aborted=True)


_worker_ctx: JobContext | None = None


def set_worker_context(ctx: JobContext | None) -> None:
    global _worker_ctx
    _worker_ctx = ctx


def ensure_schema(engine: Engine) -> None:
    """Create the queue's tables once (concurrent starts wait on an advisory lock)."""
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(procrastinate.schema.SchemaManager.get_schema())


def defer(app: procrastinate.App, session: Session, job: Job) -> None:
    """Put the job on the queue inside the session's transaction."""
    raw = session.connection().connection.driver_connection
    try:
        with session.begin_nested():
            queued = app.configure_task(TASK, lock=job.report_id, queueing_lock=f"{job.action}:{job.report_id}",
                                        connection=raw).defer(report_id=job.report_id, action=job.action)
    except AlreadyEnqueued:
        return
    assert job.id is not None
    state.set_queue_id(session, job.id, queued)


def _on_queue(session: Session, queue_id: int) -> bool:
    """Whether the queue holds the job still to do or doing."""
    found = session.execute(text("SELECT 1 FROM procrastinate_jobs WHERE id = :id AND status IN ('todo', 'doing')"),
                            {"id": queue_id}).first()
    return found is not None


class QueueRunner:
    """The API side: `submit` enqueues and returns a future that resolves when the job ends
    (whichever worker runs it); the API runs no parser."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        ensure_schema(engine)
        self.app = make_app(settings)
        self._lock = threading.Lock()
        self._watched: dict[tuple[str, str], Future[str]] = {}
        self._closed = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="job-watch", daemon=True)
        self._poller.start()
        event.listen(Session, "after_flush", self._after_flush)
        event.listen(Session, "before_commit", self._before_commit)

    # a report recorded by this process gets its parse job in the same transaction
    def _after_flush(self, session: Session, _ctx: Any) -> None:
        if session.bind is not self.engine:
            return
        new = [o.id for o in session.new if isinstance(o, Report) and o.status == "queued"]
        if new:
            session.info.setdefault("new_reports", []).extend(new)

    def _before_commit(self, session: Session) -> None:
        if session.bind is not self.engine:
            return
        for rid in session.info.pop("new_reports", []):
            req = state.request(session, rid, "parse")
            if req.fresh:
                defer(self.app, session, req.job)

    def submit(self, report_id: str, action: Action = "parse") -> Future[str]:
        with session_scope(self.engine) as session:
            req = state.request(session, report_id, action)
            if req.fresh or req.job.queue_id is None:
                defer(self.app, session, req.job)
        return self._watch(report_id, action)

    def _watch(self, report_id: str, action: str) -> Future[str]:
        with self._lock:
            future = self._watched.get((report_id, action))
            if future is None or future.done():
                future = Future()
                if self._closed.is_set():
                    future.set_result("cancelled")
                    return future
                self._watched[(report_id, action)] = future
            return future

    def _poll(self) -> None:
        while not self._closed.wait(_POLL_SECONDS):
            with self._lock:
                keys = list(self._watched)
            if not keys:
                continue
            try:
                with session_scope(self.engine) as session:
                    ended = {}
                    for rid, action in keys:
                        job = state.get(session, rid, action)
                        if job is None or job.state in state.DONE:
                            ended[(rid, action)] = state.report_status(session, rid) or "missing"
            except Exception:  # the database is away for a moment: poll again
                log.exception("polling job states failed")
                continue
            with self._lock:
                for key, status in ended.items():
                    future = self._watched.pop(key, None)
                    if future is not None and not future.done():
                        future.set_result(status)

    def recover(self) -> int:
        """Put on the queue the jobs no queue holds: those an embedded runner (JOB_QUEUE=inprocess)
        left queued or running on this database before the switch to the queue, and reports queued
        before any job row existed. Jobs the queue holds are the workers' to run and retry."""
        deferred = 0
        with session_scope(self.engine) as session:
            for rid, action in state.stuck(session):
                job = state.ensure(session, rid, action)
                if job.queue_id is None or not _on_queue(session, job.queue_id):
                    defer(self.app, session, job)
                    deferred += 1
        if deferred:
            log.info("%d jobs left by an embedded runner are on the queue now", deferred)
        return deferred

    def shutdown(self) -> None:
        event.remove(Session, "after_flush", self._after_flush)
        event.remove(Session, "before_commit", self._before_commit)
        self._closed.set()
        self._poller.join(timeout=5)
        with self._lock:
            for future in self._watched.values():
                if not future.done():
                    future.set_result("cancelled")
            self._watched.clear()
