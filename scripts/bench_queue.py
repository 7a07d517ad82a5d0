#!/usr/bin/env python3
"""Throughput of the job pipeline in pages/s, beside its floor measured in the same run.

  floor:    the same PDFs parsed + validated one after another in this process (no server,
            no database): pages / s of one core
  sqlite:   `python -m app serve` (JOB_QUEUE=inprocess, SQLite) with WORKERS=1 and 2
  postgres: `python -m app serve` (JOB_QUEUE=postgres) + 1, 2 and 4 `python -m app worker`
            processes (concurrency 1 each)

All PDFs are uploaded at once (202, no waiting); the clock runs from the first upload to
the last report parsed. Also printed: the cores, the load average before each run, and the
CPU seconds the parses took by the job table (sum of run seconds: > wall × workers means
the workers queued for CPU).

    python scripts/bench_queue.py --database-url postgresql://postgres@127.0.0.1:5432/DB [--count 10]
    (DB is emptied: pass a database of your own)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.conftest import uploadable_pdfs  # noqa: E402  (the smallest real reports the upload accepts)
from tests.server import fleet  # noqa: E402  (real processes, stopped after)


def floor(files: list[Path]) -> tuple[int, float]:
    from app.jobs.work import parse_and_validate

    pages, t0 = 0, time.perf_counter()
    for f in files:
        parsed, _ = parse_and_validate(f.read_bytes(), 500)
        pages += parsed.meta.pages
    return pages, time.perf_counter() - t0


def _spin() -> None:
    total = 0
    for i in range(20_000_000):
        total += i


def cpu_check() -> tuple[float, float]:
    """Wall seconds of one pure-Python loop in 1 process, and of the same loop in 2 processes
    at once: equal when the machine really gives 2 cores."""
    import multiprocessing

    out = []
    for n in (1, 2):
        procs = [multiprocessing.Process(target=_spin) for _ in range(n)]
        t0 = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        out.append(time.perf_counter() - t0)
    return out[0], out[1]


def reset(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(files: list[Path], env: dict[str, str], workers: int, poll: float) -> tuple[int, float, float]:
    """(pages, wall seconds, sum of parse-run seconds) for one fleet."""
    with fleet(env, apis=1, workers=workers) as (bases, _workers):
        base = bases[0]
        time.sleep(2 if workers else 0)  # workers connect
        blobs = [(f.name, f.read_bytes()) for f in files]
        t0 = time.perf_counter()
        ids = [httpx.post(f"{base}/reports", files={"file": (n, b, "application/pdf")}, timeout=120).json()["id"]
               for n, b in blobs]
        while True:
            reports = [httpx.get(f"{base}/reports/{i}", timeout=30).json() for i in ids]
            if all(r["status"] in {"parsed", "failed"} for r in reports):
                break
            time.sleep(poll)
        wall = time.perf_counter() - t0
        jobs = httpx.get(f"{base}/metrics", timeout=30).text
        busy = next((float(line.split()[-1]) for line in jobs.splitlines()
                     if line.startswith("job_parse_seconds_sum")), 0.0)
        return sum(r["file"]["pages"] or 0 for r in reports), wall, busy


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--poll", type=float, default=0.5, help="seconds between status polls of all reports")
    ap.add_argument("--only", choices=["sqlite", "postgres"], default=None)
    a = ap.parse_args()
    files = uploadable_pdfs(a.count)
    print(f"cores: {os.cpu_count()}  PDFs: {len(files)}")
    print(f"status polls every {a.poll} s ({len(files) / a.poll:.0f} GET/s while draining)")
    one, two = cpu_check()
    print(f"cpu check: one loop in 1 process {one:.2f} s, in 2 processes at once {two:.2f} s "
          f"(2 real cores: equal)")
    pages, secs = floor(files)
    print(f"floor (serial, this process): {pages} pages in {secs:.1f} s = {pages / secs:.1f} pages/s  "
          f"(load {os.getloadavg()[0]:.1f})")
    for w in (1, 2):
        if a.only == "postgres":
            break
        with tempfile.TemporaryDirectory() as d:
            load = os.getloadavg()[0]
            n, wall, busy = run(files, {"DATA_DIR": d, "WORKERS": str(w), "JOB_QUEUE": "inprocess",
                                        "DATABASE_URL": ""}, 0, a.poll)
            print(f"sqlite   inprocess WORKERS={w}: {n} pages in {wall:.1f} s = {n / wall:.1f} pages/s  "
                  f"parse-run seconds {busy:.1f}  (load {load:.1f})")
    if a.only == "sqlite":
        return 0
    if not a.database_url:
        print("postgres: skipped (pass --database-url of a database of your own)")
        return 0
    for w in [int(x) for x in a.workers.split(",")]:
        reset(a.database_url)
        with tempfile.TemporaryDirectory() as d:
            load = os.getloadavg()[0]
            n, wall, busy = run(files, {"DATA_DIR": d, "WORKERS": "1", "JOB_QUEUE": "postgres",
                                        "DATABASE_URL": a.database_url}, w, a.poll)
            print(f"postgres workers={w}: {n} pages in {wall:.1f} s = {n / wall:.1f} pages/s  "
                  f"parse-run seconds {busy:.1f}  (load {load:.1f})")
    reset(a.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
