"""The embedded runner: time limits, recovery of interrupted jobs, a worker that survives."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from app.core.config import Settings
from app.reports import repository as repo
from app.store.db import make_engine, session_scope
from app.store.migrations import upgrade
from app.store.models import Report
from tests.client import upload

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_parse_over_time_limit_fails_cleanly_and_worker_lives_on(make_client, putuo_finance: bytes,
                                                                        putuo_justice: bytes) -> None:
    async with make_client(parse_timeout_seconds=0.05) as client:
        r = await upload(client, putuo_finance)
        assert r.json()["status"] == "failed"
        assert r.json()["error"]["code"] == "parse_timeout"
        # the pool is still usable afterwards (the same limit fails the next one the same way)
        r2 = await upload(client, putuo_justice)
        assert r2.json()["error"]["code"] == "parse_timeout"
        assert (await client.get(f"/reports/{r.json()['id']}/file")).content == putuo_finance


async def test_reports_left_queued_are_parsed_at_start(tmp_path: Path, make_client, putuo_justice: bytes) -> None:
    """A process that stopped after storing the upload but before parsing loses nothing."""
    settings = Settings(data_dir=tmp_path / "data")
    upgrade(settings.database_url)
    from app.reports.service import create_report
    from app.store.files import FileStore

    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        created = create_report(session, files=FileStore(settings.files_dir), data=putuo_justice,
                                filename="left.pdf", hints={})
        rid = created.report.id
    engine.dispose()
    async with make_client() as client:
        for _ in range(600):
            status = (await client.get(f"/reports/{rid}")).json()["status"]
            if status in {"parsed", "failed"}:
                break
            await asyncio.sleep(0.1)
        assert status == "parsed"
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        report = session.get(Report, rid)
        assert report is not None and report.attempts == 1
        assert not repo.stuck_reports(session)
    engine.dispose()


async def test_shutdown_mid_parse_loses_nothing(make_client, putuo_finance: bytes) -> None:
    """Stopping the service while a report parses leaves it queued/parsing, never failed;
    the next start parses it."""
    async with make_client() as client:
        r = await upload(client, putuo_finance, wait=False)
        assert r.status_code == 202
        rid = r.json()["id"]
    async with make_client() as client:
        first = (await client.get(f"/reports/{rid}")).json()
        assert first["status"] in {"queued", "parsing", "parsed"}
        for _ in range(900):
            report = (await client.get(f"/reports/{rid}")).json()
            if report["status"] in {"parsed", "failed"}:
                break
            await asyncio.sleep(0.1)
        assert report["status"] == "parsed", report


def test_shutdown_ends_every_job_thread(tmp_path: Path, putuo_finance: bytes) -> None:
    """A job waiting on a parse when the runner stops returns at once: no thread is left
    blocked on a future of the stopped pool (that hung interpreter exit after the suite)."""
    import threading
    import time

    from app.jobs.runner import InProcessRunner
    from app.reports.service import create_report
    from app.store.files import FileStore

    settings = Settings(data_dir=tmp_path / "data", workers=2)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    files = FileStore(settings.files_dir)
    with session_scope(engine) as session:
        rid = create_report(session, files=files, data=putuo_finance, filename="a.pdf", hints={}).report.id
    runner = InProcessRunner(settings, engine, files)
    job = runner.submit(rid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not runner._in_pool:  # the parse is in the pool
        time.sleep(0.02)
    assert runner._in_pool, "the parse never reached the pool"
    started = time.monotonic()
    runner.shutdown()
    assert job.done() and job.result() == "cancelled"
    assert time.monotonic() - started < 15
    assert not [t for t in threading.enumerate() if t.name.startswith("report-job")]
    with session_scope(engine) as session:
        assert repo.get_report(session, rid).status in {"queued", "parsing"}  # requeued at the next start
    engine.dispose()


def test_a_future_that_never_resolves_does_not_outlive_shutdown(tmp_path: Path) -> None:
    """A stopped pool may leave a future pending forever; the job waiting on it still ends."""
    import threading
    from concurrent.futures import CancelledError, Future

    from app.jobs.runner import InProcessRunner
    from app.store.files import FileStore

    settings = Settings(data_dir=tmp_path / "data", workers=1)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    runner = InProcessRunner(settings, engine, FileStore(settings.files_dir))
    orphan: Future[object] = Future()  # nothing will ever resolve it
    outcome: list[BaseException] = []

    def waiter() -> None:
        try:
            runner._result(orphan)  # type: ignore[arg-type]
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    runner.shutdown()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert outcome and isinstance(outcome[0], CancelledError)
    engine.dispose()
