"""parse.ocr_suspect: an identity that fails only where low-confidence OCR figures take part.

On a scanned page a digit misread by OCR looks exactly like a printed inconsistency. Before an
error about figures is reported, the figures at its locations (the row, and the rows summed into
it, in the finding's column) are looked at: when some were read by OCR with a confidence below
`LOW_CONFIDENCE`, the finding is a `warning` pointing at them, not an error about the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.parsing.model import CellValue, LineItem, ParsedReport
from app.validation.model import Finding, Location
from app.validation.registry import rule

RULE_ID = "parse.ocr_suspect"
LOW_CONFIDENCE = 0.9  # an OCR figure whose least sure character is below this may be misread


@dataclass(frozen=True)
class OcrCounts:
    figures: int = 0  # figures of line items read by OCR
    low_confidence: int = 0  # of them, below LOW_CONFIDENCE


def is_doubtful(v: CellValue) -> bool:
    return v.source == "ocr" and (v.confidence is None or v.confidence < LOW_CONFIDENCE)


def ocr_counts(report: ParsedReport) -> OcrCounts:
    values = [v for li in report.line_items for v in li.values if v.source == "ocr"]
    return OcrCounts(len(values), sum(1 for v in values if is_doubtful(v)))


def _takes_part(li: LineItem, loc: Location) -> bool:
    if li.table_index != loc.table_index:
        return False
    if loc.code:
        return li.code == loc.code or li.parent_code == loc.code
    return bool(loc.row_label) and li.name == loc.row_label


def doubtful_figures(report: ParsedReport, found: Finding) -> list[tuple[LineItem, CellValue]]:
    """The low-confidence OCR figures at the finding's locations (its row and the rows under it)."""
    out: list[tuple[LineItem, CellValue]] = []
    for loc in [found.location, *found.locations]:
        if loc.table_index is None:
            continue
        for li in report.line_items:
            if _takes_part(li, loc):
                out.extend((li, v) for v in li.values
                           if is_doubtful(v) and (loc.column is None or v.column == loc.column))
    return out


def regrade(report: ParsedReport, findings: list[Finding]) -> list[Finding]:
    """Errors that low-confidence OCR figures take part in, restated as parse.ocr_suspect warnings."""
    if not any(v.source == "ocr" for li in report.line_items for v in li.values):
        return findings
    out: list[Finding] = []
    for f in findings:
        doubtful = doubtful_figures(report, f) if f.severity == "error" else []
        out.append(_suspect(f, doubtful) if doubtful else f)
    return out


def _suspect(found: Finding, doubtful: list[tuple[LineItem, CellValue]]) -> Finding:
    figures = "、".join(f"{li.code or li.name} {v.column} {format(v.amount, 'f')}（置信度 {v.confidence}）"
                       for li, v in doubtful[:5])
    return Finding(
        rule_id=RULE_ID,
        severity="warning",
        message=f"疑似OCR识别错误：{found.message}；参与的数字中有识别置信度低于 {LOW_CONFIDENCE} 的：{figures}"
        f"，更可能是扫描件识别有误而非报告印刷错误（{found.rule_id}）",
        expected=found.expected,
        actual=found.actual,
        difference=found.difference,
        location=found.location,
        evidence=found.evidence,
        locations=[Location(table_index=li.table_index, page=li.page, code=li.code,
                            row_label=None if li.code else li.name, column=v.column, bbox=v.bbox)
                   for li, v in doubtful],
        restates=found,
    )


@rule(
    RULE_ID,
    severity="warning",
    zh="扫描件经OCR识别：勾稽不符而参与的数字中有低置信度识别结果时，作为疑似识别错误警告报告，不报错误",
    en="A mismatch in which low-confidence OCR figures take part is reported as a suspect OCR reading, not an error",
    inputs=("line_items",),
)
def ocr_suspect(report: ParsedReport) -> Iterator[Finding]:
    """Raised in place of other rules' errors (see `regrade`); nothing to do alone."""
    return iter(())
