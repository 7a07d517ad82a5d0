"""arith: identities inside one table, each rule firing on a built failing table and quiet on a good one."""

from __future__ import annotations

from decimal import Decimal

from tests.validation.factories import Builder, run, skipped

EXP = ("本年支出合计", "基本支出", "项目支出")


def _expenditure(total_208: str = "326.72", total_row: str = "387.71") -> Builder:
    b = Builder().table("支出决算表", EXP)
    b.row("合计", {"本年支出合计": total_row, "基本支出": total_row})
    b.row("社会保障和就业支出", {"本年支出合计": total_208, "基本支出": total_208}, code="208")
    b.row("行政事业单位养老支出", {"本年支出合计": "326.72", "基本支出": "326.72"}, code="20805")
    b.row("行政单位离退休", {"本年支出合计": "84.65", "基本支出": "84.65"}, code="2080501")
    b.row("机关事业单位基本养老保险缴费支出", {"本年支出合计": "160.75", "基本支出": "160.75"}, code="2080505")
    b.row("机关事业单位职业年金缴费支出", {"本年支出合计": "80.38", "基本支出": "80.38"}, code="2080506")
    b.row("其他行政事业单位养老支出", {"本年支出合计": "0.94", "基本支出": "0.94"}, code="2080599")
    b.row("卫生健康支出", {"本年支出合计": "60.99", "基本支出": "60.99"}, code="210")
    b.row("行政事业单位医疗", {"本年支出合计": "60.99", "基本支出": "60.99"}, code="21011")
    b.row("行政单位医疗", {"本年支出合计": "60.99", "基本支出": "60.99"}, code="2101101")
    return b


def test_hierarchy_sum_quiet_when_parents_add_up() -> None:
    assert run("arith.hierarchy_sum", _expenditure().build()) == []


def test_hierarchy_sum_error_beyond_rounding() -> None:
    found = run("arith.hierarchy_sum", _expenditure(total_208="326.82").build())
    assert [(f.severity, f.location.code, f.location.column) for f in found] == [
        ("error", "208", "本年支出合计"),
        ("error", "208", "基本支出"),
    ]
    assert found[0].expected == Decimal("326.72") and found[0].difference == Decimal("0.10")
    assert "Σ下级科目" in found[0].message and "326.82" in found[0].message


def test_hierarchy_sum_info_for_rounding_in_wanyuan() -> None:
    found = run("arith.hierarchy_sum", _expenditure(total_208="326.71").build())
    assert {f.severity for f in found} == {"info"}


def test_hierarchy_sum_skips_without_codes() -> None:
    assert skipped("arith.hierarchy_sum", Builder().build()) is not None


def test_total_row_quiet_and_fires() -> None:
    assert run("arith.total_row", _expenditure().build()) == []
    found = run("arith.total_row", _expenditure(total_row="387.72").build())
    assert found and found[0].severity == "info" and found[0].location.row_label == "合计"
    found = run("arith.total_row", _expenditure(total_row="388.71").build())
    assert found and found[0].severity == "error" and found[0].expected == Decimal("387.71")


def test_row_identity_total_equals_components() -> None:
    b = Builder(unit="元").table("一般公共预算支出功能分类预算表", ("合计", "基本支出", "项目支出"), unit="元")
    b.row("行政运行", {"合计": "16726725.44", "基本支出": "16726725.44", "项目支出": "0.00"}, code="2040601")
    assert run("arith.row_identity", b.build()) == []
    b.row("基层司法业务", {"合计": "21703947.01", "基本支出": "0.00", "项目支出": "21703947.00"}, code="2040604")
    found = run("arith.row_identity", b.build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].location.code == "2040604"


def test_row_identity_subtotal_and_carry_forward() -> None:
    cols = ("年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余")
    b = Builder().table("一般公共预算财政拨款收入支出决算表", cols)
    b.row(
        "行政运行",
        {
            "年初结转和结余": "10.00",
            "本年收入": "100.00",
            "本年支出/小计": "90.00",
            "本年支出/基本支出": "60.00",
            "本年支出/项目支出": "30.00",
            "年末结转和结余": "20.00",
        },
        code="2010101",
    )
    assert run("arith.row_identity", b.build()) == []
    b.row(
        "一般行政管理事务",
        {
            "年初结转和结余": "0",
            "本年收入": "50.00",
            "本年支出/小计": "45.00",
            "本年支出/基本支出": "40.00",
            "本年支出/项目支出": "5.00",
            "年末结转和结余": "15.00",
        },
        code="2010102",
    )
    found = run("arith.row_identity", b.build())
    assert [f.location.column for f in found] == ["年末结转和结余"]


def _summary(income_total: str = "2995.39") -> Builder:
    b = Builder().table("收入支出决算总表", ("收入/决算数", "支出/决算数"))
    b.row("一、一般公共预算财政拨款收入", {"收入/决算数": "2940.05"})
    b.row("八、其他收入", {"收入/决算数": "6.20"})
    b.row("本年收入合计", {"收入/决算数": "2946.25"})
    b.row("年初结转和结余", {"收入/决算数": "49.14"})
    b.row("总计", {"收入/决算数": income_total})
    b.row("一、一般公共服务支出", {"支出/决算数": "2106.66"}, side=1)
    b.row("八、社会保障和就业支出", {"支出/决算数": "326.71"}, side=1)
    b.row("九、卫生健康支出", {"支出/决算数": "60.99"}, side=1)
    b.row("十九、住房保障支出", {"支出/决算数": "445.69"}, side=1)
    b.row("本年支出合计", {"支出/决算数": "2940.05"}, side=1)
    b.row("年末结转和结余", {"支出/决算数": "55.34"}, side=1)
    b.row("总计", {"支出/决算数": "2995.39"}, side=1)
    return b


