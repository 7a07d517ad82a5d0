"""A difference within rounding is 尾数 (info) unless the report's other sums say its figures were
not rounded cell by cell and every difference lies on one printed figure (app/validation/rounding.py)."""

from __future__ import annotations

import pytest

from app.parsing import parse_pdf
from app.validation import validate
from app.validation.common import ROUNDING_NOTE
from scripts.mutate_report import Target, run_mutation
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow  # parses real reports

CORPUS = SHARED_FIXTURES / "corpus"


def _corpus(prefix: str):  # type: ignore[no-untyped-def]
    need(CORPUS.is_dir(), f"corpus {CORPUS} is absent")
    found = sorted(CORPUS.glob(prefix + "*.pdf"))
    need(bool(found), f"no corpus report {prefix}*")
    return found[0]


def test_one_figure_off_by_one_unit_in_a_report_that_adds_up_exactly_is_a_warning() -> None:
    # a 元 budget whose sums all agree exactly: +1 元 on one figure is within the rounding of
    # whole 元 but lies alone on that figure, so it is no 尾数
    path = _corpus("001__")
    data = path.read_bytes()
    original = parse_pdf(data)
    before = validate(original).findings
    assert not [f for f in before if f.severity == "info" and f.message.endswith(ROUNDING_NOTE)]
    table = next(t for t in original.tables if t.kind == "expenditure")
    n, li = next((n, li) for n, li in enumerate(original.line_items)
                 if li.table_index == table.index and len(li.code or "") == 7 and li.values and li.values[0].amount > 0)
    v = li.values[0]
    assert v.bbox is not None
    result = run_mutation(data, original, before, Target(table.index, n, 0, li.page, v.bbox), "+1")
    assert result["outcome"] == "caught", result
    assert result["located"] is True
    assert "arith.hierarchy_sum:warning" in result["new_rules"], result
    assert not any(r.endswith(":info") for r in result["new_rules"]), result


def test_rounding_differences_on_different_figures_stay_info() -> None:
    # 万元 tables whose economic classes differ from their items by 0.01 in several places
    # (each a different figure) in a report whose other sums agree: rounding explains them
    report = parse_pdf(_corpus("105__").read_bytes())
    table_infos = [f for f in validate(report).findings if f.rule_id.startswith(("arith.", "cross."))
                   and f.message.endswith(ROUNDING_NOTE)]
    assert len(table_infos) >= 2
    assert all(f.severity == "info" for f in table_infos)
    assert not [f for f in validate(report).findings if "不似四舍五入" in f.message]
