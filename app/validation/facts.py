"""What the rules read about one report, worked out once per validation run: the fiscal year,
the report kind, each table's rows, and memoised per-table readings (summary sides, the total
column, rows by name …). `validate` opens a run with `active(report)`; outside a run (a rule
called directly) every call works on a fresh reading, so nothing is ever stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from app.parsing.model import LineItem, ParsedReport

T = TypeVar("T")


class Facts:
    def __init__(self, report: ParsedReport) -> None:
        self.report = report
        self.items: dict[int, list[LineItem]] = {}
        for li in report.line_items:
            self.items.setdefault(li.table_index, []).append(li)
        self._memo: dict[tuple[object, ...], object] = {}

    def memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """compute() once per run and key (keys start with the caller's name)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]


_ACTIVE: ContextVar[Facts | None] = ContextVar("validation_facts", default=None)


def facts(report: ParsedReport) -> Facts:
    current = _ACTIVE.get()
    if current is not None and current.report is report:
        return current
    return Facts(report)


@contextmanager
def active(report: ParsedReport) -> Iterator[Facts]:
    """Within the block, `facts(report)` is one shared reading of the report."""
    f = Facts(report)
    token = _ACTIVE.set(f)
    try:
        yield f
    finally:
        _ACTIVE.reset(token)
