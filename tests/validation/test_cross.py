"""cross: the same figure in two tables."""

from __future__ import annotations

from decimal import Decimal

from tests.validation.factories import Builder, run, skipped


def _final(
    summary_208: str = "326.72", fiscal_208: str = "326.72", general_basic: str = "387.71", income_total: str = "387.71"
) -> Builder:
    b = Builder().table("收入支出决算总表", ("收入/决算数", "支出/决算数"), page=6)
    b.row("一、一般公共预算财政拨款收入", {"收入/决算数": "387.71"})
    b.row("本年收入合计", {"收入/决算数": income_total})
    b.row("总计", {"收入/决算数": "387.71"})
    b.row("八、社会保障和就业支出", {"支出/决算数": summary_208}, side=1)
    b.row("九、卫生健康支出", {"支出/决算数": "60.99"}, side=1)
    b.row("本年支出合计", {"支出/决算数": "387.71"}, side=1)
    b.row("总计", {"支出/决算数": "387.71"}, side=1)
    b.table("收入决算表", ("本年收入合计", "财政拨款收入"), page=8)
    b.row("合计", {"本年收入合计": "387.71", "财政拨款收入": "387.71"})
    b.row("社会保障和就业支出", {"本年收入合计": "326.72", "财政拨款收入": "326.72"}, code="208")
    b.row("卫生健康支出", {"本年收入合计": "60.99", "财政拨款收入": "60.99"}, code="210")
    b.table("支出决算表", ("本年支出合计", "基本支出", "项目支出"), page=10)
    b.row("合计", {"本年支出合计": "387.71", "基本支出": "387.71"})
    b.row("社会保障和就业支出", {"本年支出合计": "326.72", "基本支出": "326.72"}, code="208")
    b.row("卫生健康支出", {"本年支出合计": "60.99", "基本支出": "60.99"}, code="210")
    b.table("财政拨款收入支出决算总表", ("收入/决算数", "支出/合计", "支出/一般公共预算财政拨款"), page=12)
    b.row("一、一般公共预算财政拨款", {"收入/决算数": "387.71"})
    b.row("本年收入合计", {"收入/决算数": "387.71"})
    b.row("总计", {"收入/决算数": "387.71"})
    b.row("八、社会保障和就业支出", {"支出/合计": fiscal_208, "支出/一般公共预算财政拨款": fiscal_208}, side=1)
    b.row("九、卫生健康支出", {"支出/合计": "60.99", "支出/一般公共预算财政拨款": "60.99"}, side=1)
    b.row("本年支出合计", {"支出/合计": "387.71", "支出/一般公共预算财政拨款": "387.71"}, side=1)
    b.row("总计", {"支出/合计": "387.71", "支出/一般公共预算财政拨款": "387.71"}, side=1)
    b.table("一般公共预算财政拨款支出决算表", ("合计", "基本支出", "项目支出"), page=15)
    b.row("合计", {"合计": "387.71", "基本支出": general_basic})
    b.row("社会保障和就业支出", {"合计": "326.72", "基本支出": "326.72"}, code="208")
    b.row("卫生健康支出", {"合计": "60.99", "基本支出": "60.99"}, code="210")
    b.table("一般公共预算财政拨款基本支出决算表", ("决算数",), page=16)
    b.row("工资福利支出", {"决算数": "380.00"}, code="301")
    b.row("商品和服务支出", {"决算数": "7.71"}, code="302", side=1)
    b.row("人员经费合计", {"决算数": "380.00"})
    b.row("公用经费合计", {"决算数": "7.71"}, side=1)
    return b


def test_all_cross_rules_quiet_on_a_consistent_report() -> None:
    r = _final().build()
    for rule in (
        "cross.summary_vs_expenditure",
        "cross.income_total",
        "cross.fiscal_vs_general",
        "cross.general_vs_basic",
        "cross.same_code_same_amount",
    ):
        assert run(rule, r) == [], rule


def test_summary_vs_expenditure_rounding_is_info_and_a_real_gap_an_error() -> None:
    found = run("cross.summary_vs_expenditure", _final(summary_208="326.71").build())
    assert [(f.severity, f.location.page) for f in found] == [("info", 6)]
    found = run("cross.summary_vs_expenditure", _final(summary_208="316.72").build())
    assert found[0].severity == "error" and found[0].difference == Decimal("-10.00")


