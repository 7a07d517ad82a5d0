"""`python -m app worker [--concurrency N]`: run parse jobs from the PostgreSQL queue on any
machine that reaches the database and the file store. Each parse runs in a child process
under the per-report limits; jobs of a worker that stopped heartbeating (killed, lost) are
handed back to the queue by the workers still alive."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

import procrastinate

from app.core.config import Settings, get_settings
from app.jobs import queue
from app.jobs.parsepool import ParsePool
from app.jobs.tasks import JobContext
from app.store.db import make_engine
from app.store.files import open_file_store
from app.store.migrations import upgrade

log = logging.getLogger("app.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def _retry_stalled(app: procrastinate.App, settings: Settings) -> None:
    """Every heartbeat: the running jobs of workers silent for STALLED_WORKER_SECONDS go back
    to the queue (procrastinate's stalled-job retry); their report lock is released with them."""
    while True:
        await asyncio.sleep(settings.worker_heartbeat_seconds)
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.stalled_worker_seconds):
                log.warning("retrying job %s of a stalled worker (report %s)", job.id, job.task_kwargs.get("report_id"))
                with contextlib.suppress(Exception):  # another worker retried it first
                    await app.job_manager.retry_job(job)
        except Exception:  # the database is away for a moment: try again next beat
            log.exception("stalled-job check failed")


async def _serve(app: procrastinate.App, settings: Settings, concurrency: int) -> None:
    async with app.open_async():
        sweeper = asyncio.create_task(_retry_stalled(app, settings))
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                name=worker_name(),
                update_heartbeat_interval=settings.worker_heartbeat_seconds,
                stalled_worker_timeout=settings.stalled_worker_seconds,
                install_signal_handlers=True,
            )
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper


def run(concurrency: int | None = None, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    if not settings.database_url.startswith("postgresql"):
        log.error("the worker needs a postgresql:// DATABASE_URL (the PostgreSQL job queue)")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    n = concurrency or settings.workers
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    queue.ensure_schema(engine)
    files = open_file_store(settings.file_store, settings.files_dir)
    parser = ParsePool(settings, n)
    queue.set_worker_context(JobContext(engine=engine, files=files, parser=parser, worker=worker_name(),
                                        max_attempts=settings.max_attempts))
    log.info("worker %s: concurrency %d", worker_name(), n)
    try:
        asyncio.run(_serve(queue.make_app(settings), settings, n))
    finally:
        parser.shutdown()
        queue.set_worker_context(None)
        engine.dispose()
    return 0
