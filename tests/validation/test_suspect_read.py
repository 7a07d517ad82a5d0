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
