"""HTTP as clients expect it, as ASGI middleware around every route (outermost first):

- CORS for the origins in `CORS_ORIGINS` (Starlette's CORSMiddleware; a preflight is answered
  before the trust boundary, so it needs no key);
- HEAD on every GET route: the GET's status and headers, no body;
- (the trust boundary, app/api/middleware.py)
- a strong ETag on every GET of a parsed or failed report's resources, derived from the stored
  report's version (its `updated_at`, moved by every reparse and re-validation), the parser and
  API versions, the path and the query; `If-None-Match` with it → 304 before any handler runs;
  a gzipped body gets its own tag (`…-gzip"`), as a strong tag names one sequence of bytes; the
  trust boundary's `Cache-Control: no-store` stays (private data: a client keeps the body and its
  tag itself and asks again with If-None-Match);
  and `Server-Timing: app;dur=` (milliseconds until the response started);
- gzip for bodies of 4 KiB or more (Starlette's GZipMiddleware), also while streaming;
- `Link: <…>; rel="next"` beside a list's `next_cursor`, and `Retry-After` on every 202.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__
from app.core.config import Settings
from app.parsing import PARSER_VERSION
from app.reports import repository as repo
from app.store.db import session_scope

GZIP_MIN_BYTES = 4096
GZIP_LEVEL = 3  # a 740 kB page: 45 kB in ~2 ms; level 5 takes ~8 ms for 42 kB, level 9 longer still
NOT_GZIPPED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/pdf",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # compressed already
RETRY_AFTER_SECONDS = 2  # the poll interval suggested with a 202
REPORT_PATH = re.compile(r"/reports/(?P<id>[0-9a-f]{24})(?:/.*)?")
STABLE = frozenset({"parsed", "failed"})  # a queued or parsing report still changes without a new version
NEXT_CURSOR = re.compile(rb'"next_cursor":"([A-Za-z0-9_-]+)"}$')
CORS_HEADERS = ["Authorization", "Content-Type", "If-None-Match", "X-Request-ID"]
EXPOSED = ["ETag", "Link", "Location", "Retry-After", "Content-Disposition", "X-Request-ID", "Server-Timing"]


def install_http(app: FastAPI, settings: Settings, boundary: Any) -> None:
    """Every middleware, innermost first (each `add_middleware` wraps the ones before it)."""
    app.add_middleware(Paging)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL,
                       exclude_content_types=NOT_GZIPPED)
    app.add_middleware(Conditional)
    app.add_middleware(boundary)
    app.add_middleware(HeadAsGet)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "HEAD", "POST", "DELETE"], allow_headers=CORS_HEADERS,
                           expose_headers=EXPOSED, max_age=600)


class HeadAsGet:
    """HEAD runs the GET and sends its status and headers (Content-Length included) without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        scope = {**scope, "method": "GET"}
        finished = False

        async def send_headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not finished:
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app(scope, receive, send_headers_only)


def etag_for(report_id: str, updated_at: str, path: str, query: bytes) -> str:
    key = "\n".join((report_id, updated_at, PARSER_VERSION, __version__, path, query.decode("latin-1")))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str, tag: str) -> str | None:
    """The tag of ours the client holds (identity or gzip), if `If-None-Match` names one."""
    held = {t.strip() for t in if_none_match.split(",")}
    for candidate in (tag, _gzip_tag(tag)):
        if candidate in held or f"W/{candidate}" in held or "*" in held:
            return candidate
    return None


def _gzip_tag(tag: str) -> str:
    return tag[:-1] + '-gzip"'


class Conditional:
    """ETag and If-None-Match on a stable report's resources; Server-Timing on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        tag = await self._tag(scope) if scope["method"] == "GET" else None
        if tag is not None and (held := _matches(Headers(scope=scope).get("if-none-match", ""), tag)):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", held.encode()), (b"vary", b"Accept-Encoding"), _timing(started)]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(*(v.decode() for v in _timing(started)))
                if tag is not None and message["status"] == 200 and "etag" not in headers:
                    headers["ETag"] = _gzip_tag(tag) if headers.get("content-encoding") == "gzip" else tag
            await send(message)

        await self.app(scope, receive, send_tagged)

    @staticmethod
    async def _tag(scope: Scope) -> str | None:
        match = REPORT_PATH.fullmatch(scope["path"])
        if match is None:
            return None
        report_id = match["id"]

        def version() -> str | None:
            with session_scope(scope["app"].state.engine) as session:
                report = repo.get_report(session, report_id)
                return report.updated_at.isoformat() if report is not None and report.status in STABLE else None

        updated = await run_in_threadpool(version)
        return None if updated is None else etag_for(report_id, updated, scope["path"], scope.get("query_string", b""))


def _timing(started: float) -> tuple[bytes, bytes]:
    return b"server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()


def next_link(path: str, query: bytes, cursor: str) -> str:
    params = [(k, v) for k, v in parse_qsl(query.decode("latin-1"), keep_blank_values=True) if k != "cursor"]
    return f'<{path}?{urlencode([*params, ("cursor", cursor)], quote_via=quote)}>; rel="next"'


class Paging:
    """`Link: rel=next` from a JSON list's `next_cursor` (the lists end with it); `Retry-After` on a 202."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None

        async def send_linked(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] == 202:
                    MutableHeaders(scope=message).setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
                if message["status"] == 200 and scope["method"] == "GET" and \
                        Headers(raw=message["headers"]).get("content-type") == "application/json":
                    start = message  # held until the body shows whether there is a next page
                    return
            elif start is not None:
                held, start = start, None
                body = message.get("body", b"")
                if not message.get("more_body") and (m := NEXT_CURSOR.search(body[-200:])):
                    link = next_link(scope["path"], scope.get("query_string", b""), m[1].decode())
                    MutableHeaders(scope=held).append("Link", link)
                await send(held)
            await send(message)

        await self.app(scope, receive, send_linked)
