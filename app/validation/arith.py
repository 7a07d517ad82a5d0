"""arith: identities inside one table."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from app.parsing.model import LineItem, ParsedReport, Table
from app.validation import sangong
from app.validation.columns import Identity, identities, table_columns
from app.validation.common import (
    BASIC,
    EXPENDITURE,
    FISCAL_SUMMARY,
    GENERAL,
    GOV_FUND,
    INCOME,
    PROJECT,
    SANGONG,
    STATE_CAPITAL,
    SUMMARY,
    cell,
    coded,
    fig,
    finding,
    fmt,
    items_of,
    label,
    once_per_report,
    parent_of,
    row_name,
    table_role,
    where,
)
from app.validation.model import Finding
from app.validation.registry import SkipRule, rule
from app.validation.summary import balance_checks, has_both_totals, totals_balance
from app.validation.tolerance import Fig, Judgement, judge

SUBJECT_TABLES = (INCOME, EXPENDITURE, GENERAL, BASIC, GOV_FUND, STATE_CAPITAL, PROJECT)
TOTAL_ROW_NAMES = ("合计", "总计", "本年收入合计", "本年支出合计", "支出合计", "收入合计", "支出总计", "收入总计")
PERSONNEL_CLASSES = ("301", "303")
_AGGREGATE = re.compile(r"合计|总计|小计|人员经费|公用经费|^其中")


def _zero(unit: str | None) -> Fig:
    return Fig(Decimal(0), unit, exact=True)


def _by_table(report: ParsedReport) -> dict[int, list[LineItem]]:
    out: dict[int, list[LineItem]] = defaultdict(list)
    for li in report.line_items:
        out[li.table_index].append(li)
    return out


@rule(
    "arith.hierarchy_sum",
    severity="error",
    zh="上级科目金额等于下级科目金额之和（类=Σ款，款=Σ项），逐列核对",
    en="A parent subject equals the sum of its children (类 = Σ款, 款 = Σ项), per amount column",
    inputs=("line_items",),
)
def hierarchy_sum(report: ParsedReport) -> Iterator[Finding]:
    rows = coded(report.line_items)
    if not rows:
        raise SkipRule("no subject-coded rows were extracted")
    for t_index, items in _by_table(report).items():
        table = report.tables[t_index]
        partial = partial_codes(items)
        for segment in segments(items):
            groups: dict[str | None, list[LineItem]] = defaultdict(list)
            for li in coded(segment):
                groups[li.classification].append(li)
            for group in groups.values():
                yield from _check_hierarchy(report, table, group, partial)


def partial_codes(items: list[LineItem]) -> bool:
    """Rows with amounts but without a code among subject rows: the parser lost some codes (a
    continuation page), so a parent may lack children here that the page does print."""
    if not coded(items):
        return False
    return any(
        not li.code and li.row_kind != "total" and li.values and not _AGGREGATE.search(row_name(li.name))
        for li in items
    )


def segments(items: list[LineItem]) -> list[list[LineItem]]:
    """A table printed once per unit (部门 then each 单位) under one title: one list per unit,
    cut where a code repeats or at the 合计 rows (which open each list when the table prints
    them on top, and close it when at the bottom)."""

    def is_total(li: LineItem) -> bool:
        return li.row_kind != "subject" and row_name(li.name) in TOTAL_ROW_NAMES

    marks = [li for li in items if li.code or is_total(li)]
    totals_first = bool(marks) and is_total(marks[0])
    out: list[list[LineItem]] = [[]]
    seen: set[str] = set()
    for li in items:
        if (li.code and li.code in seen) or (is_total(li) and totals_first and seen):
            out.append([])
            seen = set()
        out[-1].append(li)
        if li.code:
            seen.add(li.code)
        if is_total(li) and not totals_first and seen:
            out.append([])
            seen = set()
    return [seg for seg in out if seg]


def _check_hierarchy(report: ParsedReport, table: Table, items: list[LineItem], partial: bool) -> Iterator[Finding]:
    first: dict[str, LineItem] = {}
    for li in items:
        assert li.code is not None
        first.setdefault(li.code, li)
    children: dict[str, list[LineItem]] = defaultdict(list)
    for li in first.values():
        p = parent_of(li)
        if p and p in first:
            children[p].append(li)
    for code, kids in children.items():
        parent = first[code]
        columns = dict.fromkeys([v.column for v in parent.values] + [v.column for k in kids for v in k.values])
        for column in columns:
            parts = [(k, cell(k, column)) for k in kids]
            printed = [(k, v) for k, v in parts if v is not None]
            if not printed:
                continue
            pv = cell(parent, column)
            unit = fig(report, table, printed[0][1]).unit
            actual = fig(report, table, pv) if pv is not None else _zero(unit)
            j = judge(actual, [fig(report, table, v) for _, v in printed])
            if j is None or (partial and j.severity == "error" and j.difference > 0):
                continue
            yield finding(
                "arith.hierarchy_sum",
                j,
                f"{table.title} {label(table, parent)} {column} {fmt(actual.value)} ≠ Σ下级科目 {fmt(j.expected)}"
                f"（差 {fmt(j.difference)}）",
                actual.value,
                where(table, parent, column),
                evidence=" + ".join(f"{k.code} {fmt(v.amount)}" for k, v in printed),
            )


@rule(
    "arith.total_row",
    severity="error",
    zh="合计行等于各类（最高级科目）之和，逐列核对",
    en="The 合计 row equals the sum of the top-level (类) subject rows, per column",
    inputs=("line_items",),
)
def total_row(report: ParsedReport) -> Iterator[Finding]:
    checked = False
    for t_index, items in _by_table(report).items():
        table = report.tables[t_index]
        if table_role(table) not in SUBJECT_TABLES:
            continue
        partial = partial_codes(items)
        for segment in segments(items):
            found = list(_check_total(report, table, segment, partial))
            checked = checked or found != [None]
            yield from (f for f in found if f is not None)
    if not checked:
        raise SkipRule("no subject table with both a 合计 row and subject rows")


def _check_total(report: ParsedReport, table: Table, items: list[LineItem], partial: bool) -> Iterator[Finding | None]:
    totals = [li for li in items if li.row_kind != "subject" and row_name(li.name) in TOTAL_ROW_NAMES]
    subjects = coded(items)
    classes: dict[str | None, list[LineItem]] = defaultdict(list)
    for li in subjects:
        if li.classification in ("functional", "economic"):
            classes[li.classification].append(li)
    if not totals or not classes:
        yield None
        return
    present = {li.code for li in subjects}
    roots: dict[str, LineItem] = {}
    for li in max(classes.values(), key=len):
        p = parent_of(li)
        if (p is None or p not in present) and not (p and p[:3] in present) and li.code:
            roots.setdefault(li.code, li)
    total = totals[0]
    for v in total.values:
        parts = [(r, cell(r, v.column)) for r in roots.values()]
        printed = [(r, c) for r, c in parts if c is not None]
        if not printed:
            continue
        actual = fig(report, table, v)
        j = judge(actual, [fig(report, table, c) for _, c in printed])
        if j is None or (partial and j.severity == "error" and j.difference > 0):
            continue
        yield finding(
            "arith.total_row",
            j,
            f"{table.title} {total.name} {v.column} {fmt(v.amount)} ≠ Σ各类 {fmt(j.expected)}"
            f"（差 {fmt(j.difference)}）",
            v.amount,
            where(table, total, v.column),
            evidence=" + ".join(f"{r.code} {fmt(c.amount)}" for r, c in printed),
        )


@rule(
    "arith.row_identity",
    severity="error",
    zh="行内勾稽：合计=各组成列之和（如本年支出合计=基本支出+项目支出+…，基本支出=人员经费+公用经费），"
    "年初结转+本年收入−本年支出=年末结转",
    en="Per row: the total column equals the sum of its component columns; carry-in + income − spending = carry-out",
    inputs=("tables.columns", "line_items"),
)
def row_identity(report: ParsedReport) -> Iterator[Finding]:
    checked = False
    for t_index, items in _by_table(report).items():
        table = report.tables[t_index]
        if table_role(table) == SANGONG:
            continue
        ids = list(identities(table, table_columns(table, items)))
        if not ids:
            continue
        checked = True
        left_out: list[tuple[Finding, tuple[str, ...]]] = []
        for li in items:
            for ident in ids:
                checked_row = _check_identity(report, table, li, ident)
                if checked_row is None:
                    continue
                f, omitted = checked_row
                if not omitted:
                    yield f
                else:
                    left_out.append((f, omitted))
        yield from _left_out_columns(left_out)
    if not checked:
        raise SkipRule("no table whose columns form a total/components identity")


def _left_out_columns(left_out: list[tuple[Finding, tuple[str, ...]]]) -> Iterator[Finding]:
    """Rows whose total is the sum of all its parts but one column: the same condition, so one
    finding per (total, column) with every row's location (深圳 支出总表: 支出总计 = 基本 + 项目
    on every row, 事业单位经营支出 printed beside it). A row that adds up without either of two
    equal columns goes with the column most rows leave out."""
    votes = Counter(c for _f, cands in left_out for c in cands)
    by_column: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f, cands in left_out:
        omitted = max(cands, key=lambda c: votes[c])
        by_column[(f.location.column or "", omitted)].append(f)
    for (total, omitted), group in by_column.items():
        if len(group) == 1:
            yield group[0]
            continue
        head = replace(group[0], message=f"{group[0].message}；{total}未含“{omitted}”：各行差额均等于该列")
        yield from once_per_report([head, *group[1:]], key=lambda _f: (total, omitted))


def _check_identity(
    report: ParsedReport, table: Table, li: LineItem, ident: Identity
) -> tuple[Finding, tuple[str, ...]] | None:
    """The row's finding, if any, and the part columns whose leaving out makes the row add up."""
    total = cell(li, ident.total)
    if total is None:
        return None
    best: tuple[Judgement, tuple[str, ...]] | None = None
    for parts in (ident.parts, *ident.alternatives):
        plus = [cell(li, c) for c in parts]
        minus = [cell(li, c) for c in ident.minus]
        if all(v is None for v in plus + minus):
            return None
        unit = fig(report, table, total).unit
        terms = [fig(report, table, v) if v is not None else _zero(unit) for v in plus + minus]
        signs = [1] * len(plus) + [-1] * len(minus)
        j = judge(fig(report, table, total), terms, signs=signs)
        if j is None:
            return None
        if best is None or (j.severity == "info" and best[0].severity == "error"):
            best = (j, parts)
    assert best is not None
    j, parts = best
    names = " + ".join(parts) + "".join(f" − {m}" for m in ident.minus)
    values = [cell(li, c) for c in parts + ident.minus]
    found = finding(
        "arith.row_identity",
        j,
        f"{table.title} {label(table, li)} {ident.total} {fmt(total.amount)} ≠ {names} = {fmt(j.expected)}"
        f"（差 {fmt(j.difference)}）",
        total.amount,
        where(table, li, ident.total),
        evidence="；".join(
            f"{c} {fmt(v.amount) if v else '空'}" for c, v in zip(parts + ident.minus, values, strict=True)
        ),
    )
    if found.severity != "error" or found.rule_id != "arith.row_identity":
        return found, ()
    return found, _omitted(report, table, li, ident, parts)


