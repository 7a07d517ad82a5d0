"""The reference backend: pdfplumber (pdfminer.six). Slower than pdfium; kept to check the
default backend against (`PDF_BACKEND=pdfplumber`)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pdfplumber

from app.parsing.errors import PdfEncrypted, PdfUnreadable
from app.parsing.pages.model import RGB, Glyph, Path, RawPage, baseline_box


def rgb(color: Any) -> RGB | None:
    """A pdfminer colour (gray, RGB or CMYK components, 0..1) as RGB; patterns are unknown."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)):
        return None
    try:
        v = [float(c) for c in color]
    except (TypeError, ValueError):
        return None
    if len(v) == 1:
        return (v[0], v[0], v[0])
    if len(v) == 3:
        return (v[0], v[1], v[2])
    if len(v) == 4:
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


class PlumberDocument:
    backend = "pdfplumber"

    def __init__(self, data: bytes) -> None:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psexceptions import PSException

        try:
            self._pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException(cause)
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise PdfEncrypted("the PDF is encrypted with a password and cannot be read") from exc
            if isinstance(cause, (PDFSyntaxError, PSException)):
                raise PdfUnreadable(f"the PDF is truncated or corrupt: {cause}") from exc
            raise PdfUnreadable(f"the PDF is truncated or corrupt: {type(cause).__name__}: {cause}") from exc

    def __len__(self) -> int:
        return len(self._pdf.pages)

    def close(self) -> None:
        self._pdf.close()

    def pages(self) -> Iterator[RawPage]:
        for i, page in enumerate(self._pdf.pages, 1):
            try:
                yield read_page(page, i)
            finally:
                page.close()  # drops the page's cached layout objects


def page_glyphs(doc: PlumberDocument, i: int) -> list[Glyph]:
    """The glyphs of page i (0-based) alone."""
    page = doc._pdf.pages[i]
    try:
        return [_glyph(c) for c in page.chars]
    finally:
        page.close()


def _glyph(c: dict[str, Any]) -> Glyph:
    size = float(c["size"])
    top, bottom = float(c["top"]), float(c["bottom"])
    m = c.get("matrix")
    if m and size > 0 and abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6 and m[0] > 0 and m[3] > 0:
        # the char's box from its baseline: fonts disagree wildly about their boxes
        top, bottom = baseline_box(bottom + float(c["y0"]) - float(m[5]), size)
    return Glyph(
        str(c["text"]),
        float(c["x0"]),
        top,
        float(c["x1"]),
        bottom,
        size,
        bool(c.get("upright", True)),
        rgb(c.get("non_stroking_color")),
    )


def _path(o: dict[str, Any], points: list[tuple[float, float]]) -> Path:
    return Path(
        tuple(points),
        bool(o.get("stroke")),
        bool(o.get("fill")),
        rgb(o.get("stroking_color")),
        rgb(o.get("non_stroking_color")),
    )


def read_page(page: Any, number: int) -> RawPage:
    objs = page.objects
    paths: list[Path] = []
    for o in objs.get("line", []):
        paths.append(_path(o, [(float(x), float(y)) for x, y in o["pts"]]))
    for o in objs.get("rect", []):
        x0, top, x1, bottom = float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])
        paths.append(_path(o, [(x0, top), (x1, top), (x1, bottom), (x0, bottom), (x0, top)]))
    for o in objs.get("curve", []):
        paths.append(_path(o, [(float(x), float(y)) for x, y in o["pts"]]))
    glyphs = [_glyph(c) for c in objs.get("char", [])]
    return RawPage(number, float(page.width), float(page.height), glyphs, paths, len(objs.get("image", [])))
