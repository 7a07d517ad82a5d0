"""Complete exports over HTTP on real reports: every matching row (not one page), with the
report's columns; XLSX amounts are numbers with a number format under a frozen header."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest
from openpyxl import load_workbook

from app.reports import export_rows
from tests.client import upload

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def json_pages(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = (await client.get(path, params={**params, "limit": 97, **({"cursor": cursor} if cursor else {})})).json()
        items += page["data"]
        if not (cursor := page["next_cursor"]):
            return items


def figures(items: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(report, code, column, amount) per printed figure, as the JSON pages give them."""
    return sorted((li["report_id"], li["code"] or "", v["column"] if v else "", v["amount"] if v else "")
                  for li in items for v in (li["values"] or [None]))


def csv_figures(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return sorted((r["report_id"], r["code"], r["column"], r["amount"]) for r in rows)


async def test_csv_and_xlsx_exports_hold_every_row(make_client, database_url: str, putuo_finance: bytes,
                                                   putuo_justice: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_rows, "PAGE", 50)  # the exporter reads keyset pages of 50: several per export
    async with make_client(database_url=database_url) as client:
        final = (await upload(client, putuo_finance)).json()
        budget = (await upload(client, putuo_justice)).json()
        items = await json_pages(client, "/line-items")
        assert len(items) == final["counts"]["line_items"] + budget["counts"]["line_items"] > 300

        resp = await client.get("/line-items", params={"format": "csv", "limit": 3})  # the limit is for pages
        assert resp.headers["content-type"].startswith("text/csv")
        assert resp.headers["content-disposition"].startswith("attachment;")
        rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
        assert csv_figures(rows) == figures(items)
        by_report = {final["id"]: final, budget["id"]: budget}
        for r in rows:
            rep = by_report[r["report_id"]]
            assert (r["department"], int(r["fiscal_year"]), r["kind"]) == \
                (rep["department"], rep["fiscal_year"], rep["kind"])
            assert r["table_title"] and r["table_kind"] and r["page"]
            if r["amount"]:
                assert r["unit"] == "万元" or r["unit"] == "元"
                factor = {"万元": Decimal(10000), "元": Decimal(1)}[r["unit"]]
                assert Decimal(r["amount_yuan"]) == (Decimal(r["amount"]) * factor).quantize(Decimal("0.01"))
        twin = await client.get("/line-items.csv")
        assert twin.content == resp.content

        # one code across reports, and one report's rows: the same figures as their JSON pages
        code = await client.get("/line-items.csv", params={"code": "201"})
        code_rows = list(csv.DictReader(io.StringIO(code.content.decode("utf-8-sig"))))
        assert csv_figures(code_rows) == figures(await json_pages(client, "/line-items", code="201"))
        one = await client.get(f"/reports/{final['id']}/line-items.csv")
        one_rows = list(csv.DictReader(io.StringIO(one.content.decode("utf-8-sig"))))
        assert len(one_rows) == sum(max(1, len(li["values"])) for li in items if li["report_id"] == final["id"])

        xlsx = await client.get(f"/reports/{final['id']}/line-items", params={"format": "xlsx", "limit": 1})
        assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(xlsx.content)).active
        assert ws.freeze_panes == "A2"
        head = [c.value for c in ws[1]]
        assert ws.max_row - 1 == len(one_rows)
        amount, yuan = head.index("amount") + 1, head.index("amount_yuan") + 1
        cells = [row[amount - 1] for row in ws.iter_rows(min_row=2) if row[amount - 1].value is not None]
        assert cells and all(c.data_type == "n" and "0.00" in c.number_format for c in cells)
        total = sum(Decimal(str(c.value)) for c in cells)
        assert total == sum(Decimal(r["amount"]) for r in one_rows if r["amount"])
        assert all(isinstance(row[yuan - 1].value, int | float) for row in ws.iter_rows(min_row=2)
                   if row[yuan - 1].value is not None)

        reports = await client.get("/reports", params={"format": "csv"})
        assert sorted(r["id"] for r in csv.DictReader(io.StringIO(reports.content.decode("utf-8-sig")))) == \
            sorted(by_report)
        missing = await client.get("/reports/no-such-report/line-items.csv")
        assert missing.status_code == 404 and missing.json()["code"] == "report_not_found"


async def test_report_workbook_and_fiscal_data_package(make_client, putuo_finance: bytes) -> None:
    async with make_client() as client:
        report = (await upload(client, putuo_finance)).json()
        rid = report["id"]
        tables = (await client.get(f"/reports/{rid}/tables")).json()["data"]
        wb = load_workbook(io.BytesIO((await client.get(f"/reports/{rid}/export.xlsx")).content))
        assert len(wb.sheetnames) == len(tables) == report["counts"]["tables"]
        ws = wb[wb.sheetnames[0]]  # 收入支出决算总表: its header rows frozen, amounts as numbers
        assert ws.freeze_panes and ws.freeze_panes != "A1"
        numbers = [c.value for row in ws.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
        assert Decimal("2940.05") in [Decimal(str(v)) for v in numbers]

        z = zipfile.ZipFile(io.BytesIO((await client.get(f"/reports/{rid}/datapackage.zip")).content))
        assert sorted(z.namelist()) == ["datapackage.json", "line-items.csv"]
        descriptor = orjson.loads(z.read("datapackage.json"))
        assert descriptor["profile"] == "fiscal-data-package"
        fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
        rows = list(csv.DictReader(io.StringIO(z.read("line-items.csv").decode("utf-8-sig"))))
        assert set(rows[0]) == set(fields)
        assert {r["phase"] for r in rows} == {"executed"}
        items = await json_pages(client, f"/reports/{rid}/line-items")
        coded = [(li["code"], v["amount"]) for li in items if li["code"] for v in li["values"]]
        assert sorted((r["functional_code"] or r["economic_code"], r["amount"]) for r in rows) == sorted(coded)
        assert any(r["economic_code"] == "30101" and not r["functional_code"] for r in rows)
        assert any(r["functional_code"] == "2010601" and not r["economic_code"] for r in rows)
        assert (await client.get("/reports/nope/datapackage.zip")).json()["code"] == "report_not_found"
