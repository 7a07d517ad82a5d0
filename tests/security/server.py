"""A real `python -m app serve` process on a free loopback port, and keys made with the real CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=120)

    def key(self, scope: str, name: str = "") -> str:
        done = self.cli("keys", "create", "--scope", scope, "--name", name or f"test {scope}")
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=300)


def server_env(tmp_path: Path, database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"AUTH", "RATE_LIMIT", "UPLOAD_QUOTA_PER_DAY"}}
    env.update({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": database_url, "WORKERS": "1"})
    env.update({k.upper(): v for k, v in settings.items()})
    return env


@contextmanager
def serve(tmp_path: Path, database_url: str = "", **settings: str) -> Iterator[Server]:
    """Start the server with these settings (AUTH=..., RATE_LIMIT=...); stop it on exit."""
    port = free_port()
    env = server_env(tmp_path, database_url, **settings)
    log = (tmp_path / f"server-{port}.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / f"server-{port}.log").read_text())
            time.sleep(0.1)
        yield Server(base, env)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, object] = r.json()
    assert body["code"] == code, body
    return body
