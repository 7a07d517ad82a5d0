"""The SQL of what is loaded: departments (names, their reports), fiscal years, and the department
search, by `pg_trgm` on PostgreSQL (similarity, word similarity, and the query's characters in
order as a LIKE pattern, served by `ix_report_department_trgm`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select, text
from sqlmodel import Session, col

from app.reports.department_search import normalise
from app.store.models import Report

MIN_SIMILARITY = 0.2
MIN_WORD_SIMILARITY = 0.4


def _report_filters(q: Any, *, fiscal_year: int | None, kind: str | None) -> Any:
    q = q.where(col(Report.department).is_not(None))
    if fiscal_year is not None:
        q = q.where(Report.fiscal_year == fiscal_year)
    if kind:
        q = q.where(Report.kind == kind)
    return q


def department_names(session: Session, *, fiscal_year: int | None, kind: str | None, after: str | None,
                     limit: int | None) -> list[str]:
    """Distinct department names in name order, after `after` (a keyset page)."""
    q = _report_filters(select(col(Report.department)).distinct(), fiscal_year=fiscal_year, kind=kind)
    if after is not None:
        q = q.where(col(Report.department) > after)
    q = q.order_by(Report.department)
    if limit is not None:
        q = q.limit(limit)
    return [name for (name,) in session.execute(q).all()]


def reports_of(session: Session, names: Sequence[str], *, fiscal_year: int | None,
               kind: str | None) -> Sequence[Row[Any]]:
    if not names:
        return []
    columns = (col(Report.department), col(Report.id), col(Report.fiscal_year), col(Report.kind), col(Report.status))
    q = _report_filters(select(*columns), fiscal_year=fiscal_year, kind=kind)
    q = q.where(col(Report.department).in_(names)).order_by(
        Report.department, Report.fiscal_year, Report.kind, Report.id)
    return session.execute(q).all()


def fiscal_years(session: Session) -> Sequence[Row[Any]]:
    """(fiscal_year, kind, reports, departments) groups, newest year first (an unknown year last)."""
    q = (select(col(Report.fiscal_year), col(Report.kind), func.count().label("reports"),
                func.count(func.distinct(Report.department)).label("departments"))
         .group_by(col(Report.fiscal_year), col(Report.kind))
         .order_by(col(Report.fiscal_year).is_(None), col(Report.fiscal_year).desc(), Report.kind))
    return session.execute(q).all()


def year_departments(session: Session) -> dict[int | None, int]:
    """Distinct departments per fiscal year, whatever the kind."""
    q = select(col(Report.fiscal_year), func.count(func.distinct(Report.department))).group_by(col(Report.fiscal_year))
    return {year: int(n) for year, n in session.execute(q).all()}


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def search_names_trgm(session: Session, query: str, *, fiscal_year: int | None, kind: str | None) -> list[str]:
    """PostgreSQL: names similar to `query` by trigrams, or holding its characters in order; best first."""
    chars = normalise(query)
    pattern = "%" + "%".join(c.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for c in chars) + "%"
    score = func.greatest(func.similarity(Report.department, query), func.word_similarity(query, Report.department))
    match = (func.similarity(Report.department, query) >= MIN_SIMILARITY) | (
        func.word_similarity(query, Report.department) >= MIN_WORD_SIMILARITY) | (
        col(Report.department).like(pattern, escape="\\"))
    q = _report_filters(select(col(Report.department), func.max(score).label("score")), fiscal_year=fiscal_year,
                        kind=kind)
    q = q.where(match).group_by(col(Report.department)).order_by(text("score DESC"), Report.department)
    return [name for name, _ in session.execute(q).all()]
