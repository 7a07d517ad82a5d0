"""The whole HTTP flow with PostgreSQL as the system of record."""

from __future__ import annotations

import pytest

from tests.client import upload
from tests.conftest import POSTGRES_URL, need, postgres_available, reset_postgres

pytestmark = [pytest.mark.anyio, pytest.mark.postgres, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_upload_and_read_on_postgres(make_client, putuo_justice: bytes) -> None:
    need(postgres_available(), f"PostgreSQL not reachable at {POSTGRES_URL}")
    reset_postgres()
    try:
        async with make_client(database_url=POSTGRES_URL) as client:
            r = await upload(client, putuo_justice)
            assert r.json()["status"] == "parsed", r.text
            rid = r.json()["id"]
            assert (await upload(client, putuo_justice)).json()["id"] == rid
            items = (await client.get("/line-items", params={"fiscal_year": 2026, "limit": 1000})).json()["data"]
            assert items and {li["report_id"] for li in items} == {rid}
            assert (await client.get("/readyz")).json()["database"] == "ok"
            assert (await client.get("/reports", params={"has_errors": "false"})).status_code == 200
    finally:
        reset_postgres()
