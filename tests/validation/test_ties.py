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
    # the summary, part and 三公 ties are written out from the vocabulary the derivation reads
    assert list(rules["cross.fiscal_vs_general"]["ties"]) == list(ties.describe_summary("fiscal_grant_summary"))
    assert any("government_fund" in t for t in rules["cross.fiscal_vs_general"]["ties"])
    assert any("general_public_basic" in t for t in rules["cross.general_vs_basic"]["ties"])
    assert any("31013" in t for t in rules["cross.sangong_vs_economic"]["ties"])


def _fiscal(fund_212: str = "80.00", basic_row: str = "300.00") -> Builder:
    """A 财政拨款收支总表 printing each fund in its column, the tables of both funds, and a
    收支总表 whose spending side prints 基本支出 / 项目支出 rows."""
    b = Builder(kind="final", fy=2024)
    b.table("收入支出决算总表", ("收入/决算数", "支出/决算数"), page=6)
    b.row("一、一般公共预算财政拨款收入", {"收入/决算数": "480.00"})
    b.row("本年收入合计", {"收入/决算数": "480.00"})
    b.row("一、基本支出", {"支出/决算数": basic_row}, side=1)
    b.row("二、项目支出", {"支出/决算数": "180.00"}, side=1)
    b.row("本年支出合计", {"支出/决算数": "480.00"}, side=1)
    b.table("支出决算表", ("合计", "基本支出", "项目支出"), page=8)
    b.row("合计", {"合计": "480.00", "基本支出": "300.00", "项目支出": "180.00"})
    b.row("一般公共服务支出", {"合计": "400.00", "基本支出": "300.00", "项目支出": "100.00"}, code="201")
    b.row("城乡社区支出", {"合计": "80.00", "项目支出": "80.00"}, code="212")
    cols = ("收入/决算数", "支出/合计", "支出/一般公共预算财政拨款", "支出/政府性基金预算财政拨款")
    b.table("财政拨款收入支出决算总表", cols, page=10)
    b.row("一、一般公共预算财政拨款", {"收入/决算数": "400.00"})
    b.row("二、政府性基金预算财政拨款", {"收入/决算数": "80.00"})
    b.row("本年收入合计", {"收入/决算数": "480.00"})
    b.row(
        "一、一般公共服务支出",
        {"支出/合计": "400.00", "支出/一般公共预算财政拨款": "400.00"},
        side=1,
    )
    b.row("二、城乡社区支出", {"支出/合计": fund_212, "支出/政府性基金预算财政拨款": fund_212}, side=1)
    b.row(
        "本年支出合计",
        {"支出/合计": "480.00", "支出/一般公共预算财政拨款": "400.00", "支出/政府性基金预算财政拨款": "80.00"},
        side=1,
    )
    b.table("一般公共预算财政拨款支出决算表", ("合计", "基本支出", "项目支出"), page=12)
    b.row("合计", {"合计": "400.00", "基本支出": "300.00", "项目支出": "100.00"})
    b.row("一般公共服务支出", {"合计": "400.00", "基本支出": "300.00", "项目支出": "100.00"}, code="201")
    b.table("政府性基金预算财政拨款收入支出决算表", ("合计",), page=14)
    b.row("合计", {"合计": "80.00"})
    b.row("城乡社区支出", {"合计": "80.00"}, code="212")
    return b


def test_a_fiscal_summary_ties_each_fund_column_to_the_table_of_that_fund() -> None:
    report = _fiscal().build()
    derived = {(report.tables[t.detail].kind, t.column, t.measure) for t in _coverage(report).summary}
    assert ("government_fund", "支出/政府性基金预算财政拨款", "total") in derived
    assert ("general_public_expenditure", "支出/一般公共预算财政拨款", "total") in derived
    assert run("cross.fiscal_vs_general", report) == []
    found = run("cross.fiscal_vs_general", _fiscal(fund_212="85.00").build())
    assert [(f.severity, f.location.page, f.location.column) for f in found] == [
        ("error", 10, "支出/政府性基金预算财政拨款")
    ]


def test_a_summary_block_row_ties_to_the_column_of_its_measure() -> None:
    report = _fiscal().build()
    assert {t.measure for t in _coverage(report).summary if t.summary == 0} >= {"total", "basic", "project"}
    assert run("cross.summary_vs_expenditure", report) == []
    found = run("cross.summary_vs_expenditure", _fiscal(basic_row="310.00").build())
    assert [(f.severity, f.location.row_label, f.difference) for f in found] == [
        ("error", "一、基本支出", Decimal("10.00"))
    ]


