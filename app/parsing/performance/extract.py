"""The performance stage: walk the pages in order, find indicator tables (a header, or the
continuation of the table left open on the previous page), read their rows, and tie them to
the programme printed in the form above the table or in the table's project columns."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from app.parsing.model import Indicator, Programme, Table
from app.parsing.performance.columns import assign, layout_columns
from app.parsing.performance.form import DEPT_LABEL, NAME_LABEL, TITLE, Form, parse_footer, parse_form, same_title
from app.parsing.performance.header import Column, find_headers
from app.parsing.performance.indicators import Context, row_indicator
from app.parsing.performance.lines import Line, compact, group_lines, phrases
from app.parsing.performance.rows import Row, build_rows
from app.parsing.performance.values import to_decimal
from app.parsing.performance.view import PageView, view_of
from app.parsing.reader import PageData
from app.parsing.regions import is_page_number_text

log = logging.getLogger(__name__)

END = re.compile(
    r"^(总分|合计|总计|自评得分|指标自评得分|总评价得分|绩效自评总得分|评价得分|综合得分|其他需要说明|其他说明|"
    r"备注|注[:：]|说明[:：]|结果应用|评价结论|填报说明|审核意见|主管部门|实施单位)"
)
FORM_LABEL = re.compile(
    r"^(项目名称|项目[（(]政策[）)]名称|主管部门|实施单位|(年度)?(预算)?资金总额|实施期资金总额|专项资金)"
)
_UNIT = re.compile(r"(金额)?单位[：:]\s*(万元|元|千元|亿元)")
_CODE_NAME = re.compile(r"^([0-9A-Za-z]{8,})\s*[-－—_]\s*(.+)$")
_VALUE_FIELDS = ("operator", "target", "unit", "actual", "weight", "score")


def _candidate(text: str) -> bool:
    """A page that may hold an indicator header (cheap test on its characters)."""
    return "指标" in text and any(k in text for k in ("三级", "指标名称", "指标内容", "名称"))


@dataclass
class OpenTable:
    """The indicator table being read, possibly continued on the next page."""

    columns: list[Column]
    programme: int | None
    form: Form  # what was printed above the header: title, labels
    ctx: Context = field(default_factory=Context)
    open: bool = True
    last_proj: str | None = None
    pending: Row | None = None  # the row naming a project whose first indicator is still to come
    last: Indicator | None = None


@dataclass
class Collector:
    programmes: list[Programme] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    unit: str | None = None

    def new_programme(self, form: Form, page: int) -> int:
        name = form.name or _title_name(form.title) or ("部门整体" if form.scope == "department" else "未命名项目")
        p = Programme(
            index=len(self.programmes),
            name=name,
            scope="department" if form.scope == "department" else "project",
            pages=[page],
            department=form.department,
            implementer=form.implementer,
            funds=form.funds,
            fund_rows=form.fund_rows,
            execution_rate=form.execution_rate,
            goal_target=form.goal_target,
            goal_actual=form.goal_actual,
            amount_unit=form.amount_unit or self.unit,
        )
        self.programmes.append(p)
        return p.index

    def touch(self, index: int | None, page: int) -> None:
        if index is not None and page not in self.programmes[index].pages:
            self.programmes[index].pages.append(page)


def _title_name(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"^.*?\d{4}年度?", "", title)
    t = re.sub(r"^\d+_(.*_)?", "", t)  # 泉州: 301007_泉州市公安局…分局_机场公安综合修缮改造项目绩效目标表
    t = re.sub(r"(项目)?(支出)?绩效(目标|自评)(情况)?表.*$", "", t)
    return t or None


def _is_furniture(line: Line, view: PageView) -> bool:
    edge = line.top > view.height * 0.88 or line.bottom < view.height * 0.08
    return edge and is_page_number_text(line.text)


def _find_end(lines: Sequence[Line], top: float, limit: float, name_x0: float) -> tuple[float, bool]:
    """Where the table body ends (y) and whether something closed it on this page."""
    seen = False
    for ln in lines:
        if ln.top < top or ln.top >= limit:
            continue
        ps = phrases(ln)
        first = compact(ps[0].text)
        full = compact(ln.text)
        if TITLE.search(full) and len(full) <= 60 and not seen:
            continue
        if TITLE.search(full) and len(full) <= 60:
            return ln.top - 0.5, True
        if NAME_LABEL.match(first) or DEPT_LABEL.match(first):
            return ln.top - 0.5, True
        if END.match(first) and ps[0].x0 <= name_x0 + 2:
            if first.startswith(("合计", "总计")) and not seen:
                continue
            return ln.top - 0.5, True
        seen = True
    return limit, limit < float("inf")


class PerformanceReader:
    """One pass over the report's pages, fed in order; remembers the table left open at the end
    of a page and the last few pages (a form's title may be printed two pages above its table)."""

    KEEP = 3  # pages kept for looking back

    def __init__(self) -> None:
        self.out = Collector()
        self.table: OpenTable | None = None
        self.pages: dict[int, PageData] = {}
        self.views: dict[int, tuple[PageView, list[Line]]] = {}
        self.ends: dict[int, float] = {}  # page number → where the last table on it ended

    def feed(self, page: PageData) -> None:
        i = page.number - 1
        self.pages[i] = page
        for old in [k for k in self.pages if k <= i - self.KEEP]:
            del self.pages[old]
            self.views.pop(old, None)
        text = page.text
        if not _candidate(text) and not (self.table and self.table.open):
            return
        unit = _UNIT.search(text)
        if unit:
            self.out.unit = unit.group(2)
        try:
            view, lines = self.read(i)
            self.page(view, lines)
        except Exception:  # one odd page must not cost the report its other tables
            log.warning("performance tables on page %d skipped", i + 1, exc_info=True)
            self.table = None

    def result(self) -> tuple[list[Programme], list[Indicator]]:
        return self.out.programmes, self.out.indicators

    def read(self, i: int) -> tuple[PageView, list[Line]]:
        """Page i (0-based) read once: its view and its lines without page furniture."""
        if i not in self.views:
            view = view_of(self.pages[i])
            lines = [ln for ln in group_lines(view.words) if not _is_furniture(ln, view)]
            self.views[i] = (view, lines)
        return self.views[i]

    def earlier_form(self, view: PageView, above: list[Line]) -> Form:
        """The form of a table whose header opens a page: its title and labels may be printed on
        the page before (玉溪 公开13表 starts two pages above its indicator header)."""
        lines = list(above)
        for back in (1, 2):
            i = view.number - 1 - back
            if i < 0:
                break
            _, prev = self.read(i)
            shift = sum(self.read(k)[0].height for k in range(i, view.number - 1))
            lines = [_shifted(ln, -shift) for ln in prev if ln.top >= self.ends.get(i + 1, 0.0)] + lines
            form = parse_form(lines)
            if not form.empty or i + 1 in self.ends:
                return form
        return parse_form(above)

    def page(self, view: PageView, lines: list[Line]) -> None:
        headers = find_headers(lines)
        bottom = max((ln.bottom for ln in lines), default=0.0) + 1
        cursor = 0.0
        t = self.table
        if t is not None and t.open:
            first_top = headers[0].top if headers else bottom
            above = [ln for ln in lines if ln.bottom <= first_top]
            form = parse_form(above)
            named = any(NAME_LABEL.match(compact(p.text)) for ln in above for p in phrases(ln))
            if headers and not named and (form.title is None or same_title(form.title, t.form.title)):
                # the header repeated at the top of a continuation page: same table, same programme
                h = headers.pop(0)
                t.columns = h.columns
                cursor = self.body(view, lines, h.bottom, headers[0].top if headers else float("inf"), t)
            elif not headers or first_top > cursor:
                start = next((ln.top for ln in lines if not _page_title(ln)), bottom)
                limit = headers[0].top if headers else float("inf")
                if self.continues(view, lines, start, limit, t):
                    cursor = self.body(view, lines, start - 0.5, limit, t)
                else:
                    t.open = False
        for k, h in enumerate(headers):
            above = [ln for ln in lines if cursor <= ln.top and ln.bottom <= h.top]
            form = parse_form(above)
            if form.empty and cursor == 0.0:
                form = self.earlier_form(view, above)
            list_layout = h.column("proj_name") is not None
            prog = None if list_layout else self.out.new_programme(form, view.number)
            t = OpenTable(h.columns, prog, form)
            self.table = t
            limit = headers[k + 1].top if k + 1 < len(headers) else float("inf")
            cursor = self.body(view, lines, h.bottom, limit, t)

    def continues(self, view: PageView, lines: list[Line], start: float, limit: float, t: OpenTable) -> bool:
        """Whether the top of this page carries on the open table (its rows fit its columns)."""
        first = [ln for ln in lines if start <= ln.top < min(limit, start + 60)]
        if not first:
            return False
        for ln in lines:
            if ln.top >= start:
                break
            title = compact(ln.text)
            if TITLE.search(title) and not same_title(title, t.form.title):
                return False  # another table's title, not the running head of this one
        if any(FORM_LABEL.match(compact(p.text)) for ln in first[:3] for p in phrases(ln)):
            return False
        x0 = min(c.x0 for c in t.columns) - 5
        x1 = max(c.x1 for c in t.columns) + 5
        ln = first[0]
        if TITLE.search(compact(ln.text)) or NAME_LABEL.match(compact(ln.text)):
            return False
        if any(w.x1 - w.x0 > 0.5 * (x1 - x0) or w.x0 > x1 for w in ln.words):
            return False  # prose across the page, not a table row
        filled = {c.role for c in t.columns for w in ln.words if c.x0 <= w.xc < c.x1}
        return len(filled) >= 2 or "name" in filled

    def body(self, view: PageView, lines: list[Line], top: float, limit: float, t: OpenTable) -> float:
        """Read the rows between top and the table's end; returns where the table ended."""
        name = next((c for c in t.columns if c.role == "name"), t.columns[0])
        probe_x0 = name.x0 if name.x1 > name.x0 else name.hx0
        end, closed = _find_end(lines, top + 0.5, limit, probe_x0)
        words = [w for ln in lines if top < ln.yc < end for w in ln.words]
        if not words:
            t.open = not closed
            return end
        layout_columns(t.columns, words, view, top, end)
        end, closed = _find_end(lines, top + 0.5, limit, name.x0)
        words = [w for w in words if w.yc < end]
        ruled = any(min(r.bottom, end) - max(r.top, top) > 4 for r in view.vrules)
        tagged = assign(words, t.columns, ruled)
        rows = build_rows(view, t.columns, tagged, top, end)
        self.emit(rows, t, view.number)
        self.ends[view.number] = end
        t.open = not closed
        footer = [ln for ln in lines if end <= ln.top < min(limit, end + 120)]
        if closed and t.programme is not None:
            score, grade = parse_footer(footer[:6])
            prog = self.out.programmes[t.programme]
            prog.total_score = prog.total_score if score is None else score
            prog.grade = prog.grade or grade
        return end

    def emit(self, rows: list[Row], t: OpenTable, page: int) -> None:
        xs = (min(c.x0 for c in t.columns), max(c.x1 for c in t.columns))
        if rows and t.last is not None and t.last.page == page - 1 and _joins_previous(rows[0], t.last):
            rows = rows[1:]  # a row broken by the page break, already merged into the last indicator
        for row in rows:
            proj = row.merged.get("proj_name")
            if proj is not None and proj[0] and proj[0] != t.last_proj:
                # a project named in the table's own columns; a name repeated on the next page
                # (长沙 prints it again on every page) is the same project
                t.last_proj = proj[0]
                t.pending = row
                t.programme = None
                t.ctx = Context()
            ind = row_indicator(row, t.ctx, t.programme, xs)
            if ind is None:
                continue
            if t.pending is not None:
                t.programme = self.list_programme(t.pending, t)
                t.pending = None
                ind.programme_index = t.programme
            self.out.indicators.append(ind)
            self.out.touch(t.programme, page)
            t.last = ind

    def list_programme(self, row: Row, t: OpenTable) -> int:
        """A programme named in the project columns of a list layout (拉萨, 长沙)."""
        text = row.merged["proj_name"][0]
        form = Form(name=text, scope=t.form.scope, department=t.form.department)
        m = _CODE_NAME.match(text)
        code = None
        if m:
            code, form.name = m.group(1), m.group(2)
        goal = row.merged.get("proj_goal")
        form.goal_target = goal[0] if goal else None
        index = self.out.new_programme(form, row.page)
        prog = self.out.programmes[index]
        prog.code = code
        amount = row.merged.get("proj_amount")
        prog.amount = to_decimal(amount[0]) if amount else None
        return index


def _joins_previous(row: Row, last: Indicator) -> bool:
    """Merge the first row of a page into the last indicator of the page before when the page
    break cut one indicator in two: one part has a name but no values, the other the rest.
    Returns whether the row was merged."""
    if any(row.merged.get(k) for k in ("level1", "level2", "proj_name")):
        return False
    cells = row.cells
    has_values = any(cells.get(k) for k in _VALUE_FIELDS)
    last_values = any(getattr(last, k) is not None for k in _VALUE_FIELDS)
    name = cells.get("name")
    if name and not has_values and last_values and not cells.get("deviation"):
        last.name += name
        return True
    if not last_values and has_values:
        stand_in = replace(row, cells={**cells, "name": name or last.name})
        probe = row_indicator(stand_in, Context(last.level1, last.level2), last.programme_index, (0.0, 0.0))
        if probe is None:
            return False
        last.name += name or ""
        for k in (*_VALUE_FIELDS, "met", "completion", "deviation_reason", "direction"):
            setattr(last, k, getattr(probe, k))
        return True
    return False


def _shifted(line: Line, dy: float) -> Line:
    """The line moved up by a page height: earlier pages read as one long page above this one."""
    return Line(tuple(replace(w, top=w.top + dy, bottom=w.bottom + dy) for w in line.words))


def _page_title(line: Line) -> bool:
    t = compact(line.text)
    return (
        bool(TITLE.search(t))
        or bool(re.fullmatch(r"[（(]?\d{4}年度?[）)]?", t))
        or bool(re.fullmatch(r"公开\d+表|表\d+|(金额)?单位[：:].*", t))
    )


def link_tables(programmes: Sequence[Programme], tables: Sequence[Table]) -> None:
    """Tie each programme to the table (from the tables stage) that starts on its first page."""
    for p in programmes:
        for t in tables:
            if p.pages and p.pages[0] in t.pages and "绩效" in t.title:
                p.table_index = t.index
                break


def extract(pages: Iterable[PageData], tables: Sequence[Table]) -> tuple[list[Programme], list[Indicator]]:
    """Programmes and indicators of the whole report."""
    reader = PerformanceReader()
    for page in pages:
        reader.feed(page)
    programmes, indicators = reader.result()
    link_tables(programmes, tables)
    return programmes, indicators
