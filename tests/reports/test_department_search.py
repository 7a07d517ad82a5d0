"""The SQLite department search on its own: abbreviations, parts, reordered words, and no match."""

from __future__ import annotations

from app.reports.department_search import search

NAMES = ["玉溪市医疗保障局", "玉溪市财政局", "上海市交通运输局", "长沙市公安局交通警察局", "上海市普陀区财政局"]


def test_search() -> None:
    assert search("医保", NAMES) == ["玉溪市医疗保障局"]
    assert search("医保 玉溪", NAMES)[0] == "玉溪市医疗保障局"
    assert search("交通运输局上海", NAMES)[0] == "上海市交通运输局"
    assert search("公安 交警", NAMES) == ["长沙市公安局交通警察局"]
    assert search("财政普陀", NAMES)[0] == "上海市普陀区财政局"
    assert search("卫健委", NAMES) == [] and search("  ", NAMES) == []
