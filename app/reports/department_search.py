"""Department-name search that tolerates partial, abbreviated and reordered names, in plain Python:
the SQLite fallback of the PostgreSQL `pg_trgm` search (app/reports/department_queries.py).

A name matches a query when it contains the query; when the query's characters appear in it in
order (an abbreviation: 医保 → 医疗保障局; with several words, each word so, in any order); when it
holds every character of the query in any order (a reordered name); or when their character
bigrams overlap enough (Dice ≥ 0.5)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s\u3000,，、;；/|·.。()（）\-]+")
MIN_DICE = 0.5


def normalise(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _in_order(query: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in query)


def score(query: str, name: str) -> float | None:
    """How well `name` matches `query` (higher is better), or None when it does not match."""
    words = [w for w in _SEPARATORS.split(query) if w]
    q, n = "".join(words), normalise(name)
    if not q or not n:
        return None
    a, b = _bigrams(q), _bigrams(n)
    dice = 2 * len(a & b) / (len(a) + len(b))
    if q in n:
        return 3 + dice
    if all(_in_order(w, n) for w in words):  # each word a part or an abbreviation, the words in any order
        return 2 + dice
    if set(q) <= set(n):
        return 1 + dice
    return dice if dice >= MIN_DICE else None


def search(query: str, names: Iterable[str]) -> list[str]:
    """The matching names, best first (ties by name)."""
    scored = [(s, name) for name in set(names) if (s := score(query, name)) is not None]
    return [name for _, name in sorted(scored, key=lambda x: (-x[0], x[1]))]
