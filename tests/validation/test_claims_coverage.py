"""Claims coverage: every narrative amount, percentage and subject ends tied, checked or
unverified with a reason; a stated change (增加/减少 X万元) is checked against the two amounts it
compares."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from app.parsing import ParsedReport, parse_pdf
from app.validation import claims, validate
from app.validation.claim_ledger import REASONS
from tests.conftest import SHARED_FIXTURES, need
from tests.validation.factories import Builder, run

CORPUS = SHARED_FIXTURES / "corpus"
# 北京市司法局 2026: 29956.27 − 28479.84 = 1476.43; p5 (收入预算) prints 增加1476.43万元, p7 (支出预算)
# prints 增加1476.73万元
BEIJING_JUSTICE = CORPUS / "037__002_北京__2026年北京市司法局部门预算.pdf"
# 北京市公安局 2026: 866561.92 − 847128.49 = 19433.43, as printed
BEIJING_POLICE = CORPUS / "033__002_北京__2026年北京市公安局部门预算.pdf"
FINANCE = SHARED_FIXTURES / "real" / "putuo_finance_2024_final.pdf"


@lru_cache(maxsize=3)
def _parsed(path: Path) -> ParsedReport:
    need(path.exists(), f"fixture {path} is absent")
    return parse_pdf(path.read_bytes())


def _tables() -> Builder:
    b = Builder()
    b.table("财政拨款收入支出决算总表", ("收入/决算数", "支出/合计"), page=12)
    b.row("一、一般公共预算财政拨款", {"收入/决算数": "2940.05"})
    b.row("本年收入合计", {"收入/决算数": "2940.05"})
    b.row("总计", {"收入/决算数": "2961.68"})
    b.row("总计", {"支出/合计": "2961.68"}, side=1)
    return b


def test_each_claim_ends_in_one_outcome() -> None:
    b = _tables().say(
        "上海市测试局2024年度财政拨款收入支出总计2961.68万元。",  # tied to the 总计
        "本年支出2961.68万元，比2023年决算数2900.00万元增加61.68万元。",  # three claims checked together
        "本年政府采购预算总额50.00万元。",  # not a table figure
    )
    v = validate(b.build())
    c = v.claims.counts["amount"]
    assert c == {"tied": 1, "checked": 3, "unverified": 1}
    assert set(v.claims.reasons) <= set(REASONS)
    assert v.claims.reasons.get("not_in_tables") == 1


def test_a_mismatching_total_is_tied_and_fires() -> None:
    v = validate(_tables().say("上海市测试局2024年度财政拨款收入支出总计2961.98万元。").build())
    assert v.claims.counts["amount"]["tied"] == 1
    assert [f.rule_id for f in v.findings if f.rule_id == "narrative.amounts"] == ["narrative.amounts"]


def test_stated_change_fires_when_it_is_not_the_difference() -> None:
    b = Builder(kind="budget", fy=2026).say("支出预算29956.27万元，比2025年年初预算数28479.84万元增加1476.73万元。")
    found = run("narrative.parts_sum", b.build())
    assert len(found) == 1 and found[0].severity == "error"
    assert str(found[0].expected) == "1476.43" and "1476.73万元" in found[0].message
    assert run("narrative.direction", b.build()) == []


def test_stated_change_quiet_when_it_is_the_difference_and_direction_fires_on_the_wrong_verb() -> None:
    good = Builder(kind="budget", fy=2026).say("支出预算29956.27万元，比2025年年初预算数28479.84万元增加1476.43万元。")
    assert run("narrative.parts_sum", good.build()) == []
    assert run("narrative.direction", good.build()) == []
    wrong = Builder(kind="budget", fy=2026).say("支出预算29956.27万元，比2025年年初预算数28479.84万元减少1476.43万元。")
    found = run("narrative.direction", wrong.build())
    assert len(found) == 1 and found[0].actual == "减少" and found[0].expected == "增加"
    assert run("narrative.parts_sum", wrong.build()) == []  # the amount is right, the verb is not


def test_an_unsure_clause_is_not_compared() -> None:
    # two current figures before the change: which one changed is not certain → unverified, no finding
    b = Builder(kind="budget", fy=2026)
    b.table("2026年部门收支总表", ("合计",), page=5)
    b.row("总计", {"合计": "500.00"})
    b.say(
        "收入预算100.00万元，支出预算120.00万元，比2025年年初预算数90.00万元增加1.00万元。"
    )
    assert run("narrative.parts_sum", b.build()) == []
    assert validate(b.build()).claims.reasons.get("change_without_base") == 1


@pytest.mark.slow
def test_real_report_printed_change_error_found() -> None:
    found = [f for f in validate(_parsed(BEIJING_JUSTICE)).findings
             if f.rule_id == "narrative.parts_sum" and "之差" in f.message]
    assert len(found) == 1  # the p5 sentence with the right difference stays quiet
    f = found[0]
    assert f.severity == "error" and f.location.page == 7 and "1476.73万元" in f.message
    assert str(f.expected) == "1476.43" and str(f.actual) == "1476.73"


@pytest.mark.slow
def test_real_report_changes_quiet_when_printed_right() -> None:
    v = validate(_parsed(BEIJING_POLICE))
    assert not [f for f in v.findings if f.rule_id == "narrative.parts_sum" and "之差" in f.message]
    assert v.claims.counts["amount"]["checked"] >= 2


@pytest.mark.slow
def test_real_report_every_claim_is_counted() -> None:
    report = _parsed(FINANCE)
    v = validate(report)
    n_amounts = sum(len(claims.amounts(s)) for s in report.sentences)
    n_pct = sum(len(claims.percentages(s)) for s in report.sentences)
    assert sum(v.claims.counts["amount"].values()) == n_amounts > 0
    assert sum(v.claims.counts["pct"].values()) == n_pct
    unverified = v.claims.counts["amount"]["unverified"]
    assert sum(v.claims.reasons.values()) >= unverified
    # the 2024 决算 of the shared report restates its tables: most amounts are tied or checked
    assert v.claims.amounts_covered is not None and v.claims.amounts_covered >= 0.5
