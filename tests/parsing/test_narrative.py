"""Narrative sentences: words grouped into lines by vertical overlap, tables and folios left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.parsing.narrative import blank_pages, extract_sentences, is_tabular, split_sentences
from app.parsing.reader import Word, group_lines, read_document
from tests.conftest import SHARED_FIXTURES, need

FINANCE = SHARED_FIXTURES / "real" / "putuo_finance_2024_final.pdf"
JUSTICE = SHARED_FIXTURES / "real" / "putuo_justice_2026_dept_budget.pdf"


def _word(text: str, x0: float, top: float, h: float = 12.0) -> Word:
    return Word(text, x0, x0 + 10 * len(text), top, top + h, h)


def test_digits_set_lower_than_the_cjk_glyphs_join_their_line() -> None:
    # putuo p22: the Times New Roman digits' own boxes sit ~5 pt below the CJK glyphs of the line
    words = [
        _word("年初预算为", 72, 85.8),
        _word("万元，支出决算为", 357, 85.8),
        _word("1560.05", 315, 90.6),
        _word("元。决算数小于预算数", 72, 99.6),
    ]
    lines = group_lines(words)
    assert [ln.text for ln in lines] == ["年初预算为1560.05万元，支出决算为", "元。决算数小于预算数"]


def test_tabular_lines_and_sentence_split() -> None:
    assert is_tabular("2010601 行政运行 1511.89 1503.52", wide_gaps=3)
    assert not is_tabular("年初预算为1560.05万元，支出决算为1511.89万元。")
    assert is_tabular("一、收入支出决算总表 ………………… 6")
    assert split_sentences("甲1万元。乙2万元；丙") == ["甲1万元。", "乙2万元；丙"]
    # a 。 closing a bracketed note ends the note, not the sentence
    assert split_sentences("甲6.54万元（乙0万元；丙6.54万元。）比上年减少1万元。丁。") == [
        "甲6.54万元（乙0万元；丙6.54万元。）比上年减少1万元。",
        "丁。",
    ]


@pytest.fixture(scope="module")
def finance_sentences() -> list[str]:
    need(FINANCE.exists(), f"fixture {FINANCE} is absent")
    return [s.text for s in extract_sentences(read_document(FINANCE.read_bytes()))]


def test_putuo_p22_figures_stay_with_their_words(finance_sentences: list[str]) -> None:
    assert "年初预算为1560.05万元，支出决算为1511.89万元。" in finance_sentences
    assert "年初预算为161.62万元，支出决算为160.75万元。" in finance_sentences
    assert any(s.startswith("上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元") for s in finance_sentences)


def test_sentences_run_on_across_a_page_break(finance_sentences: list[str]) -> None:
    assert any("一般公共服务支出（类）2106.66万元，占71.73%" in s for s in finance_sentences)


def test_table_cells_are_not_narrative(finance_sentences: list[str]) -> None:
    assert not any(s.startswith("2010601") for s in finance_sentences)


def test_blank_pages() -> None:
    need(JUSTICE.exists() and FINANCE.exists(), "real fixtures are absent")
    assert blank_pages(read_document(JUSTICE.read_bytes())) == [3]  # white-filled frame after the TOC
    assert blank_pages(read_document(FINANCE.read_bytes())) == []  # p14 carries a ruled (visible) empty table row


@pytest.mark.slow
def test_running_headers_are_dropped() -> None:
    path = next(iter(sorted((SHARED_FIXTURES / "corpus").glob("138__*.pdf"))), Path("/absent"))
    need(path.exists(), "corpus fixture 138 is absent")
    texts = [s.text for s in extract_sentences(read_document(path.read_bytes())) if 40 <= s.page <= 41]
    assert "苏州市自然资源和规划局2026年度财政拨款基本支出预算12,889.17万元，其中：" in texts
