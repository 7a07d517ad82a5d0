"""HTTP helpers for the tests."""

from __future__ import annotations

from typing import Any

import httpx


async def upload(client: httpx.AsyncClient, data: bytes, name: str = "report.pdf", *,
                 wait: bool = True, **form: Any) -> httpx.Response:
    return await client.post("/reports", params={"wait": str(wait).lower()},
                             files={"file": (name, data, "application/pdf")}, data=form)


def assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """An RFC 9457 problem with this status and stable code, a title and a detail."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    assert body["status"] == status and body["title"] and body["detail"], body
    return body