def test_a_further_table_of_a_kind_with_another_total_is_a_counted_skip_not_a_finding() -> None:
    b = _fiscal()
    b.table("财政拨款支出决算表", ("合计",), page=16)  # the kind says expenditure; its 合计 is the grants'
    b.row("合计", {"合计": "400.00"})
    b.row("一般公共服务支出", {"合计": "400.00"}, code="201")
    report = b.build()
    cov = _coverage(report)
    assert all(t.detail != len(b.tables) - 1 for t in cov.summary)
    assert any("a further expenditure table" in r for r in cov.skipped)
    assert run("cross.summary_vs_expenditure", report) == []


def test_part_ties_between_kinds_naming_no_fund_are_a_counted_skip() -> None:
    b = Builder(kind="budget", fy=2026)
    b.table("部门支出预算总表", ("合计", "基本支出", "项目支出"))
    b.row("合计", {"合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"})
    b.row("行政运行", {"合计": "30.00", "基本支出": "20.00", "项目支出": "10.00"}, code="2010101")
    b.table("财政拨款基本支出预算表", ("合计",))  # basic_expenditure: of all funds or of the grants?
    b.row("合计", {"合计": "18.00"})
    b.row("工资福利支出", {"合计": "18.00"}, code="301")
    cov = _coverage(b.build())
    assert cov.parts == [] and any("kinds naming no fund" in r for r in cov.skipped)
    assert "kinds naming no fund" in (skipped("cross.general_vs_basic", b.build()) or "")


def _sangong(purchase_31013: str) -> Builder:
    b = Builder(kind="budget", fy=2026, unit="万元")
    b.table("2026年一般公共预算支出经济分类预算表", ("合计", "基本支出", "项目支出"))
    b.row("合计", {"合计": "50.00", "项目支出": "50.00"})
    b.row("公务用车购置", {"合计": purchase_31013, "项目支出": purchase_31013}, code="31013")
    b.table("2026年“三公”经费预算表", ("合计", "公务用车购置及运行费/购置费", "公务用车购置及运行费/运行费"))
    b.row("2026年预算数", {"合计": "30.00", "公务用车购置及运行费/购置费": "30.00"})
    return b


def test_sangong_items_tie_to_the_economic_codes_the_catalog_names_for_them() -> None:
    assert ties.sangong_codes()["vehicle_purchase"] == ("30913", "31013")  # 被装购置费 30224 is no 三公 item
    assert {"30212", "30217", "30231"} <= {c for cs in ties.sangong_codes().values() for c in cs}
    report = _sangong("30.00").build()
    assert [(t.item, t.code) for t in _coverage(report).sangong] == [("vehicle_purchase", "31013")]
    assert run("cross.sangong_vs_economic", report) == []
    found = run("cross.sangong_vs_economic", _sangong("50.00").build())
    assert [(f.severity, f.actual) for f in found] == [("warning", Decimal("30.00"))]


def _one_column_fiscal(general_201: str = "400.00", carried: str | None = None) -> Builder:
    """A 财政拨款收支总表 printing one amount per row (all grants), beside empty 政府性基金 and
    国有资本经营 tables: the grants are the general budget's."""
    b = Builder(kind="budget", fy=2026)
    b.table("财政拨款收支总表", ("收入/预算数", "支出/预算数"), page=6)
    b.row("一、一般公共预算拨款", {"收入/预算数": "400.00"})
    if carried is not None:
        b.row("二、上年结转", {"收入/预算数": carried})
    b.row("本年收入合计", {"收入/预算数": "400.00"})
    b.row("一、一般公共服务支出", {"支出/预算数": "400.00"}, side=1)
    b.row("本年支出合计", {"支出/预算数": "400.00"}, side=1)
    b.table("一般公共预算支出表", ("合计", "基本支出", "项目支出"), page=8)
    b.row("合计", {"合计": general_201, "基本支出": general_201})
    b.row("一般公共服务支出", {"合计": general_201, "基本支出": general_201}, code="201")
    b.table("政府性基金预算支出表", ("合计",), page=9).row("合计", {"合计": "0.00"})
    b.table("国有资本经营预算支出表", ("合计",), page=10).row("合计", {"合计": "0.00"})
    return b


def test_a_one_column_fiscal_summary_is_the_general_budget_when_the_other_funds_print_nothing() -> None:
    report = _one_column_fiscal().build()
    assert [(t.column, t.scope) for t in _coverage(report).summary if t.summary == 0] == [
        ("支出/预算数", "general_public")
    ]
    assert run("cross.fiscal_vs_general", report) == []
    found = run("cross.fiscal_vs_general", _one_column_fiscal(general_201="390.00").build())
    assert {(f.severity, f.location.page) for f in found} == {("error", 6)}
    # carry-over brought in: the summary's spending may include what the year's table does not print
    carried = _one_column_fiscal(carried="10.00").build()
    assert _coverage(carried).summary == []
    assert "no subject table's fund" in (skipped("cross.fiscal_vs_general", carried) or "")
