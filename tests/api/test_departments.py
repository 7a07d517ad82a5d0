"""What is loaded, over HTTP on real corpus reports, on SQLite and PostgreSQL: departments with their
reports by year and kind, fiscal years, and the search that tolerates abbreviated and reordered names."""

from __future__ import annotations

import pytest

from tests.client import upload
from tests.conftest import fixture_pdf
from tests.pdfs import text_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # real uploads and parses

CORPUS = ("corpus/001__001_上海__2026年上海市交通运输局_部门预算.pdf",
          "corpus/013__001_上海__2026年上海市工业和信息化局_部门预算.pdf")
# the corpus has no 医疗保障局 report: a built cover of one (no tables) stands in
YUXI = ["玉溪市医疗保障局", "2022年度部门决算", "", "一、部门职责", "负责全市医疗保障工作。"]


async def test_departments_fiscal_years_and_search(make_client, database_url: str) -> None:
    async with make_client(database_url=database_url) as client:
        ids = {}
        for path in CORPUS:
            body = (await upload(client, fixture_pdf(path).read_bytes())).json()
            assert body["status"] == "parsed"
            ids[body["department"]] = body["id"]
        yuxi = (await upload(client, text_pdf(YUXI))).json()
        ids[yuxi["department"]] = yuxi["id"]
        assert len(ids) == 3 and "玉溪市医疗保障局" in ids
        shanghai_a, shanghai_b = sorted(n for n in ids if n != "玉溪市医疗保障局")

        listed = (await client.get("/departments")).json()
        assert [d["name"] for d in listed["data"]] == sorted(ids) and listed["next_cursor"] is None
        shanghai = next(d for d in listed["data"] if d["name"] == shanghai_a)
        assert shanghai["counts"] == {"reports": 1, "budget": 1, "final": 0, "unknown": 0}
        assert shanghai["years"] == [{"fiscal_year": 2026, "budget": [ids[shanghai_a]], "final": [],
                                      "unknown": []}]
        assert shanghai["reports"][0]["status"] == "parsed"

        first = (await client.get("/departments", params={"limit": 2})).json()
        rest = (await client.get("/departments", params={"limit": 2, "cursor": first["next_cursor"]})).json()
        assert [d["name"] for d in first["data"] + rest["data"]] == sorted(ids) and rest["next_cursor"] is None
        finals = (await client.get("/departments", params={"kind": "final"})).json()["data"]
        assert [d["name"] for d in finals] == ["玉溪市医疗保障局"]

        async def search(q: str) -> list[str]:
            r = await client.get("/departments", params={"q": q})
            assert r.status_code == 200, r.text
            return [d["name"] for d in r.json()["data"]]

        assert (await search("医保"))[0] == "玉溪市医疗保障局"  # an abbreviation
        for name in (shanghai_a, shanghai_b):
            half = len(name) // 2
            assert (await search(name[half:] + name[:half]))[0] == name  # reordered
            assert (await search(f"{name[half:]} {name[:half]}"))[0] == name  # words apart, reordered
            assert (await search(name[1:-1]))[0] == name  # partial
        assert await search("气象") == []
        paged = (await client.get("/departments", params={"q": "上海", "limit": 1})).json()
        assert len(paged["data"]) == 1 and paged["next_cursor"]
        bad = await client.get("/departments", params={"q": "上海", "cursor": first["next_cursor"]})
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"

        assert {d["name"] for d in (await client.get("/departments", params={"fiscal_year": 2022})).json()["data"]} \
            == {"玉溪市医疗保障局"}
        years = (await client.get("/fiscal-years")).json()["data"]
        assert years == [
            {"fiscal_year": 2026, "counts": {"reports": 2, "budget": 2, "final": 0, "unknown": 0}, "departments": 2},
            {"fiscal_year": 2022, "counts": {"reports": 1, "budget": 0, "final": 1, "unknown": 0}, "departments": 1}]
