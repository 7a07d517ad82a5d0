"""/docs and /redoc work on a machine without internet: the pages name no other host, every asset
they reference is served here (without a key, on a server that requires one), and the CSP allows
'self' only."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.server import serve

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

REFERENCE = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|url:\s*'([^']+)'""")


def test_docs_pages_are_served_from_local_assets_only(tmp_path: Path) -> None:
    with serve(tmp_path, auth="required") as srv, httpx.Client(base_url=srv.base) as c:
        for page in ("/docs", "/redoc"):
            r = c.get(page)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
            html = r.text
            assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
            csp = r.headers["content-security-policy"]
            assert "http" not in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in \
                csp.split("script-src")[1].split(";")[0]
            refs = [a or b for a, b in REFERENCE.findall(html)]
            assert any(ref.endswith(".js") for ref in refs) and "/openapi.json" in refs, refs
            for ref in refs:
                asset = c.get(ref)
                assert asset.status_code == 200, (page, ref, asset.status_code)
                assert asset.content, ref
        assert c.get("/openapi.json").json()["openapi"].startswith("3.")
        assert c.get("/reports").status_code == 401  # the data itself still needs a key
