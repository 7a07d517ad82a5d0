"""Performance tables the tests draw with reportlab: the layouts of the seeds without their ruling
lines, a table continued on the next page, a list layout with merged project cells, a doubled
text layer, and a goals-only table that has no indicators."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from app.parsing.model import Indicator, Programme
from app.parsing.performance import extract_performance
from app.parsing.reader import read_document

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE = 9.0
LEADING = 11.0


@dataclass
class Grid:
    """Rows of cells; None continues the cell above (a merged cell, its text centred on the block)."""

    widths: list[float]
    rows: list[list[str | None]]
    heights: list[float] = field(default_factory=list)
    hrules: bool = True
    vrules: bool = True
    x0: float = 40.0


def _text(c: canvas.Canvas, text: str, x0: float, x1: float, top: float, bottom: float) -> None:
    lines = text.split("\n")
    mid = (top + bottom) / 2
    first = mid + (len(lines) - 1) * LEADING / 2 - SIZE / 3
    for i, line in enumerate(lines):
        c.drawCentredString((x0 + x1) / 2, first - i * LEADING, line)


def draw_grid(c: canvas.Canvas, g: Grid, top: float) -> float:
    """Draw the grid with its top edge at `top` (reportlab y); return its bottom."""
    heights = g.heights or [
        max(18.0, 8 + LEADING * max((cell or "").count("\n") + 1 for cell in row)) for row in g.rows
    ]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    xs = [g.x0]
    for w in g.widths:
        xs.append(xs[-1] + w)
    c.setFont(FONT, SIZE)
    for col in range(len(g.widths)):
        r = 0
        while r < len(g.rows):
            end = r + 1
            while end < len(g.rows) and g.rows[end][col] is None:
                end += 1
            text = g.rows[r][col]
            if text:
                _text(c, text, xs[col], xs[col + 1], ys[r], ys[end])
            if g.hrules:
                c.line(xs[col], ys[r], xs[col + 1], ys[r])
                c.line(xs[col], ys[end], xs[col + 1], ys[end])
            r = end
    if g.vrules:
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
    return ys[-1]


def pdf_of(pages: Sequence[Sequence[tuple[str, object]]], size: tuple[float, float] = A4) -> bytes:
    """Pages of ("text", (x, y, string, font size)) and ("grid", (Grid, top)) items."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for items in pages:
        for kind, spec in items:
            if kind == "text":
                x, y, s, fs = spec  # type: ignore[misc]
                c.setFont(FONT, fs)
                c.drawString(x, y, s)
            else:
                grid, top = spec  # type: ignore[misc]
                draw_grid(c, grid, top)
        c.showPage()
    c.save()
    return buf.getvalue()


def extract(data: bytes) -> tuple[list[Programme], list[Indicator]]:
    return extract_performance(read_document(data), [])


def by_name(indicators: list[Indicator], name: str) -> Indicator:
    return next(i for i in indicators if i.name == name)


HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施"]
WIDTHS = [60.0, 70.0, 150.0, 70.0, 70.0, 95.0]


def zhaohua_like(rules: bool) -> bytes:
    """昭化: operator and unit inside the value cell, merged 一级指标, 自评得分 under the table."""
    form = Grid(
        [90.0, 150.0, 90.0, 185.0],
        [["项目名称", "基金监管工作经费", "", ""], ["主管部门", "昭化区医保局", "实施单位", "昭化区医保局"]],
        hrules=rules,
        vrules=rules,
    )
    body = Grid(
        WIDTHS,
        [
            HEADER,
            ["产出指标", "数量指标", "开展全区定点医药机构\n检查次数", "≥30次", "53次", ""],
            [None, "质量指标", "专项检查违规查处率", "100%", "100%", ""],
            [None, "时效指标", "年度检查任务按时完成率", "100%", "100%", ""],
            ["效益指标", "社会效益指标", "保障医保基金安全运行", "优", "优", ""],
            ["成本指标", "经济成本指标", "监管工作经费控制数", "≤5万元", "0万元", "项目正在推进中"],
        ],
        hrules=rules,
        vrules=rules,
    )
    page = [
        ("text", (150.0, 780.0, "部门预算项目支出绩效自评表（2023年度）", 14.0)),
        ("grid", (form, 760.0)),
        ("grid", (body, 700.0)),
        ("text", (40.0, 520.0, "自评得分：82分", 10.0)),
    ]
    return pdf_of([page])


