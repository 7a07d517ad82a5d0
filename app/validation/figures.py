"""Where the tables print the figure a narrative metric restates (本年收入合计, 基本支出, 三公 …),
and which table rows a narrative subject path (X（类）Y（款）Z（项）) names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.catalog import code_of_path
from app.parsing.model import CellValue, LineItem, ParsedReport, SangongItem, Table
from app.validation import sangong
from app.validation.claims import LabelSubject, SubjectRef
from app.validation.common import (
    BASIC,
    EXPENDITURE,
    FISCAL_SUMMARY,
    GENERAL,
    INCOME,
    SANGONG,
    SUMMARY,
    cell,
    cell_where,
    coded,
    col_leaf,
    first_value,
    fiscal_year,
    items_of,
    norm,
    parent_of,
    report_kind,
    row_name,
    tables_of,
)
from app.validation.cross import table_total, total_column
from app.validation.facts import facts
from app.validation.summary import Side, table_sides


@dataclass(frozen=True)
class Cand:
    table: Table
    row: LineItem
    value: CellValue


def _sides(report: ParsedReport, role: str) -> list[tuple[Table, list[Side]]]:
    return [(t, table_sides(report, t)) for t in tables_of(report, role)]


def _first(table: Table, row: LineItem | None, *keys: str) -> list[Cand]:
    if row is None:
        return []
    v = cell_where(row, *keys) if keys else first_value(row)
    return [Cand(table, row, v)] if v is not None else []


def _side_rows(report: ParsedReport, role: str, side: int, what: str, *keys: str) -> list[Cand]:
    out: list[Cand] = []
    for t, found in _sides(report, role):
        if len(found) <= side:
            continue
        s = found[side]
        row = {"total": s.total, "subtotal": s.subtotal}.get(what)
        out += _first(t, row, *keys)
    return out


def total_cell(report: ParsedReport, role: str, *keys: str) -> list[Cand]:
    out: list[Cand] = []
    for t in tables_of(report, role):
        row = table_total(report, t)
        if row is None:
            continue
        if keys:
            out += _first(t, row, *keys)
        else:
            col = total_column(report, t)
            v = cell(row, col) if col else None
            if v is not None:
                out.append(Cand(t, row, v))
    return out


def _named_rows(report: ParsedReport, roles: tuple[str, ...], *words: str) -> list[Cand]:
    out: list[Cand] = []
    for t in tables_of(report, *roles):
        for li in items_of(report, t):
            n = row_name(li.name)
            if not li.code and any(n == w or n == w + "合计" for w in words):
                out += _first(t, li)
    return out


def income_top(report: ParsedReport, word: str, exclude: tuple[str, ...] = ()) -> list[Cand]:
    out: list[Cand] = []
    for t, found in _sides(report, SUMMARY):
        if not found:
            continue
        rows = [
            r for r in found[0].tops if word in row_name(r.name) and not any(e in row_name(r.name) for e in exclude)
        ]
        if len(rows) == 1:
            out += _first(t, rows[0])
    return out


def _sangong(report: ParsedReport, item: SangongItem, scope: str) -> list[Cand]:
    """The 三公 figure for an item and scope (预算/决算) of the report's year; an empty printed
    cell of that scope is a zero."""
    out: list[Cand] = []
    fy = fiscal_year(report)
    for t in tables_of(report, SANGONG):
        items = items_of(report, t)
        found = sangong.slots(items, fy)
        hit = sangong.pick(found, item, scope, fy)
        if hit is not None:
            out.append(Cand(t, hit.row, hit.value))
            continue
        if any(s.item == item and scope in s.scope.word for s in found):
            continue  # printed but ambiguous (several years or funds): no comparison
        columns = [(c.label, c.sangong_item) for c in t.columns]
        labels = {c for c, _ in columns}
        for li in items:
            for v in li.values:
                if v.column not in labels:
                    labels.add(v.column)
                    columns.append((v.column, v.sangong_item))
        empty = next((c for c, it in columns if it == item and scope in sangong.scope_in(c, fy).word), None)
        if empty is not None and found:
            out.append(Cand(t, found[0].row, CellValue(empty, None, Decimal("0.00"), t.amount_unit)))
    return out


def _operating(report: ParsedReport) -> list[Cand]:
    out: list[Cand] = []
    for t in report.tables:
        for li in items_of(report, t):
            v = cell_where(li, "机关运行经费")
            if v is None and "机关运行经费" in norm(li.name):
                v = first_value(li)
            if v is not None:
                out.append(Cand(t, li, v))
    return out[:1]


def _budget_or_final(report: ParsedReport, final: list[Cand], budget: list[Cand]) -> list[Cand]:
    return final + budget if report_kind(report) == "budget" else final


Finder = Callable[[ParsedReport, str], list[Cand]]

FINDERS: dict[str, Finder] = {
    "fiscal_total": lambda r, s: _side_rows(r, FISCAL_SUMMARY, 0, "total") + _side_rows(r, FISCAL_SUMMARY, 1, "total"),
    "total": lambda r, s: _side_rows(r, SUMMARY, 0, "total") + _side_rows(r, SUMMARY, 1, "total"),
    "income_sub": lambda r, s: (
        _side_rows(r, SUMMARY, 0, "subtotal")
        + total_cell(r, INCOME)
        + _budget_or_final(r, [], _side_rows(r, SUMMARY, 0, "total"))
    ),
    "spend_sub": lambda r, s: (
        _side_rows(r, SUMMARY, 1, "subtotal")
        + total_cell(r, EXPENDITURE)
        + _budget_or_final(r, [], _side_rows(r, SUMMARY, 1, "total"))
    ),
    "income_budget": lambda r, s: (
        _side_rows(r, SUMMARY, 0, "total") + _side_rows(r, SUMMARY, 0, "subtotal") + total_cell(r, INCOME)
    ),
    "spend_budget": lambda r, s: (
        _side_rows(r, SUMMARY, 1, "total") + _side_rows(r, SUMMARY, 1, "subtotal") + total_cell(r, EXPENDITURE)
    ),
    "fiscal_income": lambda r, s: (
        income_top(r, "财政拨款", ("政府性基金", "国有资本"))
        + total_cell(r, INCOME, "财政拨款")
        + _side_rows(r, FISCAL_SUMMARY, 0, "subtotal")
    ),
    "general_income": lambda r, s: income_top(r, "一般公共预算") + total_cell(r, INCOME, "一般公共预算"),
    "fiscal_spend": lambda r, s: (
        _side_rows(r, FISCAL_SUMMARY, 1, "subtotal")
        + _side_rows(r, FISCAL_SUMMARY, 1, "total")
        + total_cell(r, GENERAL)
    ),
    "general_spend": lambda r, s: (
        total_cell(r, GENERAL) + _side_rows(r, FISCAL_SUMMARY, 1, "subtotal", "一般公共预算")
    ),
    "general_basic": lambda r, s: total_cell(r, GENERAL, "基本支出") + total_cell(r, BASIC),
    "basic": lambda r, s: (
        total_cell(r, EXPENDITURE, "基本支出") + total_cell(r, GENERAL, "基本支出") + total_cell(r, BASIC)
    ),
    "project": lambda r, s: total_cell(r, EXPENDITURE, "项目支出") + total_cell(r, GENERAL, "项目支出"),
    "personnel": lambda r, s: _named_rows(r, (BASIC,), "人员经费") + total_cell(r, BASIC, "人员经费"),
    "public": lambda r, s: _named_rows(r, (BASIC,), "公用经费") + total_cell(r, BASIC, "公用经费"),
    "other_income": lambda r, s: income_top(r, "其他收入") + total_cell(r, INCOME, "其他收入"),
    "business_income": lambda r, s: income_top(r, "事业收入", ("经营",)) + total_cell(r, INCOME, "事业收入"),
    "sangong_total": lambda r, s: _sangong(r, sangong.TOTAL, s),
    "sangong_abroad": lambda r, s: _sangong(r, sangong.ABROAD, s),
    "sangong_vehicle": lambda r, s: _sangong(r, sangong.VEHICLE, s),
    "sangong_purchase": lambda r, s: _sangong(r, sangong.PURCHASE, s),
    "sangong_running": lambda r, s: _sangong(r, sangong.RUNNING, s),
    "sangong_reception": lambda r, s: _sangong(r, sangong.RECEPTION, s),
    "operating": lambda r, s: _operating(r),
}

SUBJECT_ROLES = (GENERAL, EXPENDITURE)


def candidates(report: ParsedReport, metric: str, scope: str) -> list[Cand]:
    """Where the tables print a metric: looked up once per run, however often the narrative states it."""
    finder = FINDERS.get(metric)
    if finder is None:
        return []
    return facts(report).memo(("candidates", metric, scope), lambda: finder(report, scope))


def subject_rows(report: ParsedReport, ref: SubjectRef) -> list[tuple[Table, LineItem]]:
    """Rows naming the subject, from the general-budget table first, then the expenditure table."""
    out: list[tuple[Table, LineItem]] = []
    for t, index in _subject_index(report):
        hit = _resolve(index, ref)
        if hit is not None:
            out.append((t, hit))
    return out


@dataclass
class _Index:
    """A subject table's functional rows, by code (the first printed) and by (code length, name)."""

    by_code: dict[str, LineItem]
    by_name: dict[tuple[int, str], list[LineItem]]


