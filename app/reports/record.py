"""A report's own fields (the contract's Report) and how a parse sets them, without a database:
the service applies them to its stored row, `python -m app extract` to a plain record it prints.
Pure (pydantic and the parsed model only), so the extract command imports no ORM and no web
framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from app.parsing import PARSER_VERSION
from app.parsing.model import ParsedReport
from app.reports.schemas import Counts, FileInfo, ReportError, ReportOut, counts_out
from app.validation import ValidationReport


class ReportFields(Protocol):
    """What the stored row (`app.store.models.Report`) and the plain `Record` both carry."""

    id: str
    sha256: str
    filename: str
    size_bytes: int
    pages: int | None
    status: str
    department: str | None
    fiscal_year: int | None
    kind: str
    amount_unit: str | None
    hints: dict[str, Any]
    counts: dict[str, Any]
    timings_ms: dict[str, Any]
    error_count: int
    parser_version: str | None
    error_code: str | None
    error_detail: str | None
    created_at: datetime
    updated_at: datetime
    parsed_at: datetime | None


@dataclass
class Record:
    """A report that is never stored (the extract command's)."""

    id: str
    sha256: str
    filename: str
    size_bytes: int
    created_at: datetime
    updated_at: datetime
    status: str = "queued"
    pages: int | None = None
    department: str | None = None
    fiscal_year: int | None = None
    kind: str = "unknown"
    amount_unit: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    timings_ms: dict[str, Any] = field(default_factory=dict)
    error_count: int = 0
    parser_version: str | None = PARSER_VERSION
    error_code: str | None = None
    error_detail: str | None = None
    parsed_at: datetime | None = None


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def report_id_for(sha256: str) -> str:
    """Reports are content-addressed: the same bytes are the same report."""
    return sha256[:24]


def apply_parse(report: ReportFields, parsed: ParsedReport, result: ValidationReport, now: datetime) -> None:
    """The report's fields after a successful parse."""
    m = parsed.meta
    hints = report.hints or {}
    report.department = m.department or hints.get("department")
    report.fiscal_year = m.fiscal_year or hints.get("fiscal_year")
    report.kind = m.kind if m.kind != "unknown" else hints.get("kind") or "unknown"
    report.amount_unit = m.amount_unit
    report.pages = m.pages
    report.counts = counts_out(parsed, result).model_dump()
    report.timings_ms = {k: round(v, 1) for k, v in parsed.timings_ms.items()}
    report.parser_version = PARSER_VERSION
    report.status = "parsed"
    report.error_code = report.error_detail = None
    report.parsed_at = report.updated_at = now
    report.error_count = result.counts["error"]


def report_out(report: ReportFields) -> ReportOut:
    return ReportOut(
        id=report.id, status=report.status,  # type: ignore[arg-type]
        department=report.department, fiscal_year=report.fiscal_year,
        kind=report.kind,  # type: ignore[arg-type]
        amount_unit=report.amount_unit,
        file=FileInfo(name=report.filename, sha256=report.sha256, size_bytes=report.size_bytes, pages=report.pages),
        counts=Counts(**(report.counts or {})), parser_version=report.parser_version,
        created_at=iso(report.created_at), updated_at=iso(report.updated_at),
        parsed_at=iso(report.parsed_at) if report.parsed_at else None, timings_ms=report.timings_ms or {},
        error=ReportError(code=report.error_code, detail=report.error_detail) if report.error_code else None,
    )
