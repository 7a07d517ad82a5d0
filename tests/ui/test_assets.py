"""The review page's files: served at /ui/, every asset local (nothing fetched from another host)."""

from __future__ import annotations

import re

import pytest

from app.api.ui import UI_DIR
from tests.conftest import ClientFactory

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//"""
                    r"""|url\(\s*["']?(?:https?:)?//|fetch\(\s*["'`]https?:|@import""")


@pytest.mark.anyio
async def test_the_page_and_its_assets_are_served(make_client: ClientFactory) -> None:
    async with make_client() as client:
        root = await client.get("/ui", follow_redirects=True)
        assert root.status_code == 200 and root.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="([^"#]+)"', root.text)
        assert {"app.js", "style.css"} <= set(assets)
        for asset in assets:
            r = await client.get(f"/ui/{asset}")
            assert r.status_code == 200, asset
        missing = await client.get("/ui/nothing.js")
        assert missing.status_code == 404


def test_no_asset_comes_from_another_host() -> None:
    files = [p for p in UI_DIR.rglob("*") if p.is_file()]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{path.name} loads something remote: {REMOTE.search(text)}"


def test_the_font_stack_has_a_cjk_font() -> None:
    css = (UI_DIR / "style.css").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC" in css


@pytest.mark.anyio
async def test_the_page_is_public_and_the_evidence_is_not(make_client: ClientFactory) -> None:
    """AUTH=required: the page and its assets load without a key (the page asks for one); the API they call
    does not, and the page's own CSP admits only its files and the page images it fetches as blobs."""
    async with make_client(auth="required") as client:
        for path in ("/ui/", "/ui/index.html", "/ui/app.js", "/ui/style.css"):
            r = await client.get(path)
            assert r.status_code == 200, path
            csp = r.headers["content-security-policy"]
            assert "script-src 'self';" in csp and "img-src 'self' blob:;" in csp and "unsafe" not in csp
        assert (await client.get("/ui")).status_code in (307, 308)
        for path in ("/reports/0000/pages", "/reports/0000/pages/1.png", "/reports/0000/findings/x", "/reports"):
            r = await client.get(path)
            assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json", path
            assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        r = await client.get("/ui/%2e%2e/reports")  # public, but served from the page's folder only: never the API
        assert r.status_code == 404
