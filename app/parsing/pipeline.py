"""bytes → ParsedReport: the chain of parsing stages."""

from __future__ import annotations

import time

from app.parsing.errors import NoTextLayer
from app.parsing.guard import DEFAULT_MAX_PAGES, open_pdf
from app.parsing.metadata import report_meta
from app.parsing.model import ParsedReport
from app.parsing.narrative import blank_pages, extract_sentences
from app.parsing.performance import extract_performance
from app.parsing.reader import read_pages
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings
from app.parsing.tables import assemble, default_unit, to_tables

MIN_TEXT_CHARS = 20


def parse_pdf(
    data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES, settings: ParseSettings = DEFAULT_SETTINGS
) -> ParsedReport:
    """Parse a 部门预算/部门决算 PDF into the parsed model (pure: bytes in, data out)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with open_pdf(data, max_pages=max_pages) as pdf:
        pages = read_pages(pdf, settings)
        timings["read"] = (time.perf_counter() - t0) * 1000
        if sum(len(w.text) for p in pages for w in p.words) < MIN_TEXT_CHARS:
            raise NoTextLayer(
                f"the PDF's {len(pages)} pages carry no text (an image-only scan?); OCR is not supported yet"
            )
        t1 = time.perf_counter()
        builds = assemble(pages, settings)
        unit = default_unit(builds)
        tables, line_items = to_tables(builds, unit)
        meta = report_meta(pages, builds, unit)
        timings["tables"] = (time.perf_counter() - t1) * 1000
        t1 = time.perf_counter()
        programmes, indicators = extract_performance(pdf, tables)
        timings["performance"] = (time.perf_counter() - t1) * 1000
        t1 = time.perf_counter()
        sentences = extract_sentences(pdf)
        blank = blank_pages(pdf)
        timings["narrative"] = (time.perf_counter() - t1) * 1000
    timings["total"] = (time.perf_counter() - t0) * 1000
    return ParsedReport(
        meta=meta,
        tables=tables,
        line_items=line_items,
        programmes=programmes,
        indicators=indicators,
        sentences=sentences,
        timings_ms=timings,
        blank_pages=blank,
    )
