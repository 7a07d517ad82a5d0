"""What is loaded: departments (their reports by year and kind; a search tolerating partial and
reordered names) and fiscal years. SQL lives in department_queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from app.core.errors import InvalidCursor
from app.reports import department_queries as q
from app.reports.department_schemas import (
    DepartmentList,
    DepartmentOut,
    DepartmentReport,
    DepartmentYear,
    FiscalYearList,
    FiscalYearOut,
    KindCounts,
)
from app.reports.department_search import search
from app.reports.service import decode_cursor, encode_cursor


def _bad() -> InvalidCursor:
    return InvalidCursor("the cursor was not produced by this API")


def _departments(session: Session, names: Sequence[str], *, fiscal_year: int | None,
                 kind: str | None) -> list[DepartmentOut]:
    rows: dict[str, list[Any]] = {}
    for r in q.reports_of(session, names, fiscal_year=fiscal_year, kind=kind):
        rows.setdefault(r.department, []).append(r)
    out = []
    for name in names:
        reports = rows.get(name, [])
        counts = KindCounts(reports=len(reports))
        years: dict[int | None, DepartmentYear] = {}
        for r in reports:
            setattr(counts, r.kind, getattr(counts, r.kind) + 1)
            year = years.setdefault(r.fiscal_year, DepartmentYear(fiscal_year=r.fiscal_year))
            getattr(year, r.kind).append(r.id)
        out.append(DepartmentOut(
            name=name, counts=counts,
            years=[years[y] for y in sorted(years, key=lambda y: (y is None, y or 0))],
            reports=[DepartmentReport(report_id=r.id, fiscal_year=r.fiscal_year, kind=r.kind, status=r.status)
                     for r in reports]))
    return out


def list_departments(session: Session, *, query: str | None, fiscal_year: int | None, kind: str | None,
                     cursor: str | None, limit: int) -> DepartmentList:
    """By name; with `query`, the matching names best first (the cursor is then a rank)."""
    after = decode_cursor(cursor)
    if query and query.strip():
        if after is not None and (len(after) != 2 or after[0] != "rank" or type(after[1]) is not int
                                  or after[1] < 0):
            raise _bad()
        start = after[1] if after else 0
        if q.is_postgres(session):
            ranked = q.search_names_trgm(session, query, fiscal_year=fiscal_year, kind=kind)
        else:
            ranked = search(query, q.department_names(session, fiscal_year=fiscal_year, kind=kind, after=None,
                                                      limit=None))
        page = ranked[start:start + limit]
        nxt = encode_cursor("rank", start + limit) if len(ranked) > start + limit else None
    else:
        if after is not None and (len(after) != 2 or after[0] != "name" or not isinstance(after[1], str)):
            raise _bad()
        names = q.department_names(session, fiscal_year=fiscal_year, kind=kind, after=after[1] if after else None,
                                   limit=limit + 1)
        page = names[:limit]
        nxt = encode_cursor("name", page[-1]) if len(names) > limit else None
    return DepartmentList(data=_departments(session, page, fiscal_year=fiscal_year, kind=kind), next_cursor=nxt)


def list_fiscal_years(session: Session) -> FiscalYearList:
    departments = q.year_departments(session)
    years: dict[int | None, FiscalYearOut] = {}
    for r in q.fiscal_years(session):
        year = years.setdefault(r.fiscal_year, FiscalYearOut(fiscal_year=r.fiscal_year, counts=KindCounts(),
                                                              departments=departments.get(r.fiscal_year, 0)))
        year.counts.reports += r.reports
        setattr(year.counts, r.kind, getattr(year.counts, r.kind) + r.reports)
    return FiscalYearList(data=list(years.values()))