def _omitted(
    report: ParsedReport, table: Table, li: LineItem, ident: Identity, parts: tuple[str, ...]
) -> tuple[str, ...]:
    """The nonzero part columns without any one of which the row adds up."""
    total = cell(li, ident.total)
    assert total is not None
    actual = fig(report, table, total)
    minus = [fig(report, table, x) for x in (cell(li, m) for m in ident.minus) if x is not None]
    out = []
    for c in parts:
        v = cell(li, c)
        if v is None or v.amount == 0:
            continue
        rest = [fig(report, table, x) for x in (cell(li, o) for o in parts if o != c) if x is not None]
        if rest and judge(actual, rest + minus, signs=[1] * len(rest) + [-1] * len(minus)) is None:
            out.append(c)
    return tuple(out)


@rule(
    "arith.balance",
    severity="error",
    zh="收支总表平衡：本年收入合计+使用非财政拨款结余+年初结转和结余=总计=本年支出合计+结余分配+年末结转和结余",
    en="Summary tables balance: income subtotal + carry-in = 总计 = spending subtotal + carry-out",
    inputs=("line_items",),
)
def balance(report: ParsedReport) -> Iterator[Finding]:
    tables = [t for t in report.tables if table_role(t) in (SUMMARY, FISCAL_SUMMARY)]
    if not tables:
        raise SkipRule("no 收入支出总表 / 财政拨款收入支出总表 was found")
    any_rows = False
    for table in tables:
        any_rows = any_rows or bool(items_of(report, table))
        yield from balance_checks(report, table)
    if not any_rows:
        raise SkipRule("the summary tables have no rows extracted")


