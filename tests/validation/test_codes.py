"""codes: the subject catalog and the code hierarchy."""

from __future__ import annotations

from app.catalog import fold_name, load_catalog, name_accepted, subject, subject_name, subjects
from tests.validation.factories import Builder, run, skipped


def test_catalog_is_loaded_once_and_holds_the_national_classes() -> None:
    assert load_catalog() is load_catalog()
    s = subject("208")
    assert s is not None and s.name == "社会保障和就业支出" and s.level == 1 and s.classification == "functional"
    assert subject_name("30217") == "公务接待费"
    assert name_accepted("210", "医疗卫生与计划生育支出")  # a known historical rename
    assert name_accepted("210", "卫 生 健 康 支 出")
    assert not name_accepted("210", "教育支出")
    assert name_accepted("999", "x") is None
    assert fold_name("社会保障和就业支出（类）") == "社会保障和就业支出"
    assert len(subjects()) >= 100


def _table(*rows: tuple[str, str], fy: int = 2024) -> Builder:
    b = Builder(fy=fy).table("支出决算表", ("本年支出合计",))
    for code, name in rows:
        b.row(name, {"本年支出合计": "1.00"}, code=code)
    return b


def test_known() -> None:
    assert run("codes.known", _table(("208", "社会保障和就业支出")).build()) == []
    found = run("codes.known", _table(("299", "不存在的类")).build())
    assert [f.severity for f in found] == ["warning"]
    assert skipped("codes.known", Builder().build()) is not None


def test_name_matches() -> None:
    assert run("codes.name_matches", _table(("208", "社会保障和就业支出")).build()) == []
    # a historical name is right in its years only: 210 was renamed 卫生健康支出 in 2019
    assert run("codes.name_matches", _table(("210", "医疗卫生与计划生育支出"), fy=2018).build()) == []
    late = run("codes.name_matches", _table(("210", "医疗卫生与计划生育支出")).build())
    assert [(f.severity, f.expected) for f in late] == [("warning", "卫生健康支出")]
    found = run("codes.name_matches", _table(("208", "住房保障支出")).build())
    assert len(found) == 1 and found[0].severity == "warning" and found[0].expected == "社会保障和就业支出"


def test_parent_present() -> None:
    ok = _table(
        ("208", "社会保障和就业支出"),
        ("20805", "行政事业单位养老支出"),
        ("2080505", "机关事业单位基本养老保险缴费支出"),
    )
    assert run("codes.parent_present", ok.build()) == []
    found = run(
        "codes.parent_present",
        _table(("208", "社会保障和就业支出"), ("2080505", "机关事业单位基本养老保险缴费支出")).build(),
    )
    assert len(found) == 1 and found[0].expected == "20805"


def test_name_matches_quiet_on_items_listed_under_their_subject_code() -> None:
    """A 采购 table prints each item beside the subject code it is paid from: the name is the item's."""
    item = "公务用车购置经费A02030501轿车"
    procurement = "2022年部门综合预算政府采购（资产配置、购买服务）预算表"
    for title, quiet in ((procurement, True), ("2022年部门支出预算总表", False)):
        b = Builder(kind="budget", fy=2022).table(title, ("预算金额",))
        b.row(item, {"预算金额": "30.00"}, code="2110102")
        found = run("codes.name_matches", b.build())
        assert (found == []) is quiet, title


def test_parent_present_once_per_table_with_every_gap_and_quiet_on_item_lists() -> None:
    rows = (("2040101", "武装警察部队"), ("2080501", "行政单位离退休"))
    found = run("codes.parent_present", _table(*rows).build())
    assert len(found) == 1 and found[0].expected == "204、20401、208、20805" and len(found[0].locations) == 4
    b = Builder(kind="budget", fy=2022).table("2022年部门综合预算政府采购（资产配置、购买服务）预算表", ("预算金额",))
    b.row("公务用车购置经费A02030501轿车", {"预算金额": "30.00"}, code="2110102")
    assert run("codes.parent_present", b.build()) == []
