"""arith.items_total: uncoded rows listed under one 合计 add up, where the columns show a flat list."""

from __future__ import annotations

from decimal import Decimal

from tests.validation.factories import Builder, run, skipped

COLS = ("合计", "一般公共预算拨款", "政府性基金拨款")


def _projects(first: str = "120.50") -> Builder:
    b = Builder(kind="budget", fy=2026).table("项目支出总表", COLS)
    b.row("合计", {"合计": "345.75", "一般公共预算拨款": "300.25", "政府性基金拨款": "45.50"})
    b.row("机关综合服务", {"合计": first, "一般公共预算拨款": "120.50"})
    b.row("信息化运维", {"合计": "180.25", "一般公共预算拨款": "134.75", "政府性基金拨款": "45.50"})
    b.row("法治宣传", {"合计": "45.00", "一般公共预算拨款": "45.00"})
    return b


def test_items_total_quiet_when_the_rows_add_up() -> None:
    assert run("arith.items_total", _projects().build()) == []


def test_items_total_fires_on_the_column_that_does_not_add_up() -> None:
    found = run("arith.items_total", _projects(first="121.50").build())
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and f.location.column == "合计" and f.expected == Decimal("346.75")


def test_items_total_skips_rows_that_are_no_flat_list() -> None:
    """Parents and their children printed alike (工资福利支出 then 基本工资 …): no column adds up."""
    b = Builder(kind="budget", fy=2026).table("项目支出总表", COLS)
    b.row("合计", {"合计": "100.00", "一般公共预算拨款": "100.00"})
    b.row("工资福利支出", {"合计": "100.00", "一般公共预算拨款": "100.00"})
    b.row("基本工资", {"合计": "60.00", "一般公共预算拨款": "60.00"})
    b.row("津贴补贴", {"合计": "40.00", "一般公共预算拨款": "40.00"})
    assert skipped("arith.items_total", b.build()) is not None
