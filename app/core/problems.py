"""The error tree: each error a stable `code`, an HTTP status and a title. No web framework here
(the service layer and the command line raise these; `app.core.errors` renders them)."""

from __future__ import annotations

from typing import Any, ClassVar

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
