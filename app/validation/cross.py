"""cross: the same figure printed in two tables agrees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

from app.parsing.model import CellValue, LineItem, ParsedReport, Table
from app.validation import sangong, ties
from app.validation.columns import table_columns
from app.validation.common import (
    INCOME,
    SUMMARY,
    cell,
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
    if (
        j.severity == "info"
        and _same_leaf_print(report, a_t, a_li, b_t, b_li)
        and fa.unit == fb.unit
        and (fa.last_digit == fb.last_digit)
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
    report: ParsedReport,
    table: Table,
    items: list[LineItem],
    anchor: LineItem | None,
    column: str,
    value: Callable[[LineItem], CellValue | None] = first_value,
) -> list[LineItem] | None:
    """A table printed once per unit: the block whose 合计 is the summary's (None if none is)."""
    from app.validation.arith import segments

    blocks = segments(items)
    if len(blocks) <= 1:
        return items
    a = value(anchor) if anchor is not None else None
    for block in blocks:
        t = total_row(block)
        v = cell(t, column) if t is not None else None
        if a is not None and v is not None:
            a_fig = fig(report, report.tables[anchor.table_index] if anchor is not None else table, a)
            j = judge(fig(report, table, v), [a_fig], extra_figures=len(block))
            if j is None or j.severity == "info":
                return block
    return None


def _summary_tie(rule_id: str, report: ParsedReport, tie: ties.SummaryTie) -> Iterator[Finding]:
    """A summary's spending rows of one fund against a subject table of that fund (ties.SummaryTie)."""
    summary, detail = report.tables[tie.summary], report.tables[tie.detail]
    found = table_sides(report, summary)
    if len(found) < 2:
        raise SkipRule(f"{summary.title}: no spending side was read")
    spend = found[1]

    def value(li: LineItem) -> CellValue | None:
        return cell(li, tie.column) if tie.column else first_value(li)

    rows = [li for li in items_of(report, summary) if li.summary_side == "expenditure"]
    block = ties.block_rows(rows).get(tie.measure) if tie.measure != "total" else None
    anchor = block if block is not None else (spend.subtotal or spend.total)
    d_items = _matching_segment(report, detail, items_of(report, detail), anchor, tie.detail_column, value)
    if d_items is None:
        raise SkipRule(f"{detail.title}: no unit block whose 合计 is the summary's")
    d_total = total_row(d_items)
    pairs: list[tuple[LineItem, LineItem]] = []
    if block is not None:
        if d_total is not None:
            pairs.append((block, d_total))
    else:
        classes = _classes(d_items)
        for li in spend.tops:
            d = classes.get(row_name(li.name))
            if d is not None:
                pairs.append((li, d))
        pairs += _named_below_classes(report, summary, spend, d_items)
        # a spending table that prints carry-over among its sources (上年结转 | 上年实户资金余额,
        # 西安 2019) totals more than the year's spending in its overall column: that 合计 is the
        # summary's 支出总计
        carry = "/" not in (tie.detail_column or "/") and any(
            "结转" in c or "结余" in c or "余额" in c for c in table_columns(detail, d_items)
        )
        whole = spend.total if carry and spend.total is not None else spend.subtotal
        if whole is not None and d_total is not None:
            pairs.append((whole, d_total))
    for s_li, d_li in pairs:
        a, b = value(s_li), cell(d_li, tie.detail_column)
        if a is not None and b is not None:
            yield from _compare(rule_id, report, summary, s_li, a, detail, d_li, b)


def _summary_rule(rule_id: str, report: ParsedReport, kind: str) -> list[Finding]:
    """Every derived tie of a summary kind's spending side checked; skipped only if none could be."""
    cov = ties.coverage(report)
    found = [t for t in cov.summary if report.tables[t.summary].kind == kind]
    if not found:
        reasons = "; ".join(f"{r} ×{n}" for r, n in cov.skipped.items() if kind in r)
        raise SkipRule(f"no {kind} spending tied to a subject table of its fund{f' ({reasons})' if reasons else ''}")
    out: list[Finding] = []
    reasons_: list[str] = []
    for tie in found:
        try:
            out.extend(_summary_tie(rule_id, report, tie))
        except SkipRule as skip:
            reasons_.append(skip.reason)
    if len(reasons_) == len(found):
        raise SkipRule("; ".join(dict.fromkeys(reasons_)))
    return out


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
    zh="收入支出总表支出方（各类、本年支出合计、基本支出/项目支出/人员经费/公用经费）与同口径支出表一致",
    en="The summary's spending (per 类, 本年支出合计, 基本/项目支出, 人员/公用经费) equals the tables of its fund",
    inputs=("tables", "line_items"),
    ties=ties.describe_summary("income_expenditure_summary"),
)
def summary_vs_expenditure(report: ParsedReport) -> list[Finding]:
    return _summary_rule("cross.summary_vs_expenditure", report, "income_expenditure_summary")


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
    zh="财政拨款收入支出总表各资金列（一般公共预算、政府性基金、国有资本经营）支出与该资金的支出表一致",
    en="The fiscal summary's spending in each fund's column (per 类, total, blocks) equals the tables of that fund",
    inputs=("tables", "line_items"),
    ties=ties.describe_summary("fiscal_grant_summary"),
)
def fiscal_vs_general(report: ParsedReport) -> list[Finding]:
    return _summary_rule("cross.fiscal_vs_general", report, "fiscal_grant_summary")


