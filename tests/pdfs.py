"""PDFs the tests build themselves with reportlab (STSong-Light renders Chinese without font files)."""

from __future__ import annotations

import io

from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def text_pdf(lines: list[str], *, encrypt_with: str | None = None) -> bytes:
    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(encrypt_with, canPrint=0) if encrypt_with else None
    c = canvas.Canvas(buf, pagesize=A4, encrypt=enc)
    c.setFont(FONT, 12)
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 20
    c.save()
    return buf.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan-like PDF: drawings on every page, no text layer at all."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        for i in range(40):
            c.rect(50 + i * 5, 100 + i * 10, 300, 8, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def ruled_table_pdf(title: str, unit: str, header: list[str], rows: list[list[str]],
                    col_widths: list[float]) -> bytes:
    """One ruled table with a title and a unit line, like a 部门预算 page."""
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setFont(FONT, 16)
    c.drawCentredString(width / 2, height - 60, title)
    c.setFont(FONT, 10)
    c.drawString(50, height - 85, unit)
    x0, top, row_h = 50.0, height - 95, 20.0
    xs = [x0]
    for w in col_widths:
        xs.append(xs[-1] + w)
    all_rows = [header, *rows]
    for r, cells in enumerate(all_rows):
        y = top - (r + 1) * row_h
        for i, cell in enumerate(cells):
            if not cell:
                continue
            if i >= 2 and r > 0:
                c.drawRightString(xs[i + 1] - 4, y + 6, cell)
            else:
                c.drawString(xs[i] + 4, y + 6, cell)
    bottom = top - len(all_rows) * row_h
    for r in range(len(all_rows) + 1):
        c.line(xs[0], top - r * row_h, xs[-1], top - r * row_h)
    for x in xs:
        c.line(x, top, x, bottom)
    c.save()
    return buf.getvalue()
