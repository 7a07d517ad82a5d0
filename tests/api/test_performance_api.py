"""Programmes and indicators over HTTP, with filters and CSV export (昭化 seed: ≥30次 style cells)."""

from __future__ import annotations

import pytest

from tests.client import upload
from tests.conftest import fixture_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_programmes_and_indicators_are_served_with_filters(make_client) -> None:
    data = fixture_pdf("seeds/seed001_zhaohua_2023_final.pdf").read_bytes()
    async with make_client() as client:
        report = (await upload(client, data, "zhaohua.pdf")).json()
        assert report["status"] == "parsed"
        rid = report["id"]
        programmes = (await client.get(f"/reports/{rid}/programmes")).json()["data"]
        assert len(programmes) == report["counts"]["programmes"] > 0
        first = programmes[0]
        assert first["scope"] == "project"
        assert first["name"]
        everything = (await client.get(f"/reports/{rid}/indicators", params={"limit": 1000})).json()["data"]
        assert len(everything) == report["counts"]["indicators"] > 0
        assert {i["operator"] for i in everything} <= {"≥", "≤", "=", ">", "<", "定性", None}
        # the printed cell "≥30次" is split into operator, target and unit
        checks = [i for i in everything if i["name"] == "开展全区定点医药机构检查次数"]
        assert checks
        assert (checks[0]["operator"], checks[0]["target"], checks[0]["unit"]) == ("≥", "30", "次")

        output = (await client.get(f"/reports/{rid}/indicators", params={"level1": "产出指标", "limit": 1000})).json()
        assert output["data"]
        assert all(i["level1"] == "产出指标" for i in output["data"])
        assert len(output["data"]) < len(everything)
        met = (await client.get(f"/reports/{rid}/indicators", params={"met": "true", "limit": 1000})).json()["data"]
        assert met
        assert all(i["met"] is True for i in met)
        by_prog = (await client.get(f"/reports/{rid}/indicators",
                                    params={"programme": first["id"], "limit": 1000})).json()["data"]
        assert by_prog
        assert {i["programme"]["id"] for i in by_prog} == {first["id"]}
        page1 = (await client.get(f"/reports/{rid}/indicators", params={"limit": 5})).json()
        page2 = (await client.get(f"/reports/{rid}/indicators",
                                  params={"limit": 5, "cursor": page1["next_cursor"]})).json()
        assert [i["id"] for i in page1["data"] + page2["data"]] == [i["id"] for i in everything[:10]]
        csv = await client.get(f"/reports/{rid}/indicators", params={"format": "csv"})
        assert csv.headers["content-type"].startswith("text/csv")
        assert "开展全区定点医药机构检查次数" in csv.content.decode("utf-8-sig")