def _subject_index(report: ParsedReport) -> list[tuple[Table, _Index]]:
    def build() -> list[tuple[Table, _Index]]:
        out: list[tuple[Table, _Index]] = []
        for t in tables_of(report, *SUBJECT_ROLES):
            index = _Index({}, {})
            for li in coded(items_of(report, t)):
                if li.classification == "economic" or not li.code:
                    continue
                index.by_code.setdefault(li.code, li)
                index.by_name.setdefault((len(li.code), row_name(li.name)), []).append(li)
            out.append((t, index))
        return out

    return facts(report).memo(("subject_index",), build)


def _resolve(index: _Index, ref: SubjectRef) -> LineItem | None:
    code = ref.code
    if code:
        return index.by_code.get(code)
    return _resolve_names(index, ref) or _resolve_path(index, ref)


def _resolve_path(index: _Index, ref: SubjectRef) -> LineItem | None:
    """The row of the code the catalog gives a path named without codes (a table may print the
    subject's name differently: 一般公共服务 for 一般公共服务支出)."""
    if any(ref.codes) or not all(ref.names):
        return None
    code = code_of_path(ref.names, ref.levels)
    return index.by_code.get(code) if code else None


def _resolve_names(index: _Index, ref: SubjectRef) -> LineItem | None:
    parent: str | None = None
    found: LineItem | None = None
    for name, level in zip(ref.names, ref.levels, strict=True):
        want = {"类": 3, "款": 5, "项": 7}[level]
        matches = [
            li
            for li in index.by_name.get((want, norm(name)), [])
            if parent is None or parent_of(li) == parent or (li.code or "").startswith(parent)
        ]
        if len(matches) != 1:
            return None
        found = matches[0]
        parent = found.code
    return found


