"""The four seed layouts (../shared/fixtures/seeds): programmes with their printed funds, scores and
grades, indicators with their printed values, checked against the ground truth; and the same
pages read again without their vertical rules, or without any rules (the re-rendered variants)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.parsing.model import Indicator, Programme
from app.parsing.pages import RawPage, load
from app.parsing.performance import extract_performance
from app.parsing.reader import PageData, group_lines, page_data, words_of

SEEDS = (
    Path(os.environ.get("SHARED_FIXTURES", Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"))
    / "seeds"
)
NAMES = {
    "yuxi": "seed000_yuxi_2022_final",
    "zhaohua": "seed001_zhaohua_2023_final",
    "panjin": "seed002_panjin_2023_final",
    "lhasa": "seed003_lhasa_2022_budget",
}
_RAW: dict[str, list[tuple[RawPage, PageData]]] = {}  # read once per module
_CACHE: dict[str, tuple[list[Programme], list[Indicator]]] = {}


def seed_path(key: str) -> Path:
    path = SEEDS / f"{NAMES[key]}.pdf"
    if not path.exists():
        pytest.skip(f"seed PDF {path.name} not found (../shared/fixtures absent)")
    return path


def seed_pages(key: str, mode: str = "ruled") -> list[PageData]:
    """The seed's pages; without vertical rules (or any rules) the words are read again, no
    longer split where a rule ran, as a re-rendered variant without those rules prints them."""
    if key not in _RAW:
        doc = load(seed_path(key).read_bytes())
        try:
            _RAW[key] = [(raw, page_data(raw)) for raw in doc.pages()]
        finally:
            doc.close()
    out = []
    for raw, page in _RAW[key]:
        if mode == "ruled":
            out.append(page)
            continue
        words = words_of(raw.glyphs, [])
        hrules = page.hrules if mode == "no vertical rules" else []
        out.append(replace(page, words=words, lines=group_lines(words), hrules=hrules, vrules=[]))
    return out


@pytest.fixture(scope="module", autouse=True)
def _close_pdfs() -> Iterator[None]:
    yield
    _RAW.clear()
    _CACHE.clear()


def read(key: str) -> tuple[list[Programme], list[Indicator]]:
    if key not in _CACHE:
        _CACHE[key] = extract_performance(seed_pages(key), [])
    return _CACHE[key]


def indicator(key: str, name: str) -> Indicator:
    return next(i for i in read(key)[1] if i.name == name)


def programme(key: str, name: str) -> Programme:
    return next(p for p in read(key)[0] if p.name == name)


def _value_key(s: str | None) -> str:
    t = re.sub(r"^(≥|≤|>=|<=|≧|≦|=|>|<)+", "", "".join(str(s or "").split()))
    m = re.match(r"^-?\d[\d,]*\.?\d*", t)
    return format(Decimal(m.group().replace(",", "")).normalize(), "f") if m and m.group() != "-" else t


def _keys(rows: Iterator[tuple[str | None, str | None, str | None]]) -> Counter[tuple[str, str, str]]:
    return Counter(("".join((n or "").split()), _value_key(t), _value_key(a)) for n, t, a in rows)


@pytest.mark.parametrize("key", list(NAMES))
def test_indicators_match_the_ground_truth(key: str) -> None:
    truth = json.loads(seed_path(key).with_suffix(".json").read_text(encoding="utf-8"))
    gold = _keys((i["name"], i["target"], i["actual"]) for p in truth["performance"] for i in p["indicators"])
    got = _keys((i.name, i.target, i.actual) for i in read(key)[1])
    assert got == gold
    per_programme = [len(p["indicators"]) for p in truth["performance"]]
    progs, inds = read(key)
    assert [sum(1 for i in inds if i.programme_index == p.index) for p in progs] == per_programme


@pytest.mark.parametrize("mode", ["no vertical rules", "no rules"])
@pytest.mark.parametrize("key", list(NAMES))
def test_the_seeds_read_the_same_without_their_ruling_lines(
    key: str, mode: str
) -> None:
    """The re-rendered variants print no vertical rules (or none at all): read the seeds so."""
    ruled_progs, ruled = read(key)
    progs, inds = extract_performance(seed_pages(key, mode), [])
    assert [(i.name, i.target, i.actual, i.operator, i.unit, i.programme_index) for i in inds] == [
        (i.name, i.target, i.actual, i.operator, i.unit, i.programme_index) for i in ruled
    ]
    assert [p.name for p in progs] == [p.name for p in ruled_progs]


# 玉溪: 公开13表 部门整体 (form two pages above its indicators) and 公开14–18表 project tables
def test_yuxi_department_programme() -> None:
    dept = programme("yuxi", "玉溪市医疗保障局")
    assert (dept.scope, dept.pages) == ("department", [19, 20])
    assert dept.goal_actual is not None and "参保人数210.32万人" in dept.goal_actual
    assert dept.goal_target is not None and dept.goal_target.startswith("医疗保险覆盖范围进一步扩大")
    ind = indicator("yuxi", "以户籍人口算的基本医疗保险参保率")  # a name wrapped onto two lines
    assert (ind.level1, ind.level2, ind.operator, ind.target, ind.unit, ind.actual, ind.met) == (
        "产出指标",
        "质量指标",
        "≥",
        "95.00",
        "%",
        "94.64",
        False,
    )
    assert ind.deviation_reason == "因为2022年统计公告未发布，以2021年统计公告数据计算。"


def test_yuxi_project_programme_funds_scores_and_grade() -> None:
    p = programme("yuxi", "医疗服务与保障能力提升补助资金")
    assert (p.scope, p.department, p.implementer, p.pages, p.amount_unit) == (
        "project",
        "玉溪市医疗保障局",
        "玉溪市医疗保障局",
        [21],
        "万元",
    )
    assert p.funds == {
        "年初预算数": Decimal("428.07"),
        "全年预算数": Decimal("424.38"),
        "全年执行数": Decimal("81.52"),
        "分值": Decimal("10.00"),
        "执行率": Decimal("19.21"),
        "得分": Decimal("1.92"),
    }
    assert p.fund_rows["当年财政拨款"] == {
        "年初预算数": Decimal("428.07"),
        "全年预算数": Decimal("338.00"),
        "全年执行数": Decimal("38.71"),
        "执行率": Decimal("11.45"),
    }
    assert p.fund_rows["上年结转资金"]["全年预算数"] == Decimal("86.38")
    assert (p.execution_rate, p.total_score, p.grade) == (Decimal("19.21"), Decimal("91.92"), "优")
    assert p.goal_actual is not None and p.goal_actual.endswith("圆满完成各项预期目标。")
    unit = indicator("yuxi", "公开发放的宣传材料数量")  # a unit wrapped onto three lines
    assert (unit.target, unit.unit, unit.actual, unit.weight, unit.score) == (
        "20000",
        "份(部、个、幅、条)",
        "52000",
        Decimal("5.00"),
        Decimal("5.00"),
    )
    text = indicator("yuxi", "跨省异地就医直接结算地区")
    assert (text.operator, text.target, text.actual, text.met) == ("≥", "上年度", "大于", None)


# 昭化: operator and unit inside the value cell, 自评得分 under the table, no grade printed
def test_zhaohua_operator_inside_the_value_and_programme_fields() -> None:
    ind = indicator("zhaohua", "开展全区定点医药机构检查次数")
    assert (ind.level1, ind.level2, ind.operator, ind.target, ind.unit, ind.actual, ind.met) == (
        "产出指标",
        "数量指标",
        "≥",
        "30",
        "次",
        "53",
        True,
    )
    cost = next(i for i in read("zhaohua")[1] if i.name == "第三方机构服务费（预算成本控制额）")
    assert (cost.operator, cost.target, cost.unit, cost.actual, cost.met) == ("≤", "9.5", "万元", "8.52", True)
    p = programme("zhaohua", "防贫保服务费")
    assert p.funds == {
        "年初预算数": Decimal("9.5"),
        "全年预算数": Decimal("8.52"),
        "全年执行数": Decimal("8.52"),
        "执行率": Decimal("100"),
    }
    assert p.fund_rows["财政拨款小计"]["全年执行数"] == Decimal("8.52")
    assert (p.department, p.implementer, p.total_score, p.grade) == (
        "昭化区医保局",
        "昭化区医保局",
        Decimal("96"),
        None,
    )


# 盘锦: 部门（单位）整体绩效自评表 with 年度主要任务 and 运算符号, and project tables
def test_panjin_department_table() -> None:
    dept = read("panjin")[0][0]
    assert (dept.scope, dept.name, dept.pages, dept.total_score) == (
        "department",
        "142011盘锦市医疗保障局-211100000",
        [26, 27],
        Decimal("100"),
    )
    assert dept.funds == {"部门年初预算收入金额": Decimal("270.1"), "部门年初预算支出金额": Decimal("270.1")}
    assert dept.fund_rows["基本支出人员经费（保工资）"] == {
        "项目下达金额": Decimal("195.17565"),
        "项目执行金额": Decimal("195.17"),
        "项目执行率": Decimal("100"),
        "分值": Decimal("13.3"),
        "得分": Decimal("13.3"),
    }
    ind = indicator("panjin", "预算调整率")
    assert (ind.level1, ind.level2, ind.operator, ind.target, ind.unit, ind.actual, ind.completion) == (
        "预算执行",
        "预算执行效率",
        "≤",
        "5",
        "%",
        "5",
        "1",
    )
    qual = indicator("panjin", "依法行政能力")
    assert (qual.target, qual.actual, qual.met) == ("管理规范", "全部或基本达成预期指标100%-80%（含）", True)


def test_panjin_project_table() -> None:
    p = programme("panjin", "城乡居民基本医疗保险补助")
    assert p.funds == {"项目预算金额": Decimal("8376.38"), "全年执行数": Decimal("8376.38")}
    assert (p.execution_rate, p.total_score, p.department) == (Decimal("100"), Decimal("99.87"), "盘锦市医疗保障局-")
    assert p.goal_actual == "参保目标基本完成"
    ind = indicator("panjin", "以户籍人口数为基数计算基本医保综合参保率")
    assert (ind.operator, ind.target, ind.unit, ind.actual, ind.weight, ind.score, ind.completion, ind.met) == (
        "≥",
        "52",
        "%",
        "51.4",
        Decimal("13.3"),
        Decimal("13.167"),
        "99.0%",
        False,
    )
    assert ind.deviation_reason is not None and ind.deviation_reason.startswith("其他:一是2023年施行以税务为征缴主体")
    assert programme("panjin", "城乡医疗救助").total_score == Decimal("59")


# 拉萨: budget list layout, the project merged down the first columns, 正向/反向指标
def test_lhasa_programmes_from_the_project_columns() -> None:
    progs, inds = read("lhasa")
    assert len(progs) == 18 and len(inds) == 186
    first = progs[0]
    assert (first.code, first.name, first.amount, first.amount_unit, first.pages) == (
        "54010021T00000010385",
        "医疗保障政策宣传费",
        Decimal("280000.00"),
        "元",
        [11, 12],
    )
    assert first.goal_target is not None and first.goal_target.startswith("根据本单位职能")
    wrapped = progs[4]  # its code wraps onto the name's line: 54010022T00000007268 / 2-医保经办业务培训费
    assert (wrapped.code, wrapped.name, wrapped.amount) == (
        "54010022T000000072682",
        "医保经办业务培训费",
        Decimal("75000.00"),
    )


def test_lhasa_indicators() -> None:
    late = indicator("lhasa", "核查后一个月内进行奖励")
    assert (late.level1, late.level2, late.operator, late.target, late.unit, late.weight, late.direction) == (
        "产出指标",
        "时效指标",
        "≤",
        "30",
        "天",
        Decimal("10"),
        "反向",
    )
    assert (late.actual, late.score, late.met) == (None, None, None)
    empty = indicator("lhasa", "出版书籍（报刊、杂志）数量")
    assert (empty.operator, empty.target, empty.unit, empty.weight, empty.direction) == (
        "≥",
        None,
        "册/期",
        None,
        "正向",
    )
