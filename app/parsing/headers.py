"""Column labels from (multi-row, spanned, wrapped) headers, column roles and side-by-side groups.

A header block is the text of one header cell: words of a line joined, wrapped lines below it
joined. In a ruled header the block spans the cell between its enclosing vertical rules, so a
spanned cell (`本年支出` over `基本支出 | 项目支出`) labels every column under it; without
vertical rules a centred block labels the columns its text overlaps.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from app.parsing.amounts import is_amount, looks_decimal
from app.parsing.codes import code_cell, is_split_part
from app.parsing.grid import Grid
from app.parsing.kinds import column_measure
from app.parsing.reader import VRule, Word, group_lines, join_words
from app.parsing.text import CJK

Role = Literal["label", "code", "value", "skip"]

_SKIP_LABEL = re.compile(r"行次|栏次|序号")
_CODE_LABEL = re.compile(r"编码|代码|编号|科目号")
_NAME_LABEL = re.compile(r"项目|科目|名称|内容|单位")
_NAME_END = re.compile(r"(名称|项目|科目|单位|内容)[）)]?$")
_NOISE_BLOCK = re.compile(r"^[\d\s*＊#]+$|^栏次$|^[一二三四五六七八九十]+$")


@dataclass
class Block:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class ColumnInfo:
    label: str
    role: Role
    measure: str | None
    group: int = 0


def _crossing(vrules: list[VRule], xa: float, xb: float, yc: float) -> bool:
    return any(xa - 0.5 <= r.x <= xb + 0.5 and r.top - 1 <= yc <= r.bottom + 1 for r in vrules)


def header_blocks(grid: Grid) -> list[Block]:
    """Header words → blocks (one per printed header cell)."""
    words = grid.header_words
    if not words:
        return []
    vr = grid.region.vrules
    pieces: list[tuple[list[Word], float]] = []  # words, line index
    for li, line in enumerate(group_lines(words)):
        cur: list[Word] = []
        for w in line.words:
            if cur:
                p = cur[-1]
                gap = w.x0 - p.x1
                if gap > 1.2 * max(w.size, p.size) or _crossing(vr, p.x1, w.x0, (w.top + w.bottom) / 2):
                    pieces.append((cur, li))
                    cur = []
            cur.append(w)
        if cur:
            pieces.append((cur, li))
    boxes = [
        (min(w.x0 for w in ws), max(w.x1 for w in ws), min(w.top for w in ws), max(w.bottom for w in ws))
        for ws, _ in pieces
    ]
    parent = list(range(len(pieces)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hr = grid.region.hrules
    for i in range(len(pieces)):
        for j in range(len(pieces)):
            if pieces[j][1] <= pieces[i][1]:
                continue
            a, b = boxes[i], boxes[j]
            size = max(w.size for w in pieces[i][0])
            ov = min(a[1], b[1]) - max(a[0], b[0])
            if ov < 0.3 * min(a[1] - a[0], b[1] - b[0]) or b[2] - a[3] > 0.9 * size:
                continue
            mid = (max(a[0], b[0]) + min(a[1], b[1])) / 2
            if any(a[3] - 1 <= r.y <= b[2] + 1 and r.x0 <= mid <= r.x1 for r in hr):
                continue
            parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(pieces)):
        groups.setdefault(find(i), []).append(i)
    blocks: list[Block] = []
    for members in groups.values():
        members.sort(key=lambda k: (boxes[k][2], boxes[k][0]))
        text = "".join(join_words(pieces[k][0]) for k in members)
        x0 = min(boxes[k][0] for k in members)
        x1 = max(boxes[k][1] for k in members)
        top = min(boxes[k][2] for k in members)
        bottom = max(boxes[k][3] for k in members)
        blocks.append(Block(text, x0, x1, top, bottom))
    return blocks


def _cell_extent(b: Block, vrules: list[VRule]) -> tuple[float, float, bool]:
    yc = (b.top + b.bottom) / 2
    lefts = [r.x for r in vrules if r.x <= b.x0 + 2 and r.top - 1 <= yc <= r.bottom + 1]
    rights = [r.x for r in vrules if r.x >= b.x1 - 2 and r.top - 1 <= yc <= r.bottom + 1]
    if lefts and rights:
        return max(lefts), min(rights), True
    return b.x0, b.x1, False


def column_labels(grid: Grid) -> list[str]:
    """Each column's header path, spanned parts joined with `/`."""
    labels: list[list[tuple[float, str]]] = [[] for _ in grid.columns]
    blocks = [b for b in header_blocks(grid) if not _NOISE_BLOCK.match(b.text)]
    covered: list[list[int]] = []
    for b in blocks:
        x0, x1, ruled = _cell_extent(b, grid.region.vrules)
        width = max(b.x1 - b.x0, 1.0)
        cols: list[int] = []
        for i, (c0, c1) in enumerate(grid.columns):
            ov = min(x1, c1) - max(x0, c0)
            if ov <= 0:
                continue
            if ruled:
                ok = ov >= 0.5 * (c1 - c0) or ov >= 0.5 * (x1 - x0)
            else:
                ok = ov >= 0.25 * width or ov >= 0.5 * (c1 - c0)
            if ok:
                cols.append(i)
        covered.append(cols)
    if not grid.ruled_columns:
        _widen_group_headers(grid, blocks, covered)
    for b, cols in zip(blocks, covered, strict=True):
        for i in cols:
            labels[i].append((b.top, b.text))
    out: list[str] = []
    for parts in labels:
        parts.sort()
        seq: list[str] = []
        for _, t in parts:
            if not seq or seq[-1] != t:
                seq.append(t)
        out.append("/".join(seq))
    return out