@rule(
    "arith.totals_balance",
    severity="error",
    zh="收支总表与财政拨款收支总表的收入总计等于支出总计",
    en="On the summary and the fiscal-grant summary table, 收入总计 equals 支出总计",
    inputs=("line_items",),
    ties=("income_expenditure_summary income 总计 ~ spending 总计", "fiscal_grant_summary income 总计 ~ spending 总计"),
)
def totals_balance_rule(report: ParsedReport) -> Iterator[Finding]:
    tables = [t for t in report.tables if table_role(t) in (SUMMARY, FISCAL_SUMMARY)]
    if not tables:
        raise SkipRule("no 收入支出总表 / 财政拨款收入支出总表 was found")
    both = [t for t in tables if has_both_totals(report, t)]
    if not both:
        raise SkipRule("no summary table prints both a 收入总计 and a 支出总计")
    for table in both:
        yield from totals_balance(report, table)


@rule(
    "arith.economic_totals",
    severity="error",
    zh="人员经费合计、公用经费合计分别等于其经济分类各类之和（人员经费=301+303，公用经费=302+310+…）",
    en="人员经费合计 / 公用经费合计 equal the sum of their economic classes (301+303 / 302+310+…)",
    inputs=("line_items",),
)
def economic_totals(report: ParsedReport) -> Iterator[Finding]:
    done = False
    for table in report.tables:
        if table_role(table) != BASIC:
            continue
        items = items_of(report, table)
        classes = [li for li in coded(items) if li.classification == "economic" and len(li.code or "") == 3]
        for li in items:
            name = row_name(li.name)
            if li.code or not ("人员经费" in name or "公用经费" in name) or not li.values:
                continue
            personnel = "人员经费" in name
            members = [c for c in classes if (c.code in PERSONNEL_CLASSES) == personnel]
            if not classes:
                continue
            done = True
            yield from _economic_total(report, table, li, members, classes)
    if not done:
        raise SkipRule("no basic-expenditure table with 人员经费/公用经费 total rows and economic classes")


