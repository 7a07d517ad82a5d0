"""A real server process: `python -m app serve`, a real HTTP client, a real upload."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": "", "WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode() if proc.stdout else "server died")
            time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_upload_over_real_http(server: str, putuo_justice: bytes, tmp_path: Path) -> None:
    with httpx.Client(base_url=server, timeout=300) as client:
        r = client.post("/reports", params={"wait": "true"},
                        files={"file": ("putuo_justice_2026_dept_budget.pdf", putuo_justice, "application/pdf")})
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["status"] == "parsed"
        assert client.get(f"/reports/{report['id']}/file").content == putuo_justice
        assert client.get("/reports").json()["data"][0]["id"] == report["id"]
        bad = client.post("/reports", files={"file": ("x.pdf", b"GIF89a....", "application/pdf")})
        assert bad.status_code == 415
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert (tmp_path / "data" / "reports.db").exists()
