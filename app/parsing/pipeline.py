"""bytes → ParsedReport: the chain of parsing stages over a stream of pages.

Each page is read once into the page model and handed, in order, to the table assembly, the
performance reader and the narrative reader; the backend's objects for it are released before
the next page is read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from app.parsing.contents import ContentsReader
from app.parsing.errors import NoTextLayer
from app.parsing.guard import DEFAULT_MAX_PAGES, open_pdf
from app.parsing.metadata import report_meta
from app.parsing.model import ParsedReport
from app.parsing.narrative import NarrativeReader
from app.parsing.ocr_figures import mark_ocr_values
from app.parsing.pages.ocr import DEFAULT_OCR, INSTALL_HINT, OcrRead, OcrSettings, available
from app.parsing.performance import PerformanceReader, link_tables
from app.parsing.reader import PageData, read_pages
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings
from app.parsing.tables import assemble, default_unit, to_tables

MIN_TEXT_CHARS = 20
FRONT_PAGES = 2  # pages the metadata stage reads (cover and the one after)


def parse_pdf(
    data: bytes,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    settings: ParseSettings = DEFAULT_SETTINGS,
    backend: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    ocr: OcrSettings | None = DEFAULT_OCR,
) -> ParsedReport:
    """Parse a 部门预算/部门决算 PDF into the parsed model (pure: bytes in, data out).
    `backend` names a reader in `app.parsing.pages` (pdfium by default); None reads `PDF_BACKEND`.
    `on_page(n, ocr)` is told after each page is read, with how many of the n OCR read (progress for
    a caller; it must not raise).
    `ocr` says how pages without a text layer are read (None: not at all; docs/ocr.md)."""
    timings = {"read": 0.0, "performance": 0.0, "narrative": 0.0, "ocr": 0.0}
    t0 = time.perf_counter()
    performance = PerformanceReader()
    narrative = NarrativeReader()
    contents = ContentsReader()
    front: list[PageData] = []
    seen = {"pages": 0, "chars": 0}
    sizes: list[tuple[float, float]] = []
    reads: dict[int, OcrRead] = {}

    def stream(pages: Iterator[PageData]) -> Iterator[PageData]:
        while True:
            t = time.perf_counter()
            page = next(pages, None)
            timings["read"] += (time.perf_counter() - t) * 1000
            if page is None:
                return
            seen["pages"] += 1
            seen["chars"] += len(page.text)
            if page.ocr is not None:
                reads[page.number] = page.ocr
                timings["ocr"] += page.ocr.seconds * 1000
            sizes.append((round(page.width, 2), round(page.height, 2)))
            if on_page is not None:
                on_page(seen["pages"], len(reads))
            if len(front) < FRONT_PAGES:
                front.append(page)
            t = time.perf_counter()
            performance.feed(page)
            timings["performance"] += (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            narrative.feed(page)
            contents.feed(page)
            timings["narrative"] += (time.perf_counter() - t) * 1000
            yield page

    with open_pdf(data, max_pages=max_pages, backend=backend, ocr=ocr) as doc:
        builds = assemble(stream(read_pages(doc, settings)), settings)
    if seen["chars"] < MIN_TEXT_CHARS:
        if reads:
            why = f"OCR read no text on its {len(reads)} scanned pages"
        elif ocr is not None and not available():
            why = f"scanned pages are read only with the OCR engine installed ({INSTALL_HINT})"
        else:
            why = "no page is a scan OCR could read"
        raise NoTextLayer(f"the PDF's {seen['pages']} pages carry no text (an image-only scan?); {why}")
    t1 = time.perf_counter()
    unit = default_unit(builds)
    tables, line_items = to_tables(builds, unit)
    mark_ocr_values(line_items, reads)
    meta = report_meta(front, builds, unit, page_count=seen["pages"])
    programmes, indicators = performance.result()
    link_tables(programmes, tables)
    sentences = narrative.sentences()
    timings["finish"] = (time.perf_counter() - t1) * 1000
    timings["total"] = (time.perf_counter() - t0) * 1000
    timings["tables"] = timings["total"] - timings["read"] - timings["performance"] - timings["narrative"]
    return ParsedReport(
        meta=meta,
        tables=tables,
        line_items=line_items,
        programmes=programmes,
        indicators=indicators,
        sentences=sentences,
        timings_ms=timings,
        blank_pages=narrative.blank,
        contents=contents.entries,
        page_sizes=sizes,
        ocr_pages=sorted(reads),
    )
