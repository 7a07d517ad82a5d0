"""All SQL of the reports domain. Functions take a session; the caller owns the transaction.

Every filter is one an index serves on SQLite and PostgreSQL alike: a code prefix is a range
(`code >= '201' AND code < '202'`, under any collation), pages are keyset pages on the list's
own index order with a row-value comparison (`(report_id, idx) > (:a, :b)`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Row, delete, insert, tuple_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.store.models import LineItem, Report, ReportData, SummaryFigure

T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def get_report(session: Session, report_id: str) -> Report | None:
    return session.get(Report, report_id)


def get_by_sha(session: Session, sha256: str) -> Report | None:
    return session.exec(select(Report).where(Report.sha256 == sha256)).first()


def add_report(session: Session, report: Report) -> Report:
    session.add(report)
    session.flush()
    return report


def prefix_upper(prefix: str) -> str | None:
    """The least string above every string starting with `prefix` (None: no upper bound)."""
    p = prefix.rstrip("\U0010ffff")
    return p[:-1] + chr(ord(p[-1]) + 1) if p else None


def _where_report(
    q: SelectOfScalar[T], *, department: str | None, fiscal_year: int | None, kind: str | None
) -> SelectOfScalar[T]:
    """The report filters, on a query that selects reports or joins them."""
    if department:
        q = q.where(col(Report.department).contains(department, autoescape=True))
    if fiscal_year is not None:
        q = q.where(Report.fiscal_year == fiscal_year)
    if kind:
        q = q.where(Report.kind == kind)
    return q


def list_reports(
    session: Session,
    *,
    department: str | None,
    fiscal_year: int | None,
    kind: str | None,
    status: str | None,
    has_errors: bool | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Report]:
    q = _where_report(select(Report), department=department, fiscal_year=fiscal_year, kind=kind)
    if status:
        q = q.where(Report.status == status)
    if has_errors is not None:
        q = q.where(Report.error_count > 0 if has_errors else Report.error_count == 0)
    if after:
        q = q.where(tuple_(col(Report.created_at), col(Report.id)) > tuple_(*after))
    q = q.order_by(col(Report.created_at), col(Report.id)).limit(limit)
    return session.exec(q).all()


def stuck_reports(session: Session) -> Sequence[Report]:
    """Reports left queued or parsing by a process that stopped."""
    return session.exec(select(Report).where(col(Report.status).in_(["queued", "parsing"]))).all()


def delete_line_items(session: Session, report_id: str) -> None:
    session.execute(delete(LineItem).where(col(LineItem.report_id) == report_id))


def delete_derived(session: Session, report_id: str) -> None:
    delete_line_items(session, report_id)
    delete_summary(session, report_id)
    session.execute(delete(ReportData).where(col(ReportData.report_id) == report_id))


def get_report_data(session: Session, report_id: str) -> ReportData | None:
    return session.get(ReportData, report_id)


def put_report_data(session: Session, data: ReportData) -> None:
    session.merge(data)


def delete_report(session: Session, report: Report) -> None:
    delete_derived(session, report.id)
    session.delete(report)
    session.flush()


def add_line_items(session: Session, rows: Sequence[LineItem]) -> None:
    """One multi-row INSERT (executemany), not an ORM flush per object."""
    if rows:
        session.execute(insert(LineItem), [r.model_dump() for r in rows])


def report_line_items(session: Session, report_id: str) -> Sequence[LineItem]:
    q = select(LineItem).where(LineItem.report_id == report_id).order_by(col(LineItem.idx))
    return session.exec(q).all()


def list_line_items(
    session: Session,
    *,
    report_id: str | None,
    code: str | None,
    classification: str | None,
    table_kind: str | None,
    level: int | None,
    row_kind: str | None,
    measure: str | None,
    department: str | None,
    fiscal_year: int | None,
    kind: str | None,
    after: tuple[str | int, ...] | None,
    limit: int,
    columns: Sequence[str] | None = None,
) -> Sequence[Row[Any]]:
    """A page in `line_item_order`, after the key `after` of the last row of the page before: plain
    rows (the line_item columns by name, or only `columns`), not ORM objects, since a page is read,
    never changed."""
    table = LineItem.__table__.columns  # type: ignore[attr-defined]
    q = select(*(table[c] for c in columns) if columns else table)
    if report_id is not None:
        q = q.where(LineItem.report_id == report_id)
    if fiscal_year is not None:
        q = q.where(LineItem.fiscal_year == fiscal_year)
    if department or kind:
        q = q.join(Report, col(Report.id) == col(LineItem.report_id))
        q = _where_report(q, department=department, fiscal_year=None, kind=kind)
    if code:
        q = q.where(col(LineItem.code) >= code)
        upper = prefix_upper(code)
        if upper is not None:
            q = q.where(col(LineItem.code) < upper)
        if not code.isascii() or not code.isalnum():  # the range is exact for codes; LIKE for anything else
            q = q.where(col(LineItem.code).startswith(code, autoescape=True))
    if classification:
        q = q.where(LineItem.classification == classification)
    if table_kind:
        q = q.where(LineItem.table_kind == table_kind)
    if level is not None:
        q = q.where(LineItem.level == level)
    if row_kind:
        q = q.where(LineItem.row_kind == row_kind)
    if measure:
        q = q.where(col(LineItem.measures).contains(f",{measure},", autoescape=True))
    order = [getattr(LineItem, c) for c in line_item_order(report_id=report_id, code=code)]
    if after:
        q = q.where(tuple_(*order) > tuple_(*after))
    return session.execute(q.order_by(*order).limit(limit)).all()


def line_item_order(*, report_id: str | None, code: str | None) -> tuple[str, ...]:
    """The order of a line-item listing, always an index's: one report's rows in print order; a code
    across reports by code, year, report (`ix_line_item_code`); anything else by report (the key,
    or `ix_line_item_year` within one year)."""
    if code and report_id is None:
        return ("code", "fiscal_year", "report_id", "idx")
    return ("report_id", "idx")


def line_item_key(row: Any, order: tuple[str, ...]) -> tuple[str | int, ...]:
    return tuple(getattr(row, c) for c in order)


def delete_summary(session: Session, report_id: str) -> None:
    session.execute(delete(SummaryFigure).where(col(SummaryFigure.report_id) == report_id))


def add_summary(session: Session, rows: Sequence[SummaryFigure]) -> None:
    if rows:
        session.execute(insert(SummaryFigure), [r.model_dump() for r in rows])


def report_summary(session: Session, report_id: str) -> Sequence[SummaryFigure]:
    q = select(SummaryFigure).where(SummaryFigure.report_id == report_id).order_by(col(SummaryFigure.pos))
    return session.exec(q).all()


def list_summaries(
    session: Session,
    *,
    key: str | None,
    fiscal_year: int | None,
    kind: str | None,
    department: str | None,
    after: tuple[str | int, ...] | None,
    limit: int,
) -> Sequence[SummaryFigure]:
    """Headline figures across reports in `summary_order` (the key index when a key is given)."""
    q = select(SummaryFigure)
    if key:
        q = q.where(SummaryFigure.key == key)
    if fiscal_year is not None:
        q = q.where(SummaryFigure.fiscal_year == fiscal_year)
    if kind:
        q = q.where(SummaryFigure.kind == kind)
    if department:
        q = q.where(col(SummaryFigure.department).contains(department, autoescape=True))
    order = [getattr(SummaryFigure, c) for c in summary_order(key=key)]
    if after:
        q = q.where(tuple_(*order) > tuple_(*after))
    return session.exec(q.order_by(*order).limit(limit)).all()


def summary_order(*, key: str | None) -> tuple[str, ...]:
    if key:
        return ("key", "fiscal_year", "report_id")
    return ("report_id", "pos")


def department_summary(session: Session, department: str) -> Sequence[SummaryFigure]:
    """One department's headline figures, every year and kind (`ix_summary_figure_department`)."""
    q = (select(SummaryFigure).where(SummaryFigure.department == department)
         .order_by(col(SummaryFigure.fiscal_year), col(SummaryFigure.report_id), col(SummaryFigure.pos)))
    return session.exec(q).all()


def department_reports(session: Session, department: str) -> Sequence[Report]:
    q = (select(Report).where(Report.department == department, Report.status == "parsed")
         .order_by(col(Report.fiscal_year), col(Report.kind), col(Report.id)))
    return session.exec(q).all()


def code_line_items(session: Session, report_ids: Sequence[str], code: str) -> Sequence[Row[Any]]:
    """The rows of one exact code in these reports (`ix_line_item_code`), in print order."""
    if not report_ids:
        return []
    q = (select(*LineItem.__table__.columns)  # type: ignore[attr-defined]
         .where(LineItem.code == code, col(LineItem.report_id).in_(report_ids))
         .order_by(col(LineItem.report_id), col(LineItem.idx)))
    return session.execute(q).all()
