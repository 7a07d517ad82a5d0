"""Evidence on the page: page sizes, a finding with the figures it compared, page images with highlights.

A stored finding keeps one location (the figure it checked). The figures it was compared with are
found among the report's line items: the children of a checked subject code (Σ下级科目), the
top-level rows of a table under a checked total (Σ各类), and the rows of the other tables that the
finding names by code (cross-table ties)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.core.errors import FindingNotFound, HighlightNotFound, PageNotFound
from app.reports import repository as repo
from app.reports.render import Box, PageCache, page_sizes, render_page
from app.reports.service import require_report
from app.store.files import FileStore
from app.store.models import Report

JSON = dict[str, Any]
TOTAL_LABELS = ("合计", "总计")
CODE_IN_MESSAGE = re.compile(r"(?<!\d)(\d{3}(?:\d{2}){0,2})(?![\d.])")

CACHE = PageCache()


@dataclass(frozen=True)
class PageImage:
    png: bytes | None
    etag: str


def _parsed_file(session: Session, files: FileStore, report_id: str) -> tuple[Report, bytes]:
    report = require_report(session, report_id)
    return report, files.get(report.sha256)


def pages_view(session: Session, *, files: FileStore, report_id: str) -> JSON:
    """Page count and sizes (points, 1/72 inch) of the stored file."""
    report, pdf = _parsed_file(session, files, report_id)
    sizes = page_sizes(pdf)
    return {"report_id": report.id, "count": len(sizes),
            "data": [{"number": n + 1, "width": round(w, 2), "height": round(h, 2)} for n, (w, h) in enumerate(sizes)]}


def _line_items(session: Session, report_id: str) -> list[JSON]:
    rows = repo.list_line_items(session, report_id=report_id, code=None, classification=None, table_kind=None,
                                level=None, row_kind=None, measure=None, department=None, fiscal_year=None,
                                kind=None, after=None, limit=1_000_000)
    return [r.doc for r in rows]


def _titles(session: Session, report_id: str) -> dict[str, str]:
    return {t.id: t.title for t in repo.list_tables(session, report_id)}


def named_tables(message: str, titles: dict[str, str]) -> set[str]:
    """The tables whose titles the message prints; a title inside a longer printed one does not count
    (支出决算表 in 一般公共预算财政拨款支出决算表)."""
    taken = [False] * len(message)
    out: set[str] = set()
    for tid, title in sorted(titles.items(), key=lambda kv: -len(kv[1])):
        for m in re.finditer(re.escape(title), message) if title else ():
            if not any(taken[m.start():m.end()]):
                out.add(tid)
                taken[m.start():m.end()] = [True] * len(title)
    return out


def _figure(li: JSON, role: str) -> JSON:
    return {"role": role, "line_item_id": li["id"], "table_id": li["table_id"], "code": li["code"],
            "name": li["name"], "page": li["page"], "bbox": li["bbox"]}


def compared_figures(finding: JSON, items: list[JSON], titles: dict[str, str]) -> list[JSON]:
    """The figures a finding checked (role `checked`) and compared them with (role `compared`).

    `titles` maps table ids to printed titles: a row of another table counts as compared when the
    message names that table and the row's code (or, for a total row, its name and column)."""
    loc = finding["location"]
    table, code, page = loc.get("table_id"), loc.get("code"), loc.get("page")
    out: list[JSON] = []
    if loc.get("bbox") and page is not None:
        out.append({"role": "checked", "line_item_id": None, "table_id": table, "code": code,
                    "name": loc.get("row_label"), "page": page, "bbox": loc["bbox"]})
    seen = {(f["page"], tuple(f["bbox"])) for f in out}

    def add(li: JSON, role: str) -> None:
        if li["bbox"] is None or (li["page"], tuple(li["bbox"])) in seen:
            return
        seen.add((li["page"], tuple(li["bbox"])))
        out.append(_figure(li, role))

    same_table = [li for li in items if table and li["table_id"] == table]
    # A finding on the narrative names its table too, though what it checked is a sentence elsewhere:
    # then the table's row is what the sentence was compared with.
    on_table = bool(same_table) and page in {li["page"] for li in same_table}
    if code:
        for li in same_table:
            if li["code"] == code:
                add(li, "checked" if on_table else "compared")
        for li in same_table if on_table else ():
            if li["parent_code"] == code:
                add(li, "compared")
    elif on_table and (loc.get("row_label") or "").replace(" ", "") in TOTAL_LABELS:
        for li in same_table:
            if li["row_kind"] == "subject" and li["level"] == 1:
                add(li, "compared")
    message = finding.get("message") or ""
    codes = set(CODE_IN_MESSAGE.findall(message))
    for tid in named_tables(message, titles) - ({table} if on_table else set()):
        rows = [li for li in items if li["table_id"] == tid]
        by_code = [li for li in rows if li["row_kind"] == "subject" and li["code"] in codes]
        # No code named: a total row named as a word, in a column the message names (总计 收入/决算数).
        for li in by_code or [li for li in rows if li["row_kind"] == "total" and _word_in(li["name"], message)
                              and any(v["column"] and v["column"] in message for v in li["values"])]:
            add(li, "compared")
    return out


