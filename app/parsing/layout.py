"""Where each grid row and cell is printed, for a front end to draw the table as printed: the row's
page and band, each column's x-extent, and which cells a printed text spans.

A word sits in the column holding its centre; a header printed across several columns (支出功能分类
科目 over 科目编码 and 科目名称, 基本支出 over 人员经费 and 公用经费) reaches into its empty neighbours,
so the cell spans every empty column its text overlaps. (Rows a header spans are found by the
reader of the layout, from the empty header cells above and below it: app/reports/grid.py.)"""

from __future__ import annotations

from app.parsing.grid import Row
from app.parsing.model import GridRow

OVERLAP = 2.0  # points a text must reach into a neighbouring column to span it


def colspans(row: Row, columns: list[tuple[float, float]]) -> list[int]:
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
            lo, hi = _centred(row, columns, out, (x0 + x1) / 2, lo, hi)
        for k in range(lo, hi + 1):
            out[k] = 0
        out[lo] = hi - lo + 1
    return out


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


def row_layout(page: int, row: Row, columns: list[tuple[float, float]]) -> GridRow:
    return GridRow(page=page, top=round(row.top, 2), bottom=round(row.bottom, 2), header=row.header,
                   columns=[(round(a, 2), round(b, 2)) for a, b in columns], colspans=colspans(row, columns))
