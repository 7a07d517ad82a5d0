"""Cell grids: column boundaries (vertical rules, else the gaps between body words), row bands
(horizontal rules, else text lines) and the words of every cell.

Rows are never split inside a ruled band unless two of its text lines both print an amount or
a code in the same column (a band holding several rows, as in tables ruled only at the top and
bottom). Text of one cell may sit on several lines and at different heights: 普陀 决算 p10 prints
the name above the code inside one ruled row, so cells follow the rules, not the text lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from app.parsing.amounts import looks_decimal
from app.parsing.codes import code_cell, is_split_part, split_leading_code
from app.parsing.reader import TextLine, Word, group_lines, join_words
from app.parsing.regions import Region, is_tabular
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings

ROW_START = re.compile(
    r"^(?:合\s*计|总\s*计|小\s*计|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)"
    r"|其中|本年|年初|年末|上年|使用|结余|结转|收入总计|支出总计)"
)


@dataclass
class Row:
    top: float
    bottom: float
    cells: list[list[Word]]
    header: bool = False
    _texts: dict[int, str] = field(default_factory=dict, repr=False)

    def text(self, col: int) -> str:
        """The cell's text: its lines top to bottom (a wrapped name joined), words in reading order."""
        cached = self._texts.get(col)
        if cached is not None:
            return cached
        ws = self.cells[col]
        if not ws:
            text = ""
        elif len(ws) == 1:
            text = ws[0].text
        else:
            lines = group_lines(ws)
            text = "".join(join_words(ln.words) for ln in lines) if len(lines) > 1 else join_words(lines[0].words)
        self._texts[col] = text
        return text

    def texts(self) -> list[str]:
        return [self.text(i) for i in range(len(self.cells))]

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c]


@dataclass
class Grid:
    columns: list[tuple[float, float]]
    rows: list[Row]
    ruled_columns: bool
    region: Region
    header_words: list[Word] = field(default_factory=list)

    @property
    def header_rows(self) -> list[Row]:
        return [r for r in self.rows if r.header]

    @property
    def body_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.header]


def _value_token(text: str) -> bool:
    if looks_decimal(text):
        return True
    c = code_cell(text)
    return c is not None and len(c) in (3, 5, 6, 7) and c[0] in "12345"


def is_anchor_text(text: str) -> bool:
    """A cell text that by itself starts a row: an amount, a code, 合计/一、… labels."""
    t = text.strip()
    return _value_token(t) or split_leading_code(t)[0] is not None or bool(ROW_START.match(t))


# --------------------------------------------------------------------------- columns


def _rule_boundaries(region: Region, x0: float, x1: float, share: float) -> list[float]:
    """x positions of vertical rules running through a fair share of the grid."""
    height = max(region.bottom - region.top, 1.0)
    spans: list[tuple[float, float]] = []
    for r in region.vrules:
        cov = min(r.bottom, region.bottom) - max(r.top, region.top)
        if cov > 0 and x0 - 3 <= r.x <= x1 + 3:
            spans.append((r.x, cov))
    spans.sort()
    out: list[float] = []
    acc: list[tuple[float, float]] = []
    for x, cov in spans:
        if acc and x - acc[-1][0] > 2.0:
            tot = sum(c for _, c in acc)
            if tot >= max(8.0, share * height):
                out.append(sum(a for a, _ in acc) / len(acc))
            acc = []
        acc.append((x, cov))
    if acc:
        tot = sum(c for _, c in acc)
        if tot >= max(8.0, share * height):
            out.append(sum(a for a, _ in acc) / len(acc))
    return out


def _phrases(words: list[Word]) -> list[tuple[float, float]]:
    """Horizontal spans of phrases: letter-spaced glyphs (`因 公 出 国`) are one span."""
    spans: list[tuple[float, float]] = []
    for line in group_lines(words):
        cur: tuple[float, float] | None = None
        prev: Word | None = None
        for w in line.words:
            if cur is not None and prev is not None:
                gap = w.x0 - prev.x1
                spaced = len(prev.text) == 1 and len(w.text) <= 2 and gap <= 1.2 * w.size
                if spaced and not _value_token(w.text) and not _value_token(prev.text):
                    cur = (cur[0], max(cur[1], w.x1))
                    prev = w
                    continue
                spans.append(cur)
            cur = (w.x0, w.x1)
            prev = w
        if cur is not None:
            spans.append(cur)
    return spans


