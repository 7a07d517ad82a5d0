"""narrative: sentences of the 情况说明 against the tables and against themselves."""

from __future__ import annotations

from decimal import Decimal

from app.validation import claims, validate
from tests.validation.factories import Builder, run, skipped


def _tables(unit: str = "万元") -> Builder:
    b = Builder()
    b.table("财政拨款收入支出决算总表", ("收入/决算数", "支出/合计"), page=12)
    b.row("一、一般公共预算财政拨款", {"收入/决算数": "2940.05"})
    b.row("本年收入合计", {"收入/决算数": "2940.05"})
    b.row("年初财政拨款结转和结余", {"收入/决算数": "21.63"})
    b.row("总计", {"收入/决算数": "2961.68"})
    b.row("一、一般公共服务支出", {"支出/合计": "2940.05"}, side=1)
    b.row("本年支出合计", {"支出/合计": "2940.05"}, side=1)
    b.row("年末财政拨款结转和结余", {"支出/合计": "21.63"}, side=1)
    b.row("总计", {"支出/合计": "2961.68"}, side=1)
    b.table("一般公共预算财政拨款支出决算表", ("合计", "基本支出", "项目支出"), page=15)
    b.row("合计", {"合计": "2940.05", "基本支出": "2336.91", "项目支出": "603.14"})
    b.row("一般公共服务支出", {"合计": "2940.05"}, code="201")
    b.row("财政事务", {"合计": "2940.05"}, code="20106")
    b.row("行政运行", {"合计": "1511.89"}, code="2010601")
    return b


def test_amounts_quiet_when_the_text_restates_the_tables() -> None:
    b = _tables().say(
        "上海市普陀区财政局2024年度财政拨款收入支出总计2961.68万元。",
        "一般公共预算财政拨款支出2940.05万元，其中：基本支出2336.91万元，项目支出603.14万元。",
    )
    b.say("1、一般公共服务支出（类）财政事务（款）行政运行（项）。", "年初预算为1560.05万元，支出决算为1511.89万元。")
    assert run("narrative.amounts", b.build()) == []


def test_amounts_fires_with_the_sentence_as_evidence() -> None:
    text = "上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元。"
    found = run("narrative.amounts", _tables().say(text, page=21).build())
    assert len(found) == 1
    f = found[0]
    assert f.severity == "error" and f.evidence == text and f.location.page == 21
    assert f.actual == Decimal("0.3") and f.expected == Decimal("2961.68") and "0.3万元" in f.message
    assert f.location.table_title == "财政拨款收入支出决算总表"


def test_amounts_subject_path_with_codes_against_a_yuan_table() -> None:
    b = Builder(kind="budget", fy=2026, unit="元")
    b.table("2026年部门一般公共预算支出功能分类预算表", ("合计", "基本支出", "项目支出"), unit="元")
    b.row("住房公积金", {"合计": "2087959.00"}, code="2210201")
    b.say(
        "12、住房保障支出（221类）住房改革支出（02款）住房公积金（01项）208.8万元。",
        "2025年当年预算执行数为198.34万元，2026年预算安排208.80万元，比2025年预算执行数增加5.27%。",
    )
    assert run("narrative.amounts", b.build()) == []
    b.sentences[-1].text = b.sentences[-1].text.replace("208.80", "201.50")
    found = run("narrative.amounts", b.build())
    assert len(found) == 1 and found[0].location.code == "2210201" and found[0].actual == Decimal("201.50")


def test_amounts_skip_without_sentences() -> None:
    assert skipped("narrative.amounts", _tables().build()) is not None


def test_percentages_share_of_the_stated_whole() -> None:
    ok = "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.65%；"
    assert run("narrative.percentages", Builder().say(ok).build()) == []
    found = run("narrative.percentages", Builder().say(ok.replace("71.65", "71.73")).build())
    assert len(found) == 1 and found[0].severity == "error" and found[0].expected == "71.65%"


def test_percentages_change_between_two_stated_years() -> None:
    b = Builder(kind="budget", fy=2026).say(
        "2025年当年预算执行数为77.99万元，2026年预算安排91.97万元，比2025年预算执行数增加17.66%。"
    )
    found = run("narrative.percentages", b.build())
    assert len(found) == 1 and found[0].expected == "17.93%"
    ok = Builder(kind="budget", fy=2026).say(
        "2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。"
    )
    assert run("narrative.percentages", ok.build()) == []


