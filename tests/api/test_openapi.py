"""The committed OpenAPI document is the contract: it must equal what the app serves."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_served_openapi_equals_committed(make_client) -> None:
    committed = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    async with make_client() as client:
        served = (await client.get("/openapi.json")).json()
    assert served == committed, "openapi/openapi.json is stale: run scripts/export_openapi.py"


async def test_operation_ids_are_stable_and_unique(make_client) -> None:
    async with make_client() as client:
        spec = (await client.get("/openapi.json")).json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert {"upload_report", "get_report", "list_line_items", "get_report_validation"} <= set(ids)
