"""The contract's one shape of each resource (CONTRACT.md): built once from the parsed model
(`*_out` below) and used by the CLI document, storage reads, the API and the exports.
Amounts are decimal strings, never floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from app.parsing import model as pm
from app.validation import model as vm

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


class Progress(BaseModel):
    """How far the running parse is (from its job row)."""

    stage: str = Field(description="starting, parsing, saving", examples=["parsing"])
    pages_done: int | None = Field(description="pages read so far", examples=[120])
    pages_total: int | None = Field(description="pages of the PDF", examples=[262])


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
    progress: Progress | None = Field(default=None, description="while parsing (GET /reports/{id}); else null")


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
    locations: list[LocationOut] = Field(
        default_factory=list, description="every place the same condition was found (the first is `location`)")
    evidence: str | None


class FigureOut(BaseModel):
    """A figure on the page: the one a finding checked, or one it was compared with."""

    role: Literal["checked", "compared"]
    line_item_id: str | None
    table_id: str | None
    code: str | None
    name: str | None
    page: int
    bbox: list[float] = Field(description="x0, top, x1, bottom in points from the page's top-left")


class FindingDetailOut(FindingOut):
    """A finding with every figure it involved (page and bbox each)."""

    figures: list[FigureOut]


class PageSizeOut(BaseModel):
    number: int = Field(description="1-based page number")
    width: float = Field(description="points (1/72 inch)")
    height: float = Field(description="points (1/72 inch)")


class PageListOut(BaseModel):
    report_id: str
    count: int
    data: list[PageSizeOut]


class SkipOut(BaseModel):
    rule_id: str
    reason: str


class ComplianceOut(BaseModel):
    """The 公开 compliance checks (财预〔2016〕143号: `disclosure.*` and the required table set)."""

    passed: list[str] = Field(default_factory=list, description="rule ids whose check passed")
    failed: list[str] = Field(default_factory=list, description="rule ids that found a gap")
    not_applicable: list[str] = Field(default_factory=list, description="rule ids that could not apply")


class ClaimCountsOut(BaseModel):
    tied: int = Field(default=0, description="restating a table figure, compared with it")
    checked: int = Field(default=0, description="compared with another claim (a sum, share, change or comparison)")
    unverified: int = Field(default=0, description="compared with nothing (see unverified_reasons)")


class ClaimsOut(BaseModel):
    """Claims coverage of the 情况说明: where each stated amount, percentage and subject ended."""

    amounts: ClaimCountsOut = Field(default_factory=ClaimCountsOut)
    percentages: ClaimCountsOut = Field(default_factory=ClaimCountsOut)
    subjects: ClaimCountsOut = Field(default_factory=ClaimCountsOut)
    unverified_reasons: dict[str, int] = Field(default_factory=dict,
                                               description="why claims stayed unverified: reason code → count")


class ValidationOut(BaseModel):
    report_id: str
    status: str
    valid: bool | None
    checked_at: str | None
    rules_run: int
    rules_skipped: list[SkipOut]
    counts: FindingCounts
    compliance: ComplianceOut = Field(default_factory=ComplianceOut)
    claims: ClaimsOut = Field(default_factory=ClaimsOut)
    findings: list[FindingOut]


class RuleOut(BaseModel):
    id: str
    family: str
    severity: Literal["error", "warning", "info"]
    description_zh: str
    description_en: str
    inputs: list[str]
    # the pairs of tables printing the same quantity that the rule checks (empty: no tie)
    ties: list[str] = Field(default_factory=list)


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


# --- built from the parsed model -------------------------------------------------------------


def dec(d: Decimal | None) -> str | None:
    """A Decimal as the contract's decimal string (no exponent), None stays None."""
    return None if d is None else format(d, "f")


def table_id(report_id: str, index: int) -> str:
    return f"{report_id}-t{index + 1}"


