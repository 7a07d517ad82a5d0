"""Report use cases. Keyword-only, typed; SQL lives in the repository, HTTP in the routes."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.core.errors import EmptyUpload, InvalidCursor, ReportNotFound, TableNotFound, UnsupportedMediaType
from app.parsing import PARSER_VERSION
from app.parsing.errors import EmptyFile, NotAPdf
from app.parsing.guard import check_magic
from app.reports import repository as repo
from app.reports.document import report_id_for
from app.reports.persist import iso
from app.store.files import FileStore
from app.store.models import Report


@dataclass(frozen=True)
class Created:
    report: Report
    created: bool  # False: the same bytes were uploaded before


def encode_cursor(*parts: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(parts))).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidCursor("the cursor was not produced by this API") from exc
    if not isinstance(parts, list):
        raise InvalidCursor("the cursor was not produced by this API")
    return parts


def _index(value: Any) -> int:
    """A row index from a cursor: an int that fits the column (a larger one is a 500 on the database)."""
    if type(value) is not int or not 0 <= value < 2**31:
        raise ValueError(value)
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _shape(after: list[Any] | None, parts: int) -> None:
    if after is not None and len(after) != parts:
        raise ValueError(after)


def _report_key(after: list[Any]) -> tuple[str, str]:
    """(created_at, id) of a reports cursor: an aware ISO timestamp and an id, or InvalidCursor."""
    try:
        created, rid = after
        if not isinstance(created, str) or not isinstance(rid, str) or datetime.fromisoformat(created).tzinfo is None:
            raise ValueError(created)
    except ValueError as exc:
        raise InvalidCursor("the cursor was not produced by this API") from exc
    return created, rid


def create_report(
    session: Session, *, files: FileStore, data: bytes, filename: str, hints: dict[str, Any]
) -> Created:
    """Check the bytes, store them (before any parsing), and record a queued report."""
    try:
        check_magic(data)
    except EmptyFile as exc:
        raise EmptyUpload(exc.detail) from exc
    except NotAPdf as exc:
        raise UnsupportedMediaType(exc.detail) from exc
    sha = hashlib.sha256(data).hexdigest()
    existing = repo.get_by_sha(session, sha)
    if existing is not None:
        return Created(existing, created=False)
    files.put(data)
    now = repo.now()
    report = Report(
        id=report_id_for(sha),
        sha256=sha,
        filename=filename,
        size_bytes=len(data),
        status="queued",
        hints={k: v for k, v in hints.items() if v is not None},
        kind=hints.get("kind") or "unknown",
        department=hints.get("department"),
        fiscal_year=hints.get("fiscal_year"),
        parser_version=PARSER_VERSION,
        created_at=now,
        updated_at=now,
    )
    try:
        repo.add_report(session, report)
        session.commit()  # the job (another thread or process) must see the row
    except IntegrityError:  # the same bytes, uploaded concurrently: that upload won
        session.rollback()
        winner = repo.get_by_sha(session, sha)
        if winner is None:
            raise
        return Created(winner, created=False)
    return Created(report, created=True)


def require_report(session: Session, report_id: str) -> Report:
    report = repo.get_report(session, report_id)
    if report is None:
        raise ReportNotFound(f"no report with id {report_id!r}")
    return report


def mark_queued(session: Session, report: Report) -> Report:
    report.status = "queued"
    report.updated_at = repo.now()
    session.add(report)
    session.commit()
    return report


def delete_report(session: Session, *, files: FileStore, report_id: str) -> None:
    """Remove the report, everything derived from it, and its stored file."""
    report = require_report(session, report_id)
    repo.delete_report(session, report)
    session.commit()
    files.delete(report.sha256)


def report_view(report: Report) -> dict[str, Any]:
    """The contract's Report shape."""
    counts = report.counts or {}
    return {
        "id": report.id,
        "status": report.status,
        "department": report.department,
        "fiscal_year": report.fiscal_year,
        "kind": report.kind,
        "amount_unit": report.amount_unit,
        "file": {"name": report.filename, "sha256": report.sha256, "size_bytes": report.size_bytes,
                 "pages": report.pages},
        "counts": {
            "tables": counts.get("tables", 0),
            "line_items": counts.get("line_items", 0),
            "programmes": counts.get("programmes", 0),
            "indicators": counts.get("indicators", 0),
            "findings": counts.get("findings", {"error": 0, "warning": 0, "info": 0}),
        },
        "parser_version": report.parser_version,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "parsed_at": iso(report.parsed_at) if report.parsed_at else None,
        "timings_ms": report.timings_ms or {},
        "error": {"code": report.error_code, "detail": report.error_detail} if report.error_code else None,
    }


