"""Response shapes of the contract (CONTRACT.md), for validation and the OpenAPI document.
Amounts are decimal strings, never floats."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DecimalStr = str


class FileInfo(BaseModel):
    name: str
    sha256: str
    size_bytes: int
    pages: int | None = None


class FindingCounts(BaseModel):
    error: int = 0
    warning: int = 0
    info: int = 0


class Counts(BaseModel):
    tables: int = 0
    line_items: int = 0
    programmes: int = 0
    indicators: int = 0
    findings: FindingCounts = Field(default_factory=FindingCounts)


class ReportError(BaseModel):
    code: str
    detail: str | None = None


class ReportOut(BaseModel):
    id: str
    status: Literal["queued", "parsing", "parsed", "failed"]
    department: str | None
    fiscal_year: int | None
    kind: Literal["final", "budget", "unknown"]
    amount_unit: str | None
    file: FileInfo
    counts: Counts
    parser_version: str | None
    created_at: str
    updated_at: str
    parsed_at: str | None
    timings_ms: dict[str, float] = Field(default_factory=dict)
    error: ReportError | None


class ReportList(BaseModel):
    data: list[ReportOut]
    next_cursor: str | None


class ColumnOut(BaseModel):
    label: str
    measure: str | None


class TableOut(BaseModel):
    id: str
    kind: str
    title: str
    number: str | None
    pages: list[int]
    amount_unit: str | None
    columns: list[ColumnOut]
    empty: bool
    note: str | None


class TableDetail(TableOut):
    grid: list[list[str | None]]


class TableList(BaseModel):
    data: list[TableOut]
    next_cursor: str | None


class ValueOut(BaseModel):
    column: str
    measure: str | None
    amount: DecimalStr
    amount_yuan: DecimalStr


class LineItemOut(BaseModel):
    id: str
    report_id: str
    table_id: str
    table_kind: str
    page: int
    row_kind: Literal["subject", "total", "item"]
    classification: Literal["functional", "economic"] | None
    code: str | None
    level: int | None
    parent_code: str | None
    name: str
    values: list[ValueOut]
    bbox: list[float] | None = None


class LineItemList(BaseModel):
    data: list[LineItemOut]
    next_cursor: str | None


class ProgrammeOut(BaseModel):
    id: str
    name: str
    scope: Literal["project", "department"]
    table_id: str | None
    pages: list[int]
    code: str | None
    department: str | None
    implementer: str | None
    funds: dict[str, DecimalStr | None]
    fund_rows: dict[str, dict[str, DecimalStr | None]]
    execution_rate: DecimalStr | None
    goal_target: str | None
    goal_actual: str | None
    total_score: DecimalStr | None
    grade: str | None
    amount: DecimalStr | None
    amount_unit: str | None


class ProgrammeList(BaseModel):
    data: list[ProgrammeOut]
    next_cursor: str | None


class ProgrammeRef(BaseModel):
    id: str
    name: str
    scope: str
    table_id: str | None


class IndicatorOut(BaseModel):
    id: str
    programme: ProgrammeRef | None
    level1: str | None
    level2: str | None
    name: str
    operator: str | None
    target: str | None
    unit: str | None
    actual: str | None
    weight: DecimalStr | None
    score: DecimalStr | None
    met: bool | None
    completion: str | None
    deviation_reason: str | None
    direction: str | None
    page: int | None


class IndicatorList(BaseModel):
    data: list[IndicatorOut]
    next_cursor: str | None


class LocationOut(BaseModel):
    table_id: str | None
    table_title: str | None
    page: int | None
    code: str | None
    row_label: str | None
    column: str | None
    bbox: list[float] | None = None


class FindingOut(BaseModel):
    id: str
    rule_id: str
    severity: Literal["error", "warning", "info"]
    message: str
    expected: str | None
    actual: str | None
    difference: DecimalStr | None
    location: LocationOut
    evidence: str | None


class SkipOut(BaseModel):
    rule_id: str
    reason: str


class ValidationOut(BaseModel):
    report_id: str
    status: str
    valid: bool | None
    checked_at: str | None
    rules_run: int
    rules_skipped: list[SkipOut]
    counts: FindingCounts
    findings: list[FindingOut]


class RuleOut(BaseModel):
    id: str
    family: str
    severity: Literal["error", "warning", "info"]
    description_zh: str
    description_en: str
    inputs: list[str]


class RuleList(BaseModel):
    data: list[RuleOut]
    next_cursor: str | None = None


class SubjectOut(BaseModel):
    code: str
    name: str
    classification: Literal["functional", "economic"]
    level: int
    years: list[int] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)


class SubjectList(BaseModel):
    data: list[SubjectOut]
    next_cursor: str | None


class Health(BaseModel):
    status: str
    database: str | None = None
