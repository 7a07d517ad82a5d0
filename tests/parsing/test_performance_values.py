"""Operators, printed values and `met`: the pure functions under the performance stage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.parsing.performance.values import blank, is_met, leading_decimal, normalise_operator, split_value, to_decimal


@pytest.mark.parametrize(
    ("printed", "operator"),
    [
        ("≥", "≥"),
        (">=", "≥"),
        ("≧", "≥"),
        ("＞＝", "≥"),
        ("不低于", "≥"),
        ("≤", "≤"),
        ("<=", "≤"),
        ("≦", "≤"),
        ("不超过", "≤"),
        ("=", "="),
        ("＝", "="),
        (">", ">"),
        ("＜", "<"),
        ("定性", "定性"),
        (" ≥ ", "≥"),
        ("正向指标", None),
        ("", None),
        (None, None),
    ],
)
def test_operators_are_normalised(printed: str | None, operator: str | None) -> None:
    assert normalise_operator(printed) == operator


@pytest.mark.parametrize(
    ("printed", "operator", "value", "unit"),
    [
        ("≥30次", "≥", "30", "次"),
        ("=100%", "=", "100", "%"),
        ("≤180元/人.天", "≤", "180", "元/人.天"),
        ("≥1.8亿元", "≥", "1.8", "亿元"),
        ("53次", None, "53", "次"),
        ("280,000.00", None, "280,000.00", None),
        ("优", None, "优", None),
        ("显著提升", None, "显著提升", None),
        ("不少于350个", "≥", "不少于350个", None),  # a worded operator keeps the printed text
        ("2022 年5-6月", None, "2022年5-6月", None),  # a date, not 2022 of unit 年5-6月
        ("100%-80%", None, "100%-80%", None),
    ],
)
def test_values_split_into_operator_number_and_unit(
    printed: str, operator: str | None, value: str, unit: str | None
) -> None:
    v = split_value(printed)
    assert (v.operator, v.text, v.unit) == (operator, value, unit)


def test_numbers_and_placeholders() -> None:
    assert to_decimal("1,234.50") == Decimal("1234.50")
    assert to_decimal("19.21%") == Decimal("19.21")
    assert to_decimal("82分") == Decimal("82")
    assert to_decimal("—") is None
    assert leading_decimal("≥94.64%") == Decimal("94.64")
    assert leading_decimal("不低于上年") is None
    assert blank("—") and blank(" / ") and blank("无") and not blank("0")


@pytest.mark.parametrize(
    ("operator", "target", "actual", "direction", "met"),
    [
        ("≥", "30", "53", None, True),
        ("≥", "95.00", "94.64", None, False),
        ("≤", "5", "5", None, True),
        ("≤", "9.5", "8.52", None, True),
        ("=", "100.00", "100", None, True),
        (">", "1500", "1416", None, False),
        ("<", "10", "3", None, True),
        (None, "100", "100", None, True),
        (None, "100", "98", None, None),  # no operator, no direction: cannot say
        (None, "5", "6", "反向", False),
        (None, "90", "95", "正向", True),
        ("定性", "优", "优", None, True),
        (None, "优", "良", None, False),
        (None, "良", "优", None, True),
        (None, "实施", "全部或基本达成预期指标100%-80%（含）", None, True),
        (None, "实施", "部分达成预期指标并具有一定效果80%-60%（含）", None, False),
        ("≥", "上年度", "大于", None, None),
        ("定性", "优良中低差", None, None, None),
        ("≥", "30", "—", None, None),
        ("≥", "不少于350个", "420个", None, True),
    ],
)
def test_met_compares_actual_with_target_under_the_operator(
    operator: str | None, target: str | None, actual: str | None, direction: str | None, met: bool | None
) -> None:
    assert is_met(operator, target, actual, direction) is met
