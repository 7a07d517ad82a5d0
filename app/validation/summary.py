"""The two-sided summary tables (收入支出总表, 财政拨款收入支出总表): their rows sorted into
income and spending sides, numbered items, subtotals (本年收入合计) and totals (总计)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from app.parsing.model import CellValue, LineItem, ParsedReport, Table
from app.validation.common import cell, fig, finding, first_value, fmt, items_of, norm, row_name, where
from app.validation.facts import facts
from app.validation.model import Finding
from app.validation.tolerance import Fig, judge

_TOP = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_SUB = re.compile(r"^(?:\d+[、.．]|（|\(|其中)")
TOTALS = ("总计", "收入总计", "支出总计", "收支总计")
SUBTOTALS = (
    "本年收入合计",
    "本年支出合计",
    "本年收入小计",
    "本年支出小计",
    "收入合计",
    "支出合计",
    "本年收入",
    "本年支出",
)


@dataclass
class Side:
    name: str  # 收入 / 支出
    tops: list[LineItem] = field(default_factory=list)  # 一、二、… before the subtotal
    pre: list[LineItem] = field(default_factory=list)  # unnumbered rows before the subtotal
    subtotal: LineItem | None = None
    others: list[LineItem] = field(default_factory=list)  # unnumbered after it: carry-in/out, 结余分配 …
    post_tops: list[LineItem] = field(default_factory=list)  # numbered after it (parts of a carry-over row)
    total: LineItem | None = None
    printed: int = 0  # rows with amounts on this side (what a restated subtotal may bring along)


@lru_cache(maxsize=1)
def _class_names() -> frozenset[str]:
    """Names of the functional 类 (社会保障和就业支出 …): a summary listing 类, 款 and 项 by name
    alone sums only its 类 rows."""
    from app.catalog import subjects

    return frozenset(s.name for s in subjects() if s.level == 1 and s.classification == "functional")


def table_sides(report: ParsedReport, table: Table) -> list[Side]:
    """The sides of a summary table, read once per validation run."""
    return facts(report).memo(("sides", table.index), lambda: sides(items_of(report, table)))


def sides(items: list[LineItem]) -> list[Side]:
    """Income side first, spending side second, as the parser marked the rows."""
    income = [li for li in items if li.summary_side == "income"]
    spending = [li for li in items if li.summary_side == "expenditure"]
    out = [_side("收入", income)] if income else []
    if spending:
        out.append(_side("支出", spending))
    return out


def _side(name: str, rows: list[LineItem]) -> Side:
    side = Side(name)
    for li in rows:
        raw = norm(li.name)
        key = row_name(li.name)
        if side.total is not None:
            break
        if li.values:
            side.printed += 1
        if key in TOTALS:
            side.total = li
        elif key in SUBTOTALS and side.subtotal is None:
            side.subtotal = li
        elif li.code or (_SUB.match(raw) and not _TOP.match(raw)):
            continue
        elif _TOP.match(raw):
            (side.tops if side.subtotal is None else side.post_tops).append(li)
        else:
            (side.pre if side.subtotal is None else side.others).append(li)
    return side


def _value(r: LineItem, column: str, single: bool) -> CellValue | None:
    """The row's cell in that column; a one-column row's only cell when the total has one too."""
    return cell(r, column) or (first_value(r) if single and len(r.values) == 1 else None)


def _terms(
    report: ParsedReport, table: Table, rows: list[LineItem], column: str, unit: str | None, single: bool
) -> list[Fig]:
    out: list[Fig] = []
    for r in rows:
        v = _value(r, column, single)
        out.append(fig(report, table, v) if v is not None else Fig(Decimal(0), unit, exact=True))
    return out


Option = tuple[str, list[LineItem]]


def _check(
    report: ParsedReport, table: Table, total: LineItem, options: list[Option], carried: int = 0
) -> Iterator[Finding]:
    """The total against several readings of the rows above it; a finding only if none fits."""
    options = [(what, rows) for what, rows in options if rows]
    if not options:
        return
    single = len(total.values) == 1
    for v in total.values:
        actual = fig(report, table, v)
        results = []
        for what, rows in options:
            if all(_value(r, v.column, single) is None for r in rows):
                continue
            terms = _terms(report, table, rows, v.column, actual.unit, single)
            results.append((judge(actual, terms, extra_figures=carried), what, rows))
        if not results or any(j is None for j, _, _ in results):
            continue
        infos = [r for r in results if r[0] is not None and r[0].severity == "info"]
        j, what, rows = infos[0] if infos else results[0]
        assert j is not None
        yield finding(
            "arith.balance",
            j,
            f"{table.title} {total.name} {v.column} {fmt(v.amount)} ≠ {what} {fmt(j.expected)}"
            f"（差 {fmt(j.difference)}）",
            v.amount,
            where(table, total, v.column),
            evidence=" + ".join(f"{r.name} {fmt(_amount(_value(r, v.column, single)))}" for r in rows),
        )


def _names(rows: list[LineItem]) -> str:
    return " + ".join(row_name(r.name) for r in rows[:4]) + "…" * (len(rows) > 4)


def _amount(v: CellValue | None) -> Decimal:
    return v.amount if v is not None else Decimal(0)


def balance_checks(report: ParsedReport, table: Table) -> Iterator[Finding]:
    found = table_sides(report, table)
    for side in found:
        each = f"Σ{side.name}各项"
        classes = [r for r in side.tops + side.pre if row_name(r.name) in _class_names()]
        if side.subtotal is not None:
            opts = [(each, side.tops), (each, side.tops + side.pre), (each, side.pre), (each, classes)]
            yield from _check(report, table, side.subtotal, [o for o in opts if o[1]])
        if side.total is not None:
            base = [side.subtotal] if side.subtotal is not None else side.tops + side.pre
            options: list[Option] = [(_names(base + side.others), base + side.others)]
            for alt in (
                side.tops + side.others,
                side.tops,
                side.tops + side.post_tops,
                base + side.post_tops,
                side.tops + side.pre + side.others,
                base,
                classes + side.others,
                classes,
            ):
                options.append((_names(alt), alt))
            # 本年支出合计 restated in the 总计 brings along the rows it sums
            carried = max(side.printed - 2, 0) if side.subtotal else 0
            yield from _check(report, table, side.total, options, carried=carried)


def totals_balance(report: ParsedReport, table: Table) -> Iterator[Finding]:
    """收入总计 = 支出总计: the income half ends in the amount of every spending half (a summary
    printing the spending by function and again by economic class ends each in its 总计)."""
    found = table_sides(report, table)
    if len(found) < 2 or found[0].total is None:
        return
    income = found[0].total
    a = first_value(income)
    if a is None:
        return
    spending = [found[1].total] if found[1].total is not None else []
    spending += [  # further side-by-side halves the income/spending split left unmarked
        li for li in items_of(report, table) if li.summary_side is None and li.side > 1 and row_name(li.name) in TOTALS
    ]
    for total in spending:
        b = first_value(total)
        if b is None:
            continue
        j = judge(fig(report, table, b), [fig(report, table, a)])
        if j is not None:
            yield finding(
                "arith.totals_balance",
                j,
                f"{table.title} 支出{row_name(total.name).removeprefix('支出')} {fmt(b.amount)} ≠ "
                f"收入{row_name(income.name).removeprefix('收入')} {fmt(a.amount)}（差 {fmt(j.difference)}）",
                b.amount,
                where(table, total, b.column),
                evidence=f"收入{row_name(income.name).removeprefix('收入')} = {fmt(a.amount)}",
            )


def has_both_totals(report: ParsedReport, table: Table) -> bool:
    found = table_sides(report, table)
    return len(found) == 2 and all(s.total is not None and first_value(s.total) is not None for s in found)
