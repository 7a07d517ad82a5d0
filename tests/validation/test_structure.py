"""structure: completeness and coherence of the report."""

from __future__ import annotations

from tests.validation.factories import Builder, run, skipped

FINAL_TITLES = (
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
)


def _nine(skip: str | None = None) -> Builder:
    b = Builder()
    for t in FINAL_TITLES:
        if t != skip:
            b.table(t, ("决算数",))
    return b


def test_required_tables() -> None:
    assert run("structure.required_tables", _nine().build()) == []
    found = run("structure.required_tables", _nine(skip="财政拨款“三公”经费支出决算表").build())
    assert len(found) == 1 and found[0].severity == "warning" and "三公" in found[0].message
    assert skipped("structure.required_tables", Builder(kind="unknown").table("收入决算表").build())


def test_empty_table_explained() -> None:
    b = Builder().table("政府性基金预算财政拨款收入支出决算表", ("本年收入", "本年支出"), empty=True, page=19)
    found = run("structure.empty_table_explained", b.build())
    assert len(found) == 1 and found[0].location.page == 19
    b.say("本部门无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表无数据。", page=19)
    assert run("structure.empty_table_explained", b.build()) == []
    quiet = Builder().table(
        "国有资本经营预算财政拨款收入支出决算表", ("本年收入",), empty=True, note="注：本表无数据。"
    )
    assert run("structure.empty_table_explained", quiet.build()) == []
    toc_line = Builder().table("政府性基金预算财政拨款收入支出决算表", empty=True, page=2)  # a title read off the TOC
    assert run("structure.empty_table_explained", toc_line.build()) == []


def test_unit_declared() -> None:
    b = Builder().table("支出决算表", ("本年支出合计",), unit=None).row("合计", {"本年支出合计": "1.00"})
    found = run("structure.unit_declared", b.build())
    assert len(found) == 1 and found[0].severity == "warning"
    ok = Builder().table("支出决算表", ("本年支出合计",)).row("合计", {"本年支出合计": "1.00"}).build()
    assert run("structure.unit_declared", ok) == []


def test_year_consistent_titles_and_comparisons() -> None:
    b = Builder(kind="budget", fy=2026).table("2026年部门收入预算总表").table("2025年部门支出预算总表")
    found = run("structure.year_consistent", b.build())
    assert len(found) == 1 and "2025" in found[0].message
    b = Builder(kind="budget", fy=2026).say("财政拨款收入9628.22万元，比2026年预算增加793.14万元。")
    found = run("structure.year_consistent", b.build())
    assert len(found) == 1 and found[0].expected == "2025" and found[0].evidence
    quiet = Builder(kind="budget", fy=2026).say("2025年当年预算执行数为1690.69万元，比2025年预算执行数减少1.07%。")
    assert run("structure.year_consistent", quiet.build()) == []


def test_department_consistent() -> None:
    grid = [["2026年部门收入预算总表"], ["编制部门：上海市普陀区司法局", None, "单位：元"]]
    b = Builder(dept="上海市普陀区司法局").table("2026年部门收入预算总表", grid=grid)
    assert run("structure.department_consistent", b.build()) == []
    b = Builder(dept="上海市普陀区财政局").table("2026年部门收入预算总表", grid=grid)
    found = run("structure.department_consistent", b.build())
    assert len(found) == 1 and found[0].actual == "上海市普陀区司法局"


def test_blank_page() -> None:
    b = Builder()
    b.blank_pages = [3]
    found = run("structure.blank_page", b.build())
    assert [(f.location.page, f.severity) for f in found] == [(3, "warning")]
    assert run("structure.blank_page", Builder().build()) == []
