"""Upload → parse → store → read, over HTTP, on the shared real PDFs."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from tests.client import upload

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_upload_wait_returns_parsed_report_and_its_resources(make_client, putuo_finance: bytes) -> None:
    async with make_client() as client:
        r = await upload(client, putuo_finance, "putuo_finance_2024_final.pdf")
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["status"] == "parsed", report
        assert r.headers["location"] == f"/reports/{report['id']}"
        assert report["file"]["pages"] == 25
        assert report["file"]["size_bytes"] == len(putuo_finance)
        rid = report["id"]

        same = await upload(client, putuo_finance, "again.pdf")
        assert same.status_code == 200
        assert same.json()["id"] == rid

        for path in ("tables", "line-items", "programmes", "indicators"):
            resp = await client.get(f"/reports/{rid}/{path}")
            assert resp.status_code == 200, (path, resp.text)
            assert "data" in resp.json() and "next_cursor" in resp.json()
        validation = (await client.get(f"/reports/{rid}/validation")).json()
        assert validation["report_id"] == rid
        assert validation["rules_run"] + len(validation["rules_skipped"]) >= 1
        assert set(validation["counts"]) == {"error", "warning", "info"}
        f = await client.get(f"/reports/{rid}/file")
        assert f.content == putuo_finance
        assert f.headers["content-type"] == "application/pdf"


async def test_coded_line_items_over_http(make_client, putuo_finance: bytes) -> None:
    """The 支出决算表 of 普陀区财政局 prints 2010601 行政运行 with 本年支出合计 1,511.89 万元 (p10)."""
    async with make_client() as client:
        rid = (await upload(client, putuo_finance)).json()["id"]
        r = await client.get(f"/reports/{rid}/line-items", params={"code": "2010601"})
        items = r.json()["data"]
        assert items, "2010601 was not extracted"
        amounts = {Decimal(v["amount"]) for li in items for v in li["values"]}
        assert Decimal("1511.89") in amounts
        li = next(li for li in items if any(Decimal(v["amount"]) == Decimal("1511.89") for v in li["values"]))
        assert li["classification"] == "functional"
        assert li["level"] == 3
        assert li["parent_code"] == "20106"
        v = next(v for v in li["values"] if Decimal(v["amount"]) == Decimal("1511.89"))
        assert v["amount_yuan"] == "15118900.00"
        assert all(x["code"].startswith("2010601") for x in items)

        economic = (await client.get(f"/reports/{rid}/line-items",
                                     params={"classification": "economic", "limit": 1000})).json()["data"]
        assert economic and all(x["classification"] == "economic" for x in economic)


async def test_line_items_pagination_is_stable_and_complete(make_client, putuo_finance: bytes) -> None:
    async with make_client() as client:
        rid = (await upload(client, putuo_finance)).json()["id"]
        everything = (await client.get(f"/reports/{rid}/line-items", params={"limit": 1000})).json()
        assert everything["next_cursor"] is None
        seen, cursor = [], None
        while True:
            params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(f"/reports/{rid}/line-items", params=params)).json()
            seen.extend(li["id"] for li in page["data"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == [li["id"] for li in everything["data"]]
        assert len(seen) > 7


async def test_cross_report_line_items_with_report_filters(make_client, putuo_finance: bytes,
                                                           putuo_justice: bytes) -> None:
    async with make_client() as client:
        fin = (await upload(client, putuo_finance)).json()
        jus = (await upload(client, putuo_justice)).json()
        assert fin["kind"] == "final" and jus["kind"] == "budget"
        both = (await client.get("/line-items", params={"row_kind": "subject", "limit": 1000})).json()["data"]
        assert {li["report_id"] for li in both} == {fin["id"], jus["id"]}
        budget = (await client.get("/line-items", params={"kind": "budget", "limit": 1000})).json()["data"]
        assert budget and {li["report_id"] for li in budget} == {jus["id"]}
        year = (await client.get("/line-items", params={"fiscal_year": 2024, "code": "201"})).json()["data"]
        assert year and all(li["report_id"] == fin["id"] and li["code"].startswith("201") for li in year)
        dept = (await client.get("/line-items", params={"department": "司法局", "limit": 5})).json()
        assert dept["data"] and {li["report_id"] for li in dept["data"]} == {jus["id"]}
        assert dept["next_cursor"]
        listed = (await client.get("/reports", params={"kind": "final"})).json()["data"]
        assert [r["id"] for r in listed] == [fin["id"]]


async def test_upload_without_wait_is_202_then_parsed(make_client, putuo_justice: bytes) -> None:
    async with make_client() as client:
        r = await upload(client, putuo_justice, wait=False)
        assert r.status_code == 202
        assert r.json()["status"] in {"queued", "parsing"}
        seen = {r.json()["status"]}
        for _ in range(600):
            report = (await client.get(r.headers["location"])).json()
            seen.add(report["status"])
            if report["status"] in {"parsed", "failed"}:
                break
            await asyncio.sleep(0.1)
        assert report["status"] == "parsed"
        assert report["counts"]["line_items"] > 0


async def test_exports_csv_and_xlsx(make_client, putuo_finance: bytes) -> None:
    async with make_client() as client:
        rid = (await upload(client, putuo_finance)).json()["id"]
        csv = await client.get(f"/reports/{rid}/line-items", params={"format": "csv", "code": "2010601"})
        assert csv.headers["content-type"].startswith("text/csv")
        text = csv.content.decode("utf-8")
        assert text.startswith("\ufeffreport_id,")
        assert "1511.89" in text and "行政运行" in text
        xlsx = await client.get(f"/reports/{rid}/line-items", params={"format": "xlsx"})
        assert xlsx.content[:2] == b"PK"
        tables = (await client.get(f"/reports/{rid}/tables")).json()["data"]
        table = (await client.get(f"/reports/{rid}/tables/{tables[0]['id']}")).json()
        assert table["grid"]
        assert (await client.get(f"/reports/{rid}/tables/{rid}-t999")).json()["code"] == "table_not_found"


async def test_delete_reparse_and_revalidate(make_client, putuo_justice: bytes) -> None:
    async with make_client() as client:
        rid = (await upload(client, putuo_justice)).json()["id"]
        before = (await client.get(f"/reports/{rid}/line-items", params={"limit": 1000})).json()["data"]
        again = await client.post(f"/reports/{rid}/reparse", params={"wait": "true"})
        assert again.status_code == 200 and again.json()["status"] == "parsed"
        after = (await client.get(f"/reports/{rid}/line-items", params={"limit": 1000})).json()["data"]
        assert [li["values"] for li in after] == [li["values"] for li in before]
        v = await client.post(f"/reports/{rid}/validation")
        assert v.status_code == 200 and v.json()["checked_at"]
        assert (await client.delete(f"/reports/{rid}")).status_code == 204
        assert (await client.get(f"/reports/{rid}")).status_code == 404
        assert (await client.get(f"/reports/{rid}/line-items")).status_code == 404
        back = await upload(client, putuo_justice)
        assert back.json()["id"] == rid and back.json()["status"] == "parsed"


async def test_service_endpoints(make_client) -> None:
    async with make_client() as client:
        assert (await client.get("/healthz")).json()["status"] == "ok"
        assert (await client.get("/readyz")).json() == {"status": "ok", "database": "ok"}
        rules = (await client.get("/rules")).json()["data"]
        assert any(r["id"] == "arith.hierarchy_sum" for r in rules)
        assert (await client.get("/docs")).status_code == 200
        subjects = (await client.get("/subjects", params={"code": "2", "limit": 2})).json()
        assert len(subjects["data"]) == 2
        assert all(s["code"].startswith("2") for s in subjects["data"])
        assert subjects["next_cursor"]
        rest = (await client.get("/subjects", params={"code": "2", "cursor": subjects["next_cursor"]})).json()
        assert rest["data"][0]["code"] not in {s["code"] for s in subjects["data"]}
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        assert "report_parse_seconds" in metrics.text


async def test_concurrent_uploads_of_the_same_bytes_make_one_report(make_client, putuo_justice: bytes) -> None:
    async with make_client() as client:
        responses = await asyncio.gather(*(upload(client, putuo_justice, f"copy{i}.pdf", wait=False)
                                           for i in range(4)))
        assert all(r.status_code in {200, 202} for r in responses), [r.text for r in responses]
        assert len({r.json()["id"] for r in responses}) == 1
        listed = (await client.get("/reports")).json()["data"]
        assert len(listed) == 1
