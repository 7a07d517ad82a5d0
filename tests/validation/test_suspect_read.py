"""parse.suspect_read: an arith mismatch larger than the largest figure it sums is far more likely a
misread than a printed error, so it is a warning with the page, not an error."""

from __future__ import annotations

from decimal import Decimal

from app.validation import RULES, validate
from tests.validation.factories import Builder, of, run


def _income(total: str, page: int = 8) -> Builder:
    b = Builder().table("收入决算表", ("本年收入合计",), page=page)
    b.row("合计", {"本年收入合计": total})
    b.row("一般公共服务支出", {"本年收入合计": "2106.66"}, code="201")
    b.row("社会保障和就业支出", {"本年收入合计": "326.72"}, code="208")
    b.row("卫生健康支出", {"本年收入合计": "60.99"}, code="210")
    return b


def test_a_total_off_by_more_than_its_largest_part_is_a_suspect_read() -> None:
    report = _income("24943.7", page=8).build()  # 2494.37 read with a digit too many
    found = run("arith.total_row", report)
    assert [(f.rule_id, f.severity, f.location.page) for f in found] == [("parse.suspect_read", "warning", 8)]
    assert "第8页" in found[0].message and "arith.total_row" in found[0].message
    assert found[0].difference == Decimal("22449.33")
    v = validate(report)
    assert v.valid and not [f for f in v.findings if f.rule_id.startswith("arith.") and f.severity == "error"]


def test_a_printed_error_smaller_than_the_largest_part_stays_an_error() -> None:
    found = run("arith.total_row", _income("2504.37").build())  # 10 more than the sum of the classes
    assert [(f.rule_id, f.severity) for f in found] == [("arith.total_row", "error")]
    assert of("parse.suspect_read", _income("2504.37").build()) == []
    assert run("arith.total_row", _income("2494.37").build()) == []


def test_a_lost_parent_figure_is_a_suspect_read_of_the_hierarchy() -> None:
    b = Builder().table("支出决算表", ("本年支出合计",))
    b.row("社会保障和就业支出", {"本年支出合计": "3267.20"}, code="208")  # 326.72 read with a stray digit
    b.row("行政事业单位养老支出", {"本年支出合计": "326.72"}, code="20805")
    found = run("arith.hierarchy_sum", b.build())
    assert [(f.rule_id, f.location.code) for f in found] == [("parse.suspect_read", "208")]


def test_the_rule_is_catalogued() -> None:
    r = RULES["parse.suspect_read"]
    assert r.family == "parse" and r.severity == "warning" and r.description_zh and r.inputs


def _twice_missing_item(second_class: str = "1378.84") -> Builder:
    """信访事务 1378.84 over 项 printing 854.84, in the income and the spending table alike."""
    b = Builder(kind="budget", fy=2026)
    for n, title in enumerate(("收入总体情况表", "支出总体情况表")):
        b.table(title, ("合计",), page=7 + 2 * n)
        b.row("一般公共服务支出", {"合计": "1378.84" if n == 0 else second_class}, code="201")
        b.row("信访事务", {"合计": "1378.84" if n == 0 else second_class}, code="20140")
        b.row("行政运行", {"合计": "507.97"}, code="2014001")
        b.row("事业运行", {"合计": "346.87"}, code="2014050")
    return b


def test_the_same_gap_printed_in_two_tables_is_the_reports_error_once() -> None:
    v = validate(_twice_missing_item().build())
    arith = [f for f in v.findings if f.rule_id == "arith.hierarchy_sum"]
    assert [(f.severity, f.location.code) for f in arith] == [("error", "20140")]
    assert [loc.page for loc in arith[0].locations] == [7, 9] and "2张表" in arith[0].message
    assert not [f for f in v.findings if f.rule_id == "parse.suspect_read"]
    # the gap in one table only (the other adds up) stays a suspect reading of that page
    v = validate(_twice_missing_item(second_class="854.84").build())
    read = [(f.rule_id, f.location.page) for f in v.findings if f.rule_id.startswith(("arith.", "parse."))]
    assert read == [("parse.suspect_read", 7)]