def test_balance_quiet_on_a_balanced_summary() -> None:
    assert run("arith.balance", _summary().build()) == []


def test_balance_fires_when_totals_do_not_add_up() -> None:
    found = run("arith.balance", _summary(income_total="2996.39").build())
    assert found and all(f.severity == "error" for f in found)
    assert any("本年收入合计 + 年初结转和结余" in f.message for f in found)


def test_balance_skips_without_summary_table() -> None:
    assert skipped("arith.balance", _expenditure().build()) is not None


def test_totals_balance_quiet_when_both_totals_agree() -> None:
    assert run("arith.totals_balance", _summary().build()) == []


def test_totals_balance_fires_when_income_total_differs_from_spending_total() -> None:
    found = run("arith.totals_balance", _summary(income_total="2996.39").build())
    assert [(f.severity, f.difference) for f in found] == [("error", Decimal("-1.00"))]
    assert "支出总计 2995.39 ≠ 收入总计 2996.39" in found[0].message


def test_totals_balance_skips_without_both_totals() -> None:
    assert skipped("arith.totals_balance", _expenditure().build()) is not None


def _basic(personnel: str = "2152.26") -> Builder:
    b = Builder().table("一般公共预算财政拨款基本支出决算表", ("决算数",))
    b.row("工资福利支出", {"决算数": "2082.85"}, code="301")
    b.row("对个人和家庭的补助", {"决算数": "69.41"}, code="303")
    b.row("商品和服务支出", {"决算数": "171.07"}, code="302", side=1)
    b.row("资本性支出", {"决算数": "13.58"}, code="310", side=1)
    b.row("人员经费合计", {"决算数": personnel})
    b.row("公用经费合计", {"决算数": "184.65"}, side=1)
    return b


def test_economic_totals() -> None:
    assert run("arith.economic_totals", _basic().build()) == []
    found = run("arith.economic_totals", _basic(personnel="2150.26").build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].expected == Decimal("2152.26")


def _sangong(total: str = "10.81") -> Builder:
    cols = (
        "合计",
        "因公出国(境)费",
        "公务接待费",
        "公务用车购置及运行费/小计",
        "公务用车购置及运行费/购置费",
        "公务用车购置及运行费/运行费",
        "机关运行经费预算数",
    )
    b = Builder(kind="budget", fy=2026, unit="元").table("2026年部门“三公”经费和机关运行经费预算表", cols)
    b.row(
        "“三公”经费预算数",
        {
            "合计": total,
            "因公出国(境)费": "0",
            "公务接待费": "0.83",
            "公务用车购置及运行费/小计": "9.98",
            "公务用车购置及运行费/购置费": "0",
            "公务用车购置及运行费/运行费": "9.98",
            "机关运行经费预算数": "217.83",
        },
    )
    return b


def test_sangong_sum() -> None:
    assert run("arith.sangong_sum", _sangong().build()) == []
    found = run("arith.sangong_sum", _sangong(total="11.81").build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].expected == Decimal("10.81")


def test_sangong_sum_items_as_rows() -> None:
    b = Builder().table("“三公”经费支出决算表", ("预算数", "决算数"))
    b.row("合计", {"预算数": "14.00", "决算数": "7.39"})
    b.row("1、因公出国（境）费", {})
    b.row("2、公务接待费", {})
    b.row("3、公务用车购置及运行费", {"预算数": "14.00", "决算数": "7.39"})
    b.row("其中:（1）公务用车运行维护费", {"预算数": "14.00", "决算数": "7.39"})
    assert run("arith.sangong_sum", b.build()) == []
    b.rows[0].values[1] = b.rows[0].values[1].__class__("决算数", None, Decimal("7.49"), "万元")
    found = run("arith.sangong_sum", b.build())
    assert len(found) == 1 and "决算" in found[0].message


def _spending_with(rows: list[tuple[str, str, str, str, str]]) -> Builder:
    cols = ("支出总计", "基本支出", "项目支出", "事业单位经营支出")
    b = Builder(kind="budget").table("支出总表", cols)
    for code, total, basic, project, business in rows:
        b.row(code, dict(zip(cols, (total, basic, project, business), strict=True)), code=code)
    return b


def test_row_identity_one_finding_for_a_column_every_row_leaves_out() -> None:
    # 深圳 支出总表: 支出总计 = 基本 + 项目 on every row, 事业单位经营支出 printed beside it
    rows = [
        ("2111450", "10446.03", "1043.32", "9402.71", "9118.50"),
        ("2210201", "125.32", "125.32", "0.00", "125.32"),
        ("2210203", "272.74", "272.74", "0.00", "231.77"),
    ]
    found = run("arith.row_identity", _spending_with(rows).build())
    assert len(found) == 1 and found[0].severity == "error"
    assert "未含“事业单位经营支出”" in found[0].message
    assert [loc.code for loc in found[0].locations] == ["2111450", "2210201", "2210203"]
    # rows that add up with the column counted stay quiet; one row off by itself is its own finding
    good = [("2111450", "10446.03", "1043.32", "300.21", "9102.50"), ("2210201", "125.32", "125.32", "0.00", "0.00")]
    assert run("arith.row_identity", _spending_with(good).build()) == []
    one = [("2111450", "10446.03", "1043.32", "9402.71", "9118.50"), *good[1:]]
    found = run("arith.row_identity", _spending_with(one).build())
    assert len(found) == 1 and found[0].locations == [] and "未含" not in found[0].message
