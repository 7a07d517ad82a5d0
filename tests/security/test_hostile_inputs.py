"""Hostile but fair input over real HTTP, on SQLite and PostgreSQL: every answer is a problem+json
4xx with a stable code (or a success), never a 5xx; headers on every answer."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from tests.client import assert_problem
from tests.server import serve

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses


def b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


BAD_CURSORS = [b64([[1], [2]]), b64(["2026-01-01T00:00:00", "abc"]), b64([1, 2]), b64({"a": 1}), b64("x"),
               b64([2**70, 1]), b64(["x", 2**70]), b64([2**40]), b64(["x", 2**40]), b64([-1]), b64([None, None]),
               "!!!", "%00", "A" * 5000]
CONTROL = ["\x00", "a\x00b", "\x01", "\x1f", "\x7f", "\r\nX-Injected: 1"]
STRANGE = ["' OR 1=1 --", "%", "_", "\\", "😀" * 50, "预算" * 2000, "a/b", "..", "%2F"]


def test_no_5xx_for_hostile_input(tmp_path: Path, database_url: str, putuo_justice: bytes) -> None:
    seen: list[int] = []
    with serve(tmp_path, database_url, auth="off") as srv, srv.client() as c:
        def get(path: str, **params: object) -> httpx.Response:
            r = c.get(path, params=params)  # type: ignore[arg-type]
            seen.append(r.status_code)
            assert r.status_code < 500, (path, params, r.text)
            if r.status_code >= 400:
                assert r.headers["content-type"].startswith("application/problem+json"), (path, params)
            return r

        raw_name = "..\\..\\a\x00b\x01;预算 2024.pdf".encode()  # sent raw: httpx would percent-encode it
        body = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="' + raw_name + b'"\r\n'
                b"Content-Type: application/pdf\r\n\r\n" + putuo_justice + b"\r\n--x--\r\n")
        up = c.post("/reports", params={"wait": "true"}, content=body,
                    headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert up.status_code == 200, up.text
        rid = up.json()["id"]
        assert up.json()["file"]["name"] == "ab;预算 2024.pdf"  # path and control characters gone
        f = c.get(f"/reports/{rid}/file")
        assert f.status_code == 200 and f.content == putuo_justice
        assert f.headers["content-disposition"] == (
            "attachment; filename=\"ab___ 2024.pdf\"; filename*=UTF-8''" + quote("ab;预算 2024.pdf", safe=""))

        lists = ["/reports", "/line-items", f"/reports/{rid}/line-items", f"/reports/{rid}/indicators", "/subjects",
                 "/audit"]
        for path in lists:
            for cursor in BAD_CURSORS:
                r = get(path, cursor=cursor)
                if cursor != "%00" and not (path == "/subjects" and r.status_code == 200):  # an offset past the end
                    assert_problem(r, 400, "invalid_cursor")
        for value in ["99999999999999999999", "3000000000", "-1", "1e3", "abc", ""]:
            for path in ["/reports", "/line-items"]:
                if value:
                    assert_problem(get(path, fiscal_year=value), 422, "invalid_request")
            get(f"/reports/{rid}/line-items", level=value)
            get("/reports", limit=value)
        text_filters = {"/reports": ["department"], "/line-items": ["code", "table_kind", "measure", "department"],
                        f"/reports/{rid}/line-items": ["code", "table_kind", "measure"],
                        f"/reports/{rid}/indicators": ["programme", "level1", "level2"], "/subjects": ["code"]}
        vocabularies = {"table_kind", "measure"}  # enums: anything else is refused, not searched for
        for path, names in text_filters.items():
            for name in names:
                for value in CONTROL:
                    assert_problem(get(path, **{name: value}), 422, "invalid_character")
                for value in STRANGE:
                    if name in vocabularies:
                        assert_problem(get(path, **{name: value}), 422, "invalid_request")
                    else:
                        assert get(path, **{name: value}).status_code == 200
        ids = [*CONTROL, *(v for v in STRANGE if v != ".."), "x" * 5000]  # ".." a client resolves itself
        for value in ids:
            q = quote(value, safe="")
            for path in [f"/reports/{q}", f"/reports/{q}/tables", f"/reports/{rid}/tables/{q}",
                         f"/reports/{q}/file", f"/reports/{q}/validation", f"/reports/{rid}/tables/{q}?format=csv"]:
                r = get(path)
                assert r.status_code in {404, 422}, (path, r.status_code)
            for method in ("POST", "DELETE"):
                r = c.request(method, f"/reports/{q}/reparse" if method == "POST" else f"/reports/{q}")
                seen.append(r.status_code)
                assert r.status_code in {404, 422}, (method, value, r.text)

        for form in ({"department": "a\x00b"}, {"department": "\x07"}, {"fiscal_year": "99999999999999999999"},
                     {"kind": "\x00"}):
            r = c.post("/reports", files={"file": ("x.pdf", putuo_justice, "application/pdf")}, data=form)
            seen.append(r.status_code)
            assert r.status_code == 422, (form, r.text)

        given = c.get("/reports", headers={"X-Request-ID": "trace-123"})
        assert given.headers["x-request-id"] == "trace-123"
        made = c.get("/reports", headers={"X-Request-ID": "bad id!"})
        assert made.headers["x-request-id"] != "bad id!" and len(made.headers["x-request-id"]) == 32
        for r in (given, f, c.get("/nope"), c.get("/docs")):
            assert r.headers["x-content-type-options"] == "nosniff"
            assert "server" not in r.headers
            assert r.headers["x-request-id"]
        assert given.headers["cache-control"] == "no-store" and f.headers["cache-control"] == "no-store"
        assert "script-src 'self' 'sha256-" in c.get("/docs").headers["content-security-policy"]
        assert c.get("/reports").headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    print(f"\n{database_url.split(':')[0]}: {len(seen)} hostile requests, "
          f"{sum(s >= 500 for s in seen)} answered 5xx, statuses {sorted(set(seen))}")
    assert not [s for s in seen if s >= 500]


@pytest.mark.anyio
async def test_catch_all_answers_problem_json_with_the_request_id(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    app: FastAPI = create_app(Settings(data_dir=tmp_path / "data", workers=1))

    @app.get("/reports-explode")
    def explode() -> None:
        raise RuntimeError("a bug")

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            with caplog.at_level(logging.ERROR, logger="app.errors"):
                r = await client.get("/reports-explode")
    body = assert_problem(r, 500, "internal_error")
    assert body["request_id"] == r.headers["x-request-id"]
    assert r.headers["x-content-type-options"] == "nosniff"
    record = next(rec for rec in caplog.records if rec.name == "app.errors")
    assert r.headers["x-request-id"] in record.getMessage() and record.exc_info is not None
    assert "RuntimeError: a bug" in caplog.text
