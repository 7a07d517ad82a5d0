"""Report use cases and the report lifecycle, in one place. Keyword-only, typed; SQL lives in the
repository, HTTP in the routes. Status moves `queued → parsing → parsed | failed`; a reparse
queues a finished report again; a re-validation runs the current rules on the stored parse.
Functions that change a report commit: the service owns the transaction boundary."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.core.problems import (
    EmptyUpload,
    InvalidCursor,
    ReportBusy,
    ReportNotFound,
    TableNotFound,
    UnsupportedMediaType,
)
from app.parsing import PARSER_VERSION
from app.parsing.errors import EmptyFile, NotAPdf
from app.parsing.guard import check_magic
from app.parsing.model import ParsedReport
from app.reports import persist
from app.reports import repository as repo
from app.reports.progress import parse_progress
from app.reports.record import iso, report_id_for, report_out
from app.reports.schemas import (
    Counts,
    IndicatorList,
    IndicatorOut,
    LineItemOut,
    ProgrammeList,
    ReportList,
    ReportOut,
    TableDetail,
    TableList,
    TableOut,
    ValidationOut,
    indicator_out,
    programme_out,
    table_out,
)
from app.reports.schemas import table_id as make_table_id
from app.store.files import BlobStore
from app.store.models import LineItem, Report
from app.validation import validate


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
    if not isinstance(parts, list) or not parts:
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


def _report_key(after: list[Any]) -> tuple[datetime, str]:
    """(created_at, id) of a reports cursor: an aware ISO timestamp and an id, or InvalidCursor."""
    try:
        created, rid = after
        when = datetime.fromisoformat(_text(created).replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError(created)
        return when, _text(rid)
    except ValueError as exc:
        raise _bad_cursor(exc) from exc


def _bad_cursor(exc: Exception) -> InvalidCursor:
    return InvalidCursor("the cursor was not produced by this API")


# --- lifecycle --------------------------------------------------------------------------------


def new_report(*, sha256: str, filename: str, size_bytes: int, hints: dict[str, Any], now: datetime) -> Report:
    return Report(
        id=report_id_for(sha256), sha256=sha256, filename=filename, size_bytes=size_bytes, status="queued",
        hints={k: v for k, v in hints.items() if v is not None}, kind=hints.get("kind") or "unknown",
        department=hints.get("department"), fiscal_year=hints.get("fiscal_year"), parser_version=PARSER_VERSION,
        created_at=now, updated_at=now,
    )


def create_report(
    session: Session, *, files: BlobStore, data: bytes, filename: str, hints: dict[str, Any]
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
    report = new_report(sha256=sha, filename=filename, size_bytes=len(data), hints=hints, now=repo.now())
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


def queue_reparse(session: Session, *, report_id: str) -> Report:
    """A finished report (parsed or failed) goes back to `queued`."""
    report = require_report(session, report_id)
    if report.status in {"queued", "parsing"}:
        raise ReportBusy("the report is already queued or being parsed")
    report.status = "queued"
    report.updated_at = repo.now()
    session.add(report)
    session.commit()
    return report


def require_validatable(session: Session, *, report_id: str) -> Report:
    report = require_report(session, report_id)
    if report.status != "parsed":
        raise ReportBusy(f"the report is {report.status}; only a parsed report can be validated")
    return report








def revalidate(session: Session, *, report_id: str) -> str:
    """Run the current rules on the stored parse (no PDF, no parser); returns the status."""
    report = repo.get_report(session, report_id)
    if report is None:
        return "missing"
    parsed = persist.load_parsed(session, report)
    if parsed is None or report.status != "parsed":
        return report.status
    persist.save_validation(session, report, parsed, validate(parsed))
    session.commit()
    return report.status


def delete_report(session: Session, *, files: BlobStore, report_id: str) -> None:
    """Remove the report, everything derived from it, and its stored file."""
    report = require_report(session, report_id)
    repo.delete_report(session, report)
    session.commit()
    files.delete(report.sha256)


# --- reads ------------------------------------------------------------------------------------


def get_report(session: Session, *, report_id: str) -> ReportOut:
    report = require_report(session, report_id)
    out = report_out(report)
    if report.status == "parsing":
        out.progress = parse_progress(session, report_id)
    return out


def list_reports(session: Session, *, cursor: str | None, limit: int, **filters: Any) -> ReportList:
    after = decode_cursor(cursor)
    rows = repo.list_reports(session, after=_report_key(after) if after else None, limit=limit + 1, **filters)
    page = list(rows[:limit])
    nxt = encode_cursor(iso(page[-1].created_at), page[-1].id) if len(rows) > limit else None
    return ReportList(data=[report_out(r) for r in page], next_cursor=nxt)


def _parsed(session: Session, report_id: str) -> ParsedReport | None:
    """The stored parse without its line items (tables, programmes, indicators)."""
    require_report(session, report_id)
    data = repo.get_report_data(session, report_id)
    return None if data is None else persist.unpack_parsed(data.parsed, [])


def list_tables(session: Session, *, report_id: str) -> TableList:
    parsed = _parsed(session, report_id)
    tables = parsed.tables if parsed else []
    return TableList(data=[TableOut(**table_out(report_id, t, []).model_dump(exclude={"grid", "rows"}))
                           for t in tables],
                     next_cursor=None)


def get_table(session: Session, *, report_id: str, table_id: str) -> TableDetail:
    parsed = _parsed(session, report_id)
    for t in parsed.tables if parsed else []:
        if table_id == make_table_id(report_id, t.index):
            return table_out(report_id, t, parsed.page_sizes if parsed else [])
    raise TableNotFound(f"report {report_id!r} has no table {table_id!r}")


def line_item_view(row: LineItem | Row[Any]) -> LineItemOut:
    """A stored line item (an ORM object or a plain row of its columns) in the contract's shape: its document."""
    return LineItemOut.model_validate_json(row.doc)


