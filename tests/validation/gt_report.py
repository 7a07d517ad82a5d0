"""A ParsedReport rebuilt from a fixture's ground-truth JSON plus the narrative our extractor reads
from the PDF: the tables as a perfect parser would give them. Test-only (product code never reads
ground truth); lets the rules be checked on real figures independently of the table parser."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from app.parsing.kinds import sangong_items, table_kind
from app.parsing.model import CellValue, Column, LineItem, ParsedReport, ReportMeta, Table
from app.parsing.narrative import blank_pages, extract_sentences
from app.parsing.reader import read_document
from app.parsing.rows import summary_sides
from tests.validation.factories import headed_columns

_TOTAL = re.compile(r"合计|总计")


def _label(column: str) -> str:
    """Ground-truth headers join spanned parts with "-" (seeds) or "/"; the parser uses "/"."""
    return column.replace("-", "/")


def _values(raw: dict[str, str], unit: str | None, prefix: str = "") -> list[CellValue]:
    return [
        CellValue(column=_label(c[len(prefix) :]), measure=None, amount=Decimal(v), unit=unit)
        for c, v in raw.items()
        if c.startswith(prefix)
    ]


@lru_cache(maxsize=8)
def _sentences(pdf_path: str) -> tuple[tuple[object, ...], tuple[int, ...], int]:
    pages = read_document(Path(pdf_path).read_bytes())
    return tuple(extract_sentences(pages)), tuple(blank_pages(pages)), len(pages)


def gt_report(json_path: Path) -> ParsedReport:
    gt = json.loads(json_path.read_text("utf-8"))
    meta = gt["report"]
    sentences, blanks, pages = _sentences(str(json_path.with_suffix(".pdf")))
    report = ParsedReport(
        meta=ReportMeta(
            department=meta["department"],
            fiscal_year=meta["fiscal_year"],
            kind=meta["kind"],
            amount_unit=meta.get("amount_unit"),
            pages=pages,
        ),
        sentences=list(sentences),  # type: ignore[arg-type]
        blank_pages=list(blanks),
    )
    for n, t in enumerate(gt["tables"]):
        unit = t.get("amount_unit")
        page = t["pages"][0] if t.get("pages") else 1
        report.tables.append(
            Table(
                index=n,
                kind=table_kind(t["title"]),
                title=t["title"],
                pages=t.get("pages", []),
                amount_unit=unit,
                columns=[Column(_label(c)) for c in t.get("columns", [])],
                empty=not t.get("line_items") and not t.get("totals"),
            )
        )
        two_sided = any(c.startswith(("收入-", "支出-")) for c in t.get("columns", []))
        if two_sided:
            _two_sided(report, n, page, unit, t)
            continue
        for li in t.get("line_items", []):
            code = li.get("code")
            report.line_items.append(
                LineItem(
                    table_index=n,
                    page=page,
                    row_kind="subject" if code else "item",
                    name=li["name"],
                    values=_values(li.get("values", {}), unit),
                    code=code,
                    classification=li.get("classification"),
                )
            )
        side = 0
        for label, vals in t.get("totals", {}).items():
            name = label.split("#")[0]
            report.line_items.append(
                LineItem(
                    table_index=n,
                    page=page,
                    row_kind="total" if _TOTAL.search(name) else "item",
                    name=name,
                    values=_values(vals, unit),
                    side=side,
                )
            )
            if name in ("总计", "收入总计"):
                side = 1
    for table in report.tables:
        rows = [li for li in report.line_items if li.table_index == table.index]
        table.columns = headed_columns(table.columns, rows)
        summary_sides(table.kind, rows)
        table.columns = sangong_items(table.kind, table.columns, rows)
    return report


def _two_sided(report: ParsedReport, n: int, page: int, unit: str | None, t: dict[str, object]) -> None:
    """Seeds print 收入 | 支出 halves as one row with 收入-/支出- columns: one row per half here."""
    rows: list[list[LineItem]] = [[], []]
    named = {li["name"]: li for li in t.get("line_items", [])}  # type: ignore[attr-defined]
    totals = t.get("totals", {})
    for name in list(named) + [k for k in totals if k not in named]:  # type: ignore[attr-defined]
        raw = dict(named.get(name, {}).get("values", {}))
        raw.update(totals.get(name, {}))  # type: ignore[attr-defined]
        for side, prefix in ((0, "收入-"), (1, "支出-")):
            values = _values(raw, unit, prefix)
            wants = values or (not raw and ("收入" in name) == (side == 0) and "总计" not in name)
            if wants or ("总计" in name and any(k.startswith(prefix) for k in raw)):
                kind = "total" if _TOTAL.search(name) else "item"
                rows[side].append(
                    LineItem(table_index=n, page=page, row_kind=kind, name=name.split("#")[0], values=values, side=side)
                )
    for side_rows in rows:
        total = [r for r in side_rows if r.name in ("总计", "收入总计", "支出总计")]
        rest = [r for r in side_rows if r not in total]
        report.line_items.extend(rest + total)
