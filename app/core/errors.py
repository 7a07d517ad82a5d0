"""One error tree, rendered as RFC 9457 problem+json with a stable `code` by one handler."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
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


class PageNotFound(NotFound):
    code = "page_not_found"
    title = "Page not found"


class FindingNotFound(NotFound):
    code = "finding_not_found"
    title = "Finding not found"


class HighlightNotFound(NotFound):
    code = "highlight_not_found"
    title = "Nothing to highlight with that id"


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


class InvalidRequest(AppError):
    status = 422
    code = "invalid_request"
    title = "Invalid request"


class MethodNotAllowed(AppError):
    status = 405
    code = "method_not_allowed"
    title = "Method not allowed"


class HTTPError(AppError):
    """Any other HTTP error raised by the framework (its status is the framework's)."""

    code = "http_error"
    title = "HTTP error"


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


class DepartmentNotFound(NotFound):
    code = "department_not_found"
    title = "Department not found"


class MultipleFiles(AppError):
    status = 400
    code = "multiple_files"
    title = "More than one file in the upload"


class BatchNotFound(NotFound):
    code = "batch_not_found"
    title = "Batch not found"


class InvalidArchive(AppError):
    status = 400
    code = "invalid_archive"
    title = "The zip archive cannot be read"


class ArchiveTooLarge(AppError):
    status = 413
    code = "archive_too_large"
    title = "The zip archive holds too many files or too many bytes"


class UnsafePath(AppError):
    status = 400
    code = "unsafe_path"
    title = "An archive member's path leaves the archive"


class NestedArchive(AppError):
    status = 415
    code = "nested_archive"
    title = "An archive inside the archive"


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


def _missing_file_part(request: Request, errors: list[dict[str, Any]]) -> str | None:
    """The name of a required file part that the multipart body lacks, if that is what failed."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    file_parts = {f.alias for f in getattr(dependant, "body_params", ()) if isinstance(f.field_info, params.File)}
    for e in errors:
        loc = tuple(e.get("loc", ()))
        if e.get("type") == "missing" and len(loc) == 2 and loc[0] == "body" and loc[1] in file_parts:
            return str(loc[1])
    return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.title, exc.detail, request.url.path, headers=exc.headers or None,
                       **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [dict(e) for e in exc.errors()]
        part = _missing_file_part(request, errors)
        if part is not None:
            return problem(MissingFile.status, MissingFile.code, MissingFile.title,
                           f"send the PDF as the multipart field `{part}`", request.url.path)
        items = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
        return problem(InvalidRequest.status, InvalidRequest.code, InvalidRequest.title,
                       "the request parameters are not valid", request.url.path, errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if (body := _body_error(exc)) is not None:
            return await _app_error(request, body)
        code = {404: NotFound.code, 405: MethodNotAllowed.code}.get(exc.status_code, HTTPError.code)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette names only the first route of the path; name them all
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return problem(exc.status_code, code, str(exc.detail), str(exc.detail), request.url.path,
                       headers=headers or None)


def _allowed_methods(request: Request) -> list[str]:
    path = request.scope["path"]
    return sorted({m for r in request.app.router.routes
                   if isinstance(r, Route) and r.methods and r.path_regex.match(path) for m in r.methods})


def problem_codes() -> list[str]:
    """Every stable `code`: one per class in the AppError tree, wherever it is defined."""
    codes: set[str] = set()
    todo: list[type[AppError]] = [AppError]
    while todo:
        cls = todo.pop()
        codes.add(cls.code)
        todo.extend(cls.__subclasses__())
    return sorted(codes)


def _code_enum(schema: dict[str, Any]) -> None:
    schema["enum"] = problem_codes()


class FieldError(BaseModel):
    """One invalid request parameter: where it is (`["query", "limit"]`) and what is wrong with it."""

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem document, served as application/problem+json."""

    type: str = Field(description="`about:blank#<code>`")
    title: str
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong with this request, for a person")
    code: str = Field(description="the stable machine-readable code", json_schema_extra=_code_enum)
    instance: str = Field(description="the request path")
    errors: list[FieldError] = Field(default_factory=list, description="the invalid parameters (invalid_request)")


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_response(description: str) -> dict[str, Any]:
    """One OpenAPI response documented as a Problem in application/problem+json."""
    return {"description": description, "content": {PROBLEM: {"schema": dict(PROBLEM_REF)}}}


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the errors a route can raise (the contract adds 422 where it applies)."""
    out: dict[int | str, dict[str, Any]] = {}
    for e in errors:
        entry = out.setdefault(e.status, problem_response(""))
        entry["description"] = (entry["description"] + "; " if entry["description"] else "") + f"{e.code}: {e.title}"
    return out
