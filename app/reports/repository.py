"""All SQL of the reports domain. Functions take a session; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.store.models import Finding, Indicator, LineItem, Programme, Report, ReportTable

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


def _where_report(
    q: SelectOfScalar[T], *, department: str | None, fiscal_year: int | None, kind: str | None
) -> SelectOfScalar[T]:
    """The report filters, on a query that selects reports or joins them."""
    if department:
        q = q.where(col(Report.department).contains(department))
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
    after: tuple[str, str] | None,
    limit: int,
) -> Sequence[Report]:
    q = _where_report(select(Report), department=department, fiscal_year=fiscal_year, kind=kind)
    if status:
        q = q.where(Report.status == status)
    if has_errors is not None:
        q = q.where(Report.error_count > 0 if has_errors else Report.error_count == 0)
    if after:
        created, rid = datetime.fromisoformat(after[0]), after[1]
        q = q.where(or_(col(Report.created_at) > created,
                         and_(col(Report.created_at) == created, col(Report.id) > rid)))
    q = q.order_by(col(Report.created_at), col(Report.id)).limit(limit)
    return session.exec(q).all()


def stuck_reports(session: Session) -> Sequence[Report]:
    """Reports left queued or parsing by a process that stopped."""
    return session.exec(select(Report).where(col(Report.status).in_(["queued", "parsing"]))).all()


def delete_derived(session: Session, report_id: str) -> None:
    for model in (Finding, Indicator, Programme, LineItem, ReportTable):
        session.execute(delete(model).where(col(model.report_id) == report_id))


def delete_report(session: Session, report: Report) -> None:
    delete_derived(session, report.id)
    session.delete(report)
    session.flush()


def add_all(session: Session, rows: Sequence[Any]) -> None:
    session.add_all(rows)
    session.flush()


def replace_findings(session: Session, report_id: str, rows: Sequence[Finding]) -> None:
    session.execute(delete(Finding).where(col(Finding.report_id) == report_id))
    add_all(session, rows)


def list_tables(session: Session, report_id: str) -> Sequence[ReportTable]:
    q = select(ReportTable).where(ReportTable.report_id == report_id).order_by(col(ReportTable.idx))
    return session.exec(q).all()


def get_table(session: Session, report_id: str, table_id: str) -> ReportTable | None:
    t = session.get(ReportTable, table_id)
    return t if t is not None and t.report_id == report_id else None


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
    after: tuple[str, int] | None,
    limit: int,
) -> Sequence[LineItem]:
    q = select(LineItem)
    if report_id is not None:
        q = q.where(LineItem.report_id == report_id)
    if department or fiscal_year is not None or kind:
        q = q.join(Report, col(Report.id) == col(LineItem.report_id))
        q = _where_report(q, department=department, fiscal_year=fiscal_year, kind=kind)
    if code:
        q = q.where(col(LineItem.code).startswith(code))
    if classification:
        q = q.where(LineItem.classification == classification)
    if table_kind:
        q = q.where(LineItem.table_kind == table_kind)
    if level is not None:
        q = q.where(LineItem.level == level)
    if row_kind:
        q = q.where(LineItem.row_kind == row_kind)
    if measure:
        q = q.where(col(LineItem.measures).contains(f",{measure},"))
    if after:
        q = q.where(or_(col(LineItem.report_id) > after[0],
                        and_(col(LineItem.report_id) == after[0], col(LineItem.idx) > after[1])))
    q = q.order_by(col(LineItem.report_id), col(LineItem.idx)).limit(limit)
    return session.exec(q).all()


def list_programmes(session: Session, report_id: str) -> Sequence[Programme]:
    return session.exec(select(Programme).where(Programme.report_id == report_id).order_by(col(Programme.idx))).all()


def list_indicators(
    session: Session,
    *,
    report_id: str,
    programme: str | None,
    level1: str | None,
    level2: str | None,
    met: bool | None,
    after: int | None,
    limit: int,
) -> Sequence[Indicator]:
    q = select(Indicator).where(Indicator.report_id == report_id)
    if programme:
        q = q.where(or_(col(Indicator.programme_id) == programme, col(Indicator.programme_name).contains(programme)))
    if level1:
        q = q.where(Indicator.level1 == level1)
    if level2:
        q = q.where(Indicator.level2 == level2)
    if met is not None:
        q = q.where(Indicator.met == met)
    if after is not None:
        q = q.where(Indicator.idx > after)
    return session.exec(q.order_by(col(Indicator.idx)).limit(limit)).all()


def list_findings(session: Session, report_id: str) -> Sequence[Finding]:
    return session.exec(select(Finding).where(Finding.report_id == report_id).order_by(col(Finding.idx))).all()


def count_reports(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Report)).one())
