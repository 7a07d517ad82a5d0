"""The parsed model: what `parse_pdf` returns and every later stage (validation, storage,
the API and the CLI) reads. Plain dataclasses, no I/O; amounts are `Decimal`, never float."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

ReportKind = Literal["final", "budget", "unknown"]
RowKind = Literal["subject", "total", "item"]
Classification = Literal["functional", "economic"]
# what a table is, from its title (docs/tables.md); validation reads it, never the title
TableKind = Literal[
    "income_expenditure_summary",
    "income",
    "expenditure",
    "fiscal_grant_summary",
    "general_public_expenditure",
    "general_public_basic",
    "general_public_project",
    "general_public_economic",
    "basic_expenditure",
    "project_expenditure",
    "government_fund",
    "state_capital",
    "three_public",
    "agency_operation",
    "government_procurement",
    "state_assets",
    "carryover",
    "performance_self_eval",
    "performance_target",
    "performance_eval",
    "other",
]
# the “三公”经费 items a column or row of a three_public table is about (公务用车购置及运行费 = vehicle)
SangongItem = Literal["total", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
# what a printed header part says of the columns under it (docs/tables.md): a part may say several
HeaderRole = Literal["total", "subtotal", "memo", "component", "carry", "carry_in", "carry_out", "income", "spending"]
FigureSource = Literal["text", "ocr"]
SummarySide = Literal["income", "expenditure"]  # the two halves of a 收入支出总表
SUMMARY_KINDS: frozenset[TableKind] = frozenset({"income_expenditure_summary", "fiscal_grant_summary"})
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin

UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}


def to_yuan(amount: Decimal, unit: str | None) -> Decimal:
    """The amount in 元, exact to the cent (the printed value times the unit factor)."""
    factor = UNIT_FACTORS.get(unit or "元", Decimal(1))
    return (amount * factor).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Column:
    label: str  # printed header, spanned parts joined with "/"
    measure: str | None = None  # canonical name: total, basic, project, personnel, public, ...
    sangong_item: SangongItem | None = None  # three_public tables only
    # each header part of the label, outermost first, with what it says (合计 → total, subtotal)
    header: tuple[tuple[str, frozenset[HeaderRole]], ...] = ()


@dataclass(frozen=True)
class CellValue:
    column: str
    measure: str | None
    amount: Decimal  # as printed, in the table's unit
    unit: str | None = None
    bbox: BBox | None = None
    sangong_item: SangongItem | None = None  # the column's, in three_public tables
    # how the figure was read: from the PDF's text layer, or by OCR from a scanned page (then
    # `confidence` is its least sure character's, 0..1; docs/ocr.md)
    source: FigureSource = "text"
    confidence: float | None = None

    @property
    def amount_yuan(self) -> Decimal:
        return to_yuan(self.amount, self.unit)


@dataclass
class LineItem:
    table_index: int  # index into ParsedReport.tables
    page: int  # 1-based
    row_kind: RowKind
    name: str
    values: list[CellValue] = field(default_factory=list)
    code: str | None = None
    classification: Classification | None = None
    level: int | None = None  # 1 类, 2 款, 3 项
    parent_code: str | None = None
    bbox: BBox | None = None
    side: int = 0  # which side-by-side half of the table the row was printed in
    section: int = 0  # which block of the table: a code printed again starts the next (per-unit blocks)
    summary_side: SummarySide | None = None  # summary tables: the income or the spending half
    sangong_item: SangongItem | None = None  # three_public tables: the item the row names, if any


@dataclass
class GridRow:
    """Where one row of a table's `grid` is printed (app/parsing/layout.py)."""

    page: int  # 1-based
    top: float  # the row's text band, points from the page's top
    bottom: float
    header: bool  # a header row (above the first body row of its page)
    columns: list[tuple[float, float]]  # each column's x0, x1 on that page
    colspans: list[int]  # per column: n ≥ 1 where a cell starts (spanning n columns), 0 where covered


@dataclass
class Table:
    index: int
    kind: TableKind
    title: str
    pages: list[int]
    amount_unit: str | None
    columns: list[Column] = field(default_factory=list)
    number: str | None = None  # 公开03表 …
    grid: list[list[str | None]] = field(default_factory=list)  # the printed cell grid
    empty: bool = False
    note: str | None = None
    bbox: BBox | None = None  # on the first page
    layout: list[GridRow] = field(default_factory=list)  # one per row of `grid`


@dataclass
class Programme:
    index: int
    name: str
    scope: Literal["project", "department"]
    table_index: int | None = None
    pages: list[int] = field(default_factory=list)
    code: str | None = None
    department: str | None = None  # 主管部门
    implementer: str | None = None  # 实施单位
    funds: dict[str, Decimal] = field(default_factory=dict)  # 年初预算数, 全年预算数, 全年执行数 …
    fund_rows: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # 当年财政拨款 / 上年结转 / 其他资金
    execution_rate: Decimal | None = None
    goal_target: str | None = None  # 年度总体目标 预期目标
    goal_actual: str | None = None  # 实际完成情况
    total_score: Decimal | None = None
    grade: str | None = None
    amount: Decimal | None = None  # budgets: the project amount
    amount_unit: str | None = None


@dataclass
class Indicator:
    programme_index: int | None
    level1: str | None
    level2: str | None
    name: str
    operator: str | None = None  # one of ≥ ≤ = > < 定性
    target: str | None = None
    unit: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    met: bool | None = None
    completion: str | None = None
    deviation_reason: str | None = None
    direction: str | None = None  # 正向 / 反向
    page: int | None = None
    bbox: BBox | None = None


@dataclass
class Sentence:
    """A sentence of the narrative (情况说明), its words in reading order."""

    page: int
    text: str
    bbox: BBox | None = None
    paragraph: int | None = None  # sentences of one paragraph share it (a change refers to the amount before)


@dataclass
class ContentsEntry:
    """An entry of the contents page (目录), as printed: its title without the numbering."""

    title: str
    page: int | None = None  # the page number it names, if printed
    number: str | None = None  # 一、 / 1. / 第二部分
    source_page: int | None = None  # the 1-based PDF page the 目录 prints it on


@dataclass
class ReportMeta:
    department: str | None = None
    fiscal_year: int | None = None
    kind: ReportKind = "unknown"
    amount_unit: str | None = None
    pages: int = 0
    title: str | None = None


@dataclass
class ParsedReport:
    meta: ReportMeta
    tables: list[Table] = field(default_factory=list)
    line_items: list[LineItem] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    blank_pages: list[int] = field(default_factory=list)  # 1-based pages printing nothing (narrative.blank_pages)
    contents: list[ContentsEntry] = field(default_factory=list)  # the 目录's entries (app/parsing/contents.py)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)  # (width, height) in points, page by page
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages without a text layer, read by OCR
