"""cross: the same figure printed in two tables agrees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from app.parsing.model import CellValue, LineItem, ParsedReport, SangongItem, Table
from app.validation import sangong, ties
from app.validation.columns import table_columns
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
    fig,
    finding,
    first_value,
    fiscal_year,
    fmt,
    items_of,
    report_kind,
    row_name,
    tables_of,
    where,
)
from app.validation.facts import facts
from app.validation.model import Finding
from app.validation.registry import SkipRule, rule
from app.validation.summary import Side, table_sides
from app.validation.tolerance import judge


def total_column(report: ParsedReport, table: Table) -> str | None:
    """The column holding a row's whole amount: 合计 / 本年支出合计 …, else the only column."""
    return facts(report).memo(("total_column", table.index), lambda: _total_column(report, table))


def _total_column(report: ParsedReport, table: Table) -> str | None:
    labels = table_columns(table, items_of(report, table))
    headers = {c.label: c.header for c in table.columns}
    for label in labels:
        header = headers.get(label, ())
        if len(header) == 1 and "total" in header[0][1]:  # a whole-row 合计 / 本年支出合计 column
            return label
    for c in table.columns:
        if c.measure == "total":
            return c.label
    return labels[0] if len(labels) == 1 else None


def leaves(report: ParsedReport, table: Table, li: LineItem) -> int:
    """How many printed leaf rows an aggregate row sums (0 for a leaf or a plain row)."""
    below, count = facts(report).memo(("leaves", table.index), lambda: _leaf_counts(report, table))
    if li.code:
        return below.get(li.code, 0)
    if li.row_kind == "total":
        return count
    return 0


def _leaf_counts(report: ParsedReport, table: Table) -> tuple[dict[str, int], int]:
    """Per code prefix, how many of the table's leaf codes lie strictly below it; and how many leaves."""
    codes = {r.code for r in coded(items_of(report, table)) if r.code}
    parents = {c[:5] for c in codes if len(c) == 7} | {c[:3] for c in codes if len(c) == 5}
    leaf_codes = [c for c in codes if c not in parents]
    below: dict[str, int] = {}
    for c in leaf_codes:
        for k in range(1, len(c)):
            below[c[:k]] = below.get(c[:k], 0) + 1
    return below, len(leaf_codes)


def table_total(report: ParsedReport, table: Table) -> LineItem | None:
    """The table's 合计 row, found once per validation run."""
    return facts(report).memo(("total_row", table.index), lambda: total_row(items_of(report, table)))


def total_row(items: list[LineItem]) -> LineItem | None:
    for li in items:
        if not li.code and row_name(li.name) in ("合计", "总计", "本年支出合计", "本年收入合计"):
            return li
    return None


def _classes(items: list[LineItem]) -> dict[str, LineItem]:
    """Functional 类 rows by their name (the summary tables name classes without codes)."""
    out: dict[str, LineItem] = {}
    for li in coded(items):
        if li.classification != "economic" and len(li.code or "") == 3:
            out.setdefault(row_name(li.name), li)
    return out


def _compare(
    rule_id: str,
    report: ParsedReport,
    a_t: Table,
    a_li: LineItem,
    a: CellValue,
    b_t: Table,
    b_li: LineItem,
    b: CellValue,
) -> Iterator[Finding]:
    fa, fb = fig(report, a_t, a), fig(report, b_t, b)
    j = judge(fa, [fb], extra_figures=leaves(report, b_t, b_li))
    if j is None:
        return
    if j.severity == "info" and _same_leaf_print(report, a_t, a_li, b_t, b_li) and fa.unit == fb.unit and (
        fa.last_digit == fb.last_digit
    ):
        # one leaf subject printed twice to the same precision: both are the rounding of one
        # amount, so they print alike, and a difference of any size is no 尾数
        j = replace(j, severity="error")
    where_b = f"{b_t.title} {b_li.code or ''} {b_li.name} {b.column}".replace("  ", " ")
    yield finding(
        rule_id,
        j,
        f"{a_t.title} {a_li.name} {a.column} {fmt(a.amount)} ≠ {where_b} {fmt(b.amount)}（差 {fmt(j.difference)}）",
        a.amount,
        where(a_t, a_li, a.column),
        evidence=f"{where_b} = {fmt(b.amount)}",
    )


def _same_leaf_print(report: ParsedReport, a_t: Table, a_li: LineItem, b_t: Table, b_li: LineItem) -> bool:
    """Both rows are the same subject with no rows below it in either table (no aggregate that a
    table may have summed from rounded parts): the same code, or a summary's row named as a 项."""
    if not b_li.code or leaves(report, b_t, b_li) != 0:
        return False
    if a_li.code:
        return a_li.code == b_li.code and leaves(report, a_t, a_li) == 0
    return len(b_li.code) == 7 and row_name(a_li.name) == row_name(b_li.name)


