"""Layouts on pages the tests draw themselves: no vertical rules, spaced codes, wrapped names,
dashes and blanks, two tables on a page, two halves, an unruled table, a continuation page."""

from __future__ import annotations

from app.parsing import ParsedReport, parse_pdf
from app.parsing.model import LineItem, Table
from tests.parsing.builder import TableSpec, build_pdf


def _table(report: ParsedReport, kind: str) -> Table:
    return next(t for t in report.tables if t.kind == kind)


def _rows(report: ParsedReport, t: Table) -> list[LineItem]:
    return [li for li in report.line_items if li.table_index == t.index]


def _by_code(report: ParsedReport, t: Table) -> dict[str, LineItem]:
    return {li.code: li for li in _rows(report, t) if li.code}


def _vals(li: LineItem) -> dict[str, str]:
    return {v.column: format(v.amount, "f") for v in li.values}


EXPENDITURE = TableSpec(
    title="2026年部门支出预算总表",
    meta=["编制部门：测试市测试局", "单位:万元"],
    widths=[70, 200, 90, 90, 90],
    header=[
        [("功能分类科目", 0, 1), ("本年支出", 2, 4)],
        [("科目编码", 0, 0), ("科目名称", 1, 1), ("合计", 2, 2), ("基本支出", 3, 3), ("项目支出", 4, 4)],
    ],
    body=[
        ["", "合计", "1,234.50", "1,000.00", "234.50"],
        ["201", "一般公共服务支出", "1,234.50", "1,000.00", "234.50"],
        ["201 06", "财政事务", "1,234.50", "1,000.00", "234.50"],
        ["201 06 01", "行政运行", "1,000.00", "1,000.00", "-"],
        ["201 06 02", "一般行政管理事务", "234.50", "", "234.50"],
        ["208 05 05", "机关事业单位基本养老保险\n缴费支出", "0.00", "—", "12"],
        ["2080506", "机关事业单位职业年金缴费支出", "", "", ""],
    ],
    vrules=False,
)


def test_horizontal_rules_only_with_spanned_header_and_spaced_codes() -> None:
    report = parse_pdf(build_pdf([[EXPENDITURE]], cover="测试市测试局2026年部门预算"))
    t = _table(report, "expenditure")
    assert t.title == "2026年部门支出预算总表" and t.amount_unit == "万元"
    assert [c.label for c in t.columns] == ["本年支出/合计", "本年支出/基本支出", "本年支出/项目支出"]
    assert [c.measure for c in t.columns] == ["total", "basic", "project"]
    rows = _by_code(report, t)
    assert _vals(rows["2010601"]) == {"本年支出/合计": "1000.00", "本年支出/基本支出": "1000.00"}  # "-" is no value
    assert _vals(rows["2010602"]) == {"本年支出/合计": "234.50", "本年支出/项目支出": "234.50"}
    pension = rows["2080505"]
    assert pension.name == "机关事业单位基本养老保险缴费支出"  # wrapped name joined
    assert _vals(pension) == {"本年支出/合计": "0.00", "本年支出/项目支出": "12"}  # 0.00 kept, — dropped
    assert rows["2080506"].values == []  # printed, empty
    assert rows["20106"].parent_code == "201" and rows["20106"].level == 2
    total = next(li for li in _rows(report, t) if li.name == "合计")
    assert total.row_kind == "total" and _vals(total)["本年支出/合计"] == "1234.50"
    m = report.meta
    assert (m.department, m.fiscal_year, m.kind, m.amount_unit) == ("测试市测试局", 2026, "budget", "万元")