def programme_id(report_id: str, index: int) -> str:
    return f"{report_id}-p{index + 1}"


def line_item_id(report_id: str, index: int) -> str:
    return f"{report_id}-li{index + 1}"


def table_out(report_id: str, t: pm.Table) -> TableDetail:
    return TableDetail(
        id=table_id(report_id, t.index), kind=t.kind, title=t.title, number=t.number, pages=t.pages,
        amount_unit=t.amount_unit, columns=[ColumnOut(label=c.label, measure=c.measure) for c in t.columns],
        empty=t.empty, note=t.note, grid=t.grid,
    )


def value_out(v: pm.CellValue) -> ValueOut:
    return ValueOut(column=v.column, measure=v.measure, amount=format(v.amount, "f"),
                    amount_yuan=format(v.amount_yuan, "f"))


def line_item_out(report_id: str, n: int, li: pm.LineItem, table_kind: str) -> LineItemOut:
    return LineItemOut(
        id=line_item_id(report_id, n), report_id=report_id, table_id=table_id(report_id, li.table_index),
        table_kind=table_kind, page=li.page, row_kind=li.row_kind, classification=li.classification, code=li.code,
        level=li.level, parent_code=li.parent_code, name=li.name, values=[value_out(v) for v in li.values],
        bbox=list(li.bbox) if li.bbox else None,
    )


def programme_out(report_id: str, p: pm.Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=programme_id(report_id, p.index), name=p.name, scope=p.scope,
        table_id=table_id(report_id, p.table_index) if p.table_index is not None else None,
        pages=p.pages, code=p.code, department=p.department, implementer=p.implementer,
        funds={k: dec(v) for k, v in p.funds.items()},
        fund_rows={k: {c: dec(v) for c, v in row.items()} for k, row in p.fund_rows.items()},
        execution_rate=dec(p.execution_rate), goal_target=p.goal_target, goal_actual=p.goal_actual,
        total_score=dec(p.total_score), grade=p.grade, amount=dec(p.amount), amount_unit=p.amount_unit,
    )


def indicator_out(report_id: str, n: int, ind: pm.Indicator, programmes: list[pm.Programme]) -> IndicatorOut:
    prog = programmes[ind.programme_index] if ind.programme_index is not None else None
    ref = None if prog is None else ProgrammeRef(
        id=programme_id(report_id, prog.index), name=prog.name, scope=prog.scope,
        table_id=table_id(report_id, prog.table_index) if prog.table_index is not None else None)
    return IndicatorOut(
        id=f"{report_id}-i{n + 1}", programme=ref, level1=ind.level1, level2=ind.level2, name=ind.name,
        operator=ind.operator, target=ind.target, unit=ind.unit, actual=ind.actual, weight=dec(ind.weight),
        score=dec(ind.score), met=ind.met, completion=ind.completion, deviation_reason=ind.deviation_reason,
        direction=ind.direction, page=ind.page,
    )


def _value(v: Decimal | str | None) -> str | None:
    return dec(v) if isinstance(v, Decimal) else v


def _location_out(report_id: str, loc: vm.Location, tables: list[pm.Table]) -> LocationOut:
    return LocationOut(
        table_id=table_id(report_id, loc.table_index) if loc.table_index is not None else None,
        table_title=loc.table_title or (tables[loc.table_index].title if loc.table_index is not None else None),
        page=loc.page, code=loc.code, row_label=loc.row_label, column=loc.column,
        bbox=list(loc.bbox) if loc.bbox else None,
    )


def finding_out(report_id: str, n: int, f: vm.Finding, tables: list[pm.Table]) -> FindingOut:
    return FindingOut(
        id=f"{report_id}-f{n + 1}", rule_id=f.rule_id, severity=f.severity, message=f.message,
        expected=_value(f.expected), actual=_value(f.actual), difference=dec(f.difference),
        location=_location_out(report_id, f.location, tables),
        locations=[_location_out(report_id, loc, tables) for loc in f.locations or [f.location]],
        evidence=f.evidence,
    )


