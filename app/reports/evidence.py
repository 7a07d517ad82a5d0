"""Evidence on the page: page sizes, a finding with the figures it compared, page images with highlights.

A stored finding keeps one location (the figure it checked). The figures it was compared with are
found among the report's line items: the children of a checked subject code (Σ下级科目), the
top-level rows of a table under a checked total (Σ各类), and the rows of the other tables that the
finding names by code (cross-table ties). Findings, tables and line items are the service's reads
of the stored parse and validation, in the contract's shapes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from app.core.problems import FindingNotFound, HighlightNotFound, PageNotFound
from app.reports import service
from app.reports.record import iso
from app.reports.render import Box, PageCache, page_sizes, render_page
from app.reports.schemas import (
    FigureOut,
    FindingDetailOut,
    FindingOut,
    LineItemOut,
    PageListOut,
    PageSizeOut,
)
from app.store.files import BlobStore
from app.store.models import Report

Role = Literal["checked", "compared"]
TOTAL_LABELS = ("合计", "总计")
CODE_IN_MESSAGE = re.compile(r"(?<!\d)(\d{3}(?:\d{2}){0,2})(?![\d.])")

CACHE = PageCache()


@dataclass(frozen=True)
class PageImage:
    png: bytes | None
    etag: str


@dataclass(frozen=True)
class Evidence:
    """What highlights and compared figures are looked up in: one report's line items, findings, table titles."""

    items: list[LineItemOut]
    findings: dict[str, FindingOut]
    titles: dict[str, str]


def _evidence(session: Session, report_id: str) -> Evidence:
    return Evidence(
        items=service.report_line_items(session, report_id=report_id),
        findings={f.id: f for f in service.validation_view(session, report_id=report_id).findings},
        titles={t.id: t.title for t in service.list_tables(session, report_id=report_id).data},
    )


def _stored_file(session: Session, files: BlobStore, report_id: str) -> tuple[Report, bytes]:
    report = service.require_report(session, report_id)
    return report, files.get(report.sha256)


def pages_view(session: Session, *, files: BlobStore, report_id: str) -> PageListOut:
    """Page count and sizes (points, 1/72 inch) of the stored file."""
    report, pdf = _stored_file(session, files, report_id)
    sizes = page_sizes(pdf)
    return PageListOut(report_id=report.id, count=len(sizes),
                       data=[PageSizeOut(number=n + 1, width=round(w, 2), height=round(h, 2))
                             for n, (w, h) in enumerate(sizes)])


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


def _figure(li: LineItemOut, role: Role, bbox: list[float]) -> FigureOut:
    return FigureOut(role=role, line_item_id=li.id, table_id=li.table_id, code=li.code, name=li.name, page=li.page,
                     bbox=bbox, page_width=li.page_width, page_height=li.page_height)


def _box(bbox: list[float], role: str) -> Box:
    return Box((bbox[0], bbox[1], bbox[2], bbox[3]), role)


def compared_figures(finding: FindingOut, items: list[LineItemOut], titles: dict[str, str]) -> list[FigureOut]:
    """The figures a finding checked (role `checked`) and compared them with (role `compared`).

    `titles` maps table ids to printed titles: a row of another table counts as compared when the
    message names that table and the row's code (or, for a total row, its name and column)."""
    loc = finding.location
    table, code, page = loc.table_id, loc.code, loc.page
    out: list[FigureOut] = []
    if loc.bbox and page is not None:
        out.append(FigureOut(role="checked", line_item_id=None, table_id=table, code=code, name=loc.row_label,
                             page=page, bbox=loc.bbox, page_width=loc.page_width, page_height=loc.page_height))
    seen = {(f.page, tuple(f.bbox)) for f in out}

    def add(li: LineItemOut, role: Role) -> None:
        if li.bbox is None or (li.page, tuple(li.bbox)) in seen:
            return
        seen.add((li.page, tuple(li.bbox)))
        out.append(_figure(li, role, li.bbox))

    same_table = [li for li in items if table and li.table_id == table]
    # A finding on the narrative names its table too, though what it checked is a sentence elsewhere:
    # then the table's row is what the sentence was compared with.
    on_table = bool(same_table) and page in {li.page for li in same_table}
    if code:
        for li in same_table:
            if li.code == code:
                add(li, "checked" if on_table else "compared")
        for li in same_table if on_table else ():
            if li.parent_code == code:
                add(li, "compared")
    elif on_table and (loc.row_label or "").replace(" ", "") in TOTAL_LABELS:
        for li in same_table:
            if li.row_kind == "subject" and li.level == 1:
                add(li, "compared")
    message = finding.message or ""
    codes = set(CODE_IN_MESSAGE.findall(message))
    for tid in named_tables(message, titles) - ({table} if on_table else set()):
        rows = [li for li in items if li.table_id == tid]
        by_code = [li for li in rows if li.row_kind == "subject" and li.code in codes]
        # No code named: a total row named as a word, in a column the message names (总计 收入/决算数).
        for li in by_code or [li for li in rows if li.row_kind == "total" and _word_in(li.name, message)
                              and any(v.column and v.column in message for v in li.values)]:
            add(li, "compared")
    return out


