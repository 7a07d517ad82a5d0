"""One error tree, rendered as RFC 9457 problem+json with a stable `code` by one handler."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.routing import Route

PROBLEM = "application/problem+json"


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class ReportNotFound(NotFound):
    code = "report_not_found"
    title = "Report not found"


class TableNotFound(NotFound):
    code = "table_not_found"
    title = "Table not found"


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"
    title = "Not a PDF file"


class EmptyUpload(AppError):
    status = 400
    code = "empty_file"
    title = "The uploaded file is empty"


class MissingFile(AppError):
    status = 400
    code = "missing_file"
    title = "No file in the upload"


class PayloadTooLarge(AppError):
    status = 413
    code = "file_too_large"
    title = "The file is larger than the upload limit"


class InvalidCursor(AppError):
    status = 400
    code = "invalid_cursor"
    title = "The cursor is not valid"


class ReportBusy(AppError):
    status = 409
    code = "report_busy"
    title = "The report is being parsed"


class WaitTimeout(AppError):
    status = 504
    code = "wait_timeout"
    title = "The report was not parsed in time"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    title = "A valid API key is required"

    def __init__(self, detail: str, *, error: str | None = None) -> None:
        super().__init__(detail)
        self.headers["WWW-Authenticate"] = 'Bearer realm="api"' + (f', error="{error}"' if error else "")


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "The API key's scope does not allow this"

    def __init__(self, detail: str, *, needed: str) -> None:
        super().__init__(detail, required_scope=needed)
        self.headers["WWW-Authenticate"] = f'Bearer realm="api", error="insufficient_scope", scope="{needed}"'


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.headers["Retry-After"] = str(retry_after)


class UploadQuotaExceeded(RateLimited):
    code = "upload_quota_exceeded"
    title = "The daily upload quota is used up"


class InvalidCharacter(AppError):
    status = 422
    code = "invalid_character"
    title = "A parameter holds a control character"


class InvalidMultipart(AppError):
    status = 400
    code = "invalid_multipart"
    title = "The multipart body is malformed"


class TooManyParts(AppError):
    status = 413
    code = "too_many_parts"
    title = "The multipart body has too many or too large parts"


class KeyNotFound(NotFound):
    code = "key_not_found"
    title = "API key not found"


log = logging.getLogger("app.errors")


def problem(status: int, code: str, title: str, detail: str, instance: str, *,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": f"about:blank#{code}", "title": title, "status": status, "detail": detail, "code": code}
    body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def internal_error(request_id: str, method: str, path: str) -> JSONResponse:
    """The catch-all: log the traceback of the exception being handled, answer with its request id."""
    log.exception("unhandled error in %s %s (request %s)", method, path, request_id)
    return problem(500, "internal_error", "Internal server error",
                   f"an unexpected error occurred; quote request id {request_id} when reporting it", path,
                   request_id=request_id)


def _body_error(exc: StarletteHTTPException) -> AppError | None:
    """FastAPI turns every failure of reading a form into a bare 400: give the multipart ones their code."""
    cause = exc.__cause__ or exc.__context__  # Starlette raises its 400 inside `except MultiPartException`
    if isinstance(cause, PayloadTooLarge):
        return cause
    if isinstance(cause, MultiPartException):
        if str(cause).startswith(("Too many", "Part exceeded", "Field exceeded")):
            return TooManyParts(str(cause))
        return InvalidMultipart(str(cause))
    if exc.status_code == 400 and cause is not None:
        return InvalidMultipart(f"the request body could not be read: {type(cause).__name__}")
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.title, exc.detail, request.url.path, headers=exc.headers or None,
                       **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return problem(422, "invalid_request", "Invalid request", "the request parameters are not valid",
                       request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (body := _body_error(exc)) is not None:
            return await _app_error(request, body)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first route of the path; name them all
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem(exc.status_code, code, str(exc.detail), str(exc.detail), request.url.path,
                       headers=headers or None)


def _allowed_methods(request: Request) -> list[str]:
    path = request.scope["path"]
    return sorted({m for r in request.app.router.routes
                   if isinstance(r, Route) and r.methods and r.path_regex.match(path) for m in r.methods})


class Problem(BaseModel):
    """An RFC 9457 problem document (served as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the errors a route can raise."""
    out: dict[int | str, dict[str, Any]] = {}
    for e in errors:
        entry = out.setdefault(e.status, {"model": Problem, "description": ""})
        entry["description"] = (entry["description"] + "; " if entry["description"] else "") + f"{e.code}: {e.title}"
    return out
