"""The small pure pieces: amounts, codes, titles/units/departments, kinds and measures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.parsing.amounts import parse_amount
from app.parsing.codes import PartInheritance, classify, code_cell, split_leading_code
from app.parsing.kinds import (
    column_header,
    column_measure,
    column_sangong_item,
    header_roles,
    sangong_items,
    table_kind,
)
from app.parsing.model import CellValue, Column, LineItem
from app.parsing.regions import parse_department, parse_title, parse_unit
from app.parsing.rows import summary_sides


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,511.89", "1511.89"),
        ("4,964,173.05", "4964173.05"),
        ("0.00", "0.00"),
        ("12", "12"),
        ("-3.50", "-3.50"),
        ("（12.00）", "-12.00"),
        (" 2,106.66 ", "2106.66"),
    ],
)
def test_amounts_are_kept_exactly_as_printed(text: str, expected: str) -> None:
    amount = parse_amount(text)
    assert amount == Decimal(expected)
    assert format(amount, "f") == expected


@pytest.mark.parametrize("text", ["", "—", "-", "--", "——", "/", "*", "万元", "19.21%", "≥30次", None])
def test_blank_dash_and_text_cells_have_no_value(text: str | None) -> None:
    assert parse_amount(text) is None


def test_codes_in_one_cell_with_or_without_spaces() -> None:
    assert code_cell("2080505") == "2080505"
    assert code_cell("208 05 05") == "2080505"
    assert code_cell("[30227]") == "30227"
    assert code_cell("行政运行") is None


@pytest.mark.parametrize(
    ("label", "code", "name"),
    [
        ("2010101 行政运行", "2010101", "行政运行"),
        ("[30227]委托业务费", "30227", "委托业务费"),
        ("201-一般公共服务支出", "201", "一般公共服务支出"),
        ("208 05 05 机关事业单位基本养老保险缴费支出", "2080505", "机关事业单位基本养老保险缴费支出"),
        ("2026年部门预算", None, "2026年部门预算"),
        ("120,000.00", None, "120,000.00"),
        ("合计", None, "合计"),
    ],
)
def test_code_in_front_of_a_name(label: str, code: str | None, name: str) -> None:
    assert split_leading_code(label) == (code, name)


def test_blank_parent_parts_are_inherited_from_rows_above() -> None:
    parts = PartInheritance()
    assert parts.code(["208", "", ""]) == "208"
    assert parts.code(["", "05", ""]) == "20805"
    assert parts.code(["", "", "05"]) == "2080505"
    assert parts.code(["", "", "06"]) == "2080506"
    assert parts.code(["210", "11", ""]) == "21011"
    assert parts.code(["", "", "01"]) == "2101101"
    assert parts.code(["", "", ""]) is None


def test_classification_level_and_parent() -> None:
    c = classify("2080505")
    assert (c.classification, c.level, c.parent) == ("functional", 3, "20805")
    c = classify("208")
    assert (c.classification, c.level, c.parent) == ("functional", 1, None)
    c = classify("30101")
    assert (c.classification, c.level, c.parent) == ("economic", 2, "301")
    assert classify("50101").classification == "economic"


@pytest.mark.parametrize(
    ("line", "title", "number"),
    [
        ("收入支出决算总表", "收入支出决算总表", None),
        ("公开01表 收入支出决算总表", "收入支出决算总表", "公开01表"),
        ("表1：2026年市级部门收支预算总表", "2026年市级部门收支预算总表", "表1"),
        ("2026年部门“三公”经费和机关运行经费预算表", "2026年部门“三公”经费和机关运行经费预算表", None),
        ("部门预算项目支出绩效自评表（2023年度）", "部门预算项目支出绩效自评表（2023年度）", None),
    ],
)
def test_table_titles(line: str, title: str, number: str | None) -> None:
    info = parse_title(line)
    assert info is not None
    assert (info.title, info.number) == (title, number)


@pytest.mark.parametrize(
    "line",
    [
        "第二部分 2026年部门预算表",
        "（一）收支预算情况的总体说明（详见表1-3）",
        "一、收入支出决算总表……………………3",
        "本年收入合计570.73万元，其中：一般公共预算财政拨款收入570.73万元。",
        "编制部门：上海市普陀区司法局 单位：元",
    ],
)
def test_lines_that_are_not_titles(line: str) -> None:
    assert parse_title(line) is None


def test_units_and_departments() -> None:
    assert parse_unit("金额单位：元") == "元"
    assert parse_unit("单位：万元") == "万元"
    assert parse_unit("单位:万元") == "万元"
    assert parse_unit("单位：玉溪市医疗保障局（本级） 金额单位：元") == "元"
    assert parse_unit("单位：玉溪市医疗保障局（本级）") is None
    assert parse_department("编制部门：上海市普陀区司法局 单位：元") == "上海市普陀区司法局"
    assert parse_department("部门：辽宁省盘锦市医疗保障局 2023年度 金额单位：万元") == "辽宁省盘锦市医疗保障局"
    assert parse_department("单位：万元") is None


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("收入支出决算总表", "income_expenditure_summary"),
        ("收入决算表", "income"),
        ("支出决算表", "expenditure"),
        ("财政拨款收入支出决算总表", "fiscal_grant_summary"),
        ("一般公共预算财政拨款支出决算表", "general_public_expenditure"),
        ("一般公共预算财政拨款基本支出决算表", "general_public_basic"),
        ("财政拨款“三公”经费支出决算表", "three_public"),
        ("政府性基金预算财政拨款收入支出决算表", "government_fund"),
        ("国有资本经营预算财政拨款收入支出决算表", "state_capital"),
        ("2026年部门财务收支预算总表", "income_expenditure_summary"),
        ("2026年部门收入预算总表", "income"),
        ("2026年部门支出预算总表", "expenditure"),
        ("财政拨款收支总表", "fiscal_grant_summary"),
        ("2026年部门一般公共预算基本支出部门预算经济分类预算表", "general_public_basic"),
        ("项目支出总表", "project_expenditure"),
        ("国有资产使用情况表", "state_assets"),
        ("政府采购预算表", "government_procurement"),
        ("2022年度项目支出绩效自评表", "performance_self_eval"),
        ("项目支出绩效目标表", "performance_target"),
        ("2022年部门综合预算财政拨款上年结转资金支出表", "carryover"),
        ("2022年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）", "general_public_expenditure"),
        ("2022年部门综合预算专项业务经费支出表（不含上年结转）", "expenditure"),
        ("一般公共预算机关运行经费支出预算表", "agency_operation"),
        ("封面", "other"),
    ],
)
def test_table_kinds(title: str, kind: str) -> None:
    assert table_kind(title) == kind


@pytest.mark.parametrize(
    ("label", "measure"),
    [
        ("本年支出合计", "total"),
        ("基本支出", "basic"),
        ("本年支出/基本支出/人员经费", "personnel"),
        ("公用经费", "public"),
        ("一般公共预算财政拨款", "general_public_budget"),
        ("政府性基金预算财政拨款", "government_fund"),
        ("国有资本经营预算财政拨款", "state_capital"),
        ("决算数", "actual"),
        ("预算数", "budget"),
        ("公务接待费/预算数", "reception_budget"),
        ("公务用车购置及运行费/小计", "vehicle"),
        ("年初结转和结余/合计", "carryover_begin"),
        ("行次", None),
    ],
)
def test_column_measures(label: str, measure: str | None) -> None:
    assert column_measure(label) == measure


def _rows(*names_sides: tuple[str, int]) -> list[LineItem]:
    return [LineItem(table_index=0, page=1, row_kind="item", name=n, side=s) for n, s in names_sides]


def test_summary_sides_from_side_by_side_halves() -> None:
    rows = _rows(("一、财政拨款收入", 0), ("一、一般公共服务支出", 1), ("收入总计", 0), ("支出总计", 1))
    summary_sides("income_expenditure_summary", rows)
    assert [r.summary_side for r in rows] == ["income", "expenditure", "income", "expenditure"]


def test_summary_sides_of_a_table_printing_income_above_spending() -> None:
    rows = _rows(("一、财政拨款收入", 0), ("总 计", 0), ("一、一般公共服务支出", 0), ("总计", 0), ("备注", 0))
    summary_sides("fiscal_grant_summary", rows)
    assert [r.summary_side for r in rows] == ["income", "income", "expenditure", "expenditure", None]


def test_only_summary_tables_have_sides() -> None:
    rows = _rows(("合计", 0), ("总计", 0), ("一般公共服务支出", 1))
    summary_sides("expenditure", rows)
    assert [r.summary_side for r in rows] == [None, None, None]


@pytest.mark.parametrize(
    ("label", "item"),
    [
        ("因公出国（境）费/预算数", "outbound"),
        ("公务用车购置及运行费/小计", "vehicle"),
        ("公务用车购置及运行费/公务用车运行费", "vehicle_operation"),
        ("公务用车购置及运行费/购置费/决算数", "vehicle_purchase"),
        ("公务接待费", "reception"),
        ("“三公”经费合计", "total"),
        ("机关运行经费", None),
        ("购置数（辆）", None),
    ],
)
def test_sangong_items_of_column_labels(label: str, item: str | None) -> None:
    assert column_sangong_item(label) == item


def test_sangong_items_are_marked_in_three_public_tables_only() -> None:
    cols = [Column("公务接待费")]
    rows = [LineItem(0, 1, "item", "公务接待费", [CellValue("公务接待费", None, Decimal("1.00"))])]
    assert sangong_items("expenditure", cols, rows)[0].sangong_item is None and rows[0].sangong_item is None
    marked = sangong_items("three_public", cols, rows)
    assert marked[0].sangong_item == "reception" and rows[0].sangong_item == "reception"
    assert rows[0].values[0].sangong_item == "reception"


def test_column_headers_say_what_each_part_is() -> None:
    assert column_header("本年支出/基本支出/人员经费") == (
        ("本年支出", frozenset({"component", "spending"})),
        ("基本支出", frozenset({"component"})),
        ("人员经费", frozenset({"component"})),
    )
    assert dict(column_header("合计")) == {"合计": frozenset({"total", "subtotal"})}
    assert header_roles("其中：政府采购") == frozenset({"memo"})
    assert header_roles("年初结转和结余") == frozenset({"component", "carry", "carry_in"})
    assert header_roles("年末结转和结余") == frozenset({"component", "carry", "carry_out"})
    assert header_roles("行次") == frozenset()
