"""The claim grammar generalised: spellings of one measure (收、支总计), percentages with thousands
separators, shares listed one per line, a change's rate in brackets, a prior figure noted in
brackets after the change, and a change broken down into its parts' changes. Each family ties
or checks on a real report and fires on a built (or printed) inconsistency."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.validation import claims
from app.validation.claim_coverage import Claim
from app.validation.engine import run_rules
from tests.conftest import SHARED_FIXTURES
from tests.validation.factories import Builder, parsed_real, run

CORPUS = SHARED_FIXTURES / "corpus"
# 收、支预算总计各减少18,401.57万元，减少17.46%; 本年…收入 X万元，占Y% one list line each; 与上年相比增加
# 23,460.16万元（去年预算数为0万元…）
SUZHOU = CORPUS / "138__006_苏州__2026年苏州市自然资源和规划局部门预算.pdf"
# 支出127,692.11万元，与上年相比增加122,063.01万元，增长2,168.43%
WUXI = CORPUS / "158__014_无锡__2026年无锡市交通运输局部门预算.pdf"
# 会议费预算支出2.61万元，较上年减少3.33万元（56%）
XIAN_COMMERCE = CORPUS / "207__020_西安__商务局_2026年部门预算.pdf"
# 会议费预算支出180.63万元，较上年增加132.54万元（275.00%）: 132.54 ÷ 48.09 is 275.61%
XIAN_ECOLOGY = CORPUS / "217__020_西安__生态环境局_2026年部门预算.pdf"
# 1.收入预算减少976.9万元，其中一般公共预算收入减少1,154.73万元，财政专户管理资金收入增加220万元 …
YANTAI = CORPUS / "249__025_烟台__2026年烟台市文化广电旅游体育局部门预算.pdf"


def _claims(path: Path, *words: str) -> list[Claim]:
    """The amount and percentage claims of the sentences that contain every word."""
    done = run_rules(parsed_real(path))
    return [c for c in done.claims if c.kind != "subject" and all(w in c.evidence for w in words)]


def _outcomes(found: list[Claim]) -> set[str]:
    assert found, "the sentence was not read"
    return {c.outcome for c in found}


def test_spellings_of_one_measure_name_it() -> None:
    assert claims.metric_of("与上年相比收、支预算总计各减少") == "total"
    assert claims.metric_of("本局2026年度收入、支出预算总计") == "total"
    assert claims.metric_of("2026年收支预算") == "total"
    assert claims.metric_of("本局2026年度财政拨款收、支总预算") == "fiscal_total"
    assert claims.metric_of("2026年财政拨款预算支出") == "fiscal_spend"
    assert claims.metric_of("一般公共预算支出") == "general_spend"  # 预算 of 一般公共预算 stays


def _total_change(rate: str) -> Builder:
    return Builder(kind="budget", fy=2026).say(
        f"本局2026年度收入、支出预算总计100.00万元，与上年相比收、支预算总计各减少10.00万元，减少{rate}%。"
    )


def test_a_change_of_the_total_spelt_with_a_comma_is_checked_and_fires() -> None:
    assert run("narrative.percentages", _total_change("9.09").build()) == []
    found = run("narrative.percentages", _total_change("12.00").build())
    assert [(f.severity, f.expected) for f in found] == [("error", "9.09%")]


@pytest.mark.slow
def test_real_total_and_fiscal_changes_are_checked() -> None:
    assert _outcomes(_claims(SUZHOU, "收、支预算总计各减少")) <= {"tied", "checked"}
    assert _outcomes(_claims(SUZHOU, "财政拨款支出减少17,361.96万元")) == {"checked"}


def _grown(rate: str) -> Builder:
    text = f"城乡社区支出127,692.11万元，与上年相比增加122,063.01万元，增长{rate}%。"
    return Builder(kind="budget", fy=2026).say(text)


def test_a_percentage_with_a_thousands_separator_is_read_whole() -> None:
    b = _grown("2,168.43")
    assert [p.value for p in claims.percentages(b.sentences[0])] == [Decimal("2168.43")]
    assert run("narrative.percentages", b.build()) == []
    wrong = _grown("2,100.43")
    assert [f.severity for f in run("narrative.percentages", wrong.build())] == ["error"]


@pytest.mark.slow
def test_real_percentage_in_the_thousands_is_checked() -> None:
    found = _claims(WUXI, "增长2,168.43%")
    assert _outcomes(found) <= {"tied", "checked"}
    assert [c.outcome for c in found if c.kind == "pct"] == ["checked"]


def _share_lines(*lines: str) -> Builder:
    b = Builder(kind="budget", fy=2026).say("本局2026年收入预算合计20,891.76万元，包括本年收入20,891.76万元。")
    b.say("其中：")
    for line in lines:
        b.say(line)
    return b


def test_shares_listed_one_per_line_are_shares_of_the_list() -> None:
    good = _share_lines("本年一般公共预算收入20,832.97万元，占99.72%；", "本年其他收入58.79万元，占0.28%。")
    assert run("narrative.percentages", good.build()) == []
    assert {c.outcome for c in run_rules(good.build()).claims if c.kind == "pct"} == {"checked"}
    swapped = _share_lines("本年一般公共预算收入58.79万元，占99.72%；", "本年其他收入20,832.97万元，占0.28%。")
    assert [f.severity for f in run("narrative.percentages", swapped.build())] == ["error", "error"]


@pytest.mark.slow
def test_real_share_lines_are_checked() -> None:
    found = [c for c in _claims(SUZHOU, "占") if c.kind == "pct" and c.page == 35]
    assert len(found) >= 14 and _outcomes(found) == {"checked"}


def _rated(rate: str) -> Builder:
    return Builder(kind="budget", fy=2022).say(
        f"2022年本部门一般公共预算会议费预算支出2.61万元，较上年减少3.33万元（{rate}%），减少的主要原因是压减会议。"
    )


def test_a_bracketed_rate_after_a_change_is_its_rate() -> None:
    assert run("narrative.percentages", _rated("56").build()) == []
    assert [f.severity for f in run("narrative.percentages", _rated("65").build())] == ["error"]


@pytest.mark.slow
def test_real_bracketed_rates_check_and_fire() -> None:
    assert _outcomes(_claims(XIAN_COMMERCE, "较上年减少3.33万元（56%）")) == {"checked"}
    report = parsed_real(XIAN_ECOLOGY)
    found = [f for f in run("narrative.percentages", report) if "275.00%" in (f.evidence or "")]
    assert [(f.severity, f.expected) for f in found] == [("error", "275.61%")]


def _noted(change: str) -> Builder:
    return Builder(kind="budget", fy=2026).say(
        f"城市建设支出（项）支出23,460.16万元，与上年相比增加{change}万元（去年预算数为0万元，无法计算增减比率）。"
    )


def test_a_prior_figure_noted_after_the_change_is_its_base() -> None:
    assert run("narrative.parts_sum", _noted("23,460.16").build()) == []
    assert {c.outcome for c in run_rules(_noted("23,460.16").build()).claims if c.kind == "amount"} == {"checked"}
    found = run("narrative.parts_sum", _noted("23,400.16").build())
    assert [(f.severity, str(f.expected)) for f in found] == [("error", "23460.16")]


@pytest.mark.slow
def test_real_prior_noted_in_brackets_is_checked() -> None:
    found = _claims(SUZHOU, "增加23,460.16万元（去年预算数为0万元")
    assert _outcomes(found) <= {"tied", "checked"}
    assert [c.outcome for c in found if c.change or c.period == "prior"] == ["checked", "checked"]


def _broken_down(marker: str, part: str) -> Builder:
    return Builder(kind="budget", fy=2026).say(
        f"收入预算增加406.29万元，{marker}一般公共预算收入增加{part}万元，国有资本经营预算收入减少100万元，"
        "其他收入增加67万元，使用非财政拨款结余减少85万元。"
    )


def test_a_change_broken_down_into_its_parts_is_checked_and_a_wrong_list_warns() -> None:
    assert run("narrative.parts_sum", _broken_down("其中", "524.29").build()) == []
    assert {c.outcome for c in run_rules(_broken_down("其中", "524.29").build()).claims} == {"checked"}
    found = run("narrative.parts_sum", _broken_down("其中", "504.29").build())
    assert [(f.severity, str(f.expected)) for f in found] == [("warning", "386.29")]
    # 主要是 names the main parts: a list that does not add up leaves the change unverified
    loose = _broken_down("主要是", "504.29").build()
    assert run("narrative.parts_sum", loose) == []
    assert {c.outcome for c in run_rules(loose).claims} == {"unverified"}


@pytest.mark.slow
def test_real_change_breakdowns_are_checked() -> None:
    assert _outcomes(_claims(YANTAI, "收入预算减少976.9万元，其中")) == {"checked"}


# （五）项目支出57,973.81万元，具体包括： then 14 numbered projects, each leading with its amount (Σ 57973.80)
SHENZHEN_POLICE = CORPUS / "061__003_深圳__2026年深圳市公安局部门预算.pdf"
# p10 （五）项目支出54,693.88万元，具体包括： … 2.污染防治项目18,686.86元 (万元 printed as 元)
SHENZHEN_ECOLOGY = CORPUS / "077__003_深圳__2026年深圳市生态环境局部门预算.pdf"


def _items(opener: str, *amounts: str) -> Builder:
    b = Builder(kind="budget", fy=2026).say(f"（五）项目支出300.00万元，{opener}：")
    for n, amount in enumerate(amounts, 1):
        b.say(f"{n}.第{n}类项目{amount}万元，主要用于日常工作。")
    return b


def test_numbered_items_add_up_to_the_whole_they_open() -> None:
    good = _items("具体包括", "100.00", "200.00")
    assert run("narrative.parts_sum", good.build()) == []
    assert {c.outcome for c in run_rules(good.build()).claims if c.kind == "amount"} == {"checked"}
    over = run("narrative.parts_sum", _items("主要包括", "150.00", "200.00").build())
    assert [(f.severity, str(f.expected)) for f in over] == [("error", "350.00")]
    short = run("narrative.parts_sum", _items("具体包括", "100.00", "150.00").build())
    assert [(f.severity, str(f.expected)) for f in short] == [("warning", "250.00")]
    assert run("narrative.parts_sum", _items("主要包括", "100.00", "150.00").build()) == []  # the main ones


@pytest.mark.slow
def test_real_numbered_items_check_and_fire() -> None:
    assert _outcomes(_claims(SHENZHEN_POLICE, "项目支出57,973.81万元，具体包括")) == {"checked"}
    found = [f for f in run("narrative.parts_sum", parsed_real(SHENZHEN_POLICE)) if "以下14项" in f.message]
    assert [f.severity for f in found] == ["info"]  # 57973.80: the items' own rounding
    found = [f for f in run("narrative.parts_sum", parsed_real(SHENZHEN_ECOLOGY)) if "以下6项" in f.message]
    assert [(f.severity, f.location.page) for f in found] == [("warning", 10)]


# （5）公共安全支出（类）司法（款）基层司法业务（项）200.80万元 …: subjects named without their codes
HANGZHOU_JUSTICE = CORPUS / "154__008_杭州__司法局_2026年部门预算.pdf"


def _path_budget(text: str) -> Builder:
    b = Builder(kind="budget", fy=2026)
    b.table("2026年部门一般公共预算支出功能分类预算表", ("合计", "基本支出", "项目支出"))
    b.row("城乡社区支出", {"合计": "31638.00"}, code="212")
    b.row("国有土地使用权出让收入安排的支出", {"合计": "31638.00"}, code="21208")
    b.row("征地和拆迁补偿", {"合计": "31638.00"}, code="2120801")  # printed without its 支出
    return b.say(text)


def test_a_subject_path_named_without_codes_takes_the_catalog_code_and_its_row() -> None:
    path = "1.城乡社区支出（类）国有土地使用权出让收入安排的支出（款）征地和拆迁补偿支出（项）支出{}万元。"
    good = _path_budget(path.format("31,638"))
    assert run("narrative.amounts", good.build()) == []
    done = run_rules(good.build()).claims
    assert {c.outcome for c in done} == {"tied"}  # the subject by the catalog's code, the amount at its row
    found = run("narrative.amounts", _path_budget(path.format("31,368")).build())
    assert [(f.severity, f.location.code) for f in found] == [("error", "2120801")]
    # a path the catalog does not know (the 项 under another 款) stays unverified
    wrong = _path_budget("1.城乡社区支出（类）城乡社区公共设施（款）征地和拆迁补偿支出（项）支出31,638万元。")
    subjects = [c for c in run_rules(wrong.build()).claims if c.kind == "subject"]
    assert [(c.outcome, c.reason) for c in subjects] == [("unverified", "name_not_in_tables")]


@pytest.mark.slow
def test_real_subject_paths_without_codes_are_known() -> None:
    done = run_rules(parsed_real(HANGZHOU_JUSTICE)).claims
    found = [c for c in done if c.kind == "subject" and "司法（款）基层司法业务（项）200.80万元" in c.evidence]
    assert found and {c.outcome for c in found} <= {"tied", "checked"}
    amounts = _claims(SUZHOU, "征地和拆迁补偿支出（项）支出31,638万元，与上年相比")
    assert [c.outcome for c in amounts if c.value == Decimal("31638")] == ["tied"]


# p21 1.一般公共服务支出（类）信访事务（款）行政运行（项）2026年预算数为5,826.21万元，比2025年执行数增加
# 271.14万元; the 一般公共预算支出表 prints 2025年执行数 (and 扣除中央基建投资后执行数) beside 2026年预算数
FUZHOU_PETITIONS = CORPUS / "187__017_福州__信访局_2026年部门预算.pdf"
PRIOR_COLS = ("2025年执行数", "合计", "基本支出")


def _prior_column(change: str) -> Builder:
    b = Builder(kind="budget", fy=2026)
    b.table("2026年一般公共预算支出表", PRIOR_COLS)
    b.row("合计", dict(zip(PRIOR_COLS, ("5555.07", "5826.21", "5826.21"), strict=True)), kind="total")
    b.row("一般公共服务支出", dict(zip(PRIOR_COLS, ("5555.07", "5826.21", "5826.21"), strict=True)), code="201")
    b.row("信访事务", dict(zip(PRIOR_COLS, ("5555.07", "5826.21", "5826.21"), strict=True)), code="20140")
    b.row("行政运行", dict(zip(PRIOR_COLS, ("5555.07", "5826.21", "5826.21"), strict=True)), code="2014001")
    return b.say(
        f"1.一般公共服务支出（类）信访事务（款）行政运行（项）2026年预算数为5,826.21万元，比2025年执行数增加{change}万元。"
    )


def test_a_subject_change_ties_to_the_prior_year_column_and_fires() -> None:
    good = _prior_column("271.14")
    assert run("narrative.amounts", good.build()) == []
    changes = [c for c in run_rules(good.build()).claims if c.change]
    assert [c.outcome for c in changes] == ["tied"]
    found = run("narrative.amounts", _prior_column("217.14").build())
    assert [(f.severity, str(f.expected), f.location.code) for f in found] == [("error", "271.14", "2014001")]


@pytest.mark.slow
def test_real_subject_changes_tie_to_prior_year_columns() -> None:
    done = run_rules(parsed_real(FUZHOU_PETITIONS)).claims
    changes = [c for c in done if c.kind == "amount" and c.change and c.page in (21, 22, 23)]
    tied = [c for c in changes if c.outcome == "tied"]
    assert len(tied) >= 12 and {c.outcome for c in changes} <= {"tied", "checked"}
    # 其他信访事务支出 +2,022.94 is against the 扣除中央基建投资后执行数 column: one of the prior columns agrees
    assert any(c.value == Decimal("2022.94") for c in tied)


# 支出预算合计64,090.74万元，其中：基本支出6,895.74万元，占10.76%； then 项目支出57,195万元，占89.24%； a line each
SUZHOU_DATA = CORPUS / "142__006_苏州__政务服务和数据管理局_2026年部门预算.pdf"


def _opened_list(share: str) -> Builder:
    b = Builder(kind="budget", fy=2026)
    b.say("本局2026年支出预算合计64,090.74万元，其中：基本支出6,895.74万元，占10.76%；")
    return b.say(f"项目支出57,195万元，占{share}%；")


def test_a_share_on_the_line_after_the_list_opens_is_of_the_opened_whole() -> None:
    assert run("narrative.percentages", _opened_list("89.24").build()) == []
    assert {c.outcome for c in run_rules(_opened_list("89.24").build()).claims if c.kind == "pct"} == {"checked"}
    found = run("narrative.percentages", _opened_list("88.24").build())
    assert [(f.severity, f.expected) for f in found] == [("error", "89.24%")]


@pytest.mark.slow
def test_real_share_after_the_opened_list_is_checked() -> None:
    assert [c.outcome for c in _claims(SUZHOU_DATA, "项目支出57,195万元，占89.24%") if c.kind == "pct"] == ["checked"]


# 公务用车购置及运行维护费12.64万元（公务用车购置费0万元，…；公务用车运行维护费12.64万元，比上年减少4.11万元。）
# 比上年减少4.11万元，下降24.5%: the change after the bracketed note is of the figure before it
GUANGZHOU_DATA = CORPUS / "105__005_广州__2026年广州市政务服务和数据管理局部门预算.pdf"


def _noted_change(rate: str) -> Builder:
    return Builder(kind="budget", fy=2026).say(
        "公务用车购置及运行维护费12.64万元（公务用车购置费2万元，比上年增加2万元；公务用车运行维护费10.64万元，"
        f"比上年减少6.11万元。）比上年减少4.11万元，下降{rate}%，主要原因是压减运行维护费预算。"
    )


def test_a_change_after_a_bracketed_note_is_of_the_figure_before_the_note() -> None:
    assert run("narrative.percentages", _noted_change("24.5").build()) == []  # 4.11 ÷ (12.64 + 4.11)
    found = run("narrative.percentages", _noted_change("36.5").build())  # 6.11 ÷ 16.75 is the note's
    assert [(f.severity, f.expected) for f in found] == [("error", "24.54%")]


@pytest.mark.slow
def test_real_change_after_a_bracketed_note_is_checked() -> None:
    found = _claims(GUANGZHOU_DATA, "4.11万元。）比上年减少4.11万元，下降24.5%")
    assert [c.outcome for c in found if c.kind == "pct" and c.value == Decimal("24.5")] == ["checked"]
