"""The embedded runner: job threads that hand parsing to a pebble process pool with a
per-report time limit and a memory cap (nothing to install, nothing to run beside it)."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from pebble import ProcessPool
from sqlalchemy.engine import Engine

from app.core.config import Settings
from app.jobs.tasks import Action, JobContext, process_report
from app.jobs.work import limit_memory, parse_and_validate
from app.parsing.model import ParsedReport
from app.reports import repository as repo
from app.store.db import session_scope
from app.store.files import FileStore
from app.validation import ValidationReport

log = logging.getLogger(__name__)
_POLL_SECONDS = 0.2


def _forkserver() -> multiprocessing.context.BaseContext:
    """Workers fork from a clean server process (never from the threaded API process),
    with the parser already imported."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["app.jobs.work"])
    return ctx


class InProcessRunner:
    def __init__(self, settings: Settings, engine: Engine, files: FileStore) -> None:
        self.settings = settings
        self.engine = engine
        self.pool = self._new_pool()
        self.threads = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="report-job")
        self.ctx = JobContext(engine=engine, files=files, parse=self._parse)
        self._lock = threading.Lock()
        self._running: dict[str, Future[str]] = {}
        self._in_pool: set[Future[tuple[ParsedReport, ValidationReport]]] = set()
        self._closed = False

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(
            max_workers=self.settings.workers,
            max_tasks=100,
            initializer=limit_memory,
            initargs=(self.settings.parse_memory_mb,),
            context=_forkserver(),
        )

    def _parse(self, data: bytes) -> tuple[ParsedReport, ValidationReport]:
        """Parse in a worker process; a broken pool is rebuilt once before giving up."""
        for attempt in (1, 2):
            with self._lock:  # closing and scheduling exclude each other: no future escapes shutdown
                if self._closed:
                    raise CancelledError("the runner is shutting down")
                pool = self.pool
                future: Future[tuple[ParsedReport, ValidationReport]] | None
                try:
                    future = pool.schedule(
                        partial(parse_and_validate, max_pages=self.settings.max_pages),
                        args=(data,),
                        timeout=self.settings.parse_timeout_seconds,
                    )
                except RuntimeError:  # the pool was stopped under us
                    future = None
                else:
                    self._in_pool.add(future)
            try:
                if future is not None:
                    return self._result(future)
            except (BrokenProcessPool, RuntimeError):
                pass
            finally:
                if future is not None:
                    with self._lock:
                        self._in_pool.discard(future)
            if self._closed:
                raise CancelledError("the runner is shutting down")
            if attempt == 2:
                raise BrokenProcessPool("the parser pool broke twice")
            log.warning("parser pool broken; starting a new one")
            with self._lock:
                if self.pool is pool:
                    pool.stop()  # type: ignore[no-untyped-call]
                    self.pool = self._new_pool()
        raise AssertionError("unreachable")

    def _result(self, future: Future[tuple[ParsedReport, ValidationReport]]) -> tuple[ParsedReport, ValidationReport]:
        """Wait for a parse, but never past shutdown: a future of a stopped pool may never
        resolve, and a job thread blocked on it would hang interpreter exit."""
        while not future.done():
            wait([future], timeout=_POLL_SECONDS)
            if self._closed and not future.done():
                future.cancel()
                raise CancelledError("the runner is shutting down")
        return future.result()

    def submit(self, report_id: str, action: Action = "parse") -> Future[str]:
        """Queue a job; a report already queued returns the job in flight."""
        with self._lock:
            current = self._running.get(report_id)
            if current is not None and not current.done():
                return current
            future = self.threads.submit(self._run, report_id, action)
            self._running[report_id] = future
        future.add_done_callback(partial(self._forget, report_id))
        return future

    def _run(self, report_id: str, action: Action) -> str:
        try:
            return process_report(self.ctx, report_id, action)
        except CancelledError:
            return "cancelled"
        except Exception:  # the database went away: the report stays queued and is retried at start-up
            log.exception("job for report %s failed", report_id)
            return "error"

    def _forget(self, report_id: str, future: Future[str]) -> None:
        with self._lock:
            if self._running.get(report_id) is future:
                del self._running[report_id]

    def recover(self) -> int:
        """Requeue reports a previous process left queued or parsing."""
        with session_scope(self.engine) as session:
            ids = [r.id for r in repo.stuck_reports(session)]
        for rid in ids:
            self.submit(rid)
        return len(ids)

    def shutdown(self) -> None:
        """Stop taking jobs and cancel the parses in flight: their reports stay queued or
        parsing and are requeued by `recover()` at the next start."""
        with self._lock:
            self._closed = True
            in_pool = list(self._in_pool)
        for future in in_pool:
            future.cancel()
        self.threads.shutdown(wait=False, cancel_futures=True)
        self.pool.stop()  # type: ignore[no-untyped-call]
        self.pool.join(timeout=10)
        self.threads.shutdown(wait=True)  # every job thread has returned: nothing is left to hang exit
