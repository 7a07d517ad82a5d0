"""Mutation harness: change one printed figure of a real report and check that validation notices.

For each sampled figure of a standard table and each mutation kind (+0.01, +1, +100, two adjacent
digits swapped) the figure's glyphs are removed from the page's content stream (each shown glyph
becomes a TJ displacement of its own advance, so every other glyph stays where it was and every
other operator is unchanged) and the new number is printed in their place (right-aligned, a
Helvetica text object appended after the page's content). The mutated file is parsed and
validated like an upload; a mutation is

- *applied* when the mutated parse equals the original everywhere except that one figure,
- *caught* when a new finding (error or warning; info counts apart) appears,
- *located* when such a finding points at the mutated figure's table (or its row, by code/name).

Prints recall by mutation kind over the sampled reports.

    .venv/bin/python scripts/mutate_report.py [PDF ...] [--figures 6] [--seed 1] [--json OUT]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.parsing import ParsedReport, parse_pdf  # noqa: E402
from app.parsing.model import BBox, CellValue, LineItem  # noqa: E402
from app.validation import Finding, validate  # noqa: E402
from app.validation.common import OTHER, PERFORMANCE, table_role  # noqa: E402

KINDS = ("+0.01", "+1", "+100", "swap")
SHOW = {"Tj", "TJ", "'", '"'}
HELVETICA = {**dict.fromkeys("0123456789", 556), ".": 278, ",": 278, "-": 333}
FONT_KEY = "/FMut"


class NotMutable(Exception):
    """The figure cannot be changed cleanly (text in a form, rotated page, glyphs not found …)."""


# ------------------------------------------------------------------ changing one figure in a PDF


@dataclass
class Glyphs:
    """The printed glyphs of one figure on one page: their indices in page order and their boxes."""

    indices: list[int]
    text: str
    x1: float  # right edge, PDF user space
    baseline: float  # PDF user space
    size: float
    advances: dict[int, float]  # glyph index → pdfminer's advance (text space × font size)


def find_glyphs(pdf_bytes: bytes, page_no: int, bbox: BBox) -> Glyphs:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[page_no - 1]
        if page.rotation:
            raise NotMutable("rotated page")
        x0, top, x1, bottom = bbox
        idx = [
            i
            for i, c in enumerate(page.chars)
            if x0 - 0.5 <= (c["x0"] + c["x1"]) / 2 <= x1 + 0.5
            and top - 0.5 <= (c["top"] + c["bottom"]) / 2 <= bottom + 0.5
            and c["text"].strip()
        ]
        if not idx:
            raise NotMutable("no glyphs in the figure's box")
        chars = [page.chars[i] for i in idx]
        if not all(c["upright"] for c in chars):
            raise NotMutable("vertical text")
        mx0, my0 = float(page.mediabox[0]), float(page.mediabox[1])
        last = chars[-1]
        return Glyphs(
            indices=idx,
            text="".join(c["text"] for c in chars),
            x1=float(last["x1"]) + mx0,
            baseline=float(last["matrix"][5]) + my0,
            size=float(last["size"]),
            advances={i: float(page.chars[i]["adv"]) for i in idx},
        )


def _code_width(font: pikepdf.Object | None) -> int:
    if font is None:
        raise NotMutable("a font the content stream names is missing")
    return 2 if font.get("/Subtype") == "/Type0" else 1


def _has_text(xobj: pikepdf.Object) -> bool:
    if xobj.get("/Subtype") != "/Form":
        return False
    data = xobj.read_bytes()
    return b"Tj" in data or b"TJ" in data


def replace_glyphs(pdf_bytes: bytes, page_no: int, glyphs: Glyphs, new_text: str) -> bytes:
    """The PDF with the glyphs removed (each one a displacement of its advance) and new_text printed."""
    targets = set(glyphs.indices)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[page_no - 1]
        resources = page.obj.get("/Resources") or pikepdf.Dictionary()
        fonts = resources.get("/Font") or pikepdf.Dictionary()
        xobjects = resources.get("/XObject") or pikepdf.Dictionary()
        ops = pikepdf.parse_content_stream(page)
        state = {"font": None, "size": 0.0, "tc": 0.0, "tw": 0.0, "th": 1.0}
        stack: list[dict[str, Any]] = []
        out: list[Any] = []
        n = 0  # glyphs shown so far, in the order pdfplumber lists the page's chars
        for operands, op in ops:
            name = str(op)
            if name == "q":
                stack.append(dict(state))
            elif name == "Q" and stack:
                state = stack.pop()
            elif name == "Tf":
                state["font"], state["size"] = fonts.get(str(operands[0])), float(operands[1])
            elif name == "Tc":
                state["tc"] = float(operands[0])
            elif name == "Tw":
                state["tw"] = float(operands[0])
            elif name == "Tz":
                state["th"] = float(operands[0]) / 100
            elif name == "Do" and str(operands[0]) in xobjects and _has_text(xobjects[str(operands[0])]):
                raise NotMutable("text inside a form XObject")
            if name not in SHOW:
                out.append(pikepdf.ContentStreamInstruction(operands, op))
                continue
            width = _code_width(state["font"])
            elements = list(operands[0]) if name == "TJ" else [operands[-1]]
            new: list[Any] = []
            changed = False
            for el in elements:
                if not isinstance(el, pikepdf.String):
                    new.append(el)
                    continue
                raw = bytes(el)
                kept = b""
                for k in range(0, len(raw), width):
                    code = raw[k : k + width]
                    if n in targets:
                        changed = True
                        if kept:
                            new.append(pikepdf.String(kept))
                            kept = b""
                        space = state["tw"] if width == 1 and code == b" " else 0.0
                        if not state["size"]:
                            raise NotMutable("font size 0")
                        adv = glyphs.advances[n] / state["th"] / state["size"]
                        new.append(-1000 * (adv + (state["tc"] + space) / state["size"]))
                    else:
                        kept += code
                    n += 1
                if kept:
                    new.append(pikepdf.String(kept))
            if not changed:
                out.append(pikepdf.ContentStreamInstruction(operands, op))
                continue
            if name in ("'", '"'):
                if name == '"':
                    out.append(pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("Tw")))
                    out.append(pikepdf.ContentStreamInstruction([operands[1]], pikepdf.Operator("Tc")))
                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
            out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(new)], pikepdf.Operator("TJ")))
        with pdfplumber.open(io.BytesIO(pdf_bytes)) as check:
            count = len(check.pages[page_no - 1].chars)
        if n != count:
            raise NotMutable(f"the content stream shows {n} glyphs, pdfplumber reads {count}")
        width_pt = sum(HELVETICA.get(ch, 556) for ch in new_text) / 1000 * glyphs.size
        x = glyphs.x1 - width_pt
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        if "/Font" not in page.obj.Resources:
            page.obj.Resources.Font = pikepdf.Dictionary()
        page.obj.Resources.Font[FONT_KEY] = font
        tail = pikepdf.parse_content_stream(
            pdf.make_stream(
                f"BT {FONT_KEY} {glyphs.size:.3f} Tf 1 0 0 1 {x:.3f} {glyphs.baseline:.3f} Tm"
                f" ({new_text}) Tj ET".encode()
            )
        )
        q = pikepdf.ContentStreamInstruction([], pikepdf.Operator("q"))
        big_q = pikepdf.ContentStreamInstruction([], pikepdf.Operator("Q"))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream([q, *out, big_q, *tail]))
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


# ------------------------------------------------------------------ the mutations


def printed(amount: Decimal, like: str) -> str:
    """amount printed as `like` prints its figure: the same decimals, separators and sign."""
    decimals = len(like.split(".", 1)[1]) if "." in like else 0
    q = amount.quantize(Decimal(1).scaleb(-decimals))
    return f"{q:,.{decimals}f}" if "," in like else f"{q:.{decimals}f}"


def mutated_text(kind: str, text: str, amount: Decimal) -> tuple[str, Decimal] | None:
    """The new printed figure and its value, or None when the kind does not apply to it."""
    if kind == "swap":
        digits = list(text)
        for i in range(len(digits) - 1):
            a, b = digits[i], digits[i + 1]
            if a.isdigit() and b.isdigit() and a != b and not (i == 0 and b == "0"):
                digits[i], digits[i + 1] = b, a
                new = "".join(digits)
                return new, Decimal(new.replace(",", ""))
        return None
    step = Decimal(kind[1:])
    if step == Decimal("0.01") and "." not in text:
        return None  # a figure printed without cents has no 0.01 step
    value = amount + step
    return printed(value, text), value


# ------------------------------------------------------------------ running one mutation


@dataclass
class Target:
    table_index: int
    item: int  # index into line_items
    value: int  # index into the item's values
    page: int
    bbox: BBox


def targets(report: ParsedReport, count: int, rng: random.Random) -> list[Target]:
    pool = []
    for n, li in enumerate(report.line_items):
        t = report.tables[li.table_index]
        if table_role(t) in (OTHER, PERFORMANCE):
            continue
        for k, v in enumerate(li.values):
            if v.bbox is not None and v.amount > 0:
                pool.append(Target(li.table_index, n, k, li.page, v.bbox))
    rng.shuffle(pool)
    return pool[:count]


def _key(f: Finding) -> tuple[Any, ...]:
    loc = f.location
    return (f.rule_id, f.severity, loc.page, loc.table_index, loc.code, loc.row_label, loc.column, str(f.expected))


def _values(report: ParsedReport) -> list[tuple[int, int, Decimal]]:
    return [(n, k, v.amount) for n, li in enumerate(report.line_items) for k, v in enumerate(li.values)]


def located(f: Finding, li: LineItem, target: Target) -> bool:
    loc = f.location
    if loc.table_index == target.table_index:
        return True
    return loc.page == target.page and (loc.code == li.code or (loc.row_label or "") == li.name)


def run_mutation(
    pdf_bytes: bytes, original: ParsedReport, before: list[Finding], target: Target, kind: str
) -> dict[str, Any]:
    li = original.line_items[target.item]
    value: CellValue = li.values[target.value]
    out: dict[str, Any] = {"kind": kind, "page": target.page, "table": original.tables[target.table_index].title,
                           "row": f"{li.code or ''} {li.name}".strip(), "column": value.column}
    try:
        glyphs = find_glyphs(pdf_bytes, target.page, target.bbox)
        change = mutated_text(kind, glyphs.text, value.amount)
        if change is None:
            return {**out, "outcome": "not_applicable"}
        new_text, new_amount = change
        if Decimal(glyphs.text.replace(",", "")) != value.amount:
            raise NotMutable(f"printed {glyphs.text!r} is not the parsed {value.amount}")
        mutated = replace_glyphs(pdf_bytes, target.page, glyphs, new_text)
    except NotMutable as exc:
        return {**out, "outcome": "not_mutable", "reason": str(exc)}
    out.update(printed=glyphs.text, mutated=new_text)
    parsed = parse_pdf(mutated)
    want = [(n, k, new_amount if (n, k) == (target.item, target.value) else a) for n, k, a in _values(original)]
    if _values(parsed) != want:
        return {**out, "outcome": "parse_changed"}
    old = {_key(f) for f in before}
    new = [f for f in validate(parsed).findings if _key(f) not in old]
    loud = [f for f in new if f.severity != "info"]
    out["new_rules"] = sorted({f"{f.rule_id}:{f.severity}" for f in new})
    if loud:
        out["outcome"] = "caught"
        out["located"] = any(located(f, li, target) for f in loud)
    elif new:
        out["outcome"] = "info_only"
    else:
        out["outcome"] = "missed"
    return out


def run_report(path: Path, figures: int, seed: int) -> list[dict[str, Any]]:
    data = path.read_bytes()
    original = parse_pdf(data)
    before = validate(original).findings
    results = []
    for target in targets(original, figures, random.Random(seed)):
        for kind in KINDS:
            r = run_mutation(data, original, before, target, kind)
            r["report"] = path.name
            results.append(r)
    return results


def summary(results: list[dict[str, Any]]) -> str:
    lines = [f"{'kind':<7} {'applied':>7} {'caught':>7} {'located':>7} {'info':>5} {'missed':>6} {'recall':>7}"]
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        c = by[r["kind"]]
        c[r["outcome"]] += 1
        c["located"] += bool(r.get("located"))
    for kind in KINDS:
        c = by[kind]
        applied = c["caught"] + c["info_only"] + c["missed"]
        recall = f"{c['caught'] / applied:.0%}" if applied else "—"
        lines.append(
            f"{kind:<7} {applied:>7} {c['caught']:>7} {c['located']:>7} {c['info_only']:>5}"
            f" {c['missed']:>6} {recall:>7}"
        )
    not_run = ("not_mutable", "parse_changed", "not_applicable")
    skipped = Counter(r["outcome"] for r in results if r["outcome"] in not_run)
    lines.append("not run: " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())) if skipped else "not run: 0")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--figures", type=int, default=6, help="figures sampled per report")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--from-json", type=Path, nargs="+", default=None, help="summarise saved results instead")
    args = ap.parse_args()
    if args.from_json:
        print(summary([r for f in args.from_json for r in json.loads(f.read_text("utf-8"))]))
        return
    fixtures = ROOT.parent / "shared" / "fixtures"
    pdfs = args.pdfs or sorted((fixtures / "real").glob("*.pdf")) + sorted((fixtures / "corpus").glob("*.pdf"))[::12]
    results: list[dict[str, Any]] = []
    for path in pdfs:
        try:
            results += run_report(path, args.figures, args.seed)
        except Exception as exc:  # one unreadable report must not end the run
            print(f"{path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"{path.name}: {sum(r['report'] == path.name for r in results)} mutations", file=sys.stderr)
        if args.json:  # after every report: a long run can be summarised while it goes on
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(summary(results))


if __name__ == "__main__":
    main()
