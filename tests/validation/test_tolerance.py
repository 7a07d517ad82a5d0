"""尾数: rounding of printed figures against real differences."""

from __future__ import annotations

from decimal import Decimal

from app.validation.tolerance import Fig, judge, judge_pct

D = Decimal


def test_same_figure_in_two_tables_off_by_one_cent_of_wanyuan_is_rounding() -> None:
    j = judge(Fig(D("326.71"), "万元"), [Fig(D("326.72"), "万元")])
    assert j is not None and j.severity == "info" and j.difference == D("-0.01")


def test_ten_cents_over_two_figures_is_not_rounding() -> None:
    j = judge(Fig(D("326.62"), "万元"), [Fig(D("326.72"), "万元")])
    assert j is not None and j.severity == "error"


def test_sum_of_many_rounded_parts_may_be_off_by_their_halves() -> None:
    parts = [Fig(D(v), "万元") for v in ("2106.66", "326.72", "60.99", "445.69")]
    j = judge(Fig(D("2940.05"), "万元"), parts)
    assert j is not None and j.severity == "info"


def test_yuan_to_the_cent_is_exact_one_cent_is_an_error() -> None:
    j = judge(Fig(D("96282213.45"), "元"), [Fig(D("96282213.44"), "元")])
    assert j is not None and j.severity == "error"


def test_missing_decimal_part_is_not_rounding() -> None:
    j = judge(Fig(D("22118861"), "元", exact=True), [Fig(D("22118861.34"), "元")])
    assert j is not None and j.severity == "error"


def test_wanyuan_text_against_yuan_table_allows_the_text_rounding() -> None:
    assert judge(Fig(D("208.8"), "万元"), [Fig(D("2087959.00"), "元")]) is None
    assert judge(Fig(D("0.83"), "万元"), [Fig(D("8265.00"), "元")]) is None
    bad = judge(Fig(D("201.50"), "万元"), [Fig(D("2087959.00"), "元")])
    assert bad is not None and bad.severity == "error" and bad.expected == D("208.7959")


def test_equal_figures_give_nothing() -> None:
    assert judge(Fig(D("1.00"), "万元"), [Fig(D("0.40"), "万元"), Fig(D("0.60"), "万元")]) is None


def test_percentage_one_unit_in_last_digit_is_rounding() -> None:
    assert judge_pct(D("99.79"), D("99.789"), D("99.790"), D("99.7896")) is None
    j = judge_pct(D("99.86"), D("99.867"), D("99.869"), D("99.868"))
    assert j is not None and j.severity == "info"
    bad = judge_pct(D("71.73"), D("71.653"), D("71.655"), D("71.654"))
    assert bad is not None and bad.severity == "error"
