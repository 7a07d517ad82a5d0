"""Each layout on a real page of the shared fixtures; figures are read off the printed page."""

from __future__ import annotations

from app.parsing import ParsedReport
from app.parsing.reader import read_document
from app.parsing.tables import assemble, default_unit, to_tables
from tests.parsing.conftest import fixture_bytes, item, items, parsed, table, values


def test_lei_kuan_xiang_columns_with_the_name_above_the_code(putuo_finance: ParsedReport) -> None:
    # 普陀 决算 p8 prints 类 | 款 | 项 in three columns, the name a line above the code in the same cell
    t = table(putuo_finance, "收入决算表")
    li = item(putuo_finance, t, "2010601")
    assert li.name == "行政运行" and li.page == 8
    assert (li.classification, li.level, li.parent_code) == ("functional", 3, "20106")
    assert values(li) == {"本年收入合计": "1511.90", "财政拨款收入": "1511.89", "其他收入": "0.01"}
    assert li.bbox is not None and li.bbox[1] > 250


def test_table_continues_on_the_next_page_without_its_header(putuo_finance: ParsedReport) -> None:
    t = table(putuo_finance, "收入决算表")
    assert t.pages == [8, 9]
    li = item(putuo_finance, t, "2210203")
    assert li.page == 9 and li.name == "购房补贴"
    assert values(li) == {"本年收入合计": "258.50", "财政拨款收入": "258.50"}


def test_total_row_without_a_code(putuo_finance: ParsedReport) -> None:
    t = table(putuo_finance, "支出决算表")
    total = next(li for li in items(putuo_finance, t) if li.name == "合计")
    assert total.row_kind == "total" and total.code is None
    assert values(total) == {"本年支出合计": "2940.05", "基本支出": "2336.91", "项目支出": "603.14"}


def test_two_half_summary_table(putuo_finance: ParsedReport) -> None:
    t = table(putuo_finance, "收入支出决算总表")
    assert t.pages == [6, 7]
    rows = {(li.side, li.name): li for li in items(putuo_finance, t)}
    assert values(rows[(0, "本年收入合计")]) == {"收入/决算数": "2946.25"}
    assert values(rows[(1, "本年支出合计")]) == {"支出/决算数": "2940.05"}
    assert rows[(0, "一、一般公共预算财政拨款收入")].row_kind == "item"
    assert values(rows[(1, "十九、住房保障支出")]) == {"支出/决算数": "445.69"}
    assert rows[(0, "总计")].page == 7 and values(rows[(1, "总计")]) == {"支出/决算数": "2995.39"}


def test_economic_halves_are_separate_line_items(putuo_finance: ParsedReport) -> None:
    t = table(putuo_finance, "一般公共预算财政拨款基本支出决算表")
    assert t.kind == "general_public_basic" and t.pages == [16, 17]
    wages = item(putuo_finance, t, "30101")
    office = item(putuo_finance, t, "30201")
    assert (wages.side, values(wages)) == (0, {"决算数": "262.33"})
    assert (office.side, values(office)) == (1, {"决算数": "21.21"})
    assert office.classification == "economic" and office.parent_code == "302"
    equipment = item(putuo_finance, t, "31002")
    assert (equipment.page, values(equipment)) == (17, {"决算数": "13.58"})
    bonus = item(putuo_finance, t, "30103")  # printed, but empty
    assert bonus.values == []


def test_empty_continuation_grid_and_empty_tables_with_notes(putuo_finance: ParsedReport) -> None:
    assert table(putuo_finance, "财政拨款收入支出决算总表").pages == [12, 13]  # p14 is an empty grid
    fund = table(putuo_finance, "政府性基金预算财政拨款收入支出决算表")
    assert fund.empty and fund.kind == "government_fund"
    assert fund.note is not None and "无政府性基金预算财政拨款支出" in fund.note


