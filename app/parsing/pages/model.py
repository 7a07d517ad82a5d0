"""What a PDF backend delivers for one page: glyphs and painted paths, top-left origin, points.

Both backends (`pdfium`, the default, and `plumber`, the reference) fill these same shapes, so
every later stage reads one page model whatever library parsed the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.parsing.pages.ocr import OcrRead

RGB = tuple[float, float, float]  # 0..1

WHITE_LEVEL = 0.95  # a colour whose every RGB component reaches this is white on paper


def is_white(color: RGB | None) -> bool:
    """Whether a colour prints as white (no colour known is not white)."""
    return color is not None and min(color) >= WHITE_LEVEL


@dataclass(slots=True)
class Glyph:
    """One printed character. `top`/`bottom` come from the baseline (`bottom` = baseline +
    descent share of the size, `top` = `bottom` - size) for upright text, so glyphs of fonts that
    disagree about their boxes still share a line; `x0`/`x1` span the glyph's advance."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True
    fill: RGB | None = None


@dataclass(slots=True)
class Path:
    """One painted subpath: its points (curve control points included), paint and colours."""

    points: tuple[tuple[float, float], ...]
    stroke: bool
    fill: bool
    stroke_color: RGB | None = None
    fill_color: RGB | None = None

    @property
    def visible(self) -> bool:
        stroked = self.stroke and not is_white(self.stroke_color)
        return stroked or (self.fill and not is_white(self.fill_color))

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(slots=True)
class RawPage:
    """One page as a backend read it (1-based `number`)."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    paths: list[Path]
    images: int = 0
    ocr: OcrRead | None = None  # set when the page has no text layer and OCR read its image


DESCENT = 0.12  # share of the font size below the baseline


def baseline_box(baseline: float, size: float) -> tuple[float, float]:
    """(top, bottom) of a glyph of this size standing on this baseline (top-left origin)."""
    bottom = baseline + DESCENT * size
    return bottom - size, bottom
