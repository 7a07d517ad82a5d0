"""parse.suspect_read: an arith error the figures themselves say is more likely a misread.

Before an arith identity is reported as an `error`, the rows involved must look read
consistently: a total that differs from the sum of its parts by more than the largest part
(a lost row, a figure read into the wrong column or row, a total read from another block) is
far more likely a misread than a printed error, so it comes as a `warning` for the parser,
with the page, instead of an error about the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from app.parsing.model import ParsedReport
from app.validation.model import Finding
from app.validation.registry import rule
from app.validation.tolerance import Judgement

RULE_ID = "parse.suspect_read"
CHECKED_FAMILY = "arith."


def looks_misread(rule_id: str, judgement: Judgement) -> bool:
    """An arith error whose difference is larger than the largest figure it sums."""
    return (
        rule_id.startswith(CHECKED_FAMILY)
        and judgement.severity == "error"
        and judgement.largest_part is not None
        and abs(judgement.difference) > judgement.largest_part
    )


def suspect(found: Finding, judgement: Judgement) -> Finding:
    """The arith error restated as a suspect reading of its page."""
    page = found.location.page
    return Finding(
        rule_id=RULE_ID,
        severity="warning",
        message=f"疑似读表错误{f'（第{page}页）' if page else ''}：{found.message}；差额 {judgement.difference} "
        f"大于参与求和的最大一项 {judgement.largest_part}，更可能是表格读取有误而非报告印刷错误（{found.rule_id}）",
        expected=found.expected,
        actual=found.actual,
        difference=found.difference,
        location=found.location,
        evidence=found.evidence,
        restates=found,
    )


def confirm_repeated(findings: list[Finding]) -> list[Finding]:
    """A suspect difference printed alike in two or more tables (the same row, the same total and
    the same sum: 烟台 信访局's 20140 信访事务 1378.84 vs Σ项 854.84 in its 收入, 支出 and 一般公共
    预算支出 tables) is no misread: independent readings of independent tables agree. It is the
    report's error after all, once, with every location."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        r = f.restates
        if f.rule_id == RULE_ID and r is not None and r.location.code:
            groups.setdefault((r.rule_id, r.location.code, r.actual, r.expected), []).append(f)
    confirmed = {
        id(f): group
        for group in groups.values()
        if len({f.location.table_index for f in group}) > 1
        for f in group
    }
    out: list[Finding] = []
    for f in findings:
        group = confirmed.get(id(f))
        if group is None:
            out.append(f)
        elif f is group[0]:
            head = group[0].restates
            assert head is not None
            tables = len({g.location.table_index for g in group})
            out.append(
                replace(
                    head,
                    message=f"{head.message}（同一差异印在{tables}张表中，读取一致，非读表错误）",
                    locations=[g.location for g in group],
                )
            )
    return out


@rule(
    RULE_ID,
    severity="warning",
    zh="算术勾稽不符但差额大于最大组成项：更可能是读表错误（缺行、错列），作为警告报告并注明页码，不报错误",
    en="An arith mismatch larger than its largest part is reported as a suspect reading (with its page), not an error",
    inputs=("line_items",),
)
def suspect_read(report: ParsedReport) -> Iterator[Finding]:
    """Raised by the arith rules in place of their error (see `suspect`); nothing to do alone."""
    return iter(())
