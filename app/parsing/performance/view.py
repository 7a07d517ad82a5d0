"""One page as the performance stage sees it: the page model's words, and its ruling lines
as segments with a lookup of the horizontal rules crossing a column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.parsing.reader import Char, PageData, Word

__all__ = ["Char", "PageView", "Rule", "Word", "view_of"]


@dataclass(frozen=True)
class Rule:
    """A ruling segment: horizontal (top == bottom) or vertical (x0 == x1)."""

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


def view_of(page: PageData) -> PageView:
    return PageView(
        page.number,
        page.width,
        page.height,
        list(page.words),
        [Rule(r.x0, r.x1, r.y, r.y) for r in page.hrules],
        [Rule(r.x, r.x, r.top, r.bottom) for r in page.vrules],
    )


def _merge_close(values: Sequence[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out