def list_reports(session: Session, *, cursor: str | None, limit: int, **filters: Any) -> dict[str, Any]:
    after = decode_cursor(cursor)
    rows = repo.list_reports(session, after=_report_key(after) if after else None, limit=limit + 1, **filters)
    page = list(rows[:limit])
    nxt = encode_cursor(iso(page[-1].created_at), page[-1].id) if len(rows) > limit else None
    return {"data": [report_view(r) for r in page], "next_cursor": nxt}


def list_tables(session: Session, *, report_id: str) -> dict[str, Any]:
    require_report(session, report_id)
    return {"data": [{k: v for k, v in t.doc.items() if k != "grid"} for t in repo.list_tables(session, report_id)],
            "next_cursor": None}


def get_table(session: Session, *, report_id: str, table_id: str) -> dict[str, Any]:
    require_report(session, report_id)
    t = repo.get_table(session, report_id, table_id)
    if t is None:
        raise TableNotFound(f"report {report_id!r} has no table {table_id!r}")
    return t.doc


def list_line_items(session: Session, *, report_id: str | None, cursor: str | None, limit: int,
                    **filters: Any) -> dict[str, Any]:
    if report_id is not None:
        require_report(session, report_id)
    after = decode_cursor(cursor)
    try:
        _shape(after, 2)
        key = (_text(after[0]), _index(after[1])) if after else None
    except (IndexError, TypeError, ValueError) as exc:
        raise InvalidCursor("the cursor was not produced by this API") from exc
    rows = repo.list_line_items(session, report_id=report_id, after=key, limit=limit + 1, **filters)
    page = list(rows[:limit])
    nxt = encode_cursor(page[-1].report_id, page[-1].idx) if len(rows) > limit else None
    return {"data": [r.doc for r in page], "next_cursor": nxt}


def list_programmes(session: Session, *, report_id: str) -> dict[str, Any]:
    require_report(session, report_id)
    return {"data": [p.doc for p in repo.list_programmes(session, report_id)], "next_cursor": None}


def list_indicators(session: Session, *, report_id: str, cursor: str | None, limit: int,
                    **filters: Any) -> dict[str, Any]:
    require_report(session, report_id)
    after = decode_cursor(cursor)
    try:
        _shape(after, 1)
        key = _index(after[0]) if after else None
    except (IndexError, TypeError, ValueError) as exc:
        raise InvalidCursor("the cursor was not produced by this API") from exc
    rows = repo.list_indicators(session, report_id=report_id, after=key, limit=limit + 1, **filters)
    page = list(rows[:limit])
    nxt = encode_cursor(page[-1].idx) if len(rows) > limit else None
    return {"data": [r.doc for r in page], "next_cursor": nxt}


def validation_view(session: Session, *, report_id: str) -> dict[str, Any]:
    report = require_report(session, report_id)
    summary = report.validation or {
        "report_id": report.id, "valid": None, "checked_at": None, "rules_run": 0,
        "rules_skipped": [], "counts": {"error": 0, "warning": 0, "info": 0},
    }
    return {**summary, "status": report.status, "findings": [f.doc for f in repo.list_findings(session, report_id)]}
