"""The contract's one shape of each resource (CONTRACT.md): built once from the parsed model
(`*_out` below) and used by the CLI document, storage reads, the API and the exports.
Amounts are decimal strings, never floats. Every vocabulary is an enum (Literal) and every field
says what it is: the OpenAPI document, and the clients generated from it, are built from these."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from app.parsing import model as pm
from app.parsing.kinds import MEASURES
from app.reports.grid import GridRowOut, grid_rows
from app.validation import model as vm

DecimalStr = str
ReportStatus = Literal["queued", "parsing", "parsed", "failed"]
ReportKind = Literal["final", "budget", "unknown"]
Severity = Literal["error", "warning", "info"]
if TYPE_CHECKING:
    Measure = str
else:
    Measure = Literal[MEASURES]  # docs/tables.md, built from the parser's own table of words

BBOX = ("x0, top, x1, bottom in PDF points (1/72 inch) from the page's top-left corner; "
        "GET /reports/{id}/pages gives each page's width and height")
CURSOR = "pass as `cursor` for the next page (also in the `Link: rel=\"next\"` header); null on the last page"
AMOUNT = "decimal string, exact as printed, in the table's unit (`amount_unit`)"
YUAN = "the amount in 元 (yuan), exact to the cent"
UNIT = "the printed unit of amounts: 元, 千元, 万元 or 亿元"
EXAMPLE_ID = "d45e923176f9fe4b6533829d"


class FileInfo(BaseModel):
    name: str = Field(description="the uploaded file name", examples=["putuo_finance_2024_final.pdf"])
    sha256: str = Field(description="SHA-256 of the stored bytes (the report id is its first 24 hex digits)")
    size_bytes: int = Field(description="size of the stored file")
    pages: int | None = Field(default=None, description="page count, once parsed")


class FindingCounts(BaseModel):
    error: int = Field(default=0, description="findings at severity error (they make a report invalid)")
    warning: int = Field(default=0, description="findings at severity warning")
    info: int = Field(default=0, description="findings at severity info")


class Counts(BaseModel):
    tables: int = Field(default=0, description="standard tables found")
    line_items: int = Field(default=0, description="table rows with a name and at least one amount")
    programmes: int = Field(default=0, description="projects and programmes (项目) found")
    indicators: int = Field(default=0, description="performance indicators (绩效指标) found")
    findings: FindingCounts = Field(default_factory=FindingCounts, description="validation findings by severity")


class ReportError(BaseModel):
    code: str = Field(description="stable code of why parsing failed", examples=["unreadable_pdf"])
    detail: str | None = Field(default=None, description="human-readable detail")


class Progress(BaseModel):
    """How far the running parse is (from its job row)."""

    stage: str = Field(description="starting, parsing, saving", examples=["parsing"])
    pages_done: int | None = Field(description="pages read so far", examples=[120])
    pages_ocr: int | None = Field(default=None, description="of pages_done, those scanned and read by OCR",
                                  examples=[0])
    pages_total: int | None = Field(description="pages of the PDF", examples=[262])


class ReportOut(BaseModel):
    id: str = Field(description="the report id: the first 24 hex digits of the file's SHA-256",
                    examples=[EXAMPLE_ID])
    status: ReportStatus = Field(description="queued → parsing → parsed | failed")
    department: str | None = Field(description="the department (部门) as printed, or as given on upload",
                                   examples=["上海市普陀区财政局"])
    fiscal_year: int | None = Field(description="the fiscal year the report is about", examples=[2024])
    kind: ReportKind = Field(description="budget (部门预算), final (部门决算), or unknown")
    amount_unit: str | None = Field(description=f"the report's main amount unit: {UNIT}", examples=["万元"])
    file: FileInfo = Field(description="the stored upload")
    counts: Counts = Field(description="what the parse found")
    parser_version: str | None = Field(description="version of the parser that produced the data")
    created_at: str = Field(description="upload time, ISO 8601 UTC", examples=["2026-12-03T10:00:00Z"])
    updated_at: str = Field(description="last change (status, parse or validation), ISO 8601 UTC")
    parsed_at: str | None = Field(description="end of the last successful parse, ISO 8601 UTC")
    timings_ms: dict[str, float] = Field(default_factory=dict, description="milliseconds per parsing stage")
    error: ReportError | None = Field(description="why the report failed (status failed), else null")
    progress: Progress | None = Field(default=None, description="how far the parse is while it runs "
                                      "(GET /reports/{id}); else null")


class ReportList(BaseModel):
    data: list[ReportOut] = Field(description="the page's reports, newest first")
    next_cursor: str | None = Field(description=CURSOR)


class ColumnOut(BaseModel):
    label: str = Field(description="the printed header, spanned parts joined with /", examples=["基本支出/人员经费"])
    measure: Measure | None = Field(description="the column's canonical measure (docs/tables.md); null: none known",
                                    examples=["personnel"])


class TableOut(BaseModel):
    id: str = Field(description="table id: the report id and the table's position", examples=[f"{EXAMPLE_ID}-t1"])
    kind: pm.TableKind = Field(description="what the table is, from its title (docs/tables.md)")
    title: str = Field(description="the printed title", examples=["2024年度收入支出决算总表"])
    number: str | None = Field(description="the printed table number", examples=["公开01表"])
    pages: list[int] = Field(description="1-based pages the table is printed on")
    amount_unit: str | None = Field(description=f"the table's amount unit: {UNIT}")
    columns: list[ColumnOut] = Field(description="the value columns, in print order")
    empty: bool = Field(description="the table is printed without figures (e.g. 本部门无政府性基金收支)")
    note: str | None = Field(description="the note printed with an empty table")


class TableDetail(TableOut):
    grid: list[list[str | None]] = Field(
        description="the printed cell grid, row by row (header rows first); null: no text in that cell "
                    "(empty, or covered by a spanning text: `rows` tells which)")
    rows: list[GridRowOut] = Field(default_factory=list,
                                   description="the grid as printed: cells with spans, amounts and boxes")


class TableList(BaseModel):
    data: list[TableOut] = Field(description="the report's tables, in print order")
    next_cursor: str | None = Field(description=CURSOR)


class ValueOut(BaseModel):
    column: str = Field(description="the printed column label", examples=["合计"])
    measure: Measure | None = Field(description="the column's canonical measure; null: none known",
                                    examples=["total"])
    amount: DecimalStr = Field(description=AMOUNT, examples=["2922.80"])
    amount_yuan: DecimalStr = Field(description=YUAN, examples=["29228000.00"])
    source: pm.FigureSource = Field(
        default="text", description="how the figure was read: text (the PDF's text layer) or ocr (a scanned page "
                                    "read by OCR, docs/ocr.md)", examples=["text"])
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="ocr figures: the OCR confidence of the figure's least sure "
                                              "character (0..1); null for text figures", examples=[None])


class LineItemOut(BaseModel):
    id: str = Field(description="line item id: the report id and the row's position", examples=[f"{EXAMPLE_ID}-li1"])
    report_id: str = Field(description="the report it was printed in", examples=[EXAMPLE_ID])
    table_id: str = Field(description="the table it was printed in", examples=[f"{EXAMPLE_ID}-t4"])
    table_kind: pm.TableKind = Field(description="that table's kind")
    page: int = Field(description="1-based page the row is printed on")
    row_kind: pm.RowKind = Field(description="subject: a coded 科目 row; total: a 合计/总计 row; item: any other")
    classification: pm.Classification | None = Field(
        description="functional (支出功能分类) or economic (支出经济分类) for a coded row; null: no code")
    code: str | None = Field(description="the printed subject code", examples=["2080505"])
    level: int | None = Field(description="1 类, 2 款, 3 项 (from the code's length)", examples=[3])
    parent_code: str | None = Field(description="the code one level up", examples=["20805"])
    name: str = Field(description="the printed row label", examples=["机关事业单位基本养老保险缴费支出"])
    values: list[ValueOut] = Field(description="the row's printed amounts, one per value column")
    bbox: list[float] | None = Field(default=None, description=f"the row on its page: {BBOX}")
    page_width: float | None = Field(default=None, description="the page's width in points, to place `bbox`")
    page_height: float | None = Field(default=None, description="the page's height in points")


class LineItemList(BaseModel):
    data: list[LineItemOut] = Field(description="the page's line items")
    next_cursor: str | None = Field(description=CURSOR)


class ProgrammeOut(BaseModel):
    id: str = Field(description="programme id: the report id and its position", examples=[f"{EXAMPLE_ID}-p1"])
    name: str = Field(description="the programme's (项目) printed name")
    scope: Literal["project", "department"] = Field(
        description="project: one 项目; department: the department's overall 整体 performance")
    table_id: str | None = Field(description="the table it was read from")
    pages: list[int] = Field(description="1-based pages it is printed on")
    code: str | None = Field(description="the printed project code")
    department: str | None = Field(description="主管部门 as printed")
    implementer: str | None = Field(description="实施单位 as printed")
    funds: dict[str, DecimalStr | None] = Field(
        description="fund figures by printed label (年初预算数, 全年预算数, 全年执行数 …), decimal strings")
    fund_rows: dict[str, dict[str, DecimalStr | None]] = Field(
        description="per source of funds (当年财政拨款, 上年结转, 其他资金 …): label → decimal string")
    execution_rate: DecimalStr | None = Field(description="执行率 in per cent, decimal string")
    goal_target: str | None = Field(description="年度总体目标: the expected outcome as printed")
    goal_actual: str | None = Field(description="实际完成情况: what was achieved, as printed")
    total_score: DecimalStr | None = Field(description="the self-evaluation's total score, decimal string")
    grade: str | None = Field(description="the self-evaluation's grade (优, 良 …)")
    amount: DecimalStr | None = Field(description="budgets: the project amount, decimal string")
    amount_unit: str | None = Field(description=f"unit of `amount`: {UNIT}")


class ProgrammeList(BaseModel):
    data: list[ProgrammeOut] = Field(description="the report's programmes, in print order")
    next_cursor: str | None = Field(description=CURSOR)


class ProgrammeRef(BaseModel):
    id: str = Field(description="programme id")
    name: str = Field(description="the programme's printed name")
    scope: Literal["project", "department"] = Field(description="project or department (整体) performance")
    table_id: str | None = Field(description="the table it was read from")


class IndicatorOut(BaseModel):
    id: str = Field(description="indicator id: the report id and its position", examples=[f"{EXAMPLE_ID}-i1"])
    programme: ProgrammeRef | None = Field(description="the programme it measures")
    level1: str | None = Field(description="一级指标 (产出指标, 效益指标, 满意度指标 …)")
    level2: str | None = Field(description="二级指标 (数量指标, 质量指标, 时效指标 …)")
    name: str = Field(description="三级指标: the indicator as printed")
    operator: str | None = Field(description="the target's comparison as printed (≥, ≤, = …)")
    target: str | None = Field(description="指标值: the target as printed")
    unit: str | None = Field(description="the target's unit as printed")
    actual: str | None = Field(description="实际完成值 as printed")
    weight: DecimalStr | None = Field(description="分值: the weight, decimal string")
    score: DecimalStr | None = Field(description="得分: the score given, decimal string")
    met: bool | None = Field(description="whether the actual meets the target, where both are comparable")
    completion: str | None = Field(description="完成情况 as printed")
    deviation_reason: str | None = Field(description="偏差原因: why it was missed, as printed")
    direction: str | None = Field(description="正向/反向: whether more is better, as printed")
    page: int | None = Field(description="1-based page it is printed on")


class IndicatorList(BaseModel):
    data: list[IndicatorOut] = Field(description="the page's indicators")
    next_cursor: str | None = Field(description=CURSOR)


class LocationOut(BaseModel):
    table_id: str | None = Field(description="the table the finding is about, if one")
    table_title: str | None = Field(description="its printed title (or the section, for a narrative finding)")
    page: int | None = Field(description="1-based page")
    code: str | None = Field(description="the subject code of the row, if coded")
    row_label: str | None = Field(description="the row's printed label")
    column: str | None = Field(description="the column's printed label")
    bbox: list[float] | None = Field(default=None, description=f"the cell or row: {BBOX}")
    page_width: float | None = Field(default=None, description="the page's width in points, to place `bbox`")
    page_height: float | None = Field(default=None, description="the page's height in points")


class FindingOut(BaseModel):
    id: str = Field(description="finding id: the report id and its position", examples=[f"{EXAMPLE_ID}-f1"])
    rule_id: str = Field(description="the rule that found it (GET /rules lists them)", examples=["arith.subtotal"])
    severity: Severity = Field(description="error makes the report invalid; warning and info do not")
    message: str = Field(description="what is wrong, in words")
    expected: str | None = Field(description="what the rule expected (a decimal string for amounts)")
    actual: str | None = Field(description="what is printed (a decimal string for amounts)")
    difference: DecimalStr | None = Field(description="actual − expected, decimal string")
    location: LocationOut = Field(description="where it was found")
    locations: list[LocationOut] = Field(
        default_factory=list, description="every place the same condition was found (the first is `location`)")
    evidence: str | None = Field(description="the printed text the finding is based on")


class FigureOut(BaseModel):
    """A figure on the page: the one a finding checked, or one it was compared with."""

    role: Literal["checked", "compared"] = Field(description="checked: the figure found wrong; compared: its inputs")
    line_item_id: str | None = Field(description="the line item printing it, if one")
    table_id: str | None = Field(description="the table printing it")
    code: str | None = Field(description="the subject code of its row")
    name: str | None = Field(description="the printed label of its row")
    page: int = Field(description="1-based page")
    bbox: list[float] = Field(description=BBOX)
    page_width: float | None = Field(default=None, description="the page's width in points, to place `bbox`")
    page_height: float | None = Field(default=None, description="the page's height in points")


class FindingDetailOut(FindingOut):
    """A finding with every figure it involved (page and bbox each)."""

    figures: list[FigureOut] = Field(description="the figures checked and compared, to draw the evidence")


class PageSizeOut(BaseModel):
    number: int = Field(description="1-based page number")
    width: float = Field(description="points (1/72 inch)")
    height: float = Field(description="points (1/72 inch)")


class PageListOut(BaseModel):
    report_id: str = Field(description="the report")
    count: int = Field(description="page count")
    data: list[PageSizeOut] = Field(description="every page's size, to lay out page images and bboxes")


class SkipOut(BaseModel):
    rule_id: str = Field(description="the rule that did not run")
    reason: str = Field(description="why it could not apply to this report")


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

    amounts: ClaimCountsOut = Field(default_factory=ClaimCountsOut, description="amounts stated in the narrative")
    percentages: ClaimCountsOut = Field(default_factory=ClaimCountsOut,
                                        description="percentages stated in the narrative")
    subjects: ClaimCountsOut = Field(default_factory=ClaimCountsOut,
                                     description="subjects (科目) the narrative explains")
    unverified_reasons: dict[str, int] = Field(default_factory=dict,
                                               description="why claims stayed unverified: reason code → count")


class ValidationOut(BaseModel):
    report_id: str = Field(description="the report")
    status: ReportStatus = Field(description="the report's status")
    valid: bool | None = Field(description="no finding at error; null until the report is parsed")
    checked_at: str | None = Field(description="when the rules last ran, ISO 8601 UTC")
    rules_run: int = Field(description="rules that ran")
    rules_skipped: list[SkipOut] = Field(description="rules that could not apply, with why")
    counts: FindingCounts = Field(description="findings by severity")
    compliance: ComplianceOut = Field(default_factory=ComplianceOut, description="the 公开 compliance checks")
    claims: ClaimsOut = Field(default_factory=ClaimsOut, description="claims coverage of the narrative")
    findings: list[FindingOut] = Field(description="every finding, errors first")
    ocr_figures: int = Field(default=0, description="line-item figures read by OCR from scanned pages (docs/ocr.md)")
    ocr_low_confidence: int = Field(
        default=0, description="of those, figures whose OCR confidence is below parse.ocr_suspect's floor")


class RuleOut(BaseModel):
    id: str = Field(description="stable rule id `family.name`", examples=["arith.subtotal"])
    family: str = Field(description="the rule's family (the id's first part)", examples=["arith"])
    severity: Severity = Field(description="the severity of its findings")
    description_zh: str = Field(description="what it checks, in Chinese")
    description_en: str = Field(description="what it checks, in English")
    inputs: list[str] = Field(description="the table kinds or parts of the report it reads")
    ties: list[str] = Field(default_factory=list,
                            description="the pairs of tables printing the same quantity that it checks (empty: no tie)")


class RuleList(BaseModel):
    data: list[RuleOut] = Field(description="every rule")
    next_cursor: str | None = Field(default=None, description=CURSOR)


class SubjectOut(BaseModel):
    code: str = Field(description="the subject code (科目编码)", examples=["2080505"])
    name: str = Field(description="its name in the latest catalogue year", examples=["机关事业单位基本养老保险缴费"])
    classification: pm.Classification = Field(description="functional (功能分类) or economic (经济分类)")
    level: int = Field(description="1 类, 2 款, 3 项")
    years: list[int] = Field(default_factory=list, description="catalogue years that list it")
    names: list[str] = Field(default_factory=list, description="every name it had in those years")


class SubjectList(BaseModel):
    data: list[SubjectOut] = Field(description="the page's subjects")
    next_cursor: str | None = Field(description=CURSOR)


class Health(BaseModel):
    status: Literal["ok", "unavailable"] = Field(description="ok, or unavailable when the database is not reachable")
    database: str | None = Field(default=None, description="ok, or the kind of database error")


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


def table_out(report_id: str, t: pm.Table, page_sizes: list[tuple[float, float]]) -> TableDetail:
    return TableDetail(
        id=table_id(report_id, t.index), kind=t.kind, title=t.title, number=t.number, pages=t.pages,
        amount_unit=t.amount_unit, columns=[ColumnOut(label=c.label, measure=c.measure) for c in t.columns],
        empty=t.empty, note=t.note, grid=t.grid, rows=grid_rows(t, page_sizes),
    )


def value_out(v: pm.CellValue) -> ValueOut:
    return ValueOut(column=v.column, measure=v.measure, amount=format(v.amount, "f"),
                    amount_yuan=format(v.amount_yuan, "f"), source=v.source, confidence=v.confidence)


def page_size(page: int | None, page_sizes: list[tuple[float, float]]) -> dict[str, float | None]:
    """`page_width` and `page_height` of a 1-based page (None when unknown)."""
    if page is None or not 0 < page <= len(page_sizes):
        return {"page_width": None, "page_height": None}
    width, height = page_sizes[page - 1]
    return {"page_width": width, "page_height": height}


def line_item_out(report_id: str, n: int, li: pm.LineItem, table_kind: str,
                  page_sizes: list[tuple[float, float]]) -> LineItemOut:
    return LineItemOut(
        id=line_item_id(report_id, n), report_id=report_id, table_id=table_id(report_id, li.table_index),
        table_kind=table_kind, page=li.page,  # type: ignore[arg-type]
        row_kind=li.row_kind, classification=li.classification, code=li.code, level=li.level,
        parent_code=li.parent_code, name=li.name, values=[value_out(v) for v in li.values],
        bbox=list(li.bbox) if li.bbox else None, **page_size(li.page, page_sizes),
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


def _location_out(report_id: str, loc: vm.Location, tables: list[pm.Table],
                  page_sizes: list[tuple[float, float]]) -> LocationOut:
    return LocationOut(
        table_id=table_id(report_id, loc.table_index) if loc.table_index is not None else None,
        table_title=loc.table_title or (tables[loc.table_index].title if loc.table_index is not None else None),
        page=loc.page, code=loc.code, row_label=loc.row_label, column=loc.column,
        bbox=list(loc.bbox) if loc.bbox else None, **page_size(loc.page, page_sizes),
    )


def finding_out(report_id: str, n: int, f: vm.Finding, tables: list[pm.Table],
                page_sizes: list[tuple[float, float]]) -> FindingOut:
    return FindingOut(
        id=f"{report_id}-f{n + 1}", rule_id=f.rule_id, severity=f.severity, message=f.message,
        expected=_value(f.expected), actual=_value(f.actual), difference=dec(f.difference),
        location=_location_out(report_id, f.location, tables, page_sizes),
        locations=[_location_out(report_id, loc, tables, page_sizes) for loc in f.locations or [f.location]],
        evidence=f.evidence,
    )


def claims_out(c: vm.ClaimCoverage) -> ClaimsOut:
    return ClaimsOut(amounts=ClaimCountsOut(**c.counts.get("amount", {})),
                     percentages=ClaimCountsOut(**c.counts.get("pct", {})),
                     subjects=ClaimCountsOut(**c.counts.get("subject", {})), unverified_reasons=c.reasons)


def validation_out(report_id: str, v: vm.ValidationReport, tables: list[pm.Table], *, status: str,
                   checked_at: str, page_sizes: list[tuple[float, float]]) -> ValidationOut:
    return ValidationOut(
        report_id=report_id, status=status,  # type: ignore[arg-type]
        valid=v.valid, checked_at=checked_at, rules_run=v.rules_run,
        rules_skipped=[SkipOut(rule_id=s.rule_id, reason=s.reason) for s in v.rules_skipped],
        counts=FindingCounts(**v.counts),
        compliance=ComplianceOut(passed=v.compliance.passed, failed=v.compliance.failed,
                                 not_applicable=v.compliance.not_applicable),
        claims=claims_out(v.claims),
        findings=[finding_out(report_id, n, f, tables, page_sizes) for n, f in enumerate(v.findings)],
        ocr_figures=v.ocr_figures, ocr_low_confidence=v.ocr_low_confidence,
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
        tables=[table_out(rid, t, parsed.page_sizes) for t in parsed.tables],
        line_items=[line_item_out(rid, n, li, kinds[li.table_index], parsed.page_sizes)
                    for n, li in enumerate(parsed.line_items)],
        programmes=[programme_out(rid, p) for p in parsed.programmes],
        indicators=[indicator_out(rid, n, i, parsed.programmes) for n, i in enumerate(parsed.indicators)],
        validation=validation_out(rid, v, parsed.tables, status=report.status, checked_at=checked_at,
                                  page_sizes=parsed.page_sizes),
    )


# --- headline figures (app/reports/summary.py) ------------------------------------------------

from app.reports.summary import SummaryKey  # noqa: E402


class SummarySource(BaseModel):
    table_id: str = Field(description="the table printing the figure")
    page: int = Field(description="1-based page")
    bbox: list[float] | None = Field(description="the printed cell (x0, top, x1, bottom in points, top-left "
                                                  "origin); the row's after a re-validation")
    page_width: float | None = Field(default=None, description="the page's width in points, to place `bbox`")
    page_height: float | None = Field(default=None, description="the page's height in points")


class SummaryFigureOut(BaseModel):
    key: SummaryKey = Field(description="which headline figure (docs/summary.md)")
    label: str = Field(description="the printed label it was read from", examples=["收入总计"])
    amount: DecimalStr = Field(description=AMOUNT, examples=["2922.80"])
    amount_unit: str | None = Field(description=f"unit of `amount`: {UNIT}")
    amount_yuan: DecimalStr = Field(description=YUAN, examples=["29228000.00"])
    source: SummarySource = Field(description="where it is printed")


class ReportSummary(BaseModel):
    report_id: str = Field(description="the report")
    figures: list[SummaryFigureOut] = Field(description="each key the report prints, in the vocabulary's order")


class SummaryRowOut(SummaryFigureOut):
    report_id: str = Field(description="the report")
    department: str | None = Field(description="its department")
    fiscal_year: int | None = Field(description="its fiscal year")
    kind: ReportKind = Field(description="budget, final or unknown")


class SummaryList(BaseModel):
    data: list[SummaryRowOut] = Field(description="the page's figures")
    next_cursor: str | None = Field(description=CURSOR)


class HistoryReport(BaseModel):
    report_id: str = Field(description="the report")
    figures: list[SummaryFigureOut] = Field(description="its headline figures")
    line_items: list[LineItemOut] = Field(description="the rows printing `code` (every table that prints it)")


class HistoryYear(BaseModel):
    fiscal_year: int | None = Field(description="the fiscal year")
    budget: HistoryReport | None = Field(description="that year's budget (部门预算), if loaded")
    final: HistoryReport | None = Field(description="that year's final account (部门决算), if loaded")


class DepartmentHistory(BaseModel):
    department: str = Field(description="the department")
    code: str | None = Field(description="the subject code asked for")
    years: list[HistoryYear] = Field(description="each year loaded, budget next to final")