def _matching_segment(
    report: ParsedReport, table: Table, items: list[LineItem], anchor: LineItem | None, column: str
) -> list[LineItem] | None:
    """A table printed once per unit: the block whose 合计 is the summary's (None if none is)."""
    from app.validation.arith import segments

    blocks = segments(items)
    if len(blocks) <= 1:
        return items
    a = first_value(anchor) if anchor is not None else None
    for block in blocks:
        t = total_row(block)
        v = cell(t, column) if t is not None else None
        if a is not None and v is not None:
            a_fig = fig(report, report.tables[anchor.table_index] if anchor is not None else table, a)
            j = judge(fig(report, table, v), [a_fig], extra_figures=len(block))
            if j is None or j.severity == "info":
                return block
    return None


def _side_vs_subjects(
    rule_id: str, report: ParsedReport, summary: Table, detail: Table, column_keys: tuple[str, ...]
) -> Iterator[Finding]:
    """Spending-side class rows and 本年支出合计 of a summary table against a subject table."""
    found = table_sides(report, summary)
    if len(found) < 2:
        raise SkipRule(f"{summary.title}: no spending side was read")
    spend = found[1]
    d_col = total_column(report, detail)
    if d_col is None:
        raise SkipRule(f"{detail.title}: no total column")
    d_items = _matching_segment(report, detail, items_of(report, detail), spend.subtotal or spend.total, d_col)
    if d_items is None:
        raise SkipRule(f"{detail.title}: no unit block whose 合计 is the summary's")
    classes = _classes(d_items)
    pairs: list[tuple[LineItem, LineItem]] = []
    for li in spend.tops:
        d = classes.get(row_name(li.name))
        if d is not None:
            pairs.append((li, d))
    pairs += _named_below_classes(report, summary, spend, d_items)
    d_total = total_row(d_items)
    if spend.subtotal is not None and d_total is not None:
        pairs.append((spend.subtotal, d_total))
    for s_li, d_li in pairs:
        a = cell_where(s_li, *column_keys) if column_keys else first_value(s_li)
        b = cell(d_li, d_col)
        if a is not None and b is not None:
            yield from _compare(rule_id, report, summary, s_li, a, detail, d_li, b)


def _named_below_classes(
    report: ParsedReport, summary: Table, spend: Side, d_items: list[LineItem]
) -> list[tuple[LineItem, LineItem]]:
    """A summary that lists 款 and 项 by name under its 类 (深圳: 行政单位医疗, 国有企业办职教幼教补助
    支出): each such row whose name is printed once on the spending side and once among the subject
    table's 款/项 rows is that subject's amount."""
    rows = items_of(report, summary)
    end = rows.index(spend.subtotal) if spend.subtotal in rows else len(rows)
    tops = {id(li) for li in spend.tops}
    spending = [li for li in rows[:end] if li.summary_side == "expenditure" and not li.code and id(li) not in tops]
    once = Counter(row_name(li.name) for li in rows if li.summary_side == "expenditure")
    detail: dict[str, list[LineItem]] = {}
    for li in coded(d_items):
        if li.classification != "economic" and len(li.code or "") in (5, 7):
            detail.setdefault(row_name(li.name), []).append(li)
    out = []
    for li in spending:
        key = row_name(li.name)
        found = detail.get(key, [])
        if li.values and once[key] == 1 and len(found) == 1 and len(key) >= 4:
            out.append((li, found[0]))
    return out


@rule(
    "cross.summary_vs_expenditure",
    severity="error",
    zh="收入支出总表各类支出及本年支出合计与支出表对应类级合计一致",
    en="The summary table's spending per 类 and its 本年支出合计 equal the expenditure table",
    inputs=("tables", "line_items"),
    ties=(
        "income_expenditure_summary spending 类 rows and 本年支出合计 ~ expenditure 类 rows and 合计 (total)",
        "income_expenditure_summary spending 款/项 rows named once ~ expenditure 款/项 rows of that name (total)",
    ),
)
def summary_vs_expenditure(report: ParsedReport) -> Iterator[Finding]:
    summaries, details = tables_of(report, SUMMARY), tables_of(report, EXPENDITURE)
    if not summaries or not details:
        raise SkipRule("needs both the 收入支出总表 and the 支出表")
    yield from _side_vs_subjects("cross.summary_vs_expenditure", report, summaries[0], details[0], ())


