"""arith: identities inside one table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from app.parsing.model import LineItem, ParsedReport
from app.validation.model import Finding, Location
from app.validation.registry import SkipRule, rule
from app.validation.tolerance import classify_difference, decimals_of


def _amounts(item: LineItem) -> dict[str, Decimal]:
    return {v.column: v.amount for v in item.values}


def _fmt(d: Decimal) -> str:
    return format(d, "f")


@rule(
    "arith.hierarchy_sum",
    severity="error",
    zh="上级科目金额等于下级科目金额之和（类=Σ款，款=Σ项），逐列核对",
    en="A parent subject equals the sum of its children (类 = Σ款, 款 = Σ项), per amount column",
    inputs=("line_items",),
)
def hierarchy_sum(report: ParsedReport) -> Iterator[Finding]:
    coded = [li for li in report.line_items if li.row_kind == "subject" and li.code]
    if not coded:
        raise SkipRule("no subject-coded rows were extracted")
    groups: dict[tuple[int, int, str | None], list[LineItem]] = defaultdict(list)
    for li in coded:
        groups[(li.table_index, li.side, li.classification)].append(li)
    for items in groups.values():
        yield from _check_group(report, items)


def _check_group(report: ParsedReport, items: list[LineItem]) -> Iterator[Finding]:
    codes = {li.code for li in items}
    for parent in items:
        assert parent.code is not None
        children = [c for c in items if c.parent_code == parent.code and c.code in codes]
        if not children:
            continue
        p_vals = _amounts(parent)
        columns = list(p_vals) + [c for ch in children for c in _amounts(ch) if c not in p_vals]
        for column in dict.fromkeys(columns):
            actual = p_vals.get(column, Decimal(0))
            parts = [_amounts(ch).get(column) for ch in children]
            printed = [p for p in parts if p is not None]
            expected = sum(printed, Decimal(0))
            diff = actual - expected
            severity = classify_difference(diff, len(printed) + 1, decimals_of(actual, *printed))
            if severity is None:
                continue
            table = report.tables[parent.table_index]
            yield Finding(
                rule_id="arith.hierarchy_sum",
                severity="info" if severity == "info" else "error",
                message=(
                    f"{table.title} {parent.code} {parent.name} {column} {_fmt(actual)} ≠ "
                    f"Σ下级科目 {_fmt(expected)}" + ("（尾数差异）" if severity == "info" else "")
                ),
                expected=expected,
                actual=actual,
                difference=diff,
                location=Location(
                    table_index=parent.table_index,
                    table_title=table.title,
                    page=parent.page,
                    code=parent.code,
                    column=column,
                    bbox=parent.bbox,
                ),
                evidence=" + ".join(f"{ch.code} {_fmt(v)}" for ch, v in zip(children, parts, strict=True) if v is not None),
            )
