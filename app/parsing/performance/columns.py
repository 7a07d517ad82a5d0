"""Column extents of an indicator table.

Boundaries come from vertical rules when the table has them, else from the ends of the
horizontal rule segments (a table ruled only horizontally still draws one segment per cell),
else from the gaps in the horizontal projection of the body words. The header says which
column is which; the body says where one column ends and the next begins."""

from __future__ import annotations

from collections.abc import Sequence

from app.parsing.performance.header import Column
from app.parsing.performance.view import PageView, Word

SPAN = "span"  # pseudo-role of a word printed across several columns (a merged row)


def _cluster(xs: Sequence[float], tol: float = 2.0, min_count: int = 1) -> list[float]:
    out: list[float] = []
    group: list[float] = []
    for x in sorted(xs):
        if group and x - group[-1] > tol:
            if len(group) >= min_count:
                out.append(sum(group) / len(group))
            group = []
        group.append(x)
    if group and len(group) >= min_count:
        out.append(sum(group) / len(group))
    return out


class Profile:
    """How many body words cover each 1-pt slice of the page width."""

    def __init__(self, words: Sequence[Word], width: float) -> None:
        self.n = int(width) + 2
        self.counts = [0] * self.n
        for w in words:
            for i in range(max(int(w.x0), 0), min(int(w.x1) + 1, self.n)):
                self.counts[i] += 1

    def count(self, x: float) -> int:
        i = int(x)
        return self.counts[i] if 0 <= i < self.n else 0

    def best_gap(self, lo: float, hi: float) -> float:
        """The middle of the longest least-covered run between lo and hi."""
        a, b = max(int(lo), 0), min(int(hi) + 1, self.n)
        if b <= a:
            return (lo + hi) / 2
        low = min(self.counts[a:b])
        best = (0, a, a)
        i = a
        while i < b:
            if self.counts[i] == low:
                j = i
                while j < b and self.counts[j] == low:
                    j += 1
                if j - i > best[0]:
                    best = (j - i, i, j)
                i = j
            else:
                i += 1
        return (best[1] + best[2]) / 2

    def outer_gap(self, lo: float, hi: float, leftwards: bool) -> float | None:
        """An empty run between lo and hi with printed text beyond it (a column without header)."""
        a, b = max(int(lo), 0), min(int(hi) + 1, self.n)
        rng = range(b - 1, a - 1, -1) if leftwards else range(a, b)
        run: list[int] = []
        for i in rng:
            if self.counts[i] == 0:
                run.append(i)
            elif run and len(run) >= 2:
                return (run[0] + run[-1]) / 2
            else:
                run = []
        return None


def boundary_candidates(view: PageView, top: float, bottom: float) -> list[float]:
    """x of column boundaries drawn on the page between top and bottom."""
    vx = [r.x for r in view.vrules if min(r.bottom, bottom) - max(r.top, top) > 4]
    if vx:
        return _cluster(vx)
    ends = [x for r in view.hrules if top - 2 <= r.y <= bottom + 2 for x in (r.x0, r.x1)]
    return _cluster(ends, min_count=2)


def layout_columns(columns: list[Column], words: Sequence[Word], view: PageView, top: float, bottom: float) -> None:
    """Set each column's x0/x1 from rules or body gaps (columns sorted by header position)."""
    if not columns:
        return
    cands = boundary_candidates(view, top, bottom)
    prof = Profile(words, view.width)
    cols = sorted(columns, key=lambda c: (c.hx0 + c.hx1) / 2)
    xmin = min([w.x0 for w in words] + [cols[0].hx0]) - 1
    xmax = max([w.x1 for w in words] + [cols[-1].hx1]) + 1
    for left, right in zip(cols, cols[1:], strict=False):
        lo, hi = left.hx1, right.hx0
        if lo > hi:
            lo = hi = (lo + hi) / 2
        inside = [x for x in cands if lo - 1 <= x <= hi + 1]
        if inside:
            x = min(inside, key=lambda x: (prof.count(x), abs(x - (lo + hi) / 2)))
        else:
            x = prof.best_gap(lo, hi)
        left.x1 = right.x0 = x
    first, last = cols[0], cols[-1]
    lefts = [x for x in cands if x <= first.hx0 + 1]
    gap = prof.outer_gap(xmin, first.hx0, leftwards=True)
    first.x0 = max(lefts) if lefts else (gap if gap is not None else xmin)
    rights = [x for x in cands if x >= last.hx1 - 1]
    gap = prof.outer_gap(last.hx1, xmax, leftwards=False)
    last.x1 = min(rights) if rights else (gap if gap is not None else xmax)


def assign(words: Sequence[Word], columns: Sequence[Column], ruled: bool) -> list[tuple[str, int, Word]]:
    """Each body word with the role and index of its column; words across columns are split at
    the boundary when a gap allows, else tagged SPAN (a row merged across the table)."""
    out: list[tuple[str, int, Word]] = []
    cols = sorted(columns, key=lambda c: c.x0)
    todo = list(words)
    while todo:
        w = todo.pop()
        idx = next((i for i, c in enumerate(cols) if c.x0 <= w.xc < c.x1), None)
        if idx is None:
            continue
        c = cols[idx]
        cut = None
        tol = 0.25 * w.size
        if w.x0 < c.x0 - tol:
            cut = c.x0
        elif w.x1 > c.x1 + tol:
            cut = c.x1
        if cut is None:
            out.append((c.role, idx, w))
            continue
        parts = None if ruled else _split_at_gap(w, cut)
        start = next((i for i, c in enumerate(cols) if c.x0 - tol <= w.x0 < c.x1), None)
        if parts is None and start is not None and cols[start].role == "name" and w.x1 < cols[-1].x0:
            out.append(("name", start, w))  # an indicator name overflowing its cell (西安 p38)
        elif parts is None:
            out.append((SPAN, idx, w))
        else:
            todo.extend(parts)
    return out


def _split_at_gap(w: Word, x: float) -> tuple[Word, Word] | None:
    """Cut a word at x when its chars leave a visible gap there (two cells printed close)."""
    for a, b in zip(w.chars, w.chars[1:], strict=False):
        if a[2] - 2 <= x <= b[1] + 2 and b[1] - a[2] >= 0.8:
            return w.split_at((a[2] + b[1]) / 2)
    return None
