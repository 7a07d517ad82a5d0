"""Page reading behind one small interface: words with boxes, ruling lines, page size.

Everything after this module sees only `PageData`, so a faster backend (pypdfium2) can replace
pdfplumber here without touching the table stages. Each page's objects are read once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class HRule:
    y: float
    x0: float
    x1: float


@dataclass(frozen=True, slots=True)
class VRule:
    x: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class TextLine:
    words: tuple[Word, ...]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


@dataclass
class PageData:
    """What the table stages know about a page (1-based `number`, top-left origin)."""

    number: int
    width: float
    height: float
    words: list[Word]
    hrules: list[HRule]
    vrules: list[VRule]
    lines: list[TextLine] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.words)


class PageSource(Protocol):
    """Anything that yields `PageData` for each page of a document, in order."""

    def __call__(self) -> Iterable[PageData]: ...


# --------------------------------------------------------------------------- text


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return o >= 0x2E80 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


def join_words(words: Iterable[Word]) -> str:
    """Words of one line or cell in reading order: a space only between two Latin/digit runs."""
    out: list[str] = []
    prev = ""
    for w in words:
        t = w.text
        if out and prev and not _is_cjk(prev[-1]) and not _is_cjk(t[0]):
            out.append(" ")
        out.append(t)
        prev = t
    return "".join(out)


def group_lines(words: Sequence[Word], overlap: float = 0.5) -> list[TextLine]:
    """Words into text lines by vertical overlap (page-wide lines, left to right)."""
    lines: list[list[Word]] = []
    bounds: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(w.bottom - w.top, 0.1)
        best = -1
        best_ov = 0.0
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            t, b = bounds[i]
            ov = min(b, w.bottom) - max(t, w.top)
            if ov >= overlap * min(h, b - t) and ov > best_ov:
                best, best_ov = i, ov
        if best < 0:
            lines.append([w])
            bounds.append((w.top, w.bottom))
        else:
            lines[best].append(w)
            t, b = bounds[best]
            bounds[best] = (min(t, w.top), max(b, w.bottom))
    out = [TextLine(tuple(sorted(ws, key=lambda w: w.x0)), t, b) for ws, (t, b) in zip(lines, bounds, strict=True)]
    out.sort(key=lambda line: line.top)
    return out


# --------------------------------------------------------------------------- rules


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return float(color) >= 0.95
    if isinstance(color, (tuple, list)):
        vals = [float(c) for c in color if isinstance(c, (int, float))]
        if not vals:
            return False
        if len(vals) == 4:  # CMYK: white is no ink
            return all(v <= 0.05 for v in vals)
        return all(v >= 0.95 for v in vals)
    return False


def _segments_from_box(
    x0: float, top: float, x1: float, bottom: float, s: ParseSettings
) -> list[tuple[str, float, float, float]]:
    """A box as rule segments: a thin box is one rule, a larger one its four edges."""
    w, h = x1 - x0, bottom - top
    if h <= s.rule_max_thickness and w >= s.rule_min_length:
        return [("h", (top + bottom) / 2, x0, x1)]
    if w <= s.rule_max_thickness and h >= s.rule_min_length:
        return [("v", (x0 + x1) / 2, top, bottom)]
    if w < s.rule_min_length or h < s.rule_min_length:
        return []
    return [("h", top, x0, x1), ("h", bottom, x0, x1), ("v", x0, top, bottom), ("v", x1, top, bottom)]


def _curve_segments(pts: Sequence[tuple[float, float]], s: ParseSettings) -> list[tuple[str, float, float, float]]:
    out: list[tuple[str, float, float, float]] = []
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        if abs(ay - by) < 1.0 and abs(ax - bx) >= s.rule_min_length:
            out.append(("h", (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) < 1.0 and abs(ay - by) >= s.rule_min_length:
            out.append(("v", (ax + bx) / 2, min(ay, by), max(ay, by)))
    return out


def _merge(segs: list[tuple[float, float, float]], s: ParseSettings) -> list[tuple[float, float, float]]:
    """Collinear segments (pos, a, b) → merged rules, sorted by position."""
    if not segs:
        return []
    segs.sort()
    groups: list[list[tuple[float, float, float]]] = [[segs[0]]]
    for seg in segs[1:]:
        if seg[0] - groups[-1][-1][0] <= s.rule_same_line:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    out: list[tuple[float, float, float]] = []
    for g in groups:
        pos = sum(p for p, _, _ in g) / len(g)
        spans = sorted((a, b) for _, a, b in g)
        ca, cb = spans[0]
        for a, b in spans[1:]:
            if a <= cb + s.rule_join_gap:
                cb = max(cb, b)
            else:
                out.append((pos, ca, cb))
                ca, cb = a, b
        out.append((pos, ca, cb))
    out.sort()
    return out


def rules_of(
    lines: Iterable[dict[str, Any]],
    rects: Iterable[dict[str, Any]],
    curves: Iterable[dict[str, Any]],
    s: ParseSettings = DEFAULT_SETTINGS,
) -> tuple[list[HRule], list[VRule]]:
    """Ruling lines from pdfplumber's line, rect and curve objects (white ones are ignored)."""
    raw: list[tuple[str, float, float, float]] = []
    for ln in lines:
        if _is_white(ln.get("stroking_color")):
            continue
        raw.extend(_segments_from_box(ln["x0"], ln["top"], ln["x1"], ln["bottom"], s))
    for r in rects:
        stroke, fill = r.get("stroke"), r.get("fill")
        visible = (stroke and not _is_white(r.get("stroking_color"))) or (
            fill and not _is_white(r.get("non_stroking_color"))
        )
        if visible:
            raw.extend(_segments_from_box(r["x0"], r["top"], r["x1"], r["bottom"], s))
    for c in curves:
        stroke, fill = c.get("stroke"), c.get("fill")
        visible = (stroke and not _is_white(c.get("stroking_color"))) or (
            fill and not _is_white(c.get("non_stroking_color"))
        )
        if not visible:
            continue
        if c["bottom"] - c["top"] <= s.rule_max_thickness or c["x1"] - c["x0"] <= s.rule_max_thickness:
            raw.extend(_segments_from_box(c["x0"], c["top"], c["x1"], c["bottom"], s))
        else:
            raw.extend(_curve_segments(c.get("pts") or [], s))
    hs = _merge([(p, a, b) for k, p, a, b in raw if k == "h"], s)
    vs = _merge([(p, a, b) for k, p, a, b in raw if k == "v"], s)
    return [HRule(y, a, b) for y, a, b in hs], [VRule(x, a, b) for x, a, b in vs]


