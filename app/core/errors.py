"""One error tree, rendered as RFC 9457 problem+json with a stable `code` by one handler."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.routing import Route

from app.core.problems import (  # re-exported: the tree is defined without fastapi
    PROBLEM,
    AppError,
    ArchiveTooLarge,
    BatchNotFound,
    DepartmentNotFound,
    EmptyUpload,
    FindingNotFound,
    Forbidden,
    HighlightNotFound,
    HTTPError,
    InvalidArchive,
    InvalidCharacter,
    InvalidCursor,
    InvalidMultipart,
    InvalidRequest,
    KeyNotFound,
    MethodNotAllowed,
    MissingFile,
    MultipleFiles,
    NestedArchive,
    NotFound,
    PageNotFound,
    PayloadTooLarge,
    RateLimited,
    ReportBusy,
    ReportNotFound,
    TableNotFound,
    TooManyParts,
    Unauthorized,
    UnsafePath,
    UnsupportedMediaType,
    UploadQuotaExceeded,
    WaitTimeout,
)

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


__all__ = [
    "MultipleFiles",
    "BatchNotFound",
    "InvalidArchive",
    "ArchiveTooLarge",
    "UnsafePath",
    "NestedArchive",
    "PROBLEM",
    "PROBLEM_REF",
    "FieldError",
    "Problem",
    "install_error_handlers",
    "internal_error",
    "problem",
    "problem_codes",
    "problem_response",
    "problem_responses",
    "AppError",
    "NotFound",
    "ReportNotFound",
    "TableNotFound",
    "PageNotFound",
    "FindingNotFound",
    "HighlightNotFound",
    "UnsupportedMediaType",
    "EmptyUpload",
    "MissingFile",
    "PayloadTooLarge",
    "InvalidCursor",
    "ReportBusy",
    "WaitTimeout",
    "InvalidRequest",
    "MethodNotAllowed",
    "HTTPError",
    "Unauthorized",
    "Forbidden",
    "RateLimited",
    "UploadQuotaExceeded",
    "InvalidCharacter",
    "InvalidMultipart",
    "TooManyParts",
    "KeyNotFound",
    "DepartmentNotFound",
]
