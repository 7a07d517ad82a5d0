"""Precision is part of the figure: a figure printed with fewer decimals than its table prints
elsewhere is not 尾数 (VALIDATION.md: 22,118,861 vs 22,118,861.34 元 is an error); one function,
tolerance.digit, says how precise a figure is for every allowance."""

from __future__ import annotations

from decimal import Decimal

from app.validation.common import table_places
from app.validation.tolerance import Fig, digit, judge
from tests.validation.factories import Builder, run


def test_digit_is_the_table_s_precision_when_the_figure_prints_fewer() -> None:
    assert digit(Decimal("22118861")) == Decimal(1)
    assert digit(Decimal("22118861"), 2) == Decimal("0.01")
    assert digit(Decimal("326.715"), 2) == Decimal("0.001")  # its own decimals when it prints more
    assert digit(Decimal("99.86")) == Decimal("0.01")


def test_a_missing_decimal_part_is_not_rounding() -> None:
    parts = [Fig(Decimal("22000000.00"), "元"), Fig(Decimal("118861.34"), "元")]
    as_printed = judge(Fig(Decimal("22118861"), "元"), parts)
    in_its_table = judge(Fig(Decimal("22118861"), "元", table_places=2), parts)
    assert as_printed is None  # alone, 22118861 could be the amount rounded to the 元
    assert in_its_table is not None and in_its_table.severity == "error"
    assert in_its_table.allowance == 0 and in_its_table.difference == Decimal("-0.34")
    # and in 万元: 326.7 in a two-decimal table is 326.70, 0.02 from 326.72 is more than 尾数 of two figures
    short = judge(Fig(Decimal("326.7"), "万元", table_places=2), [Fig(Decimal("326.72"), "万元")])
    assert short is not None and short.severity == "error"
    alone = judge(Fig(Decimal("326.7"), "万元"), [Fig(Decimal("326.72"), "万元")])
    assert alone is not None and alone.severity == "info"


def _yuan_table(total: str, printed_cents: bool = True) -> Builder:
    b = Builder(unit="元").table("支出决算表", ("本年支出合计",), unit="元")
    cents = ".34" if printed_cents else ""
    b.row("合计", {"本年支出合计": total})
    b.row("社会保障和就业支出", {"本年支出合计": "22000000" + (".00" if printed_cents else "")}, code="208")
    b.row("卫生健康支出", {"本年支出合计": "118861" + cents}, code="210")
    b.row("住房保障支出", {"本年支出合计": "5000" + (".50" if printed_cents else "")}, code="221")
    return b


def test_total_row_printed_without_its_table_s_cents_is_an_error() -> None:
    found = run("arith.total_row", _yuan_table("22123861").build())
    assert [(f.severity, f.expected) for f in found] == [("error", Decimal("22123861.84"))]
    assert run("arith.total_row", _yuan_table("22123861.84").build()) == []


def test_a_table_printing_whole_yuan_keeps_its_rounding() -> None:
    b = Builder(unit="元").table("支出决算表", ("本年支出合计",), unit="元")
    b.row("合计", {"本年支出合计": "22123862"})
    b.row("社会保障和就业支出", {"本年支出合计": "22000000"}, code="208")
    b.row("卫生健康支出", {"本年支出合计": "118861"}, code="210")
    b.row("住房保障支出", {"本年支出合计": "5000"}, code="221")
    found = run("arith.total_row", b.build())
    assert [f.severity for f in found] == ["info"]


def test_one_odd_cell_does_not_set_the_table_s_precision() -> None:
    b = Builder().table("支出决算表", ("本年支出合计",))
    for n, v in enumerate(["10.25", "3.5", "7.75", "1.125", "2.00", "6.10", "8.40"]):
        b.row(f"科目{n}", {"本年支出合计": v}, code=f"20{n + 1}")
    report = b.build()
    assert table_places(report, report.tables[0]) == 2
