"""Findings per rule over a folder of PDFs (default: shared/fixtures/corpus).

Parses and validates every PDF (in worker processes), then prints for each rule on how many
reports it fired (any severity, and errors alone) and its share of the parsed reports. A rule
that fires on more than ~20% of real reports is suspect: look at its hits (--show RULE).

    .venv/bin/python scripts/findings_report.py [DIR] [--workers 2] [--show RULE] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SUSPECT_SHARE = 0.20


CACHE: Path | None = None
FRESH_NARRATIVE = False


def _parse(path: str) -> Any:
    """The parsed report, from the pickle cache when one is kept (validator iterations)."""
    import pickle

    from app.parsing import parse_pdf

    if CACHE is not None:
        cached = CACHE / (Path(path).stem + ".pickle")
        if cached.exists():
            parsed = pickle.loads(cached.read_bytes())
            if FRESH_NARRATIVE:
                from app.parsing.narrative import blank_pages, extract_sentences
                from app.parsing.reader import read_document

                pages = read_document(Path(path).read_bytes())
                parsed.sentences = extract_sentences(pages)
                parsed.blank_pages = blank_pages(pages)
            return parsed
        parsed = parse_pdf(Path(path).read_bytes())
        cached.write_bytes(pickle.dumps(parsed))
        return parsed
    return parse_pdf(Path(path).read_bytes())


def run_one(path: str) -> dict[str, Any]:
    """Parse + validate one file; a refused or crashing file is reported, never fatal."""
    from app.parsing import ParseError
    from app.validation import validate

    try:
        parsed = _parse(path)
    except ParseError as exc:
        return {"file": path, "status": "refused", "detail": exc.code}
    except Exception as exc:  # a parser crash is a finding about the parser, not the corpus
        return {"file": path, "status": "crashed", "detail": f"{type(exc).__name__}: {exc}"}
    try:
        report = validate(parsed)
    except Exception as exc:
        return {"file": path, "status": "validator-crashed", "detail": f"{type(exc).__name__}: {exc}"}
    return {
        "file": path,
        "status": "ok",
        "tables": len(parsed.tables),
        "line_items": len(parsed.line_items),
        "sentences": len(parsed.sentences),
        "kind": parsed.meta.kind,
        "skipped": [s.rule_id for s in report.rules_skipped],
        "crashed": [f"{s.rule_id}: {s.reason}" for s in report.rules_skipped if s.reason.startswith("internal error")],
        "findings": [
            {"rule": f.rule_id, "severity": f.severity, "message": f.message, "page": f.location.page}
            for f in report.findings
        ],
    }


def _init(cache: Path | None, fresh: bool) -> None:
    global CACHE, FRESH_NARRATIVE
    CACHE, FRESH_NARRATIVE = cache, fresh


def summarise(results: list[dict[str, Any]], show: str | None) -> None:
    from app.validation import RULES

    ok = [r for r in results if r["status"] == "ok"]
    for r in results:
        if r["status"] != "ok":
            print(f"  {r['status']:17s} {Path(r['file']).name}: {r['detail']}")
    n = len(ok)
    print(f"\n{len(results)} files, {n} parsed and validated\n")
    fired: dict[str, set[str]] = defaultdict(set)
    errors: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    skipped: Counter[str] = Counter()
    for r in ok:
        skipped.update(r["skipped"])
        for f in r["findings"]:
            fired[f["rule"]].add(r["file"])
            counts[f["rule"]][f["severity"]] += 1
            if f["severity"] == "error":
                errors[f["rule"]].add(r["file"])
    print(
        f"{'rule':34s} {'reports':>7s} {'share':>6s} {'w/ err':>6s} {'err%':>5s} "
        f"{'error':>6s} {'warn':>5s} {'info':>5s} {'skip':>5s}"
    )
    for rule_id in RULES:
        share = len(fired[rule_id]) / n if n else 0.0
        err_share = len(errors[rule_id]) / n if n else 0.0
        c = counts[rule_id]
        flag = "  ← suspect" if err_share > SUSPECT_SHARE or (share > SUSPECT_SHARE and c["warning"]) else ""
        print(
            f"{rule_id:34s} {len(fired[rule_id]):7d} {share:6.0%} {len(errors[rule_id]):6d} {err_share:5.0%} "
            f"{c['error']:6d} {c['warning']:5d} {c['info']:5d} {skipped[rule_id]:5d}{flag}"
        )
    crashes = [(Path(r["file"]).name, c) for r in ok for c in r.get("crashed", [])]
    for name, c in crashes:
        print(f"  RULE CRASHED on {name}: {c}")
    if show:
        print(f"\n-- {show}")
        for r in ok:
            for f in r["findings"]:
                if f["rule"] == show:
                    print(f"  [{f['severity']}] {Path(r['file']).name[:40]} p{f['page']}: {f['message'][:200]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, nargs="?", default=ROOT.parent / "shared" / "fixtures" / "corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", default=None, help="print every finding of this rule")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    ap.add_argument("--from-json", type=Path, default=None, help="summarise saved results instead of parsing")
    ap.add_argument("--cache", type=Path, default=None, help="keep parsed reports here (pickles) between runs")
    ap.add_argument("--fresh-narrative", action="store_true", help="with --cache: re-read the narrative")
    a = ap.parse_args()
    global CACHE
    if a.cache:
        a.cache.mkdir(parents=True, exist_ok=True)
        CACHE = a.cache
    if a.from_json:
        results = json.loads(a.from_json.read_text("utf-8"))
    else:
        pdfs = sorted(str(p) for p in a.dir.glob("*.pdf"))
        with ProcessPoolExecutor(max_workers=a.workers, initializer=_init, initargs=(CACHE, a.fresh_narrative)) as pool:
            results = list(pool.map(run_one, pdfs))
        if a.json:
            a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    summarise(results, a.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