def test_operator_and_unit_inside_the_value_without_any_rules() -> None:
    progs, inds = extract(zhaohua_like(rules=False))
    assert [i.name for i in inds] == [
        "开展全区定点医药机构检查次数",
        "专项检查违规查处率",
        "年度检查任务按时完成率",
        "保障医保基金安全运行",
        "监管工作经费控制数",
    ]
    first = inds[0]
    assert (first.operator, first.target, first.unit, first.actual, first.met) == ("≥", "30", "次", "53", True)
    assert (first.level1, first.level2) == ("产出指标", "数量指标")
    assert by_name(inds, "年度检查任务按时完成率").level1 == "产出指标"  # merged cell inherited
    cost = by_name(inds, "监管工作经费控制数")
    assert (cost.operator, cost.target, cost.unit, cost.actual, cost.met) == ("≤", "5", "万元", "0", True)
    assert cost.deviation_reason == "项目正在推进中"
    assert by_name(inds, "保障医保基金安全运行").target == "优"
    assert [(p.name, p.department, p.implementer, p.total_score) for p in progs] == [
        ("基金监管工作经费", "昭化区医保局", "昭化区医保局", Decimal("82"))
    ]


def test_the_same_table_with_full_rules_reads_the_same() -> None:
    ruled = extract(zhaohua_like(rules=True))[1]
    bare = extract(zhaohua_like(rules=False))[1]
    assert [(i.name, i.operator, i.target, i.unit, i.actual, i.level1, i.level2) for i in ruled] == [
        (i.name, i.operator, i.target, i.unit, i.actual, i.level1, i.level2) for i in bare
    ]


LIST_HEADER = [
    "项目名称",
    "项目金额",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "权重",
    "指标方向性",
]
LIST_WIDTHS = [150.0, 60.0, 55.0, 70.0, 150.0, 45.0, 45.0, 45.0, 35.0, 55.0]


def test_list_layout_with_project_columns_merged_down_and_horizontal_rules_only() -> None:
    rows: list[list[str | None]] = [
        LIST_HEADER,
        [
            "54010021T00000010385-\n医疗保障政策宣传费",
            "280,000.00",
            "产出指标",
            "成本指标",
            "宣传展板",
            "≤",
            "1800",
            "元",
            "5",
            "正向指标",
        ],
        [None, None, "产出指标", "数量指标", "宣传海报张贴", "≥", "2000", "张", "5", "正向指标"],
        [None, None, "满意度指标", "服务对象满意度指标", "参保人员满意度", "≥", "95", "%", "5", "正向指标"],
        [
            "54010021T000000018596-\n举报奖励资金",
            "30,000.00",
            "产出指标",
            "时效指标",
            "核查后一个月内进行奖励",
            "≦",
            "30",
            "天",
            "10",
            "反向指标",
        ],
        [None, None, "效益指标", "可持续影响指标", "确保基金安全运行", "定性", "优良中低差", "", "10", "正向指标"],
    ]
    grid = Grid(LIST_WIDTHS, rows, vrules=False, x0=20.0)
    page = [
        ("text", (330.0, 560.0, "项目支出绩效目标表", 14.0)),
        ("text", (20.0, 540.0, "金额单位：元", 9.0)),
        ("grid", (grid, 530.0)),
    ]
    progs, inds = extract(pdf_of([page], landscape(A4)))
    assert [(p.code, p.name, p.amount, p.amount_unit) for p in progs] == [
        ("54010021T00000010385", "医疗保障政策宣传费", Decimal("280000.00"), "元"),
        ("54010021T000000018596", "举报奖励资金", Decimal("30000.00"), "元"),
    ]
    assert [i.programme_index for i in inds] == [0, 0, 0, 1, 1]
    late = by_name(inds, "核查后一个月内进行奖励")
    assert (late.operator, late.target, late.unit, late.weight, late.direction) == (
        "≤",
        "30",
        "天",
        Decimal("10"),
        "反向",
    )
    qual = by_name(inds, "确保基金安全运行")
    assert (qual.operator, qual.target, qual.unit, qual.met) == ("定性", "优良中低差", None, None)