def test_percentages_change_from_a_stated_delta() -> None:
    b = Builder().say(
        "上海市普陀区财政局2024年度收入支出总计2995.39万元。",
        "与2023年度相比，收入支出总计减少56.95万元，下降1.87%。",
        new_paragraph=False,
    )
    assert run("narrative.percentages", b.build()) == []
    b.sentences[-1].text = b.sentences[-1].text.replace("1.87", "2.87")
    assert [f.severity for f in run("narrative.percentages", b.build())] == ["error"]


def test_percentages_completion_rate() -> None:
    text = "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"
    assert run("narrative.percentages", Builder().say(text).build()) == []
    found = run("narrative.percentages", Builder().say(text.replace("98.20", "96.20")).build())
    assert len(found) == 1


def test_direction_of_a_change() -> None:
    b = Builder(kind="budget", fy=2026).say(
        "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%。"
    )
    found = run("narrative.direction", b.build())
    assert len(found) == 1 and found[0].actual == "增加/增长" and found[0].expected == "减少"
    ok = Builder(kind="budget", fy=2026).say(
        "2025年当年预算执行数为2149.45万元，2026年预算安排2170.39万元，比2025年预算执行数增加0.97%。"
    )
    assert run("narrative.direction", ok.build()) == []


def test_direction_budget_versus_final_wording() -> None:
    b = Builder().say(
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。",
        "年初预算为1560.05万元，支出决算为1511.89万元。",
        "决算数大于预算数的主要原因：人员变化。",
        new_paragraph=False,
    )
    found = run("narrative.direction", b.build())
    assert len(found) == 1 and found[0].expected == "小于"
    b.sentences[-1].text = "决算数小于预算数的主要原因：人员变化。"
    assert run("narrative.direction", b.build()) == []


def test_parts_sum() -> None:
    ok = "政府采购金额为251.26万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元。"
    assert run("narrative.parts_sum", Builder().say(ok).build()) == []
    found = run("narrative.parts_sum", Builder().say(ok.replace("251.26", "251.25")).build())
    assert [f.severity for f in found] == ["info"]
    found = run("narrative.parts_sum", Builder().say(ok.replace("251.26", "241.26")).build())
    assert [f.severity for f in found] == ["error"]
    partial = "本年支出合计2940.05万元，其中：基本支出2336.91万元。"
    assert run("narrative.parts_sum", Builder().say(partial).build()) == []


def test_parts_sum_itemised_list() -> None:
    b = Builder().say("一般公共预算财政拨款支出年初预算为20.00万元，支出决算为19.00万元。其中：")
    b.say(
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。",
        "年初预算为12.00万元，支出决算为11.00万元。",
        new_paragraph=True,
    )
    b.say(
        "2、一般公共服务支出（类）财政事务（款）信息化建设（项）。",
        "年初预算为9.00万元，支出决算为8.00万元。",
        new_paragraph=True,
    )
    found = run("narrative.parts_sum", b.build())
    assert len(found) == 1 and found[0].expected == Decimal("21.00") and "年初预算" in found[0].message


def test_subject_names() -> None:
    b = Builder(kind="budget", fy=2026).table("2026年部门支出预算总表", ("合计",), unit="元")
    b.row("卫生健康支出", {"合计": "1149678.00"}, code="210")
    b.say("11、医疗卫生与计划生育支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）114.97万元。")
    found = run("narrative.subject_names", b.build())
    assert len(found) == 1 and found[0].expected == "卫生健康支出" and found[0].severity == "warning"
    b.sentences[0].text = b.sentences[0].text.replace("医疗卫生与计划生育支出", "卫生健康支出")
    assert run("narrative.subject_names", b.build()) == []


def test_amounts_class_named_without_code_in_a_breakdown_of_the_general_table() -> None:
    b = Builder().table("一般公共预算财政拨款支出决算表", ("合计", "基本支出", "项目支出"))
    b.row("合计", {"合计": "570.73"})
    b.row("社会保障和就业支出", {"合计": "354.46"}, code="208")
    b.row("卫生健康支出", {"合计": "216.27"}, code="210")
    text = (
        "2023年度一般公共预算财政拨款支出570.73万元，主要用于以下方面：社会保障和就业支出354.46万元；"
        "卫生健康支出216.27万元。"
    )
    assert run("narrative.amounts", b.say(text).build()) == []
    b.sentences[0].text = text.replace("216.27万元。", "226.27万元。")
    found = run("narrative.amounts", b.build())
    assert len(found) == 1 and found[0].location.code == "210"
    # the same names in a sentence about another whole are not compared
    other = Builder().table("一般公共预算财政拨款支出决算表", ("合计",))
    other.row("合计", {"合计": "570.73"}).row("卫生健康支出", {"合计": "216.27"}, code="210")
    other.say("支出包括：卫生健康支出300.00万元，占50%。")
    assert run("narrative.amounts", other.build()) == []


