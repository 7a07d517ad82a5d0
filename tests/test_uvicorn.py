"""A real server process: `python -m app serve`, a real HTTP client, a real upload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server import serving

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path) as base:
        yield base


def test_upload_over_real_http(server: str, putuo_justice: bytes, tmp_path: Path) -> None:
    with httpx.Client(base_url=server, timeout=300) as client:
        r = client.post("/reports", params={"wait": "true"},
                        files={"file": ("putuo_justice_2026_dept_budget.pdf", putuo_justice, "application/pdf")})
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["status"] == "parsed"
        assert client.get(f"/reports/{report['id']}/file").content == putuo_justice
        assert client.get("/reports").json()["data"][0]["id"] == report["id"]
        bad = client.post("/reports", files={"file": ("x.pdf", b"GIF89a....", "application/pdf")})
        assert bad.status_code == 415
        assert bad.headers["content-type"].startswith("application/problem+json")
    assert (tmp_path / "data" / "reports.db").exists()