def test_two_tables_on_one_page_with_their_own_units() -> None:
    income = TableSpec(
        title="部门收入总表",
        meta=["金额单位：元"],
        widths=[70, 200, 110, 110],
        header=[[("科目编码", 0, 0), ("科目名称", 1, 1), ("合计", 2, 2), ("财政拨款收入", 3, 3)]],
        body=[["2010101", "行政运行", "5,000.00", "5,000.00"], ["2010102", "一般行政管理事务", "300.00", "300.00"]],
    )
    three = TableSpec(
        title="“三公”经费支出预算表",
        meta=["单位：万元"],
        widths=[160, 110, 110],
        header=[[("项目", 0, 0), ("预算数", 1, 1), ("决算数", 2, 2)]],
        body=[["合计", "14.00", "7.39"], ["1、因公出国（境）费", "", ""], ["2、公务接待费", "14.00", "7.39"]],
    )
    report = parse_pdf(build_pdf([[income, three]]))
    assert [t.kind for t in report.tables] == ["income", "three_public"]
    assert [t.amount_unit for t in report.tables] == ["元", "万元"]
    assert [t.pages for t in report.tables] == [[1], [1]]
    assert _vals(_by_code(report, report.tables[0])["2010102"]) == {"合计": "300.00", "财政拨款收入": "300.00"}
    reception = next(li for li in _rows(report, report.tables[1]) if li.name == "2、公务接待费")
    assert reception.row_kind == "item"
    assert {v.measure: format(v.amount_yuan, "f") for v in reception.values} == {
        "budget": "140000.00",
        "actual": "73900.00",
    }


def test_two_halves_income_and_expenditure() -> None:
    summary = TableSpec(
        title="收入支出决算总表",
        meta=["单位：万元"],
        widths=[180, 90, 180, 90],
        header=[[("收入", 0, 1), ("支出", 2, 3)], [("项目", 0, 0), ("决算数", 1, 1), ("项目", 2, 2), ("决算数", 3, 3)]],
        body=[
            ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
            ["二、政府性基金预算财政拨款收入", "", "二、外交支出", ""],
            ["", "", "三、社会保障和就业支出", "833.39"],
            ["本年收入合计", "2,940.05", "本年支出合计", "2,940.05"],
        ],
        value_from=1,
    )
    report = parse_pdf(build_pdf([[summary]]))
    t = report.tables[0]
    assert t.kind == "income_expenditure_summary"
    rows = {(li.side, li.name): li for li in _rows(report, t)}
    assert _vals(rows[(0, "一、一般公共预算财政拨款收入")]) == {"收入/决算数": "2940.05"}
    assert _vals(rows[(1, "三、社会保障和就业支出")]) == {"支出/决算数": "833.39"}
    assert rows[(1, "本年支出合计")].row_kind == "total"
    assert (0, "") not in rows  # an empty left cell is no line item


def test_unruled_table_with_codes_in_the_name_cell() -> None:
    plain = TableSpec(
        title="一般公共预算支出表",
        meta=["单位：元"],
        widths=[260, 110, 110, 110],
        header=[[("科目", 0, 0), ("合计", 1, 1), ("基本支出", 2, 2), ("项目支出", 3, 3)]],
        body=[
            ["2010101 行政运行", "1,511.89", "1,503.52", "8.37"],
            ["2010102 一般行政管理事务", "10.00", "", "10.00"],
            ["2210201 住房公积金", "187.19", "187.19", ""],
        ],
        value_from=1,
        vrules=False,
        hrules=False,
    )
    report = parse_pdf(build_pdf([[plain]]))
    rows = _by_code(report, report.tables[0])
    assert set(rows) == {"2010101", "2010102", "2210201"}
    assert rows["2010101"].name == "行政运行"
    assert _vals(rows["2010101"]) == {"合计": "1511.89", "基本支出": "1503.52", "项目支出": "8.37"}
    assert _vals(rows["2210201"]) == {"合计": "187.19", "基本支出": "187.19"}


def test_kuan_xiang_columns_inherit_across_a_page_break() -> None:
    widths: list[float] = [40, 40, 40, 220, 110]
    header = [[("类", 0, 0), ("款", 1, 1), ("项", 2, 2), ("科目名称", 3, 3), ("金额", 4, 4)]]
    first = TableSpec(
        title="一般公共预算基本支出表",
        meta=["单位：元"],
        widths=widths,
        header=header,
        body=[["301", "", "", "工资福利支出", "900.00"], ["", "01", "", "基本工资", "600.00"]],
        value_from=4,
    )
    rest = TableSpec(title=None, widths=widths, header=[], body=[["", "02", "", "津贴补贴", "300.00"]], value_from=4)
    report = parse_pdf(build_pdf([[first], [rest]]))
    t = report.tables[0]
    assert t.pages == [1, 2] and t.kind == "general_public_basic"
    rows = _by_code(report, t)
    assert rows["30102"].page == 2 and _vals(rows["30102"]) == {"金额": "300.00"}
    assert rows["30101"].classification == "economic" and rows["30101"].parent_code == "301"
