"""bytes → ParsedReport: the chain of parsing stages."""

from __future__ import annotations

import time

from app.parsing.errors import NoTextLayer
from app.parsing.guard import DEFAULT_MAX_PAGES, open_pdf
from app.parsing.model import ParsedReport, ReportMeta
from app.parsing.narrative import extract_sentences
from app.parsing.performance import extract_performance

MIN_TEXT_CHARS = 20


def parse_pdf(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES) -> ParsedReport:
    """Parse a 部门预算/部门决算 PDF into the parsed model (pure: bytes in, data out)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with open_pdf(data, max_pages=max_pages) as pdf:
        n_chars = sum(len(p.chars) for p in pdf.pages)
        if n_chars < MIN_TEXT_CHARS:
            raise NoTextLayer(
                f"the PDF's {len(pdf.pages)} pages carry no text (an image-only scan?); OCR is not supported yet"
            )
        meta = ReportMeta(pages=len(pdf.pages))
        tables: list = []  # tables and line items: see app/parsing/tables (to come)
        line_items: list = []
        t1 = time.perf_counter()
        programmes, indicators = extract_performance(pdf, tables)
        timings["performance"] = (time.perf_counter() - t1) * 1000
        t1 = time.perf_counter()
        sentences = extract_sentences(pdf)
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
    )
