"""A subject's change against the prior year (…（项）2026年预算数为5,826.21万元，比2025年执行数增加271.14万元)
tied to a subject table that prints the prior year beside the current one (2025年执行数 | 2026年预算数):
the change is the row's current amount minus its prior-year amount, both printed. A table may print
more than one prior-year column (执行数, 扣除中央基建投资后执行数): the change ties when one agrees, and
is an error only when the table prints one prior-year column and it does not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.parsing.model import CellValue, LineItem, ParsedReport, Table
from app.validation import claims, sangong
from app.validation.claims import Mention, SubjectRef
from app.validation.common import cell, fig, fiscal_year
from app.validation.cross import total_column
from app.validation.tolerance import Fig, Judgement, judge

_CHANGE_COLUMN = re.compile(r"增减|比|变动|差额|[%％]")
_PRIOR = re.compile(r"上年|去年|上一年")
_ACTUAL = ("执行", "决算", "实际")


@dataclass(frozen=True)
class ColumnTie:
    judgement: Judgement | None  # None: the change is the table's difference
    table: Table
    row: LineItem
    current: CellValue
    prior: CellValue


def subject_before(m: Mention) -> SubjectRef | None:
    """The subject path the change's clause names before it (…（项）2026年预算数为X万元，比…增加)."""
    text = m.sentence.text
    refs = [r for r in claims.subjects_in(text) if r.end <= m.start]
    if not refs:
        return None
    ref = refs[-1]
    between = text[ref.end : m.start]
    return None if re.search(r"[；;。]", between) else ref


def _against_prior(label: str, fy: int) -> bool:
    years = claims.years_in(label)
    return (fy - 1) in years if years else bool(_PRIOR.search(label))


def _prior_columns(report: ParsedReport, row: LineItem, fy: int, actual: bool | None) -> list[CellValue]:
    out = []
    for v in row.values:
        if _CHANGE_COLUMN.search(v.column):
            continue
        scope = sangong.scope_in(v.column, fy)
        if scope.year != fy - 1:
            continue
        if actual is not None and scope.word and any(w in scope.word for w in _ACTUAL) != actual:
            continue
        out.append(v)
    return out


def column_tie(report: ParsedReport, m: Mention, rows: list[tuple[Table, LineItem]]) -> ColumnTie | None:
    """The change against the rows' current minus prior-year column, None when no row prints both."""
    fy = fiscal_year(report)
    if fy is None or m.direction == 0 or not _against_prior(m.label, fy):
        return None
    actual = True if any(w in m.label for w in _ACTUAL) else (False if "预算" in m.label else None)
    stated = Fig(m.direction * m.value, m.unit)
    disagree: list[ColumnTie] = []
    for table, row in rows:
        col = total_column(report, table)
        current = cell(row, col) if col else None
        if current is None or sangong.scope_in(current.column, fy).year not in (None, fy):
            continue
        priors = _prior_columns(report, row, fy, actual)
        for prior in priors:
            j = judge(stated, [fig(report, table, current), fig(report, table, prior)], signs=[1, -1])
            tie = ColumnTie(j, table, row, current, prior)
            if j is None or j.severity == "info":
                return tie
            if len(priors) == 1:
                disagree.append(tie)
    return disagree[0] if disagree else None
