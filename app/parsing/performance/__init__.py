"""Performance (绩效) programmes and indicators from 绩效自评表 / 绩效目标表."""

from __future__ import annotations

from collections.abc import Iterable

from app.parsing.model import Indicator, Programme, Table
from app.parsing.performance.extract import PerformanceReader, extract, link_tables
from app.parsing.performance.values import is_met
from app.parsing.reader import PageData

__all__ = ["PerformanceReader", "extract_performance", "is_met", "link_tables"]


def extract_performance(pages: Iterable[PageData], tables: list[Table]) -> tuple[list[Programme], list[Indicator]]:
    """Every programme and indicator printed in the report's performance tables."""
    return extract(pages, tables)
