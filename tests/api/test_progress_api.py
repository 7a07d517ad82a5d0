"""GET /reports/{id} carries the parse's progress while it runs (from the job row), null otherwise."""

from __future__ import annotations

import asyncio

import pytest

from tests.client import upload
from tests.jobs.test_limits import largest_corpus_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # real uploads and parses


async def test_progress_while_parsing(make_client) -> None:
    async with make_client() as client:
        rid = (await upload(client, largest_corpus_pdf(), wait=False)).json()["id"]
        seen = []
        for _ in range(3000):
            report = (await client.get(f"/reports/{rid}")).json()
            if report["status"] == "parsing" and report["progress"]:
                seen.append(report["progress"])
            if report["status"] in {"parsed", "failed"} or any(p["pages_done"] for p in seen):
                break
            await asyncio.sleep(0.05)
        assert seen, "no progress was shown while parsing"
        assert all(p["pages_total"] >= 20 and p["stage"] in {"starting", "parsing", "saving"} for p in seen
                   if p["pages_total"])
        assert any(p["pages_done"] for p in seen), seen
        for _ in range(3000):
            report = (await client.get(f"/reports/{rid}")).json()
            if report["status"] in {"parsed", "failed"}:
                break
            await asyncio.sleep(0.1)
        assert report["status"] == "parsed" and report["progress"] is None