def test_a_table_continued_on_the_next_page_keeps_its_programme_and_merged_cells() -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分"]
    widths = [55.0, 90.0, 120.0, 40.0, 50.0, 45.0, 55.0, 35.0, 35.0]
    first = Grid(
        widths,
        [
            header,
            ["产出指标", "数量指标", "开展医保业务宣传数", "≥", "2", "次", "5", "5.00", "5.00"],
            [None, None, "召开医保工作推进会", "≥", "1", "次", "12", "5.00", "5.00"],
        ],
    )
    second = Grid(
        widths,
        [
            [None, "质量指标", "医保人才培养合格率", "≥", "90.00", "%", "90.00", "5.00", "5.00"],
            ["满意度指标", "服务对象满意度指标", "医保服务对象满意度", "≥", "85.00", "%", "80.00", "10.00", "8.00"],
        ],
    )
    total = Grid(widths, [["总分", "", "", "", "", "", "", "100.00", "91.92"]])
    pages = [
        [
            ("text", (200.0, 790.0, "2022年度项目支出绩效自评表", 14.0)),
            ("text", (40.0, 760.0, "项目名称  医疗服务与保障能力提升补助资金", 10.0)),
            ("grid", (first, 740.0)),
        ],
        [("grid", (second, 800.0)), ("grid", (total, 760.0))],
    ]
    progs, inds = extract(pdf_of(pages))
    assert [p.name for p in progs] == ["医疗服务与保障能力提升补助资金"]
    assert progs[0].pages == [1, 2]
    assert progs[0].total_score == Decimal("91.92")
    assert [(i.name, i.page, i.level1, i.level2) for i in inds] == [
        ("开展医保业务宣传数", 1, "产出指标", "数量指标"),
        ("召开医保工作推进会", 1, "产出指标", "数量指标"),
        ("医保人才培养合格率", 2, "产出指标", "质量指标"),
        ("医保服务对象满意度", 2, "满意度指标", "服务对象满意度指标"),
    ]
    missed = by_name(inds, "医保服务对象满意度")
    assert (missed.weight, missed.score, missed.met) == (Decimal("10.00"), Decimal("8.00"), False)


def test_doubled_text_layers_are_read_once() -> None:
    """烟台 prints some text twice at the same place; fake bold prints a glyph twice, shifted."""
    grid = Grid(WIDTHS, [HEADER, ["产出指标", "数量指标", "对上争取协调次数", "≥15次", "16次", ""]])
    page = [
        ("text", (150.0, 780.0, "政策和项目预算绩效目标表", 14.0)),
        ("text", (150.3, 780.0, "政策和项目预算绩效目标表", 14.0)),
        ("text", (40.0, 760.0, "项目名称 交通战备专项", 10.0)),
        ("grid", (grid, 740.0)),
        ("grid", (grid, 740.0)),
    ]
    progs, inds = extract(pdf_of([page]))
    assert [(i.name, i.operator, i.target, i.unit, i.actual) for i in inds] == [
        ("对上争取协调次数", "≥", "15", "次", "16")
    ]
    assert progs[0].name == "交通战备专项"


def test_a_table_of_goals_without_indicators_yields_nothing() -> None:
    grid = Grid(
        [100.0, 120.0, 60.0, 230.0],
        [
            ["单位名称", "项目名称", "金额", "绩效目标"],
            ["杭州市司法局", "法治杭州建设", "69.00", "加快推进法治领域改革杭州实践"],
            ["杭州市司法局", "法治政府建设", "676.51", "推进行政立法工作科学高效"],
        ],
    )
    page = [("text", (150.0, 780.0, "表11：2026年市级部门项目支出绩效表", 14.0)), ("grid", (grid, 760.0))]
    assert extract(pdf_of([page])) == ([], [])


def test_header_cells_printed_on_two_lines() -> None:
    """三级 / 指标 and 指标 / 性质 stacked in their header cells, horizontal rules only."""
    grid = Grid(
        [60.0, 70.0, 150.0, 40.0, 50.0, 45.0, 40.0],
        [
            ["一级\n指标", "二级\n指标", "三级\n指标", "指标\n性质", "指标值", "度量\n单位", "权重"],
            ["产出指标", "数量指标", "培训人次", "≥", "400", "人次", "10"],
            [None, "时效指标", "资金支付及时率", "=", "100", "%", "10"],
        ],
        vrules=False,
    )
    page = [("text", (150.0, 780.0, "项目支出绩效目标表", 14.0)), ("grid", (grid, 760.0))]
    _, inds = extract(pdf_of([page]))
    assert [(i.level1, i.level2, i.name, i.operator, i.target, i.unit, i.weight) for i in inds] == [
        ("产出指标", "数量指标", "培训人次", "≥", "400", "人次", Decimal("10")),
        ("产出指标", "时效指标", "资金支付及时率", "=", "100", "%", Decimal("10")),
    ]
