"""`bench_api.py --http`: the served API under 1, 10 and 50 concurrent clients (see bench_api.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PAGE = 1000
REQUESTS_PER_CLIENT = 6
MIN_REQUESTS = 30


@contextmanager
def serving(data_dir: Path, database_url: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": database_url, "WORKERS": "2",
           "RATE_LIMIT": "1000000/minute"}
    log = (data_dir.parent / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start (see {log.name})")
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else float("nan")


def server_ms(response: httpx.Response) -> float | None:
    """The `app;dur=` entry of Server-Timing, if the server sends one."""
    for part in response.headers.get("server-timing", "").split(","):
        name, _, params = part.strip().partition(";")
        if name == "app" and params.startswith("dur="):
            return float(params.removeprefix("dur="))
    return None


def load(base: str, path: str, clients: int, requests: int, encoding: str) -> None:
    latencies: list[float] = []
    served: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()
    todo = iter(range(requests))

    def client() -> None:
        with httpx.Client(base_url=base, timeout=600, headers={"Accept-Encoding": encoding}) as c:
            while True:
                with lock:
                    if next(todo, None) is None:
                        return
                t0 = time.perf_counter()
                r = c.get(path)
                dt = (time.perf_counter() - t0) * 1000
                r.raise_for_status()
                with lock:
                    latencies.append(dt)
                    sizes.append(r.num_bytes_downloaded)
                    if (ms := server_ms(r)) is not None:
                        served.append(ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    server = f" | server p50 {pct(served, .5):7.1f} p99 {pct(served, .99):7.1f} ms" if served else ""
    print(f"    {clients:>3} clients, {encoding:<8}: {len(latencies) / wall:7.1f} req/s | "
          f"p50 {pct(latencies, .5):8.1f} "
          f"p99 {pct(latencies, .99):8.1f} ms{server} | {pct([float(s) for s in sizes], .5) / 1e3:,.0f} kB sent",
          flush=True)


def bench_http(pdfs: list[Path], database_url: str, clients: list[int], runs: int) -> int:
    if database_url.startswith("postgresql"):
        from scripts.bench_api import reset

        reset(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp), database_url) as base, \
            httpx.Client(base_url=base, timeout=900) as c:
        reports = []
        for pdf in pdfs:
            t0 = time.perf_counter()
            r = c.post("/reports", params={"wait": "true"},
                       files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")})
            r.raise_for_status()
            reports.append(r.json())
            print(f"  uploaded {pdf.name}: {r.json()['counts']['line_items']} line items, "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
        biggest = max(reports, key=lambda rep: rep["counts"]["line_items"])
        total = sum(rep["counts"]["line_items"] for rep in reports)
        cases = {f"one report's line items ({biggest['counts']['line_items']} rows)":
                 f"/reports/{biggest['id']}/line-items?limit={PAGE}",
                 f"cross-report /line-items ({total} rows in {len(reports)} reports)": f"/line-items?limit={PAGE}"}
        for name, path in cases.items():
            c.get(path).raise_for_status()  # warm
            print(f"  {name}: GET {path}", flush=True)
            for n in clients:
                load(base, path, n, max(MIN_REQUESTS, runs if n == 1 else n * REQUESTS_PER_CLIENT), "identity")
            load(base, path, 1, MIN_REQUESTS, "gzip")
    return 0
