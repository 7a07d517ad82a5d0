"""The rule catalog: every rule of VALIDATION.md registered with its metadata; the engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.parsing.model import ParsedReport
from app.validation import RULES, validate
from app.validation.model import Finding
from app.validation.registry import rule
from tests.validation.factories import Builder

CATALOG = {
    "structure": {
        "required_tables",
        "empty_table_explained",
        "unit_declared",
        "year_consistent",
        "department_consistent",
    },
    "arith": {"hierarchy_sum", "total_row", "row_identity", "balance", "economic_totals", "sangong_sum"},
    "cross": {
        "summary_vs_expenditure",
        "income_total",
        "fiscal_vs_general",
        "general_vs_basic",
        "same_code_same_amount",
        "sangong_vs_economic",
    },
    "narrative": {"amounts", "percentages", "direction"},
    "performance": {"execution_rate", "budget_score", "score_total", "grade", "target_met", "indicator_complete"},
    "codes": {"known", "name_matches", "parent_present"},
}


def test_every_catalogued_rule_is_registered_with_metadata() -> None:
    for family, names in CATALOG.items():
        for name in names:
            r = RULES[f"{family}.{name}"]
            assert r.family == family and r.severity in ("error", "warning", "info")
            assert r.description_zh and r.description_en and r.inputs


def test_a_report_with_nothing_skips_with_reasons_and_never_crashes() -> None:
    v = validate(ParsedReport(meta=Builder().meta))
    assert v.findings == [] and v.valid
    assert v.rules_skipped and all(s.reason and not s.reason.startswith("internal error") for s in v.rules_skipped)


def test_a_crashing_rule_is_reported_not_raised() -> None:
    @rule("test.crashes", severity="error", zh="测试", en="test", inputs=("nothing",))
    def crashes(report: ParsedReport) -> Iterator[Finding]:
        raise ValueError("boom")
        yield  # pragma: no cover

    try:
        v = validate(ParsedReport(meta=Builder().meta))
        assert any(s.rule_id == "test.crashes" and "boom" in s.reason for s in v.rules_skipped)
    finally:
        del RULES["test.crashes"]


@pytest.mark.parametrize("severity", ["error", "info"])
def test_findings_sort_errors_first(severity: str) -> None:
    b = Builder().table("支出决算表", ("本年支出合计",))
    b.row("社会保障和就业支出", {"本年支出合计": "10.00" if severity == "error" else "9.01"}, code="208")
    b.row("行政事业单位养老支出", {"本年支出合计": "9.00"}, code="20805")
    b.say("政府采购金额为2.00万元，其中：货物1.00万元、服务1.01万元。")
    sev = [f.severity for f in validate(b.build()).findings]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)


def test_every_table_kind_the_parser_can_say_has_a_role() -> None:
    from typing import get_args

    from app.parsing.model import TableKind
    from app.validation.common import ROLE_OF_KIND

    assert set(ROLE_OF_KIND) == set(get_args(TableKind))


def test_rules_read_the_table_kind_not_the_title() -> None:
    """A table the parser called `other` is not taken for a 支出表 because of its title."""
    b = Builder().table("支出决算表", ("本年支出合计",), unit=None)
    b.row("社会保障和就业支出", {"本年支出合计": "10.00"}, code="208")
    report = b.build()
    assert [f.rule_id for f in validate(report).findings if f.rule_id == "structure.unit_declared"]
    report.tables[0].kind = "other"
    assert not [f for f in validate(report).findings if f.rule_id == "structure.unit_declared"]


def test_what_a_run_works_out_once_is_worked_out_again_for_the_next_run() -> None:
    """The fiscal year (and every other per-run reading) is read once per validate, never kept."""
    report = Builder(kind="budget", fy=2026).table("2025年部门支出预算总表").build()
    first = [f for f in validate(report).findings if f.rule_id == "structure.year_consistent"]
    assert len(first) == 1 and first[0].expected == "2026"
    report.meta.fiscal_year = 2025
    assert not [f for f in validate(report).findings if f.rule_id == "structure.year_consistent"]
