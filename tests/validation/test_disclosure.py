"""disclosure: the 公开 compliance rules (财预〔2016〕143号), each firing on a report that lacks the
disclosure and quiet on one that makes it; the compliance summary; GET /rules lists them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from app.parsing import parse_pdf
from app.parsing.model import ContentsEntry
from app.validation import RULES, validate
from app.validation.disclosure import compliance_rule_ids
from tests.conftest import SHARED_FIXTURES, need
from tests.validation.factories import Builder, parsed_real, run, skipped

FINANCE = SHARED_FIXTURES / "real" / "putuo_finance_2024_final.pdf"
JUSTICE = SHARED_FIXTURES / "real" / "putuo_justice_2026_dept_budget.pdf"
LHASA = SHARED_FIXTURES / "seeds" / "seed003_lhasa_2022_budget.pdf"  # a budget whose narrative lacks most topics
YUXI = SHARED_FIXTURES / "seeds" / "seed000_yuxi_2022_final.pdf"
DISCLOSURE = sorted(r for r in RULES if r.startswith("disclosure."))
NARRATIVE_TOPICS = (
    "disclosure.agency_operation_explained",
    "disclosure.procurement_explained",
    "disclosure.state_assets_explained",
    "disclosure.glossary",
    "disclosure.sangong_change_explained",
)


def test_every_disclosure_rule_is_a_warning_citing_its_clause() -> None:
    assert len(DISCLOSURE) >= 9
    for rid in DISCLOSURE:
        r = RULES[rid]
        assert r.severity == "warning" and r.family == "disclosure"
        assert "143号" in r.description_zh, rid
    assert "143号" in RULES["structure.required_tables"].description_zh


# ------------------------------------------------------------------ on the real reports


@pytest.mark.slow
@pytest.mark.parametrize("path", [FINANCE, JUSTICE], ids=lambda p: p.stem)
def test_quiet_on_the_complete_real_reports(path: Path) -> None:
    v = validate(parsed_real(path))
    assert [f.message for f in v.findings if f.rule_id in compliance_rule_ids()] == []
    assert v.compliance.failed == []
    detail = {"disclosure.general_to_item", "disclosure.sangong_items"}
    assert set(v.compliance.passed) >= set(NARRATIVE_TOPICS) | detail
    assert "disclosure.toc_tables_present" in v.compliance.passed  # the 目录 read, each listed table found


@pytest.mark.slow
def test_fires_on_a_real_budget_whose_narrative_lacks_the_topics() -> None:
    v = validate(parsed_real(LHASA))
    fired = {f.rule_id: f for f in v.findings if f.rule_id in compliance_rule_ids()}
    assert set(NARRATIVE_TOPICS) <= set(fired)
    assert all(fired[r].severity == "warning" for r in fired)
    assert "国有资本经营" in fired["structure.required_tables"].message  # 预算: nine tables since the 2016 template
    assert set(v.compliance.failed) == set(fired)
    counts = v.compliance.counts
    assert sum(counts.values()) == len(compliance_rule_ids()) and counts["failed"] == len(fired)


def _without_page(path: Path, page: int) -> bytes:
    """The real PDF less one page (the rest byte for byte as pikepdf writes it)."""
    import io

    import pikepdf

    with pikepdf.open(path) as pdf:
        del pdf.pages[page - 1]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


@pytest.mark.slow
def test_a_table_listed_in_the_contents_but_cut_from_the_body_fires() -> None:
    need(JUSTICE.exists(), f"fixture {JUSTICE} is absent")
    sangong = next(t for t in parsed_real(JUSTICE).tables if t.kind == "three_public")
    assert len(sangong.pages) == 1
    cut = parse_pdf(_without_page(JUSTICE, sangong.pages[0]))
    found = run("disclosure.toc_tables_present", cut)
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].expected == sangong.title  # the one table gone, named as the 目录 prints it
    assert found[0].location.page == 2  # where the 目录 lists it


@pytest.mark.slow
def test_a_topic_named_without_its_amount_fires() -> None:
    found = [f for f in validate(parsed_real(YUXI)).findings if f.rule_id == "disclosure.agency_operation_explained"]
    assert len(found) == 1 and found[0].actual == "金额" and found[0].location.page == 14


@pytest.mark.slow
def test_detail_rules_fire_when_a_real_table_is_cut_to_a_coarser_level() -> None:
    report = parsed_real(FINANCE)
    assert run("disclosure.general_to_item", report) == []
    assert run("disclosure.basic_to_kuan", report) == []
    coarse = copy.deepcopy(report)
    general = next(t for t in coarse.tables if t.kind == "general_public_expenditure")
    coarse.line_items = [
        li for li in coarse.line_items if not (li.table_index == general.index and len(li.code or "") == 7)
    ]
    found = run("disclosure.general_to_item", coarse)
    assert len(found) == 1 and found[0].location.table_index == general.index
    assert all(len(code) == 5 for code in str(found[0].actual).split(", "))


# ------------------------------------------------------------------ built examples, one rule at a time


def test_general_to_item() -> None:
    b = Builder().table("一般公共预算财政拨款支出决算表", ("合计",), page=8)
    b.row("一般公共服务支出", {"合计": "10.00"}, code="201").row("人大事务", {"合计": "10.00"}, code="20101")
    found = run("disclosure.general_to_item", b.build())
    assert len(found) == 1 and found[0].actual == "20101" and found[0].location.page == 8
    b.row("行政运行", {"合计": "10.00"}, code="2010101")
    assert run("disclosure.general_to_item", b.build()) == []
    zero = Builder().table("一般公共预算财政拨款支出决算表", ("合计",)).row("人大事务", {"合计": "0"}, code="20101")
    assert skipped("disclosure.general_to_item", zero.build())


def test_basic_to_kuan() -> None:
    b = Builder().table("一般公共预算财政拨款基本支出决算表", ("决算数",))
    b.row("工资福利支出", {"决算数": "5.00"}, code="301").row("商品和服务支出", {"决算数": "2.00"}, code="302")
    b.row("办公费", {"决算数": "2.00"}, code="30201")
    found = run("disclosure.basic_to_kuan", b.build())
    assert len(found) == 1 and found[0].actual == "301"
    b.row("基本工资", {"决算数": "5.00"}, code="30101")
    assert run("disclosure.basic_to_kuan", b.build()) == []
    two = Builder().table("一般公共预算基本支出表（按支出经济分类科目）", ("合计",))  # 部门经济 → 政府经济 codes
    two.row("工资福利支出", {"合计": "5.00"}, code="301")
    two.row("工资奖金津补贴", {"合计": "5.00"}, code="50101", cls="economic")
    assert run("disclosure.basic_to_kuan", two.build()) == []


def test_sangong_items_and_the_vehicle_split() -> None:
    cols = ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费")
    b = Builder().table("财政拨款“三公”经费支出决算表", cols).row("决算数", dict.fromkeys(cols, "1.00"))
    found = run("disclosure.sangong_items", b.build())
    assert len(found) == 1 and "购置费" in found[0].message and "运行费" in found[0].message
    split = (
        "合计",
        "因公出国（境）费",
        "公务用车购置及运行费/小计",
        "公务用车购置及运行费/公务用车购置费",
        "公务用车购置及运行费/公务用车运行费",
        "公务接待费",
    )
    ok = Builder().table("财政拨款“三公”经费支出决算表", split).row("决算数", dict.fromkeys(split, "1.00"))
    assert run("disclosure.sangong_items", ok.build()) == []
    grid: list[list[str | None]] = [
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费"],
        [None, None, None, "购置费", "运行费"],
    ]
    header = Builder().table("“三公”经费预算表", cols, grid=grid).row("预算数", dict.fromkeys(cols, "1.00"))
    assert run("disclosure.sangong_items", header.build()) == []  # the split is printed over empty cells
    assert skipped("disclosure.sangong_items", Builder().build())


def test_sangong_change_explained() -> None:
    b = Builder().say("2024年“三公”经费支出12.00万元。")
    assert len(run("disclosure.sangong_change_explained", b.build())) == 1
    b.say("比上年减少1.00万元，主要原因是厉行节约，压减公务接待。")
    b.sentences[-1].text = "“三公”经费" + b.sentences[-1].text
    assert run("disclosure.sangong_change_explained", b.build()) == []
    assert run("disclosure.sangong_change_explained", Builder().say("“三公”经费支出与上年持平。").build()) == []


def test_procurement_parts_and_a_stated_absence() -> None:
    b = Builder().say("2024年度政府采购支出总额100.00万元，其中：货物支出60.00万元、服务支出40.00万元。")
    found = run("disclosure.procurement_explained", b.build())
    assert len(found) == 1 and found[0].actual == "工程、中小企业"
    b.say("政府采购工程支出0万元；授予中小企业合同金额90.00万元。")
    assert run("disclosure.procurement_explained", b.build()) == []
    budget = Builder(kind="budget").say("政府采购预算总额100.00万元，其中：货物60.00万元、工程0万元、服务40.00万元。")
    assert run("disclosure.procurement_explained", budget.build()) == []  # SME contracts are a 决算 figure
    none = Builder().say("本部门2024年度未安排政府采购预算。").build()
    assert run("disclosure.procurement_explained", none) == []


def test_a_heading_brings_the_sentences_after_it() -> None:
    b = Builder().say("（三）国有资产占有使用情况").say("截至2024年12月31日，共有车辆2辆。")
    assert run("disclosure.state_assets_explained", b.build()) == []
    assert len(run("disclosure.state_assets_explained", Builder().say("（三）国有资产占有使用情况").build())) == 1


def test_performance_explained() -> None:
    assert len(run("disclosure.performance_explained", Builder().say("本部门支出情况如下。").build())) == 1
    ok = Builder().say("2024年本部门对12个项目开展了绩效自评，涉及资金300.00万元。").build()
    assert run("disclosure.performance_explained", ok) == []


def test_narrative_rules_skip_without_a_narrative() -> None:
    for rid in NARRATIVE_TOPICS + ("disclosure.performance_explained",):
        assert skipped(rid, Builder().build()) == "no narrative (情况说明) was extracted"


def test_toc_rule_on_built_contents() -> None:
    report = Builder().table("收入决算表").table("支出决算表").build()
    assert skipped("disclosure.toc_tables_present", report) == (
        "the report prints no contents page (目录), or its entries were not read"
    )
    report.contents = [
        ContentsEntry("部门决算表", number="第二部分", source_page=2),  # the part heading, not a table
        ContentsEntry("收入决算表", page=5, number="一、", source_page=2),
        ContentsEntry("支出决算表", page=6, number="二、", source_page=2),
        ContentsEntry("名词解释", number="第三部分", source_page=2),
    ]
    assert run("disclosure.toc_tables_present", report) == []
    report.contents.insert(3, ContentsEntry("财政拨款“三公”经费支出决算表", page=7, number="三、", source_page=3))
    found = run("disclosure.toc_tables_present", report)
    assert len(found) == 1 and found[0].expected == "财政拨款“三公”经费支出决算表" and found[0].location.page == 3


def test_the_compliance_summary_counts_every_check_once() -> None:
    v = validate(Builder().say("2024年度政府采购支出总额100.00万元。").build())
    c = v.compliance
    assert sorted(c.passed + c.failed + c.not_applicable) == sorted(compliance_rule_ids())
    assert "disclosure.procurement_explained" in c.failed and "disclosure.toc_tables_present" in c.not_applicable
    assert c.counts == {"passed": len(c.passed), "failed": len(c.failed), "not_applicable": len(c.not_applicable)}


@pytest.mark.anyio
async def test_rules_endpoint_lists_the_disclosure_rules(make_client) -> None:  # type: ignore[no-untyped-def]
    async with make_client() as client:
        listed = {r["id"] for r in (await client.get("/rules")).json()["data"]}
    assert set(DISCLOSURE) <= listed


def test_a_document_that_is_no_budget_owes_no_disclosure() -> None:
    notice = Builder(kind="unknown").say("关于印发某实施意见的通知。").build()
    for rid in DISCLOSURE:
        assert skipped(rid, notice), rid