# --------------------------------------------------------------------------- words


class _VIndex:
    """Vertical rules by x, to split words where a rule runs between two glyphs."""

    def __init__(self, vrules: list[VRule]) -> None:
        self.rules = sorted(vrules, key=lambda r: r.x)
        self.xs = [r.x for r in self.rules]

    def crosses(self, xa: float, xb: float, yc: float) -> bool:
        i = bisect.bisect_left(self.xs, xa)
        while i < len(self.xs) and self.xs[i] <= xb:
            r = self.rules[i]
            if r.top - 1 <= yc <= r.bottom + 1:
                return True
            i += 1
        return False


_DESCENT = 0.12  # share of the font size below the baseline


def _glyph(c: dict[str, Any]) -> tuple[float, float, float, float, str, float]:
    """A glyph's box with its vertical extent taken from the baseline: fonts disagree wildly
    about their boxes (重庆 科技局 p9: CJK boxes sit above, digit boxes below the baseline), so
    cells on one printed line would otherwise land in different rows."""
    size = float(c["size"])
    top, bottom = float(c["top"]), float(c["bottom"])
    m = c.get("matrix")
    if m and size > 0 and abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6 and m[0] > 0 and m[3] > 0:
        y0_true = float(m[5]) - _DESCENT * size
        bottom = bottom + (float(c["y0"]) - y0_true)
        top = bottom - size
    return (top, float(c["x0"]), float(c["x1"]), bottom, str(c["text"]), size)


def words_of(chars: Iterable[dict[str, Any]], vrules: list[VRule], s: ParseSettings = DEFAULT_SETTINGS) -> list[Word]:
    """Glyphs into words: upright glyphs only, overprinted duplicates dropped, split at spaces,
    at gaps wider than `word_gap_ratio` × size and wherever a vertical rule runs between glyphs."""
    glyphs = [_glyph(c) for c in chars if c.get("upright", True)]
    glyphs.sort()
    rows: list[list[tuple[float, float, float, float, str, float]]] = []
    bounds: list[tuple[float, float]] = []
    for g in glyphs:
        top, _x0, _x1, bottom, _t, _sz = g
        h = max(bottom - top, 0.1)
        placed = False
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            t, b = bounds[i]
            if min(b, bottom) - max(t, top) >= s.line_overlap * min(h, b - t):
                rows[i].append(g)
                bounds[i] = (min(t, top), max(b, bottom))
                placed = True
                break
        if not placed:
            rows.append([g])
            bounds.append((top, bottom))
    vindex = _VIndex(vrules)
    words: list[Word] = []
    tol = s.dedupe_tolerance
    for row in rows:
        row.sort(key=lambda g: g[1])
        cur: list[tuple[float, float, float, float, str, float]] = []
        for g in row:
            top, x0, x1, bottom, text, size = g
            if cur:
                p = cur[-1]
                if text == p[4] and abs(x0 - p[1]) <= tol and abs(top - p[0]) <= tol:
                    continue  # overprinted glyph (fake bold)
            if not text.strip():
                if cur:
                    words.append(_word(cur))
                    cur = []
                continue
            if cur:
                p = cur[-1]
                gap = x0 - p[2]
                yc = (top + bottom) / 2
                split_at = min((p[1] + p[2]) / 2, p[2] - 1.0), max((x0 + x1) / 2, x0 + 1.0)
                if gap > s.word_gap_ratio * max(size, p[5]) or vindex.crosses(split_at[0], split_at[1], yc):
                    words.append(_word(cur))
                    cur = []
            cur.append(g)
        if cur:
            words.append(_word(cur))
    return words


def _word(glyphs: list[tuple[float, float, float, float, str, float]]) -> Word:
    return Word(
        text="".join(g[4] for g in glyphs),
        x0=glyphs[0][1],
        top=min(g[0] for g in glyphs),
        x1=max(g[2] for g in glyphs),
        bottom=max(g[3] for g in glyphs),
        size=max(g[5] for g in glyphs),
    )


def read_page(page: Any, number: int, s: ParseSettings = DEFAULT_SETTINGS) -> PageData:
    """One pdfplumber page → PageData (reads the page's parsed objects once)."""
    objs = page.objects
    hrules, vrules = rules_of(objs.get("line", []), objs.get("rect", []), objs.get("curve", []), s)
    words = words_of(objs.get("char", []), vrules, s)
    return PageData(
        number=number,
        width=float(page.width),
        height=float(page.height),
        words=words,
        hrules=hrules,
        vrules=vrules,
        lines=group_lines(words, s.line_overlap),
    )


def read_pages(pdf: Any, s: ParseSettings = DEFAULT_SETTINGS) -> list[PageData]:
    """Every page of an open pdfplumber document."""
    return [read_page(p, i, s) for i, p in enumerate(pdf.pages, 1)]
