"""arith.items_total: a table that lists uncoded rows under one 合计 (projects, units, 采购 items,
三公 per unit) adds them up in every column. Nothing names these rows a hierarchy, so the rows
must show they are a flat list: the sum holds in most columns that list two or more amounts, and
then a column where it does not is a printed error, not a nesting we did not read."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from app.parsing.model import CellValue, LineItem, ParsedReport, Table
from app.validation.common import (
    FISCAL_SUMMARY,
    OTHER,
    PERFORMANCE,
    SUMMARY,
    fig,
    finding,
    fmt,
    items_of,
    row_name,
    table_role,
    where,
)
from app.validation.model import Finding
from app.validation.registry import SkipRule, rule
from app.validation.tolerance import Judgement, judge

TOTAL_NAMES = ("合计", "总计")
_AGGREGATE = re.compile(r"合计|总计|小计|^其中|^[一二三四五六七八九十]+[、.．]")
# the summary tables' sides are no list (上年结转, 年末结转 … are no parts): arith.balance checks them
NOT_LISTS = (SUMMARY, FISCAL_SUMMARY, OTHER, PERFORMANCE)


def _lists(report: ParsedReport, table: Table) -> list[tuple[LineItem, list[LineItem]]]:
    """(合计 row, its item rows) per side and section of a table whose rows are uncoded items."""
    items = items_of(report, table)
    if any(li.code for li in items):
        return []  # coded rows: arith.total_row and arith.hierarchy_sum read their structure
    groups: dict[tuple[int, int], list[LineItem]] = defaultdict(list)
    for li in items:
        groups[(li.side, li.section)].append(li)
    out = []
    for rows in groups.values():
        totals = [li for li in rows if row_name(li.name) in TOTAL_NAMES]
        parts = [li for li in rows if li.row_kind == "item" and li.name and not _AGGREGATE.search(row_name(li.name))]
        if len(totals) == 1 and len(parts) >= 2:
            out.append((totals[0], parts))
    return out


def _column_checks(
    report: ParsedReport, table: Table, total: LineItem, parts: list[LineItem]
) -> list[tuple[CellValue, Judgement | None, list[CellValue]]]:
    out = []
    for v in total.values:
        printed = [c for li in parts for c in li.values if c.column == v.column]
        if sum(1 for c in printed if c.amount != 0) < 2:
            continue
        j = judge(fig(report, table, v), [fig(report, table, c) for c in printed])
        out.append((v, j, printed))
    return out


@rule(
    "arith.items_total",
    severity="error",
    zh="无编码的列表（项目、单位、采购品目、分单位“三公”）的合计行等于各行之和，逐列核对（各列大多相符时才判定）",
    en="A table listing uncoded rows under one 合计 (projects, units, 采购 items) adds them up, per column, "
    "where most columns show the rows are one flat list",
    inputs=("line_items",),
    ties=(
        "project_expenditure 合计 ~ Σ projects",
        "three_public 合计 ~ Σ units",
        "government_procurement 合计 ~ Σ items",
    ),
)
def items_total(report: ParsedReport) -> Iterator[Finding]:
    checked = False
    for table in report.tables:
        if table_role(table) in NOT_LISTS:
            continue
        for total, parts in _lists(report, table):
            checks = _column_checks(report, table, total, parts)
            holds = sum(1 for _, j, _ in checks if j is None or j.severity == "info")
            if not checks or holds == 0 or 2 * holds < len(checks):
                continue  # no column shows the rows are one flat list: a nesting, per-unit blocks …
            checked = True
            for v, j, printed in checks:
                if j is None:
                    continue
                yield finding(
                    "arith.items_total",
                    j,
                    f"{table.title} {total.name} {v.column} {fmt(v.amount)} ≠ 所列{len(printed)}行之和 "
                    f"{fmt(j.expected)}（差 {fmt(j.difference)}）",
                    v.amount,
                    where(table, total, v.column),
                    evidence=" + ".join(fmt(c.amount) for c in printed[:12]) + (" …" if len(printed) > 12 else ""),
                )
    if not checked:
        raise SkipRule("no table lists uncoded rows under one 合计 that add up in most columns")