def test_sangong_parts_only_where_the_text_is_about_the_sangong() -> None:
    b = Builder(kind="budget", fy=2026, unit="元")
    b.table(
        "2026年部门“三公”经费和机关运行经费预算表", ("合计", "公务接待费", "公务用车购置及运行费/运行费"), unit="万元"
    )
    b.row("“三公”经费预算数", {"合计": "10.81", "公务接待费": "0.83", "公务用车购置及运行费/运行费": "9.98"})
    b.say("一、2026年“三公”经费预算情况说明", page=22)
    b.say("（三）公务接待费0.83万元。", page=22, new_paragraph=False)
    b.say("二、机关运行经费预算", page=22)
    b.say("具体包括办公费5.03万元、公务用车运行维护费1.45万元。", page=22)
    r = b.build()
    assert run("narrative.amounts", r) == []
    r.sentences[1].text = "（三）公务接待费0.93万元。"
    assert [f.actual for f in run("narrative.amounts", r)] == [Decimal("0.93")]


def test_percentages_change_against_a_bare_budget_or_execution_base() -> None:
    """比2025年预算增加 X万元 / 比2025年执行数增加 X万元 name no measure: the change is of the figure
    the clause stated last, and the stated rate follows from the two (333.83 ÷ 1057.85 = 31.56%)."""
    for base in ("比2025年预算增加", "较2025年年初预算数增加", "比2025年执行数增加"):
        ok = f"委托业务费财政拨款预算1,391.68万元，{base}333.83万元，增长31.56%。"
        assert run("narrative.percentages", Builder(kind="budget", fy=2026).say(ok).build()) == []
        found = run("narrative.percentages", Builder(kind="budget", fy=2026).say(ok.replace("31.56", "31.35")).build())
        assert len(found) == 1 and found[0].expected == "31.56%"


def _budget_subjects() -> Builder:
    b = Builder(kind="budget", fy=2026, unit="元")
    b.table("2026年部门一般公共预算支出功能分类预算表", ("合计", "基本支出", "项目支出"), unit="元")
    b.row("合计", {"合计": "2601755.00"})
    b.row("住房保障支出", {"合计": "2087959.00"}, code="221")
    b.row("住房改革支出", {"合计": "2087959.00"}, code="22102")
    b.row("住房公积金", {"合计": "2087959.00"}, code="2210201")
    b.row("社会保障和就业支出", {"合计": "513796.00"}, code="208")
    return b


def test_amounts_subject_the_figure_names_by_its_code_in_any_print_form() -> None:
    for text in ("（9）住房公积金（2210201）208.80万元，较上年增加1.51万元。", "（十）2210201-住房公积金208.80万元。"):
        assert run("narrative.amounts", _budget_subjects().say(text).build()) == []
        found = run("narrative.amounts", _budget_subjects().say(text.replace("208.80", "218.80")).build())
        assert len(found) == 1 and found[0].location.code == "2210201" and found[0].severity == "error"


def test_amounts_subject_named_without_code_ties_when_a_row_agrees_and_stays_quiet_otherwise() -> None:
    text = "3.“社会保障和就业支出”科目51.38万元，主要用于缴纳单位在职人员养老保险。"
    v = validate(_budget_subjects().say(text).build())
    assert v.claims.counts["amount"]["tied"] == 1
    # the text does not say its fund scope: a disagreeing row leaves the claim unverified, not an error
    v = validate(_budget_subjects().say(text.replace("51.38", "41.38")).build())
    assert [f for f in v.findings if f.rule_id == "narrative.amounts"] == []
    assert v.claims.reasons.get("scope_ambiguous") == 1


def _budget_summary() -> Builder:
    b = Builder(kind="budget", fy=2026)
    b.table("收支总表", ("收入/预算数", "支出/预算数"))
    b.row("一般公共预算拨款收入", {"收入/预算数": "152585.76"})
    b.row("一般公共服务支出", {}, side=1)
    b.row("事业单位经营收入", {})
    b.row("社会保障和就业支出", {"支出/预算数": "152585.76"}, side=1)
    b.row("本年收入合计", {"收入/预算数": "152585.76"}, kind="total")
    b.row("本年支出合计", {"支出/预算数": "152585.76"}, side=1, kind="total")
    return b


