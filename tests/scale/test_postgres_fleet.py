"""Scale-out on PostgreSQL with real processes: an API that only enqueues, workers that parse,
a worker killed with SIGKILL mid-parse, and API replicas racing on the same upload."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.jobs.queue import TASK
from tests.conftest import POSTGRES_URL, need, postgres_available, reset_postgres, uploadable_pdfs
from tests.server import fleet

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PARSES = f"task_name = '{TASK}'"  # the report jobs (the workers also defer the queue's periodic pruning)


@pytest.fixture
def queue_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    need(postgres_available(), f"PostgreSQL not reachable at {POSTGRES_URL}")
    reset_postgres()
    yield {"DATABASE_URL": POSTGRES_URL, "JOB_QUEUE": "postgres", "DATA_DIR": str(tmp_path / "shared"),
           "WORKERS": "1", "WORKER_HEARTBEAT_SECONDS": "1", "STALLED_WORKER_SECONDS": "4",
           "PYTHONUNBUFFERED": "1"}
    reset_postgres()


def _sql(query: str) -> list[tuple]:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def _upload(base: str, path: Path) -> httpx.Response:
    return httpx.post(f"{base}/reports", files={"file": (path.name, path.read_bytes(), "application/pdf")},
                      timeout=120)


def test_twelve_reports_survive_a_worker_killed_mid_parse(queue_env: dict[str, str]) -> None:
    pdfs = uploadable_pdfs(12)
    need(len(pdfs) == 12, "12 uploadable PDFs under the shared fixtures")
    with fleet(queue_env, apis=1, workers=2) as (bases, (victim, survivor)):
        base = bases[0]
        ids = []
        for pdf in pdfs:
            r = _upload(base, pdf)
            assert r.status_code == 202, r.text
            ids.append(r.json()["id"])
        assert len(set(ids)) == 12
        # the API parses nothing itself: every job is in the queue table, put there with its report
        assert _sql(f"SELECT count(*) FROM procrastinate_jobs WHERE {PARSES}")[0][0] == 12
        victim_name = f"{os.uname().nodename}:{victim.pid}"
        killed_report = None
        deadline = time.monotonic() + 180
        while killed_report is None and time.monotonic() < deadline:
            running = httpx.get(f"{base}/jobs", params={"state": "running"}, timeout=10).json()["data"]
            for job in running:
                if job["worker"] == victim_name and job["stage"] == "parsing":
                    os.kill(victim.pid, signal.SIGKILL)
                    killed_report = job["report_id"]
                    break
            time.sleep(0.05)
        assert killed_report is not None, "the victim never parsed"
        victim.popen.wait(timeout=10)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            states = [httpx.get(f"{base}/reports/{rid}", timeout=10).json()["status"] for rid in ids]
            if all(s in {"parsed", "failed"} for s in states):
                break
            time.sleep(0.5)
        assert states == ["parsed"] * 12, (states, survivor.output()[-3000:])
        metrics = httpx.get(f"{base}/metrics", timeout=10).text
        jobs_left = httpx.get(f"{base}/jobs", params={"state": "running"}, timeout=10).json()["data"]
    assert not jobs_left
    # each report was parsed to completion exactly once, the killed one by the survivor
    done = _sql("SELECT report_id, worker FROM job_run WHERE action = 'parse' AND outcome = 'parsed'")
    assert sorted(r for r, _ in done) == sorted(ids)
    assert dict(done)[killed_report] != victim_name
    unfinished = _sql("SELECT report_id, worker FROM job_run WHERE finished_at IS NULL")
    assert unfinished == [(killed_report, victim_name)]
    # nothing stuck in the queue, and the killed job went back through the queue's retry
    by_status = _sql(f"SELECT status, count(*) FROM procrastinate_jobs WHERE {PARSES} GROUP BY status")
    assert by_status == [("succeeded", 12)]
    attempts = dict(_sql(f"SELECT args->>'report_id', attempts FROM procrastinate_jobs WHERE {PARSES}"))
    killed_attempts = attempts.pop(killed_report)
    others = set(attempts.values())
    assert len(others) == 1 and killed_attempts == others.pop() + 1  # one run more: the stalled one
    assert f'job_runs_total{{outcome="parsed",worker="{survivor_name(survivor)}"}}' in metrics
    assert 'jobs{state="succeeded"} 12.0' in metrics and "job_queue_depth 0.0" in metrics


def survivor_name(proc) -> str:
    return f"{os.uname().nodename}:{proc.pid}"


def test_same_bytes_to_two_replicas_at_once_give_one_report(queue_env: dict[str, str]) -> None:
    pdf = uploadable_pdfs(1)[0]
    with fleet(queue_env, apis=2, workers=1) as (bases, _workers):
        barrier = threading.Barrier(2)
        answers: list[httpx.Response] = []

        def send(base: str) -> None:
            barrier.wait()
            answers.append(_upload(base, pdf))

        threads = [threading.Thread(target=send, args=(b,)) for b in bases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sorted(r.status_code for r in answers) in ([200, 202], [202, 202])
        assert len({r.json()["id"] for r in answers}) == 1
        rid = answers[0].json()["id"]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status = httpx.get(f"{bases[1]}/reports/{rid}", timeout=10).json()["status"]
            if status in {"parsed", "failed"}:
                break
            time.sleep(0.3)
        assert status == "parsed"
        listed = httpx.get(f"{bases[0]}/reports", timeout=10).json()["data"]
        # revalidate and reparse are queue jobs too: the replica waits for the worker's run
        validation = httpx.post(f"{bases[0]}/reports/{rid}/validation", timeout=300)
        assert validation.status_code == 200 and validation.json()["status"] == "parsed"
        reparse = httpx.post(f"{bases[1]}/reports/{rid}/reparse", params={"wait": "true"}, timeout=300)
        assert reparse.status_code == 200 and reparse.json()["status"] == "parsed"
    assert [r["id"] for r in listed] == [rid]
    assert _sql(f"SELECT task_name, args->>'action', status FROM procrastinate_jobs WHERE {PARSES} ORDER BY id") == [
        ("process_report", "parse", "succeeded"), ("process_report", "validate", "succeeded"),
        ("process_report", "parse", "succeeded")]
    assert _sql("SELECT outcome FROM job_run ORDER BY id") == [("parsed",), ("validated",), ("parsed",)]


def test_reports_left_by_the_embedded_runner_are_parsed_after_the_switch_to_the_queue(
        queue_env: dict[str, str]) -> None:
    """An API on the embedded runner stops while a parse is queued behind another; started again with
    JOB_QUEUE=postgres, its reports go on the queue at start-up and a worker parses them."""
    pdfs = uploadable_pdfs(3)
    need(len(pdfs) == 3, "3 uploadable PDFs under the shared fixtures")
    embedded = {**queue_env, "JOB_QUEUE": "inprocess"}
    with fleet(embedded, apis=1, workers=0) as (bases, _):
        ids = [_upload(bases[0], pdf).json()["id"] for pdf in pdfs]
    left = dict(_sql("SELECT id, status FROM report"))
    assert set(ids) <= set(left)
    unparsed = [rid for rid in ids if left[rid] != "parsed"]
    need(bool(unparsed), "the embedded runner parsed every report before it stopped")
    assert _sql("SELECT to_regclass('procrastinate_jobs') IS NULL")[0][0] or \
        _sql("SELECT count(*) FROM procrastinate_jobs")[0][0] == 0
    with fleet(queue_env, apis=1, workers=1) as (bases, _workers):
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            states = [httpx.get(f"{bases[0]}/reports/{rid}", timeout=10).json()["status"] for rid in ids]
            if all(s in {"parsed", "failed"} for s in states):
                break
            time.sleep(0.5)
    assert states == ["parsed"] * 3
    queued = {r for (r,) in _sql("SELECT args->>'report_id' FROM procrastinate_jobs")}
    assert queued & set(ids) == set(unparsed)
