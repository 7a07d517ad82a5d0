"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX renderings of list data, row by
row from the contract models: complete listings are rendered as they are read (an iterator of
rows in, chunks of bytes out), never held whole."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.reports.schemas import IndicatorOut, LineItemOut, ReportOut, SummaryRowOut, TableDetail

CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_FORMAT = "#,##0.00##"  # two decimals at least, four where printed
CHUNK_ROWS = 500


@dataclass(frozen=True)
class ReportInfo:
    """The report columns every exported figure carries (no join back to /reports needed)."""

    department: str | None
    fiscal_year: int | None
    kind: str
    tables: dict[str, str]  # table id → printed title


LINE_ITEM_HEAD = ["report_id", "department", "fiscal_year", "kind", "table_id", "table_kind", "table_title", "page",
                  "row_kind", "code", "level", "classification", "name", "column", "measure", "amount", "unit",
                  "amount_yuan"]
INDICATOR_COLUMNS = ["level1", "level2", "name", "operator", "target", "unit", "actual", "weight", "score", "met",
                     "completion", "deviation_reason", "direction", "page"]
REPORT_HEAD = ["id", "department", "fiscal_year", "kind", "status", "amount_unit", "file_name", "pages", "tables",
               "line_items", "errors", "warnings", "parsed_at"]
SUMMARY_HEAD = ["report_id", "department", "fiscal_year", "kind", "key", "label", "amount", "amount_unit",
                "amount_yuan", "table_id", "page"]


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def line_item_rows(items: Iterable[tuple[LineItemOut, list[str | None]]],
                   info: dict[str, ReportInfo]) -> Iterator[list[Any]]:
    """One row per line item and value (a line item without values: one row without amounts);
    each item comes with the printed unit of each of its values."""
    yield LINE_ITEM_HEAD
    for li, units in items:
        r = info[li.report_id]
        head = [li.report_id, r.department, r.fiscal_year, r.kind, li.table_id, li.table_kind,
                r.tables.get(li.table_id), li.page, li.row_kind, li.code, li.level, li.classification, li.name]
        if not li.values:
            yield [*head, None, None, None, None, None]
        for v, unit in zip(li.values, units, strict=True):
            yield [*head, v.column, v.measure, _dec(v.amount), unit, _dec(v.amount_yuan)]


def indicator_rows(report_id: str, items: Iterable[IndicatorOut]) -> Iterator[list[Any]]:
    yield ["report_id", "programme", *INDICATOR_COLUMNS]
    for ind in items:
        yield [report_id, ind.programme.name if ind.programme else None,
               *[getattr(ind, c) for c in INDICATOR_COLUMNS]]


def report_rows(reports: Iterable[ReportOut]) -> Iterator[list[Any]]:
    yield REPORT_HEAD
    for r in reports:
        yield [r.id, r.department, r.fiscal_year, r.kind, r.status, r.amount_unit, r.file.name, r.file.pages,
               r.counts.tables, r.counts.line_items, r.counts.findings.error, r.counts.findings.warning, r.parsed_at]


def summary_rows(figures: Iterable[SummaryRowOut]) -> Iterator[list[Any]]:
    yield SUMMARY_HEAD
    for f in figures:
        yield [f.report_id, f.department, f.fiscal_year, f.kind, f.key, f.label, _dec(f.amount), f.amount_unit,
               _dec(f.amount_yuan), f.source.table_id, f.source.page]


def table_rows(table: TableDetail) -> list[list[Any]]:
    return [list(r) for r in table.grid]


def _csv_cell(c: Any) -> Any:
    if c is None:
        return ""
    if isinstance(c, Decimal):
        return format(c, "f")
    return c


def csv_chunks(rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The rows as CSV, a few hundred rows per chunk, the first starting with the BOM."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    n = 0
    for r in rows:
        writer.writerow([_csv_cell(c) for c in r])
        n += 1
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def to_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(csv_chunks(rows))


def _cells(ws: WriteOnlyWorksheet, row: Sequence[Any], *, bold: bool = False) -> list[Any]:
    out: list[Any] = []
    for value in row:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, Decimal):
            cell.number_format = AMOUNT_FORMAT
        if bold:
            cell.font = Font(bold=True)
        out.append(cell)
    return out


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "sheet"
    title, n = base[:31], 1
    while title in taken:
        n += 1
        title = f"{base[:31 - len(str(n)) - 1]}~{n}"
    taken.add(title)
    return title


def write_sheet(wb: Workbook, title: str, rows: Iterable[Sequence[Any]]) -> None:
    """A sheet with a bold, frozen header row; Decimal amounts become numeric cells."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for n, r in enumerate(rows):
        ws.append(_cells(ws, r, bold=n == 0))


def xlsx_file(wb: Workbook) -> Iterator[bytes]:
    """Save a write-only workbook to a temporary file and read it back in chunks."""
    with tempfile.TemporaryFile() as tmp:
        wb.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(1 << 16):
            yield chunk


def xlsx_chunks(rows: Iterable[Sequence[Any]], sheet: str) -> Iterator[bytes]:
    wb = Workbook(write_only=True)
    write_sheet(wb, sheet_title(sheet, set()), rows)
    yield from xlsx_file(wb)


def to_xlsx(rows: Iterable[Sequence[Any]], sheet: str) -> bytes:
    return b"".join(xlsx_chunks(rows, sheet))