def test_amounts_a_source_the_summary_table_prints_by_name_an_empty_cell_being_zero() -> None:
    text = ("（1）一般公共预算当年拨款收入152,585.76万元。", "（5）事业单位经营收入0万元，与上年预算数相同。")
    v = validate(_budget_summary().say(*text).build())
    assert v.claims.counts["amount"]["tied"] == 2
    assert [f for f in v.findings if f.rule_id == "narrative.amounts"] == []
    v = validate(_budget_summary().say(text[1].replace("0万元", "12万元")).build())
    assert v.claims.counts["amount"]["tied"] == 0 and v.claims.reasons.get("scope_ambiguous") == 1


def test_sangong_item_named_with_a_budget_suffix() -> None:
    assert claims.metric_of("3．公务接待费预算支出") == "sangong_reception"
    assert claims.metric_of("（1）公务用车购置预算支出") == "sangong_purchase"
    assert claims.metric_of("用于支付公务接待的餐费") is None


def test_percentages_share_of_the_whole_an_earlier_sentence_opened() -> None:
    """本年收入X万元，其中： then one sentence per source (苏州/无锡 budgets print them so)."""
    head = "本年收入87,026.18万元，其中："
    ok = ("本年一般公共预算收入20,832.97万元，占23.94%；", "本年其他收入58.79万元，占0.07%；")
    b = Builder(kind="budget", fy=2026).say(head, *ok, new_paragraph=False)
    assert run("narrative.percentages", b.build()) == []
    bad = Builder(kind="budget", fy=2026).say(head, ok[0].replace("23.94", "25.94"), ok[1], new_paragraph=False)
    found = run("narrative.percentages", bad.build())
    assert len(found) == 1 and found[0].expected == "23.94%"


def test_percentages_shares_of_a_list_with_no_whole_add_up_to_its_sum() -> None:
    text = ("一般公共服务（类）支出12,868.19万元，占14.0%；公共安全（类）支出69,081.15万元，占75.2%；"
            "社会保障和就业（类）支出7,458.52万元，占8.1%；卫生健康（类）支出2,434.95万元，占2.7%。")
    v = validate(Builder(kind="budget", fy=2026).say(text).build())
    assert [f for f in v.findings if f.rule_id == "narrative.percentages"] == []
    assert v.claims.counts["pct"]["checked"] == 4
    found = run("narrative.percentages", Builder(kind="budget", fy=2026).say(text.replace("75.2%", "74.2%").replace(
        "8.1%", "9.1%")).build())
    assert sorted(f.actual for f in found) == ["74.2%", "9.1%"] and {f.severity for f in found} == {"error"}
    # shares that do not add up to 100% are of a whole the text does not state: not compared
    assert run("narrative.percentages", Builder().say(text.replace("占2.7%", "占12.7%")).build()) == []


def test_a_threshold_is_not_a_stated_amount() -> None:
    from app.parsing.model import Sentence

    text = "共有车辆2辆；单价100万元（含）以上设备（不含车辆）0台，单位价值50万元以上设备1台，购置费12万元。"
    s = Sentence(page=3, text=text)
    assert [str(m.value) for m in claims.amounts(s)] == ["12"]


def test_subject_names_read_the_catalog_of_the_report_year() -> None:
    """20805 was 行政事业单位离退休 until 2019 and is 行政事业单位养老支出 since 2020."""
    text = "社会保障和就业支出（208类）行政事业单位离退休（05款）支出84.65万元。"
    assert run("narrative.subject_names", Builder(fy=2019).say(text).build()) == []
    found = run("narrative.subject_names", Builder(fy=2024).say(text).build())
    assert [f.expected for f in found] == ["行政事业单位养老支出"]


def test_amounts_a_figure_stating_only_its_year_takes_the_measure_of_its_title() -> None:
    def report(stated: str) -> Builder:
        b = Builder(kind="budget", fy=2026)
        b.table("2026年部门“三公”经费和机关运行经费预算表", ("合计", "公务接待费"))
        b.row("“三公”经费预算数", {"合计": "2.88", "公务接待费": "2.88"})
        b.say("（二）公务接待费。")
        return b.say(f"2026年预算数{stated}万元，主要用于外部单位来我委考察调研接待支出。", new_paragraph=False)

    v = validate(report("2.88").build())
    assert v.claims.counts["amount"]["tied"] == 1
    found = run("narrative.amounts", report("3.88").build())
    assert len(found) == 1 and found[0].expected == Decimal("2.88")
