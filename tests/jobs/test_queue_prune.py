"""JOB_QUEUE=postgres: the queue's rows of jobs that ended long ago are pruned by a periodic task the
workers run; queued jobs and recent ones stay (the job and job_run tables keep the history)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.core.config import Settings
from app.jobs.queue import PRUNE_TASK, TASK, ensure_schema, make_app, prune_queue
from tests.conftest import POSTGRES_URL, need, postgres_available, reset_postgres

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _sql(query: str, **params: object) -> list[tuple]:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(query), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


async def test_finished_queue_rows_older_than_the_retention_are_pruned(tmp_path: Path) -> None:
    need(postgres_available(), f"PostgreSQL not reachable at {POSTGRES_URL}")
    reset_postgres()
    settings = Settings(database_url=POSTGRES_URL, job_queue="postgres", data_dir=tmp_path, queue_retention_hours=48)
    engine = create_engine(settings.database_url)
    ensure_schema(engine)
    engine.dispose()
    app = make_app(settings)
    assert (PRUNE_TASK, PRUNE_TASK) in app.periodic_registry.periodic_tasks  # the workers defer it
    async with app.open_async():
        ids = {}
        for name in ("old_done", "old_failed", "recent_done", "old_queued"):
            ids[name] = await app.configure_task(TASK, queueing_lock=name).defer_async(report_id=name, action="parse")
        for name, end in (("old_done", "succeeded"), ("old_failed", "failed"), ("recent_done", "succeeded")):
            _sql("UPDATE procrastinate_jobs SET status = 'doing' WHERE id = :id", id=ids[name])
            _sql("UPDATE procrastinate_jobs SET status = CAST(:s AS procrastinate_job_status) WHERE id = :id",
                 s=end, id=ids[name])
        for name in ("old_done", "old_failed", "old_queued"):
            _sql("UPDATE procrastinate_events SET at = now() - interval '72 hours' WHERE job_id = :id", id=ids[name])
        await prune_queue(app, settings.queue_retention_hours)
    left = {rid for (rid,) in _sql("SELECT args->>'report_id' FROM procrastinate_jobs")}
    assert left == {"recent_done", "old_queued"}
    reset_postgres()
