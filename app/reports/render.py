"""A PDF page as a PNG (pypdfium2), with translucent boxes drawn over bboxes and a legend (Pillow).

Boxes are in PDF points with the origin at the top-left of the page (pdfplumber's x0, top, x1,
bottom); the image is the page at `dpi`, so a point is `dpi / 72` pixels."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

BBox = tuple[float, float, float, float]
PDFIUM = threading.Lock()  # PDFium is not thread-safe: one call into it at a time per process

# One colour per role: what a finding checked, what it was compared with, anything else asked for.
COLOURS: dict[str, tuple[int, int, int]] = {
    "checked": (220, 38, 38),
    "compared": (37, 99, 235),
    "selected": (234, 179, 8),
}
LABELS = {"checked": "checked figure", "compared": "compared figure", "selected": "selected"}
FILL_ALPHA = 70
PAD = 1.5  # points around a box, so the outline does not cover the digits


@dataclass(frozen=True)
class Box:
    bbox: BBox
    role: str  # a key of COLOURS


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            return [doc[i].get_size() for i in range(len(doc))]
        finally:
            doc.close()


def render_page(pdf: bytes, page: int, dpi: int, boxes: list[Box]) -> bytes:
    """Page `page` (1-based) of `pdf` as PNG bytes, with `boxes` drawn over it."""
    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            pg = doc[page - 1]
            image = pg.render(scale=dpi / 72).to_pil().convert("RGB")
            pg.close()
        finally:
            doc.close()
    if boxes:
        image = _draw(image, dpi / 72, boxes)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _draw(image: Image.Image, scale: float, boxes: list[Box]) -> Image.Image:
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for b in boxes:
        x0, top, x1, bottom = b.bbox
        rect = ((x0 - PAD) * scale, (top - PAD) * scale, (x1 + PAD) * scale, (bottom + PAD) * scale)
        r, g, bl = COLOURS[b.role]
        draw.rectangle(rect, fill=(r, g, bl, FILL_ALPHA), outline=(r, g, bl, 220), width=max(1, round(scale)))
    _legend(draw, image.size, sorted({b.role for b in boxes}, key=list(COLOURS).index), scale)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _legend(draw: ImageDraw.ImageDraw, size: tuple[int, int], roles: list[str], scale: float) -> None:
    """A key in the bottom-right corner, where report pages keep their margin."""
    font = ImageFont.load_default(size=max(11, round(9 * scale)))
    line = max(14, round(12 * scale))
    width = max(round(draw.textlength(LABELS[r], font=font)) for r in roles) + line + 16
    height = line * len(roles) + 10
    x, y = size[0] - width - 8, size[1] - height - 8
    draw.rectangle((x, y, x + width, y + height), fill=(255, 255, 255, 235), outline=(90, 90, 90, 255))
    for n, role in enumerate(roles):
        r, g, b = COLOURS[role]
        top = y + 5 + n * line
        draw.rectangle((x + 5, top + 1, x + 5 + line - 4, top + line - 3), fill=(r, g, b, 160),
                       outline=(r, g, b, 255))
        draw.text((x + line + 8, top), LABELS[role], fill=(30, 30, 30, 255), font=font)


class PageCache:
    """A small LRU of rendered pages, bounded in bytes, safe across request threads."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size -= len(old) if old else 0
            self._items[key] = data
            self._size += len(data)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)
