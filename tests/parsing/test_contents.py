"""The contents page (目录): its entries read into ParsedReport.contents, the tables it lists in
the order and wording they are printed, the page each names when one is printed."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from app.parsing import ParsedReport, parse_pdf
from app.parsing.contents import _entry, is_table_entry
from tests.conftest import SHARED_FIXTURES, need

REAL = SHARED_FIXTURES / "real"


@lru_cache(maxsize=2)
def _parse(path: Path) -> ParsedReport:
    need(path.exists(), f"fixture {path} is absent")
    return parse_pdf(path.read_bytes())


def _truth_titles(path: Path) -> list[str]:
    truth = json.loads(path.with_suffix(".json").read_text("utf-8"))
    return [t["title"] for t in truth["tables"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["putuo_justice_2026_dept_budget", "putuo_finance_2024_final"])
def test_the_contents_lists_the_report_tables_in_printed_order(name: str) -> None:
    path = REAL / f"{name}.pdf"
    report = _parse(path)
    listed = [e for e in report.contents if is_table_entry(e) and not (e.number or "").startswith("第")]
    titles = [e.title for e in listed if e.title not in ("部门预算表",)]
    assert titles == _truth_titles(path)
    assert {e.source_page for e in report.contents} == {2}  # both print the 目录 on their second page
    assert all(e.page is None for e in report.contents)  # neither prints page numbers in it
    assert any(e.title == "名词解释" or "情况说明" in e.title for e in report.contents)  # prose chapters too


def test_an_entry_with_dot_leaders_and_its_page() -> None:
    e = _entry("五、一般公共预算拨款支出预算表.........................................13", 2)
    assert e is not None and (e.number, e.title, e.page, e.source_page) == ("五、", "一般公共预算拨款支出预算表", 13, 2)
    e = _entry("第二部分2026年度部门预算表............... 6", 3)
    assert e is not None and (e.number, e.title, e.page) == ("第二部分", "2026年度部门预算表", 6)
    e = _entry("4．2026年部门财政拨款收支预算总表………………………………", 2)
    assert e is not None and (e.number, e.title, e.page) == ("4．", "2026年部门财政拨款收支预算总表", None)
    assert _entry("- 1 -", 2) is None
    e = _entry("一、一般公共预算支出情况表（按功能分类科目）", 2)
    assert e is not None and is_table_entry(e)
    e = _entry("三、名词解释", 2)
    assert e is not None and not is_table_entry(e)
