"""Figures read by OCR: each amount of a line item printed on a scanned page is marked
`source="ocr"` with the confidence of its least sure character (docs/ocr.md)."""

from __future__ import annotations

from dataclasses import replace

from app.parsing.model import CellValue, LineItem
from app.parsing.pages.ocr import OcrRead

_MARGIN = 1.0  # points: a character whose centre lies this close outside a cell still belongs to it


def cell_confidence(read: OcrRead, bbox: tuple[float, float, float, float] | None) -> float | None:
    """The lowest confidence among the OCR characters inside the box (None: none inside)."""
    if bbox is None:
        return None
    x0, top, x1, bottom = bbox
    confs = [c for a, t, b, d, c in read.chars
             if x0 - _MARGIN <= (a + b) / 2 <= x1 + _MARGIN and top - _MARGIN <= (t + d) / 2 <= bottom + _MARGIN]
    return min(confs) if confs else None


def mark_ocr_values(items: list[LineItem], reads: dict[int, OcrRead]) -> None:
    """Every value of a row printed on an OCR page takes source "ocr" and its cell's confidence."""
    if not reads:
        return
    for li in items:
        read = reads.get(li.page)
        if read is None:
            continue
        li.values = [_marked(v, read) for v in li.values]


def _marked(v: CellValue, read: OcrRead) -> CellValue:
    conf = cell_confidence(read, v.bbox)
    return replace(v, source="ocr", confidence=round(conf, 4) if conf is not None else 0.0)
