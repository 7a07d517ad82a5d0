"""A change the narrative states without its base (较上年增加 X万元, 比2025年预算减少 X万元) tied to
the table that prints the prior year beside the current one: the “三公”经费表, whose 上年 /
2025年预算数 columns or rows `sangong.slots` reads with their year and scope. The change is then
the table's current figure minus its prior-year figure, both printed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.parsing.model import ParsedReport, SangongItem
from app.validation import claims, sangong
from app.validation.claims import Mention
from app.validation.common import SANGONG, fig, fiscal_year, items_of, report_kind, tables_of
from app.validation.tolerance import Fig, Judgement, judge

# the narrative's 三公 metric keys (claims.METRICS) → the item the 三公 table's columns and rows name
ITEM_OF_METRIC: dict[str, SangongItem] = {
    "sangong_total": "total",
    "sangong_abroad": "outbound",
    "sangong_vehicle": "vehicle",
    "sangong_purchase": "vehicle_purchase",
    "sangong_running": "vehicle_operation",
    "sangong_reception": "reception",
}
_PRIOR = re.compile(r"上年|去年|同比|上一年")
_ACTUAL = ("决算", "执行", "实际")


@dataclass(frozen=True)
class PriorTie:
    judgement: Judgement | None
    table_index: int
    current: sangong.Slot
    prior: sangong.Slot


def _prior_year(label: str, fy: int) -> bool:
    """The change is against the year before the report's (比上年 / 较2025年预算)."""
    years = claims.years_in(label)
    return (fy - 1) in years if years else bool(_PRIOR.search(label))


def _metric(m: Mention, heading: str) -> str | None:
    """The change's own measure, else that of the figure its clause stated last (公务接待费5.77万元，
    较上年减少0.03万元), else its block title's."""
    own = claims.metric_of(m.label)
    if own is not None:
        return own
    text = m.sentence.text
    start = max(text.rfind("；", 0, m.start), text.rfind(";", 0, m.start), text.rfind("。", 0, m.start))
    before = [a for a in claims.amounts(m.sentence) if start < a.start < m.start and not a.changes]
    for a in reversed(before):
        metric = claims.metric_of(a.label) or claims.heading_metric(a.label, heading)
        if metric is not None:
            return metric
    return None


def _pick_prior(found: list[sangong.Slot], item: SangongItem, actual: bool, fy: int) -> sangong.Slot | None:
    """The one prior-year figure of an item in the scope the text compares with (预算 or 决算/执行)."""
    cands = [s for s in found if s.item == item and s.scope.year == fy - 1]
    words = [s for s in cands if s.scope.word and (any(w in s.scope.word for w in _ACTUAL) == actual)]
    if any(s.scope.word for s in cands):
        cands = words
    whole = [s for s in cands if s.scope.fund in ("", "财政拨款")]
    cands = whole or [s for s in cands if s.scope.fund == "一般公共预算"] or cands
    keys = {(s.scope.word, s.scope.fund, s.scope.row) for s in cands}
    return cands[0] if len(keys) == 1 else None


def change_tie(report: ParsedReport, m: Mention, heading: str = "") -> PriorTie | None:
    """The stated change against the 三公 table's current minus prior-year figure, None when the
    text names no 三公 item, no prior year, or the table does not print both figures once."""
    fy = fiscal_year(report)
    three = tables_of(report, SANGONG)
    if fy is None or not three or m.direction == 0 or not _prior_year(m.label, fy):
        return None
    item = ITEM_OF_METRIC.get(_metric(m, heading) or "")
    if item is None:
        return None
    table = three[0]
    found = sangong.slots(items_of(report, table), fy)
    want = "决算" if report_kind(report) == "final" else "预算"
    actual = any(w in m.label for w in _ACTUAL) or ("预算" not in m.label and want == "决算")
    current, prior = sangong.pick(found, item, want, fy), _pick_prior(found, item, actual, fy)
    if current is None or prior is None:
        return None
    stated = Fig(m.direction * m.value, m.unit)
    terms = [fig(report, table, current.value), fig(report, table, prior.value)]
    return PriorTie(judge(stated, terms, signs=[1, -1]), table.index, current, prior)
