"""Limits over real HTTP on SQLite and PostgreSQL: rate limit per key and per address, the daily
upload quota, bodies over the limit refused before they are read, multipart problems by code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.client import assert_problem
from tests.conftest import need
from tests.security import raw_http
from tests.server import serve

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

MIB = 1024 * 1024


def test_rate_limit_quota_and_body_limits(tmp_path: Path, database_url: str, putuo_justice: bytes) -> None:
    with serve(tmp_path, database_url, auth="required", rate_limit="5/minute", upload_quota_per_day="1",
               max_upload_bytes=str(MIB)) as srv:
        first, second = srv.key("read"), srv.key("read")
        with srv.client(first) as a, srv.client(second) as b:
            assert [a.get("/reports").status_code for _ in range(5)] == [200] * 5
            r = a.get("/reports")
            body = assert_problem(r, 429, "rate_limited")
            assert 1 <= int(r.headers["retry-after"]) <= 60 and body["retry_after"] == int(r.headers["retry-after"])
            assert b.get("/reports").status_code == 200  # another key has its own budget
        with srv.client() as anonymous:  # no key: counted per client address
            statuses = [anonymous.get("/reports").status_code for _ in range(6)]
            assert statuses == [401] * 5 + [429]

        uploader = srv.key("write")
        small = putuo_justice[:900_000] if len(putuo_justice) > MIB else putuo_justice
        with srv.client(uploader) as up:
            assert up.post("/reports", files={"file": ("a.pdf", small, "application/pdf")}).status_code in {200, 202}
            r = up.post("/reports", files={"file": ("b.pdf", small + b"%", "application/pdf")})
            assert_problem(r, 429, "upload_quota_exceeded")
            assert int(r.headers["retry-after"]) > 3600

        big = srv.key("write")
        auth = {"Authorization": f"Bearer {big}"}
        gib = 1024 * MIB
        r1 = raw_http.request(srv.base, "POST", "/reports", {**auth, "Content-Length": str(gib),
                                                             "Content-Type": "multipart/form-data; boundary=x"},
                              raw_http.zeros(gib, prefix=raw_http.FILE_PART))
        assert r1.status == 413 and b'"file_too_large"' in r1.body
        assert r1.sent < 64 * MIB  # refused on the header: the gigabyte was not read
        auth = {"Authorization": f"Bearer {srv.key('write')}"}  # each upload attempt counts in the quota
        r2 = raw_http.request(srv.base, "POST", "/reports", {**auth, "Transfer-Encoding": "chunked",
                                                             "Content-Type": "multipart/form-data; boundary=x"},
                              raw_http.chunked(64 * MIB, prefix=raw_http.FILE_PART))
        assert r2.status == 413 and b'"file_too_large"' in r2.body
        assert r2.sent < 32 * MIB  # stopped once the limit was passed

        with srv.client(srv.key("write")) as up:
            r = up.post("/reports", content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"})
            assert_problem(r, 400, "invalid_multipart")
        with srv.client(srv.key("write")) as up:
            r = up.post("/reports", content=b"--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--\r\n",
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
            assert_problem(r, 400, "invalid_multipart")
        with srv.client(srv.key("write")) as up:
            many = "".join(f"--x\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n" for i in range(1001))
            r = up.post("/reports", content=(many + "--x--\r\n").encode(),
                        headers={"Content-Type": "multipart/form-data; boundary=x"})
            assert_problem(r, 413, "too_many_parts")


def test_redis_storage_shares_counters_between_processes() -> None:
    """Two limiters (two server processes) on one Redis see one budget per key."""
    import uuid

    from app.auth.limits import Limiter

    url = "redis://127.0.0.1:6379"
    first = Limiter("3/minute", 1, url)
    try:
        reachable = bool(first.storage.check())
    except Exception:  # any connection failure means no Redis here
        reachable = False
    need(reachable, f"Redis not reachable at {url}")
    second = Limiter("3/minute", 1, url)
    key = f"test-{uuid.uuid4().hex}"
    assert [first.hit(key, upload=False), second.hit(key, upload=False), first.hit(key, upload=False)] == [None] * 3
    refused = second.hit(key, upload=False)
    assert refused is not None and refused.code == "rate_limited" and 1 <= refused.retry_after <= 60
    assert first.hit(f"{key}-other", upload=True) is None
    quota = second.hit(f"{key}-other", upload=True)
    assert quota is not None and quota.code == "upload_quota_exceeded"
