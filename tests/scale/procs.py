"""Real processes for the scale-out tests: API replicas (`python -m app serve`) and workers
(`python -m app worker`), each in its own session so nothing outlives the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ROOT, SHARED_FIXTURES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    def __init__(self, args: list[str], env: dict[str, str], name: str) -> None:
        self.log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        self.name = name
        self.popen = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env={**os.environ, **env},
                                      stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM (a graceful stop), then SIGKILL; then anything left in its session."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # parser processes orphaned by a kill -9
        except (ProcessLookupError, PermissionError):
            pass


def wait_healthy(base: str, proc: Proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise AssertionError(f"{proc.name} exited: {proc.output()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{proc.name} never became healthy: {proc.output()[-2000:]}")


@contextmanager
def fleet(env: dict[str, str], *, apis: int, workers: int) -> Iterator[tuple[list[str], list[Proc]]]:
    """Start `apis` API replicas and `workers` workers on one database; stop them all after."""
    procs: list[Proc] = []
    try:
        bases = []
        for n in range(apis):
            port = free_port()
            proc = Proc(["serve", "--port", str(port)], env, f"api{n}")
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            wait_healthy(base, proc)
        crew = [Proc(["worker", "--concurrency", "1"], env, f"worker{n}") for n in range(workers)]
        procs.extend(crew)
        yield bases, crew
    finally:
        for proc in procs:
            proc.stop()


def uploadable_pdfs(count: int) -> list[Path]:
    """The smallest real reports the upload accepts (the corpus holds a few HTML pages saved as .pdf)."""
    from app.parsing.errors import ParseError
    from app.parsing.guard import check_magic

    found = []
    for path in sorted(SHARED_FIXTURES.glob("*/*.pdf"), key=lambda p: p.stat().st_size):
        try:
            check_magic(path.read_bytes()[:1024])
        except ParseError:
            continue
        found.append(path)
    return found[:count]
