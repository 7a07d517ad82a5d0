"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX renderings of list data,
row by row from the contract models."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from app.reports.schemas import IndicatorOut, LineItemOut, TableDetail

CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LINE_ITEM_HEAD = ["report_id", "table_id", "table_kind", "page", "row_kind", "classification", "code", "level", "name"]
INDICATOR_COLUMNS = ["level1", "level2", "name", "operator", "target", "unit", "actual", "weight", "score", "met",
                     "completion", "deviation_reason", "direction", "page"]


def line_item_rows(items: Sequence[LineItemOut]) -> list[list[Any]]:
    """One row per line item and value: report, table, page, code, name, column, measure, amounts."""
    rows: list[list[Any]] = [[*LINE_ITEM_HEAD, "column", "measure", "amount", "amount_yuan"]]
    for li in items:
        head = [getattr(li, c) for c in LINE_ITEM_HEAD]
        if not li.values:
            rows.append([*head, None, None, None, None])
        for v in li.values:
            rows.append([*head, v.column, v.measure, v.amount, v.amount_yuan])
    return rows


def indicator_rows(items: Sequence[IndicatorOut]) -> list[list[Any]]:
    rows: list[list[Any]] = [["programme", *INDICATOR_COLUMNS]]
    for ind in items:
        rows.append([ind.programme.name if ind.programme else None, *[getattr(ind, c) for c in INDICATOR_COLUMNS]])
    return rows


def table_rows(table: TableDetail) -> list[list[Any]]:
    return [list(r) for r in table.grid]


def to_csv(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([["" if c is None else c for c in r] for r in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], sheet: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
