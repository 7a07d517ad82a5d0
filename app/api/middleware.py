"""The trust boundary, as one ASGI middleware in front of every route, before any body is read:
request id, control characters in the path and query, API key and scope, rate limit and upload
quota, security headers, the audit of deletes, and the catch-all 500."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.docs import DOCS_CSP
from app.auth import UI_PREFIX, Principal, is_public, required_scope
from app.auth.keys import authenticate, record
from app.auth.limits import Limiter
from app.core.errors import (
    AppError,
    Forbidden,
    InvalidCharacter,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    UploadQuotaExceeded,
    internal_error,
    problem,
)
from app.store.db import session_scope

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
UI_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")  # page images arrive as blobs
FORM_OVERHEAD = 1024 * 1024  # multipart framing and form fields, beside the file itself
DOCS_PATHS = frozenset({"/docs", "/redoc"})


class TrustBoundary:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = headers.get("x-request-id", "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        method, path = scope["method"], scope["path"]
        status: list[int] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                h = MutableHeaders(scope=message)
                h["X-Request-ID"] = rid
                h["X-Content-Type-Options"] = "nosniff"
                h["X-Frame-Options"] = "DENY"
                h["Referrer-Policy"] = "no-referrer"
                h["Content-Security-Policy"] = _csp(path)
                if not is_public(path) and "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
                principal = state.get("principal")
                if principal is not None and method == "DELETE" and path.startswith("/reports/") and \
                        message["status"] == 204:  # recorded before the client hears of it
                    await run_in_threadpool(self._audit, scope, principal, path)
            await send(message)

        try:
            principal = await self._admit(scope, headers, method, path)
            if principal is not None:
                state["principal"] = principal
            limit = scope["app"].state.settings.max_upload_bytes + FORM_OVERHEAD
            if int(headers.get("content-length") or 0) > limit:
                raise PayloadTooLarge(f"the request body is larger than the {limit}-byte limit")
            await self.app(scope, _limited(receive, limit), send_with_headers)
        except AppError as exc:
            if status:
                raise
            response = problem(exc.status, exc.code, exc.title, exc.detail, path, headers=exc.headers or None,
                               **exc.extra)
            await response(scope, receive, send_with_headers)
        except Exception:
            if status:
                raise
            await internal_error(rid, method, path)(scope, receive, send_with_headers)

    async def _admit(self, scope: Scope, headers: Headers, method: str, path: str) -> Principal | None:
        """The request's principal (None on public paths), or an AppError that refuses it."""
        raw = scope.get("raw_path") or path.encode("utf-8", "surrogateescape")
        query = scope.get("query_string", b"").replace(b"+", b" ")
        if CONTROL.search(unquote_to_bytes(raw)) or CONTROL.search(unquote_to_bytes(query)):
            raise InvalidCharacter("control characters (U+0000-U+001F, U+007F) are not allowed in a path or query")
        needed = required_scope(method, path)
        if needed is None:
            return None
        app: Any = scope["app"]
        settings, limiter = app.state.settings, _limiter(app)
        address = scope["client"][0] if scope.get("client") else "unknown"
        if settings.auth == "off":
            principal: Principal | None = Principal(id=f"ip:{address}", name=None, scope="admin")
        else:
            principal = await self._authenticate(app, headers.get("authorization"))
        if principal is None:
            refused = limiter.hit(f"ip:{address}", upload=False)
            if refused is not None:
                raise RateLimited(refused.detail, retry_after=refused.retry_after)
            if "authorization" not in headers:
                raise Unauthorized("send an API key as `Authorization: Bearer KEY`")
            raise Unauthorized("the API key is unknown or revoked", error="invalid_token")
        if not principal.allows(needed):
            raise Forbidden(f"this needs a key with the {needed!r} scope; the key has {principal.scope!r}",
                            needed=needed)
        refused = limiter.hit(principal.id, upload=method == "POST" and path == "/reports")
        if refused is not None:
            error = UploadQuotaExceeded if refused.code == "upload_quota_exceeded" else RateLimited
            raise error(refused.detail, retry_after=refused.retry_after)
        return principal

    async def _authenticate(self, app: Any, authorization: str | None) -> Principal | None:
        scheme, _, secret = (authorization or "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            return None

        def lookup() -> Principal | None:
            with session_scope(app.state.engine) as session:
                return authenticate(session, secret)

        return await run_in_threadpool(lookup)

    @staticmethod
    def _audit(scope: Scope, principal: Principal, path: str) -> None:
        """Record a delete that succeeded (key changes are recorded by the key functions themselves)."""
        with session_scope(scope["app"].state.engine) as session:
            record(session, principal, "report.delete", path.removeprefix("/reports/"), {"path": path})


def _csp(path: str) -> str:
    if path in DOCS_PATHS:
        return DOCS_CSP
    return UI_CSP if path.startswith(UI_PREFIX) else API_CSP


def _limited(receive: Receive, limit: int) -> Receive:
    """`receive` that fails once more than `limit` body bytes arrived (a chunked body has no Content-Length).

    Starlette's RequestBodyLimitMiddleware would do this, but it answers text/plain, not problem+json."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise PayloadTooLarge(f"the request body is larger than the {limit}-byte limit")
        return message

    return wrapped


def _limiter(app: Any) -> Limiter:
    limiter: Limiter | None = getattr(app.state, "limiter", None)
    if limiter is None:
        s = app.state.settings
        limiter = app.state.limiter = Limiter(s.rate_limit, s.upload_quota_per_day, s.rate_limit_storage)
    return limiter