@dataclass(frozen=True)
class LineItemPage:
    """A page of line items as stored: each row's document (`LineItemOut` as JSON, written with it)."""

    docs: list[str]
    next_cursor: str | None

    def json(self) -> bytes:
        """The `LineItemList` body: the documents joined, nothing rebuilt or re-encoded per request."""
        return b"".join((b'{"data":[', ",".join(self.docs).encode(), b'],"next_cursor":',
                         orjson.dumps(self.next_cursor), b"}"))

    @property
    def data(self) -> list[LineItemOut]:
        return [LineItemOut.model_validate_json(d) for d in self.docs]


def list_line_items(session: Session, *, report_id: str | None, cursor: str | None, limit: int,
                    **filters: Any) -> LineItemPage:
    if report_id is not None:
        require_report(session, report_id)
    order = repo.line_item_order(report_id=report_id, code=filters.get("code"))
    after = decode_cursor(cursor)
    try:
        _shape(after, len(order))  # a cursor of another listing is refused
        key = tuple(_index(v) if c in {"idx", "fiscal_year"} else _text(v)
                    for c, v in zip(order, after, strict=True)) if after else None
    except (TypeError, ValueError) as exc:
        raise _bad_cursor(exc) from exc
    rows = repo.list_line_items(session, report_id=report_id, after=key, limit=limit + 1,
                                columns=("doc", *order), **filters)
    page = rows[:limit]
    nxt = encode_cursor(*repo.line_item_key(page[-1], order)) if len(rows) > limit else None
    return LineItemPage([r.doc for r in page], nxt)


def report_line_items(session: Session, *, report_id: str) -> list[LineItemOut]:
    """Every line item of one report, in print order (what the evidence of its findings is drawn from)."""
    require_report(session, report_id)
    return [line_item_view(r) for r in repo.report_line_items(session, report_id)]


def list_programmes(session: Session, *, report_id: str) -> ProgrammeList:
    parsed = _parsed(session, report_id)
    return ProgrammeList(data=[programme_out(report_id, p) for p in (parsed.programmes if parsed else [])],
                         next_cursor=None)


def _indicator_matches(ind: IndicatorOut, *, programme: str | None, level1: str | None, level2: str | None,
                       met: bool | None) -> bool:
    prog = ind.programme
    return ((not programme or (prog is not None and (prog.id == programme or programme in prog.name)))
            and (not level1 or ind.level1 == level1) and (not level2 or ind.level2 == level2)
            and (met is None or ind.met == met))


def list_indicators(session: Session, *, report_id: str, cursor: str | None, limit: int,
                    programme: str | None, level1: str | None, level2: str | None, met: bool | None) -> IndicatorList:
    parsed = _parsed(session, report_id)
    after = decode_cursor(cursor)
    try:
        _shape(after, 1)
        start = _index(after[0]) if after else -1
    except (IndexError, TypeError, ValueError) as exc:
        raise _bad_cursor(exc) from exc
    page: list[tuple[int, IndicatorOut]] = []
    for n, ind in enumerate(parsed.indicators if parsed else []):
        if n <= start:
            continue
        out = indicator_out(report_id, n, ind, parsed.programmes if parsed else [])
        if _indicator_matches(out, programme=programme, level1=level1, level2=level2, met=met):
            page.append((n, out))
            if len(page) > limit:
                break
    nxt = encode_cursor(page[limit - 1][0]) if len(page) > limit else None
    return IndicatorList(data=[o for _, o in page[:limit]], next_cursor=nxt)


def validation_view(session: Session, *, report_id: str) -> ValidationOut:
    report = require_report(session, report_id)
    data = repo.get_report_data(session, report_id)
    if data is None:
        return ValidationOut(report_id=report.id, status=report.status,  # type: ignore[arg-type]
                             valid=None, checked_at=None, rules_run=0,
                             rules_skipped=[], counts=Counts().findings, findings=[])
    return ValidationOut(**{**data.validation, "status": report.status})


def reload_report(session: Session, *, report_id: str) -> ReportOut:
    """The report as a job (another thread or process) left it."""
    session.expire_all()
    return get_report(session, report_id=report_id)


def reload_validation(session: Session, *, report_id: str) -> ValidationOut:
    session.expire_all()
    return validation_view(session, report_id=report_id)