def name_rows(report: ParsedReport, name: str) -> list[tuple[Table, LineItem]]:
    """Subject rows whose printed name is exactly this (unique in its table)."""
    return facts(report).memo(("name_rows",), lambda: _rows_by_name(report)).get(norm(name), [])


def _rows_by_name(report: ParsedReport) -> dict[str, list[tuple[Table, LineItem]]]:
    """Each subject-table row name printed once in its table → those rows (one pass over the rows)."""
    out: dict[str, list[tuple[Table, LineItem]]] = {}
    for t in tables_of(report, *SUBJECT_ROLES):
        named: dict[str, list[LineItem]] = {}
        for li in coded(items_of(report, t)):
            if li.classification != "economic":
                named.setdefault(row_name(li.name), []).append(li)
        for key, rows in named.items():
            if len(rows) == 1:
                out.setdefault(key, []).append((t, rows[0]))
    return out


LABELLED_ROLES = (GENERAL, EXPENDITURE, BASIC)


def labelled_rows(report: ParsedReport, sub: LabelSubject) -> list[tuple[Table, LineItem]]:
    """Rows of the subject tables (functional and economic) a figure's own words name: by the
    printed code when there is one, else by a name printed once in the table."""
    index = facts(report).memo(("labelled_index",), lambda: _labelled_index(report))
    key = ("code", sub.code) if sub.code else ("name", _subject_key(sub.name))
    return index.get(key, [])


