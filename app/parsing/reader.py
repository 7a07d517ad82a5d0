"""The page model every stage reads: words (with their chars), ruling lines, page size.

A backend (`app.parsing.pages`: pdfium by default, the reference one on request) reads glyphs
and painted paths; here, once for every stage, white and overprinted glyphs are dropped,
glyphs become words and lines, and paths become merged ruling lines.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol, TypeVar

from app.parsing.pages import Document
from app.parsing.pages.model import Glyph, Path, RawPage, is_white
from app.parsing.pages.ocr import OcrRead
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings

Char = tuple[str, float, float]  # text, x0, x1


@dataclass(frozen=True, slots=True)
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
        return self._part(left), self._part(right)

    def _part(self, chars: tuple[Char, ...]) -> Word:
        text = "".join(c[0] for c in chars)
        return Word(text, chars[0][1], chars[-1][2], self.top, self.bottom, self.size, chars)


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
    text: str = ""  # the page's characters without whitespace, for cheap keyword tests
    blank: bool = False  # nothing shows: no text, no image, no visible stroke or fill
    ocr: OcrRead | None = None  # the page has no text layer: its words were read by OCR

    @property
    def has_text(self) -> bool:
        return bool(self.words)


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
    out = []
    for ws in group_rows(words, overlap):
        ws.sort(key=lambda w: w.x0)
        out.append(TextLine(tuple(ws), min(w.top for w in ws), max(w.bottom for w in ws)))
    out.sort(key=lambda line: line.top)
    return out


# --------------------------------------------------------------------------- rules


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


def _is_box(pts: Sequence[tuple[float, float]]) -> bool:
    """Whether a closed path is an axis-aligned rectangle (a `re` operator or four edges)."""
    corners = list(pts[:-1]) if len(pts) == 5 and pts[0] == pts[-1] else list(pts)
    if len(corners) != 4:
        return False
    xs = {round(x, 2) for x, _ in corners}
    ys = {round(y, 2) for _, y in corners}
    return len(xs) <= 2 and len(ys) <= 2


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


def rules_of(paths: Iterable[Path], s: ParseSettings = DEFAULT_SETTINGS) -> tuple[list[HRule], list[VRule]]:
    """Ruling lines from the page's painted paths (white or unpainted ones are ignored): a thin
    path or a rectangle by its box, any other by its straight axis-aligned pieces."""
    raw: list[tuple[str, float, float, float]] = []
    for p in paths:
        if not p.visible:
            continue
        x0, top, x1, bottom = p.bbox
        if bottom - top <= s.rule_max_thickness or x1 - x0 <= s.rule_max_thickness or _is_box(p.points):
            raw.extend(_segments_from_box(x0, top, x1, bottom, s))
        else:
            raw.extend(_curve_segments(p.points, s))
    hs = _merge([(p, a, b) for k, p, a, b in raw if k == "h"], s)
    vs = _merge([(p, a, b) for k, p, a, b in raw if k == "v"], s)
    return [HRule(y, a, b) for y, a, b in hs], [VRule(x, a, b) for x, a, b in vs]


# --------------------------------------------------------------------------- glyphs


# A glyph is drawn over one already kept on its row (a doubled text layer, or fake bold: the same
# glyph printed twice, shifted a little) when their centres are closer than this share of the
# glyphs' size both ways. Kept glyphs lie by x0, so only the last ones can reach it.
_OVERPRINT = 0.3


# --------------------------------------------------------------------------- words


class _VIndex:
    """Vertical rules by x, to split words where a rule runs between two glyphs: for each height
    asked about, the x of the rules running there (the glyphs of a line share a few heights)."""

    def __init__(self, vrules: list[VRule]) -> None:
        self.rules = vrules
        self.at: dict[float, list[float]] = {}

    def crosses(self, xa: float, xb: float, yc: float) -> bool:
        xs = self.at.get(yc)
        if xs is None:
            xs = self.at[yc] = sorted(r.x for r in self.rules if r.top - 1 <= yc <= r.bottom + 1)
        i = bisect.bisect_left(xs, xa)
        return i < len(xs) and xs[i] <= xb


class _Boxed(Protocol):
    @property
    def x0(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...


_B = TypeVar("_B", bound=_Boxed)
_TOP_X0, _X0 = attrgetter("top", "x0"), attrgetter("x0")


def group_rows(items: Iterable[_B], overlap: float) -> list[list[_B]]:
    """Items (glyphs or words) into rows, top to bottom: each joins the row among the last three
    whose first item it overlaps most vertically, by at least `overlap` of the smaller height.
    A row does not grow: cells printed half a line apart must not chain their lines together."""
    rows: list[list[_B]] = []
    anchors: list[tuple[float, float]] = []
    # an item with the box's top and bottom of the one before it (the glyphs of one text run)
    # joins that one's row: the same choice among the same rows, or, when that one opened a
    # row, the row it overlaps wholly (no other can overlap it more)
    nan = float("nan")  # equal to nothing
    last_top, last_bottom, last_row = nan, nan, -1
    joins_own = overlap <= 1.0
    # min/max written out: this loop runs once per glyph of the report
    for it in sorted(items, key=_TOP_X0):
        top, bottom = it.top, it.bottom
        if top == last_top and bottom == last_bottom:
            rows[last_row].append(it)
            continue
        h = bottom - top
        if h < 0.1:
            h = 0.1
        best, best_ov = -1, 0.0
        n = len(rows)
        for i in range(n - 1, (n - 4 if n > 3 else -1), -1):
            t, b = anchors[i]
            ov = (b if b < bottom else bottom) - (t if t > top else top)
            if ov > best_ov and ov >= overlap * (h if h < b - t else b - t):
                best, best_ov = i, ov
        if best < 0:
            rows.append([it])
            anchors.append((top, bottom))
            best = len(rows) - 1
        else:
            rows[best].append(it)
        if bottom > top and joins_own:  # a box of no height overlaps nothing, not even its row
            last_top, last_bottom, last_row = top, bottom, best
        else:
            last_bottom = nan
    return rows


def words_of(glyphs: Iterable[Glyph], vrules: list[VRule], s: ParseSettings = DEFAULT_SETTINGS) -> list[Word]:
    """Glyphs into words, the one place glyphs are cleaned: upright glyphs only, white ones
    dropped, a glyph drawn over one already kept on its row dropped (see `_OVERPRINT`: the leftmost
    is kept; the first drawn when they coincide); words split at spaces, at gaps wider than
    `word_gap_ratio` × size and wherever a vertical rule runs between glyphs."""
    upright = [g for g in glyphs if g.upright and (g.fill is None or not is_white(g.fill))]
    crosses = _VIndex(vrules).crosses if vrules else None
    ratio = s.word_gap_ratio
    words: list[Word] = []
    # the overprint test and the word breaks written out: this loop runs once per glyph
    for row in group_rows(upright, s.line_overlap):
        row.sort(key=_X0)
        cur: list[Glyph] = []
        kept: list[Glyph] = []  # the row's printed glyphs so far, by x0
        for g in row:
            if not g.text.strip():
                if cur:
                    words.append(_word(cur))
                    cur = []
                continue
            gx0, gx1 = g.x0, g.x1
            if kept:
                gw, gxs = gx1 - gx0, gx0 + gx1
                reach = gx0 - gw
                over = False
                for k in reversed(kept):
                    kx0, kx1 = k.x0, k.x1
                    if kx1 < reach:
                        break  # the rest are further left
                    kw = kx1 - kx0
                    if abs(gxs - kx0 - kx1) / 2 < _OVERPRINT * (gw if gw > kw else kw):
                        gh, kh = g.bottom - g.top, k.bottom - k.top
                        if abs(g.top + g.bottom - k.top - k.bottom) / 2 < _OVERPRINT * (gh if gh > kh else kh):
                            over = True
                            break
                if over:
                    continue
            kept.append(g)
            if cur:
                p = cur[-1]
                gs, ps = g.size, p.size
                px0, px1 = p.x0, p.x1
                if gx0 - px1 > ratio * (gs if gs > ps else ps):
                    words.append(_word(cur))
                    cur = []
                elif crosses is not None:
                    xa, xb = (px0 + px1) / 2, (gx0 + gx1) / 2
                    if crosses(xa if xa <= px1 - 1.0 else px1 - 1.0, xb if xb >= gx0 + 1.0 else gx0 + 1.0,
                               (g.top + g.bottom) / 2):
                        words.append(_word(cur))
                        cur = []
            cur.append(g)
        if cur:
            words.append(_word(cur))
    return words


def _word(glyphs: list[Glyph]) -> Word:
    first = glyphs[0]
    x1, top, bottom, size = first.x1, first.top, first.bottom, first.size
    for g in glyphs:
        if g.x1 > x1:
            x1 = g.x1
        if g.top < top:
            top = g.top
        if g.bottom > bottom:
            bottom = g.bottom
        if g.size > size:
            size = g.size
    return Word(
        text="".join([g.text for g in glyphs]),
        x0=first.x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=size,
        chars=tuple([(g.text, g.x0, g.x1) for g in glyphs]),
    )


def page_data(raw: RawPage, s: ParseSettings = DEFAULT_SETTINGS) -> PageData:
    """One page of the page model from what a backend read."""
    hrules, vrules = rules_of(raw.paths, s)
    words = words_of(raw.glyphs, vrules, s)
    blank = not raw.glyphs and not raw.images and not any(p.visible for p in raw.paths)
    return PageData(
        number=raw.number,
        width=raw.width,
        height=raw.height,
        words=words,
        hrules=hrules,
        vrules=vrules,
        lines=group_lines(words, s.line_overlap),
        text="".join(w.text for w in words),
        blank=blank,
        ocr=raw.ocr,
    )


def read_pages(doc: Document, s: ParseSettings = DEFAULT_SETTINGS) -> Iterator[PageData]:
    """The document's pages in order, each read, turned into `PageData` and released."""
    for raw in doc.pages():
        yield page_data(raw, s)


def read_document(data: bytes, backend: str | None = None, s: ParseSettings = DEFAULT_SETTINGS) -> list[PageData]:
    """Every page of a PDF (for tools and tests; the pipeline streams pages instead)."""
    from app.parsing.guard import open_pdf

    with open_pdf(data, backend=backend) as doc:
        return list(read_pages(doc, s))
