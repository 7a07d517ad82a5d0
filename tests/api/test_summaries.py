"""Headline figures over HTTP on a real 部门决算: the summary, the cross-report query, the
department's history, and their rewrite on re-validation."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.client import upload

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses

# printed in putuo_finance_2024_final.pdf (万元): 收入支出决算总表 pp. 6–7, 支出决算表 p. 10,
# 一般公共预算财政拨款基本支出决算表 p. 17, 财政拨款“三公”经费支出决算表 p. 18 (决算数 left empty)
PRINTED = {
    "revenue_total": ("2995.39", 7),
    "expenditure_total": ("2995.39", 7),
    "revenue_this_year": ("2946.25", 6),
    "expenditure_this_year": ("2940.05", 6),
    "fiscal_grant_revenue": ("2940.05", 6),
    "general_public_budget": ("2940.05", 6),
    "basic": ("2336.91", 10),
    "project": ("603.14", 10),
    "personnel": ("2152.26", 17),
    "public": ("184.65", 17),
    "sangong_total": ("0.00", 18),
    "sangong_travel_abroad": ("0.00", 18),
    "sangong_vehicles": ("0.00", 18),
    "sangong_vehicle_purchase": ("0.00", 18),
    "sangong_vehicle_operation": ("0.00", 18),
    "sangong_reception": ("0.00", 18),
}


async def test_report_summary_gives_the_printed_headline_figures(make_client, database_url: str,
                                                                 putuo_finance: bytes) -> None:
    async with make_client(database_url=database_url) as client:
        report = (await upload(client, putuo_finance)).json()
        rid = report["id"]
        body = (await client.get(f"/reports/{rid}/summary")).json()
        assert body["report_id"] == rid
        got = {f["key"]: f for f in body["figures"]}
        assert {k: (Decimal(f["amount"]), f["source"]["page"]) for k, f in got.items() if k in PRINTED} == \
            {k: (Decimal(a), p) for k, (a, p) in PRINTED.items()}
        assert set(got) - set(PRINTED) <= {"admin_operation"}  # nothing the report does not print
        total = got["revenue_total"]
        assert total["label"] == "收入总计" and total["amount_unit"] == "万元"
        assert Decimal(total["amount_yuan"]) == Decimal("29953900.00")
        tables = {t["id"]: t for t in (await client.get(f"/reports/{rid}/tables")).json()["data"]}
        for f in got.values():
            assert tables[f["source"]["table_id"]]["kind"] in {
                "income_expenditure_summary", "expenditure", "general_public_basic", "three_public",
                "general_public_expenditure", "basic_expenditure", "agency_operation"}
            x0, top, x1, bottom = f["source"]["bbox"]
            assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 842
        # the summary table's 总计 is printed on its second page, at the bottom of the table
        assert got["revenue_total"]["source"]["bbox"][1] < 200

        # across reports: one key, one year and kind — an index read of the stored figures
        across = (await client.get("/summaries", params={"key": "basic", "fiscal_year": 2024, "kind": "final"})).json()
        assert [(f["report_id"], f["amount"], f["department"]) for f in across["data"]] == \
            [(rid, got["basic"]["amount"], "上海市普陀区财政局")]
        assert (await client.get("/summaries", params={"fiscal_year": 2023})).json()["data"] == []
        every = (await client.get("/summaries", params={"limit": 5})).json()
        assert len(every["data"]) == 5 and every["next_cursor"]
        rest = (await client.get("/summaries", params={"limit": 1000, "cursor": every["next_cursor"]})).json()
        assert len(every["data"]) + len(rest["data"]) == len(got)
        text = (await client.get("/summaries.csv", params={"key": "revenue_total"})).content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r["report_id"], r["key"], r["amount"], r["amount_unit"]) for r in rows] == \
            [(rid, "revenue_total", "2995.39", "万元")]
        bad = await client.get("/summaries", params={"key": "no_such_key"})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")

        # re-validation rewrites the figures from the stored parse: the same amounts and places
        assert (await client.post(f"/reports/{rid}/validation")).status_code == 200
        again = (await client.get(f"/reports/{rid}/summary")).json()["figures"]
        assert [(f["key"], f["amount"], f["source"]["table_id"], f["source"]["page"]) for f in again] == \
            [(f["key"], f["amount"], f["source"]["table_id"], f["source"]["page"]) for f in body["figures"]]

        missing = await client.get("/reports/no-such-report/summary")
        assert missing.status_code == 404 and missing.json()["code"] == "report_not_found"
        # a deleted report takes its figures with it
        assert (await client.delete(f"/reports/{rid}")).status_code == 204
        assert (await client.get("/summaries")).json()["data"] == []


async def test_department_history_puts_budget_beside_final(make_client, putuo_finance: bytes,
                                                           putuo_justice: bytes) -> None:
    async with make_client() as client:
        final = (await upload(client, putuo_finance)).json()
        budget = (await upload(client, putuo_justice)).json()
        dept = final["department"]
        hist = (await client.get(f"/departments/{dept}/history", params={"code": "2010601"})).json()
        assert hist["department"] == dept and hist["code"] == "2010601"
        assert [y["fiscal_year"] for y in hist["years"]] == [2024]
        year = hist["years"][0]
        assert year["budget"] is None
        assert year["final"]["report_id"] == final["id"]
        assert {f["key"] for f in year["final"]["figures"]} >= {"revenue_total", "basic", "project"}
        rows = year["final"]["line_items"]
        assert rows and all(r["code"] == "2010601" and r["report_id"] == final["id"] for r in rows)
        assert any(v["amount"] == "1511.89" for r in rows for v in r["values"])  # 行政运行, as printed

        other = (await client.get(f"/departments/{budget['department']}/history")).json()
        assert [(y["fiscal_year"], y["final"], y["budget"]["report_id"]) for y in other["years"]] == \
            [(2026, None, budget["id"])]
        assert other["years"][0]["budget"]["line_items"] == []  # no code asked for

        missing = await client.get("/departments/不存在的部门/history")
        assert missing.status_code == 404 and missing.json()["code"] == "department_not_found"
        none = (await client.get(f"/departments/{dept}/history", params={"code": "20x"})).json()
        assert [y["final"]["line_items"] for y in none["years"]] == [[]]
