"""Shared helpers of the rule families: what a table is for, what a column measures, how a
printed cell becomes a comparable figure, and how a finding is located."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace
from decimal import Decimal

from app.parsing.model import CellValue, LineItem, ParsedReport, Table, TableKind
from app.parsing.rows import NUMBERING
from app.validation.facts import facts
from app.validation.model import Finding, Location, Severity
from app.validation.suspect import looks_misread, suspect
from app.validation.tolerance import Fig, Judgement, places_of

# table roles, the same for 决算 and 预算 (the budget set mirrors the final nine tables)
SUMMARY = "summary"  # 收入支出决算总表 / 部门财务收支预算总表 / 收支总体情况表
INCOME = "income"  # 收入决算表 / 部门收入预算总表
EXPENDITURE = "expenditure"  # 支出决算表 / 部门支出预算总表
FISCAL_SUMMARY = "fiscal_summary"  # 财政拨款收入支出决算总表 / 财政拨款收支预算总表
GENERAL = "general"  # 一般公共预算财政拨款支出决算表 / 一般公共预算支出功能分类预算表
BASIC = "basic"  # 一般公共预算财政拨款基本支出决算表 (economic subjects)
SANGONG = "sangong"  # "三公"经费
GOV_FUND = "gov_fund"  # 政府性基金预算
STATE_CAPITAL = "state_capital"  # 国有资本经营预算
PROJECT = "project"
PERFORMANCE = "performance"
CARRYOVER = "carryover"
OTHER_STANDALONE = "other_standalone"  # 政府采购表, 国有资产表: printed by some, not one of the standard set
OTHER = "other"

ROLE_NAMES = {
    SUMMARY: "收入支出总表",
    INCOME: "收入表",
    EXPENDITURE: "支出表",
    FISCAL_SUMMARY: "财政拨款收入支出总表",
    GENERAL: "一般公共预算（财政拨款）支出表",
    BASIC: "一般公共预算基本支出表",
    SANGONG: "“三公”经费表",
    GOV_FUND: "政府性基金预算（财政拨款）表",
    STATE_CAPITAL: "国有资本经营预算（财政拨款）表",
}

# each table kind the parser says (app/parsing/model.py TableKind) → the role it plays here
ROLE_OF_KIND: dict[TableKind, str] = {
    "income_expenditure_summary": SUMMARY,
    "income": INCOME,
    "expenditure": EXPENDITURE,
    "fiscal_grant_summary": FISCAL_SUMMARY,
    "general_public_expenditure": GENERAL,
    "general_public_economic": GENERAL,
    "general_public_basic": BASIC,
    "basic_expenditure": BASIC,
    "general_public_project": PROJECT,
    "project_expenditure": PROJECT,
    "three_public": SANGONG,
    "government_fund": GOV_FUND,
    "state_capital": STATE_CAPITAL,
    "carryover": CARRYOVER,
    "agency_operation": OTHER_STANDALONE,
    "government_procurement": OTHER_STANDALONE,
    "state_assets": OTHER_STANDALONE,
    "performance_self_eval": PERFORMANCE,
    "performance_target": PERFORMANCE,
    "performance_eval": PERFORMANCE,
    "other": OTHER,
}

_SPACE = re.compile(r"[\s\u3000]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")", "：": ":"})


def norm(text: str | None) -> str:
    """Compare-ready text: no whitespace, ASCII brackets, colons and quotes."""
    return _SPACE.sub("", text or "").translate(_QUOTES)


def row_name(text: str | None) -> str:
    """A row label without its numbering (一、 1. （一） 其中：) and whitespace."""
    return NUMBERING.sub("", norm(text))


def table_role(table: Table) -> str:
    """What a table is for, from the kind the parser gave it."""
    return ROLE_OF_KIND[table.kind]


def tables_of(report: ParsedReport, *roles: str) -> list[Table]:
    return facts(report).memo(("tables_of", *roles), lambda: [t for t in report.tables if table_role(t) in roles])


def items_of(report: ParsedReport, table: Table) -> list[LineItem]:
    return facts(report).items.get(table.index, [])


def col_parts(label: str) -> list[str]:
    return [p for p in re.split(r"[/／]", norm(label)) if p]


def col_leaf(label: str) -> str:
    parts = col_parts(label)
    return parts[-1] if parts else ""


def unit_of(report: ParsedReport, table: Table | None, value: CellValue | None = None) -> str | None:
    if value is not None and value.unit:
        return value.unit
    if table is not None and table.amount_unit:
        return table.amount_unit
    return report.meta.amount_unit


def fig(report: ParsedReport, table: Table | None, value: CellValue) -> Fig:
    """A printed cell as a figure, as precise as its table prints (tolerance.digit)."""
    places = table_places(report, table) if table is not None else None
    return Fig(value.amount, unit_of(report, table, value), table_places=places, cell=value)


def table_places(report: ParsedReport, table: Table) -> int:
    """The decimals a table prints: the most that at least a quarter (and two) of its non-zero
    amounts print, so that one odd cell (a misread, a rate) does not set it."""

    def compute() -> int:
        places = [places_of(v.amount) for li in items_of(report, table) for v in li.values if v.amount != 0]
        for p in sorted(set(places), reverse=True):
            n = sum(1 for q in places if q >= p)
            if n >= 2 and 4 * n >= len(places):
                return p
        return 0

    return facts(report).memo(("table_places", table.index), compute)


def cell(li: LineItem, label: str) -> CellValue | None:
    for v in li.values:
        if v.column == label:
            return v
    return None


def cell_where(li: LineItem, *keys: str, exclude: Iterable[str] = ()) -> CellValue | None:
    """The first cell whose column label contains every key and none of the excluded words."""
    ex = tuple(exclude)
    for v in li.values:
        label = norm(v.column)
        if all(k in label for k in keys) and not any(e in label for e in ex):
            return v
    return None


def first_value(li: LineItem) -> CellValue | None:
    return li.values[0] if li.values else None


def parent_of(li: LineItem) -> str | None:
    if li.parent_code:
        return li.parent_code
    code = li.code or ""
    if len(code) == 7:
        return code[:5]
    if len(code) == 5:
        return code[:3]
    return None


def coded(items: Iterable[LineItem]) -> list[LineItem]:
    return [li for li in items if li.code and li.row_kind == "subject"]


def fmt(d: Decimal | None) -> str:
    if d is None:
        return "—"
    return format(d, "f")


def where(
    table: Table | None, li: LineItem | None = None, column: str | None = None, *, page: int | None = None
) -> Location:
    return Location(
        table_index=table.index if table is not None else None,
        table_title=table.title if table is not None else None,
        page=li.page
        if li is not None
        else (page if page is not None else (table.pages[0] if table and table.pages else None)),
        code=li.code if li is not None else None,
        row_label=(li.name if li is not None and not li.code else None),
        column=column,
        bbox=(li.bbox if li is not None else None),
    )


ROUNDING_NOTE = "（尾数差异，在四舍五入误差范围内）"


def finding(
    rule_id: str,
    judgement: Judgement,
    message: str,
    actual: Decimal,
    location: Location,
    *,
    evidence: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A comparison finding: 'info' for 尾数 (the message says so), else the rule's severity."""
    sev: Severity = "info" if judgement.severity == "info" else (severity or "error")
    suffix = ROUNDING_NOTE if sev == "info" else ""
    found = Finding(
        rule_id=rule_id,
        severity=sev,
        message=message + suffix,
        expected=judgement.expected,
        actual=actual,
        difference=judgement.difference,
        location=location,
        evidence=evidence,
    )
    if sev == "error" and looks_misread(rule_id, judgement):
        return suspect(found, judgement)  # rows read inconsistently: a parser warning, not an error
    return found


