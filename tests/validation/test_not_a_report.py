"""Not a report: a document with no standard table is an error (a warning when it says the tables are
published separately), and its kind stays unknown when nothing on it says 预算/决算."""

from __future__ import annotations

import pytest

from app.parsing import parse_pdf
from app.validation import validate
from tests.client import upload
from tests.conftest import fixture_pdf
from tests.pdfs import text_pdf
from tests.validation.factories import Builder, parsed_real, run, skipped
from tests.validation.test_structure import _nine

GAZETTE = ["某市人民政府公报", "关于加强预算管理工作的通知",
           "各区县人民政府：为进一步加强预算管理，提高资金使用效益，现通知如下。"]


def test_no_standard_table_is_an_error() -> None:
    b = Builder(kind="unknown").table("会议日程安排表").say("各区县人民政府：现将有关事项通知如下。")
    (found,) = run("structure.no_standard_tables", b.build())
    assert found.severity == "error" and "会议日程安排表" in (found.actual or "")


@pytest.mark.parametrize("said", ["本部门2024年度部门决算公开表另行公开。", "具体预算表格详见附件2。",
                                  "相关报表已单独公开，请查阅。", "公开表格附后。",
                                  "附件：北京市公安局2026年度部门预算报表"])
def test_tables_published_separately_is_a_warning(said: str) -> None:
    b = Builder().say("一、部门职责：负责全市工作。", page=2).say(said, page=3)
    (found,) = run("structure.no_standard_tables", b.build())
    assert found.severity == "warning" and found.location.page == 3 and found.evidence == said


def test_an_attachment_of_a_circular_is_not_the_tables() -> None:
    b = Builder(kind="unknown").say("落实《国家学生体质健康标准》(见附件1)，完善考试制度。")
    b.say("凡符合免考规定的考生，需填写相应的登记表(见附件6-8)，并附医院证明。")
    assert [f.severity for f in run("structure.no_standard_tables", b.build())] == ["error"]


def test_quiet_with_a_standard_table_and_skipped_with_no_text() -> None:
    assert run("structure.no_standard_tables", _nine().build()) == []
    assert run("structure.no_standard_tables", Builder().table("支出决算表", ("决算数",)).build()) == []
    assert skipped("structure.no_standard_tables", Builder().build()) == "the document has no text to judge"


def test_a_topic_on_the_cover_is_not_a_kind() -> None:
    assert parse_pdf(text_pdf(GAZETTE)).meta.kind == "unknown"
    assert parse_pdf(text_pdf(["某某局2026年部门预算", "一、部门职责", "负责全市工作。"])).meta.kind == "budget"


@pytest.mark.anyio
async def test_a_gazette_is_parsed_but_not_valid(make_client) -> None:
    async with make_client() as client:
        report = (await upload(client, text_pdf(GAZETTE), "gazette.pdf")).json()
        assert report["status"] == "parsed" and report["kind"] == "unknown" and report["counts"]["tables"] == 0
        validation = (await client.get(f"/reports/{report['id']}/validation")).json()
        assert validation["valid"] is False
        assert [f["severity"] for f in validation["findings"] if f["rule_id"] == "structure.no_standard_tables"] \
            == ["error"]
        separate = text_pdf(["某某局2026年部门预算", "一、部门职责", "负责全市工作。",
                             "本部门2026年部门预算公开表另行公开，详见附件。"])
        report = (await upload(client, separate, "budget-text.pdf")).json()
        findings = (await client.get(f"/reports/{report['id']}/validation")).json()["findings"]
        assert [f["severity"] for f in findings if f["rule_id"] == "structure.no_standard_tables"] == ["warning"]


# real documents of the corpus: a 部门预算 whose tables are an attachment, a 政府公报 page, a 函 and a 通知
# filed as budgets, and a 部门预算 with its tables
CORPUS_CASES = [
    ("corpus/033__002_北京__2026年北京市公安局部门预算.pdf", "budget", ["warning"]),
    ("corpus/266__048_惠州__2026年惠州市民政局部门预算.pdf", "unknown", ["error"]),
    ("corpus/283__087_宜宾__2026年宜宾市政府办公厅部门预算.pdf", "unknown", ["error"]),
    ("corpus/274__077_珠海__2026年珠海市教育局部门预算.pdf", "unknown", ["error"]),  # a circular citing 见附件
    ("corpus/001__001_上海__2026年上海市交通运输局_部门预算.pdf", "budget", []),
]


@pytest.mark.parametrize(("path", "kind", "severities"), CORPUS_CASES)
def test_real_documents(path: str, kind: str, severities: list[str]) -> None:
    report = parsed_real(fixture_pdf(path))
    assert report.meta.kind == kind
    assert [f.severity for f in run("structure.no_standard_tables", report)] == severities
    if severities == ["error"]:
        assert validate(report).valid is False
