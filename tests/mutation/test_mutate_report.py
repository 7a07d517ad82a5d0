"""The mutation harness on a real report: one printed figure changed in the PDF (its glyphs
removed, another number printed in their place) is read back as that figure alone, every other
page keeps its content byte for byte, and the rule that checks the figure fires at its row."""

from __future__ import annotations

import io
from decimal import Decimal

import pikepdf
import pytest

from app.parsing import parse_pdf
from app.validation import validate
from scripts.mutate_report import Target, find_glyphs, replace_glyphs, run_mutation
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow  # parses a real PDF three times

JUSTICE = SHARED_FIXTURES / "real" / "putuo_justice_2026_dept_budget.pdf"


def _pages(data: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [b"".join(c.read_bytes() for c in p.obj.Contents.wrap_in_array()) for p in pdf.pages]


def test_a_changed_figure_is_caught_by_the_rule_that_sums_it() -> None:
    need(JUSTICE.exists(), f"fixture {JUSTICE} is absent")
    data = JUSTICE.read_bytes()
    original = parse_pdf(data)
    before = validate(original).findings
    # a 项 row of the expenditure table (its 款 sums it) and the same table's total row
    table = next(t for t in original.tables if t.kind == "expenditure")
    rows = [(n, li) for n, li in enumerate(original.line_items) if li.table_index == table.index and li.values]
    leaf = next((n, li) for n, li in rows if len(li.code or "") == 7 and li.values[0].amount > 0)
    total = next((n, li) for n, li in rows if li.row_kind == "total" and li.values[0].amount > 0)
    for (n, li), kind, rule in ((leaf, "+1", "arith.hierarchy_sum"), (total, "swap", "arith.total_row")):
        v = li.values[0]
        assert v.bbox is not None
        result = run_mutation(data, original, before, Target(table.index, n, 0, li.page, v.bbox), kind)
        assert result["outcome"] == "caught", result
        assert result["located"] is True
        assert any(r.startswith(rule + ":") for r in result["new_rules"]), result

    n, li = leaf
    v = li.values[0]
    assert v.bbox is not None
    glyphs = find_glyphs(data, li.page, v.bbox)
    assert Decimal(glyphs.text.replace(",", "")) == v.amount
    mutated = replace_glyphs(data, li.page, glyphs, "1.00")
    old, new = _pages(data), _pages(mutated)
    assert len(old) == len(new)
    assert [k for k in range(len(old)) if old[k] != new[k]] == [li.page - 1]
