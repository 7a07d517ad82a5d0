"""The department a report is about, on pages the tests draw: the cover title before the unit a
table header prints, the label of a unit's own report, scope notes and years dropped, none for a
document that is no budget report."""

from __future__ import annotations

import pytest

from app.parsing import parse_pdf
from tests.parsing.builder import TableSpec, build_pdf
from tests.pdfs import text_pdf


def _table(department: str, title: str = "2026年部门收入预算总表") -> TableSpec:
    return TableSpec(
        title=title,
        meta=[f"单位名称：{department}", "单位:万元"],
        widths=[200, 90, 90],
        header=[[("项目", 0, 0), ("合计", 1, 1), ("财政拨款", 2, 2)]],
        body=[["合计", "1,234.50", "1,234.50"], ["一般公共预算", "1,234.50", "1,234.50"]],
        value_from=1,
    )


def test_the_cover_title_names_the_department_not_the_units_its_tables_print() -> None:
    unit = "测试市测试技术中心"
    pages = [[_table(unit)], [_table(unit, "2026年财政拨款收支预算总表")],
             [_table("测试市测试局机关", "2026年部门支出预算总表")]]
    report = parse_pdf(build_pdf(pages, cover="测试市测试局2026年部门预算"))
    assert len(report.tables) == 3
    assert report.meta.department == "测试市测试局"


def test_without_a_cover_title_the_tables_name_it() -> None:
    report = parse_pdf(build_pdf([[_table("测试市测试局")]]))
    assert report.meta.department == "测试市测试局"


@pytest.mark.parametrize(
    ("cover", "department"),
    [
        # a unit's own report: the title is generic, the label names the unit
        (["上海市2026年市级单位预算", "", "预算单位：测试市测试技术中心"], "测试市测试技术中心"),
        # a title broken over lines, with a scope note after the name
        (["2026年度", "测试市交通运输局（本级）", "单位预算公开"], "测试市交通运输局"),
        (["测试市信访局（汇总）", "2026年部门预算公开说明"], "测试市信访局"),
        # a year after the name; a sentence citing another organ's 部门预算 is not the title
        (["辽宁省测试市医疗保障局2023年度部门决算", "一、部门职责",
          "参照国家信访局部门预算的编制要求，编制本部门决算。"], "辽宁省测试市医疗保障局"),
        (["附件2", "2019年部门综合预算公开报表", "部门名称：测试市安全生产监督管理局"], "测试市安全生产监督管理局"),
        # documents that are no budget report: a 通知, a 公报, a 通报
        (["ZJAC01-2025-0010", "测试市人民政府办公厅文件", "测政办函〔2025〕30号",
          "测试市人民政府办公厅关于印发消防安全工作实施办法的通知"], None),
        (["测试市人民政府公报2026年第2期刊登", "2026年2月11日电子公报发布", "HBGS-2026-1",
          "测试市民政局关于贯彻实施最低生活保障办法的通知"], None),
        (["测府办函〔2026〕24号", "测试市人民政府办公室", "关于2026年第一季度政务公开检查情况的通报",
          "现将检查有关情况通报如下。"], None),
    ],
)
def test_department_from_the_cover(cover: list[str], department: str | None) -> None:
    assert parse_pdf(text_pdf(cover)).meta.department == department
