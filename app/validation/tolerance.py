"""尾数: how far apart printed figures may be and still be explained by per-cell rounding."""

from __future__ import annotations

from decimal import Decimal

HALF_UNIT = Decimal("0.005")


def decimals_of(*amounts: Decimal) -> int:
    """The finest number of printed decimal places among the amounts (at least 0)."""
    places = [-a.as_tuple().exponent for a in amounts if isinstance(a.as_tuple().exponent, int)]
    return max([0, *places])


def rounding_allowance(n_figures: int, places: int = 2) -> Decimal:
    """Half a unit of the last printed digit for every printed figure involved."""
    return HALF_UNIT * Decimal(10) ** (2 - places) * n_figures


def classify_difference(diff: Decimal, n_figures: int, places: int = 2) -> str | None:
    """None when equal, 'info' when rounding explains it, 'error' beyond."""
    if diff == 0:
        return None
    return "info" if abs(diff) <= rounding_allowance(n_figures, places) else "error"
