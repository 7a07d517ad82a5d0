"""Both PDF backends give the same extraction: line items, indicators, programmes, sentences
and validation findings, on every shared fixture with ground truth and a sample of the corpus.

pdfium (the default) and pdfplumber (the reference) differ only below what any stage reads:
positions agree to ~0.1 pt, and pdfium leaves out some space characters that pdfplumber
keeps (a space between two words already set apart by their gap), which splits no word."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.parsing import parse_pdf
from app.parsing.model import ParsedReport
from app.validation import validate
from tests.conftest import SHARED_FIXTURES, need

CORPUS_SAMPLE = 8  # every n-th corpus report (by name), for a run of a few minutes

Summary = dict[str, object]


def _files() -> list[Path]:
    fixtures = sorted(
        p.with_suffix(".pdf")
        for sub in ("real", "seeds")
        for p in (SHARED_FIXTURES / sub).glob("*.json")
        if p.with_suffix(".pdf").exists()
    )
    corpus = sorted((SHARED_FIXTURES / "corpus").glob("*.pdf"))
    return fixtures + [p for p in corpus[::CORPUS_SAMPLE] if p.read_bytes()[:5] == b"%PDF-"]


def _amounts(values: object) -> tuple[tuple[str | None, str], ...]:
    return tuple((v.column, format(v.amount, "f")) for v in values)  # type: ignore[attr-defined]


def summary(report: ParsedReport) -> Summary:
    findings = validate(report).findings
    return {
        "meta": (report.meta.department, report.meta.fiscal_year, report.meta.kind, report.meta.amount_unit),
        "tables": [(t.kind, t.title, t.pages) for t in report.tables],
        "line_items": [(li.code, li.name, li.page, _amounts(li.values)) for li in report.line_items],
        "programmes": [(p.name, p.scope, p.pages, p.amount) for p in report.programmes],
        "indicators": [
            (i.name, i.operator, i.target, i.unit, i.actual, i.weight, i.score, i.programme_index)
            for i in report.indicators
        ],
        "sentences": [(s.page, s.text) for s in report.sentences],
        "blank_pages": report.blank_pages,
        "findings": sorted((f.rule_id, f.severity, str(f.difference or Decimal(0))) for f in findings),
    }


@pytest.mark.slow
@pytest.mark.parametrize("path", _files() if SHARED_FIXTURES.exists() else [], ids=lambda p: p.name[:24])
def test_pdfium_and_pdfplumber_extract_the_same(path: Path) -> None:
    data = path.read_bytes()
    ours = summary(parse_pdf(data, backend="pdfium"))
    reference = summary(parse_pdf(data, backend="pdfplumber"))
    for key in ours:
        assert ours[key] == reference[key], key


def test_the_fixtures_are_there() -> None:
    need((SHARED_FIXTURES / "real").exists(), f"shared fixtures not found under {SHARED_FIXTURES}")
    assert len(_files()) >= 6 + 5
