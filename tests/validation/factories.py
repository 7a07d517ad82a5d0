"""Small factories for parsed reports: tables, rows and narrative sentences built in a few lines."""

from __future__ import annotations

import pickle
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from app.parsing import parse_pdf
from app.parsing.kinds import column_header, sangong_items, table_kind
from app.parsing.model import (
    CellValue,
    Column,
    Indicator,
    LineItem,
    ParsedReport,
    Programme,
    ReportMeta,
    Sentence,
    Table,
)
from app.parsing.rows import summary_sides
from app.validation import Finding, validate
from app.validation.registry import RULES, SkipRule
from tests.conftest import need


class Builder:
    """report = Builder(kind="final").table(...).row(...).say(...).build()"""

    def __init__(self, kind: str = "final", fy: int = 2024, unit: str = "万元", dept: str = "上海市测试局") -> None:
        self.meta = ReportMeta(department=dept, fiscal_year=fy, kind=kind, amount_unit=unit, pages=30)  # type: ignore[arg-type]
        self.tables: list[Table] = []
        self.rows: list[LineItem] = []
        self.sentences: list[Sentence] = []
        self.programmes: list[Programme] = []
        self.indicators: list[Indicator] = []
        self.blank_pages: list[int] = []

    def table(
        self,
        title: str,
        columns: tuple[str, ...] = (),
        unit: str | None = "万元",
        page: int = 5,
        empty: bool = False,
        note: str | None = None,
        grid: list[list[str | None]] | None = None,
    ) -> Builder:
        self.tables.append(
            Table(
                index=len(self.tables),
                kind=table_kind(title),  # the parser's kind for the title
                title=title,
                pages=[page],
                amount_unit=unit,
                columns=[Column(c) for c in columns],
                empty=empty,
                note=note,
                grid=grid or [],
            )
        )
        return self

    def row(
        self,
        name: str,
        values: dict[str, str] | None = None,
        *,
        code: str | None = None,
        cls: str | None = None,
        kind: str | None = None,
        side: int = 0,
        table: int | None = None,
    ) -> Builder:
        t = self.tables[-1] if table is None else self.tables[table]
        if code and cls is None:
            cls = "economic" if code.startswith("3") else "functional"
        row_kind = kind or ("subject" if code else ("total" if ("合计" in name or "总计" in name) else "item"))
        cells = [CellValue(c, None, Decimal(v), t.amount_unit) for c, v in (values or {}).items()]
        self.rows.append(
            LineItem(
                table_index=t.index,
                page=t.pages[0],
                row_kind=row_kind,
                name=name,  # type: ignore[arg-type]
                values=cells,
                code=code,
                classification=cls,
                side=side,
            )
        )  # type: ignore[arg-type]
        return self

    def say(self, *texts: str, page: int = 20, new_paragraph: bool = True) -> Builder:
        para = (
            (self.sentences[-1].paragraph or 0) + 1
            if self.sentences and new_paragraph
            else (self.sentences[-1].paragraph if self.sentences else 0)
        )
        for t in texts:
            self.sentences.append(Sentence(page=page, text=t, paragraph=para))
        return self

    def build(self) -> ParsedReport:
        for t in self.tables:  # what the parser says of the rows: summary sides, 三公 items
            rows = [li for li in self.rows if li.table_index == t.index]
            t.columns = headed_columns(t.columns, rows)
            summary_sides(t.kind, rows)
            t.columns = sangong_items(t.kind, t.columns, rows)
        return ParsedReport(
            meta=self.meta,
            tables=self.tables,
            line_items=self.rows,
            sentences=self.sentences,
            programmes=self.programmes,
            indicators=self.indicators,
            blank_pages=self.blank_pages,
        )


def run(rule_id: str, report: ParsedReport) -> list[Finding]:
    """The findings of one rule (raises SkipRule when its inputs are missing)."""
    return list(RULES[rule_id].fn(report))


def skipped(rule_id: str, report: ParsedReport) -> str | None:
    try:
        list(RULES[rule_id].fn(report))
    except SkipRule as s:
        return s.reason
    return None


def of(rule_id: str, report: ParsedReport, severity: str | None = None) -> list[Finding]:
    """Findings of a rule from a full validation run, optionally of one severity."""
    return [
        f for f in validate(report).findings if f.rule_id == rule_id and (severity is None or f.severity == severity)
    ]


def d(text: str) -> Decimal:
    return Decimal(text)


def headed_columns(columns: list[Column], rows: list[LineItem]) -> list[Column]:
    """As the parser gives them: a Column for every value label, each with its header parts."""
    labels = [c.label for c in columns]
    labels += list(dict.fromkeys(v.column for li in rows for v in li.values if v.column not in labels))
    old = {c.label: c for c in columns}
    return [replace(old.get(label, Column(label)), header=column_header(label)) for label in labels]


@lru_cache(maxsize=4)
def _parsed_bytes(path: Path) -> bytes:
    need(path.exists(), f"fixture {path} is absent")
    return pickle.dumps(parse_pdf(path.read_bytes()))


def parsed_real(path: Path) -> ParsedReport:
    """A real fixture parsed once per test run; each call gets its own copy to mutate."""
    report: ParsedReport = pickle.loads(_parsed_bytes(path))
    return report