def test_fiscal_vs_general() -> None:
    found = run("cross.fiscal_vs_general", _final(fiscal_208="326.71").build())
    assert [(f.severity, f.location.page, f.location.column) for f in found] == [
        ("info", 12, "支出/一般公共预算财政拨款")
    ]


def test_income_total() -> None:
    found = run("cross.income_total", _final(income_total="388.71").build())
    assert found and found[0].severity == "error"


def test_general_vs_basic() -> None:
    found = run("cross.general_vs_basic", _final(general_basic="377.71").build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].expected == Decimal("387.71")


def test_same_code_same_amount_needs_same_scope_and_fires_on_a_mismatch() -> None:
    b = Builder(kind="budget", fy=2026, unit="元")
    for title in ("2026年部门支出预算总表", "2026年部门一般公共预算支出功能分类预算表"):
        b.table(title, ("合计", "基本支出", "项目支出"), unit="元")
        b.row("合计", {"合计": "100.00", "基本支出": "100.00"})
        b.row("行政运行", {"合计": "100.00", "基本支出": "100.00"}, code="2040601")
    assert run("cross.same_code_same_amount", b.build()) == []
    b.rows[-1].values[0] = b.rows[-1].values[0].__class__("合计", None, Decimal("100.01"), "元")
    found = run("cross.same_code_same_amount", b.build())
    assert found and found[0].severity == "error" and found[0].location.code == "2040601"


def test_sangong_vs_economic_warns_when_the_economic_item_exceeds_the_sangong_figure() -> None:
    b = Builder(kind="budget", fy=2026, unit="元")
    b.table("2026年部门一般公共预算基本支出部门预算经济分类预算表", ("合计", "人员经费", "公用经费"), unit="元")
    b.row("公务接待费", {"合计": "8265.00", "公用经费": "8265.00"}, code="30217")
    b.table("2026年部门“三公”经费和机关运行经费预算表", ("合计", "公务接待费"), unit="万元")
    b.row("“三公”经费预算数", {"合计": "0.83", "公务接待费": "0.83"})
    assert run("cross.sangong_vs_economic", b.build()) == []
    b.rows[0].values[0] = b.rows[0].values[0].__class__("合计", None, Decimal("18265.00"), "元")
    found = run("cross.sangong_vs_economic", b.build())
    assert len(found) == 1 and found[0].severity == "warning"


def test_cross_rules_skip_without_their_tables() -> None:
    assert skipped("cross.fiscal_vs_general", Builder().build()) is not None
    assert skipped("cross.sangong_vs_economic", Builder().build()) is not None


def test_cross_rules_that_find_their_tables_but_not_the_figures_skip_with_the_reason() -> None:
    b = _final()
    general = next(t for t in b.tables if t.title == "一般公共预算财政拨款支出决算表")
    b.rows = [li for li in b.rows if not (li.table_index == general.index and li.name == "合计")]
    report = b.build()
    assert "基本支出" in (skipped("cross.general_vs_basic", report) or "")
    b = _final()
    income = next(t for t in b.tables if t.title == "收入决算表")
    b.rows = [li for li in b.rows if not (li.table_index == income.index and li.name == "合计")]
    assert "合计" in (skipped("cross.income_total", b.build()) or "")
    assert skipped("cross.income_total", _final().build()) is None


def _named_summary(medical: str = "60.99") -> Builder:
    """A summary listing 类, 款 and 项 by name on its spending side (深圳 收支总表)."""
    b = Builder(kind="budget", fy=2026).table("收支总表", ("收入/2026年预算数", "支出/2026年预算数"), page=6)
    b.row("一、一般公共预算拨款收入", {"收入/2026年预算数": "387.71"})
    b.row("社会保障和就业支出", {"支出/2026年预算数": "326.72"}, side=1)
    b.row("行政事业单位养老支出", {"支出/2026年预算数": "326.72"}, side=1)
    b.row("卫生健康支出", {"支出/2026年预算数": "60.99"}, side=1)
    b.row("行政事业单位医疗", {"支出/2026年预算数": "60.99"}, side=1)
    b.row("行政单位医疗", {"支出/2026年预算数": medical}, side=1)
    b.row("本年收入合计", {"收入/2026年预算数": "387.71"}, kind="total")
    b.row("本年支出合计", {"支出/2026年预算数": "387.71"}, side=1, kind="total")
    b.table("支出总表", ("合计", "基本支出"), page=8)
    b.row("合计", {"合计": "387.71", "基本支出": "387.71"})
    b.row("社会保障和就业支出", {"合计": "326.72"}, code="208")
    b.row("行政事业单位养老支出", {"合计": "326.72"}, code="20805")
    b.row("机关事业单位基本养老保险缴费支出", {"合计": "326.72"}, code="2080505")
    b.row("卫生健康支出", {"合计": "60.99"}, code="210")
    b.row("行政事业单位医疗", {"合计": "60.99"}, code="21011")
    b.row("行政单位医疗", {"合计": "60.99"}, code="2101101")
    return b


