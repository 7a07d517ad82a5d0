#!/usr/bin/env python3
"""Speed and memory of `python -m app extract` against the floors of the PDF libraries, in one run.

For each PDF (default: every `--sample`-th report of ../shared/fixtures/corpus by name, plus the
largest and the smallest):
  ours:        the whole `python -m app extract FILE` in a child process, start-up to JSON:
               its CPU time (user + system) and its peak RSS
  pdfium:      pypdfium2 reading every char with its box (FPDFText_GetUnicode + GetCharBox)
               and every path segment with its point (FPDFPath_* over the page objects)
  pdfplumber:  pdfplumber's own `page.extract_words()` + `page.find_tables()` (`--no-plumber`
               skips it: it is slow)
A scanned report (no text layer; its pages are read by OCR) is listed apart, out of the totals:
no text floor compares with it.
All in CPU ms per page (fastest of `--repeat` runs), with the ratios ours / floor. The start-up of
`extract` (imports, up to refusing a file that is not a PDF) is measured too, and each report's
ours less that start-up per page (`net`): the figure that must not grow with report length.

    python scripts/bench_extract.py [PDF ...] [--sample 6] [--repeat 1] [--backend pdfium]
"""

from __future__ import annotations

import argparse
import ctypes
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "fixtures" / "corpus"
SCAN_CHARS = 20  # fewer text-layer chars per page than this: a scanned report


def pdfium_floor(data: bytes) -> tuple[float, int, int]:
    """CPU ms, pages and chars of pypdfium2 reading every char box and path segment."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    t0 = time.process_time()
    doc = pdfium.PdfDocument(data)
    n = len(doc)
    chars = 0
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    x, y = ctypes.c_float(), ctypes.c_float()

    def paths(count: int, get: object) -> None:
        for k in range(count):
            obj = get(k)  # type: ignore[operator]
            kind = R.FPDFPageObj_GetType(obj)
            if kind == R.FPDF_PAGEOBJ_PATH:
                for s in range(R.FPDFPath_CountSegments(obj)):
                    R.FPDFPathSegment_GetPoint(R.FPDFPath_GetPathSegment(obj, s), x, y)
            elif kind == R.FPDF_PAGEOBJ_FORM:
                paths(R.FPDFFormObj_CountObjects(obj), lambda i, o=obj: R.FPDFFormObj_GetObject(o, i))

    for i in range(n):
        page = doc[i]
        tp = page.get_textpage()
        count = R.FPDFText_CountChars(tp.raw)
        chars += max(count, 0)
        for c in range(count):
            R.FPDFText_GetUnicode(tp.raw, c)
            R.FPDFText_GetCharBox(tp.raw, c, left, right, bottom, top)
        paths(R.FPDFPage_CountObjects(page.raw), lambda k, p=page.raw: R.FPDFPage_GetObject(p, k))
        tp.close()
        page.close()
    doc.close()
    return (time.process_time() - t0) * 1000, n, chars


def plumber_floor(data: bytes) -> float:
    import pdfplumber

    t0 = time.process_time()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.find_tables()
            page.close()
    return (time.process_time() - t0) * 1000


# `python -m app extract FILE`, writing the process's own peak RSS (VmHWM: its address space
# only; getrusage's maxrss of a child also counts the parent's pages it was forked with)
_CHILD = """
import atexit, runpy, sys
pdf, out = sys.argv[1], sys.argv[2]
def _hwm():
    kb = next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM"))
    with open(out, "w") as f:
        f.write(kb)
