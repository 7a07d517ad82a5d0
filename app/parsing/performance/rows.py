"""Body rows of an indicator table on one page.

Rows come from the horizontal rules crossing the 三级指标 column; without rules, from the
lines of the columns that print one short value per row (运算符号, 分值, 得分, else the targets),
each collecting the paragraphs of the other columns around it. Merged cells (一级/二级指标, the project columns of list
layouts) cover several rows: with rules their extent is known, without rules a label printed
in the middle (or at the top) of its block is given the rows around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.parsing.performance.columns import SPAN
from app.parsing.performance.header import Column
from app.parsing.performance.lines import Line, cell_text, group_lines
from app.parsing.performance.view import PageView, Word

MERGED_ROLES = frozenset({"level1", "level2", "proj_name", "proj_amount", "proj_goal", "proj_period"})


@dataclass
class Row:
    page: int
    top: float
    bottom: float
    cells: dict[str, str] = field(default_factory=dict)  # row roles → text
    merged: dict[str, tuple[str, float]] = field(default_factory=dict)  # merged role → (text, cell top)
    span: str = ""  # text printed across columns (a section or unit row)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


Tagged = tuple[str, int, Word]


def _y(w: Word) -> float:
    """Where a word counts vertically: a little below its top. Some generators print values
    lower than their cell (重庆 p28 prints them across the rule below), never above it."""
    return w.top + 0.3 * (w.bottom - w.top)


def _anchors(by_col: dict[int, list[Word]], roles: dict[int, str]) -> list[float]:
    """Row centres: the lines of the columns that print one short value per row (operator,
    分值, 得分; else short targets), each a row of its own."""
    for wanted in (("operator", "weight", "score"), ("target",), ("actual",)):
        ys: list[float] = []
        for idx, ws in by_col.items():
            if roles[idx] not in wanted:
                continue
            ys += [ln.yc for ln in group_lines(ws) if len(ln.text) <= 8]
        if ys:
            out: list[float] = []
            for y in sorted(ys):
                if out and y - out[-1] < 0.6 * min(w.size for ws in by_col.values() for w in ws):
                    continue
                out.append(y)
            return out
    return []


def _paragraphs(words: Sequence[Word]) -> list[list[Line]]:
    """A column's lines grouped into cells: consecutive lines at the column's line pitch."""
    lines = group_lines(words)
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top - a.top > 0.8 * b.size]
    pitch = min(pitches, default=0.0)
    groups: list[list[Line]] = []
    for ln in lines:
        if groups and ln.top - groups[-1][-1].top <= 1.1 * pitch and ln.top - groups[-1][-1].bottom < 0.6 * ln.size:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _text_rows(tagged: Sequence[Tagged]) -> list[tuple[float, float]]:
    """Row extents from text alone: each row centre found by `_anchors` collects the cells
    (paragraphs) of the other columns around it; a paragraph holding two centres is cut."""
    by_col: dict[int, list[Word]] = {}
    roles: dict[int, str] = {}
    for role, idx, w in tagged:
        if role in MERGED_ROLES or role == SPAN:
            continue
        by_col.setdefault(idx, []).append(w)
        roles[idx] = role
    anchors = _anchors(by_col, roles)
    if not anchors:
        return [(g[0].top, g[-1].bottom) for ws in by_col.values() for g in _paragraphs(ws)]
    extents: list[list[float]] = [[y, y] for y in anchors]
    orphans: list[list[float]] = []
    for ws in by_col.values():
        for para in _paragraphs(ws):
            top, bottom = para[0].top, para[-1].bottom
            inside = [i for i, y in enumerate(anchors) if top - 1 <= y <= bottom + 1]
            if len(inside) > 1:
                for ln in para:
                    i = min(inside, key=lambda i: abs(anchors[i] - ln.yc))
                    extents[i] = [min(extents[i][0], ln.top), max(extents[i][1], ln.bottom)]
                continue
            yc = (top + bottom) / 2
            i = inside[0] if inside else min(range(len(anchors)), key=lambda i: abs(anchors[i] - yc))
            if not inside and abs(anchors[i] - yc) > (bottom - top) / 2 + 1.5 * para[0].size:
                orphans.append([top, bottom])
                continue
            extents[i] = [min(extents[i][0], top), max(extents[i][1], bottom)]
    rows = sorted([(a, b) for a, b in extents] + [(a, b) for a, b in orphans])
    # rows must not overlap: cut at the middle of any overlap
    out: list[tuple[float, float]] = []
    for a, b in rows:
        if out and a < out[-1][1]:
            mid = (a + out[-1][1]) / 2
            out[-1] = (out[-1][0], mid)
            a = mid
        out.append((a, max(a, b)))
    return [(a - 0.5, b + 0.5) for a, b in out]


def _ruled_rows(view: PageView, key: Column, top: float, bottom: float) -> list[tuple[float, float]] | None:
    ys = view.h_covering(key.xc, top, bottom)
    inner = [y for y in ys if top + 2 < y < bottom - 2]
    if not inner:
        return None
    edges = sorted({top, *inner, bottom})
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b - a > 2]


def _merged_cells(
    view: PageView, col: Column, words: Sequence[Word], rows: Sequence[Row], top: float, bottom: float
) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of the merged cells of one column."""
    ys = [y for y in view.h_covering(col.xc, top, bottom) if top + 2 < y < bottom - 2]
    if ys:
        edges = sorted({top, *ys, bottom})
        out = []
        for a, b in zip(edges, edges[1:], strict=False):
            inside = [w for w in words if a <= _y(w) < b]
            out.append((a, b, cell_text(inside)))
        return out
    # no rules: each label claims the rows around it, a block centred on the label
    labels = []
    for line_words in _label_blocks(words):
        t0 = min(w.top for w in line_words)
        b0 = max(w.bottom for w in line_words)
        labels.append((t0, b0, cell_text(line_words)))
    if col.role.startswith("proj_"):
        # project cells are printed from the top of their block (拉萨); the rows above the first
        # one on a page still belong to the project continued from the page before
        return [
            (t0 - 1, labels[i + 1][0] - 1 if i + 1 < len(labels) else bottom, text)
            for i, (t0, _, text) in enumerate(labels)
        ]
    out = []
    start = top
    for i, (t0, b0, text) in enumerate(labels):
        centre = (t0 + b0) / 2
        end = max(2 * centre - start, b0)
        if i + 1 < len(labels):
            end = min(end, labels[i + 1][0])
        # stretch to the row that holds the label's end, so a row is never cut
        for r in rows:
            if r.top <= end <= r.bottom:
                end = r.bottom if end - r.top > (r.bottom - r.top) / 2 else r.top
        out.append((min(start, t0), max(end, b0), text))
        start = max(end, b0)
    return out