def test_spanned_three_row_header(putuo_finance: ParsedReport) -> None:
    t = table(putuo_finance, "财政拨款“三公”经费支出决算表")
    labels = [c.label for c in t.columns]
    assert labels[-2].endswith("公务接待费/预算数")
    assert any(lbl.endswith("公务用车购置及运行费/公务用车购置费/决算数") for lbl in labels)
    row = next(li for li in items(putuo_finance, t) if li.values)
    assert {v.measure: format(v.amount, "f") for v in row.values} == {
        "total_budget": "0.95",
        "reception_budget": "0.95",
    }


def test_final_report_metadata(putuo_finance: ParsedReport) -> None:
    m = putuo_finance.meta
    assert (m.department, m.fiscal_year, m.kind, m.amount_unit) == ("上海市普陀区财政局", 2024, "final", "万元")


def test_seven_digit_codes_and_a_wan_yuan_table_in_a_yuan_budget(putuo_justice: ParsedReport) -> None:
    t = table(putuo_justice, "2026年部门支出预算总表")
    assert t.pages == [12, 13]
    li = item(putuo_justice, t, "2080506")
    assert li.page == 13 and li.name == "机关事业单位职业年金缴费支出"
    assert values(li)["支出预算/合计"] == "919739.00"
    three = table(putuo_justice, "2026年部门“三公”经费和机关运行经费预算表")
    assert three.amount_unit == "万元" and t.amount_unit == "元"
    row = next(li for li in items(putuo_justice, three) if li.values)
    total = next(v for v in row.values if v.column.endswith("合计"))
    assert (format(total.amount, "f"), total.unit, format(total.amount_yuan, "f")) == ("10.81", "万元", "108100.00")
    m = putuo_justice.meta
    assert (m.department, m.fiscal_year, m.kind, m.amount_unit) == ("上海市普陀区司法局", 2026, "budget", "元")


def test_blank_parent_parts_inherited_on_child_rows(lhasa: ParsedReport) -> None:
    # 拉萨 seed p4: `| | 01 | 行政单位医疗` under `| 11 |` under `210`
    t = table(lhasa, "一般公共预算支出表")
    li = item(lhasa, t, "2101101")
    assert li.name == "行政单位医疗"
    assert values(li) == {"2022年预算数/合计": "337000.00", "2022年预算数/基本支出": "337000.00"}
    assert item(lhasa, t, "21011").level == 2


def test_unit_codes_and_a_row_without_label(lhasa: ParsedReport) -> None:
    income = table(lhasa, "部门收入总表")
    # a 单位编码 is kept as printed, unclassified: it names a unit, not a subject
    unit = item(lhasa, income, "168001")
    assert unit.classification is None and unit.name == "拉萨市医疗保障局本级"
    assert values(unit)["资金性质/小计"] == "372946200.00"
    three = table(lhasa, "一般公共预算“三公”经费支出表")
    (row,) = [li for li in items(lhasa, three) if li.values]
    assert values(row)["2021年预算数/合计"] == "120000.00"


def test_three_side_by_side_groups(yuxi: ParsedReport) -> None:
    t = table(yuxi, "一般公共预算财政拨款基本支出决算表")
    assert t.number == "公开06表" and t.pages == [8, 9]
    assert (item(yuxi, t, "30101").side, values(item(yuxi, t, "30101"))) == (0, {"人员经费/金额": "837060.00"})
    assert item(yuxi, t, "30201").side == 1
    li = item(yuxi, t, "31002")
    assert (li.side, values(li)) == (2, {"公用经费/金额": "12970.00"})
    debt = item(yuxi, t, "30701")  # continuation page p9, left half empty
    assert debt.page == 9 and debt.values == []


def test_text_table_numbered_by_the_report(yuxi: ParsedReport) -> None:
    t = table(yuxi, "2022年度部门整体支出绩效自评情况")
    assert t.number == "公开12表" and t.kind == "performance_self_eval"


