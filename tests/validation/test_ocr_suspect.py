"""parse.ocr_suspect: an error in which a low-confidence OCR figure takes part is a warning
pointing at that figure; with figures read surely it stays an error."""

from __future__ import annotations

from dataclasses import replace

from app.parsing.model import ParsedReport
from app.validation import RULES, validate
from tests.validation.factories import Builder


def _scanned_income(total: str, confidence: float) -> ParsedReport:
    b = Builder().table("收入决算表", ("本年收入合计",), page=3)
    b.row("合计", {"本年收入合计": total})
    b.row("一般公共服务支出", {"本年收入合计": "2106.66"}, code="201")
    b.row("社会保障和就业支出", {"本年收入合计": "326.72"}, code="208")
    b.row("卫生健康支出", {"本年收入合计": "60.99"}, code="210")
    report = b.build()
    for li in report.line_items:  # the page was a scan: every figure read by OCR, the total least surely
        conf = confidence if li.name == "合计" else 0.99
        li.values = [replace(v, source="ocr", confidence=conf) for v in li.values]
    return report


def test_an_error_through_a_low_confidence_ocr_figure_is_an_ocr_suspect_warning() -> None:
    v = validate(_scanned_income("2504.37", confidence=0.62))  # 10 more than the classes: an error if sure
    suspects = [f for f in v.findings if f.rule_id == "parse.ocr_suspect"]
    assert suspects and all(f.severity == "warning" for f in suspects)
    assert suspects[0].restates is not None and suspects[0].restates.rule_id.startswith("arith.")
    assert any(loc.row_label == "合计" and loc.column == "本年收入合计" for loc in suspects[0].locations)
    assert "0.62" in suspects[0].message
    assert not [f for f in v.findings if f.rule_id.startswith("arith.") and f.severity == "error"]
    assert v.ocr_figures == 4 and v.ocr_low_confidence == 1


def test_with_every_figure_read_surely_the_error_stays() -> None:
    v = validate(_scanned_income("2504.37", confidence=0.99))
    assert not [f for f in v.findings if f.rule_id == "parse.ocr_suspect"]
    assert [f for f in v.findings if f.rule_id.startswith("arith.") and f.severity == "error"]
    assert v.ocr_figures == 4 and v.ocr_low_confidence == 0


def test_the_rule_is_catalogued() -> None:
    r = RULES["parse.ocr_suspect"]
    assert r.family == "parse" and r.severity == "warning" and r.description_zh and r.inputs
