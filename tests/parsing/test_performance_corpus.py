"""Real 2026 budgets from ../shared/fixtures/corpus: more 绩效目标表 layouts, and budgets that print
no indicator table at all (any indicator read there would be a false positive)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.parsing.model import Indicator, Programme
from app.parsing.performance import extract_performance
from app.parsing.reader import read_document

pytestmark = pytest.mark.slow  # real corpus reports, read whole

CORPUS = (
    Path(os.environ.get("SHARED_FIXTURES", Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"))
    / "corpus"
)
_CACHE: dict[str, tuple[list[Programme], list[Indicator]]] = {}


def read(prefix: str) -> tuple[list[Programme], list[Indicator]]:
    if prefix not in _CACHE:
        found = sorted(CORPUS.glob(f"{prefix}__*.pdf"))
        if not found:
            pytest.skip(f"corpus PDF {prefix} not found (../shared/fixtures absent)")
        _CACHE[prefix] = extract_performance(read_document(found[0].read_bytes()), [])
    return _CACHE[prefix]


@pytest.fixture(scope="module", autouse=True)
def _forget() -> Iterator[None]:
    yield
    _CACHE.clear()


def named(inds: list[Indicator], name: str) -> Indicator:
    return next(i for i in inds if i.name == name)


@pytest.mark.parametrize(
    "prefix",
    [
        "154",  # 杭州 司法局: 项目支出绩效表 with goals (绩效目标) but no indicators
        "278",  # 湖州 财政局: the same layout
        "045",  # 北京 文化和旅游局: the 绩效目标表 are listed in the contents but published separately
    ],
)
def test_budgets_without_indicator_tables_yield_nothing(prefix: str) -> None:
    assert read(prefix) == ([], [])


def test_fuzhou_one_table_per_project_converted_from_word() -> None:
    progs, inds = read("183")
    assert [p.name for p in progs] == [
        "办公楼物业",
        "办公楼租金",
        "菜篮子工程建设专项资金",
        "口岸单位补贴",
        "商务发展资金",
        "商务工作专项经费",
        "房屋租金",
        "物业费",
    ]
    first = progs[0]
    assert (first.department, first.implementer, first.funds["资金总额"], first.pages) == (
        "福州市商务局",
        "福州市商务局",
        Decimal("25.89"),
        [29, 30],
    )
    area = named(inds, "物业管理面积")  # value and unit printed on different lines of the cell
    assert (area.level1, area.level2, area.operator, area.target, area.unit) == (
        "产出指标",
        "数量指标",
        "≤",
        "5137.26",
        "平方米",
    )
    hours = next(i for i in inds if i.name == "物业服务提供时间")
    assert (hours.operator, hours.target, hours.unit, hours.page) == ("=", "24", "小时/日", 30)  # continued page
    assert len(inds) == 69


def test_chongqing_department_and_project_target_tables() -> None:
    progs, inds = read("093")
    assert [(p.name, p.scope) for p in progs] == [
        ("重庆市科学技术局", "department"),
        ("科技发展专项", "project"),
        ("科学事务管理", "project"),
    ]
    nsfc = inds[0]
    assert (nsfc.name, nsfc.operator, nsfc.target, nsfc.unit, nsfc.weight) == (
        "获批国家自然基金项目数量",
        "≥",
        "800",
        "项",
        Decimal("20"),
    )
    # 表十二 prints its values half a line below their row, across the rule
    archive = named([i for i in inds if i.programme_index == 2], "完成文书档案数字化量")
    assert (archive.operator, archive.target, archive.unit, archive.weight) == ("≥", "1.8", "万件", Decimal("15"))
    assert progs[2].amount == Decimal("26675.34") and len([i for i in inds if i.programme_index == 2]) == 6
    assert progs[2].department == "重庆市科学技术局"


def test_changsha_list_layout_repeats_the_project_on_every_page() -> None:
    progs, inds = read("171")
    assert [(p.name, p.scope, p.pages) for p in progs] == [
        ("基层及其他信访业务工作经费专项", "project", [22, 23]),
        ("人民来访接待中心及特护期运行专项", "project", [23, 24, 25]),
        ("人民来访接待中心业务专项", "project", [25, 26, 27]),
        ("信访业务工作专项", "project", [27, 28, 29]),
        ("长沙市信访局", "department", [30, 31, 32]),
    ]
    assert (progs[0].amount, progs[4].amount) == (Decimal("35.78"), Decimal("1935.36"))
    cost = inds[0]
    assert (cost.name, cost.level1, cost.level2, cost.operator, cost.target, cost.unit) == (
        "总成本",
        "成本指标",
        "经济成本指标",
        "≤",
        "35.78",
        "万元",
    )
    assert not [i for i in inds if i.name in ("无", "不适用") or i.name.startswith("不适用")]  # placeholder rows


def test_yantai_doubled_text_layers_and_tables_per_project() -> None:
    progs, inds = read("235")
    assert [p.name for p in progs] == ["实施公车统管费用", "接访大厅运行经费", "信访业务工作经费"]
    assert progs[0].department == "229_烟台市信访局" and progs[0].funds["年度预算资金总额"] == Decimal("15.00")
    rate = named(inds, "实施公车统管费用支出率")
    assert (rate.level1, rate.level2, rate.operator, rate.target, rate.unit) == (
        "产出指标",
        "数量指标",
        "≤",
        "100",
        "%",
    )
    assert len(inds) == 32


def test_quanzhou_titles_name_the_projects_and_forms_are_not_indicators() -> None:
    progs, inds = read("222")
    assert progs[0].name == "机场公安综合修缮改造"  # from a title wrapped onto two lines
    assert (progs[-1].name, progs[-1].scope) == ("泉州市公安局", "department")
    assert not [i for i in inds if i.name.startswith(("资金总额", "财政拨款", "其他资金"))]
    first = inds[0]
    assert (first.name, first.level1, first.level2, first.operator, first.target, first.unit) == (
        "预算执行率",
        "成本指标",
        "经济成本指标",
        None,
        "100",
        "%",
    )


def test_kunming_weights_printed_beside_operator_values() -> None:
    progs, inds = read("258")
    assert [p.name for p in progs] == ["信息化运行维护", "信访综合保障经费", "信访业务培训"]
    cost = inds[0]
    assert (cost.name, cost.operator, cost.target, cost.unit, cost.weight) == (
        "项目总成本",
        "≤",
        "2134.87",
        "万元",
        Decimal("20"),
    )
    assert sum(i.weight or 0 for i in inds if i.programme_index == 0) == Decimal("90")


def test_a_page_footer_is_no_indicator() -> None:
    # 西安 2019: `第9页，共45页` at the foot of a 绩效目标表 page was read as an indicator without a value
    from app.parsing.regions import is_page_number_text

    _, indicators = read("211")
    assert indicators
    assert not [i.name for i in indicators if i.name == "页" or is_page_number_text("第" + i.name)]