def _economic_total(
    report: ParsedReport, table: Table, total: LineItem, members: list[LineItem], classes: list[LineItem]
) -> Iterator[Finding]:
    for v in total.values:
        cands = [members]
        sides = [c for c in classes if c.side == total.side]
        if sides and len({c.side for c in classes}) > 1:
            cands.append(sides)
        best = None
        for group in cands:
            printed = [(c, cell(c, v.column) or (c.values[0] if len(c.values) == 1 else None)) for c in group]
            parts = [(c, p) for c, p in printed if p is not None]
            j = judge(fig(report, table, v), [fig(report, table, p) for _, p in parts])
            if j is None or j.severity == "info":
                best = None if j is None else (j, parts)
                break
            best = best or (j, parts)
        if best is None:
            continue
        j, parts = best
        yield finding(
            "arith.economic_totals",
            j,
            f"{table.title} {total.name} {fmt(v.amount)} ≠ Σ经济分类类级 {fmt(j.expected)}（差 {fmt(j.difference)}）",
            v.amount,
            where(table, total, v.column),
            evidence=" + ".join(f"{c.code} {fmt(p.amount)}" for c, p in parts),
        )


@rule(
    "arith.sangong_sum",
    severity="error",
    zh="“三公”经费合计=因公出国（境）费+公务用车购置及运行费+公务接待费；公务用车购置及运行费=购置费+运行费（预算数、决算数分别核对）",
    en="三公 total = abroad + vehicles + reception; vehicles = purchase + running (budget and actual separately)",
    inputs=("line_items",),
)
def sangong_sum(report: ParsedReport) -> Iterator[Finding]:
    tables = [t for t in report.tables if table_role(t) == SANGONG]
    if not tables:
        raise SkipRule("no “三公”经费 table was found")
    if not any(sangong.slots(items_of(report, t)) for t in tables):
        raise SkipRule("the “三公”经费 table prints no item figure (因公出国、公务用车、公务接待)")
    for table in tables:
        yield from sangong.sum_checks(report, table, items_of(report, table))