def test_repeated_header_on_the_continuation_page(panjin: ParsedReport) -> None:
    t = table(panjin, "收入决算表")
    assert t.pages == [14, 15] and t.number == "公开02表"
    li = item(panjin, t, "2299999")
    assert li.page == 15 and values(li) == {"本年收入合计": "8.95", "财政拨款收入": "8.95"}


def test_performance_tables_are_recognised(zhaohua: ParsedReport) -> None:
    perf = [t for t in zhaohua.tables if t.kind == "performance_self_eval"]
    assert len(perf) == 10
    assert [t.pages for t in perf][:2] == [[12], [13]]
    assert zhaohua.meta.amount_unit == "万元" and zhaohua.meta.fiscal_year == 2023


def _coded(data: bytes, drop_vertical: bool) -> set[tuple[str, tuple[str, ...]]]:
    pages = read_document(data)
    if drop_vertical:
        for p in pages:
            p.vrules = []
    builds = assemble(pages)
    _, line_items = to_tables(builds, default_unit(builds))
    return {(li.code, tuple(format(v.amount, "f") for v in li.values)) for li in line_items if li.code}


def test_same_rows_without_vertical_rules() -> None:
    # a re-rendering without vertical rules must read the same coded rows (columns from text gaps)
    data = fixture_bytes("real/putuo_finance_2024_final.pdf")
    ruled = _coded(data, drop_vertical=False)
    assert ("30201", ("21.21",)) in ruled
    assert _coded(data, drop_vertical=True) == ruled


def test_fund_rows_of_performance_tables(yuxi: ParsedReport, lhasa: ParsedReport) -> None:
    # 玉溪 公开14表 p21: amounts under 年初预算数 / 全年预算数 / 全年执行数 only (not 分值 or 得分)
    t = next(t for t in yuxi.tables if t.number == "公开14表")
    fund = next(li for li in items(yuxi, t) if li.name == "年度资金总额")
    assert fund.page == 21 and values(fund) == {"年初预算数": "428.07", "全年预算数": "424.38", "全年执行数": "81.52"}
    # 拉萨 项目支出绩效目标表: one row per project with its 项目金额 (the 项目期 10.00 is no amount)
    target = table(lhasa, "项目支出绩效目标表")
    first = items(lhasa, target)[0]
    assert first.name == "54010021T00000010385-医疗保障政策宣传费"
    assert values(first) == {"项目金额": "280000.00"}


def test_a_sub_header_over_empty_columns_stays_in_the_header() -> None:
    # 烟台 商务局 p25: 公务用车购置及运行维护费 splits into 小计 | 购置经费 | 运行维护费 on a third
    # header line; the department prints nothing in those columns, so the line holds no figures
    from app.validation import validate

    report = parsed("corpus/241__025_烟台__2026年烟台市商务局部门预算.pdf")
    t = next(t for t in report.tables if t.kind == "three_public")
    labels = [c.label for c in t.columns]
    assert "2026年预算数/公务用车购置及运行维护费/小计" in labels
    assert "2026年预算数/公务用车购置及运行维护费/公务用车运行维护费" in labels
    rows = [li for li in items(report, t) if li.values]
    assert len(rows) == 1  # one row of figures, not split into side-by-side halves at the empty columns
    assert values(rows[0])["2026年预算数/公务接待费"] == "17.00"
    assert not [f for f in validate(report).findings if f.rule_id == "arith.sangong_sum"]


def test_a_wrapped_name_atop_a_continuation_page_is_body() -> None:
    # 无锡 人社局 p38: the page starts with 师学院, the tail of a unit's name; the columns keep their labels
    report = parsed("corpus/162__014_无锡__人力资源和社会保障局_2026年部门预算.pdf")
    t = next(t for t in report.tables if t.kind == "government_procurement" and 38 in t.pages)
    row = next(li for li in items(report, t) if li.page == 38 and "保安服务" in li.name)
    assert values(row) == {"资金来源/一般公共预算资金": "248.85", "总计": "248.85"}
