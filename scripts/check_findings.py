"""Compare our validation findings with the `known_inconsistencies` of the real fixture PDFs.

For every real PDF with a ground-truth JSON: parse it (our parser, as `python -m app extract`
does), validate, and print which known inconsistencies were found (rounding ones must come as
`info`, the others as `error`/`warning`), which were missed, and every `error` finding that no
known inconsistency explains. Exit status 1 when something is missed or unexpected.

    .venv/bin/python scripts/check_findings.py [--fixtures ../shared/fixtures] [--gt-tables] [-v]

--gt-tables rebuilds the tables from the ground truth instead of parsing them (narrative still
read from the PDF): it checks the rules alone, independently of the table parser.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.validation import Finding, validate  # noqa: E402


def _norm(text: object) -> str:
    return re.sub(r"[\s\u3000]+", "", str(text or "")).replace("（", "(").replace("）", ")")


def _haystack(f: Finding) -> str:
    loc = f.location
    return _norm(" ".join(str(x) for x in (f.message, f.actual, f.expected, f.evidence, loc.row_label, loc.code) if x))


def matches(known: dict[str, Any], f: Finding) -> bool:
    """A finding explains a known inconsistency: same page (or table), and it names the printed
    figure, the row or the code."""
    loc = f.location
    same_place = loc.page == known.get("page") or (
        known.get("table") and loc.table_title == known["table"] and loc.page == known.get("page")
    )
    if not same_place:
        return False
    hay = _haystack(f)
    printed = _norm(known.get("printed"))
    row = _norm(known.get("row") or "").split("#")[0]
    code = known.get("code")
    if known.get("kind") == "layout":
        return f.rule_id.startswith("structure.")
    if code and loc.code == code:
        return True
    if printed and printed in hay:
        return True
    return bool(row) and len(row) >= 4 and (row in hay or hay in row)


def is_rounding(known: dict[str, Any]) -> bool:
    return "rounding" in str(known.get("note", "")).lower()


def check(pdf: Path, gt_tables: bool, verbose: bool) -> tuple[int, int, int]:
    gt = json.loads(pdf.with_suffix(".json").read_text("utf-8"))
    if gt_tables:
        from tests.validation.gt_report import gt_report

        parsed = gt_report(pdf.with_suffix(".json"))
    else:
        from app.parsing import parse_pdf

        parsed = parse_pdf(pdf.read_bytes())
    report = validate(parsed)
    findings = report.findings
    print(
        f"== {pdf.name}: {len(parsed.tables)} tables, {len(parsed.line_items)} line items, "
        f"{len(parsed.sentences)} sentences; findings {report.counts}"
    )
    found = missed = 0
    explained: set[int] = set()
    for k in gt.get("known_inconsistencies", []):
        want = ("info",) if is_rounding(k) else ("error", "warning")
        hits = [n for n, f in enumerate(findings) if matches(k, f)]
        explained.update(hits)
        good = [findings[n] for n in hits if findings[n].severity in want]
        what = (
            f"p{k.get('page')} {k.get('table') or ''} {k.get('code') or k.get('row') or ''} printed {k.get('printed')}"
        )
        if good:
            found += 1
            print(f"  found   [{good[0].severity}] {what}  ← {good[0].rule_id}")
        else:
            missed += 1
            got = ", ".join(f"{findings[n].rule_id}/{findings[n].severity}" for n in hits) or "nothing"
            print(f"  MISSED  (want {'/'.join(want)}) {what}  — got {got}")
    unexpected = [f for n, f in enumerate(findings) if f.severity == "error" and n not in explained]
    for f in unexpected:
        print(f"  UNEXPECTED error {f.rule_id} p{f.location.page}: {f.message}")
    if verbose:
        for f in findings:
            print(f"    {f.severity:7s} {f.rule_id:32s} p{f.location.page} {f.message}")
        for s in report.rules_skipped:
            print(f"    skipped {s.rule_id}: {s.reason}")
    print(f"  → found {found}/{found + missed}, missed {missed}, unexpected errors {len(unexpected)}")
    return found, missed, len(unexpected)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    ap.add_argument("--gt-tables", action="store_true", help="tables from the ground truth, not the parser")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    bad = 0
    for pdf in sorted((a.fixtures / "real").glob("*.pdf")):
        if not pdf.with_suffix(".json").exists():
            continue
        _, missed, unexpected = check(pdf, a.gt_tables, a.verbose)
        bad += missed + unexpected
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
