"""The rules on the real fixture PDFs, parsed by our parser: every known inconsistency of the ground
truth is found (rounding as info, the rest as error/warning), no error beyond them, and a cell
changed by the smallest printed step (0.01) is noticed by the right rule."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from app.parsing import ParsedReport, parse_pdf
from app.parsing.model import LineItem
from app.validation import Finding, validate
from scripts.check_findings import is_rounding, matches
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow  # parses the real PDFs: outside the fast loop (-m "not slow")

REAL = SHARED_FIXTURES / "real"
FINANCE = REAL / "putuo_finance_2024_final.pdf"
JUSTICE = REAL / "putuo_justice_2026_dept_budget.pdf"
STEP = Decimal("0.01")


@lru_cache(maxsize=4)
def _parsed(path: Path) -> ParsedReport:
    need(path.exists(), f"fixture {path} is absent")
    return parse_pdf(path.read_bytes())


def parsed(path: Path) -> ParsedReport:
    return copy.deepcopy(_parsed(path))


def _known(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.with_suffix(".json").read_text("utf-8"))["known_inconsistencies"])


@pytest.mark.parametrize("path", [FINANCE, JUSTICE], ids=lambda p: p.stem)
def test_known_inconsistencies_are_found(path: Path) -> None:
    report = parsed(path)
    findings = validate(report).findings
    missed = []
    for k in _known(path):
        want = ("info",) if is_rounding(k) else ("error", "warning")
        if not any(matches(k, f) and f.severity in want for f in findings):
            missed.append(k)
    assert missed == []


@pytest.mark.parametrize("path", [FINANCE, JUSTICE], ids=lambda p: p.stem)
def test_no_error_beyond_the_known_inconsistencies(path: Path) -> None:
    findings = validate(parsed(path)).findings
    known = _known(path)
    unexpected = [f.message for f in findings if f.severity == "error" and not any(matches(k, f) for k in known)]
    assert unexpected == []


@pytest.mark.parametrize("path", [FINANCE, JUSTICE], ids=lambda p: p.stem)
def test_no_rule_fails_internally(path: Path) -> None:
    skipped = validate(parsed(path)).rules_skipped
    assert [s for s in skipped if s.reason.startswith("internal error")] == []


def _bump(report: ParsedReport, pred: Any, column: str | None = None, step: Decimal = STEP) -> LineItem:
    """Add one printed step to the first cell (of a column) of the first row matching pred."""
    for li in report.line_items:
        if pred(li, report):
            for n, v in enumerate(li.values):
                if column is None or v.column == column:
                    li.values[n] = replace(v, amount=v.amount + step)
                    return li
    pytest.skip("the parser did not yield the row to mutate")


def _title(li: LineItem, r: ParsedReport, *words: str) -> bool:
    return all(w in r.tables[li.table_index].title for w in words)


def _new(before: list[Finding], after: list[Finding]) -> list[Finding]:
    key = [
        (f.rule_id, f.location.table_index, f.location.code, f.location.row_label, f.location.column, f.difference)
        for f in before
    ]
    return [
        f
        for f in after
        if (f.rule_id, f.location.table_index, f.location.code, f.location.row_label, f.location.column, f.difference)
        not in key
    ]


def test_one_cent_in_the_96_million_yuan_budget_total_is_an_error() -> None:
    report = parsed(JUSTICE)
    before = validate(report).findings
    _bump(report, lambda li, r: _title(li, r, "支出预算总表") and li.row_kind == "total" and not li.code)
    new = _new(before, validate(report).findings)
    assert {f.rule_id for f in new if f.severity == "error"} >= {"arith.total_row", "arith.row_identity"}


def test_one_cent_in_a_yuan_subject_row_is_caught_three_ways() -> None:
    report = parsed(JUSTICE)
    before = validate(report).findings
    _bump(report, lambda li, r: _title(li, r, "支出预算总表") and li.code == "2040601", column=None)
    new = [f for f in _new(before, validate(report).findings) if f.severity == "error"]
    rules = {f.rule_id for f in new}
    assert {"arith.hierarchy_sum", "arith.row_identity"} <= rules
    assert any(f.location.code == "20406" for f in new if f.rule_id == "arith.hierarchy_sum")


def test_one_cent_in_a_wanyuan_leaf_is_noticed_as_rounding() -> None:
    report = parsed(FINANCE)
    before = validate(report).findings
    _bump(
        report,
        lambda li, r: _title(li, r, "支出决算表") and not _title(li, r, "一般公共") and li.code == "2010601",
        column="本年支出合计",
    )
    new = _new(before, validate(report).findings)
    assert any(f.rule_id == "arith.hierarchy_sum" and f.location.code == "20106" and f.severity == "info" for f in new)


def test_one_cent_in_a_wanyuan_total_row_is_noticed() -> None:
    report = parsed(FINANCE)
    before = validate(report).findings
    _bump(report, lambda li, r: _title(li, r, "收入决算表") and li.row_kind == "total", column="其他收入")
    new = _new(before, validate(report).findings)
    assert any(f.rule_id == "arith.total_row" for f in new)


@pytest.mark.slow
def test_every_yuan_cell_of_the_expenditure_table_is_guarded() -> None:
    """+0.01 元 in any non-empty cell of 2026年部门支出预算总表 brings a new error."""
    base = _parsed(JUSTICE) if JUSTICE.exists() else None
    need(base is not None, "fixture absent")
    assert base is not None
    before = validate(base).findings
    rows = [(n, li) for n, li in enumerate(base.line_items) if "支出预算总表" in base.tables[li.table_index].title]
    if not rows:
        pytest.skip("the parser did not yield the expenditure table")
    silent = []
    for n, li in rows:
        for k, v in enumerate(li.values):
            if v.amount == 0:
                continue
            report = copy.deepcopy(base)
            report.line_items[n].values[k] = replace(v, amount=v.amount + STEP)
            if not any(f.severity == "error" for f in _new(before, validate(report).findings)):
                silent.append(f"{li.code or li.name} {v.column}")
    assert silent == []


@pytest.mark.parametrize("path", [FINANCE, JUSTICE], ids=lambda p: p.stem)
def test_rules_alone_on_ground_truth_tables(path: Path) -> None:
    """Tables rebuilt from the ground truth (a perfect parser), narrative read from the PDF: the
    rules find every known inconsistency and raise no other error, whatever the table parser does."""
    need(path.exists(), f"fixture {path} is absent")
    from tests.validation.gt_report import gt_report

    findings = validate(gt_report(path.with_suffix(".json"))).findings
    known = _known(path)
    for k in known:
        want = ("info",) if is_rounding(k) else ("error", "warning")
        assert any(matches(k, f) and f.severity in want for f in findings), k
    assert [f.message for f in findings if f.severity == "error" and not any(matches(k, f) for k in known)] == []
