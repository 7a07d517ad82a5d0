"""Ties by construction: every pair of subject tables that print the same quantity, derived from
the parsed model's table kinds and column measures (never from titles), so that a new layout
is covered when the parser knows its kind and measures.

Two tables print the same quantity of a subject code when they cover the same fund scope (the
kind says it, or their 合计 rows agree) and both have a column of the same canonical measure
(total, basic, project, personnel, public). The same vocabulary gives the summary ties (a
summary's spending per fund against every spending table of that fund, its 基本支出/人员经费 …
rows against the columns of that measure), the part ties (a fund's whole spending table against
its 基本支出/项目支出 tables) and the 三公 ties (each item against the economic subjects the catalog
names for it); the cross rules consume them, and `describe_*` writes them out for GET /rules.
What the ties do not know — a table kind without a fund scope, a column without a known
measure, a summary column of no subject table's fund — is counted as a skip with its reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from app.catalog import load_catalog
from app.parsing.kinds import column_measure
from app.parsing.model import SUMMARY_KINDS, LineItem, ParsedReport, SangongItem, Table, TableKind
from app.validation.columns import table_columns
from app.validation.common import cell, coded, fig, items_of, row_name
from app.validation.facts import facts
from app.validation.tolerance import judge

# the money a table of each kind covers (fund / the part of spending); kinds without coded amounts are absent
FUND_SCOPE: dict[TableKind, str] = {
    "income": "all",
    "expenditure": "all",
    "basic_expenditure": "all/basic",
    "project_expenditure": "all/project",
    "general_public_expenditure": "general_public",
    "general_public_basic": "general_public/basic",
    "general_public_project": "general_public/project",
    "general_public_economic": "general_public",
    "government_fund": "government_fund",
    "state_capital": "state_capital",
}
# kinds the ties read elsewhere (the summary sides, the 三公 items) or that print no coded amounts
NOT_CODED: frozenset[TableKind] = frozenset(
    {
        "income_expenditure_summary",
        "fiscal_grant_summary",
        "three_public",
        "performance_self_eval",
        "performance_target",
        "performance_eval",
    }
)
# the measures a code's amount is printed under in more than one table
TIED_MEASURES = ("total", "basic", "project", "personnel", "public")
# measures that are no quantity of a code shared across tables (fund sources of one table, memo columns)
_OWN_MEASURES = frozenset(
    {
        "general_public_budget",
        "government_fund",
        "state_capital",
        "special_account",
        "fiscal_grant",
        "amount",
        "budget",
        "actual",
    }
)


# the fund a summary column prints (财政拨款收支总表: one column per fund); the 收入支出总表's rows are of all funds
FUND_OF_MEASURE: dict[str, str] = {
    "general_public_budget": "general_public",
    "government_fund": "government_fund",
    "state_capital": "state_capital",
}
SUMMARY_FUND: dict[TableKind, str | None] = {"income_expenditure_summary": "all", "fiscal_grant_summary": None}
# the parts of spending a summary prints as rows of that name (基本支出, 人员经费 …) and subject tables as columns
BLOCK_MEASURES = ("basic", "project", "personnel", "public")
# the 三公 items that are one economic subject each (the catalog's names say which: 30217 公务接待费)
SANGONG_ITEMS: tuple[SangongItem, ...] = ("outbound", "reception", "vehicle_operation", "vehicle_purchase")


def scope_parts(kind: TableKind) -> tuple[str, str]:
    """(fund, part of spending) of a subject table kind: general_public_basic → (general_public, basic)."""
    fund, _, part = FUND_SCOPE[kind].partition("/")
    return fund, part


def spends(kind: TableKind) -> bool:
    """A subject table of spending (the 收入表 prints income per subject, not what was spent)."""
    return kind in FUND_SCOPE and kind != "income"


def sangong_codes() -> dict[SangongItem, tuple[str, ...]]:
    """The economic subjects each 三公 item is, by the catalog's names read with the parser's
    measure vocabulary (因公出国（境）费用 → outbound: 30212; 公务用车购置 → vehicle_purchase: 31013 …)."""
    out: dict[SangongItem, list[str]] = {}
    for code, subject in sorted(load_catalog().items()):
        if subject.classification != "economic" or len(code) != 5:
            continue
        # a 三公 table's 购置费 sits under 公务用车: alone (被装购置费) it names another subject
        items = {column_measure(n) for n in subject.names if "公务用车" in n or "购置" not in n}
        for item in SANGONG_ITEMS:
            if item in items:
                out.setdefault(item, []).append(code)
    return {item: tuple(codes) for item, codes in out.items()}


@dataclass(frozen=True)
class SummaryTie:
    """A summary's spending rows of one fund against a subject table of that fund: `total` ties the
    类 rows and 本年支出合计 to the table's 类 rows and 合计; a block measure (basic …) ties the
    summary's row of that name to the table's 合计 row in the column of that measure."""

    summary: int
    column: str | None  # the summary's column of that fund (None: each row's first amount)
    detail: int
    measure: str
    detail_column: str
    scope: str


@dataclass(frozen=True)
class PartTie:
    """A table of a fund's whole spending against the table of one part of it (基本支出表): the
    whole's 合计 in the part's column equals the part table's 合计 (None: the part table prints no
    whole column; its 人员经费/公用经费 totals are summed)."""

    whole: int
    whole_column: str
    part: int
    part_column: str | None
    measure: str
    scope: str


@dataclass(frozen=True)
class SangongTie:
    """A 三公 item against the economic subject it is, in a subject table with economic rows (the
    table may cover only part of the item's spending, so the item bounds it from above)."""

    sangong: int
    item: SangongItem
    economic: int
    code: str


@dataclass(frozen=True)
class Tie:
    a: int  # table indexes
    b: int
    measure: str
    a_column: str
    b_column: str
    scope: str  # the shared fund scope, or "equal totals"


@dataclass
class Coverage:
    ties: list[Tie] = field(default_factory=list)
    summary: list[SummaryTie] = field(default_factory=list)
    parts: list[PartTie] = field(default_factory=list)
    sangong: list[SangongTie] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason → how many tables / columns


def _measure(report: ParsedReport, table: Table, label: str) -> str | None:
    """A column's canonical measure; 合计 columns (the table's whole row amount) are `total`."""
    m = next((c.measure for c in table.columns if c.label == label), None) or column_measure(label)
    if m is None:
        return None
    for suffix in ("_budget", "_actual"):  # 基本支出/预算数 → basic
        if m.endswith(suffix) and m.removesuffix(suffix) in TIED_MEASURES:
            return m.removesuffix(suffix)
    return m


def _columns(report: ParsedReport, table: Table, cov: Coverage) -> dict[str, str]:
    """measure → the column printing it (the first of each measure); unknown ones counted."""
    from app.validation.cross import total_column

    out: dict[str, str] = {}
    whole = total_column(report, table)  # the row's whole amount: 合计, or the one 预算数 column
    if whole is not None:
        out["total"] = whole
    for label in table_columns(table, items_of(report, table)):
        if label == whole:
            continue
        m = _measure(report, table, label)
        if m is None:
            cov.skipped[f"column without a known measure ({table.kind})"] += 1
        elif m in TIED_MEASURES:
            out.setdefault(m, label)
        elif m not in _OWN_MEASURES:
            cov.skipped[f"measure {m} tied to no other table"] += 1
    return out


def _equal_totals(report: ParsedReport, a: Table, b: Table, a_col: str, b_col: str) -> bool:
    from app.validation.cross import table_total

    ta, tb = table_total(report, a), table_total(report, b)
    va = cell(ta, a_col) if ta is not None else None
    vb = cell(tb, b_col) if tb is not None else None
    if va is None or vb is None:
        return False
    j = judge(fig(report, a, va), [fig(report, b, vb)])
    return j is None or j.severity == "info"


def coverage(report: ParsedReport) -> Coverage:
    """Every tie of the report's subject tables, and what could not be tied (memoised per run)."""
    return facts(report).memo(("ties",), lambda: _derive(report))


def _derive(report: ParsedReport) -> Coverage:
    cov = Coverage()
    tables: list[tuple[Table, str, dict[str, str]]] = []
    for t in report.tables:
        if t.kind in NOT_CODED or not coded(items_of(report, t)):
            continue
        scope = FUND_SCOPE.get(t.kind)
        if scope is None:
            cov.skipped[f"table kind {t.kind} has no known fund scope"] += 1
            continue
        tables.append((t, scope, _columns(report, t, cov)))
    _summary_ties(report, tables, cov)
    _part_ties(report, tables, cov)
    _sangong_ties(report, tables, cov)
    for (a, sa, ca), (b, sb, cb) in combinations(tables, 2):
        shared = [m for m in TIED_MEASURES if m in ca and m in cb]
        if not shared:
            cov.skipped["two subject tables with no measure in common"] += 1
            continue
        if "total" in shared and _equal_totals(report, a, b, ca["total"], cb["total"]):
            scope = sa if sa == sb else "equal totals"
        elif sa == sb and not _equal_totals_known(report, a, b, ca, cb):
            scope = sa
        else:
            why = "same fund scope, unequal 合计 (a part or a unit block)" if sa == sb else "different fund scope"
            cov.skipped[f"two subject tables of {why}"] += 1
            continue
        for m in shared:
            cov.ties.append(Tie(a.index, b.index, m, ca[m], cb[m], scope))
    return cov


def _equal_totals_known(report: ParsedReport, a: Table, b: Table, ca: dict[str, str], cb: dict[str, str]) -> bool:
    """Same kind of scope but both print a 合计 that differs: one is a per-unit block or a part (no tie)."""
    if "total" not in ca or "total" not in cb:
        return False
    from app.validation.cross import table_total

    ta, tb = table_total(report, a), table_total(report, b)
    return ta is not None and tb is not None and cell(ta, ca["total"]) is not None and cell(tb, cb["total"]) is not None


def _summary_funds(
    report: ParsedReport, summary: Table, spend: list[LineItem], cov: Coverage
) -> list[tuple[str | None, str]]:
    """(column, fund) of a summary's spending side: all funds in the row's first amount, or one
    fund per column whose measure names one; a column of no known fund is a counted skip."""
    fund = SUMMARY_FUND[summary.kind]
    if fund is not None:
        return [(None, fund)]
    out: list[tuple[str | None, str]] = []
    labels = list(dict.fromkeys(v.column for li in spend for v in li.values))
    for label in labels:
        m = _measure(report, summary, label)
        if m in FUND_OF_MEASURE:
            if all(f != FUND_OF_MEASURE[m] for _, f in out):
                out.append((label, FUND_OF_MEASURE[m]))
        elif len(labels) == 1 and _grants_are_general(report) and not _carries_over(report, summary):
            out.append((label, "general_public"))  # one amount per row: all grants, here the general budget's
        else:
            cov.skipped[f"{summary.kind} spending column of no subject table's fund ({m or 'no measure'})"] += 1
    return out


def _carries_over(report: ParsedReport, summary: Table) -> bool:
    """The summary's income side brings in an amount carried over (上年结转): its spending rows may
    then include the carry-over a subject table of the year's budget does not print."""
    return any(
        li.summary_side == "income" and column_measure(row_name(li.name)) == "carryover_begin" and any(
            v.amount != 0 for v in li.values
        )
        for li in items_of(report, summary)
    )


def _grants_are_general(report: ParsedReport) -> bool:
    """The fiscal grants are the general budget's alone: the report prints its 政府性基金 and 国有资本经营
    tables, and neither shows an amount other than zero."""
    others = [t for t in report.tables if t.kind in ("government_fund", "state_capital")]
    kinds = {t.kind for t in others}
    return kinds == {"government_fund", "state_capital"} and all(
        v.amount == 0 for t in others for li in items_of(report, t) for v in li.values
    )


def block_rows(spend: list[LineItem]) -> dict[str, LineItem]:
    """The first row of each block measure a summary prints as a row (基本支出, 人员经费 …); a row
    naming an economic subject (工资福利支出) is that subject, not a block."""
    names = {n for s in load_catalog().values() for n in s.names}
    out: dict[str, LineItem] = {}
    for li in spend:
        name = row_name(li.name)
        m = column_measure(name)
        if m in BLOCK_MEASURES and not li.code and li.values and name not in names:
            out.setdefault(m, li)
    return out


def _summary_ties(report: ParsedReport, tables: list[tuple[Table, str, dict[str, str]]], cov: Coverage) -> None:
    for s in report.tables:
        if s.kind not in SUMMARY_KINDS:
            continue
        spend = [li for li in items_of(report, s) if li.summary_side == "expenditure"]
        if not spend:
            cov.skipped[f"{s.kind} without a spending side"] += 1
            continue
        blocks = block_rows(spend)
        for column, fund in _summary_funds(report, s, spend, cov):
            found, kinds = False, set()
            for d, _, cols in tables:
                if not spends(d.kind) or scope_parts(d.kind)[0] != fund:
                    continue
                if d.kind in kinds and not _same_spending(report, s, column, d, cols.get("total")):
                    # the kind's first table is its standard one; a further one (a 财政拨款支出表 the
                    # kind calls expenditure too, a 专项业务经费支出表) is of the summary's money only
                    # when its 合计 is the summary's
                    cov.skipped[f"a further {d.kind} table whose 合计 is not the summary's (another fund or part)"] += 1
                    continue
                kinds.add(d.kind)
                part = scope_parts(d.kind)[1]
                pairs = [("total", "total")] if not part else [(part, "total")]
                pairs += [(m, m) for m in BLOCK_MEASURES if m != part]
                for measure, d_measure in pairs:
                    if d_measure in cols and (measure == "total" or measure in blocks):
                        cov.summary.append(SummaryTie(s.index, column, d.index, measure, cols[d_measure], fund))
                        found = True
            if not found:
                cov.skipped[f"{s.kind} spending of fund {fund}: no subject table of that fund"] += 1


def _same_spending(report: ParsedReport, summary: Table, column: str | None, detail: Table, d_col: str | None) -> bool:
    """The summary's 本年支出合计 equals the subject table's 合计 (to rounding)."""
    from app.validation.cross import table_total
    from app.validation.summary import table_sides

    found = table_sides(report, summary)
    sub = found[1].subtotal if len(found) > 1 else None
    d_total = table_total(report, detail)
    if sub is None or d_total is None or d_col is None:
        return False
    a = cell(sub, column) if column else (sub.values[0] if sub.values else None)
    b = cell(d_total, d_col)
    if a is None or b is None:
        return False
    j = judge(fig(report, detail, b), [fig(report, summary, a)])
    return j is None or j.severity == "info"


def _part_ties(report: ParsedReport, tables: list[tuple[Table, str, dict[str, str]]], cov: Coverage) -> None:
    """A fund's whole spending table against its part tables of the same fund (coded or not: a
    basic table may list 人员经费/公用经费 by name). A general-budget table takes a 基本支出表 of a
    kind naming no fund when no basic table of its own fund is printed (basic spending is the
    general budget's). Two tables of kinds naming no fund are no tie: such a kind is an
    assumption (a 财政拨款基本支出表 is basic_expenditure too), so the part's fund is unknown."""
    from app.validation.cross import total_column

    parts = [
        (p, total_column(report, p))
        for p in report.tables
        if p.kind in FUND_SCOPE and spends(p.kind) and scope_parts(p.kind)[1] and items_of(report, p)
    ]
    coded_ = {t.index for t, _, _ in tables}
    wholes = [(t, cols) for t, _, cols in tables] + [
        (t, _columns(report, t, Coverage()))  # an uncoded table (rows named only) still prints its 合计
        for t in report.tables
        if t.index not in coded_ and t.kind in FUND_SCOPE and items_of(report, t)
    ]
    for w, wcols in wholes:
        fund, own = scope_parts(w.kind)
        if not spends(w.kind) or own:
            continue
        for part in dict.fromkeys(scope_parts(p.kind)[1] for p, _ in parts):
            found = [(p, c) for p, c in parts if scope_parts(p.kind) == (fund, part)]
            if not found and fund == "general_public" and part == "basic":
                found = [(p, c) for p, c in parts if scope_parts(p.kind) == ("all", part)]
            if fund == "all" and found:
                cov.skipped[f"{w.kind} and {part} tables of kinds naming no fund: no part tie"] += 1
                continue
            for p, p_col in found[:1]:
                if part in wcols:
                    cov.parts.append(PartTie(w.index, wcols[part], p.index, p_col, part, fund))
                else:
                    cov.skipped[f"{w.kind} prints no {part} column: no part tie with {p.kind}"] += 1


def _sangong_ties(report: ParsedReport, tables: list[tuple[Table, str, dict[str, str]]], cov: Coverage) -> None:
    three = [t for t in report.tables if t.kind == "three_public" and items_of(report, t)]
    if not three:
        return
    codes = {code: item for item, cs in sangong_codes().items() for code in cs}
    for e, _, _ in tables:
        rows = coded(items_of(report, e))
        if not spends(e.kind) or not any(li.classification == "economic" for li in rows):
            continue
        printed = sorted({li.code for li in rows if li.code in codes})
        for code in printed:
            cov.sangong.append(SangongTie(three[0].index, codes[code], e.index, code))


# what GET /rules lists: the ties each rule covers, written out from the same vocabulary
_FUNDS_OF_SUMMARY: dict[TableKind, tuple[tuple[str, str], ...]] = {
    "income_expenditure_summary": (("each row's amount", "all"),),
    "fiscal_grant_summary": tuple((f"{m} column", f) for m, f in FUND_OF_MEASURE.items()),
}


def describe_summary(kind: TableKind) -> tuple[str, ...]:
    """The ties of a summary kind's spending side: per fund, every spending subject table of it."""
    out = []
    for where, fund in _FUNDS_OF_SUMMARY[kind]:
        for d in FUND_SCOPE:
            if not spends(d) or scope_parts(d)[0] != fund:
                continue
            part = scope_parts(d)[1]
            own = f"{part} row ~ {d} 合计" if part else f"类 rows and 本年支出合计 ~ {d} 类 rows and 合计 (total)"
            blocks = ", ".join(m for m in BLOCK_MEASURES if m != part)
            out.append(f"{kind} spending ({where}, fund {fund}): {own}; {blocks} rows ~ {d} 合计 in that column")
    return tuple(out)


def describe_parts() -> tuple[str, ...]:
    out = []
    for w in FUND_SCOPE:
        fund = scope_parts(w)[0]
        if not spends(w) or scope_parts(w)[1] or fund == "all":
            continue
        for p in FUND_SCOPE:
            p_fund, part = scope_parts(p)
            if spends(p) and part and p_fund == fund:
                alt = " (else basic_expenditure) 合计 (or its personnel + public)" if part == "basic" else " 合计"
                out.append(f"{w} 合计 {part} ~ {p}{alt}, fund {fund}")
    return tuple(out)


def describe_sangong() -> tuple[str, ...]:
    return tuple(
        f"three_public {item} ≥ economic {'/'.join(codes)} in every economic spending table"
        for item, codes in sangong_codes().items()
    )


def describe_codes() -> tuple[str, ...]:
    return tuple(
        f"every two subject tables of fund scope {scope} (or of equal 合计) × code × {'/'.join(TIED_MEASURES)}"
        for scope in sorted(set(FUND_SCOPE.values()))
    )
