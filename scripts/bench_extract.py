#!/usr/bin/env python3
"""Speed of our table extraction against the floor of the library, on the same pages.

For each PDF, every page is read twice from a fresh pdfplumber document:
  floor: pdfplumber's own `page.extract_words()` + `page.find_tables()`
  ours:  `read_pages` (words, rules, lines) + table assembly, line items and metadata
Both include pdfminer's parsing of the page objects (the dominant cost). Prints ms/page for
each and the ratio ours / floor (fastest of `--repeat` alternating runs).

    python scripts/bench_extract.py [PDF ...]     (default: the shared fixtures with ground truth)
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from app.parsing.metadata import report_meta  # noqa: E402
from app.parsing.reader import read_pages  # noqa: E402
from app.parsing.tables import assemble, default_unit, to_tables  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "fixtures"


def floor_ms(data: bytes) -> tuple[float, int]:
    t0 = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        n = len(pdf.pages)
        for page in pdf.pages:
            page.extract_words()
            page.find_tables()
    return (time.perf_counter() - t0) * 1000, n


def ours_ms(data: bytes) -> tuple[float, int]:
    t0 = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = read_pages(pdf)
        builds = assemble(pages)
        unit = default_unit(builds)
        to_tables(builds, unit)
        report_meta(pages, builds, unit)
    return (time.perf_counter() - t0) * 1000, len(pages)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", type=Path, nargs="*")
    ap.add_argument("--repeat", type=int, default=2, help="runs per file, alternating; the fastest counts")
    a = ap.parse_args()
    files = a.pdfs or sorted(
        p.with_suffix(".pdf") for p in DEFAULT_DIR.rglob("*.json") if p.with_suffix(".pdf").exists()
    )
    if not files:
        print("no PDFs given and none found under", DEFAULT_DIR)
        return 1
    tot_floor = tot_ours = 0.0
    tot_pages = 0
    print(f"{'file':<44} {'pages':>5} {'floor ms/p':>10} {'ours ms/p':>10} {'ratio':>6}")
    for path in files:
        data = path.read_bytes()
        f_runs, o_runs = [], []
        for _ in range(max(1, a.repeat)):  # alternate, so machine load hits both sides alike
            f_runs.append(floor_ms(data))
            o_runs.append(ours_ms(data))
        f_ms, n = min(f_runs)
        o_ms, _ = min(o_runs)
        tot_floor += f_ms
        tot_ours += o_ms
        tot_pages += n
        print(f"{path.name[:44]:<44} {n:>5} {f_ms / n:>10.1f} {o_ms / n:>10.1f} {o_ms / f_ms:>6.2f}")
    print(
        f"pages={tot_pages} floor_ms_per_page={tot_floor / tot_pages:.1f} ours_ms_per_page={tot_ours / tot_pages:.1f} "
        f"ratio={tot_ours / tot_floor:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
