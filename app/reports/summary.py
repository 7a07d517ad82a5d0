"""A report's headline figures (收入/支出总计, 基本 vs 项目, 三公 and its parts …): one documented
vocabulary of keys, each found where the validation rules find the same figure
(`app/validation/figures.py`), so the summary and the 勾稽 checks never disagree on which cell
is meant. Pure: a parsed model in, figures out (no database, no HTTP)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

from app.parsing.model import BBox, ParsedReport, to_yuan
from app.validation.common import INCOME, report_kind, unit_of
from app.validation.cross import table_total, total_column
from app.validation.facts import active
from app.validation.figures import Cand, candidates, income_top, total_cell

SummaryKey = Literal[
    "revenue_total", "expenditure_total", "revenue_this_year", "expenditure_this_year", "fiscal_grant_revenue",
    "general_public_budget", "government_fund", "state_capital", "basic", "project", "personnel", "public",
    "sangong_total", "sangong_travel_abroad", "sangong_vehicles", "sangong_vehicle_purchase",
    "sangong_vehicle_operation", "sangong_reception", "admin_operation", "procurement_total",
]
# key → label, in the order a summary lists them (docs/summary.md)
KEYS: dict[str, str] = {
    "revenue_total": "收入总计",
    "expenditure_total": "支出总计",
    "revenue_this_year": "本年收入合计",
    "expenditure_this_year": "本年支出合计",
    "fiscal_grant_revenue": "财政拨款收入",
    "general_public_budget": "一般公共预算财政拨款",
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "sangong_total": "“三公”经费合计",
    "sangong_travel_abroad": "因公出国（境）费",
    "sangong_vehicles": "公务用车购置及运行费",
    "sangong_vehicle_purchase": "公务用车购置费",
    "sangong_vehicle_operation": "公务用车运行费",
    "sangong_reception": "公务接待费",
    "admin_operation": "机关运行经费",
    "procurement_total": "政府采购合计",
}


@dataclass(frozen=True)
class Figure:
    key: SummaryKey
    label: str
    amount: Decimal  # as printed, in `unit`
    unit: str | None
    table_index: int
    page: int
    bbox: BBox | None  # the printed cell (the row's when the cell's box is not kept)

    @property
    def amount_yuan(self) -> Decimal:
        return to_yuan(self.amount, self.unit)


Finder = Callable[[ParsedReport, str], list[Cand]]


def _metric(name: str) -> Finder:
    return lambda r, scope: candidates(r, name, scope)


def _side(side: str) -> Finder:
    return lambda r, scope: [c for c in candidates(r, "total", scope) if c.row.summary_side == side]


def _table_totals(*kinds: str) -> Finder:
    """The 合计 cell of tables of these kinds (the total column of their total row)."""

    def find(r: ParsedReport, scope: str) -> list[Cand]:
        out: list[Cand] = []
        for t in r.tables:
            row = table_total(r, t) if t.kind in kinds else None
            col = total_column(r, t) if row is not None else None
            v = next((v for v in row.values if v.column == col), None) if row is not None and col else None
            if row is not None and v is not None:
                out.append(Cand(t, row, v))
        return out

    return find


def _fund(word: str, kind: str) -> Finder:
    """A fund's income: its row on the summary's income side, its income-table column, or the
    total of its own table."""
    own = _table_totals(kind)
    return lambda r, scope: income_top(r, word) + total_cell(r, INCOME, word) + own(r, scope)


FINDERS: dict[str, Finder] = {
    "revenue_total": _side("income"),
    "expenditure_total": _side("expenditure"),
    "revenue_this_year": _metric("income_sub"),
    "expenditure_this_year": _metric("spend_sub"),
    "fiscal_grant_revenue": _metric("fiscal_income"),
    "general_public_budget": _metric("general_income"),
    "government_fund": _fund("政府性基金", "government_fund"),
    "state_capital": _fund("国有资本经营", "state_capital"),
    "basic": _metric("basic"),
    "project": _metric("project"),
    "personnel": _metric("personnel"),
    "public": _metric("public"),
    "sangong_total": _metric("sangong_total"),
    "sangong_travel_abroad": _metric("sangong_abroad"),
    "sangong_vehicles": _metric("sangong_vehicle"),
    "sangong_vehicle_purchase": _metric("sangong_purchase"),
    "sangong_vehicle_operation": _metric("sangong_running"),
    "sangong_reception": _metric("sangong_reception"),
    "admin_operation": _metric("operating"),
    "procurement_total": _table_totals("government_procurement"),
}
assert list(FINDERS) == list(KEYS) == list(get_args(SummaryKey))
POSITION = {k: n for n, k in enumerate(KEYS)}


def headline_figures(report: ParsedReport) -> list[Figure]:
    """Every headline figure the report prints, in `KEYS` order: the first place the rules would
    read it from (the summary table before the detail tables)."""
    scope = "决算" if report_kind(report) == "final" else "预算"
    out: list[Figure] = []
    with active(report):
        for key, find in FINDERS.items():
            found = find(report, scope)
            if not found:
                continue
            c = found[0]
            unit = unit_of(report, c.table, c.value)
            out.append(Figure(key=key,  # type: ignore[arg-type]
                              label=KEYS[key], amount=c.value.amount, unit=unit, table_index=c.table.index,
                              page=c.row.page, bbox=c.value.bbox or c.row.bbox))
    return out
