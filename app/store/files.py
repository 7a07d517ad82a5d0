"""Content-addressed file store: uploads are written (sha256-named) before any parsing
starts, so a crash, a timeout or a parser upgrade never loses a file. One small interface,
two backends: a folder (local or shared) and S3-compatible object storage."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...
    def delete(self, sha256: str) -> None: ...


def key_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.pdf"


class FileStore:
    """A folder: `DATA_DIR/files` by default, or any shared mount (`FILE_STORE=/mnt/reports`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / key_for(sha256)

    def put(self, data: bytes) -> str:
        """Store the bytes once (atomically); return their sha256."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha)
        if path.exists() and path.stat().st_size == len(data):
            return sha
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)


class S3FileStore:
    """`FILE_STORE=s3://bucket/prefix`. Endpoint and credentials come from boto3's own
    configuration (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION...)."""

    def __init__(self, url: str, client: Any | None = None) -> None:
        parsed = urlparse(url)
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        if client is None:
            import boto3

            client = boto3.client("s3")
        self.client = client

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}/{key_for(sha256)}" if self.prefix else key_for(sha256)

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if not self.exists(sha):  # a PUT is atomic: readers see the whole object or none
            self.client.put_object(Bucket=self.bucket, Key=self._key(sha), Body=data,
                                   ContentType="application/pdf")
        return sha

    def get(self, sha256: str) -> bytes:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(self._key(sha256)) from exc
        data: bytes = body.read()
        return data

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))


def open_file_store(spec: str, default_root: Path) -> BlobStore:
    """FILE_STORE: empty → `default_root`; `s3://bucket/prefix` → S3; a path or file:// URL → that folder."""
    if not spec:
        return FileStore(default_root)
    if spec.startswith("s3://"):
        return S3FileStore(spec)
    return FileStore(Path(spec.removeprefix("file://")))
