"""Real processes for tests and benchmarks, in one place: `python -m app serve` on a free loopback port,
`python -m app worker`, fleets of both on one database, and the real CLI. Each process runs in its own
session with its output in a log file, and is stopped when its block ends: SIGTERM (a graceful
stop), then SIGKILL, then anything left in its session (parser processes), so nothing outlives a test."""

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
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# settings each test server gets from its test, never from the environment the tests run in
PER_SERVER = frozenset({"AUTH", "RATE_LIMIT", "UPLOAD_QUOTA_PER_DAY", "CORS_ORIGINS"})


def child_env(env: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in PER_SERVER}, **env}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """`python -m app ARGS` with `env` over the environment."""

    def __init__(self, args: list[str], env: dict[str, str], name: str, log_dir: Path | None = None) -> None:
        fd, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".log", dir=log_dir)
        os.close(fd)
        self.log = Path(path)
        self.name = name
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT, env=child_env(env),
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
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


def wait_ready(base: str, proc: Proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise AssertionError(f"{proc.name} exited: {proc.output()[-3000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{proc.name} never became ready: {proc.output()[-3000:]}")


@dataclass
class Server:
    base: str
    env: dict[str, str]
    proc: Proc

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The real CLI on the server's settings (keys create, …)."""
        return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=child_env(self.env),
                              capture_output=True, text=True, timeout=120)

    def key(self, scope: str, name: str = "") -> str:
        done = self.cli("keys", "create", "--scope", scope, "--name", name or f"test {scope}")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=300)


def server_env(root: Path, database_url: str = "", **settings: str) -> dict[str, str]:
    """The settings of a test server: its data under `root`/data, its database, `settings` as env names."""
    env = {"DATA_DIR": str(root / "data"), "DATABASE_URL": database_url, "WORKERS": "1", "PYTHONUNBUFFERED": "1"}
    env.update({k.upper(): v for k, v in settings.items()})
    return env


@contextmanager
def serve(root: Path, database_url: str = "", **settings: str) -> Iterator[Server]:
    """A server with its data and log under `root` and these settings (auth="required", rate_limit=…);
    stopped on exit."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = server_env(root, database_url, **settings)
    proc = Proc(["serve", "--host", "127.0.0.1", "--port", str(port)], env, f"server-{port}", root)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc)
        yield Server(base, env, proc)
    finally:
        proc.stop()


@contextmanager
def serving(root: Path, database_url: str = "", workers: int = 1) -> Iterator[str]:
    """The base URL of a server with its data under `root` (auth off, loopback)."""
    with serve(root, database_url, workers=str(workers)) as server:
        yield server.base


@contextmanager
def fleet(env: dict[str, str], *, apis: int, workers: int) -> Iterator[tuple[list[str], list[Proc]]]:
    """`apis` API replicas and `workers` workers on one database (`env`); all stopped after."""
    procs: list[Proc] = []
    try:
        bases = []
        for n in range(apis):
            port = free_port()
            proc = Proc(["serve", "--port", str(port)], env, f"api{n}")
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs, strict=True):
            wait_ready(base, proc)
        crew = [Proc(["worker", "--concurrency", "1"], env, f"worker{n}") for n in range(workers)]
        procs.extend(crew)
        yield bases, crew
    finally:
        for proc in procs:
            proc.stop()
