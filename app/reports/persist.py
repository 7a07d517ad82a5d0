"""Parsed results ↔ database rows.

A report row keeps its parsed model less the line items (`parsed`: zlib-compressed JSON of the
plain dataclasses) and its last validation as the contract's ValidationOut (`validation`); the
line items are rows of their own, with every field `LineItem` has that a rule reads (not the
boxes of single values), so the `ParsedReport` comes back from the database for re-validation
without the PDF."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from sqlmodel import Session

from app.parsing.model import CellValue, LineItem, ParsedReport
from app.reports import repository as repo
from app.reports.record import apply_parse, iso
from app.reports.schemas import ValidationOut, line_item_out, page_size, validation_out
from app.reports.summary import POSITION, headline_figures
from app.store import models
from app.store.models import Report, ReportData
from app.validation import ValidationReport

_PARSED = TypeAdapter(ParsedReport)


def pack_parsed(parsed: ParsedReport) -> bytes:
    """The parsed model less its line items (they are rows), as compressed JSON."""
    return zlib.compress(_PARSED.dump_json(dataclasses.replace(parsed, line_items=[])), 6)


def unpack_parsed(blob: bytes, line_items: Sequence[models.LineItem]) -> ParsedReport:
    parsed = _PARSED.validate_json(zlib.decompress(blob))
    parsed.line_items = [line_item(row) for row in line_items]
    return parsed


def line_item_row(report_id: str, n: int, li: LineItem, table_kind: str, fiscal_year: int,
                  page_sizes: list[tuple[float, float]]) -> models.LineItem:
    unit = li.values[0].unit if li.values else None
    vals: list[list[Any]] = []
    for v in li.values:
        entry: list[Any] = [v.column, v.measure, format(v.amount, "f")]
        if v.unit != unit or v.sangong_item or v.source == "ocr":
            entry.append(v.unit)
        if v.sangong_item or v.source == "ocr":
            entry.append(v.sangong_item)
        if v.source == "ocr":  # a sixth item: the figure was read by OCR, with this confidence
            entry.append(v.confidence)
        vals.append(entry)
    measures = sorted({v.measure for v in li.values if v.measure})
    return models.LineItem(
        report_id=report_id, idx=n, fiscal_year=fiscal_year, table_idx=li.table_index, table_kind=table_kind,
        page=li.page, row_kind=li.row_kind, classification=li.classification, code=li.code, level=li.level,
        parent_code=li.parent_code, name=li.name, side=li.side, section=li.section, unit=unit,
        summary_side=li.summary_side, sangong_item=li.sangong_item,
        measures="," + ",".join(measures) + "," if measures else "", bbox=list(li.bbox) if li.bbox else None,
        vals=vals, doc=line_item_out(report_id, n, li, table_kind, page_sizes).model_dump_json(),
    )


def cell_values(row: Any) -> list[CellValue]:
    """The values of a stored line item (an ORM object or a plain row of its columns)."""
    return [CellValue(column=v[0], measure=v[1], amount=Decimal(v[2]), unit=v[3] if len(v) > 3 else row.unit,
                      sangong_item=v[4] if len(v) > 4 else None, source="ocr" if len(v) > 5 else "text",
                      confidence=v[5] if len(v) > 5 else None)
            for v in row.vals]


def line_item(row: models.LineItem) -> LineItem:
    return LineItem(
        table_index=row.table_idx, page=row.page, row_kind=row.row_kind,  # type: ignore[arg-type]
        name=row.name, values=cell_values(row), code=row.code,
        classification=row.classification,  # type: ignore[arg-type]
        level=row.level, parent_code=row.parent_code, bbox=tuple(row.bbox) if row.bbox else None,  # type: ignore[arg-type]
        side=row.side, section=row.section,
        summary_side=row.summary_side, sangong_item=row.sangong_item,  # type: ignore[arg-type]
    )


def validation_doc(report: Report, parsed: ParsedReport, result: ValidationReport, now: datetime) -> ValidationOut:
    return validation_out(report.id, result, parsed.tables, status=report.status, checked_at=iso(now),
                          page_sizes=parsed.page_sizes)


def _stored(v: ValidationOut) -> dict[str, Any]:
    return v.model_dump(exclude={"status"})  # the status is the report's, read with it


def save_parsed(session: Session, report: Report, parsed: ParsedReport, result: ValidationReport) -> None:
    """Replace everything derived from the report with this parse."""
    now = repo.now()
    apply_parse(report, parsed, result, now)
    repo.put_report_data(session, ReportData(report_id=report.id, parsed=pack_parsed(parsed),
                                             validation=_stored(validation_doc(report, parsed, result, now))))
    repo.delete_line_items(session, report.id)
    kinds = [t.kind for t in parsed.tables]
    repo.add_line_items(session, [line_item_row(report.id, n, li, kinds[li.table_index], report.fiscal_year or 0,
                                                parsed.page_sizes)
                                  for n, li in enumerate(parsed.line_items)])
    write_summary(session, report, parsed)
    session.add(report)
    session.flush()


def summary_rows(report: Report, parsed: ParsedReport) -> list[models.SummaryFigure]:
    return [models.SummaryFigure(report_id=report.id, key=f.key, pos=POSITION[f.key],
                                 fiscal_year=report.fiscal_year or 0,
                                 kind=report.kind, department=report.department, amount=format(f.amount, "f"),
                                 unit=f.unit, table_idx=f.table_index, page=f.page,
                                 bbox=list(f.bbox) if f.bbox else None, **page_size(f.page, parsed.page_sizes))
            for f in headline_figures(parsed)]


def write_summary(session: Session, report: Report, parsed: ParsedReport) -> None:
    """Replace the report's headline figures with those of this parse."""
    repo.delete_summary(session, report.id)
    repo.add_summary(session, summary_rows(report, parsed))


def load_parsed(session: Session, report: Report) -> ParsedReport | None:
    """The stored parse, line items included; None when the report has none."""
    data = repo.get_report_data(session, report.id)
    if data is None:
        return None
    return unpack_parsed(data.parsed, repo.report_line_items(session, report.id))


def save_validation(session: Session, report: Report, parsed: ParsedReport, result: ValidationReport) -> None:
    """Replace only the validation (re-validation with the current rules)."""
    now = repo.now()
    data = repo.get_report_data(session, report.id)
    if data is None:
        raise LookupError(f"report {report.id} has no stored parse")
    data.validation = _stored(validation_doc(report, parsed, result, now))
    report.error_count = result.counts["error"]
    report.counts = {**report.counts, "findings": result.counts}
    report.updated_at = now
    write_summary(session, report, parsed)
    session.add_all([data, report])
    session.flush()


def mark_failed(session: Session, report: Report, code: str, detail: str) -> None:
    report.status = "failed"
    report.error_code = code
    report.error_detail = detail
    report.updated_at = repo.now()
    repo.delete_derived(session, report.id)
    session.add(report)
    session.flush()
