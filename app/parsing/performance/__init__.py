"""Performance (绩效) programmes and indicators from 绩效自评表 / 绩效目标表."""

from __future__ import annotations

from pdfplumber.pdf import PDF

from app.parsing.model import Indicator, Programme, Table
from app.parsing.performance.extract import extract
from app.parsing.performance.values import is_met

__all__ = ["extract_performance", "is_met"]


def extract_performance(pdf: PDF, tables: list[Table]) -> tuple[list[Programme], list[Indicator]]:
    """Every programme and indicator printed in the report's performance tables."""
    return extract(pdf, tables)
