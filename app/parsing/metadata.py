"""Report metadata: department, fiscal year, kind (决算 final / 预算 budget) and default unit."""

from __future__ import annotations

import re
from collections import Counter

from app.parsing.department import department
from app.parsing.model import ReportKind, ReportMeta
from app.parsing.reader import PageData
from app.parsing.regions import compact, is_page_number
from app.parsing.tables import TableBuild

_YEAR_KIND = re.compile(r"(20\d{2})(?:年度?)?(?!年?\d{1,2}月)[^\d。，]{0,30}?(预算|决算)")
_YEAR = re.compile(r"(20\d{2})(?:年度?)?(?!\d)(?!年?\d{1,2}月)")
_TITLE_YEAR = re.compile(r"(20\d{2})年度?")
# the cover names a report of a kind (部门预算, 单位决算, 预算公开, 决算说明 …), not a topic (预算管理, 预算执行)
_COVER_KIND = re.compile(r"(?:部门|单位)(?:综合)?(预算|决算)|(预算|决算)(?:公开|报告|说明|草案|表|书)|(预算|决算)$")


def _front_lines(pages: list[PageData], n: int = 2) -> list[str]:
    out: list[str] = []
    for page in pages[:n]:
        out.extend(ln.text for ln in page.lines if not is_page_number(ln, page.height))
    return out


def _kind(word: str) -> ReportKind:
    return "final" if word == "决算" else "budget"


def fiscal_year_and_kind(pages: list[PageData], builds: list[TableBuild]) -> tuple[int | None, ReportKind]:
    """From the cover and the table titles (never from a publication date)."""
    year: int | None = None
    kind: ReportKind = "unknown"
    cover = compact("".join(_front_lines(pages, 1)))
    front = compact("".join(_front_lines(pages, 2)))
    for text in (cover, front):
        m = _YEAR_KIND.search(text)
        if m:
            year, kind = int(m.group(1)), _kind(m.group(2))
            break
    titles = [compact(b.title) for b in builds]
    if kind == "unknown":
        said = {next(g for g in m.groups() if g) for m in _COVER_KIND.finditer(cover)}
        if any("决算" in t for t in titles) or said == {"决算"}:
            kind = "final"
        elif any("预算" in t for t in titles) or "预算" in said:
            kind = "budget"
    if year is None:
        years = Counter(int(m.group(1)) for t in titles for m in _TITLE_YEAR.finditer(t))
        if years:
            year = years.most_common(1)[0][0]
    if year is None:
        m2 = _YEAR.search(cover) or _YEAR.search(front)
        if m2:
            year = int(m2.group(1))
    return year, kind


def report_meta(
    pages: list[PageData], builds: list[TableBuild], unit: str | None, *, page_count: int | None = None
) -> ReportMeta:
    """The report's metadata from its first pages (`page_count` when `pages` is only the front)."""
    year, kind = fiscal_year_and_kind(pages, builds)
    cover = _front_lines(pages, 1)[:3]
    title = compact("".join(cover))[:80] or None
    return ReportMeta(
        department=department(pages, [b.department for b in builds]),
        fiscal_year=year,
        kind=kind,
        amount_unit=unit,
        pages=len(pages) if page_count is None else page_count,
        title=title,
    )
