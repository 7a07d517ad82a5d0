"""Where each grid row and cell is printed, for a front end to draw the table as printed: the row's
page and band, each column's x-extent, and which cells a printed text spans.

A word sits in the column holding its centre; a header printed across several columns (支出功能分类
科目 over 科目编码 and 科目名称, 基本支出 over 人员经费 and 公用经费) reaches into its empty neighbours,
so the cell spans every empty column its text overlaps. In a ruled table the printed rules decide: a
header cell reaches, over empty columns, to the vertical rules on either side of its text that run
through the row (财政拨款“三公”经费 over all twelve columns of its table, not the two its text is centred
on). Without rules the widening whose middle is nearest the text's centre is taken. (Rows a header
spans are found by the reader of the layout, from the empty header cells above and below it:
app/reports/grid.py.)"""

from __future__ import annotations

from collections.abc import Sequence

from app.parsing.grid import Row
from app.parsing.model import GridRow
from app.parsing.reader import VRule

OVERLAP = 2.0  # points a text must reach into a neighbouring column to span it


def colspans(row: Row, columns: list[tuple[float, float]], vrules: Sequence[VRule] = ()) -> list[int]:
    """Per column: n ≥ 1 where a cell starts (spanning n columns), 0 where a cell to its left covers it.

    A text spans the empty columns it reaches into; a header text, printed centred over the columns
    it heads, also the empty columns around it that put its centre nearest the middle of its span."""
    n = len(columns)
    out = [1] * n
    for c in range(n):
        words = row.cells[c]
        if not words or out[c] == 0:
            continue
        x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
        lo = c
        while lo > 0 and not row.cells[lo - 1] and out[lo - 1] == 1 and x0 < columns[lo - 1][1] - OVERLAP:
            lo -= 1
        hi = c
        while hi < n - 1 and not row.cells[hi + 1] and x1 > columns[hi + 1][0] + OVERLAP:
            hi += 1
        if row.header:
            ruled = _between_rules(row, columns, out, vrules, x0, x1, lo, hi)
            lo, hi = ruled or _centred(row, columns, out, (x0 + x1) / 2, lo, hi)
        for k in range(lo, hi + 1):
            out[k] = 0
        out[lo] = hi - lo + 1
    return out


def _between_rules(row: Row, columns: list[tuple[float, float]], out: list[int], vrules: Sequence[VRule],
                   x0: float, x1: float, lo: int, hi: int) -> tuple[int, int] | None:
    """[lo, hi] widened over free empty columns up to the vertical rules either side of the text that
    run through the row; None when the row has no rule on both sides (an unruled table)."""
    through = [r.x for r in vrules if r.top <= row.top + OVERLAP and r.bottom >= row.bottom - OVERLAP]
    left = [x for x in through if x <= x0 + OVERLAP]
    right = [x for x in through if x >= x1 - OVERLAP]
    if not left or not right:
        return None
    a, b = max(left), min(right)
    while lo > 0 and not row.cells[lo - 1] and out[lo - 1] == 1 and columns[lo - 1][0] >= a - OVERLAP * 2:
        lo -= 1
    while hi < len(columns) - 1 and not row.cells[hi + 1] and columns[hi + 1][1] <= b + OVERLAP * 2:
        hi += 1
    return lo, hi


def _centred(row: Row, columns: list[tuple[float, float]], out: list[int], centre: float, lo: int,
             hi: int) -> tuple[int, int]:
    """The widening of [lo, hi] over free empty columns whose middle is nearest `centre`."""
    first = lo
    while first > 0 and not row.cells[first - 1] and out[first - 1] == 1:
        first -= 1
    last = hi
    while last < len(columns) - 1 and not row.cells[last + 1]:
        last += 1

    def miss(span: tuple[int, int]) -> float:
        return abs((columns[span[0]][0] + columns[span[1]][1]) / 2 - centre)

    best = (lo, hi)
    for a in range(first, lo + 1):
        for b in range(hi, last + 1):
            if miss((a, b)) < miss(best) - OVERLAP:
                best = (a, b)
    return best


def row_layout(page: int, row: Row, columns: list[tuple[float, float]], vrules: Sequence[VRule] = ()) -> GridRow:
    return GridRow(page=page, top=round(row.top, 2), bottom=round(row.bottom, 2), header=row.header,
                   columns=[(round(a, 2), round(b, 2)) for a, b in columns],
                   colspans=colspans(row, columns, vrules))