@rule(
    "cross.income_total",
    severity="error",
    zh="收入表合计（及各收入来源）与收入支出总表本年收入合计（及对应收入项）一致",
    en="The income table's 合计 (and each source) equals the summary table's 本年收入合计 (and its income rows)",
    inputs=("tables", "line_items"),
    ties=("income_expenditure_summary income side 本年收入合计/总计 and sources ~ income 合计 row per column",),
)
def income_total(report: ParsedReport) -> Iterator[Finding]:
    summaries, incomes = tables_of(report, SUMMARY), tables_of(report, INCOME)
    if not summaries or not incomes:
        raise SkipRule("needs both the 收入支出总表 and the 收入表")
    summary, income = summaries[0], incomes[0]
    found = table_sides(report, summary)
    inc_total = table_total(report, income)
    col = total_column(report, income)
    if not found or inc_total is None or col is None:
        raise SkipRule("the 收入表 has no 合计 row or total column, or the summary no income side")
    side = found[0]
    b = cell(inc_total, col)
    carry = any("结转" in c or "结余" in c for c in table_columns(income, items_of(report, income)))
    if carry and side.total is None:
        raise SkipRule("the 收入表 合计 includes carry-over, and the summary prints no 总计 to compare it with")
    order = (side.total, side.subtotal) if carry else (side.subtotal, side.total)
    target = next((r for r in order if r is not None), None)
    a = first_value(target) if target is not None else None
    if b is not None and target is not None and a is not None:
        yield from _compare("cross.income_total", report, summary, target, a, income, inc_total, b)
    for v in inc_total.values:
        key = col_leaf(v.column)
        if v.column == col or not key.endswith("收入") or len(key) < 4:
            continue
        rows = [
            r
            for r in side.tops
            if key in row_name(r.name) or (key == "财政拨款收入" and "财政拨款" in row_name(r.name))
        ]
        if len(rows) == 1 and (a := first_value(rows[0])) is not None:
            yield from _compare("cross.income_total", report, summary, rows[0], a, income, inc_total, v)


@rule(
    "cross.fiscal_vs_general",
    severity="error",
    zh="财政拨款收入支出总表一般公共预算列（各类及合计）与一般公共预算财政拨款支出表一致",
    en="The fiscal summary's 一般公共预算 column (per 类 and total) equals the general-budget expenditure table",
    inputs=("tables", "line_items"),
    ties=(
        "fiscal_grant_summary 一般公共预算 column per 类 and 合计 ~ general_public_expenditure (total)",
        "fiscal_grant_summary 款/项 rows named once ~ general_public_expenditure 款/项 rows of that name (total)",
    ),
)
def fiscal_vs_general(report: ParsedReport) -> Iterator[Finding]:
    summaries, generals = tables_of(report, FISCAL_SUMMARY), tables_of(report, GENERAL)
    if not summaries or not generals:
        raise SkipRule("needs both the 财政拨款收入支出总表 and the 一般公共预算支出表")
    yield from _side_vs_subjects("cross.fiscal_vs_general", report, summaries[0], generals[0], ("一般公共预算",))


@rule(
    "cross.general_vs_basic",
    severity="error",
    zh="一般公共预算支出表基本支出合计=基本支出表人员经费+公用经费合计",
    en="The general-budget table's 基本支出 total equals 人员经费 + 公用经费 of the basic-expenditure table",
    inputs=("tables", "line_items"),
    ties=("general_public_expenditure 合计 basic ~ general_public_basic 合计 (personnel + public)",),
)
def general_vs_basic(report: ParsedReport) -> Iterator[Finding]:
    generals, basics = tables_of(report, GENERAL), tables_of(report, BASIC)
    if not generals or not basics:
        raise SkipRule("needs both the 一般公共预算支出表 and the 基本支出表")
    g_t, b_t = generals[0], basics[0]
    g_row = table_total(report, g_t)
    g_cell = cell_where(g_row, "基本支出") if g_row else None
    if g_row is None or g_cell is None:
        raise SkipRule(f"{g_t.title}: no 合计 row with a 基本支出 column")
    b_items = items_of(report, b_t)
    b_total = total_row(b_items)
    b_col = total_column(report, b_t)
    terms: list[tuple[LineItem, CellValue]] = []
    if b_total is not None and b_col is not None and (c := cell(b_total, b_col)) is not None:
        terms = [(b_total, c)]
    else:
        for li in b_items:
            n = row_name(li.name)
            if not li.code and n in ("人员经费合计", "公用经费合计", "人员经费", "公用经费") and li.values:
                terms.append((li, li.values[0]))
        if {"人员经费" in row_name(li.name) for li, _ in terms} != {True, False}:
            raise SkipRule(f"{b_t.title}: neither a 合计 nor both 人员经费 and 公用经费 totals")
    j = judge(fig(report, g_t, g_cell), [fig(report, b_t, c) for _, c in terms])
    if j is None:
        return
    yield finding(
        "cross.general_vs_basic",
        j,
        f"{g_t.title} {g_row.name} {g_cell.column} {fmt(g_cell.amount)} ≠ {b_t.title} "
        f"{' + '.join(li.name for li, _ in terms)} = {fmt(j.expected)}（差 {fmt(j.difference)}）",
        g_cell.amount,
        where(g_t, g_row, g_cell.column),
        evidence="；".join(f"{li.name} {fmt(c.amount)}" for li, c in terms),
    )


