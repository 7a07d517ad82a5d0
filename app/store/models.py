"""SQLModel tables. Each derived row keeps its contract document (`doc`, JSON) plus the
columns the API filters on, so reads return exactly what the parser produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class Report(SQLModel, table=True):
    __tablename__ = "report"

    id: str = Field(primary_key=True, max_length=64)
    sha256: str = Field(index=True, unique=True, max_length=64)
    filename: str
    size_bytes: int
    pages: int | None = None
    status: str = Field(index=True, max_length=16)  # queued, parsing, parsed, failed
    department: str | None = Field(default=None, index=True)
    fiscal_year: int | None = Field(default=None, index=True)
    kind: str = Field(default="unknown", index=True, max_length=16)
    amount_unit: str | None = None
    hints: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    timings_ms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    validation: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    error_count: int = Field(default=0, index=True)
    parser_version: str | None = None
    error_code: str | None = None
    error_detail: str | None = None
    attempts: int = 0
    created_at: datetime
    updated_at: datetime
    parsed_at: datetime | None = None


class ReportTable(SQLModel, table=True):
    __tablename__ = "report_table"

    id: str = Field(primary_key=True, max_length=96)
    report_id: str = Field(foreign_key="report.id", index=True, max_length=64)
    idx: int
    kind: str = Field(index=True, max_length=48)
    title: str
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class LineItem(SQLModel, table=True):
    __tablename__ = "line_item"
    __table_args__ = (Index("ix_line_item_report_idx", "report_id", "idx"),)

    id: str = Field(primary_key=True, max_length=96)
    report_id: str = Field(foreign_key="report.id", max_length=64)
    idx: int
    table_id: str = Field(max_length=96)
    table_kind: str = Field(index=True, max_length=48)
    row_kind: str = Field(max_length=16)
    classification: str | None = Field(default=None, max_length=16)
    code: str | None = Field(default=None, index=True, max_length=16)
    level: int | None = None
    measures: str = ""  # ",total,basic," for the measure filter
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Programme(SQLModel, table=True):
    __tablename__ = "programme"

    id: str = Field(primary_key=True, max_length=96)
    report_id: str = Field(foreign_key="report.id", index=True, max_length=64)
    idx: int
    name: str
    scope: str = Field(max_length=16)
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Indicator(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (Index("ix_indicator_report_idx", "report_id", "idx"),)

    id: str = Field(primary_key=True, max_length=96)
    report_id: str = Field(foreign_key="report.id", max_length=64)
    idx: int
    programme_id: str | None = Field(default=None, max_length=96)
    programme_name: str | None = None
    level1: str | None = None
    level2: str | None = None
    met: bool | None = None
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class Finding(SQLModel, table=True):
    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_report_idx", "report_id", "idx"),)

    id: str = Field(primary_key=True, max_length=96)
    report_id: str = Field(foreign_key="report.id", max_length=64)
    idx: int
    rule_id: str = Field(index=True, max_length=64)
    severity: str = Field(max_length=8)
    doc: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
