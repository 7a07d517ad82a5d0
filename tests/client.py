"""HTTP helpers for the tests."""

from __future__ import annotations

from typing import Any

import httpx


async def upload(client: httpx.AsyncClient, data: bytes, name: str = "report.pdf", *,
                 wait: bool = True, **form: Any) -> httpx.Response:
    return await client.post("/reports", params={"wait": str(wait).lower()},
                             files={"file": (name, data, "application/pdf")}, data=form)
