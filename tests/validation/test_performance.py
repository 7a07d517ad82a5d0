"""performance: programmes, their funds, indicators and scores."""

from __future__ import annotations

from decimal import Decimal

from app.parsing.model import Indicator, Programme
from tests.validation.factories import Builder, run, skipped

D = Decimal


def _programme(rate: str = "98.68", score_b: str = "9.87", total: str = "96.87", grade: str = "优") -> Builder:
    b = Builder()
    b.programmes.append(
        Programme(
            index=0,
            name="城乡医疗救助专项补助经费",
            scope="project",
            pages=[21],
            amount_unit="万元",
            funds={
                "年初预算数": D("100.00"),
                "全年预算数": D("100.00"),
                "全年执行数": D("98.68"),
                "分值": D("10"),
                "得分": D(score_b),
            },
            execution_rate=D(rate),
            total_score=D(total),
            grade=grade,
        )
    )
    b.indicators += [
        Indicator(
            0,
            "产出指标",
            "数量指标",
            "资助参保人数",
            "≥",
            "120000",
            "人",
            "156626",
            D("50"),
            D("50"),
            True,
            deviation_reason="无偏差",
            page=21,
        ),
        Indicator(
            0,
            "效益指标",
            "社会效益指标",
            "救助及时率",
            "≥",
            "95",
            "%",
            "94.64",
            D("40"),
            D("37"),
            False,
            deviation_reason="年末集中申请，部分未及时办结",
            page=21,
        ),
    ]
    return b


def test_performance_rules_quiet_on_a_consistent_programme() -> None:
    r = _programme().build()
    for rule in (
        "performance.execution_rate",
        "performance.budget_score",
        "performance.score_total",
        "performance.grade",
        "performance.target_met",
        "performance.indicator_complete",
    ):
        assert run(rule, r) == [], rule


def test_execution_rate() -> None:
    found = run("performance.execution_rate", _programme(rate="96.68").build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].expected == "98.68%"
    assert run("performance.execution_rate", _programme(rate="0.9868").build()) == []


def test_budget_score() -> None:
    found = run("performance.budget_score", _programme(score_b="8.00").build())
    assert len(found) == 1 and found[0].severity == "warning"
    found = run("performance.budget_score", _programme(score_b="11.00").build())
    assert found[0].severity == "error"


def test_score_total_and_weights() -> None:
    found = run("performance.score_total", _programme(total="90.00").build())
    assert [f.severity for f in found] == ["error"] and found[0].expected == D("96.87")
    b = _programme()
    b.indicators[0].weight = D("45")
    found = run("performance.score_total", b.build())
    assert [f.severity for f in found] == ["warning"]


def test_grade() -> None:
    found = run("performance.grade", _programme(grade="良").build())
    assert len(found) == 1 and found[0].expected == "优"


def test_target_met() -> None:
    b = _programme()
    b.indicators[1].score = D("40")
    b.indicators[1].deviation_reason = "无"
    found = run("performance.target_met", b.build())
    assert len(found) == 2 and {f.severity for f in found} == {"warning"}


def test_indicator_complete() -> None:
    b = _programme()
    b.indicators[0].level2 = None
    b.indicators[0].actual = None
    found = run("performance.indicator_complete", b.build())
    assert len(found) == 1 and "二级指标" in found[0].message and "实际完成值" in found[0].message


def test_performance_rules_skip_without_programmes() -> None:
    assert skipped("performance.grade", Builder().build()) is not None
    assert skipped("performance.target_met", Builder().build()) is not None


def test_performance_rules_without_the_figures_they_need_skip_with_the_reason() -> None:
    b = _programme()
    p = b.programmes[0]
    p.execution_rate = None
    p.funds = {"年初预算数": D("100.00")}
    p.grade = None
    report = b.build()
    assert "执行率" in (skipped("performance.execution_rate", report) or "")
    assert "执行率" in (skipped("performance.budget_score", report) or "")
    assert "grade" in (skipped("performance.grade", report) or "")
    assert skipped("performance.execution_rate", _programme().build()) is None
