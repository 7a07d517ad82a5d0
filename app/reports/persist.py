"""Parsed results → database rows (via the contract documents of app.reports.document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.parsing import PARSER_VERSION
from app.parsing.model import ParsedReport
from app.reports import repository as repo
from app.reports.document import (
    indicator_doc,
    line_item_doc,
    parsed_counts,
    programme_doc,
    table_doc,
    validation_doc,
)
from app.store.models import Finding, Indicator, LineItem, Programme, Report, ReportTable
from app.validation import ValidationReport


def iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def finding_rows(report_id: str, vdoc: dict[str, Any]) -> list[Finding]:
    return [
        Finding(id=f["id"], report_id=report_id, idx=n, rule_id=f["rule_id"], severity=f["severity"], doc=f)
        for n, f in enumerate(vdoc["findings"])
    ]


def validation_summary(vdoc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in vdoc.items() if k != "findings"}


def save_parsed(session: Session, report: Report, parsed: ParsedReport, result: ValidationReport) -> None:
    """Replace everything derived from the report with this parse."""
    rid = report.id
    repo.delete_derived(session, rid)
    session.flush()
    tables = [table_doc(rid, t) for t in parsed.tables]
    repo.add_all(session, [ReportTable(id=t["id"], report_id=rid, idx=n, kind=t["kind"], title=t["title"], doc=t)
                           for n, t in enumerate(tables)])
    items = []
    for n, li in enumerate(parsed.line_items):
        d = line_item_doc(rid, n, li, parsed.tables)
        measures = "," + ",".join(sorted({v["measure"] for v in d["values"] if v["measure"]})) + ","
        items.append(LineItem(id=d["id"], report_id=rid, idx=n, table_id=d["table_id"], table_kind=d["table_kind"],
                              row_kind=d["row_kind"], classification=d["classification"], code=d["code"],
                              level=d["level"], measures=measures, doc=d))
    repo.add_all(session, items)
    progs = [programme_doc(rid, p) for p in parsed.programmes]
    repo.add_all(session, [Programme(id=p["id"], report_id=rid, idx=n, name=p["name"], scope=p["scope"], doc=p)
                           for n, p in enumerate(progs)])
    inds = []
    for n, ind in enumerate(parsed.indicators):
        d = indicator_doc(rid, n, ind, parsed.programmes)
        prog = d["programme"] or {}
        inds.append(Indicator(id=d["id"], report_id=rid, idx=n, programme_id=prog.get("id"),
                              programme_name=prog.get("name"), level1=d["level1"], level2=d["level2"],
                              met=d["met"], doc=d))
    repo.add_all(session, inds)
    now = repo.now()
    vdoc = validation_doc(rid, result, parsed.tables, iso(now))
    repo.add_all(session, finding_rows(rid, vdoc))
    m = parsed.meta
    hints = report.hints or {}
    report.department = m.department or hints.get("department")
    report.fiscal_year = m.fiscal_year or hints.get("fiscal_year")
    report.kind = m.kind if m.kind != "unknown" else hints.get("kind") or "unknown"
    report.amount_unit = m.amount_unit
    report.pages = m.pages
    report.counts = parsed_counts(parsed, result)
    report.timings_ms = {k: round(v, 1) for k, v in parsed.timings_ms.items()}
    report.validation = validation_summary(vdoc)
    report.error_count = result.counts["error"]
    report.parser_version = PARSER_VERSION
    report.status = "parsed"
    report.error_code = report.error_detail = None
    report.parsed_at = report.updated_at = now
    session.add(report)
    session.flush()


def save_validation(session: Session, report: Report, parsed: ParsedReport, result: ValidationReport) -> None:
    """Replace only the findings (re-validation with the current rules)."""
    vdoc = validation_doc(report.id, result, parsed.tables, iso(repo.now()))
    repo.replace_findings(session, report.id, finding_rows(report.id, vdoc))
    report.validation = validation_summary(vdoc)
    report.error_count = result.counts["error"]
    report.counts = {**report.counts, "findings": result.counts}
    report.updated_at = repo.now()
    session.add(report)
    session.flush()


def mark_failed(session: Session, report: Report, code: str, detail: str) -> None:
    report.status = "failed"
    report.error_code = code
    report.error_detail = detail
    report.updated_at = repo.now()
    repo.delete_derived(session, report.id)
    session.add(report)
    session.flush()
