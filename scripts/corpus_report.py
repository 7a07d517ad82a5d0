#!/usr/bin/env python3
"""Audit an archive of 部门预算/决算 PDFs: parse each file (under a time limit) and report
parsed / refused (error code) / crashed, tables by kind, coded rows, ms per page, and how
self-consistent the extracted figures are (parent code = Σ children per column, 合计 = Σ 类,
within rounding: n × 0.005 display units over n summed cells), the findings per rule, and the
claims coverage of the narrative (share of claims tied / checked / unverified, and why).

    python scripts/corpus_report.py DIR [--timeout 60] [--jobs 2] [--failures 20] [--json OUT]

A broken identity is usually a misreading: `--failures N` lists the first N with their page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOTAL_NAMES = {"合计", "总计"}


def _tolerance(values: list[Decimal]) -> Decimal:
    """Rounding allowance: half a unit of the last printed decimal place per summed cell."""
    exps = [v.as_tuple().exponent for v in values]
    places = max((-e for e in exps if isinstance(e, int)), default=2)
    return Decimal(5) * Decimal(10) ** (-(places + 1)) * len(values)


def consistency(parsed: Any) -> tuple[int, int, list[dict[str, Any]]]:
    """(checks, passed, failures) over parent = Σ children and 合计 = Σ 类 identities."""
    checks = passed = 0
    failures: list[dict[str, Any]] = []
    groups: dict[tuple[int, int, int, str | None], list[Any]] = defaultdict(list)
    totals: dict[tuple[int, int, int], list[Any]] = defaultdict(list)
    for li in parsed.line_items:
        section = getattr(li, "section", 0)
        if li.row_kind == "subject" and li.code and li.classification:
            groups[(li.table_index, li.side, section, li.classification)].append(li)
        elif li.row_kind == "total" and li.name.replace(" ", "") in TOTAL_NAMES:
            totals[(li.table_index, li.side, section)].append(li)

    def check(table: int, where: str, page: int, parent: Any, parts: list[Any]) -> None:
        nonlocal checks, passed
        pv = {v.column: v.amount for v in parent.values}
        cols = list(pv) + [v.column for p in parts for v in p.values if v.column not in pv]
        for col in dict.fromkeys(cols):
            printed = [v.amount for p in parts for v in p.values if v.column == col]
            if not printed and col not in pv:
                continue
            actual = pv.get(col, Decimal(0))
            expected = sum(printed, Decimal(0))
            checks += 1
            if abs(actual - expected) <= _tolerance([actual, *printed]):
                passed += 1
            else:
                failures.append({
                    "table": parsed.tables[table].title, "page": page, "row": where, "column": col,
                    "printed": str(actual), "sum": str(expected),
                })

    for (t, side, section, _cls), items in groups.items():
        codes = {li.code for li in items}
        children: dict[str, list[Any]] = defaultdict(list)
        for li in items:
            if li.parent_code in codes:
                children[li.parent_code].append(li)
        for li in items:
            kids = children.get(li.code, [])
            if kids:
                check(t, li.code, li.page, li, kids)
        level1 = [li for li in items if li.level == 1]
        sections = {k[2] for k in groups if k[0] == t and k[1] == side}
        for tot in totals.get((t, side, section), []):
            # 合计 = Σ 类 only where the table is one block (per-unit blocks sum to units, not 类)
            if level1 and len(totals[(t, side, section)]) == 1 and sections == {0}:
                check(t, tot.name, tot.page, tot, level1)
    return checks, passed, failures


def run_one(path: Path) -> dict[str, Any]:
    """Parse one file in this process and summarise it (the worker side)."""
    sys.path.insert(0, str(ROOT))
    from app.parsing import ParseError, parse_pdf

    out: dict[str, Any] = {"file": path.name}
    t0 = time.perf_counter()
    try:
        parsed = parse_pdf(path.read_bytes())
    except ParseError as exc:
        out.update(status="refused", code=exc.code, detail=exc.detail[:120])
        return out
    except Exception as exc:  # a crash is what this report exists to find
        out.update(status="crashed", detail=f"{type(exc).__name__}: {exc}"[:300])
        return out
    ms = (time.perf_counter() - t0) * 1000
    checks, passed, failures = consistency(parsed)
    from app.validation import validate

    findings: dict[str, dict[str, int]] = {}
    validation = validate(parsed)
    for f in validation.findings:
        findings.setdefault(f.rule_id, {}).setdefault(f.severity, 0)
        findings[f.rule_id][f.severity] += 1
    out.update(
        status="parsed",
        pages=parsed.meta.pages,
        ms_per_page=round(ms / max(parsed.meta.pages, 1), 1),
        tables=dict(Counter(t.kind for t in parsed.tables)),
        coded_rows=sum(1 for li in parsed.line_items if li.code),
        checks=checks,
        passed=passed,
        failures=failures,
        findings=findings,
        claims={"counts": validation.claims.counts, "reasons": validation.claims.reasons},
        ocr={"pages": len(parsed.ocr_pages), "seconds": round(parsed.timings_ms.get("ocr", 0.0) / 1000, 1),
             "figures": validation.ocr_figures, "low_confidence": validation.ocr_low_confidence},
        meta={"department": parsed.meta.department, "fiscal_year": parsed.meta.fiscal_year,
              "kind": parsed.meta.kind, "unit": parsed.meta.amount_unit},
    )
    return out


def print_findings(parsed: list[dict[str, Any]]) -> None:
    """Validation findings per rule: on how many reports each fires (a rule firing with errors
    on more than ~20% of real reports is suspect: look at its hits)."""
    fired: Counter[str] = Counter()
    with_errors: Counter[str] = Counter()
    totals: dict[str, Counter[str]] = {}
    for r in parsed:
        for rule_id, sev in r.get("findings", {}).items():
            fired[rule_id] += 1
            with_errors[rule_id] += 1 if sev.get("error") else 0
            totals.setdefault(rule_id, Counter()).update(sev)
    n = len(parsed) or 1
    print(f"findings per rule over {len(parsed)} parsed reports:")
    for rule_id, count in fired.most_common():
        t = totals[rule_id]
        flag = "  <- suspect" if with_errors[rule_id] / n > 0.2 else ""
        print(f"  {rule_id:36s} reports={count:<3} ({count / n:4.0%}) with_errors={with_errors[rule_id]:<3}"
              f" error={t['error']} warning={t['warning']} info={t['info']}{flag}")


def print_claims(parsed: list[dict[str, Any]]) -> None:
    """Claims coverage: the share of the narrative's amounts, percentages and subjects tied to a
    table figure, checked against another claim, or unverified (where the checker is blind), and
    the reasons the unverified ones stayed so."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for r in parsed:
        c = r.get("claims") or {}
        for kind, by_outcome in c.get("counts", {}).items():
            counts[kind].update(by_outcome)
        reasons.update(c.get("reasons", {}))
    print(f"claims coverage over {len(parsed)} parsed reports:")
    for kind, by in counts.items():
        n = sum(by.values()) or 1
        print(f"  {kind:8s} n={sum(by.values()):<5} tied={by['tied'] / n:6.1%} checked={by['checked'] / n:6.1%}"
              f" unverified={by['unverified'] / n:6.1%}  tied_or_checked={(by['tied'] + by['checked']) / n:6.1%}")
    print("  unverified because: " + ", ".join(f"{k}={v}" for k, v in reasons.most_common()))


