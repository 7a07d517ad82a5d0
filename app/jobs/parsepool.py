"""A pool of parser processes with the per-report limits (pages, seconds, memory), used by the
embedded runner and by each `python -m app worker`. Nobody ever waits on it past shutdown."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

from pebble import ProcessPool

from app.core.config import Settings
from app.jobs.work import ParserOutOfMemory, PdfTooComplex, bomb_stream, count_pages, limit_memory, parse_and_validate
from app.parsing.errors import ParseError
from app.parsing.model import ParsedReport
from app.validation import ValidationReport

log = logging.getLogger(__name__)
_POLL_SECONDS = 0.2
T = TypeVar("T")


def _forkserver() -> multiprocessing.context.BaseContext:
    """Parser processes fork from a clean server process (never from a threaded process),
    with the parser already imported."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["app.jobs.work"])
    return ctx


class ParsePool:
    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings = settings
        self.processes = processes
        self._lock = threading.Lock()
        self._in_pool: set[Future[Any]] = set()
        self._closed = False
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(max_workers=self.processes, max_tasks=100, initializer=limit_memory,
                           initargs=(self.settings.parse_memory_mb,), context=_forkserver())

    @property
    def closed(self) -> bool:
        return self._closed

    def pages(self, data: bytes) -> int:
        """The page count, refusing a file over MAX_PAGES, in a parser process."""
        return self._run(partial(count_pages, max_pages=self.settings.max_pages), data)

    def death(self, data: bytes, exitcode: int | None) -> ParseError | None:
        """Why a parser process died on `data`, when the cause is the file under this pool's memory
        limit (final: a retry under the same limit dies the same way); None for any other death.
        A stream that inflates beyond the limit is a bomb; an abort (SIGABRT: pdfium and the C++
        runtime abort when an allocation fails under the address-space cap) is the report needing
        more memory than PARSE_MEMORY_MB."""
        limit = self.settings.parse_memory_mb
        if (why := bomb_stream(data, limit << 20)) is not None:
            return PdfTooComplex(why)
        if exitcode == -signal.SIGABRT:
            return ParserOutOfMemory(f"the parser process aborted on an allocation beyond the per-report "
                                     f"memory limit (PARSE_MEMORY_MB={limit})")
        return None

    def parse(self, data: bytes, job_id: int | None = None) -> tuple[ParsedReport, ValidationReport]:
        """Parse and validate in a parser process; with `job_id`, that job's pages_done follows."""
        progress = (self.settings.database_url, job_id) if job_id is not None else None
        return self._run(partial(parse_and_validate, max_pages=self.settings.max_pages, progress=progress), data)

    def _run(self, fn: Callable[[bytes], T], data: bytes) -> T:
        """Run in a parser process; a broken pool is rebuilt once before giving up."""
        for attempt in (1, 2):
            with self._lock:  # closing and scheduling exclude each other: no future escapes shutdown
                if self._closed:
                    raise CancelledError("the parser pool is shutting down")
                pool = self.pool
                future: Future[T] | None
                try:
                    future = pool.schedule(fn, args=(data,), timeout=self.settings.parse_timeout_seconds)
                except RuntimeError:  # the pool was stopped under us
                    future = None
                else:
                    self._in_pool.add(future)
            try:
                if future is not None:
                    return self.result(future)
            except (BrokenProcessPool, RuntimeError):
                pass
            finally:
                if future is not None:
                    with self._lock:
                        self._in_pool.discard(future)
            if self._closed:
                raise CancelledError("the parser pool is shutting down")
            if attempt == 2:
                raise BrokenProcessPool("the parser pool broke twice")
            log.warning("parser pool broken; starting a new one")
            with self._lock:
                if self.pool is pool:
                    pool.stop()  # type: ignore[no-untyped-call]
                    self.pool = self._new_pool()
        raise AssertionError("unreachable")

    def result(self, future: Future[T]) -> T:
        """Wait for a parse, but never past shutdown: a future of a stopped pool may never
        resolve, and a thread blocked on it would hang interpreter exit."""
        while not future.done():
            wait([future], timeout=_POLL_SECONDS)
            if self._closed and not future.done():
                future.cancel()
                raise CancelledError("the parser pool is shutting down")
        return future.result()

    def shutdown(self) -> None:
        """Cancel the parses in flight (their waiters get CancelledError) and stop the processes."""
        with self._lock:
            self._closed = True
            in_pool = list(self._in_pool)
        for future in in_pool:
            future.cancel()
        self.pool.stop()  # type: ignore[no-untyped-call]
        self.pool.join(timeout=10)