def _widen_group_headers(grid: Grid, blocks: list[Block], covered: list[list[int]]) -> None:
    """Without vertical rules a spanning header (`本年支出` centred over 合计 | 基本支出 | 项目支出)
    only overlaps the columns under its text: give it the neighbouring columns that print nothing
    on its line but have header text below, each to the nearest group header of that line."""
    centers = [(c0 + c1) / 2 for c0, c1 in grid.columns]
    for k, b in enumerate(blocks):
        b_line = [j for j, o in enumerate(blocks) if abs(o.top - b.top) < 0.5 * (b.bottom - b.top)]
        on_line = {i for j in b_line for i in covered[j]}
        below = {i for j, o in enumerate(blocks) if o.top >= b.bottom - 1 for i in covered[j]}
        if not covered[k] or not any(i in below for i in covered[k]):
            continue  # a leaf header, not a group
        bc = (b.x0 + b.x1) / 2
        for i, cx in enumerate(centers):
            if i in on_line or i not in below:
                continue
            nearest = min(b_line, key=lambda j: abs((blocks[j].x0 + blocks[j].x1) / 2 - cx))
            if nearest == k and abs(bc - cx) < 2.5 * max(b.x1 - b.x0, grid.columns[i][1] - grid.columns[i][0]):
                covered[k].append(i)
        covered[k].sort()


def _sequential_ints(texts: list[str]) -> bool:
    nums = [int(t) for t in texts if t.isdigit() and len(t) <= 3]
    return len(nums) >= 2 and len(nums) == len(texts) and all(b > a for a, b in zip(nums, nums[1:], strict=False))


def column_roles(grid: Grid, labels: list[str]) -> list[Role]:
    """label (names), code (subject codes), value (amounts) or skip (行次) for every column."""
    body = grid.body_rows
    n = len(grid.columns)
    texts = [[r.text(i) for r in body] for i in range(n)]
    roles: list[Role] = []
    for i in range(n):
        cells = [t for t in texts[i] if t]
        label = labels[i] if i < len(labels) else ""
        n_cjk = sum(1 for t in cells if CJK.search(t) and not is_amount(t))
        n_amt = sum(1 for t in cells if is_amount(t))
        leaf = label.split("/")[-1] if label else ""
        if _SKIP_LABEL.search(leaf) and n_cjk == 0:
            roles.append("skip")
        elif cells and n_cjk >= max(1.0, 0.3 * len(cells)) and n_cjk >= n_amt:
            roles.append("label")
        elif _CODE_LABEL.search(leaf) or leaf in ("类", "款", "项") or (
            label and _CODE_LABEL.search(label) and not _NAME_LABEL.search(leaf) and not _has_decimals(cells)
        ):
            roles.append("code")
        elif not cells and _NAME_END.search(leaf) and "其中" not in label:  # 其中：…项目 is part of an amount
            roles.append("label")
        elif cells and not _has_decimals(cells) and _sequential_ints(cells) and not label:
            roles.append("skip")
        else:
            roles.append("value")
    # digits-only columns beside a name or code column are codes (类/款/项 without a header)
    changed = True
    while changed:
        changed = False
        for i in range(n):
            if roles[i] != "value":
                continue
            cells = [t for t in texts[i] if t]
            if not cells or _has_decimals(cells):
                continue
            left = roles[i - 1] if i > 0 else None
            right = roles[i + 1] if i + 1 < n else None
            parts = sum(1 for t in cells if is_split_part(t))
            full = sum(1 for t in cells if code_cell(t))
            if (right in ("label", "code") and full >= 0.6 * len(cells)) or (
                "code" in (left, right) and parts >= 0.8 * len(cells)
            ):
                roles[i] = "code"
                changed = True
    return roles


