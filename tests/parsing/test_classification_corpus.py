"""Every coded row is classified, in every corpus report: the classification follows the code's
shape (3/5/7-digit 1xx/2xx functional, 3xx/5xx economic, also under a 部门经济分类科目 header),
and a 单位编码 (unit code) is kept as printed but unclassified: it names a unit, not a subject."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.parsing import parse_pdf
from app.parsing.errors import ParseError
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow  # the whole corpus, parsed

CORPUS = SHARED_FIXTURES / "corpus"
ECONOMIC_KINDS = {"general_public_basic", "basic_expenditure", "general_public_economic"}


_UNIT_CODE_HEAD = re.compile(r"(单位|部门)(编码|代码|编号)")


def _unit_code_table(grid: list[list[str | None]]) -> bool:
    """A table whose code column is headed 单位编码 / 部门代码: its codes name units, not subjects."""
    return any(cell and _UNIT_CODE_HEAD.search(cell.replace(" ", "")) for row in grid[:4] for cell in row)


def corpus() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf"))


def test_every_coded_row_of_every_corpus_report_is_classified() -> None:
    files = corpus()
    need(len(files) > 50, f"the corpus is not under {CORPUS}")
    coded = economic = parsed = 0
    unclassified: list[tuple[str, str, str]] = []
    for path in files:
        try:
            report = parse_pdf(path.read_bytes())
        except ParseError:
            continue  # an HTML page saved as .pdf, an image-only scan: refused, with its problem
        parsed += 1
        for li in report.line_items:
            if not li.code:
                continue
            coded += 1
            if li.classification is None:
                if not _unit_code_table(report.tables[li.table_index].grid):
                    unclassified.append((path.name[:12], li.code, li.name))
                continue
            elif li.classification == "economic":
                economic += 1
                assert li.code[0] in "35" and len(li.code) in (3, 5, 7), (path.name, li.code, li.name)
            else:
                assert li.code[0] in "12" and len(li.code) in (3, 5, 7), (path.name, li.code, li.name)
            assert li.level == {3: 1, 5: 2, 7: 3}[len(li.code)]
            if report.tables[li.table_index].kind in ECONOMIC_KINDS and li.code[0] == "3":
                assert li.classification == "economic"
    assert parsed > 50 and coded > 5000 and economic > 1000
    assert unclassified == []
