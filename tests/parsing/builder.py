"""Table pages the parsing tests build with reportlab (STSong-Light renders Chinese).

`TableSpec` describes one printed table: a title, meta lines, header rows of spanned cells,
body rows (a cell may hold two lines to wrap a name), and which rules to draw.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE = 9


@dataclass
class TableSpec:
    title: str | None
    widths: list[float]
    header: list[list[tuple[str, int, int]]]  # per header row: (text, first column, last column)
    body: list[list[str]]  # "\n" in a cell wraps it onto two lines
    meta: list[str] = field(default_factory=list)
    value_from: int = 2  # columns from here on are right-aligned figures
    vrules: bool = True
    hrules: bool = True
    x0: float = 50.0
    row_h: float = 18.0


def _draw_table(c: canvas.Canvas, spec: TableSpec, top: float, page_w: float) -> float:
    """Draw at `top` (reportlab y, bottom-left origin); return the y below the table."""
    y = top
    if spec.title:
        c.setFont(FONT, 15)
        c.drawCentredString(page_w / 2, y - 15, spec.title)
        y -= 28
    c.setFont(FONT, SIZE)
    for line in spec.meta:
        c.drawString(spec.x0, y - SIZE, line)
        y -= 16
    y -= 4
    xs = [spec.x0]
    for w in spec.widths:
        xs.append(xs[-1] + w)
    grid_top = y
    row_tops: list[float] = []
    for hrow in spec.header:
        row_tops.append(y)
        for text, first, last in hrow:
            c.drawCentredString((xs[first] + xs[last + 1]) / 2, y - spec.row_h + 6, text)
        y -= spec.row_h
    for row in spec.body:
        h = spec.row_h * (1.6 if any("\n" in cell for cell in row) else 1.0)
        row_tops.append(y)
        for i, cell in enumerate(row):
            lines = cell.split("\n")
            for k, part in enumerate(lines):
                base = y - 12 - k * 11 if len(lines) > 1 else y - h + 6
                if i >= spec.value_from:
                    c.drawRightString(xs[i + 1] - 3, base, part)
                else:
                    c.drawString(xs[i] + 3, base, part)
        y -= h
    row_tops.append(y)
    if spec.hrules:
        for ry in row_tops:
            c.line(xs[0], ry, xs[-1], ry)
    else:  # a three-line table: rules only above the header, under it and at the bottom
        for ry in (grid_top, row_tops[len(spec.header)], y):
            c.line(xs[0], ry, xs[-1], ry)
    if spec.vrules:  # header rows: only at their cells' edges; body rows: every column edge
        body_top = row_tops[len(spec.header)]
        for x in xs:
            c.line(x, body_top, x, y)
        for r, hrow in enumerate(spec.header):
            edges = {xs[first] for _, first, _ in hrow} | {xs[last + 1] for _, _, last in hrow} | {xs[0], xs[-1]}
            for x in edges:
                c.line(x, row_tops[r], x, row_tops[r] - spec.row_h)
    return y


def build_pdf(pages: list[list[TableSpec]], *, landscape_pages: bool = True, cover: str | None = None) -> bytes:
    """A PDF with an optional cover line, then each page's tables drawn top to bottom."""
    buf = io.BytesIO()
    size = landscape(A4) if landscape_pages else A4
    w, h = size
    c = canvas.Canvas(buf, pagesize=size)
    if cover:
        c.setFont(FONT, 20)
        c.drawCentredString(w / 2, h / 2, cover)
        c.showPage()
    for tables in pages:
        y = h - 40
        for spec in tables:
            y = _draw_table(c, spec, y, w) - 30
        c.showPage()
    c.save()
    return buf.getvalue()