def _word_in(word: str, text: str) -> bool:
    """`word` in `text` not as part of a longer Chinese word (合计 is not in 本年支出合计)."""
    word = word.strip()
    return bool(word) and re.search(rf"(?<![\u4e00-\u9fff]){re.escape(word)}(?![\u4e00-\u9fff])", text) is not None


def finding_view(session: Session, *, report_id: str, finding_id: str) -> JSON:
    require_report(session, report_id)
    finding = next((f.doc for f in repo.list_findings(session, report_id) if f.id == finding_id), None)
    if finding is None:
        raise FindingNotFound(f"report {report_id!r} has no finding {finding_id!r}")
    figures = compared_figures(finding, _line_items(session, report_id), _titles(session, report_id))
    return {**finding, "figures": figures}


def _boxes(session: Session, report: Report, page: int, highlight: list[str]) -> list[Box]:
    """The boxes on `page` of every highlighted line item, finding (with its figures) or table."""
    if not highlight:
        return []
    items = _line_items(session, report.id)
    by_id = {li["id"]: li for li in items}
    findings = {f.id: f.doc for f in repo.list_findings(session, report.id)}
    titles = _titles(session, report.id)
    boxes: list[Box] = []
    for hid in highlight:
        if hid in by_id:
            figures = [_figure(by_id[hid], "selected")]
        elif hid in findings:
            figures = compared_figures(findings[hid], items, titles)
        elif hid in titles:
            figures = [_figure(li, "selected") for li in items if li["table_id"] == hid]
        else:
            raise HighlightNotFound(f"report {report.id!r} has no line item, finding or table {hid!r}")
        boxes += [Box(tuple(f["bbox"]), f["role"]) for f in figures if f["page"] == page and f["bbox"]]
    return boxes


def _etag(report: Report, page: int, dpi: int, highlight: list[str]) -> str:
    parsed = report.parsed_at.isoformat() if report.parsed_at else ""
    key = "|".join([report.sha256, str(page), str(dpi), ",".join(highlight), parsed])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def page_image(session: Session, *, files: FileStore, report_id: str, page: int, dpi: int,
               highlight: list[str], if_none_match: str | None = None) -> PageImage:
    """Page `page` rendered at `dpi` with the highlights, cached by (file, page, dpi, highlights, parse).

    `png` is None when `if_none_match` already names this image (the client sends 304's ETag)."""
    report, pdf = _parsed_file(session, files, report_id)
    count = report.pages or len(page_sizes(pdf))
    if not 1 <= page <= count:
        raise PageNotFound(f"report {report_id!r} has pages 1–{count}, not {page}")
    wanted = sorted(set(highlight))
    etag = _etag(report, page, dpi, wanted)
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return PageImage(None, etag)
    png = CACHE.get(etag)
    if png is None:
        png = render_page(pdf, page, dpi, _boxes(session, report, page, wanted))
        CACHE.put(etag, png)
    return PageImage(png, etag)
