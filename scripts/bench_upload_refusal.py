#!/usr/bin/env python3
"""How long a 1 GiB upload takes to be refused, over real HTTP to a real uvicorn (`python -m app serve`).

Prints the seconds from the first byte sent to the 413 and how much of the body was sent by then,
beside a floor measured in the same run: one GET /healthz round trip. `--source DIR` serves another
tree of the project (e.g. an export of an older commit) with this interpreter, to compare."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.security import raw_http  # noqa: E402
from tests.server import free_port  # noqa: E402

GIB = 1024**3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", type=Path, default=ROOT)
    ap.add_argument("--bytes", type=int, default=GIB)
    a = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATA_DIR": tmp, "DATABASE_URL": "", "AUTH": "off", "PYTHONPATH": str(a.source)}
        proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)], cwd=a.source, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            floor = float("inf")
            for _ in range(5):
                t = time.perf_counter()
                httpx.get(f"{base}/healthz")
                floor = min(floor, time.perf_counter() - t)
            r = raw_http.request(base, "POST", "/reports",
                                 {"Content-Length": str(a.bytes), "Content-Type": "multipart/form-data; boundary=x"},
                                 raw_http.zeros(a.bytes, prefix=raw_http.FILE_PART), timeout=600)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    print(f"source {a.source}")
    print(f"upload of {a.bytes / GIB:.2f} GiB refused with {r.status} after {r.seconds:.3f} s, "
          f"{r.sent / 2**20:.0f} MiB of the body sent")
    print(f"floor: GET /healthz round trip (best of 5) {floor * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
