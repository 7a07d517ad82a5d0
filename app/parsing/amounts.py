"""Printed amounts → `Decimal`, exactly as printed (never float)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# 1,234.56 / 1234.56 / 0.00 / 12 / -3.5 / （12.00） ; thousands separators may be full-width
_AMOUNT = re.compile(r"^[-−]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?$")
_PAREN_NEG = re.compile(r"^[(（](.+)[)）]$")
_EMPTY = frozenset({"", "-", "—", "--", "——", "–", "/", "－", "─", "━", "*", "**", "***", "…", "……", "\\"})
_DECIMAL_HINT = re.compile(r"[.,，]")


@lru_cache(maxsize=8192)  # a cell's text is parsed by several stages
def parse_amount(text: str | None) -> Decimal | None:
    """The printed number as a Decimal, or None for blank / dash / non-numeric cells.
    `0.00` stays a value; thousands separators are dropped; `(12.00)` is negative."""
    if text is None:
        return None
    t = text.strip().replace(" ", "").replace("\u3000", "")
    if t in _EMPTY:
        return None
    neg = False
    m = _PAREN_NEG.match(t)
    if m:
        t, neg = m.group(1), True
    if not _AMOUNT.match(t):
        return None
    t = t.replace(",", "").replace("，", "").replace("−", "-")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return -d if neg else d


def is_amount(text: str) -> bool:
    return parse_amount(text) is not None


def looks_decimal(text: str) -> bool:
    """An amount that cannot be a row number or code: has a decimal point or a separator."""
    return is_amount(text) and bool(_DECIMAL_HINT.search(text))


def is_empty_mark(text: str) -> bool:
    """A cell printed as a dash or similar: present but no value."""
    return text.strip().replace(" ", "") in _EMPTY
