"""pages_done follows the parse: the parser process writes it as pages are read."""

from __future__ import annotations

import asyncio

import pytest

from tests.client import upload
from tests.jobs.test_limits import largest_corpus_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_pages_done_grows_while_a_report_parses(make_client) -> None:
    data = largest_corpus_pdf()
    async with make_client() as client:
        r = await upload(client, data, wait=False)
        rid = r.json()["id"]
        seen: set[int] = set()
        total = None
        for _ in range(3000):
            jobs = [j for j in (await client.get("/jobs")).json()["data"] if j["report_id"] == rid]
            if jobs and jobs[0]["pages_total"]:
                total = jobs[0]["pages_total"]
                if jobs[0]["pages_done"] is not None:
                    seen.add(jobs[0]["pages_done"])
            if jobs and jobs[0]["state"] in {"succeeded", "failed"}:
                break
            await asyncio.sleep(0.05)
        assert (await client.get(f"/reports/{rid}")).json()["status"] == "parsed"
        assert total is not None and total >= 20
        partial = sorted(n for n in seen if 0 < n < total)
        assert partial, f"pages_done never showed a page between 0 and {total}: {sorted(seen)}"
        assert max(seen) == total


async def test_the_progress_counts_the_pages_read_by_ocr(make_client) -> None:
    from app.parsing.pages import ocr
    from tests.conftest import fixture_pdf
    from tests.parsing.test_ocr import JUSTICE, scanned

    if not ocr.available():
        pytest.skip(f"the OCR engine is not installed ({ocr.INSTALL_HINT})")
    data = scanned(fixture_pdf(f"{JUSTICE}.pdf"), range(10, 12), dpi=100)
    async with make_client() as client:
        r = await upload(client, data)
        assert r.status_code == 200, r.text[:500]
        rid = r.json()["id"]
        job = next(j for j in (await client.get("/jobs")).json()["data"] if j["report_id"] == rid)
        assert (job["state"], job["pages_done"], job["pages_ocr"]) == ("succeeded", 2, 2)
        r = await upload(client, fixture_pdf(f"{JUSTICE}.pdf").read_bytes())  # the same report with its text
        job = next(j for j in (await client.get("/jobs")).json()["data"] if j["report_id"] == r.json()["id"])
        assert job["pages_done"] > 2 and job["pages_ocr"] == 0
