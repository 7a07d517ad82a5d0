"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX renderings of list data, row by
row from the contract models: complete listings are rendered as they are read (an iterator of
rows in, chunks of bytes out), never held whole."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.parsing.amounts import parse_amount
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


# --- the whole report -------------------------------------------------------------------------


def _grid_value(text: str | None) -> Any:
    if text is None:
        return None
    if text.strip().isdigit():
        return text  # a subject or unit code, a count: text, as printed (leading zeros kept)
    amount = parse_amount(text)
    return amount if amount is not None else text


def header_rows(grid: list[list[str | None]]) -> int:
    """The grid's leading rows that print no amount: its header as printed."""
    n = 0
    for row in grid:
        if any(isinstance(_grid_value(c), Decimal) for c in row):
            break
        n += 1
    return n if n < len(grid) else 0


def report_workbook(tables: Iterable[TableDetail]) -> Iterator[bytes]:
    """The whole report as a workbook: one sheet per table, its grid as printed (amounts as
    numbers), a text spanning cells merged over them as printed, the header rows bold and frozen."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(sheet_title(t.title or t.id, taken))
        grid = [list(r) for r in t.grid]
        rows = header_rows(grid)
        for r, line in enumerate(grid, start=1):
            for c, text in enumerate(line, start=1):
                value = _grid_value(text)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, Decimal):
                    cell.number_format = AMOUNT_FORMAT
                elif r <= rows:
                    cell.font = Font(bold=True)
        for r, row in enumerate(t.rows, start=1):
            for span in row.cells:
                if span.colspan > 1 or span.rowspan > 1:
                    ws.cell(row=r, column=span.col + 1, value=_grid_value(span.text))
                    ws.merge_cells(start_row=r, start_column=span.col + 1, end_row=r + span.rowspan - 1,
                                   end_column=span.col + span.colspan)
        if rows:
            ws.freeze_panes = f"A{rows + 1}"
    if not wb.sheetnames:
        wb.create_sheet("report")
    yield from xlsx_file(wb)


# --- Fiscal Data Package (https://specs.frictionlessdata.io/fiscal-data-package/) ---------------

FDP_PHASE = {"budget": "approved", "final": "executed"}  # 部门预算 as approved, 部门决算 as executed
FDP_FIELDS: list[tuple[str, str, str | None]] = [  # name, type, FDP columnType
    ("report_id", "string", None),
    ("department", "string", "administrative-classification:generic:level1:label"),
    ("fiscal_year", "integer", "date:fiscal-year"),
    ("phase", "string", "phase:id"),
    ("table_kind", "string", None),
    ("table_title", "string", None),
    ("page", "integer", None),
    ("functional_code", "string", "functional-classification:generic:code"),
    ("economic_code", "string", "economic-classification:generic:code"),
    ("level", "integer", None),
    ("name", "string", None),
    ("column", "string", None),
    ("measure", "string", None),
    ("amount", "number", None),
    ("unit", "string", None),
    ("amount_yuan", "number", "value"),
]


def fdp_rows(items: Iterable[tuple[LineItemOut, list[str | None]]],
             info: dict[str, ReportInfo]) -> Iterator[list[Any]]:
    """The subject-coded figures, one row per value, with the code in its classification's column."""
    yield [name for name, _, _ in FDP_FIELDS]
    for li, units in items:
        if not li.code or not li.values:
            continue
        r = info[li.report_id]
        functional = li.code if li.classification == "functional" else None
        economic = li.code if li.classification == "economic" else None
        for v, unit in zip(li.values, units, strict=True):
            yield [li.report_id, r.department, r.fiscal_year, FDP_PHASE.get(r.kind, r.kind), li.table_kind,
                   r.tables.get(li.table_id), li.page, functional, economic, li.level, li.name, v.column, v.measure,
                   _dec(v.amount), unit, _dec(v.amount_yuan)]


def fdp_descriptor(report_id: str, info: ReportInfo) -> dict[str, Any]:
    """datapackage.json: a tabular data package with the fiscal profile's model (measures, dimensions)."""
    what = "部门决算" if info.kind == "final" else "部门预算"
    title = f"{info.department or report_id} {info.fiscal_year or ''} {what}"
    return {
        "profile": "fiscal-data-package",
        "name": f"report-{report_id}".lower(),
        "title": title.strip(),
        "fiscalPeriod": {"start": f"{info.fiscal_year}-01-01", "end": f"{info.fiscal_year}-12-31"}
        if info.fiscal_year else None,
        "resources": [{
            "name": "line-items", "path": "line-items.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig",
            "schema": {"fields": [{"name": n, "type": t, **({"columnType": c} if c else {})}
                                  for n, t, c in FDP_FIELDS]},
        }],
        "model": {
            "measures": {"amount": {"source": "amount_yuan", "currency": "CNY", "factor": 1}},
            "dimensions": {
                "administrative-classification": {"dimensionType": "classification",
                                                  "attributes": {"name": {"source": "department"}},
                                                  "primaryKey": ["name"]},
                "date": {"dimensionType": "datetime", "attributes": {"year": {"source": "fiscal_year"}},
                         "primaryKey": ["year"]},
                "phase": {"dimensionType": "phase", "attributes": {"id": {"source": "phase"}},
                          "primaryKey": ["id"]},
                "functional-classification": {
                    "dimensionType": "classification", "classificationType": "functional",
                    "attributes": {"code": {"source": "functional_code"}, "label": {"source": "name"}},
                    "primaryKey": ["code"]},
                "economic-classification": {
                    "dimensionType": "classification", "classificationType": "economic",
                    "attributes": {"code": {"source": "economic_code"}, "label": {"source": "name"}},
                    "primaryKey": ["code"]},
            },
        },
    }


def datapackage_zip(report_id: str, info: ReportInfo, rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", orjson.dumps(fdp_descriptor(report_id, info), option=orjson.OPT_INDENT_2))
        with z.open("line-items.csv", "w") as f:
            for chunk in csv_chunks(rows):
                f.write(chunk)
    return buf.getvalue()
