"""SQLModel tables.

A report's `report_data` row keeps what re-validation and the per-report reads need: the parsed
model less its line items (`parsed`, zlib-compressed JSON) and the last validation (`validation`,
the contract's ValidationOut), apart from the lean `report` row that lists and filters use. Line
items are stored once, as typed rows shaped for the reads across reports (code × measure × year
across departments); their values are one small JSON array per row.

Every list order is an index: `report (created_at, id)`, `line_item (report_id, idx)` (the key),
`line_item (code, fiscal_year, report_id, idx)` (the order of a code query across reports: one
code across years and departments) and `line_item (fiscal_year, report_id, idx)`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, SmallInteger, Text
from sqlmodel import Field, SQLModel


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (Index("ix_report_created_id", "created_at", "id"),
                      Index("ix_report_year_id", "fiscal_year", "id"))

    id: str = Field(primary_key=True, max_length=64)
    sha256: str = Field(index=True, unique=True, max_length=64)
    filename: str
    size_bytes: int
    pages: int | None = None
    status: str = Field(index=True, max_length=16)  # queued, parsing, parsed, failed
    department: str | None = Field(default=None, index=True)
    fiscal_year: int | None = None
    kind: str = Field(default="unknown", index=True, max_length=16)
    amount_unit: str | None = None
    hints: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    timings_ms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error_count: int = Field(default=0, index=True)
    parser_version: str | None = None
    error_code: str | None = None
    error_detail: str | None = None
    attempts: int = 0
    created_at: datetime
    updated_at: datetime
    parsed_at: datetime | None = None


class ReportData(SQLModel, table=True):
    __tablename__ = "report_data"

    report_id: str = Field(foreign_key="report.id", primary_key=True, max_length=64)
    parsed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    validation: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class LineItem(SQLModel, table=True):
    __tablename__ = "line_item"
    __table_args__ = (Index("ix_line_item_code", "code", "fiscal_year", "report_id", "idx"),
                      Index("ix_line_item_year", "fiscal_year", "report_id", "idx"))

    report_id: str = Field(foreign_key="report.id", primary_key=True, max_length=64)
    idx: int = Field(primary_key=True)
    fiscal_year: int = 0  # the report's (0: unknown), so a year-wide listing is one index range
    table_idx: int = Field(sa_type=SmallInteger)
    table_kind: str = Field(max_length=48)
    page: int = Field(sa_type=SmallInteger)
    row_kind: str = Field(max_length=16)
    classification: str | None = Field(default=None, max_length=16)
    code: str | None = Field(default=None, max_length=16)
    level: int | None = Field(default=None, sa_type=SmallInteger)
    parent_code: str | None = Field(default=None, max_length=16)
    name: str
    side: int = Field(default=0, sa_type=SmallInteger)
    section: int = Field(default=0, sa_type=SmallInteger)
    summary_side: str | None = Field(default=None, max_length=16)  # income / expenditure (summary tables)
    sangong_item: str | None = Field(default=None, max_length=24)  # 三公 tables' rows
    unit: str | None = Field(default=None, max_length=8)
    measures: str = ""  # ",total,basic,": the measure filter
    bbox: list[float] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # [[column, measure, amount], …] in print order; amounts are decimal strings, a fourth item is
    # the value's unit where it is not the row's (or it has a fifth: its 三公 item). Value boxes are
    # not kept: no rule reads them. A figure read by OCR has a sixth item: its confidence.
    vals: list[list[Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # the line item as the API shows it (LineItemOut's JSON), written with the row: a page is these joined
    doc: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class SummaryFigure(SQLModel, table=True):
    """A report's headline figures (app/reports/summary.py), written with its parse: the report's
    year, kind and department are copied in, so one key across reports (`ix_summary_figure_key`)
    and one department across years (`ix_summary_figure_department`) are index reads."""

    __tablename__ = "summary_figure"
    __table_args__ = (Index("ix_summary_figure_key", "key", "fiscal_year", "report_id"),
                      Index("ix_summary_figure_department", "department", "fiscal_year", "report_id"))

    report_id: str = Field(foreign_key="report.id", primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=32)
    pos: int = Field(sa_type=SmallInteger)  # the key's place in the vocabulary
    fiscal_year: int = 0  # the report's (0: unknown)
    kind: str = Field(max_length=16)
    department: str | None = None
    amount: str = Field(max_length=40)  # decimal string as printed, in `unit`
    unit: str | None = Field(default=None, max_length=8)
    page_width: float | None = None  # the page's size in points, beside `bbox`
    page_height: float | None = None
    table_idx: int = Field(sa_type=SmallInteger)
    page: int = Field(sa_type=SmallInteger)
    bbox: list[float] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Batch(SQLModel, table=True):
    """A bulk upload (`POST /batches`): its entries say what became of each file."""

    __tablename__ = "batch"

    id: str = Field(primary_key=True, max_length=64)
    created_at: datetime
    files: int = 0


class BatchEntry(SQLModel, table=True):
    """One file of a batch: the report it became (`created`: new bytes), or the problem that refused it."""

    __tablename__ = "batch_entry"
    __table_args__ = (Index("ix_batch_entry_report", "report_id"),)

    batch_id: str = Field(foreign_key="batch.id", primary_key=True, max_length=64)
    pos: int = Field(primary_key=True)
    filename: str
    report_id: str | None = Field(default=None, max_length=64)
    created: bool = False
    problem: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
