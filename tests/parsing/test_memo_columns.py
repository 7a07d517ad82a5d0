"""An empty 其中 column whose header ends like a name column (一般公共预算拨款 其中：专项资金列入部门
预算项目) is part of an amount, not the name column of a second side-by-side half: a 西安 2019
收入总表 read that way split every unit's row in two and raised 8 false arith.row_identity errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.parsing import parse_pdf
from app.validation import validate
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow


def _xian_2019() -> Path:
    found = sorted((SHARED_FIXTURES / "corpus").glob("211__020_西安__*.pdf"))
    need(bool(found), "the 西安 应急管理局 corpus report is absent")
    return found[0]


def test_each_unit_row_is_one_line_item_with_its_carry_over() -> None:
    report = parse_pdf(_xian_2019().read_bytes())
    income = next(t for t in report.tables if t.kind == "income" and "收入总表" in t.title)
    rows = [li for li in report.line_items if li.table_index == income.index]
    assert rows and all(li.name or li.code for li in rows)  # no nameless half-row
    assert {li.side for li in rows} == {0}
    unit = next(li for li in rows if li.code == "125001")
    cols = {v.column.split("/")[-1] for v in unit.values}
    assert {"合计", "小计", "上年结转", "上年实户资金余额"} <= cols
    errors = [f for f in validate(report).findings if f.rule_id == "arith.row_identity" and f.severity == "error"]
    assert errors == []
