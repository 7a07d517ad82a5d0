"""The “三公”经费 table in either layout: items as columns (合计 | 因公出国（境）费 | 公务用车购置及
运行费/小计/购置费/运行费 | 公务接待费, each maybe split by 预算数/决算数, by year or by fund) with
one row per year or scope, or items as rows with the scopes as columns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from app.parsing.model import CellValue, LineItem, ParsedReport, SangongItem, Table
from app.validation.common import fig, finding, fmt, norm, where
from app.validation.model import Finding
from app.validation.tolerance import Fig, judge

TOTAL: SangongItem = "total"
ABROAD: SangongItem = "outbound"
VEHICLE: SangongItem = "vehicle"
PURCHASE: SangongItem = "vehicle_purchase"
RUNNING: SangongItem = "vehicle_operation"
RECEPTION: SangongItem = "reception"
NAMES: dict[SangongItem, str] = {
    TOTAL: "合计",
    ABROAD: "因公出国（境）费",
    VEHICLE: "公务用车购置及运行费",
    PURCHASE: "购置费",
    RUNNING: "运行费",
    RECEPTION: "公务接待费",
}
_COUNTS = re.compile(r"[(（](?:个|人|辆|次|批)[)）]|团组|人次|批次|保有量|购置数|车辆数|数量")
_CHANGE = re.compile(r"增减|增长|变化|变动|比上年|差额|同比")
_OTHER_ROWS = re.compile(r"行政经费|机关运行|会议费|培训费|其他")
_FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "政府性基金", "国有资本经营", "财政拨款")
_YEAR = re.compile(r"(20\d{2})\s*年")
WORDS = ("年初预算", "全年预算", "调整预算", "预算", "决算", "执行", "实际")


@dataclass(frozen=True)
class Scope:
    year: int | None = None  # 2026; the year before the report's for 上年
    word: str = ""  # 预算 / 决算 / 年初预算 …
    fund: str = ""  # 一般公共预算 … ("" for all funds / 合计)
    row: int | None = None  # items printed as columns: each row is its own scope

    def label(self) -> str:
        return f"{self.year or ''}{'年' if self.year else ''}{self.word}{('/' + self.fund) if self.fund else ''}"


def scope_in(text: str, fy: int | None) -> Scope:
    t = norm(text)
    fund = next((f for f in _FUNDS if f in t), "")
    for f in _FUNDS:
        t = t.replace(f, "")
    years = [int(y) for y in _YEAR.findall(t)]
    year = years[0] if years else None
    if year is None and fy is not None:
        year = fy - 1 if "上年" in t else (fy if "本年" in t else None)
    word = next((w for w in WORDS if w in t), "")
    return Scope(year, word, fund)


def _merge(a: Scope, b: Scope, row: int | None) -> Scope:
    return Scope(a.year or b.year, a.word or b.word, a.fund or b.fund, row)


@dataclass(frozen=True)
class Slot:
    item: SangongItem
    scope: Scope
    row: LineItem
    value: CellValue


def _whole_row(name: str, scope: Scope) -> bool:
    """A row of the items-as-columns layout that holds the department's figures: unnamed, a
    year or scope (2026年, 预算数), not another expense (行政经费) nor a subordinate unit."""
    if _OTHER_ROWS.search(name) or re.search(r"(中心|局|所|站|队|院|处|办|室|委员会|部|馆|校|会|社|团)$", name):
        return False
    return True


def slots(items: list[LineItem], fy: int | None = None) -> list[Slot]:
    """Every printed 三公 amount with its item and scope; counts, changes and other rows left out."""
    out: list[Slot] = []
    for n, li in enumerate(items):
        name = norm(li.name)
        if _COUNTS.search(name) or _CHANGE.search(name):
            continue
        row_item = li.sangong_item
        row_scope = scope_in(li.name, fy)
        for v in li.values:
            if "机关运行" in norm(v.column) or _CHANGE.search(norm(v.column)):
                continue
            col_item, col_scope = v.sangong_item, scope_in(v.column, fy)
            if col_item == TOTAL and row_item not in (None, TOTAL) and "三公" not in norm(v.column):
                col_item = None  # a 合计 (all funds) column of the items-as-rows layout
            if col_item is not None:
                if row_item not in (None, TOTAL) or (row_item is None and not _whole_row(name, row_scope)):
                    continue  # a sub-breakdown, a unit's own row or another expense in the same grid
                out.append(Slot(col_item, _merge(col_scope, row_scope, n), li, v))
            elif row_item is not None and not _OTHER_ROWS.search(name.replace("其中", "")):
                out.append(Slot(row_item, _merge(col_scope, row_scope, None), li, v))
    return out


def pick(found: list[Slot], item: SangongItem, word: str, fy: int | None) -> Slot | None:
    """The one current-year figure of an item (预算 for budgets, 决算 for finals), None if unclear."""
    cands = [s for s in found if s.item == item]
    if fy is not None:
        cands = [s for s in cands if s.scope.year is None or s.scope.year >= fy]
        if any(s.scope.year == fy for s in cands):
            cands = [s for s in cands if s.scope.year == fy]
    if any(word in s.scope.word for s in cands):
        cands = [s for s in cands if word in s.scope.word]
    elif any(s.scope.word for s in cands):
        return None  # only other scopes (预算数 where the 决算数 is wanted) are printed
    whole = [s for s in cands if s.scope.fund in ("", "财政拨款")]
    cands = whole or [s for s in cands if s.scope.fund == "一般公共预算"] or cands
    keys = {(s.scope.year, s.scope.word, s.scope.fund, s.scope.row) for s in cands}
    return cands[0] if len(keys) == 1 else None


def sum_checks(report: ParsedReport, table: Table, items: list[LineItem]) -> Iterator[Finding]:
    by_scope: dict[Scope, dict[SangongItem, Slot]] = {}
    for s in slots(items):
        by_scope.setdefault(s.scope, {}).setdefault(s.item, s)
    # a table that also prints 会议费/培训费 may total them with the 三公 in its 合计
    extra = re.search(r"会议费|培训费", norm(table.title) + "".join(norm(v.column) for li in items for v in li.values))
    for scope, got in by_scope.items():
        whole = got.get(TOTAL)
        if not extra or (whole is not None and "三公" in norm(whole.value.column) + norm(whole.row.name)):
            yield from _identity(report, table, scope, got, TOTAL, (ABROAD, VEHICLE, RECEPTION))
        yield from _identity(report, table, scope, got, VEHICLE, (PURCHASE, RUNNING))


def _identity(
    report: ParsedReport,
    table: Table,
    scope: Scope,
    got: dict[SangongItem, Slot],
    total: SangongItem,
    parts: tuple[SangongItem, ...],
) -> Iterator[Finding]:
    whole = got.get(total)
    if whole is None:
        return
    if total == TOTAL and VEHICLE not in got and PURCHASE in got and RUNNING in got:
        parts = (ABROAD, PURCHASE, RUNNING, RECEPTION)
    present = [p for p in parts if p in got]
    if len(present) < 2 and not (present and total == TOTAL):
        return
    actual = fig(report, table, whole.value)
    terms = [fig(report, table, got[p].value) if p in got else Fig(Decimal(0), actual.unit, exact=True) for p in parts]
    j = judge(actual, terms)
    if j is None:
        return
    yield finding(
        "arith.sangong_sum",
        j,
        f"{table.title} {scope.label() or whole.row.name} {NAMES[total]} {fmt(whole.value.amount)} ≠ "
        f"{' + '.join(NAMES[p] for p in parts)} = {fmt(j.expected)}（差 {fmt(j.difference)}）",
        whole.value.amount,
        where(table, whole.row, whole.value.column),
        evidence="；".join(f"{NAMES[p]} {fmt(got[p].value.amount) if p in got else '空'}" for p in parts),
    )
