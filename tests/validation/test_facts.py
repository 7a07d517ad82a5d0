"""One source of facts: the rules read the report's year and kind from the parsed metadata, the
subject catalog is read in the report's year, and one condition is one finding with all its places."""

from __future__ import annotations

import pytest

from app.catalog import name_in_year, subject, subjects
from tests.validation.factories import Builder, run, skipped
from tests.validation.test_real_reports import JUSTICE, parsed


def _titled_2023(fy: int) -> Builder:
    """Titles and narrative that say 2023 many times (a template's leftovers), the metadata fy."""
    b = Builder(fy=fy)
    for t in ("2023年部门预算收支总表", "2023年部门收入预算总表", "2023年部门支出预算总表"):
        b.table(t, ("合计",))
    b.say("2023年部门预算编制说明。", "2023年部门预算收入合计100万元，比2023年预算增加1万元。")
    return b


def test_year_consistent_reads_the_year_from_the_metadata() -> None:
    # the metadata says 2024: comparisons with 2023 are right, the 2023 titles are the finding
    found = run("structure.year_consistent", _titled_2023(fy=2024).build())
    assert len(found) == 1 and "与报告年度 2024 不一致" in found[0].message
    assert len(found[0].locations) == 3 and found[0].actual == "2023"
    assert not any("报告年度为2023年" in f.message for f in found)
    # the same titles in a report the metadata dates 2023: all quiet but the 2023 comparison
    quiet = run("structure.year_consistent", _titled_2023(fy=2023).build())
    assert [f.actual for f in quiet] == ["2023"] and "比较基期应为2022年" in quiet[0].message


def test_year_consistent_skips_without_a_parsed_year() -> None:
    report = _titled_2023(fy=2024).build()
    report.meta.fiscal_year = None  # the titles say 2023: still not re-derived
    assert "metadata" in (skipped("structure.year_consistent", report) or "")


def test_a_wrong_comparison_year_is_one_finding_with_every_sentence() -> None:
    b = Builder(kind="budget", fy=2026)
    b.say("财政拨款收入9628.22万元，比2026年预算增加793.14万元。", page=8)
    b.say("一般公共预算收入9000万元，比2026年预算增加700万元。", page=8)
    b.say("政府性基金收入628.22万元，比2026年预算增加93.14万元。", page=9)
    found = run("structure.year_consistent", b.build())
    assert len(found) == 1
    f = found[0]
    assert f.expected == "2025" and f.actual == "2026" and f.location.page == 8
    assert [loc.page for loc in f.locations] == [8, 8, 9] and "共3处" in f.message


def test_report_kind_is_the_metadata_s_not_guessed_from_titles() -> None:
    b = Builder(kind="unknown").table("2024年收入决算表", ("合计",)).table("2024年支出决算表", ("合计",))
    assert skipped("structure.required_tables", b.build()) == "the report kind (决算/预算) is unknown"


def _coded(fy: int, *rows: tuple[str, str], tables: int = 1) -> Builder:
    b = Builder(fy=fy)
    for n in range(tables):
        b.table("支出决算表" if n == 0 else "一般公共预算财政拨款支出决算表", ("合计",), page=5 + n)
        for code, name in rows:
            b.row(name, {"合计": "1.00"}, code=code)
    return b


def test_catalog_names_are_keyed_by_year() -> None:
    assert name_in_year("20805", "行政事业单位离退休", 2019) == "accepted"
    assert name_in_year("20805", "行政事业单位离退休", 2024) == "mismatch"
    assert name_in_year("20805", "行政事业单位养老支出", 2024) == "accepted"
    assert name_in_year("20805", "行政事业单位养老支出", 2019) == "mismatch"
    assert name_in_year("99999", "x", 2024) is None


def test_name_matches_accepts_a_name_valid_in_the_report_s_year() -> None:
    assert run("codes.name_matches", _coded(2019, ("20805", "行政事业单位离退休")).build()) == []
    found = run("codes.name_matches", _coded(2024, ("20805", "行政事业单位离退休"), tables=2).build())
    assert len(found) == 1 and found[0].severity == "warning" and found[0].expected == "行政事业单位养老支出"
    assert [loc.page for loc in found[0].locations] == [5, 6]  # one name in two tables: one finding


def test_name_matches_says_when_the_catalog_has_no_entry_for_the_year() -> None:
    observed = [s for s in subjects() if not s.official and not s.history and s.years and len(s.code) == 7]
    s = next(s for s in observed if min(s.years) > 2015)
    year = min(s.years) - 3
    assert name_in_year(s.code, "完全不同的名称", year) == "no_entry"
    found = run("codes.name_matches", _coded(year, (s.code, "完全不同的名称")).build())
    assert [f.severity for f in found] == ["info"] and f"{year}年的名称记录" in found[0].message
    # within the years the catalog knows the code, the same name is a mismatch
    seen = run("codes.name_matches", _coded(max(s.years), (s.code, "完全不同的名称")).build())
    assert [f.severity for f in seen] == ["warning"]
    assert subject(s.code) is not None


@pytest.mark.slow
def test_justice_2026_comparison_base_is_one_finding_with_its_places() -> None:
    """The real budget compares with 2026 (its own year) in several sentences of p8: one finding."""
    report = parsed(JUSTICE)
    assert report.meta.fiscal_year == 2026
    found = run("structure.year_consistent", report)
    bases = [f for f in found if f.actual == "2026"]
    assert len(bases) == 1 and bases[0].location.page == 8
    # four places on p8 (two may share a sentence): one finding listing every sentence
    assert len(bases[0].locations) > 1 and all(loc.page == 8 for loc in bases[0].locations)


def test_a_name_repeated_in_the_narrative_is_one_finding() -> None:
    b = Builder().table("支出决算表", ("合计",))
    b.row("卫生健康支出", {"合计": "60.99"}, code="210")
    b.say("医疗卫生与计划生育支出（210类）60.99万元。", page=9)
    b.say("医疗卫生与计划生育支出（210类）主要用于行政单位医疗。", page=10)
    found = run("narrative.subject_names", b.build())
    assert len(found) == 1 and [loc.page for loc in found[0].locations] == [9, 10]
    b.sentences = b.sentences[:1]
    once = run("narrative.subject_names", b.build())
    assert len(once) == 1 and once[0].locations == []


def test_an_unknown_class_in_two_tables_is_one_finding() -> None:
    found = run("codes.known", _coded(2024, ("299", "不存在的类"), tables=2).build())
    assert [(f.severity, len(f.locations)) for f in found] == [("warning", 2)]
    assert run("codes.known", _coded(2024, ("208", "社会保障和就业支出"), tables=2).build()) == []
