"""The embedded runner (JOB_QUEUE=inprocess): job threads that hand parsing to a process pool
with the per-report limits; nothing to install, nothing to run beside it. Jobs are keyed by
(report, action) in the database, so no sequence of requests can strand a report."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.jobs import state
from app.jobs.parsepool import ParsePool
from app.jobs.tasks import Action, JobContext, RetryJob, process_report
from app.store.db import session_scope
from app.store.files import BlobStore

log = logging.getLogger(__name__)


class InProcessRunner:
    def __init__(self, settings: Settings, engine: Engine, files: BlobStore) -> None:
        self.settings = settings
        self.engine = engine
        self.parser = ParsePool(settings, settings.workers)
        self.threads = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="report-job")
        self.ctx = JobContext(engine=engine, files=files, parser=self.parser, max_attempts=settings.max_attempts)
        self._lock = threading.Lock()
        self._running: dict[tuple[str, Action], Future[str]] = {}
        self._closed = False

    @property
    def _in_pool(self) -> set[Future[Any]]:
        return self.parser._in_pool

    def _result(self, future: Future[Any]) -> Any:
        return self.parser.result(future)

    def submit(self, report_id: str, action: Action = "parse") -> Future[str]:
        """Request the (report, action) job; a job already queued or running is returned, never doubled."""
        with session_scope(self.engine) as session:
            state.request(session, report_id, action)
        return self._start(report_id, action)

    def _start(self, report_id: str, action: Action) -> Future[str]:
        key = (report_id, action)
        with self._lock:
            current = self._running.get(key)
            if current is not None and not current.done():
                return current
            if self._closed:
                cancelled: Future[str] = Future()
                cancelled.set_result("cancelled")
                return cancelled
            future = self.threads.submit(self._run, report_id, action)
            self._running[key] = future
        future.add_done_callback(partial(self._forget, key))
        return future

    def _run(self, report_id: str, action: Action) -> str:
        while True:
            try:
                return process_report(self.ctx, report_id, action)
            except RetryJob as exc:
                if self._closed:
                    return "cancelled"  # queued again: the next start runs it
                log.warning("job for report %s runs again: %s", report_id, exc)  # bounded by MAX_ATTEMPTS
            except Exception:  # the database went away: the job stays queued and is retried at start-up
                log.exception("job for report %s failed", report_id)
                return "error"

    def _forget(self, key: tuple[str, Action], future: Future[str]) -> None:
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]

    def recover(self) -> int:
        """Run the jobs a previous process left queued or running (their attempts count on)."""
        with session_scope(self.engine) as session:
            pairs = state.stuck(session)
            for rid, action in pairs:
                state.ensure(session, rid, action)
        for rid, action in pairs:
            self._start(rid, action)  # type: ignore[arg-type]
        return len(pairs)

    def shutdown(self) -> None:
        """Stop taking jobs and cancel the parses in flight: their jobs are queued again and
        run by `recover()` at the next start."""
        with self._lock:
            self._closed = True
        self.threads.shutdown(wait=False, cancel_futures=True)
        self.parser.shutdown()
        self.threads.shutdown(wait=True)  # every job thread has returned: nothing is left to hang exit
