"""A table's grid as a front end draws it: rows of cells with text, the parsed amount, spans and the
box, each row with its page's size. Built from the parsed table (`grid` + `layout`), nothing stored.

A cell a printed text spans is not repeated: the spanning cell says `colspan`/`rowspan` and the
cells it covers are left out, so an absent cell is merged and a cell with `text: null` is empty.
A header cell spans the header rows below it where its columns print nothing."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.parsing import model as pm
from app.parsing.amounts import looks_decimal, parse_amount
from app.parsing.codes import code_cell

ROW_NUMBER_DIGITS = 2  # 行次 1, 2, … 99
BBOX = "x0, top, x1, bottom in PDF points (1/72 inch) from the page's top-left corner"


class GridCellOut(BaseModel):
    col: int = Field(description="0-based column the cell starts in")
    colspan: int = Field(description="columns the cell spans (the cells it covers are left out of the row)")
    rowspan: int = Field(description="rows the cell spans (the cells it covers are left out of those rows)")
    text: str | None = Field(description="the printed text; null: an empty cell", examples=["人员经费"])
    amount: str | None = Field(description="the text as an amount where it is one (a body cell of a value column): "
                                           "decimal string, exact as printed, in the table's unit",
                               examples=["2922.80"])
    bbox: list[float] = Field(description=f"the cell (its column's width, its rows' text band): {BBOX}")


class GridRowOut(BaseModel):
    page: int = Field(description="1-based page the row is printed on")
    page_width: float | None = Field(description="that page's width in points, to place the bboxes")
    page_height: float | None = Field(description="that page's height in points")
    header: bool = Field(description="a header row")
    cells: list[GridCellOut] = Field(description="the row's cells left to right, spanned ones once")


def _is_value_text(text: str | None) -> bool:
    """Text that is an amount and cannot be a code or a row number."""
    if not text or parse_amount(text) is None:
        return False
    digits = text.strip().lstrip("-(（")
    return looks_decimal(text) or (code_cell(text) is None and len(digits) > ROW_NUMBER_DIGITS)


def _blocks(layout: list[pm.GridRow]) -> list[list[int]]:
    """Row indexes by page (each page's part of the table has its own columns)."""
    out: list[list[int]] = []
    for i, row in enumerate(layout):
        if out and layout[out[-1][-1]].page == row.page and len(layout[out[-1][-1]].columns) == len(row.columns):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def grid_rows(table: pm.Table, page_sizes: list[tuple[float, float]]) -> list[GridRowOut]:
    layout = table.layout
    if len(layout) != len(table.grid):
        return []  # parsed before layouts were kept
    rows: list[GridRowOut] = []
    for block in _blocks(layout):
        rows.extend(_block_rows(table.grid, layout, block, page_sizes))
    return rows


def _block_rows(grid: list[list[str | None]], layout: list[pm.GridRow], block: list[int],
                page_sizes: list[tuple[float, float]]) -> list[GridRowOut]:
    ncols = len(layout[block[0]].columns)
    text = [[(grid[i][c] if c < len(grid[i]) else None) for c in range(ncols)] for i in block]
    spans = [list(layout[i].colspans) for i in block]
    value_cols = {c for r, i in enumerate(block) if not layout[i].header for c in range(ncols)
                  if _is_value_text(text[r][c])}
    rowspan = [[1] * ncols for _ in block]
    covered = [[spans[r][c] == 0 for c in range(ncols)] for r in range(len(block))]
    starts = [[c for c in range(ncols) if spans[r][c] > 0] for r in range(len(block))]
    # a header cell reaches down over the header rows printing nothing in its columns
    for r in range(len(block)):
        if not layout[block[r]].header:
            continue
        for c in starts[r]:
            width = spans[r][c]
            if not any(text[r][c:c + width]) or covered[r][c]:
                continue

            def free(k: int, c: int = c, width: int = width) -> bool:
                return layout[block[k]].header and all(
                    not text[k][j] and not covered[k][j] and spans[k][j] == 1 for j in range(c, c + width))

            below = r + 1
            while below < len(block) and free(below):
                below += 1
            for k in range(r + 1, below):
                for j in range(c, c + width):
                    covered[k][j] = True
            rowspan[r][c] = below - r
    out = []
    for r, i in enumerate(block):
        g = layout[i]
        size: tuple[float | None, float | None] = page_sizes[g.page - 1] if g.page <= len(page_sizes) else (None, None)
        cells = []
        for c in range(ncols):
            if covered[r][c]:
                continue
            w, h = spans[r][c], rowspan[r][c]
            value = " ".join(t for t in text[r][c:c + w] if t) or None
            amount = parse_amount(value) if value and not g.header and c in value_cols else None
            bottom = layout[block[r + h - 1]].bottom
            cells.append(GridCellOut(col=c, colspan=w, rowspan=h, text=value,
                                     amount=None if amount is None else format(amount, "f"),
                                     bbox=[g.columns[c][0], g.top, g.columns[c + w - 1][1], bottom]))
        out.append(GridRowOut(page=g.page, page_width=size[0], page_height=size[1], header=g.header, cells=cells))
    return out