@rule(
    "cross.general_vs_basic",
    severity="error",
    zh="支出表（一般公共预算支出表）基本支出（项目支出）合计=同口径基本支出（项目支出）表合计（或人员经费+公用经费合计）",
    en="A spending table's 基本支出 (项目支出) total equals the 合计 of that part's table (or 人员经费 + 公用经费)",
    inputs=("tables", "line_items"),
    ties=ties.describe_parts(),
)
def general_vs_basic(report: ParsedReport) -> list[Finding]:
    cov = ties.coverage(report)
    if not cov.parts:
        reasons = "; ".join(f"{r} ×{n}" for r, n in cov.skipped.items() if "part tie" in r)
        raise SkipRule(
            f"no spending table and table of one part of it share a fund{f' ({reasons})' if reasons else ''}"
        )
    out: list[Finding] = []
    reasons_: list[str] = []
    for tie in cov.parts:
        try:
            out.extend(_part_tie(report, tie))
        except SkipRule as skip:
            reasons_.append(skip.reason)
    if len(reasons_) == len(cov.parts):
        raise SkipRule("; ".join(dict.fromkeys(reasons_)))
    return out


def _part_tie(report: ParsedReport, tie: ties.PartTie) -> Iterator[Finding]:
    g_t, b_t = report.tables[tie.whole], report.tables[tie.part]
    g_row = table_total(report, g_t)
    g_cell = cell(g_row, tie.whole_column) if g_row else None
    if g_row is None or g_cell is None:
        raise SkipRule(f"{g_t.title}: no 合计 row with a {tie.whole_column} column")
    b_items = items_of(report, b_t)
    b_total = total_row(b_items)
    terms: list[tuple[LineItem, CellValue]] = []
    if b_total is not None and tie.part_column is not None and (c := cell(b_total, tie.part_column)) is not None:
        terms = [(b_total, c)]
    elif tie.measure == "basic":
        for li in b_items:
            n = row_name(li.name)
            if not li.code and n in ("人员经费合计", "公用经费合计", "人员经费", "公用经费") and li.values:
                terms.append((li, li.values[0]))
        if {"人员经费" in row_name(li.name) for li, _ in terms} != {True, False}:
            raise SkipRule(f"{b_t.title}: neither a 合计 nor both 人员经费 and 公用经费 totals")
    else:
        raise SkipRule(f"{b_t.title}: no 合计 row in a whole column")
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
    ties=ties.describe_codes(),
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


@rule(
    "cross.sangong_vs_economic",
    severity="warning",
    zh="经济分类支出表中“三公”经费对应科目（公务接待费、公务用车运行维护费、因公出国（境）费用、公务用车购置）不超过“三公”经费表对应数",
    en="The economic subjects of the 三公 items (30217, 30231, 30212, 31013 …) do not exceed the 三公 figures",
    inputs=("tables", "line_items"),
    ties=ties.describe_sangong(),
)
def sangong_vs_economic(report: ParsedReport) -> Iterator[Finding]:
    cov = ties.coverage(report)
    if not cov.sangong:
        raise SkipRule("needs the “三公”经费表 and a spending table printing the economic subjects of its items")
    sg = report.tables[cov.sangong[0].sangong]
    fy = fiscal_year(report)
    found = sangong.slots(items_of(report, sg), fy)
    want = "决算" if report_kind(report) == "final" else "预算"
    by_item = {t.item: hit for t in cov.sangong if (hit := sangong.pick(found, t.item, want, fy))}
    if not by_item:
        raise SkipRule(f"the “三公”经费表 prints no single {want} figure for the items the economic tables print")
    for tie in cov.sangong:
        slot = by_item.get(tie.item)
        e_t = report.tables[tie.economic]
        col = total_column(report, e_t)
        for li in coded(items_of(report, e_t)):
            v = (cell(li, col) if col else None) or first_value(li)
            if slot is None or v is None or li.code != tie.code:
                continue
            econ = fig(report, e_t, v)
            three = fig(report, sg, slot.value)
            j = judge(three, [econ])
            if j is None or econ.yuan <= three.yuan:
                continue
            yield finding(
                "cross.sangong_vs_economic",
                j,
                f"{e_t.title} {li.code} {li.name} {fmt(v.amount)}{econ.unit or ''} 超过 {sg.title} "
                f"{sangong.NAMES[slot.item]}（{slot.scope.label()}）"
                f"{fmt(slot.value.amount)}{three.unit or ''}",
                slot.value.amount,
                where(sg, slot.row, slot.value.column),
                evidence=f"{li.code} {li.name} = {fmt(v.amount)}",
                severity="warning",
            )
