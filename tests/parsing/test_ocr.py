"""OCR of image-only pages: a shared fixture's pages rendered to images and wrapped in a PDF
without any text, read back and scored against that fixture's ground truth with the shared
scorer; the image-only reports of the corpus parse."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest

from app.parsing import parse_pdf
from app.parsing.errors import NoTextLayer
from app.parsing.pages import ocr
from app.parsing.text import paired
from app.validation import validate
from app.validation.ocr_suspect import LOW_CONFIDENCE, is_doubtful
from tests.conftest import ROOT, SHARED_FIXTURES, fixture_pdf, need

pytestmark = pytest.mark.skipif(not ocr.available(), reason=f"the OCR engine is not installed ({ocr.INSTALL_HINT})")

SCANS = ("corpus/175__015_长沙__公安局交通警察局_2026年部门预算.pdf",
         "corpus/179__015_长沙__文化广电旅游体育局_2026年部门预算.pdf")
# putuo_justice's 部门财务收支预算总表 … 一般公共预算支出功能分类预算表 (PDF pages 10–16): six ruled tables,
# two continuing onto the next page
JUSTICE = "real/putuo_justice_2026_dept_budget"
JUSTICE_PAGES = range(10, 17)
LINE_ITEM_F1_FLOOR = 0.98  # measured 1.000 (63 of 63 rows) at 150 dpi: docs/ocr.md
SEED = "seeds/seed001_zhaohua_2023_final"  # its 绩效 tables: 10 programmes, 76 indicators on pages 12–21
INDICATOR_F1_FLOOR = 0.98  # measured 1.000 (76 of 76) at 150 dpi: docs/ocr.md


def scanned(pdf: Path, pages: Iterable[int], dpi: int = 150) -> bytes:
    """The pages as a scan would give them: each an image, no text layer at all."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    src = pdfium.PdfDocument(pdf.read_bytes())
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in pages:
        page = src[n - 1]
        w, h = page.get_width(), page.get_height()
        image = page.render(scale=dpi / 72).to_pil()
        c.setPageSize((w, h))
        c.drawImage(ImageReader(image), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()


def scorer() -> ModuleType:
    path = SHARED_FIXTURES.parent / "tools" / "score_extraction.py"
    need(path.exists(), f"the shared scorer {path} not found")
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ground_truth_of(pages: range) -> dict:
    """The fixture's ground truth cut to the tables printed within `pages` (renumbered from 1)."""
    gt = json.loads(fixture_pdf(f"{JUSTICE}.json").read_text(encoding="utf-8"))
    gt["tables"] = [t for t in gt["tables"] if t.get("pages") and set(t["pages"]) <= set(pages)]
    gt["performance"] = []
    return gt


def extract(tmp_path: Path, data: bytes) -> dict:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "app", "extract", str(pdf)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_scanned_fixture_scores_against_its_ground_truth(tmp_path: Path) -> None:
    data = scanned(fixture_pdf(f"{JUSTICE}.pdf"), JUSTICE_PAGES)
    pred = extract(tmp_path, data)
    gt = ground_truth_of(JUSTICE_PAGES)
    assert sum(len(t["line_items"]) for t in gt["tables"]) > 50
    result = scorer().score(gt, pred)
    print("OCR line items:", result["line_items"], "tables recall:", result["tables_recall"])
    assert result["line_items"]["f1"] >= LINE_ITEM_F1_FLOOR, result["spurious_items"]
    values = [v for li in pred["line_items"] for v in li["values"]]
    assert values and all(v["source"] == "ocr" and 0 <= v["confidence"] <= 1 for v in values)
    assert pred["validation"]["ocr_figures"] == len(values)
    # every wrong figure is caught: a row the ground truth does not have (a misread amount) is
    # flagged low-confidence or named by a finding
    gold = {(li["code"], frozenset(li["values"].values())) for t in gt["tables"] for li in t["line_items"]}
    flagged_pages = {f.get("page") for f in pred["validation"]["findings"]}
    for li in pred["line_items"]:
        if not li.get("code"):
            continue
        amounts = frozenset(v["amount"] for v in li["values"])
        if any(li["code"] == c and amounts <= a for c, a in gold):
            continue
        low = any(v["confidence"] < LOW_CONFIDENCE for v in li["values"])
        assert low or li["page"] in flagged_pages, f"misread {li['code']} {sorted(amounts)} neither flagged nor caught"


@pytest.mark.slow
def test_scanned_performance_tables_score_against_their_ground_truth(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = fixture_pdf(f"{SEED}.pdf")
    doc = pdfium.PdfDocument(pdf.read_bytes())
    pages = [n for n in range(1, len(doc) + 1) if "指标" in doc[n - 1].get_textpage().get_text_range()]
    assert pages
    pred = extract(tmp_path, scanned(pdf, pages))
    gt = json.loads(fixture_pdf(f"{SEED}.json").read_text(encoding="utf-8"))
    gt["tables"] = []  # the indicators only: the other pages were not scanned
    assert sum(len(p["indicators"]) for p in gt["performance"]) > 50
    result = scorer().score(gt, pred)
    print("OCR indicators:", result["indicators"], "missed:", result["missed_indicators"])
    assert result["indicators"]["f1"] >= INDICATOR_F1_FLOOR, result["missed_indicators"]


def test_ocr_brackets_come_in_pairs_of_one_width() -> None:
    assert paired("第三方机构服务费（预算成本控制额)") == "第三方机构服务费（预算成本控制额）"
    assert paired("a(b）") == "a(b)"
    assert paired("（一）(1)") == "（一）(1)"
    assert paired("未配对）") == "未配对）"


@pytest.mark.slow
@pytest.mark.parametrize("relative", SCANS)
def test_image_only_corpus_reports_parse(relative: str) -> None:
    parsed = parse_pdf(fixture_pdf(relative).read_bytes())
    assert parsed.ocr_pages == list(range(1, parsed.meta.pages + 1))
    assert len("".join(s.text for s in parsed.sentences)) > 100
    report = validate(parsed)
    assert report.ocr_figures == sum(len(li.values) for li in parsed.line_items)
    if "179__" in relative:  # the one with a table: 项目资金安排表, 9 projects and 合计, printed turned a quarter
        assert len(parsed.line_items) == 10
        assert {format(v.amount, "f") for li in parsed.line_items for v in li.values} >= {"10.2714", "35.678"}


def test_without_the_engine_an_image_only_pdf_is_no_text_layer() -> None:
    data = scanned(fixture_pdf(f"{JUSTICE}.pdf"), range(10, 11), dpi=72)
    with pytest.raises(NoTextLayer, match="no text"):
        parse_pdf(data, ocr=None)


def test_doubtful_figures_are_low_confidence_ocr_ones() -> None:
    from decimal import Decimal

    from app.parsing.model import CellValue

    assert is_doubtful(CellValue("合计", "total", Decimal("1.00"), source="ocr", confidence=0.5))
    assert not is_doubtful(CellValue("合计", "total", Decimal("1.00"), source="ocr", confidence=0.99))
    assert not is_doubtful(CellValue("合计", "total", Decimal("1.00")))