def once_per_report(found: Iterable[Finding], key: Callable[[Finding], Hashable]) -> list[Finding]:
    """The same condition reported once, with all its locations: findings with one key become
    the first of them (first by page), its message naming every page it was seen on."""
    groups: dict[Hashable, list[Finding]] = {}
    for f in found:
        groups.setdefault(key(f), []).append(f)
    out = []
    for group in groups.values():
        group.sort(key=lambda f: f.location.page or 0)
        head = group[0]
        if len(group) > 1:
            pages = sorted({f.location.page for f in group if f.location.page is not None})
            where_ = f"，第{'、'.join(map(str, pages))}页" if pages else ""
            head = replace(
                head, message=f"{head.message}（共{len(group)}处{where_}）", locations=[f.location for f in group]
            )
        out.append(head)
    return out


def label(table: Table, li: LineItem) -> str:
    """How a row is named in a message: its code and name, or its printed label."""
    return f"{li.code} {li.name}".strip() if li.code else (li.name or "")


def fiscal_year(report: ParsedReport) -> int | None:
    """The report's fiscal year, as the parsed metadata says (one source of facts: no rule
    re-derives it from titles or narrative; a wrong year is the parser's to fix)."""
    return report.meta.fiscal_year


def report_kind(report: ParsedReport) -> str:
    """final / budget / unknown, as the parsed metadata says."""
    return report.meta.kind
