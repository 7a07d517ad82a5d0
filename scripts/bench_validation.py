#!/usr/bin/env python3
"""Validation time per page, on the largest and the smallest report of an archive, beside a floor.

Each PDF is parsed once; then `validate` runs `--repeat` times (the fastest run counts). The floor,
measured in the same run, is one linear pass over what the rules read: every cell of every line
item and every amount the narrative states. A stage that grows faster than the report shows as
a ms/page (and µs per row or sentence read) on the largest report well above the smallest
one's; the last line gives both ratios.

    python scripts/bench_validation.py [PDF ...] [--corpus DIR] [--repeat 3]

Without PDFs: the largest and the smallest report (by pages, with at least one table) of
--corpus (default ../shared/fixtures/corpus).
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.parsing import ParsedReport, parse_pdf  # noqa: E402
from app.validation import claims, validate  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "fixtures" / "corpus"


def _page_count(path: Path) -> int:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return 0  # not a PDF we can open: left out
    try:
        return len(doc)
    finally:
        doc.close()


def floor_ms(report: ParsedReport) -> float:
    t0 = time.perf_counter()
    total = Decimal(0)
    for li in report.line_items:
        for v in li.values:
            total += v.amount
    for s in report.sentences:
        for m in claims.amounts(s):
            total += m.value
    return (time.perf_counter() - t0) * 1000


def fastest(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best


def pick(corpus: Path) -> list[tuple[Path, ParsedReport]]:
    """The largest and the smallest report with tables: parse from either end until one has some."""
    counted = [(n, p) for p in corpus.glob("*.pdf") if (n := _page_count(p))]
    paths = [p for _, p in sorted(counted)]
    out: list[tuple[Path, ParsedReport]] = []
    for order in (reversed(paths), iter(paths)):
        for p in order:
            try:
                r = parse_pdf(p.read_bytes())
            except Exception:
                continue
            if r.tables:
                out.append((p, r))
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    reports = [(p, parse_pdf(p.read_bytes())) for p in a.pdfs] if a.pdfs else pick(a.corpus)
    per_page: list[float] = []
    per_item: list[float] = []
    print(
        f"{'report':60s} {'pages':>5s} {'rows':>5s} {'sents':>5s} {'ms/page':>8s} {'floor':>7s} {'ratio':>6s} "
        f"{'µs/item':>8s}"
    )
    for path, report in reports:
        pages = max(report.meta.pages, 1)
        ms = fastest(lambda r=report: validate(r), a.repeat) / pages
        floor = fastest(lambda r=report: floor_ms(r), a.repeat) / pages
        items = max(len(report.line_items) + len(report.sentences), 1)  # what the rules read
        per_page.append(ms)
        per_item.append(ms * pages * 1000 / items)
        print(
            f"{path.name[:60]:60s} {pages:5d} {len(report.line_items):5d} {len(report.sentences):5d} "
            f"{ms:8.2f} {floor:7.3f} {ms / floor if floor else 0:6.0f} {per_item[-1]:8.1f}"
        )
    if len(per_page) >= 2:
        print(
            f"largest / smallest: ms/page {per_page[0] / per_page[-1]:.2f}, "
            f"µs per row or sentence {per_item[0] / per_item[-1]:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
