"""Ties by construction: every pair of subject tables that print the same quantity, derived from
the parsed model's table kinds and column measures (never from titles), so that a new layout
is covered when the parser knows its kind and measures.

Two tables print the same quantity of a subject code when they cover the same fund scope (the
kind says it, or their 合计 rows agree) and both have a column of the same canonical measure
(total, basic, project, personnel, public). What the ties do not know — a table kind without a
fund scope, a column without a known measure — is counted as a skip with its reason."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from app.parsing.kinds import column_measure
from app.parsing.model import ParsedReport, Table, TableKind
from app.validation.columns import table_columns
from app.validation.common import cell, coded, fig, items_of
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
