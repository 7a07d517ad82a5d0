"""Parsed shared fixtures, parsed once per test session (skipped when ../shared/fixtures is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.parsing import ParsedReport, parse_pdf
from app.parsing.model import LineItem, Table

FIXTURES = Path(os.environ.get("SHARED_FIXTURES", Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"))
_CACHE: dict[str, ParsedReport] = {}


def fixture_bytes(relative: str) -> bytes:
    path = FIXTURES / relative
    if not path.exists():
        pytest.skip("../shared/fixtures not found")
    return path.read_bytes()


def parsed(relative: str) -> ParsedReport:
    if relative not in _CACHE:
        _CACHE[relative] = parse_pdf(fixture_bytes(relative))
    return _CACHE[relative]


def table(report: ParsedReport, title: str) -> Table:
    return next(t for t in report.tables if t.title == title)


def items(report: ParsedReport, t: Table) -> list[LineItem]:
    return [li for li in report.line_items if li.table_index == t.index]


def item(report: ParsedReport, t: Table, code: str) -> LineItem:
    return next(li for li in items(report, t) if li.code == code)


def values(li: LineItem) -> dict[str, str]:
    return {v.column: format(v.amount, "f") for v in li.values}


@pytest.fixture
def putuo_finance() -> ParsedReport:
    return parsed("real/putuo_finance_2024_final.pdf")


@pytest.fixture
def putuo_justice() -> ParsedReport:
    return parsed("real/putuo_justice_2026_dept_budget.pdf")


@pytest.fixture
def yuxi() -> ParsedReport:
    return parsed("seeds/seed000_yuxi_2022_final.pdf")


@pytest.fixture
def zhaohua() -> ParsedReport:
    return parsed("seeds/seed001_zhaohua_2023_final.pdf")


@pytest.fixture
def panjin() -> ParsedReport:
    return parsed("seeds/seed002_panjin_2023_final.pdf")


@pytest.fixture
def lhasa() -> ParsedReport:
    return parsed("seeds/seed003_lhasa_2022_budget.pdf")
