"""parse.suspect_read: an arith error the figures themselves say is more likely a misread.

Before an arith identity is reported as an `error`, the rows involved must look read
consistently: a total that differs from the sum of its parts by more than the largest part
(a lost row, a figure read into the wrong column or row, a total read from another block) is
far more likely a misread than a printed error, so it comes as a `warning` for the parser,
with the page, instead of an error about the report.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    )


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
