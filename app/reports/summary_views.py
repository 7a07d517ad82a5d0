"""Reads of the stored headline figures: one report's summary, one key across reports, one
department across years (budget next to final). SQL lives in the repository."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.core.problems import DepartmentNotFound, InvalidCursor
from app.parsing.model import to_yuan
from app.reports import repository as repo
from app.reports.schemas import (
    DepartmentHistory,
    HistoryReport,
    HistoryYear,
    ReportSummary,
    SummaryFigureOut,
    SummaryList,
    SummaryRowOut,
    SummarySource,
    table_id,
)
from app.reports.service import decode_cursor, encode_cursor, line_item_view, require_report
from app.reports.summary import KEYS
from app.store.models import Report, SummaryFigure


def figure_out(row: SummaryFigure) -> SummaryFigureOut:
    amount = Decimal(row.amount)
    return SummaryFigureOut(
        key=row.key, label=KEYS[row.key], amount=row.amount, amount_unit=row.unit,  # type: ignore[arg-type]
        amount_yuan=format(to_yuan(amount, row.unit), "f"),
        source=SummarySource(table_id=table_id(row.report_id, row.table_idx), page=row.page, bbox=row.bbox,
                             page_width=row.page_width, page_height=row.page_height))


def row_out(row: SummaryFigure) -> SummaryRowOut:
    return SummaryRowOut(**figure_out(row).model_dump(), report_id=row.report_id, department=row.department,
                         fiscal_year=row.fiscal_year or None, kind=row.kind)  # type: ignore[arg-type]


def report_summary(session: Session, *, report_id: str) -> ReportSummary:
    require_report(session, report_id)
    return ReportSummary(report_id=report_id, figures=[figure_out(r) for r in repo.report_summary(session, report_id)])


def _summary_key(order: tuple[str, ...], after: list[Any] | None) -> tuple[str | int, ...] | None:
    if after is None:
        return None
    ints = {"fiscal_year", "pos"}
    if len(after) != len(order) or any(
            (type(v) is not int or not 0 <= v < 2**31) if c in ints else not isinstance(v, str)
            for c, v in zip(order, after, strict=True)):
        raise InvalidCursor("the cursor was not produced by this API")
    return tuple(after)


def list_summaries(session: Session, *, cursor: str | None, limit: int, key: str | None, **filters: Any) -> SummaryList:
    order = repo.summary_order(key=key)
    after = _summary_key(order, decode_cursor(cursor))
    rows = repo.list_summaries(session, key=key, after=after, limit=limit + 1, **filters)
    page = list(rows[:limit])
    nxt = encode_cursor(*(getattr(page[-1], c) for c in order)) if len(rows) > limit else None
    return SummaryList(data=[row_out(r) for r in page], next_cursor=nxt)


def iter_summaries(session: Session, *, key: str | None, **filters: Any) -> Iterator[SummaryRowOut]:
    """Every matching figure, keyset page after keyset page (for the complete exports)."""
    order = repo.summary_order(key=key)
    after: tuple[str | int, ...] | None = None
    while True:
        rows = repo.list_summaries(session, key=key, after=after, limit=1000, **filters)
        yield from (row_out(r) for r in rows)
        if len(rows) < 1000:
            return
        after = tuple(getattr(rows[-1], c) for c in order)


def department_history(session: Session, *, department: str, code: str | None) -> DepartmentHistory:
    """The department's parsed reports by year, budget beside final: their headline figures and the
    rows printing `code`. Of several reports of one year and kind, the latest parsed one."""
    reports = repo.department_reports(session, department)
    if not reports:
        raise DepartmentNotFound(f"no parsed report of a department named {department!r}")
    chosen: dict[tuple[int | None, str], Report] = {}
    for r in reports:
        slot = (r.fiscal_year, r.kind)
        if slot not in chosen or (r.parsed_at or r.created_at) > (chosen[slot].parsed_at or chosen[slot].created_at):
            chosen[slot] = r
    ids = {r.id for r in chosen.values()}
    figures: dict[str, list[SummaryFigureOut]] = {}
    for f in repo.department_summary(session, department):
        if f.report_id in ids:
            figures.setdefault(f.report_id, []).append(figure_out(f))
    items: dict[str, list[Any]] = {}
    for li in repo.code_line_items(session, sorted(ids), code) if code else []:
        items.setdefault(li.report_id, []).append(line_item_view(li))

    def entry(r: Report | None) -> HistoryReport | None:
        if r is None:
            return None
        return HistoryReport(report_id=r.id, figures=figures.get(r.id, []), line_items=items.get(r.id, []))

    years = sorted({y for y, _ in chosen}, key=lambda y: (y is None, y or 0))
    return DepartmentHistory(department=department, code=code, years=[
        HistoryYear(fiscal_year=y, budget=entry(chosen.get((y, "budget"))), final=entry(chosen.get((y, "final"))))
        for y in years])
