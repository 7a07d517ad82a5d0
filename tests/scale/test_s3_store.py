"""The content-addressed store on S3-compatible storage (moto's server mode, a real HTTP
server on loopback) behind the same interface as the folder store."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.store.files import S3FileStore, open_file_store
from tests.client import upload
from tests.conftest import need
from tests.server import free_port

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    need(server is not None, "moto_server (pip install 'moto[server]') not installed")
    port = free_port()
    proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        for key, value in {"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                           "AWS_DEFAULT_REGION": "us-east-1"}.items():
            monkeypatch.setenv(key, value)
        import boto3

        boto3.client("s3").create_bucket(Bucket="reports")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_s3_store_round_trip(s3_endpoint: str, putuo_justice: bytes) -> None:
    store = open_file_store("s3://reports/archive", Path("unused"))
    assert isinstance(store, S3FileStore)
    sha = store.put(putuo_justice)
    assert sha == hashlib.sha256(putuo_justice).hexdigest()
    assert store.exists(sha) and store.get(sha) == putuo_justice
    assert store.put(putuo_justice) == sha  # content-addressed: a second put is a no-op
    import boto3

    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="reports")["Contents"]]
    assert keys == [f"archive/{sha[:2]}/{sha[2:4]}/{sha}.pdf"]
    store.delete(sha)
    assert not store.exists(sha)
    with pytest.raises(FileNotFoundError):
        store.get(sha)


async def test_service_keeps_uploads_on_s3(s3_endpoint: str, make_client, tmp_path: Path,
                                           putuo_justice: bytes) -> None:
    async with make_client(file_store="s3://reports/p") as client:
        r = await upload(client, putuo_justice)
        assert r.json()["status"] == "parsed"
        rid = r.json()["id"]
        assert (await client.get(f"/reports/{rid}/file")).content == putuo_justice
        assert not (tmp_path / "data" / "files").exists()  # nothing went to the local folder
        assert (await client.delete(f"/reports/{rid}")).status_code == 204
    import boto3

    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket="reports")