def _has_decimals(cells: list[str]) -> bool:
    return any(looks_decimal(t) for t in cells)


def assign_groups(roles: list[Role]) -> list[int]:
    """Side-by-side halves: a code/label column after a value column starts the next group."""
    groups: list[int] = []
    g = 0
    seen_value = False
    for role in roles:
        if role in ("code", "label") and seen_value:
            g += 1
            seen_value = False
        if role == "value":
            seen_value = True
        groups.append(g)
    return groups


def _measures(labels: list[str], roles: list[Role], groups: list[int]) -> list[str | None]:
    """Measures from labels without the heading all value columns of a group share
    (`一般公共预算支出/合计` → 合计 → total, not the heading's word)."""
    out: list[str | None] = [None] * len(labels)
    for g in set(groups):
        idx = [i for i in range(len(labels)) if groups[i] == g and roles[i] == "value"]
        parts = [labels[i].split("/") for i in idx]
        common = 0
        if len(parts) > 1:
            while all(len(p) > common + 1 for p in parts) and len({p[common] for p in parts}) == 1:
                common += 1
        for i, p in zip(idx, parts, strict=True):
            out[i] = column_measure("/".join(p[common:]))
    return out


def describe_columns(grid: Grid) -> list[ColumnInfo]:
    labels = column_labels(grid)
    roles = column_roles(grid, labels)
    groups = assign_groups(roles)
    measures = _measures(labels, roles, groups)
    return [
        ColumnInfo(label=labels[i], role=roles[i], measure=measures[i], group=groups[i])
        for i in range(len(grid.columns))
    ]


def inherit_roles(cols: list[ColumnInfo], master_cols: list[ColumnInfo]) -> list[ColumnInfo]:
    """A repeated header on a continuation page: columns labelled like the master's take its roles,
    so an empty column on one page cannot turn into a different side-by-side group."""
    by_label: dict[str, ColumnInfo] = {}
    for m in master_cols:
        by_label.setdefault(m.label, m)
    roles: list[Role] = [by_label[c.label].role if c.label in by_label else c.role for c in cols]
    groups = assign_groups(roles)
    measures = _measures([c.label for c in cols], roles, groups)
    return [
        ColumnInfo(label=c.label, role=roles[i], measure=measures[i], group=groups[i])
        for i, c in enumerate(cols)
    ]


def map_columns(grid: Grid, master: Grid, master_cols: list[ColumnInfo]) -> list[ColumnInfo]:
    """A continuation grid's columns take the label/role of the master column they overlap most
    (by position on the page; by order when the page geometry differs)."""
    own = describe_columns(grid)
    if not master.columns:
        return own
    out: list[ColumnInfo] = []
    m_edges = [c[0] for c in master.columns]
    same_geometry = abs(grid.columns[0][0] - master.columns[0][0]) < 15 and abs(
        grid.columns[-1][1] - master.columns[-1][1]
    ) < 15
    for i, (c0, c1) in enumerate(grid.columns):
        if same_geometry:
            best, best_ov = -1, 0.0
            j0 = max(0, bisect.bisect_right(m_edges, c0) - 1)
            for j in range(j0, len(master.columns)):
                m0, m1 = master.columns[j]
                if m0 > c1:
                    break
                ov = min(c1, m1) - max(c0, m0)
                if ov > best_ov:
                    best, best_ov = j, ov
        else:
            best = i if len(grid.columns) == len(master.columns) else -1
        if best < 0:
            out.append(own[i])
            continue
        if same_geometry:
            m0, m1 = master.columns[best]
            if best_ov < 0.5 * min(c1 - c0, m1 - m0):  # a sliver next to a doubled rule
                out.append(ColumnInfo(label="", role="skip", measure=None, group=master_cols[best].group))
                continue
        m = master_cols[best]
        out.append(ColumnInfo(label=m.label, role=m.role, measure=m.measure, group=m.group))
    return out