def test_summary_vs_expenditure_rows_named_below_the_classes() -> None:
    assert run("cross.summary_vs_expenditure", _named_summary().build()) == []
    found = run("cross.summary_vs_expenditure", _named_summary(medical="61.99").build())
    assert [(f.severity, f.location.page, f.location.row_label) for f in found] == [("error", 6, "行政单位医疗")]


def _twice(leaf: str, klass: str = "326.72") -> Builder:
    """One subject printed in the expenditure and the general-budget table, 万元 to the cent."""
    b = Builder(kind="budget", fy=2026)
    for n, title in enumerate(("2026年部门支出预算总表", "2026年部门一般公共预算支出功能分类预算表")):
        b.table(title, ("合计", "基本支出"))
        b.row("合计", {"合计": "326.72"})  # equal 合计: the tables cover the same money
        b.row("社会保障和就业支出", {"合计": klass if n else "326.72"}, code="208")
        b.row("行政事业单位养老支出", {"合计": "326.72"}, code="20805")
        b.row("行政单位离退休", {"合计": leaf if n else "84.65"}, code="2080501")
        b.row("机关事业单位基本养老保险缴费支出", {"合计": "242.07"}, code="2080505")
    return b


def test_same_code_same_amount_one_leaf_printed_twice_differs_by_no_rounding() -> None:
    """84.65 vs 84.66: two printings of one 项 amount to the same precision round alike, so one
    cent is an error; the 类 above (326.71 vs 326.72) may be summed from rounded 项: 尾数."""
    found = run("cross.same_code_same_amount", _twice(leaf="84.66").build())
    assert [(f.severity, f.location.code) for f in found if f.location.code == "2080501"] == [("error", "2080501")]
    found = run("cross.same_code_same_amount", _twice(leaf="84.65", klass="326.71").build())
    assert [(f.severity, f.location.code) for f in found] == [("info", "208")]


def _carry_in_spending(grand: str = "397.71") -> Builder:
    """A 支出总表 by unit and source whose 总计 includes 上年结转 (西安 2019): its 合计 is the
    summary's 支出总计, not its 本年支出合计."""
    b = Builder(kind="budget", fy=2019).table("收支总表", ("收入/预算数", "支出/预算数"), page=3)
    b.row("一、财政拨款", {"收入/预算数": "387.71"})
    b.row("本年收入合计", {"收入/预算数": "387.71"}, kind="total")
    b.row("上年结转", {"收入/预算数": "10.00"})
    b.row("收入总计", {"收入/预算数": "397.71"}, kind="total")
    b.row("社会保障和就业", {"支出/预算数": "387.71"}, side=1)
    b.row("本年支出合计", {"支出/预算数": "387.71"}, side=1, kind="total")
    b.row("结转下年", {"支出/预算数": "10.00"}, side=1)
    b.row("支出总计", {"支出/预算数": "397.71"}, side=1, kind="total")
    b.table("支出总表", ("总计", "公共预算拨款", "上年结转"), page=5)
    b.row("合计", {"总计": grand, "公共预算拨款": "387.71", "上年结转": "10.00"})
    b.row("社会保障和就业支出", {"总计": grand, "公共预算拨款": "387.71", "上年结转": "10.00"}, code="208")
    return b


def test_summary_vs_expenditure_a_total_with_carry_over_meets_the_grand_total() -> None:
    assert run("cross.summary_vs_expenditure", _carry_in_spending().build()) == []
    found = run("cross.summary_vs_expenditure", _carry_in_spending(grand="407.71").build())
    assert [(f.severity, f.difference) for f in found] == [("error", Decimal("-10.00"))]
    assert "支出总计" in found[0].message
