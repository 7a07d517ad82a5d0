"""The complete listings behind the exports: every row a list's filters match, read keyset page
after keyset page through the repository (the JSON lists' own order and indexes), with the
report columns each exported figure carries."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import orjson
from sqlmodel import Session

from app.reports import persist
from app.reports import repository as repo
from app.reports.export import ReportInfo
from app.reports.record import report_out
from app.reports.schemas import IndicatorOut, LineItemOut, ReportOut
from app.reports.schemas import table_id as make_table_id
from app.reports.service import line_item_view, require_report
from app.store.models import Report

PAGE = 1000


class ReportInfos(dict[str, ReportInfo]):
    """Report columns by report id, read once per report as the export meets it."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def __missing__(self, report_id: str) -> ReportInfo:
        report = repo.get_report(self.session, report_id)
        data = repo.get_report_data(self.session, report_id)
        tables = orjson.loads(zlib.decompress(data.parsed)).get("tables", []) if data is not None else []
        titles = {make_table_id(report_id, t["index"]): t["title"] for t in tables}  # only these: no whole model
        info = ReportInfo(department=report.department if report else None,
                          fiscal_year=report.fiscal_year if report else None,
                          kind=report.kind if report else "unknown", tables=titles)
        self[report_id] = info
        return info


def line_items(session: Session, *, report_id: str | None,
               **filters: Any) -> Iterator[tuple[LineItemOut, list[str | None]]]:
    """Every matching line item, with the unit of each of its values."""
    if report_id is not None:
        require_report(session, report_id)
    order = repo.line_item_order(report_id=report_id, code=filters.get("code"))
    after: tuple[str | int, ...] | None = None
    while True:
        rows = repo.list_line_items(session, report_id=report_id, after=after, limit=PAGE, **filters)
        for r in rows:
            yield line_item_view(r), [v.unit for v in persist.cell_values(r)]
        if len(rows) < PAGE:
            return
        after = repo.line_item_key(rows[-1], order)


def reports(session: Session, **filters: Any) -> Iterator[ReportOut]:
    after: tuple[Any, str] | None = None
    while True:
        rows: list[Report] = list(repo.list_reports(session, after=after, limit=PAGE, **filters))
        yield from (report_out(r) for r in rows)
        if len(rows) < PAGE:
            return
        after = (rows[-1].created_at, rows[-1].id)


def indicators(session: Session, *, report_id: str, **filters: Any) -> Iterator[IndicatorOut]:
    from app.reports.service import list_indicators

    cursor: str | None = None
    while True:
        page = list_indicators(session, report_id=report_id, cursor=cursor, limit=PAGE, **filters)
        yield from page.data
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