def _text_boundaries(words: list[Word]) -> list[float]:
    """Column boundaries from the gaps no body phrase crosses (tables without vertical rules)."""
    if not words:
        return []
    spans = sorted(_phrases(words))
    merged: list[list[float]] = [[spans[0][0], spans[0][1]]]
    for a, b in spans[1:]:
        if a <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(merged[i][1] + merged[i + 1][0]) / 2 for i in range(len(merged) - 1)]


def _columns(region: Region, words: list[Word], s: ParseSettings) -> tuple[list[tuple[float, float]], bool]:
    if not words:
        return [], False
    wx0 = min(w.x0 for w in words)
    wx1 = max(w.x1 for w in words)
    hx = [r for r in region.hrules if r.x1 - r.x0 > 0.3 * (wx1 - wx0)]
    x0 = min([wx0] + [r.x0 for r in hx])
    x1 = max([wx1] + [r.x1 for r in hx])
    bounds = _rule_boundaries(region, x0, x1, s.col_rule_min_share)
    inner = [b for b in bounds if x0 + 4 < b < x1 - 4]
    ruled = len(inner) >= 1
    if ruled:
        cuts = inner
        # a ruled column holding several unruled columns (rules only between halves)
        if len(inner) <= 2:
            body = [w for ln in region.lines if is_tabular(ln) for w in ln.words]
            extra = _text_boundaries(body)
            cuts = sorted(set(inner) | {e for e in extra if all(abs(e - b) > 6 for b in inner)})
    else:
        body = [w for ln in region.lines if is_tabular(ln) for w in ln.words]
        cuts = _text_boundaries(body)
    edges = [x0 - 1] + cuts + [x1 + 1]
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)], ruled


# --------------------------------------------------------------------------- rows


def _bands(region: Region, x0: float, x1: float, s: ParseSettings) -> list[float]:
    width = max(x1 - x0, 1.0)
    ys = sorted(r.y for r in region.hrules if (r.x1 - r.x0) >= s.band_rule_min_share * width)
    out: list[float] = []
    for y in ys:
        if not out or y - out[-1] > 2.0:
            out.append(y)
    return out


def _line_columns(line: TextLine, edges: list[float]) -> tuple[set[int], bool]:
    """Columns where the line prints an amount/code, and whether it starts a row by its label."""
    cols: set[int] = set()
    starts = False
    for i, w in enumerate(line.words):
        c = max(0, bisect.bisect_right(edges, w.xc) - 1)
        if _value_token(w.text):
            cols.add(c)
        elif i == 0 and (
            ROW_START.match(w.text) or split_leading_code(w.text)[0] or (is_split_part(w.text) and len(line.words) > 1)
        ):
            starts = True  # 合计 / 一、… / a code / a 款 or 项 part printed alone (`14 医疗费`)
    return cols, starts


def _is_header_line(line: TextLine) -> bool:
    return all(_is_header_text(w.text) for w in line.words)


def _split_band(lines: list[TextLine], edges: list[float]) -> list[list[TextLine]]:
    """Lines of one band → rows; one row unless lines conflict (the same value column twice,
    two row-starting labels, or a header line above a row of figures)."""
    if len(lines) <= 1:
        return [lines]
    info = [_line_columns(ln, edges) for ln in lines]
    head = [_is_header_line(ln) for ln in lines]
    conflict = False
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            if info[i][0] & info[j][0] or (info[i][1] and info[j][1]) or (head[i] and info[j][0]):
                conflict = True
                break
        if conflict:
            break
    if not conflict:
        return [lines]
    return _merge_unanchored(lines, [bool(c) or s or h for (c, s), h in zip(info, head, strict=True)])


def _merge_unanchored(lines: list[TextLine], anchored: list[bool]) -> list[list[TextLine]]:
    """Each anchored line starts a row; a label-only line joins the nearer anchored neighbour."""
    idx = [i for i, a in enumerate(anchored) if a]
    if not idx:
        return [lines]
    groups: dict[int, list[TextLine]] = {i: [lines[i]] for i in idx}
    for i, ln in enumerate(lines):
        if anchored[i]:
            continue
        prev = max((k for k in idx if k < i), default=None)
        nxt = min((k for k in idx if k > i), default=None)
        if prev is None:
            target = nxt
        elif nxt is None:
            target = prev
        else:
            d_prev = ln.top - lines[prev].bottom
            d_next = lines[nxt].top - ln.bottom
            target = nxt if d_next < d_prev - 0.5 else prev
        assert target is not None
        groups[target].append(ln)
    return [sorted(groups[i], key=lambda ln: ln.top) for i in idx]