def _label_blocks(words: Sequence[Word]) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for line in group_lines(words):
        done = cell_text(groups[-1]).endswith("指标") if groups else True
        if groups and not done and line.top - max(w.bottom for w in groups[-1]) < 0.45 * line.size:
            groups[-1].extend(line.words)
        else:
            groups.append(list(line.words))
    return groups


def build_rows(
    view: PageView, columns: Sequence[Column], tagged: Sequence[Tagged], top: float, bottom: float
) -> list[Row]:
    """The table's rows between top and bottom, each with its cells' text."""
    key = next((c for c in columns if c.role == "name"), None)
    extents = _ruled_rows(view, key, top, bottom) if key else None
    if extents is None:
        extents = _text_rows(tagged)
    rows = [Row(view.number, a, b) for a, b in extents]
    by_idx: dict[int, list[Word]] = {}
    spans: list[Word] = []
    for role, idx, w in tagged:
        if role == SPAN:
            spans.append(w)
        else:
            by_idx.setdefault(idx, []).append(w)
    cols = sorted(columns, key=lambda c: c.x0)
    for row in rows:
        row.span = cell_text([w for w in spans if row.top <= _y(w) < row.bottom])
        for idx, col in enumerate(cols):
            if col.role in MERGED_ROLES or col.role in ("other", "remark"):
                continue
            text = cell_text([w for w in by_idx.get(idx, []) if row.top <= _y(w) < row.bottom])
            if text:
                prev = row.cells.get(col.role)
                row.cells[col.role] = f"{prev}；{text}" if prev else text
    for idx, col in enumerate(cols):
        if col.role not in MERGED_ROLES:
            continue
        cells = _merged_cells(view, col, by_idx.get(idx, []), rows, top, bottom)
        for row in rows:
            cell = next((c for c in cells if c[0] <= row.yc < c[1]), None)
            if cell is not None and cell[2]:
                row.merged[col.role] = (cell[2], cell[0])
    return [r for r in rows if r.cells or r.merged or r.span]
