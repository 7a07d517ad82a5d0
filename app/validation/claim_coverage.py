"""Claims coverage: every amount, percentage and coded subject the 情况说明 states, as a typed
claim (what it measures, the period and scope it refers to, value, unit, comparison base), and
where it ended — `tied` to a table figure, `checked` against another claim, or `unverified` with
the reason. The outcome is the one the narrative rules reached (they note it in the ledger while
they work), so the counts say where the checker is blind, not where a second reading guesses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from app.catalog import code_of_path, subject_name
from app.parsing.model import ParsedReport
from app.validation import claims
from app.validation.claim_ledger import Ledger, Outcome, key_of
from app.validation.common import fiscal_year, report_kind, row_name
from app.validation.figures import name_rows
from app.validation.model import ClaimCoverage

ClaimKind = Literal["amount", "pct", "subject"]
KINDS: tuple[ClaimKind, ...] = ("amount", "pct", "subject")
OUTCOMES: tuple[Outcome, ...] = ("tied", "checked", "unverified")
_COMPARE_BASES = (("上年", "上年"), ("去年", "上年"), ("同比", "上年"), ("预算", "预算"))


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    page: int
    measure: str | None  # the metric key (total, basic, sangong_vehicle …) or the subject code
    period: str  # current | prior | other (a year other than the report's)
    scope: str  # 预算 | 决算: what the figure states
    value: Decimal | None
    unit: str | None
    base: str | None  # what a change or comparison is against (上年, 预算), None for a level
    change: bool
    outcome: Outcome
    reason: str | None
    evidence: str = ""  # the sentence that states it


def _period(label: str, fy: int | None) -> str:
    years = claims.years_in(label)
    if fy is not None and any(y != fy for y in years):
        return "prior" if all(y < fy for y in years) else "other"
    return "prior" if any(w in label for w in ("上年", "上一年", "去年")) else "current"


def _base(label: str, change: bool) -> str | None:
    if not change:
        return None
    return next((b for w, b in _COMPARE_BASES if w in label), "上年")


def read_claims(report: ParsedReport, ledger: Ledger) -> list[Claim]:
    """Every claim of the narrative with the outcome the rules noted for it."""
    fy = fiscal_year(report)
    kind = report_kind(report)
    table_codes = {li.code for li in report.line_items if li.code and li.row_kind == "subject"}
    out: list[Claim] = []
    for s in report.sentences:
        for m in claims.amounts(s) + claims.percentages(s):
            period = _period(m.label, fy)
            default = "no_base" if m.kind == "pct" else (
                "change_without_base" if m.changes else ("prior_year" if period == "prior" else "unknown_measure")
            )
            outcome, reason = ledger.outcome(key_of(m), default)
            out.append(Claim(
                kind="amount" if m.kind == "amount" else "pct", page=s.page, measure=claims.metric_of(m.label),
                period=period, scope=claims.scope_of(m.label, kind), value=m.value, unit=m.unit,
                base=_base(m.label, m.changes or m.direction != 0), change=m.changes, outcome=outcome, reason=reason,
                evidence=s.text,
            ))
        for ref in claims.subjects_in(s.text):
            code = ref.code
            if code is None:
                # named without its code: tied when a table row carries the name (or the code the
                # catalog gives the name path), checked when the catalog knows the path
                named = name_rows(report, row_name(ref.names[-1])) if ref.names[-1] else []
                path = code_of_path(ref.names, ref.levels) if not any(ref.codes) and all(ref.names) else None
                if named or path in table_codes:
                    outcome, reason = "tied", None
                elif path is not None:
                    outcome, reason = "checked", None
                else:
                    outcome, reason = "unverified", "name_not_in_tables" if not any(ref.codes) else "code_not_printed"
            elif code in table_codes:
                outcome, reason = "tied", None  # narrative.subject_names compares the name with the row's
            elif subject_name(code) is not None:
                outcome, reason = "checked", None  # … or with the catalog's
            else:
                outcome, reason = "unverified", "code_unknown"
            out.append(Claim("subject", s.page, code, "current", claims.scope_of("", kind), None, None, None,
                             False, outcome, reason, s.text))
    return out


def coverage(found: list[Claim]) -> ClaimCoverage:
    counts: dict[str, dict[str, int]] = {k: dict.fromkeys(OUTCOMES, 0) for k in KINDS}
    reasons: Counter[str] = Counter()
    for c in found:
        counts[c.kind][c.outcome] += 1
        if c.reason:
            reasons[c.reason] += 1
    return ClaimCoverage(counts=counts, reasons=dict(reasons.most_common()))
