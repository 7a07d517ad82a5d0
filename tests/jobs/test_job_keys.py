"""Jobs are keyed by (report, action) in the database: no sequence of reparse / revalidate
requests strands a report, and a job that never finishes is not retried forever."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from app.core.config import Settings
from app.jobs import state
from app.jobs.models import Job
from app.reports.service import create_report
from app.store.db import make_engine, session_scope
from app.store.files import FileStore
from app.store.migrations import upgrade
from app.store.models import Report
from tests.client import upload

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def _settled(client, rid: str, seconds: float = 120) -> dict:
    for _ in range(int(seconds * 10)):
        report = (await client.get(f"/reports/{rid}")).json()
        if report["status"] in {"parsed", "failed"}:
            return report
        await asyncio.sleep(0.1)
    raise AssertionError(f"report {rid} still {report['status']}")


async def test_reparse_while_a_validation_runs_still_parses(make_client, putuo_justice: bytes) -> None:
    """POST validation and POST reparse at once: the reparse must run (it used to get the
    validation's job back, and the report stayed queued with every later reparse 409)."""
    async with make_client() as client:
        first = (await upload(client, putuo_justice)).json()
        assert first["status"] == "parsed"
        rid = first["id"]
        validation, reparse = await asyncio.gather(client.post(f"/reports/{rid}/validation"),
                                                   client.post(f"/reports/{rid}/reparse"))
        assert reparse.status_code == 202
        # the validation ran on the stored parse, or found the reparse already queued (409 report_busy)
        assert validation.status_code in {200, 409}, validation.text
        report = await _settled(client, rid)
        assert report["status"] == "parsed"
        assert report["parsed_at"] > first["parsed_at"]  # a parse really ran
        again = await client.post(f"/reports/{rid}/reparse", params={"wait": "true"})
        assert again.status_code == 200 and again.json()["status"] == "parsed"
        assert again.json()["parsed_at"] > report["parsed_at"]


async def test_job_started_max_attempts_times_ends_failed_for_good(tmp_path: Path, make_client,
                                                                   putuo_justice: bytes) -> None:
    """A parse job whose process died each time it ran (started MAX_ATTEMPTS times, never
    finished) ends `failed` with parser_crashed_repeatedly at the next start, not parsed again."""
    settings = Settings(data_dir=tmp_path / "data")
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        rid = create_report(session, files=FileStore(settings.files_dir), data=putuo_justice,
                            filename="killer.pdf", hints={}).report.id
        state.request(session, rid, "parse")
    for n in range(settings.max_attempts):  # three runs that started and whose process vanished
        with session_scope(engine) as session:
            assert state.claim(session, rid, "parse", f"dead-{n}") is not None
    engine.dispose()
    async with make_client() as client:
        report = await _settled(client, rid)
        assert report["status"] == "failed"
        assert report["error"]["code"] == "parser_crashed_repeatedly"
        job = [j for j in (await client.get("/jobs")).json()["data"] if j["report_id"] == rid][0]
        assert job["state"] == "failed" and job["attempts"] == settings.max_attempts + 1
    async with make_client() as client:  # never retried by itself again
        assert (await client.get(f"/reports/{rid}")).json()["status"] == "failed"
        again = await client.post(f"/reports/{rid}/reparse", params={"wait": "true"})  # a person may ask
        assert again.json()["status"] == "parsed"
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        assert session.get(Report, rid).status == "parsed"
        assert all(j.state == "succeeded" for j in session.exec(select(Job)).all())
    engine.dispose()
