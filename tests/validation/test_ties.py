"""Ties by construction: the pairs of subject tables printing the same quantity (code × measure ×
fund scope) are derived from the parsed kinds and measures, all checked by one rule, and what the
ties do not know is counted as a skip; GET /rules lists the ties each rule covers."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal

import pytest

from app.parsing import ParsedReport
from app.validation import ties
from app.validation.facts import active
from tests.conftest import SHARED_FIXTURES
from tests.validation.factories import Builder, parsed_real, run, skipped

FINANCE = SHARED_FIXTURES / "real" / "putuo_finance_2024_final.pdf"
RULE = "cross.same_code_same_amount"


def _coverage(report: ParsedReport) -> ties.Coverage:
    with active(report):
        return ties.coverage(report)


@pytest.mark.slow
def test_the_real_final_ties_its_subject_tables_and_they_agree() -> None:
    report = parsed_real(FINANCE)
    cov = _coverage(report)
    kinds = {(report.tables[t.a].kind, report.tables[t.b].kind, t.measure) for t in cov.ties}
    # 支出决算表 and 一般公共预算财政拨款支出决算表 print the same codes when their 合计 agree
    assert any(m == "total" for _, _, m in kinds)
    assert {m for _, _, m in kinds} >= {"total", "basic", "project"}
    assert run(RULE, report) == []


@pytest.mark.slow
def test_one_code_changed_in_one_tied_table_fires_at_that_code() -> None:
    report = parsed_real(FINANCE)
    tie = next(t for t in _coverage(report).ties if t.measure == "basic")
    a_codes = {li.code for li in report.line_items if li.table_index == tie.a and li.code}
    mutated = copy.deepcopy(report)
    target = next(
        li
        for li in mutated.line_items
        if li.table_index == tie.b
        and len(li.code or "") == 7
        and li.code in a_codes
        and any(v.column == tie.b_column and v.amount > 0 for v in li.values)
    )
    target.values = [replace(v, amount=v.amount + 100) if v.column == tie.b_column else v for v in target.values]
    found = [f for f in run(RULE, mutated) if f.severity == "error"]
    assert found and all(f.location.code == target.code for f in found)
    assert {abs(f.difference or 0) for f in found} == {Decimal("100.00")}


def _pair(general_basic: str) -> Builder:
    b = Builder().table("支出决算表", ("合计", "基本支出", "项目支出"))
    b.row("合计", {"合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"})
    b.row("行政运行", {"合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"}, code="2010101")
    b.table("一般公共预算财政拨款支出决算表", ("合计", "基本支出", "项目支出"))
    b.row("合计", {"合计": "30.00", "基本支出": general_basic, "项目支出": "10.00"})
    b.row("行政运行", {"合计": "30.00", "基本支出": general_basic, "项目支出": "10.00"}, code="2010101")
    return b


def test_built_tables_of_equal_totals_tie_on_every_shared_measure() -> None:
    cov = _coverage(_pair("20.00").build())
    assert sorted(t.measure for t in cov.ties) == ["basic", "project", "total"]
    assert run(RULE, _pair("20.00").build()) == []
    found = run(RULE, _pair("21.00").build())
    assert {f.location.column for f in found} == {"基本支出"} and all(f.severity == "error" for f in found)


def test_what_the_ties_do_not_know_is_a_counted_skip() -> None:
    b = Builder().table("支出决算表", ("合计", "栏次说明"))
    b.row("行政运行", {"合计": "30.00", "栏次说明": "1.00"}, code="2010101")
    b.table("政府采购预算表", ("合计",)).row("行政运行", {"合计": "3.00"}, code="2010101")
    cov = _coverage(b.build())
    assert cov.ties == []
    assert any("government_procurement" in r for r in cov.skipped)
    reason = skipped(RULE, b.build())
    assert reason is not None and "government_procurement" in reason


@pytest.mark.anyio
async def test_rules_endpoint_lists_the_ties_each_rule_covers(make_client) -> None:  # type: ignore[no-untyped-def]
    async with make_client() as client:
        rules = {r["id"]: r for r in (await client.get("/rules")).json()["data"]}
    assert rules[RULE]["ties"] and "fund scope" in rules[RULE]["ties"][0]
    assert rules["arith.totals_balance"]["ties"] and rules["arith.hierarchy_sum"]["ties"] == []
