"""ParsedReport + ValidationReport → the JSON shapes of the contract. One mapping feeds the
CLI, the database rows and the API, so they can never disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.parsing.model import CellValue, Indicator, LineItem, ParsedReport, Programme, Table
from app.validation.model import Finding, ValidationReport

JSON = dict[str, Any]


def dec(d: Decimal | None) -> str | None:
    """A Decimal as the contract's decimal string (no exponent), None stays None."""
    return None if d is None else format(d, "f")


def table_id(report_id: str, index: int) -> str:
    return f"{report_id}-t{index + 1}"


def programme_id(report_id: str, index: int) -> str:
    return f"{report_id}-p{index + 1}"


def value_doc(v: CellValue) -> JSON:
    return {"column": v.column, "measure": v.measure, "amount": dec(v.amount), "amount_yuan": dec(v.amount_yuan)}


def table_doc(report_id: str, t: Table) -> JSON:
    return {
        "id": table_id(report_id, t.index),
        "kind": t.kind,
        "title": t.title,
        "number": t.number,
        "pages": t.pages,
        "amount_unit": t.amount_unit,
        "columns": [{"label": c.label, "measure": c.measure} for c in t.columns],
        "empty": t.empty,
        "note": t.note,
        "grid": t.grid,
    }


def line_item_doc(report_id: str, n: int, li: LineItem, tables: list[Table]) -> JSON:
    return {
        "id": f"{report_id}-li{n + 1}",
        "report_id": report_id,
        "table_id": table_id(report_id, li.table_index),
        "table_kind": tables[li.table_index].kind,
        "page": li.page,
        "row_kind": li.row_kind,
        "classification": li.classification,
        "code": li.code,
        "level": li.level,
        "parent_code": li.parent_code,
        "name": li.name,
        "values": [value_doc(v) for v in li.values],
        "bbox": list(li.bbox) if li.bbox else None,
    }


def programme_doc(report_id: str, p: Programme) -> JSON:
    return {
        "id": programme_id(report_id, p.index),
        "name": p.name,
        "scope": p.scope,
        "table_id": table_id(report_id, p.table_index) if p.table_index is not None else None,
        "pages": p.pages,
        "code": p.code,
        "department": p.department,
        "implementer": p.implementer,
        "funds": {k: dec(v) for k, v in p.funds.items()},
        "fund_rows": {k: {c: dec(v) for c, v in row.items()} for k, row in p.fund_rows.items()},
        "execution_rate": dec(p.execution_rate),
        "goal_target": p.goal_target,
        "goal_actual": p.goal_actual,
        "total_score": dec(p.total_score),
        "grade": p.grade,
        "amount": dec(p.amount),
        "amount_unit": p.amount_unit,
    }


def indicator_doc(report_id: str, n: int, ind: Indicator, programmes: list[Programme]) -> JSON:
    prog = programmes[ind.programme_index] if ind.programme_index is not None else None
    return {
        "id": f"{report_id}-i{n + 1}",
        "programme": None
        if prog is None
        else {
            "id": programme_id(report_id, prog.index),
            "name": prog.name,
            "scope": prog.scope,
            "table_id": table_id(report_id, prog.table_index) if prog.table_index is not None else None,
        },
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "operator": ind.operator,
        "target": ind.target,
        "unit": ind.unit,
        "actual": ind.actual,
        "weight": dec(ind.weight),
        "score": dec(ind.score),
        "met": ind.met,
        "completion": ind.completion,
        "deviation_reason": ind.deviation_reason,
        "direction": ind.direction,
        "page": ind.page,
    }


def _value(v: Decimal | str | None) -> str | None:
    return dec(v) if isinstance(v, Decimal) else v


def finding_doc(report_id: str, n: int, f: Finding, tables: list[Table]) -> JSON:
    loc = f.location
    return {
        "id": f"{report_id}-f{n + 1}",
        "rule_id": f.rule_id,
        "severity": f.severity,
        "message": f.message,
        "expected": _value(f.expected),
        "actual": _value(f.actual),
        "difference": dec(f.difference),
        "location": {
            "table_id": table_id(report_id, loc.table_index) if loc.table_index is not None else None,
            "table_title": loc.table_title
            or (tables[loc.table_index].title if loc.table_index is not None else None),
            "page": loc.page,
            "code": loc.code,
            "row_label": loc.row_label,
            "column": loc.column,
            "bbox": list(loc.bbox) if loc.bbox else None,
        },
        "evidence": f.evidence,
    }


def validation_doc(report_id: str, v: ValidationReport, tables: list[Table], checked_at: str) -> JSON:
    return {
        "report_id": report_id,
        "valid": v.valid,
        "checked_at": checked_at,
        "rules_run": v.rules_run,
        "rules_skipped": [{"rule_id": s.rule_id, "reason": s.reason} for s in v.rules_skipped],
        "counts": v.counts,
        "findings": [finding_doc(report_id, n, f, tables) for n, f in enumerate(v.findings)],
    }


def parsed_counts(parsed: ParsedReport, v: ValidationReport) -> JSON:
    return {
        "tables": len(parsed.tables),
        "line_items": len(parsed.line_items),
        "programmes": len(parsed.programmes),
        "indicators": len(parsed.indicators),
        "findings": v.counts,
    }


def document(report: JSON, parsed: ParsedReport, v: ValidationReport, checked_at: str) -> JSON:
    """The CLI's one JSON document: report, tables, line items, programmes, indicators, validation."""
    rid = report["id"]
    return {
        "report": report,
        "tables": [table_doc(rid, t) for t in parsed.tables],
        "line_items": [line_item_doc(rid, n, li, parsed.tables) for n, li in enumerate(parsed.line_items)],
        "programmes": [programme_doc(rid, p) for p in parsed.programmes],
        "indicators": [indicator_doc(rid, n, i, parsed.programmes) for n, i in enumerate(parsed.indicators)],
        "validation": validation_doc(rid, v, parsed.tables, checked_at),
    }


def report_id_for(sha256: str) -> str:
    """Reports are content-addressed: the same bytes are the same report."""
    return sha256[:24]


def report_meta_doc(parsed: ParsedReport) -> JSON:
    m = parsed.meta
    return {"department": m.department, "fiscal_year": m.fiscal_year, "kind": m.kind, "amount_unit": m.amount_unit}
