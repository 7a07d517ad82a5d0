"""A change stated without its base (比上年减少 X万元) is tied to the 三公 table's prior-year figure:
the table's current minus prior-year figure is the change, both printed."""

from __future__ import annotations

from decimal import Decimal

from app.validation import validate
from tests.validation.factories import Builder, run

COLS = ("2025年预算数/合计", "2025年预算数/公务接待费", "2026年预算数/合计", "2026年预算数/公务接待费")


def _report(change: str, word: str = "减少", prior: str = "9.28") -> Builder:
    b = Builder(kind="budget", fy=2026)
    b.table("2026年部门“三公”经费预算表", COLS)
    b.row("一般公共预算", dict(zip(COLS, (prior, prior, "8.28", "8.28"), strict=True)))
    b.say(f"“三公”经费中，公务接待费预算8.28万元，比上年{word}{change}万元，主要是压减接待活动。")
    return b


def _change_claims(report_builder: Builder) -> dict[str, int]:
    report = validate(report_builder.build())
    return report.claims.counts["amount"]


def test_a_change_that_is_the_current_minus_the_prior_year_figure_ties_quietly() -> None:
    assert [f for f in run("narrative.amounts", _report("1").build()) if "比上年" in f.message] == []
    counts = _change_claims(_report("1"))
    assert counts["unverified"] == 0 and counts["tied"] == 2  # the current figure and its change


def test_a_change_the_prior_year_figure_does_not_give_is_an_error_at_the_table_row() -> None:
    found = [f for f in run("narrative.amounts", _report("2").build()) if "比上年" in f.message]
    assert [(f.severity, f.expected, f.actual, f.location.column) for f in found] == [
        ("error", Decimal("-1.00"), Decimal("-2"), "2026年预算数/公务接待费")
    ]
    # the direction is part of the change: 增加 1 where the table fell by 1 is no match
    found = [f for f in run("narrative.amounts", _report("1", word="增加").build()) if "比上年" in f.message]
    assert [f.severity for f in found] == ["error"]


def test_without_a_prior_year_figure_the_change_stays_unverified() -> None:
    b = Builder(kind="budget", fy=2026)
    b.table("2026年部门“三公”经费预算表", ("合计", "公务接待费"))
    b.row("2026年预算数", {"合计": "8.28", "公务接待费": "8.28"})
    b.say("“三公”经费中，公务接待费预算8.28万元，比上年减少1万元。")
    report = validate(b.build())
    assert report.claims.counts["amount"]["unverified"] == 1
    assert report.claims.reasons.get("change_without_base") == 1
