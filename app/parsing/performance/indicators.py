"""Table rows → Indicator objects: inherited 一级/二级指标, operators and units pulled out of
values (`≥30次`), numbers parsed, `met` computed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.model import BBox, Indicator
from app.parsing.performance.rows import Row
from app.parsing.performance.values import blank, is_met, normalise_operator, split_value, to_decimal

_DIRECTION = re.compile(r"^(正向|反向)(指标)?$")
# rows that are not indicators: totals, repeated headers, and placeholders of empty 指标 slots (长沙 prints
# 不适用 / 无 rows for every unused 二级指标)
_NOT_A_NAME = re.compile(
    r"^(合计|总计|小计|总分|得分|[一二三]级指标|三级指标|指标名称|序号|\d+|不适用.*|不涉及.*|不满足|不合适|"
    r"无|暂无|/|-|—|[.。…·、]+)$"
)


@dataclass
class Context:
    """What a row inherits from the rows above it in the same table (merged cells)."""

    level1: str | None = None
    level2: str | None = None
    merged: dict[str, str] = field(default_factory=dict)


def _value_text(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(operator, value, unit) of a printed value cell."""
    if blank(text):
        return None, None, None
    assert text is not None
    v = split_value(text)
    return v.operator, (v.text or None), v.unit


def row_indicator(row: Row, ctx: Context, programme_index: int | None, bbox_x: tuple[float, float]) -> Indicator | None:
    """The indicator printed on a row, or None for rows that are not indicators."""
    for role in ("level1", "level2"):
        cell = row.merged.get(role)
        if cell and cell[0]:
            setattr(ctx, role, cell[0])
    name = row.cells.get("name")
    if blank(name) or name is None or _NOT_A_NAME.match(name):
        return None
    cells = row.cells
    op_cell = cells.get("operator")
    direction = None
    operator = normalise_operator(op_cell)
    if op_cell and _DIRECTION.match("".join(op_cell.split())):
        direction = op_cell.strip()[:2]
    t_op, target, t_unit = _value_text(cells.get("target"))
    unit = None if blank(cells.get("unit")) else cells.get("unit")
    if operator is None:
        operator = t_op
    if unit is None:
        unit = t_unit
    _, actual, _ = _value_text(cells.get("actual"))
    d = cells.get("direction")
    if d and _DIRECTION.match("".join(d.split())):
        direction = "".join(d.split())[:2]
    bbox: BBox = (bbox_x[0], row.top, bbox_x[1], row.bottom)
    return Indicator(
        programme_index=programme_index,
        level1=ctx.level1,
        level2=ctx.level2,
        name=name,
        operator=operator,
        target=target,
        unit=unit,
        actual=actual,
        weight=to_decimal(cells.get("weight")),
        score=to_decimal(cells.get("score")),
        met=is_met(operator, target, actual, direction),
        completion=None if blank(cells.get("completion")) else cells.get("completion"),
        deviation_reason=None if blank(cells.get("deviation")) else cells.get("deviation"),
        direction=direction,
        page=row.page,
        bbox=bbox,
    )
