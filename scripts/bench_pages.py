#!/usr/bin/env python3
"""Speed of a page image against the floor of the renderer, on the same pages.

For each PDF and each page, at `--dpi`:
  floor:     pypdfium2 alone: open, render, to PIL, PNG-encode (what any page image costs)
  ours:      `render_page` with no highlight
  lit:       `render_page` with a box over every line item of the page (the overlay and legend)
  cached:    a `PageCache` hit for the same key
Prints ms/page for each (fastest of `--repeat` runs) and the ratios to the floor.

    python scripts/bench_pages.py [PDF ...] [--dpi 110]   (default: the shared fixtures with ground truth)
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from app.parsing import parse_pdf  # noqa: E402
from app.reports.render import Box, PageCache, render_page  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "fixtures"


def floor(pdf: bytes, page: int, dpi: int) -> bytes:
    doc = pdfium.PdfDocument(pdf)
    image = doc[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def boxes_by_page(pdf: bytes) -> dict[int, list[Box]]:
    """Every parsed line item's bbox, by page (the parse itself is not timed)."""
    out: dict[int, list[Box]] = defaultdict(list)
    for li in parse_pdf(pdf).line_items:
        if li.bbox:
            out[li.page].append(Box(li.bbox, "compared"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", type=Path, nargs="*")
    ap.add_argument("--dpi", type=int, default=110)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--pages", type=int, default=12, help="first N pages of each file")
    a = ap.parse_args()
    files = a.pdfs or sorted(
        p.with_suffix(".pdf") for p in DEFAULT_DIR.rglob("*.json") if p.with_suffix(".pdf").exists())
    totals = defaultdict(float)
    n = 0
    for path in files:
        pdf = path.read_bytes()
        doc = pdfium.PdfDocument(pdf)
        count = len(doc)
        doc.close()
        boxes = boxes_by_page(pdf)
        cache = PageCache()
        for page in range(1, min(count, a.pages) + 1):
            lit_boxes = boxes.get(page) or [Box((72, 72, 300, 90), "checked")]
            cache.put("k", render_page(pdf, page, a.dpi, []))
            row = {
                "floor": best(lambda: floor(pdf, page, a.dpi), a.repeat),  # noqa: B023
                "ours": best(lambda: render_page(pdf, page, a.dpi, []), a.repeat),  # noqa: B023
                "lit": best(lambda: render_page(pdf, page, a.dpi, lit_boxes), a.repeat),  # noqa: B023
                "cached": best(lambda: cache.get("k"), a.repeat),  # noqa: B023
            }
            for k, v in row.items():
                totals[k] += v
            n += 1
        print(f"{path.name}: {min(count, a.pages)} pages", file=sys.stderr)
    if not n:
        print("no PDF found", file=sys.stderr)
        return 1
    per = {k: v / n for k, v in totals.items()}
    print(f"pages={n} dpi={a.dpi}  ms/page: floor {per['floor']:.1f}  ours {per['ours']:.1f}  "
          f"lit {per['lit']:.1f}  cached {per['cached']:.3f}")
    print(f"ours/floor {per['ours'] / per['floor']:.2f}  lit/floor {per['lit'] / per['floor']:.2f}  "
          f"cached/floor {per['cached'] / per['floor']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