def _subject_key(name: str) -> str:
    """对个人和家庭补助支出 = 对个人和家庭的补助; 一般公共服务 = 一般公共服务支出."""
    out = row_name(name).replace("的", "")
    return out[: -len("支出")] if out.endswith("支出") and len(out) > 4 else out


def _labelled_index(report: ParsedReport) -> dict[tuple[str, str], list[tuple[Table, LineItem]]]:
    out: dict[tuple[str, str], list[tuple[Table, LineItem]]] = {}
    for t in tables_of(report, *LABELLED_ROLES):
        by_code: dict[str, LineItem] = {}
        named: dict[str, list[LineItem]] = {}
        for li in coded(items_of(report, t)):
            by_code.setdefault(li.code or "", li)
            named.setdefault(_subject_key(li.name), []).append(li)
        for code, li in by_code.items():
            out.setdefault(("code", code), []).append((t, li))
        for name, rows in named.items():
            if len(rows) == 1:
                out.setdefault(("name", name), []).append((t, rows[0]))
    return out


_NAMED_ROLES = (SUMMARY, FISCAL_SUMMARY)
_TIME_WORDS = ("本年", "当年", "本年度")


def _bare(name: str) -> str:
    """A summary row's name without the words its restatements drop (本年/当年, 拨款: 一般公共预算
    当年拨款收入 = 一、一般公共预算拨款收入 = 一般公共预算收入)."""
    out = row_name(name)
    for w in (*_TIME_WORDS, "拨款"):
        out = out.replace(w, "")
    return out


def named_figures(report: ParsedReport, name: str) -> list[Cand]:
    """Where the summary tables print a row of this name (事业单位经营收入, 上缴上级支出, 教育支出 …;
    an empty cell of a printed row is a zero) and the income/expenditure tables a 合计 column of it."""
    index = facts(report).memo(("named_figures",), lambda: _named_index(report))
    return index.get(_bare(name), [])


def _named_index(report: ParsedReport) -> dict[str, list[Cand]]:
    out: dict[str, list[Cand]] = {}
    for t in tables_of(report, *_NAMED_ROLES):
        labels = [c.label for c in t.columns]
        sides = [next((c for c in labels if c.startswith(w)), None) for w in ("收入", "支出")]
        named: dict[str, list[LineItem]] = {}
        for li in items_of(report, t):
            if not li.code and li.row_kind != "total":
                named.setdefault(_bare(li.name), []).append(li)
        for key, rows in named.items():
            if len(rows) != 1:
                continue
            li = rows[0]
            v = first_value(li)
            column = sides[li.side] if li.side < len(sides) else None
            if v is None and column is not None:
                v = CellValue(column, None, Decimal("0.00"), t.amount_unit)
            if v is not None:
                out.setdefault(key, []).append(Cand(t, li, v))
    for t in tables_of(report, INCOME, EXPENDITURE):
        total = table_total(report, t)
        if total is None:
            continue
        printed = {v.column for v in total.values}
        empty = [CellValue(c.label, c.measure, Decimal("0.00"), t.amount_unit) for c in t.columns
                 if c.label not in printed]  # a column the 合计 row leaves empty is a zero
        for v in [*total.values, *empty]:
            out.setdefault(_bare(col_leaf(v.column)), []).append(Cand(t, total, v))
    return out