@rule(
    "cross.same_code_same_amount",
    severity="error",
    zh="同一科目在口径相同（资金范围相同或合计一致）的两张表中同一度量（合计、基本支出、项目支出、人员经费、公用经费）金额一致",
    en="A subject code printed in two tables of the same scope has the same amount under each measure both print",
    inputs=("tables", "line_items"),
    ties=("every pair of subject tables of one fund scope (or equal 合计) × code × measure (app/validation/ties.py)",),
)
def same_code_same_amount(report: ParsedReport) -> Iterator[Finding]:
    cov = ties.coverage(report)
    if not cov.ties:
        reasons = "; ".join(f"{r} ×{n}" for r, n in cov.skipped.items()) or "fewer than two subject tables"
        raise SkipRule(f"no two subject tables print the same quantity ({reasons})")
    rows: dict[int, dict[str, LineItem]] = {}
    for t in report.tables:
        rows[t.index] = {li.code: li for li in coded(items_of(report, t)) if li.code}
    for tie in cov.ties:
        a, b = report.tables[tie.a], report.tables[tie.b]
        for code, li in rows[tie.a].items():
            other = rows[tie.b].get(code)
            if other is None:
                continue
            va, vb = cell(li, tie.a_column), cell(other, tie.b_column)
            if va is not None and vb is not None:
                yield from _compare("cross.same_code_same_amount", report, a, li, va, b, other, vb)


ECONOMIC_CODES: dict[str, SangongItem] = {"30217": sangong.RECEPTION, "30231": sangong.RUNNING, "30212": sangong.ABROAD}


@rule(
    "cross.sangong_vs_economic",
    severity="warning",
    zh="经济分类表中公务接待费(30217)、公务用车运行维护费(30231)、因公出国（境）费(30212)不超过“三公”经费表对应数",
    en="30217 / 30231 / 30212 in the economic table do not exceed the matching 三公 figures (same fund scope)",
    inputs=("tables", "line_items"),
    ties=("three_public outbound / vehicle_operation / reception ≥ economic 30212 / 30231 / 30217",),
)
def sangong_vs_economic(report: ParsedReport) -> Iterator[Finding]:
    sg, basics = tables_of(report, SANGONG), tables_of(report, BASIC)
    if not sg or not basics:
        raise SkipRule("needs both the “三公”经费表 and the 基本支出（经济分类）表")
    fy = fiscal_year(report)
    found = sangong.slots(items_of(report, sg[0]), fy)
    want = "决算" if report_kind(report) == "final" else "预算"
    by_item = {item: hit for item in ECONOMIC_CODES.values() if (hit := sangong.pick(found, item, want, fy))}
    if not by_item:
        raise SkipRule(f"the “三公”经费表 prints no single {want} figure for 因公出国、公务用车运行 or 公务接待")
    b_t = basics[0]
    col = total_column(report, b_t)
    for li in coded(items_of(report, b_t)):
        item = ECONOMIC_CODES.get(li.code or "")
        slot = by_item.get(item) if item else None
        v = (cell(li, col) if col else None) or first_value(li)
        if slot is None or v is None:
            continue
        econ = fig(report, b_t, v)
        three = fig(report, sg[0], slot.value)
        j = judge(three, [econ])
        if j is None or econ.yuan <= three.yuan:
            continue
        yield finding(
            "cross.sangong_vs_economic",
            j,
            f"{b_t.title} {li.code} {li.name} {fmt(v.amount)}{econ.unit or ''} 超过 {sg[0].title} "
            f"{sangong.NAMES[slot.item]}（{slot.scope.label()}）"
            f"{fmt(slot.value.amount)}{three.unit or ''}",
            slot.value.amount,
            where(sg[0], slot.row, slot.value.column),
            evidence=f"{li.code} {li.name} = {fmt(v.amount)}",
            severity="warning",
        )
