"""尾数: how far apart printed figures may be and still be explained by per-cell rounding.

Every printed figure is the rounding of a true amount to its last printed digit, so it may be
off by half a unit of that digit. Comparing a printed total with the sum of printed parts,
the difference rounding can explain is half a unit for every figure involved. Amounts printed
in 元 to the cent are exact (money has no finer part), so they bring no allowance at all:
+0.01 元 in a 96,282,213.44 元 table is an error, while 326.71 vs 326.72 万元 is 尾数.

Precision is part of the figure: a figure printed with fewer decimals than its table prints
elsewhere was not rounded to fewer digits, its missing decimals are zeros (22,118,861 in a table
of 22,118,861.34 元 figures is 22,118,861.00, an error, not 尾数). `digit` is the one place that
says how precise a printed figure is; every allowance (sums, restated figures, percentages,
scores) is computed from it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from app.parsing.model import UNIT_FACTORS

EXACT_UNITS = frozenset({"元"})


def places_of(amount: Decimal) -> int:
    exp = amount.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def digit(value: Decimal, table_places: int | None = None) -> Decimal:
    """One unit of the last digit a figure is printed to: its own decimals, or as many as its
    table prints elsewhere when that is more (fewer decimals than the table prints is not rounding)."""
    return Decimal(10) ** -max(places_of(value), table_places or 0)


def factor(unit: str | None) -> Decimal:
    return UNIT_FACTORS.get(unit or "", Decimal(1))


@dataclass(frozen=True)
class Fig:
    """A printed figure: its value as printed and its unit (None when unknown)."""

    value: Decimal
    unit: str | None = None
    exact: bool | None = None  # None: exact iff printed in 元 to the cent
    table_places: int | None = None  # the decimals its table prints elsewhere (None: as printed)
    cell: object | None = field(default=None, compare=False)  # the printed cell it reads (None: derived)

    @property
    def last_digit(self) -> Decimal:
        return digit(self.value, self.table_places)

    @property
    def is_exact(self) -> bool:
        if self.exact is not None:
            return self.exact
        return self.unit in EXACT_UNITS and self.last_digit <= Decimal("0.01")

    @property
    def yuan(self) -> Decimal:
        return self.value * factor(self.unit)

    @property
    def half_unit_yuan(self) -> Decimal:
        """Half a unit of the last printed digit, in 元 (0 for exact figures)."""
        if self.is_exact:
            return Decimal(0)
        return Decimal("0.5") * self.last_digit * factor(self.unit)


Severity = Literal["info", "error"]


@dataclass
class Tally:
    """How the comparisons of rounded figures came out while one rule ran: a sum of two or more
    rounded figures that agrees exactly counts in `exact`; every comparison that differs within
    rounding is kept in `rounded` as the printed cells it read. Figures rounded one by one leave a
    difference in about one sum of two in four, so what these counts say about a whole report
    tells whether its differences can be 尾数 at all (app/validation/rounding.py)."""

    exact: int = 0
    rounded: list[frozenset[int]] = field(default_factory=list)
    cells: dict[int, Fig] = field(default_factory=dict)  # id of a printed cell → its figure


_TALLY: ContextVar[Tally | None] = ContextVar("rounding_tally", default=None)


@contextmanager
def tallying() -> Iterator[Tally]:
    """Count, in the returned Tally, the sums that `judge` compares until the block ends."""
    tally = Tally()
    token = _TALLY.set(tally)
    try:
        yield tally
    finally:
        _TALLY.reset(token)


@dataclass(frozen=True)
class Judgement:
    severity: Severity
    expected: Decimal  # in the actual figure's unit
    difference: Decimal  # actual − expected, in the actual figure's unit
    allowance: Decimal  # in the actual figure's unit
    largest_part: Decimal | None = None  # the largest |term|, in the actual figure's unit (None: no terms)


def _display(yuan: Decimal, unit: str | None) -> Decimal:
    return yuan / factor(unit)



def _count(actual: Fig, terms: Sequence[Fig], allowance_y: Decimal, agreed: bool) -> None:
    tally = _TALLY.get()
    if tally is None or allowance_y == 0:
        return  # exact figures: rounding leaves no trace to count
    if agreed:
        # one rounded figure restated agrees whether or not figures are rounded cell by cell
        tally.exact += sum(not t.is_exact for t in terms) >= 2
        return
    cells = [f for f in (actual, *terms) if f.cell is not None]
    tally.cells.update((id(f.cell), f) for f in cells)
    tally.rounded.append(frozenset(id(f.cell) for f in cells))


def judge(
    actual: Fig, terms: Sequence[Fig], *, signs: Sequence[int] | None = None, extra_figures: int = 0
) -> Judgement | None:
    """Compare a printed figure with the (signed) sum of printed figures.

    None when they agree (also when an exact figure, converted, rounds to the coarser printed
    one); 'info' when rounding of the printed figures explains the difference; 'error' beyond.
    extra_figures: rows an aggregate brings along (a class total restated elsewhere may differ
    from its own table by the rounding of the rows it sums), each worth half a unit of the terms.
    """
    signs = signs or [1] * len(terms)
    expected_y = sum((s * t.yuan for s, t in zip(signs, terms, strict=True)), Decimal(0))
    diff_y = actual.yuan - expected_y
    allowance_y = actual.half_unit_yuan + sum((t.half_unit_yuan for t in terms), Decimal(0))
    if diff_y == 0:
        _count(actual, terms, allowance_y, agreed=True)
        return None
    if extra_figures and terms:
        allowance_y += extra_figures * max(t.half_unit_yuan for t in terms)
    unit = actual.unit
    expected = _display(expected_y, unit)
    diff = _display(diff_y, unit)
    allowance = _display(allowance_y, unit)
    largest = _display(max(abs(t.yuan) for t in terms), unit) if terms else None
    if all(t.is_exact for t in terms) and not actual.is_exact:
        # an exact amount restated in a coarser unit: consistent iff it rounds to the printed figure
        if expected.quantize(actual.last_digit, rounding=ROUND_HALF_UP) == actual.value:
            return None
    if abs(diff_y) <= allowance_y:
        _count(actual, terms, allowance_y, agreed=False)
        return Judgement("info", _normal(expected, actual.value), _normal(diff, actual.value), allowance, largest)
    return Judgement("error", _normal(expected, actual.value), _normal(diff, actual.value), allowance, largest)


def _normal(d: Decimal, like: Decimal) -> Decimal:
    """Show a computed amount with the printed figure's decimals when that is exact."""
    q = Decimal(10) ** -places_of(like)
    return d.quantize(q) if d == d.quantize(q) else d.normalize()


def judge_pct(stated: Decimal, lo: Decimal, hi: Decimal, centre: Decimal) -> Judgement | None:
    """A stated percentage against the range the figures allow: one unit of its last digit is 尾数."""
    unit = digit(stated)
    q_centre = centre.quantize(unit, rounding=ROUND_HALF_UP)
    diff = stated - centre
    if q_centre == stated:
        return None
    if lo - unit <= stated <= hi + unit:
        return Judgement("info", centre.quantize(Decimal("0.01")), diff.quantize(Decimal("0.01")), unit)
    return Judgement("error", centre.quantize(Decimal("0.01")), diff.quantize(Decimal("0.01")), unit)
