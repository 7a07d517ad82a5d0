"""The department of every corpus report is the one the report is about: the name its file was
saved under (`013__001_上海__2026年上海市工业和信息化局_部门预算.pdf`; the city prefix may be absent
from either), never a unit of its 机构设置 list nor a name its text cites. The file name is the
test's oracle only; the parser never reads it. Where a file name does not say what the document
is, the exception below gives the department its cover prints and why."""

from __future__ import annotations

import re

import pytest

from app.parsing import parse_pdf
from app.parsing.errors import ParseError
from tests.conftest import SHARED_FIXTURES, need

pytestmark = pytest.mark.slow  # the whole corpus, parsed

CORPUS = SHARED_FIXTURES / "corpus"
_NAME = re.compile(r"^\d+__\d+_(?P<city>[^_]+)__(?P<rest>.+)\.pdf$")

# a name carries no scope note (（本级）, （汇总）), no year, no document number
_NOT_A_NAME = re.compile(r"[（(](?:部门)?(?:本级|汇总)[)）]|[\dA-Za-z〔]")
_UNIT_BUDGET = "a 单位预算 of one unit under that department (cover: 市级单位预算, 预算单位：…)"
# file-name prefix → (the department the cover prints, why the file name does not match it)
EXCEPTIONS = {
    "001__": ("上海交通职业技术学院", _UNIT_BUDGET),
    "005__": ("上海市刑事科学技术研究院", _UNIT_BUDGET),
    "009__": ("上海市戒毒康复中心", _UNIT_BUDGET),
    "013__": ("上海水产老干部活动室", _UNIT_BUDGET),
    "017__": ("上海科技大学附属学校", _UNIT_BUDGET),
    "021__": ("上海市减污降碳管理运行技术中心", _UNIT_BUDGET),
    "025__": ("上海市退役军人服务中心", _UNIT_BUDGET),
    "142__": ("苏州市数据局", "the organ's present name; the file keeps the old 政务服务和数据管理局"),
    "146__": ("苏州市自然资源和规划局", "the file name swaps the words of the organ's name"),
    "166__": ("无锡市应急管理综合行政执法监督局", "another organ's 单位预算 saved under this name"),
    "187__": ("国家信访局", "the national 国家信访局 budget, saved under three cities' names"),
    "258__": ("国家信访局", "the national 国家信访局 budget, saved under three cities' names"),
    "270__": ("国家信访局", "the national 国家信访局 budget, saved under three cities' names"),
    "203__": ("西安市住房和城乡建设局", "the file name shortens the organ's name"),
    "211__": ("西安市安全生产监督管理局", "a 2019 report of the organ before it became 应急管理局"),
    "226__": ("泉州市人民政府办公室", "the file name's 政府办公厅 is not the organ's name"),
    "249__": ("烟台市文化和旅游局", "the file name's 文化广电旅游体育局 is not the organ's name"),
}


def named(filename: str) -> tuple[str, str]:
    """(city, department) of a corpus file name."""
    m = _NAME.match(filename)
    assert m, filename
    rest = re.sub(r"_?(?:20\d{2}年)?_?部门(?:预算|决算)$", "", m.group("rest"))
    return m.group("city"), re.sub(r"^20\d{2}年", "", rest)


def matches(parsed: str, filename: str) -> bool:
    """The parsed name is the file name's department, with or without the city in front."""
    city, dept = named(filename)
    a, b = (re.sub(rf"^{city}市?", "", s) for s in (parsed, dept))
    return city in parsed and (a in b or b in a)


def test_file_name_oracle() -> None:
    name = "013__001_上海__2026年上海市工业和信息化局_部门预算.pdf"
    assert named(name) == ("上海", "上海市工业和信息化局")
    assert named("113__005_广州__卫生健康委员会_2026年部门预算.pdf") == ("广州", "卫生健康委员会")
    assert matches("上海市工业和信息化局", name)
    assert matches("广州市卫生健康委员会", "113__005_广州__卫生健康委员会_2026年部门预算.pdf")
    assert not matches("上海水产老干部活动室", name)
    assert not matches("国家信访局", "187__017_福州__信访局_2026年部门预算.pdf")


def test_every_corpus_report_names_the_department_it_is_about() -> None:
    files = sorted(CORPUS.glob("*.pdf"))
    need(len(files) > 50, f"the corpus is not under {CORPUS}")
    wrong: list[tuple[str, str | None]] = []
    budgets = 0
    for path in files:
        try:
            report = parse_pdf(path.read_bytes())
        except ParseError:
            continue  # an HTML page saved as .pdf, an image-only scan: refused, with its problem
        dept = report.meta.department
        exception = next((v for k, v in EXCEPTIONS.items() if path.name.startswith(k)), None)
        if dept is None:
            # a document that is no budget report (a 通知, a 公报, a 法治政府建设报告, a 资金安排 notice)
            # names no department and holds none of the standard tables (a table of its own may be there)
            assert exception is None and all(t.kind == "other" for t in report.tables), path.name
            continue
        budgets += 1
        assert not _NOT_A_NAME.search(dept), (path.name, dept)
        if exception:
            assert dept == exception[0], (path.name, dept, exception[1])
        elif not matches(dept, path.name):
            wrong.append((path.name, dept))
    assert not wrong
    assert budgets > 50
