"""One shape per resource: the CLI document, the API and the CSV export give a report's line items,
tables, programmes, indicators and findings identically; re-validation reads the stored parse,
not the PDF; code queries across reports page through every match exactly once."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.client import upload
from tests.conftest import ROOT, fixture_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses

TIMES = {"created_at", "updated_at", "parsed_at", "checked_at", "timings_ms"}


def extract(pdf: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "app", "extract", str(pdf)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc: dict = json.loads(proc.stdout)
    return doc


def untimed(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in TIMES}


async def test_cli_api_and_csv_give_the_same_resources(make_client) -> None:
    pdf = fixture_pdf("real/putuo_justice_2026_dept_budget.pdf")
    doc = extract(pdf)
    async with make_client() as client:
        report = (await upload(client, pdf.read_bytes(), pdf.name)).json()
        rid = report["id"]
        assert untimed(report) == untimed(doc["report"])
        items = (await client.get(f"/reports/{rid}/line-items", params={"limit": 1000})).json()
        assert items["next_cursor"] is None
        assert items["data"] == doc["line_items"]
        tables = (await client.get(f"/reports/{rid}/tables")).json()["data"]
        assert tables == [{k: v for k, v in t.items() if k not in {"grid", "rows"}} for t in doc["tables"]]
        first = (await client.get(f"/reports/{rid}/tables/{tables[0]['id']}")).json()
        assert first == doc["tables"][0]
        assert (await client.get(f"/reports/{rid}/programmes")).json()["data"] == doc["programmes"]
        indicators = (await client.get(f"/reports/{rid}/indicators", params={"limit": 1000})).json()["data"]
        assert indicators == doc["indicators"]
        validation = (await client.get(f"/reports/{rid}/validation")).json()
        assert untimed(validation) == untimed(doc["validation"])
        body = (await client.get(f"/reports/{rid}/line-items", params={"limit": 1000, "format": "csv"})).content
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        expected = [(li["code"] or "", li["name"], v["column"], v["amount"], v["amount_yuan"])
                    for li in doc["line_items"] for v in li["values"] or [None] if v is not None]
        got = [(r["code"], r["name"], r["column"], r["amount"], r["amount_yuan"]) for r in rows if r["column"]]
        assert got == expected


async def test_revalidation_reads_the_stored_parse_not_the_pdf(make_client, tmp_path: Path,
                                                               putuo_justice: bytes) -> None:
    async with make_client() as client:
        report = (await upload(client, putuo_justice)).json()
        before = (await client.get(f"/reports/{report['id']}/validation")).json()
        stored = list((tmp_path / "data").rglob(f"{report['file']['sha256']}.pdf"))
        assert len(stored) == 1
        stored[0].unlink()  # a re-parse could not run now
        after = await client.post(f"/reports/{report['id']}/validation")
        assert after.status_code == 200, after.text
        again = after.json()
        assert again["checked_at"] != before["checked_at"]
        assert {k: v for k, v in again.items() if k != "checked_at"} == \
            {k: v for k, v in before.items() if k != "checked_at"}


async def test_code_query_across_reports_pages_every_match_once(make_client, putuo_finance: bytes,
                                                                putuo_justice: bytes) -> None:
    async with make_client() as client:
        for data in (putuo_finance, putuo_justice):
            assert (await upload(client, data)).json()["status"] == "parsed"
        whole = (await client.get("/line-items", params={"code": "2", "limit": 1000})).json()
        assert whole["next_cursor"] is None and len(whole["data"]) > 6
        assert len({li["report_id"] for li in whole["data"]}) == 2
        paged, cursor, cursors = [], None, []
        while True:
            params = {"code": "2", "limit": 7, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/line-items", params=params)).json()
            paged += page["data"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            cursors.append(cursor)
        assert [li["id"] for li in paged] == [li["id"] for li in whole["data"]]
        assert all(li["code"].startswith("2") for li in paged)
        codes = [li["code"] for li in paged]
        assert codes == sorted(codes)  # in the code index's order
        # a cursor of one listing is refused by another
        bad = await client.get("/line-items", params={"cursor": cursors[0]})
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
