"""When a difference within rounding is no 尾数: the report's other sums say its figures were not
rounded cell by cell.

A difference within rounding is 尾数 when the report's figures are each the rounding of a true
amount; then about one sum of two rounded figures in four differs somewhere. A report whose
tables add up exactly in every other place (many sums, none off) was not rounded that way: its
totals were added from the printed parts, or its amounts are whole. If, in such a report, every
difference found lies on one printed figure (each differing comparison reads that cell), that
figure is far more likely misprinted than rounded: the table rules' 尾数 findings become warnings
naming it. Where the differences lie on different figures, or the report's sums differ in many
places, rounding explains them and they stay `info`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import reduce

from app.validation.common import ROUNDING_NOTE, fmt
from app.validation.model import Finding
from app.validation.tolerance import Tally

TABLE_FAMILIES = ("arith.", "cross.")  # the rules that compare printed table figures
# exact sums of two or more rounded figures that independent rounding would leave all exact with a
# chance of 0.75^30 ≈ 0.02%
MIN_EXACT_SUMS = 30
MIN_DIFFERING = 2  # comparisons the one figure must upset (its row's and its column's sums)


def lone_figure(tallies: dict[str, Tally]) -> tuple[Decimal, str | None, int] | None:
    """(value, unit, exact sums) of the one printed figure every rounding difference reads, when
    the report's other sums of rounded figures all agree; None otherwise."""
    table = [t for rule_id, t in tallies.items() if rule_id.startswith(TABLE_FAMILIES)]
    exact = sum(t.exact for t in table)
    differing = [cells for t in table for cells in t.rounded]
    if exact < MIN_EXACT_SUMS or len(differing) < MIN_DIFFERING:
        return None
    common = reduce(frozenset.intersection, differing)
    if len(common) != 1:
        return None  # on different figures (or on several alike): rounding, or no one figure to name
    (cell,) = common
    fig = next(t.cells[cell] for t in table if cell in t.cells)
    return fig.value, fig.unit, exact


def regrade(findings: list[Finding], tallies: dict[str, Tally]) -> list[Finding]:
    """The table rules' 尾数 findings as warnings when they all lie on one figure of a report
    whose other sums agree exactly (`lone_figure`); the findings unchanged otherwise."""
    lone = lone_figure(tallies)
    if lone is None:
        return findings
    value, unit, exact = lone
    note = (f"（本报告其余 {exact} 处加总均无尾数差异，各处差异都落在同一数字 {fmt(value)}"
            f"{unit or ''} 上：不似四舍五入，疑为印错）")
    return [
        replace(f, severity="warning", message=f.message.removesuffix(ROUNDING_NOTE) + note)
        if f.severity == "info" and f.rule_id.startswith(TABLE_FAMILIES) and f.message.endswith(ROUNDING_NOTE)
        else f
        for f in findings
    ]
