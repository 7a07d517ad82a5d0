"""Fund rows of performance tables (年度资金总额, 其中：当年财政拨款, 项目金额 …) as line items.

Performance tables are forms, not lists: only amounts printed under a money heading
(年初预算数, 全年执行数, 项目金额, 批复金额 …) are kept, so scores, weights and indicator
targets never become figures. Programmes and indicators themselves are read elsewhere.
"""

from __future__ import annotations

import re

from app.parsing.amounts import is_empty_mark, parse_amount
from app.parsing.grid import Grid
from app.parsing.kinds import column_measure
from app.parsing.model import BBox, CellValue, LineItem
from app.parsing.reader import join_words
from app.parsing.rows import TOTAL

_MONEY = re.compile(r"预算数|执行数|决算数|金额|资金|总额|拨款|下达|批复|支出数|投入")
_NAME_KEY = re.compile(r"^项目[（(]?[政策]*[)）]?名称$|^项目名称$")
_NAME_HEADING = re.compile(r"名称$")
_NOT_MONEY = re.compile(r"分值|得分|执行率|权重|指标|完成值|比例|项目期|[（(]年[)）]|%|率$")


def _head(grid: Grid, r: int, x0: float, x1: float, heading: re.Pattern[str] | None = None) -> str | None:
    """The nearest text printed above a figure that is not itself a number: in a ruled form the
    text of the cell (between the vertical rules) above it, else text overlapping it."""
    xc = (x0 + x1) / 2
    vr = grid.region.vrules
    for k in range(r - 1, -1, -1):
        if heading is not None and any(parse_amount(w.text) is not None for w in grid.rows[k].words):
            continue  # another data row of the same list
        words = [w for w in grid.rows[k].words if parse_amount(w.text) is None]
        for w in words:
            yc = (w.top + w.bottom) / 2
            lefts = [v.x for v in vr if v.x <= w.x0 + 1 and v.top - 1 <= yc <= v.bottom + 1]
            rights = [v.x for v in vr if v.x >= w.x1 - 1 and v.top - 1 <= yc <= v.bottom + 1]
            a, b = (max(lefts), min(rights)) if lefts and rights else (w.x0 - 2, w.x1 + 2)
            if a <= xc <= b:
                text = join_words(sorted((o for o in words if a <= o.xc <= b), key=lambda o: (o.top, o.x0)))
                if heading is not None:  # only the nearest text above counts (a 合计 row aside)
                    if TOTAL.search(re.sub(r"\s+", "", text)):
                        break
                    return text if heading.search(text) else None
                if len(text) <= 24 and (_MONEY.search(text) or _NOT_MONEY.search(text)):
                    return text
                break  # a section or label row spanning the column: look further up
        if heading is not None:
            return None  # the heading must be in the first row above the list
    return None


def _programme_name(grid: Grid) -> str | None:
    """The value printed beside a `项目名称` / `项目(政策)名称` key in the form."""
    for row in grid.rows:
        texts = row.texts()
        for i, t in enumerate(texts):
            if t and _NAME_KEY.search(t) and len(t) <= 12:
                nxt = next((u for u in texts[i + 1 :] if u), None)
                if nxt:
                    return nxt
    return None


def _is_money_key(text: str | None) -> bool:
    if not text or len(text) > 24:
        return False
    return bool(_MONEY.search(text)) and not _NOT_MONEY.search(text)


def fund_items(grid: Grid, *, table_index: int, unit: str | None) -> list[LineItem]:
    page = grid.region.page
    out: list[LineItem] = []
    programme = _programme_name(grid)
    for r, row in enumerate(grid.rows):
        texts = row.texts()
        amounts = [(i, a) for i, t in enumerate(texts) if t and (a := parse_amount(t)) is not None]
        if not amounts:
            continue
        first = amounts[0][0]
        label = next((t for t in reversed(texts[:first]) if t and parse_amount(t) is None and not is_empty_mark(t)), "")
        for i in range(first):  # a cell under a `任务名称`/`项目名称` heading names the row (玉溪 公开13表)
            t, cell = texts[i], row.cells[i]
            if t and parse_amount(t) is None and cell:
                if _head(grid, r, min(w.x0 for w in cell), max(w.x1 for w in cell), _NAME_HEADING):
                    label = t
                    break
        if not label or len(label) > 60:
            continue
        values: list[CellValue] = []
        keyed = 0  # values whose key is printed to their left (项目预算金额 | 8376.38 | 全年执行数 | 8376.38)
        prev = -1
        for i, a in amounts:
            ws = row.cells[i]
            head = _head(grid, r, min(w.x0 for w in ws), max(w.x1 for w in ws))
            if head == programme:
                head = None
            if not _is_money_key(head):
                left = next((t for t in reversed(texts[prev + 1 : i]) if t and not is_empty_mark(t)), None)
                head = left if _is_money_key(left) else None
                keyed += head is not None
            prev = i
            if head is None:
                continue
            bbox: BBox = (
                min(w.x0 for w in ws), min(w.top for w in ws),
                max(w.x1 for w in ws), max(w.bottom for w in ws),
            )
            values.append(CellValue(column=head, measure=column_measure(head), amount=a, unit=unit, bbox=bbox))
        if not values:
            continue
        if keyed == len(values) and programme:
            label = programme
        ws = row.words
        name = re.sub(r"\s+", "", label)
        out.append(
            LineItem(
                table_index=table_index,
                page=page,
                row_kind="total" if TOTAL.search(name) else "item",
                name=label,
                values=values,
                bbox=(min(w.x0 for w in ws), row.top, max(w.x1 for w in ws), row.bottom),
            )
        )
    return out
