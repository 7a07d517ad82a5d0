"""Grid body rows → line items: codes (one cell, 类/款/项 columns with inherited parts, or a
code in front of the name), names joined across wrapped lines, amounts per value column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.amounts import parse_amount
from app.parsing.codes import Code, PartInheritance, classify, code_cell, is_split_part, split_leading_code
from app.parsing.grid import Grid, Row
from app.parsing.headers import ColumnInfo
from app.parsing.model import SUMMARY_KINDS, BBox, CellValue, LineItem, TableKind

NUMBERING = re.compile(  # 一、 1. （一） 其中： before a row name
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|\d+[、.．](?!\d))+"
)
GRAND_TOTALS = frozenset({"总计", "收入总计", "支出总计", "收支总计"})
TOTAL = re.compile(r"^(?:合计|总计|小计)|(?:合计|总计|小计)$|收入合计|支出合计|收入总计|支出总计|经费合计")
_UNIT_CODE_LABEL = re.compile(r"单位|部门")
_SUBJECT_LABEL = re.compile(r"科目|分类|功能|经济|类|款|项")
_ECONOMIC_LABEL = re.compile(r"经济")


@dataclass
class RowState:
    """What carries from one row to the next inside a table (across its pages)."""

    parts: dict[int, PartInheritance] = field(default_factory=dict)
    seen: dict[int, set[str]] = field(default_factory=dict)  # codes of the current block, per side
    section: dict[int, int] = field(default_factory=dict)

    def section_of(self, side: int, code: str | None) -> int:
        """Tables printed per 预算单位 (深圳 支出总表) repeat their codes in each unit's block."""
        seen = self.seen.setdefault(side, set())
        if code is not None:
            if code in seen:
                self.section[side] = self.section.get(side, 0) + 1
                seen.clear()
            seen.add(code)
        return self.section.get(side, 0)


def _bbox(row: Row, cols: list[int]) -> BBox | None:
    ws = [w for i in cols for w in row.cells[i]]
    if not ws:
        return None
    return (
        round(min(w.x0 for w in ws), 2),
        round(min(w.top for w in ws), 2),
        round(max(w.x1 for w in ws), 2),
        round(max(w.bottom for w in ws), 2),
    )


def _code_of(row: Row, code_cols: list[int], state: PartInheritance) -> str | None:
    if not code_cols:
        return None
    parts = [row.text(i) for i in code_cols]
    if len(code_cols) == 1:
        c = code_cell(parts[0])
        if c is not None and len(c) in (3, 5, 7) and c[0] in "1235":
            state.code([c])  # remember its 类/款 for rows that print only their own part
            return c
        if c is None and is_split_part(parts[0]) and len(parts[0].strip()) == 2 and state.parts[0]:
            # 西安 2019 p7: one code column printing `208`, then `05` for 20805, then `2080505`
            return state.code(["", parts[0], ""])
        return c if c is not None and len(c) in (3, 5, 6, 7) else None
    return state.code(parts)


def _unit_code_column(label: str) -> bool:
    """A column of 单位编码 / 部门代码, not of subject codes (部门预算支出经济分类科目 is the latter)."""
    return bool(_UNIT_CODE_LABEL.search(label)) and not _SUBJECT_LABEL.search(label)


def _classify(code: str, unit_code: bool, economic: bool) -> Code:
    if unit_code:
        return Code(code, None, None, None)
    return classify(code, economic_hint=economic and code[0] in "35")


def row_items(
    grid: Grid,
    cols: list[ColumnInfo],
    *,
    table_index: int,
    unit: str | None,
    state: RowState,
) -> list[LineItem]:
    """Line items of every body row of one grid, one per side-by-side group."""
    page = grid.region.page
    groups = sorted({c.group for c in cols})
    items: list[LineItem] = []
    by_group = {g: [i for i, c in enumerate(cols) if c.group == g] for g in groups}
    for row in grid.body_rows:
        for g in groups:
            idx = by_group[g]
            code_cols = [i for i in idx if cols[i].role == "code"]
            label_cols = [i for i in idx if cols[i].role == "label"]
            value_cols = [i for i in idx if cols[i].role == "value"]
            if not label_cols and not code_cols and not any(row.text(i) for i in value_cols):
                continue
            name = "".join(row.text(i) for i in label_cols).strip()
            code = _code_of(row, code_cols, state.parts.setdefault(g, PartInheritance()))
            if code is None and name:
                lead, rest = split_leading_code(name)
                if lead:
                    code, name = lead, rest
            values: list[CellValue] = []
            for i in value_cols:
                amount = parse_amount(row.text(i))
                if amount is None:
                    continue
                cb = _bbox(row, [i])
                values.append(
                    CellValue(column=cols[i].label, measure=cols[i].measure, amount=amount, unit=unit, bbox=cb)
                )
            if not code and not name and not values:
                continue
            code_label = " ".join(cols[i].label for i in code_cols)
            info = None
            unit_code = False
            if code:
                unit_code = bool(code_cols) and _unit_code_column(cols[code_cols[0]].label)
                info = _classify(code, unit_code, bool(_ECONOMIC_LABEL.search(code_label)))
            if info is not None and info.classification is None and not unit_code:
                info = None  # a number of no subject's shape: not a subject code
            # a 单位编码 stays the row's code, unclassified: it names a unit, not a subject
            if info is not None:
                kind = "subject"
            else:
                kind = "total" if TOTAL.search(re.sub(r"\s+", "", name)) else "item"
            items.append(
                LineItem(
                    table_index=table_index,
                    page=page,
                    row_kind=kind,  # type: ignore[arg-type]
                    name=re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", name),
                    values=values,
                    code=info.code if info else None,
                    classification=info.classification if info else None,
                    level=info.level if info else None,
                    parent_code=info.parent if info else None,
                    bbox=_bbox(row, idx),
                    side=g,
                    section=state.section_of(g, info.code if info else None),
                )
            )
    return items


def summary_sides(kind: TableKind, items: list[LineItem]) -> None:
    """Mark each row of a summary table as printed on its income or its spending half: the
    side-by-side halves when the table prints two, else the rows up to the first 总计 are income
    and those after it, to the next 总计, spending. Rows past both halves have no side."""
    if kind not in SUMMARY_KINDS:
        return
    halves = sorted({li.side for li in items})
    if len(halves) > 1:
        for li in items:
            n = halves.index(li.side)
            li.summary_side = "income" if n == 0 else ("expenditure" if n == 1 else None)
        return
    n = 0
    for li in items:
        li.summary_side = "income" if n == 0 else ("expenditure" if n == 1 else None)
        if NUMBERING.sub("", re.sub(r"[\s\u3000]+", "", li.name)) in GRAND_TOTALS:
            n += 1