def run_isolated(path: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"file": path.name, "status": "timeout", "detail": f"over {timeout:.0f}s"}
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"file": path.name, "status": "crashed", "detail": proc.stderr.strip()[-300:]}
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path, nargs="?")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per file (a hang is reported, not awaited)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--failures", type=int, default=0, help="list the first N broken identities")
    ap.add_argument("--json", type=Path, default=None, help="write every file's summary here")
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_one(a.one), ensure_ascii=False))
        return 0
    if a.dir is None:
        ap.error("give a directory")
    files = sorted(p for p in a.dir.iterdir() if p.suffix.lower() == ".pdf")
    with ThreadPoolExecutor(max(1, a.jobs)) as ex:
        results = list(ex.map(lambda p: run_isolated(p, a.timeout), files))
    status: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    checks = passed = coded = pages = 0
    ms_total = 0.0
    no_rows: list[str] = []
    shown = 0
    for r in results:
        status[r["status"]] += 1
        name = r["file"][:48]
        if r["status"] != "parsed":
            if r["status"] == "refused":
                refused[r["code"]] += 1
            print(f"{name:<50} {r['status']:<8} {r.get('code', '')} {r.get('detail', '')[:100]}")
            continue
        kinds.update(r["tables"])
        checks += r["checks"]
        passed += r["passed"]
        coded += r["coded_rows"]
        pages += r["pages"]
        ms_total += r["ms_per_page"] * r["pages"]
        if r["coded_rows"] == 0:
            no_rows.append(r["file"])
        ratio = r["passed"] / r["checks"] if r["checks"] else 1.0
        n_tables = sum(r["tables"].values())
        print(f"{name:<50} parsed   p={r['pages']:<3} {r['ms_per_page']:>6.0f}ms/p tables={n_tables:<3}"
              f" coded={r['coded_rows']:<4} consistent={r['passed']}/{r['checks']} ({ratio:.3f})"
              f" {r['meta']['fiscal_year']} {r['meta']['kind']} {r['meta']['unit']} {r['meta']['department']}")
        if r["ocr"]["pages"]:
            o = r["ocr"]
            print(f"    OCR: {o['pages']} scanned pages, {o['seconds'] / o['pages']:.1f} s/page, "
                  f"{o['figures']} figures read by OCR ({o['low_confidence']} low-confidence)")
        for f in r["failures"]:
            if shown < a.failures:
                shown += 1
                print(f"    ✗ p{f['page']} {f['table']} {f['row']} [{f['column']}] printed {f['printed']} Σ {f['sum']}")
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("tables by kind: " + ", ".join(f"{k}={v}" for k, v in kinds.most_common()))
    print_findings([r for r in results if r["status"] == "parsed"])
    print_claims([r for r in results if r["status"] == "parsed"])
    scans = [r for r in results if r["status"] == "parsed" and r["ocr"]["pages"]]
    if scans:
        ocr_pages = sum(r["ocr"]["pages"] for r in scans)
        print(f"read by OCR: {len(scans)} reports, {ocr_pages} pages, "
              f"{sum(r['ocr']['seconds'] for r in scans) / ocr_pages:.1f} s/page, self-consistency "
              f"{sum(r['passed'] for r in scans)}/{sum(r['checks'] for r in scans)}")
    if no_rows:
        print("parsed without coded rows: " + ", ".join(no_rows))
    ratio = passed / checks if checks else 1.0
    print(
        f"files={len(files)} parsed={status['parsed']} refused={status['refused']} "
        f"({', '.join(f'{k}={v}' for k, v in refused.most_common()) or '-'}) crashed={status['crashed']} "
        f"timeouts={status['timeout']} coded_rows={coded} no_coded_rows={len(no_rows)} "
        f"ms_per_page={ms_total / pages if pages else 0:.0f} self_consistency={ratio:.4f} ({passed}/{checks})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