atexit.register(_hwm)
sys.argv = ["app", "extract", pdf]
runpy.run_module("app", run_name="__main__", alter_sys=True)
"""


def ours(path: Path, backend: str, quiet: bool = False) -> tuple[float, float, int]:
    """CPU ms, peak RSS (MB) and exit code of one `python -m app extract` process."""
    env = {**os.environ, "PDF_BACKEND": backend}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), rss.name], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if quiet else None,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2):  # a refused PDF exits non-zero by design; a crash is reported
            print(f"  {path.name}: extract exited {code}", file=sys.stderr)
        kb = rss.read().strip()
    return (usage.ru_utime + usage.ru_stime) * 1000, (int(kb) if kb else 0) / 1024, code


def startup(backend: str, repeat: int) -> float:
    """CPU ms of `extract` on a file it refuses at once: every import, no page."""
    with tempfile.NamedTemporaryFile("wb", suffix=".txt") as f:
        f.write(b"not a pdf\n")
        f.flush()
        return min(ours(Path(f.name), backend, quiet=True)[0] for _ in range(max(3, repeat)))


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    n = len(doc)
    doc.close()
    return n


def default_files(sample: int) -> list[Path]:
    files = [(p, _pages(p)) for p in sorted(CORPUS.glob("*.pdf"))]
    files = [(p, n) for p, n in files if n]
    chosen = {p for p, _ in files[::sample]}
    chosen |= {min(files, key=lambda f: f[1])[0], max(files, key=lambda f: f[1])[0]}
    return sorted(chosen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", type=Path, nargs="*")
    ap.add_argument("--sample", type=int, default=6, help="every n-th corpus report (default 6)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per file; the fastest counts")
    ap.add_argument("--backend", default="pdfium", help="PDF_BACKEND of the extract runs")
    ap.add_argument("--no-plumber", action="store_true", help="skip the pdfplumber floor")
    a = ap.parse_args()
    files = a.pdfs or default_files(a.sample)
    if not files:
        print("no PDFs given and none found under", CORPUS)
        return 1
    tot = {"ours": 0.0, "pdfium": 0.0, "plumber": 0.0}
    pages = 0
    peak = 0.0
    per_page: list[tuple[int, float, str]] = []
    start = startup(a.backend, a.repeat)
    print(f"start-up of extract: {start:.0f} CPU ms")
    print(f"{'file':<40} {'pages':>5} {'ours ms/p':>9} {'net':>6} {'pdfium':>7} {'plumber':>8} {'ours/pdfium':>11} "
          f"{'RSS MB':>7}")
    scans: list[str] = []
    for path in files:
        data = path.read_bytes()
        runs = [(ours(path, a.backend), pdfium_floor(data)) for _ in range(max(1, a.repeat))]
        (o_ms, rss, code), _ = min(runs, key=lambda r: r[0][0])
        f_ms, n, chars = min(r[1] for r in runs)
        name = path.name[:40]
        if chars < SCAN_CHARS * n:
            # a scan: its pages are read by OCR (or refused), not from a text layer the floor
            # reads; its cost is another measure (scripts/corpus_report.py prints OCR s/page)
            scans.append(f"{name} ({n} p): {o_ms / n:.0f} ms/p, {rss:.0f} MB")
            continue
        p_ms = 0.0 if a.no_plumber else plumber_floor(data)
        tot["ours"] += o_ms
        tot["pdfium"] += f_ms
        tot["plumber"] += p_ms
        pages += n
        peak = max(peak, rss)
        net = max(o_ms - start, 0.0) / n
        if code == 0:  # a refused file says nothing about the cost per page
            per_page.append((n, o_ms / n, net, path.name))
        plumber = "" if a.no_plumber else f"{p_ms / n:.1f}"
        print(f"{name:<40} {n:>5} {o_ms / n:>9.1f} {net:>6.1f} {f_ms / n:>7.2f} {plumber:>8} {o_ms / f_ms:>11.1f} "
              f"{rss:>7.0f}")
    if not pages:
        print("no report with a text layer among the files")
        return 1
    small, large = min(per_page, default=(1, 0.0, 0.0, "")), max(per_page, default=(1, 0.0, 0.0, ""))
    print(
        f"pages={pages} ours_ms_per_page={tot['ours'] / pages:.1f} "
        f"pdfium_floor_ms_per_page={tot['pdfium'] / pages:.2f} ratio_ours_pdfium={tot['ours'] / tot['pdfium']:.1f}"
        + ("" if a.no_plumber else f" plumber_floor_ms_per_page={tot['plumber'] / pages:.1f}")
        + ("" if a.no_plumber else f" ratio_ours_plumber={tot['ours'] / tot['plumber']:.2f}")
        + f" peak_rss_mb={peak:.0f}"
    )
    print(
        f"largest {large[3][:40]} ({large[0]} p): {large[1]:.1f} ms/p, net {large[2]:.1f}; "
        f"smallest extracted {small[3][:40]} ({small[0]} p): {small[1]:.1f} ms/p, net {small[2]:.1f} "
        f"(start-up {start:.0f} ms dominates a small file); net largest/smallest={large[2] / max(small[2], 0.1):.2f}"
    )
    if scans:
        print(f"scans, left out of the figures above (no text layer: OCR): {'; '.join(scans)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
