"""Grids a front end can render, from a real report over HTTP: every table's rows of cells cover the
printed grid exactly once (a spanned cell once, an empty one as `text: null`), amounts parsed where
numeric, header rows marked, boxes on their page with the page's size; line items, findings (their
locations and figures) and headline figures carry their page's size too; the workbook merges what
the grid spans."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.conftest import fixture_pdf
from tests.server import serving

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, Any]]]:
    pdf = fixture_pdf("real/putuo_finance_2024_final.pdf")
    with serving(tmp_path_factory.mktemp("grid")) as base, httpx.Client(base_url=base, timeout=300) as c:
        r = c.post("/reports", params={"wait": "true"}, files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")})
        assert r.json()["status"] == "parsed", r.text
        yield c, r.json()


def sizes(c: httpx.Client, rid: str) -> dict[int, tuple[float, float]]:
    return {p["number"]: (p["width"], p["height"]) for p in c.get(f"/reports/{rid}/pages").json()["data"]}


def test_every_grid_is_covered_once_with_spans_amounts_headers_and_boxes(
        report: tuple[httpx.Client, dict[str, Any]]) -> None:
    c, rep = report
    pages = sizes(c, rep["id"])
    spanned = empty = amounts = 0
    for t in c.get(f"/reports/{rep['id']}/tables").json()["data"]:
        table = c.get(f"/reports/{rep['id']}/tables/{t['id']}").json()
        grid, rows = table["grid"], table["rows"]
        assert len(rows) == len(grid), t["title"]
        assert rows[0]["header"] or not any(r["header"] for r in rows), t["title"]
        occupied: dict[tuple[int, int], int] = {}
        for r, row in enumerate(rows):
            assert row["page"] in t["pages"]
            assert (row["page_width"], row["page_height"]) == pytest.approx(pages[row["page"]], abs=0.01)
            for cell in row["cells"]:
                for k in range(r, r + cell["rowspan"]):
                    for j in range(cell["col"], cell["col"] + cell["colspan"]):
                        occupied[(k, j)] = occupied.get((k, j), 0) + 1
                printed = [grid[k][j] for k in range(r, r + cell["rowspan"])
                           for j in range(cell["col"], cell["col"] + cell["colspan"]) if grid[k][j]]
                assert (cell["text"] or None) == (" ".join(printed) or None), (t["title"], r, cell)
                x0, top, x1, bottom = cell["bbox"]
                assert 0 <= x0 < x1 <= row["page_width"] and 0 <= top <= bottom <= row["page_height"]
                if cell["amount"] is not None:
                    assert not row["header"] and Decimal(cell["amount"]) == Decimal(
                        cell["text"].replace(",", "").replace("(", "-").replace(")", "")), cell
                    amounts += 1
                spanned += cell["colspan"] > 1 or cell["rowspan"] > 1
                empty += cell["text"] is None
        want = {(r, j) for r, line in enumerate(grid) for j in range(len(line))}
        assert set(occupied) == want and set(occupied.values()) == {1}, t["title"]  # each position once
    assert spanned > 20 and empty > 100 and amounts > 150, (spanned, empty, amounts)


def test_a_ruled_header_spans_the_columns_its_rules_enclose(report: tuple[httpx.Client, dict[str, Any]]) -> None:
    """As printed in the 三公 table: 财政拨款“三公”经费 heads all twelve columns, 公务用车购置及运行费 the six of
    its 小计, 购置费 and 运行费 (each 预算数 and 决算数), though each text is centred over two of them."""
    c, rep = report
    t = next(t for t in c.get(f"/reports/{rep['id']}/tables").json()["data"] if t["kind"] == "three_public")
    rows = c.get(f"/reports/{rep['id']}/tables/{t['id']}").json()["rows"]
    spans = {cell["text"]: (cell["col"], cell["colspan"]) for row in rows if row["header"] for cell in row["cells"]
             if cell["text"]}
    assert spans["财政拨款“三公”经费"] == (0, 12)
    assert spans["公务用车购置及运行费"] == (4, 6)
    assert spans["因公出国（境）费"] == (2, 2)


def test_every_line_item_amount_is_a_cell_amount_of_its_table(report: tuple[httpx.Client, dict[str, Any]]) -> None:
    c, rep = report
    pages = sizes(c, rep["id"])
    cells: dict[str, set[str]] = {}
    items = c.get(f"/reports/{rep['id']}/line-items", params={"limit": 1000}).json()["data"]
    for li in items:
        if li["table_id"] not in cells:
            table = c.get(f"/reports/{rep['id']}/tables/{li['table_id']}").json()
            cells[li["table_id"]] = {cell["amount"] for row in table["rows"] for cell in row["cells"] if cell["amount"]}
        for v in li["values"]:
            assert v["amount"] in cells[li["table_id"]], (li["name"], v)
        assert (li["page_width"], li["page_height"]) == pytest.approx(pages[li["page"]], abs=0.01)
    findings = c.get(f"/reports/{rep['id']}/validation").json()["findings"]
    located = [f["location"] for f in findings if f["location"]["page"]]
    figures = [fig for f in findings[:10]
               for fig in c.get(f"/reports/{rep['id']}/findings/{f['id']}").json()["figures"]]
    sources = [f["source"] for f in c.get(f"/reports/{rep['id']}/summary").json()["figures"]]
    assert located and figures and sources
    for loc in located + figures + sources:
        assert (loc["page_width"], loc["page_height"]) == pytest.approx(pages[loc["page"]], abs=0.01), loc


def test_the_summary_table_header_spans_as_printed_and_the_workbook_merges_it(
        report: tuple[httpx.Client, dict[str, Any]]) -> None:
    c, rep = report
    tables = c.get(f"/reports/{rep['id']}/tables").json()["data"]
    summary = next(t for t in tables if t["kind"] == "income_expenditure_summary")
    rows = c.get(f"/reports/{rep['id']}/tables/{summary['id']}").json()["rows"]
    # 普陀 决算 p6 prints 收入 over 项目 and 决算数, 支出 over the other two
    top = [(cell["text"], cell["colspan"]) for cell in rows[0]["cells"]]
    assert top == [("收入", 2), ("支出", 2)] and rows[0]["header"] and not rows[2]["header"]
    book = load_workbook(io.BytesIO(c.get(f"/reports/{rep['id']}/export.xlsx").content))
    sheet = book[next(n for n in book.sheetnames if "收入支出决算总表" in n)]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:B1", "C1:D1"} <= merged, merged
    assert sheet["A1"].value == "收入" and sheet["C1"].value == "支出"