def build_grid(
    region: Region, s: ParseSettings = DEFAULT_SETTINGS, columns: list[tuple[float, float]] | None = None
) -> Grid:
    """The region's rows × columns, with header rows (those above the first body row) marked.
    `columns` forces the column boundaries (a continuation page read with its master's columns)."""
    words = [w for ln in region.lines for w in ln.words]
    cols, ruled = _columns(region, words, s)
    if columns is not None and not ruled:
        cols = columns
    grid = Grid(columns=cols, rows=[], ruled_columns=ruled, region=region)
    if not cols:
        return grid
    edges = [c[0] for c in cols] + [cols[-1][1]]
    ys = _bands(region, cols[0][0], cols[-1][1], s)
    bands: list[list[Word]] = [[] for _ in range(len(ys) + 1)]
    for w in words:
        bands[bisect.bisect_right(ys, w.yc)].append(w)
    row_lines: list[list[TextLine]] = []
    for band in bands:
        if not band:
            continue
        lines = group_lines(band)
        if len(ys) < 2:
            row_lines.extend(_unruled_rows(lines, edges))
        else:
            row_lines.extend(_split_band(lines, edges))
    for lines in row_lines:
        ws = [w for ln in lines for w in ln.words]
        cells: list[list[Word]] = [[] for _ in cols]
        for w in sorted(ws, key=lambda w: (w.top, w.x0)):
            cells[min(len(cols) - 1, max(0, bisect.bisect_right(edges, w.xc) - 1))].append(w)
        grid.rows.append(Row(top=min(w.top for w in ws), bottom=max(w.bottom for w in ws), cells=cells))
    _mark_header(grid.rows)
    grid.header_words = [w for r in grid.rows if r.header for w in r.words]
    return grid


def _unruled_rows(lines: list[TextLine], edges: list[float]) -> list[list[TextLine]]:
    """Without horizontal rules: header lines stay one row each; body lines merge wraps."""
    first_body = next((i for i, ln in enumerate(lines) if _line_is_body(ln, edges)), len(lines))
    head = [[ln] for ln in lines[:first_body]]
    body = lines[first_body:]
    if not body:
        return head
    info = [_line_columns(ln, edges) for ln in body]
    return head + _merge_unanchored(body, [bool(c) or st for c, st in info])


def _line_is_body(line: TextLine, edges: list[float]) -> bool:
    cols, starts = _line_columns(line, edges)
    return bool(cols) or starts


_HEADER_WORD = re.compile(r"编码|代码|科目|名称|栏次|行次|^[类款项]$|^项目$|^[项目\s]+$|^单位$")


def _is_header_text(text: str) -> bool:
    return bool(_HEADER_WORD.search(re.sub(r"\s+", "", text)))


def _mark_header(rows: list[Row]) -> None:
    """Rows above the first row printing an amount or a code are header rows, except label-only
    rows just above it (a continuation page's first rows, 拉萨 seed p3) that print nothing in
    the amount columns and no header words (a sub-header over several columns that the body
    leaves empty, 小计 | 购置费 | 运行费, stays a header row)."""
    if not rows:
        return
    value_cols = {i for r in rows for i, t in enumerate(r.texts()) if looks_decimal(t)}
    strong = next((k for k, r in enumerate(rows) if _is_strong(r)), None)
    if strong is None:
        strong = next((k for k, r in enumerate(rows) if _starts_row(r)), len(rows))
    first = strong
    body_cols = {i for r in rows[strong:] for i, t in enumerate(r.texts()) if t}
    for k in range(strong - 1, -1, -1):
        texts = rows[k].texts()
        filled = [i for i, t in enumerate(texts) if t]
        if not filled or any(i in value_cols for i in filled):
            break
        if len(filled) > 1 and not any(i in body_cols for i in filled):
            break  # labels over several columns the body leaves empty: a sub-header
        if any(_is_header_text(texts[i]) for i in filled):
            break
        if all(texts[i].isdigit() for i in filled):
            break
        first = k
    for k, r in enumerate(rows):
        r.header = k < first


def _is_strong(row: Row) -> bool:
    texts = [t for t in row.texts() if t]
    if any(_value_token(t) for t in texts):
        return True
    return any(split_leading_code(t)[0] is not None for t in texts)


def _starts_row(row: Row) -> bool:
    texts = [t for t in row.texts() if t]
    return bool(texts) and bool(ROW_START.match(texts[0])) and not _is_header_text(texts[0])
