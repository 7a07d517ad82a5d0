"""One page as the performance stage sees it: de-duplicated words with boxes and ruling lines.

Built from pdfplumber's cached `page.chars`, `page.rects` and `page.lines`, so reading a page
costs little once the pipeline has touched its characters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pdfplumber.page import Page

Char = tuple[str, float, float]  # text, x0, x1

RULE_THICKNESS = 2.5  # a filled rect thinner than this is a ruling line, not a shaded cell
WORD_GAP = 0.2  # a horizontal gap wider than this many font sizes ends a word
LINE_TOLERANCE = 0.35  # chars whose vertical centres differ by less than this many sizes share a line


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    chars: tuple[Char, ...] = ()

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    def split_at(self, x: float) -> tuple[Word, Word] | None:
        """The word cut at `x` (a column boundary), or None when no char lies on each side."""
        left = tuple(c for c in self.chars if (c[1] + c[2]) / 2 < x)
        right = tuple(c for c in self.chars if (c[1] + c[2]) / 2 >= x)
        if not left or not right:
            return None
        return _word(left, self.top, self.bottom, self.size), _word(right, self.top, self.bottom, self.size)


@dataclass(frozen=True)
class Rule:
    """A ruling segment: horizontal (y0 == y1 within tolerance) or vertical."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def x(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class PageView:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    hrules: list[Rule] = field(default_factory=list)
    vrules: list[Rule] = field(default_factory=list)

    def h_covering(self, x: float, top: float, bottom: float, tol: float = 1.5) -> list[float]:
        """y of the horizontal rules crossing x between top and bottom, sorted, merged."""
        ys = sorted(r.y for r in self.hrules if r.x0 - tol <= x <= r.x1 + tol and top - tol <= r.y <= bottom + tol)
        return _merge_close(ys, 2.0)


def _merge_close(values: Sequence[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _word(chars: Sequence[Char], top: float, bottom: float, size: float) -> Word:
    text = ""
    prev_x1: float | None = None
    for t, x0, x1 in chars:
        if prev_x1 is not None and x0 - prev_x1 > size * WORD_GAP and text and text[-1].isascii() and t.isascii():
            text += " "
        text += t
        prev_x1 = x1
    return Word(text, chars[0][1], chars[-1][2], top, bottom, size, tuple(chars))


def _dedupe(chars: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop chars drawn over an already kept one: doubled text layers (烟台 reports print two
    strings at the same place) and fake bold (the same glyph printed twice, shifted a little)."""
    kept: list[dict[str, Any]] = []
    grid: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for c in chars:
        if not c["text"].strip():
            continue
        w = c["x1"] - c["x0"]
        h = c["bottom"] - c["top"]
        key = (int(c["x0"] // 8), int(c["top"] // 8))
        clash = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for k in grid.get((key[0] + dx, key[1] + dy), ()):
                    dx = abs(c["x0"] + c["x1"] - k["x0"] - k["x1"]) / 2
                    dy = abs(c["top"] + c["bottom"] - k["top"] - k["bottom"]) / 2
                    if dx < 0.3 * max(w, k["x1"] - k["x0"]) and dy < 0.3 * max(h, k["bottom"] - k["top"]):
                        clash = True
                        break
                if clash:
                    break
            if clash:
                break
        if not clash:
            kept.append(c)
            grid.setdefault(key, []).append(c)
    return kept


def build_words(chars: Iterable[dict[str, Any]], vrules: Sequence[Rule] = ()) -> list[Word]:
    """Chars → words: one line by vertical centre, split at gaps and at vertical rules."""
    cs = sorted(_dedupe(chars), key=lambda c: (c["top"] + c["bottom"]) / 2)
    lines: list[list[dict[str, Any]]] = []
    centre = 0.0
    for c in cs:
        yc = (c["top"] + c["bottom"]) / 2
        size = max(c["bottom"] - c["top"], 1.0)
        if lines and abs(yc - centre) <= LINE_TOLERANCE * size:
            lines[-1].append(c)
        else:
            lines.append([c])
            centre = yc
    words: list[Word] = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        top = min(c["top"] for c in line)
        bottom = max(c["bottom"] for c in line)
        size = max(c["bottom"] - c["top"] for c in line)
        mid = (top + bottom) / 2
        vxs = [r.x for r in vrules if r.top <= mid <= r.bottom]
        current: list[Char] = []
        for c in line:
            ch: Char = (c["text"], c["x0"], c["x1"])
            if current:
                gap = c["x0"] - current[-1][2]
                ruled = any(current[-1][2] - 1 <= x <= c["x0"] + 1 for x in vxs) if vxs else False
                if gap > WORD_GAP * size or ruled:
                    words.append(_word(current, top, bottom, size))
                    current = []
            current.append(ch)
        if current:
            words.append(_word(current, top, bottom, size))
    return words


def _rules(page: Page) -> tuple[list[Rule], list[Rule]]:
    segs: list[Rule] = []
    for r in page.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if w <= RULE_THICKNESS or h <= RULE_THICKNESS:
            if max(w, h) > 3:
                segs.append(Rule(r["x0"], r["x1"], r["top"], r["bottom"]))
        elif r.get("stroke"):
            segs += [
                Rule(r["x0"], r["x1"], r["top"], r["top"]),
                Rule(r["x0"], r["x1"], r["bottom"], r["bottom"]),
                Rule(r["x0"], r["x0"], r["top"], r["bottom"]),
                Rule(r["x1"], r["x1"], r["top"], r["bottom"]),
            ]
    for ln in page.lines:
        if abs(ln["x1"] - ln["x0"]) <= RULE_THICKNESS or abs(ln["bottom"] - ln["top"]) <= RULE_THICKNESS:
            segs.append(Rule(ln["x0"], ln["x1"], ln["top"], ln["bottom"]))
    hr = [s for s in segs if s.horizontal]
    vr = [s for s in segs if not s.horizontal]
    return hr, vr


def read_page(page: Page, number: int) -> PageView:
    """The page's words and rules (pdfplumber objects are cached on the page)."""
    hr, vr = _rules(page)
    words = build_words(page.chars, vr)
    return PageView(number, float(page.width), float(page.height), words, hr, vr)


def page_text(page: Page) -> str:
    """All chars of the page without whitespace, for cheap keyword tests."""
    return "".join(c["text"] for c in page.chars if not c["text"].isspace())