def claims_out(c: vm.ClaimCoverage) -> ClaimsOut:
    return ClaimsOut(amounts=ClaimCountsOut(**c.counts.get("amount", {})),
                     percentages=ClaimCountsOut(**c.counts.get("pct", {})),
                     subjects=ClaimCountsOut(**c.counts.get("subject", {})), unverified_reasons=c.reasons)


def validation_out(report_id: str, v: vm.ValidationReport, tables: list[pm.Table], *, status: str,
                   checked_at: str) -> ValidationOut:
    return ValidationOut(
        report_id=report_id, status=status, valid=v.valid, checked_at=checked_at, rules_run=v.rules_run,
        rules_skipped=[SkipOut(rule_id=s.rule_id, reason=s.reason) for s in v.rules_skipped],
        counts=FindingCounts(**v.counts),
        compliance=ComplianceOut(passed=v.compliance.passed, failed=v.compliance.failed,
                                 not_applicable=v.compliance.not_applicable),
        claims=claims_out(v.claims),
        findings=[finding_out(report_id, n, f, tables) for n, f in enumerate(v.findings)],
    )


def counts_out(parsed: pm.ParsedReport, v: vm.ValidationReport) -> Counts:
    return Counts(tables=len(parsed.tables), line_items=len(parsed.line_items), programmes=len(parsed.programmes),
                  indicators=len(parsed.indicators), findings=FindingCounts(**v.counts))


class Document(BaseModel):
    """`python -m app extract`: the report and everything derived from it, in one JSON document."""

    report: ReportOut
    tables: list[TableDetail]
    line_items: list[LineItemOut]
    programmes: list[ProgrammeOut]
    indicators: list[IndicatorOut]
    validation: ValidationOut


def document_out(report: ReportOut, parsed: pm.ParsedReport, v: vm.ValidationReport, checked_at: str) -> Document:
    rid = report.id
    kinds = [t.kind for t in parsed.tables]
    return Document(
        report=report,
        tables=[table_out(rid, t) for t in parsed.tables],
        line_items=[line_item_out(rid, n, li, kinds[li.table_index]) for n, li in enumerate(parsed.line_items)],
        programmes=[programme_out(rid, p) for p in parsed.programmes],
        indicators=[indicator_out(rid, n, i, parsed.programmes) for n, i in enumerate(parsed.indicators)],
        validation=validation_out(rid, v, parsed.tables, status=report.status, checked_at=checked_at),
    )


# --- headline figures (app/reports/summary.py) ------------------------------------------------

from app.reports.summary import SummaryKey  # noqa: E402


class SummarySource(BaseModel):
    table_id: str
    page: int
    bbox: list[float] | None = Field(description="the printed cell (x0, top, x1, bottom in points, top-left "
                                                  "origin); the row's after a re-validation")


class SummaryFigureOut(BaseModel):
    key: SummaryKey
    label: str
    amount: DecimalStr
    amount_unit: str | None
    amount_yuan: DecimalStr
    source: SummarySource


class ReportSummary(BaseModel):
    report_id: str
    figures: list[SummaryFigureOut]


class SummaryRowOut(SummaryFigureOut):
    report_id: str
    department: str | None
    fiscal_year: int | None
    kind: Literal["final", "budget", "unknown"]


class SummaryList(BaseModel):
    data: list[SummaryRowOut]
    next_cursor: str | None


class HistoryReport(BaseModel):
    report_id: str
    figures: list[SummaryFigureOut]
    line_items: list[LineItemOut] = Field(description="the rows printing `code` (every table that prints it)")


class HistoryYear(BaseModel):
    fiscal_year: int | None
    budget: HistoryReport | None
    final: HistoryReport | None


class DepartmentHistory(BaseModel):
    department: str
    code: str | None
    years: list[HistoryYear]
