"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX renderings of list data."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def line_item_rows(items: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """One row per line item and value: report, table, page, code, name, column, measure, amounts."""
    rows: list[list[Any]] = [["report_id", "table_id", "table_kind", "page", "row_kind", "classification", "code",
                              "level", "name", "column", "measure", "amount", "amount_yuan"]]
    for li in items:
        head = [li["report_id"], li["table_id"], li["table_kind"], li["page"], li["row_kind"],
                li["classification"], li["code"], li["level"], li["name"]]
        if not li["values"]:
            rows.append([*head, None, None, None, None])
        for v in li["values"]:
            rows.append([*head, v["column"], v["measure"], v["amount"], v["amount_yuan"]])
    return rows


def indicator_rows(items: Sequence[dict[str, Any]]) -> list[list[Any]]:
    cols = ["level1", "level2", "name", "operator", "target", "unit", "actual", "weight", "score", "met",
            "completion", "deviation_reason", "direction", "page"]
    rows: list[list[Any]] = [["programme", *cols]]
    for ind in items:
        prog = ind.get("programme") or {}
        rows.append([prog.get("name"), *[ind.get(c) for c in cols]])
    return rows


def table_rows(table: dict[str, Any]) -> list[list[Any]]:
    return [list(r) for r in table.get("grid", [])]


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
