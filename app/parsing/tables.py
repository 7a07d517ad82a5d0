"""Pages → tables and line items: regions are chained into tables across pages, each page's
grid is read with its own header (or the columns of the page it continues), then rows become
line items in the table's unit."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.parsing.funds import fund_items
from app.parsing.grid import Grid, build_grid
from app.parsing.headers import ColumnInfo, describe_columns, inherit_roles, map_columns
from app.parsing.kinds import PERFORMANCE_KINDS, column_header, sangong_items, table_kind
from app.parsing.layout import row_layout
from app.parsing.model import Column, LineItem, Table, TableKind
from app.parsing.reader import PageData
from app.parsing.regions import Region, compact, find_regions, parse_unit
from app.parsing.rows import RowState, row_items, summary_sides
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings

_HEADER_UNIT = re.compile(r"[（(](万元|千元|亿元|元)[)）]")


@dataclass
class Part:
    region: Region
    grid: Grid
    cols: list[ColumnInfo]


@dataclass
class TableBuild:
    title: str
    number: str | None
    kind: TableKind
    parts: list[Part] = field(default_factory=list)
    unit: str | None = None
    department: str | None = None

    @property
    def pages(self) -> list[int]:
        return sorted({p.region.page for p in self.parts})

    @property
    def master(self) -> Part:
        return next((p for p in self.parts if p.grid.header_rows), self.parts[0])


def _same_table(build: TableBuild, region: Region) -> bool:
    """A region whose title repeats the open table's title on the next page continues it."""
    if region.title is None:
        return True
    if build.kind in PERFORMANCE_KINDS:
        return False
    return compact(region.title) == compact(build.title) and (region.number or None) == (build.number or None)


def _x_extent(region: Region) -> tuple[float, float]:
    words = [w for ln in region.lines for w in ln.words]
    return (min(w.x0 for w in words), max(w.x1 for w in words)) if words else (0.0, 0.0)


def _add_part(build: TableBuild, region: Region, s: ParseSettings) -> None:
    grid = build_grid(region, s)
    if not grid.columns:
        return
    if build.parts and not grid.ruled_columns:
        # without vertical rules a continuation page's empty columns are invisible in its own
        # text: read it with the columns of the page it continues when the geometry agrees
        m = build.master.grid
        mx, gx = _x_extent(m.region), _x_extent(region)
        if m.columns and mx[0] - 40 < gx[0] and gx[1] < mx[1] + 40 and gx[1] - gx[0] > 0.3 * (mx[1] - mx[0]):
            grid = build_grid(region, s, columns=m.columns)
    if build.parts and not grid.header_rows:
        master = build.master
        cols = map_columns(grid, master.grid, master.cols)
    else:
        cols = describe_columns(grid)
        if build.parts:
            cols = inherit_roles(cols, build.master.cols)
    build.parts.append(Part(region, grid, cols))
    if build.unit is None:
        build.unit = region.unit
    if build.department is None:
        build.department = region.department


def assemble(pages: Iterable[PageData], s: ParseSettings = DEFAULT_SETTINGS) -> list[TableBuild]:
    """Every table of the document, its parts in page order."""
    builds: list[TableBuild] = []
    open_build: TableBuild | None = None
    last_page = 0
    for page in pages:
        if not page.words:
            continue  # an empty continuation grid (普陀 决算 p14) keeps the table open
        regions = find_regions(page, s)
        current: TableBuild | None = None
        for region in regions:
            if region.title is None:
                if open_build is not None and last_page == page.number - 1 and current is None:
                    _add_part(open_build, region, s)
                    current = open_build
                continue
            if (
                current is None
                and open_build is not None
                and last_page == page.number - 1
                and _same_table(open_build, region)
            ):
                _add_part(open_build, region, s)
                current = open_build
                continue
            build = TableBuild(title=region.title, number=region.number, kind=table_kind(region.title))
            _add_part(build, region, s)
            if not build.parts:
                continue
            builds.append(build)
            current = build
        open_build = current
        last_page = page.number
    return builds


def _header_unit(build: TableBuild) -> str | None:
    """A unit printed inside the grid (`预算数（万元）`, `项目资金（万元）`) or in its first note."""
    for part in build.parts:
        for c in part.cols:
            m = _HEADER_UNIT.search(c.label)
            if m:
                return m.group(1)
        for row in part.grid.rows:
            for t in row.texts():
                m = _HEADER_UNIT.search(t) if t else None
                if m:
                    return m.group(1)
                u = parse_unit(t) if t and "单位" in t else None
                if u:
                    return u
        for note in part.region.notes[:1]:
            u = parse_unit(note)
            if u:
                return u
    return None


def default_unit(builds: list[TableBuild]) -> str | None:
    """The report's unit: the one most tables print."""
    units = Counter(b.unit for b in builds if b.unit and b.kind not in PERFORMANCE_KINDS)
    if not units:
        units = Counter(u for b in builds if (u := b.unit or _header_unit(b)))
    return units.most_common(1)[0][0] if units else None


def to_tables(builds: list[TableBuild], report_unit: str | None) -> tuple[list[Table], list[LineItem]]:
    """Tables and their line items for the parsed model."""
    tables: list[Table] = []
    items: list[LineItem] = []
    for idx, b in enumerate(builds):
        unit = b.unit or _header_unit(b) or report_unit
        master = b.master
        seen: set[str] = set()
        columns: list[Column] = []
        for c in master.cols:
            if c.role == "value" and c.label not in seen:
                seen.add(c.label)
                columns.append(Column(label=c.label, measure=c.measure, header=column_header(c.label)))
        table_items: list[LineItem] = []
        if b.kind not in PERFORMANCE_KINDS:
            state = RowState()
            for part in b.parts:
                table_items.extend(row_items(part.grid, part.cols, table_index=idx, unit=unit, state=state))
        else:
            for part in b.parts:
                table_items.extend(fund_items(part.grid, table_index=idx, unit=unit))
        summary_sides(b.kind, table_items)
        columns = sangong_items(b.kind, columns, table_items)
        grid_rows = [r.texts() for part in b.parts for r in part.grid.rows]
        first = b.parts[0].region
        gcols = b.parts[0].grid.columns
        notes = [n for part in b.parts for n in part.region.notes]
        tables.append(
            Table(
                index=idx,
                kind=b.kind,
                title=b.title,
                pages=b.pages,
                amount_unit=unit,
                columns=columns,
                number=b.number,
                grid=[[t or None for t in row] for row in grid_rows],
                empty=not any(li.values for li in table_items),
                note="\n".join(notes) or None,
                bbox=(round(gcols[0][0], 2), round(first.top, 2), round(gcols[-1][1], 2), round(first.bottom, 2)),
                layout=[row_layout(part.region.page, r, part.grid.columns, part.region.vrules) for part in b.parts
                        for r in part.grid.rows],
            )
        )
        items.extend(table_items)
    return tables, items
