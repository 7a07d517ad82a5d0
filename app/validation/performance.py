"""performance: the 绩效 tables (programmes, their funds, indicators and scores)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from app.parsing.model import Indicator, ParsedReport, Programme
from app.validation.common import fmt, report_kind
from app.validation.facts import facts
from app.validation.model import Finding, Location, Severity
from app.validation.registry import SkipRule, rule
from app.validation.tolerance import Fig, digit, judge, judge_pct

HUNDRED = Decimal(100)
GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("合格", Decimal(60)), ("差", Decimal(0)))
NO_REASON = {"", "无", "无偏差", "/", "—", "-", "——", "无。", "不适用"}


def _programmes(report: ParsedReport) -> list[Programme]:
    if not report.programmes:
        raise SkipRule("no performance programmes (绩效自评表/绩效目标表) were extracted")
    return report.programmes


def _where(report: ParsedReport, p: Programme, label: str | None = None) -> Location:
    table = report.tables[p.table_index] if p.table_index is not None and p.table_index < len(report.tables) else None
    return Location(
        table_index=p.table_index,
        table_title=table.title if table else None,
        page=p.pages[0] if p.pages else None,
        row_label=label or p.name,
    )


def _fund(p: Programme, *keys: str) -> Decimal | None:
    for k in keys:
        for name, v in p.funds.items():
            if k in name:
                return v
    return None


def _finding(
    rule_id: str,
    severity: Severity,
    msg: str,
    loc: Location,
    expected: Decimal | str | None = None,
    actual: Decimal | str | None = None,
    diff: Decimal | None = None,
    evidence: str | None = None,
) -> Finding:
    return Finding(rule_id, severity, msg, expected, actual, diff, loc, evidence)


def _as_pct(rate: Decimal, expected: Decimal) -> Decimal:
    """A rate printed as a fraction (0.9868) compared with a percentage (98.68)."""
    return rate * HUNDRED if rate <= Decimal("1.5") and expected > Decimal("1.5") else rate


@rule(
    "performance.execution_rate",
    severity="error",
    zh="预算执行率=全年执行数/全年预算数（按印刷精度）",
    en="执行率 = 全年执行数 / 全年预算数 (rounded as printed)",
    inputs=("programmes.funds", "programmes.execution_rate"),
)
def execution_rate(report: ParsedReport) -> Iterator[Finding]:
    checkable = []
    for p in _programmes(report):
        rate = p.execution_rate if p.execution_rate is not None else _fund(p, "执行率")
        budget = _fund(p, "全年预算数", "预算金额", "预算数", "批复金额", "下达")
        spent = _fund(p, "全年执行数", "执行数", "实际支出", "执行金额")
        if rate is not None and budget and spent is not None:
            checkable.append((p, rate, budget, spent))
    if not checkable:
        raise SkipRule("no programme prints 执行率 with 全年预算数 and 全年执行数")
    for p, rate, budget, spent in checkable:
        b, s = Fig(budget, p.amount_unit), Fig(spent, p.amount_unit)
        centre = s.yuan / b.yuan * HUNDRED
        stated = _as_pct(rate, centre)
        h_b, h_s = b.half_unit_yuan, s.half_unit_yuan
        lo = (s.yuan - h_s) / (b.yuan + h_b) * HUNDRED
        hi = (s.yuan + h_s) / (b.yuan - h_b) * HUNDRED if b.yuan > h_b else centre
        j = judge_pct(stated, lo, hi, centre)
        if j is None or (centre > HUNDRED and stated == HUNDRED):
            continue  # some provinces cap the printed rate at 100%
        yield _finding(
            "performance.execution_rate",
            j.severity,
            f"{p.name} 执行率 {fmt(stated)}% ≠ 全年执行数 {fmt(spent)} / 全年预算数 {fmt(budget)} = {fmt(j.expected)}%"
            + ("（尾数差异）" if j.severity == "info" else ""),
            _where(report, p, "执行率"),
            f"{fmt(j.expected)}%",
            f"{fmt(stated)}%",
            j.difference,
        )


@rule(
    "performance.budget_score",
    severity="warning",
    zh="预算执行率得分=分值×min(执行率,100%)",
    en="The budget-execution score equals its weight × min(execution rate, 100%)",
    inputs=("programmes.funds",),
)
def budget_score(report: ParsedReport) -> Iterator[Finding]:
    checkable = []
    for p in _programmes(report):
        weight, score = _fund(p, "分值"), _fund(p, "得分")
        rate = p.execution_rate if p.execution_rate is not None else _fund(p, "执行率")
        if weight is not None and score is not None and rate is not None:
            checkable.append((p, weight, score, rate))
    if not checkable:
        raise SkipRule("no programme prints a budget-execution 分值, 得分 and 执行率")
    for p, weight, score, rate in checkable:
        budget = _fund(p, "全年预算数", "预算金额", "预算数", "批复金额", "下达")
        spent = _fund(p, "全年执行数", "执行数", "实际支出", "执行金额")
        centre = spent / budget * HUNDRED if budget and spent is not None else HUNDRED
        pct = min(_as_pct(rate, centre), HUNDRED)
        expected = weight * pct / HUNDRED
        slack = weight * digit(rate) / HUNDRED + Decimal("0.5") * digit(score)
        if score > weight:
            sev: Severity = "error"
        elif abs(score - expected) <= slack:
            continue
        else:
            sev = "warning"
        want = expected.quantize(Decimal("0.01"))
        yield _finding(
            "performance.budget_score",
            sev,
            f"{p.name} 预算执行率得分 {fmt(score)} ≠ 分值 {fmt(weight)} × 执行率 {fmt(pct)}% = {fmt(want)}",
            _where(report, p, "预算执行率得分"),
            want,
            score,
            score - expected,
        )


def _indicators(report: ParsedReport, p: Programme) -> list[Indicator]:
    return facts(report).memo(("indicators",), lambda: _by_programme(report)).get(p.index, [])


def _by_programme(report: ParsedReport) -> dict[int | None, list[Indicator]]:
    out: dict[int | None, list[Indicator]] = {}
    for i in report.indicators:
        out.setdefault(i.programme_index, []).append(i)
    return out


@rule(
    "performance.score_total",
    severity="error",
    zh="总分=各指标得分之和（+预算执行率得分）；各指标分值之和为100",
    en="总分 = Σ indicator 得分 (+ the budget-execution score); Σ 分值 = 100",
    inputs=("programmes.total_score", "indicators.score", "indicators.weight"),
)
def score_total(report: ParsedReport) -> Iterator[Finding]:
    final = report_kind(report) == "final"
    scored = [(p, inds) for p in _programmes(report) if (inds := _indicators(report, p))]
    if not scored:
        raise SkipRule("no programme has indicators")
    for p, inds in scored:
        b_weight, b_score = _fund(p, "分值"), _fund(p, "得分")
        scores = [i.score for i in inds]
        weights = [i.weight for i in inds]
        all_weights = all(w is not None for w in weights)
        total_w = sum((w for w in weights if w is not None), Decimal(0))
        if p.total_score is not None and all(sc is not None for sc in scores):
            yield from _check_total(
                report, p, [sc for sc in scores if sc is not None], total_w if all_weights else None, b_weight, b_score
            )
        if final and all_weights and (total_w > HUNDRED or (b_weight is not None and total_w + b_weight != HUNDRED)):
            yield _finding(
                "performance.score_total",
                "warning",
                f"{p.name} 各指标分值之和为 {fmt(total_w)}"
                + (f"（加预算执行率分值 {fmt(b_weight)}）" if b_weight else "")
                + "，不等于100",
                _where(report, p, "分值"),
                HUNDRED,
                total_w + (b_weight or 0),
                total_w + (b_weight or 0) - HUNDRED,
            )


def _check_total(
    report: ParsedReport,
    p: Programme,
    scores: list[Decimal],
    total_w: Decimal | None,
    b_weight: Decimal | None,
    b_score: Decimal | None,
) -> Iterator[Finding]:
    """总分 = Σ 得分 (+ the budget-execution score). When that score was not read, the points the
    weights leave to it (100 − Σ分值) bound the gap instead."""
    assert p.total_score is not None
    parts = [Fig(sc) for sc in scores]
    total = Fig(p.total_score)
    if b_score is not None:
        j = judge(total, [*parts, Fig(b_score)])
        if j is None or judge(total, parts) is None:
            return
    else:
        j = judge(total, parts)
        if j is None:
            return
        room = HUNDRED - total_w if total_w is not None and total_w < HUNDRED else Decimal(0)
        if -j.allowance <= p.total_score - j.expected <= room + j.allowance:
            return  # the unread budget-execution points may make up the difference
    yield _finding(
        "performance.score_total",
        "info" if j.severity == "info" else "error",
        f"{p.name} 总分 {fmt(p.total_score)} ≠ 各项得分之和 {fmt(j.expected)}",
        _where(report, p, "总分"),
        j.expected,
        p.total_score,
        j.difference,
    )


def grade_for(score: Decimal) -> str:
    for name, floor in GRADES:
        if score >= floor:
            return name
    return "差"


@rule(
    "performance.grade",
    severity="warning",
    zh="评价等级（优/良/中/差）与总分所在区间一致（优≥90，良80–90，中60–80，差<60）",
    en="The grade (优/良/中/差) matches the total-score band (≥90 / 80–90 / 60–80 / <60)",
    inputs=("programmes.total_score", "programmes.grade"),
)
def grade(report: ParsedReport) -> Iterator[Finding]:
    graded = [p for p in _programmes(report) if p.total_score is not None and p.grade]
    if not graded:
        raise SkipRule("no programme prints both a total score and a grade")
    for p in graded:
        assert p.total_score is not None and p.grade is not None
        printed = p.grade.strip()
        expected = grade_for(p.total_score)
        if printed.startswith(expected) or (expected in ("中", "合格") and printed.startswith(("中", "合格"))):
            continue
        if not printed.startswith(("优", "良", "中", "差", "合格", "不合格")):
            continue
        yield _finding(
            "performance.grade",
            "warning",
            f"{p.name} 总分 {fmt(p.total_score)} 对应等级应为“{expected}”，表中为“{printed}”",
            _where(report, p, "评价等级"),
            expected,
            printed,
        )


@rule(
    "performance.target_met",
    severity="warning",
    zh="未达到目标值的指标（如≥95实际94.64）应说明偏差原因且不得满分",
    en="An indicator whose actual value misses its target has a deviation reason and does not get full points",
    inputs=("indicators.met", "indicators.score", "indicators.deviation_reason"),
)
def target_met(report: ParsedReport) -> Iterator[Finding]:
    if not report.indicators:
        raise SkipRule("no performance indicators were extracted")
    for ind in report.indicators:
        if ind.met is not False:
            continue
        loc = Location(page=ind.page, row_label=ind.name, bbox=ind.bbox)
        claim = f"{ind.operator or ''}{ind.target or ''}{ind.unit or ''}"
        if ind.weight is not None and ind.score is not None and ind.score >= ind.weight:
            yield _finding(
                "performance.target_met",
                "warning",
                f"指标“{ind.name}”目标{claim}、实际{ind.actual}未达标，却得满分 {fmt(ind.score)}",
                loc,
                f"< {fmt(ind.weight)}",
                ind.score,
            )
        if (ind.deviation_reason or "").strip() in NO_REASON:
            yield _finding(
                "performance.target_met",
                "warning",
                f"指标“{ind.name}”目标{claim}、实际{ind.actual}未达标，但未说明偏差原因",
                loc,
                "偏差原因",
                ind.deviation_reason or None,
            )


@rule(
    "performance.indicator_complete",
    severity="warning",
    zh="每个指标都有一级、二级指标名称、指标值（自评表还需实际完成值）",
    en="Each indicator has level-1/level-2 names and a target (and an actual value in self-evaluations)",
    inputs=("indicators",),
)
def indicator_complete(report: ParsedReport) -> Iterator[Finding]:
    if not report.indicators:
        raise SkipRule("no performance indicators were extracted")
    final = report_kind(report) == "final"
    groups: dict[int | None, list[tuple[Indicator, list[str]]]] = {}
    for ind in report.indicators:
        missing = [n for n, v in (("一级指标", ind.level1), ("二级指标", ind.level2), ("指标值", ind.target)) if not v]
        if final and not ind.actual:
            missing.append("实际完成值")
        if missing:
            groups.setdefault(ind.programme_index, []).append((ind, missing))
    for prog, bad in groups.items():
        p = report.programmes[prog] if prog is not None and prog < len(report.programmes) else None
        first = bad[0][0]
        yield _finding(
            "performance.indicator_complete",
            "warning",
            f"{p.name if p else '绩效表'} 有{len(bad)}个指标内容不全（如“{first.name}”缺{'、'.join(bad[0][1])}）",
            _where(report, p) if p else Location(page=first.page, row_label=first.name),
            evidence="；".join(f"{i.name}: 缺{'、'.join(m)}" for i, m in bad[:10]),
        )
