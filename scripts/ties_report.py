"""Ties coverage over a folder of PDFs (default: shared/fixtures/corpus): per report and in all,
how many pairs of tables printing the same quantity (code × measure × fund scope) were derived
from the parsed model (and the summary, part and 三公 ties), how many were checked
(cross.same_code_same_amount ran on them), and what was skipped, by reason (a table kind or a
measure the ties do not know).

    .venv/bin/python scripts/ties_report.py [DIR] [--workers 2] [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import findings_report  # noqa: E402  (the same parse and pickle cache)


def run_one(path: str) -> dict[str, Any]:
    from app.parsing import ParseError
    from app.validation import ties, validate
    from app.validation.facts import active

    try:
        parsed = findings_report._parse(path)
    except ParseError as exc:
        return {"file": path, "status": exc.code}
    with active(parsed):
        cov = ties.coverage(parsed)
        derived = [f"{t.measure}:{t.scope}" for t in cov.ties]
        kinds = {t.index: t.kind for t in parsed.tables}
        summary = [f"{kinds[t.summary]}~{kinds[t.detail]}:{t.measure}:{t.scope}" for t in cov.summary]
        parts = [f"{kinds[t.whole]}~{kinds[t.part]}:{t.measure}" for t in cov.parts]
        sangong = [f"three_public~{kinds[t.economic]}:{t.item}:{t.code}" for t in cov.sangong]
        skipped = dict(cov.skipped)
    report = validate(parsed)
    ran = not any(s.rule_id == "cross.same_code_same_amount" for s in report.rules_skipped)
    return {
        "file": path,
        "status": "ok",
        "derived": derived,
        "checked": len(derived) if ran else 0,
        "skipped": skipped,
        "summary": summary,
        "parts": parts,
        "sangong": sangong,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, nargs="?", default=ROOT.parent / "shared" / "fixtures" / "corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None, help="parsed reports kept here (findings_report's pickles)")
    a = ap.parse_args()
    if a.cache:
        a.cache.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(str(p) for p in a.dir.glob("*.pdf"))
    with ProcessPoolExecutor(
        max_workers=a.workers, initializer=findings_report._init, initargs=(a.cache, False)
    ) as pool:
        results = list(pool.map(run_one, pdfs))
    ok = [r for r in results if r["status"] == "ok"]
    derived, checked, skipped, by_kind = 0, 0, Counter[str](), Counter[str]()
    others: dict[str, Counter[str]] = {"summary": Counter(), "parts": Counter(), "sangong": Counter()}
    for r in ok:
        for k, c in others.items():
            c.update(r[k])
        derived += len(r["derived"])
        checked += r["checked"]
        skipped.update(r["skipped"])
        by_kind.update(r["derived"])
        print(
            f"  {Path(r['file']).name[:48]:48s} derived {len(r['derived']):3d} checked {r['checked']:3d} "
            f"skipped {sum(r['skipped'].values()):3d}"
        )
    print(f"\n{len(results)} files, {len(ok)} parsed; with ties: {sum(1 for r in ok if r['derived'])}")
    print(f"pairs derived {derived}, checked {checked}, skipped {sum(skipped.values())}")
    print("derived by measure:scope:")
    for k, n in by_kind.most_common():
        print(f"  {n:5d}  {k}")
    for k, c in others.items():
        print(f"{k} ties derived {sum(c.values())} in {sum(1 for r in ok if r[k])} reports:")
        for what, n in c.most_common():
            print(f"  {n:5d}  {what}")
    print("skipped by reason:")
    for k, n in skipped.most_common():
        print(f"  {n:5d}  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