def _word_in(word: str, text: str) -> bool:
    """`word` in `text` not as part of a longer Chinese word (合计 is not in 本年支出合计)."""
    word = word.strip()
    return bool(word) and re.search(rf"(?<![\u4e00-\u9fff]){re.escape(word)}(?![\u4e00-\u9fff])", text) is not None


def finding_view(session: Session, *, report_id: str, finding_id: str) -> FindingDetailOut:
    ev = _evidence(session, report_id)
    finding = ev.findings.get(finding_id)
    if finding is None:
        raise FindingNotFound(f"report {report_id!r} has no finding {finding_id!r}")
    return FindingDetailOut(**finding.model_dump(), figures=compared_figures(finding, ev.items, ev.titles))


def _boxes(session: Session, report: Report, page: int, highlight: list[str]) -> list[Box]:
    """The boxes on `page` of every highlighted line item, finding (with its figures) or table."""
    if not highlight:
        return []
    ev = _evidence(session, report.id)
    by_id = {li.id: li for li in ev.items}
    boxes: list[Box] = []
    for hid in highlight:
        if hid in by_id:
            selected = [by_id[hid]]
        elif hid in ev.findings:
            boxes += [_box(f.bbox, f.role) for f in compared_figures(ev.findings[hid], ev.items, ev.titles)
                      if f.page == page]
            continue
        elif hid in ev.titles:
            selected = [li for li in ev.items if li.table_id == hid]
        else:
            raise HighlightNotFound(f"report {report.id!r} has no line item, finding or table {hid!r}")
        boxes += [_box(li.bbox, "selected") for li in selected if li.page == page and li.bbox]
    return boxes


def _etag(report: Report, page: int, dpi: int, highlight: list[str]) -> str:
    """Changes with the file, the page, the dpi, the highlights, and the report's last parse or validation
    (finding ids name positions in the current validation)."""
    key = "|".join([report.sha256, str(page), str(dpi), ",".join(highlight), iso(report.updated_at)])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def page_image(session: Session, *, files: BlobStore, report_id: str, page: int, dpi: int,
               highlight: list[str], if_none_match: str | None = None) -> PageImage:
    """Page `page` rendered at `dpi` with the highlights, cached by (file, page, dpi, highlights, update).

    `png` is None when `if_none_match` already names this image (the client sends 304's ETag)."""
    report = service.require_report(session, report_id)
    pdf: bytes | None = None  # read only when needed: a parsed report knows its page count
    if report.pages is None:
        pdf = files.get(report.sha256)
        count = len(page_sizes(pdf))
    else:
        count = report.pages
    if not 1 <= page <= count:
        raise PageNotFound(f"report {report_id!r} has pages 1–{count}, not {page}")
    wanted = sorted(set(highlight))
    etag = _etag(report, page, dpi, wanted)
    if if_none_match and etag in {t.strip() for t in if_none_match.split(",")}:
        return PageImage(None, etag)
    png = CACHE.get(etag)
    if png is None:
        boxes = _boxes(session, report, page, wanted)
        png = render_page(pdf if pdf is not None else files.get(report.sha256), page, dpi, boxes)
        CACHE.put(etag, png)
    return PageImage(png, etag)
