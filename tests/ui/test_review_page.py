"""The review page in a real browser (Playwright driving the system's Chromium) against a real server
that requires API keys: the page loads without one and asks for it, then upload a shared fixture
through the page, wait for its parse, open a finding, see the highlighted page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT, fixture_pdf, need
from tests.server import serve

pytestmark = pytest.mark.slow  # a browser and a real server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = ROOT / "docs" / "review-page.png"


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright import sync_api
    except ImportError:  # a dev dependency: only a partial install lacks it
        sync_api = None
    need(sync_api is not None, "playwright is not installed (pip install -e '.[dev]')")
    assert sync_api is not None
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
            yield context.new_page()
            context.close()
        finally:
            browser.close()


def test_upload_parse_and_see_a_finding_on_its_page(browser_page: Any, tmp_path: Path) -> None:
    page = browser_page
    pdf = fixture_pdf("real/putuo_finance_2024_final.pdf")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    errors: list[str] = []
    api_calls: list[tuple[str, str | None]] = []
    refused: list[str] = []
    api = lambda url: url.startswith("http") and "/ui/" not in url  # noqa: E731
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: api_calls.append((r.url, r.headers.get("authorization"))) if api(r.url) else None)
    page.on("response", lambda r: refused.append(r.url) if api(r.url) and r.status in (401, 403) else None)
    with serve(tmp_path, auth="required") as srv:
        key, base = srv.key("write", "review page"), srv.base
        # The page itself is public; its first API call is refused, so it asks for a key.
        loaded = page.goto(f"{base}/ui/")
        assert loaded is not None and loaded.status == 200
        page.locator("#key-form").wait_for(state="visible", timeout=30_000)
        assert refused and all(auth is None for _, auth in api_calls), (refused, api_calls)
        api_calls.clear()
        refused.clear()
        page.fill("#key-input", key)
        page.click("#key-form button[type=submit]")
        page.locator("#report-list table").wait_for(timeout=30_000)  # the refused list, asked again with the key
        page.set_input_files("#upload-file", str(pdf))
        page.click("#upload button[type=submit]")
        row = page.locator("tr.report-row[data-status=parsed]")
        row.wait_for(timeout=180_000)  # the list polls while the report parses
        page.screenshot(path=str(shots / "1-reports.png"), full_page=True)
        row.first.click()

        finding = page.locator("#findings .finding.error").first
        finding.wait_for(timeout=60_000)
        finding_id = finding.get_attribute("data-id")
        finding.click()
        image = page.locator("#page-image")
        page.wait_for_function(
            "id => { const i = document.querySelector('#page-image');"
            " return i && i.dataset.highlight === id && i.complete && i.naturalWidth > 0; }",
            arg=finding_id, timeout=60_000)
        assert image.is_visible()
        assert page.locator("#viewer-figures .swatch.checked").count() >= 1
        page.screenshot(path=str(shots / "2-finding.png"))

        # A sum check: the row it checked (red) and the rows it added up (blue) on one page.
        summed = page.locator("#findings .finding[data-rule='arith.hierarchy_sum']")
        if summed.count():
            page.locator("#findings > details").last.evaluate("d => d.open = true")
            summed.first.click()
            page.wait_for_function(
                "id => document.querySelector('#page-image').dataset.highlight === id"
                " && document.querySelector('#page-image').naturalWidth > 0",
                arg=summed.first.get_attribute("data-id"), timeout=60_000)
            assert page.locator("#viewer-figures .swatch.compared").count() >= 1
            page.screenshot(path=str(shots / "2b-sum-finding.png"))

        page.locator("#table-grid").scroll_into_view_if_needed()
        page.locator(".tabs button").nth(2).click()
        cell = page.locator("#table-grid td.cell[data-line-item]").nth(3)
        cell.wait_for(timeout=30_000)
        line_item = cell.get_attribute("data-line-item")
        cell.click()
        page.wait_for_function("id => document.querySelector('#page-image').dataset.highlight === id",
                               arg=line_item, timeout=60_000)
        page.screenshot(path=str(shots / "3-table-cell.png"))

        page.goto(f"{base}/ui/#/compare/208")
        page.locator("#compare-table tbody tr").first.wait_for(timeout=30_000)
        assert page.locator("svg.chart rect").count() >= 1
        page.screenshot(path=str(shots / "4-compare.png"))
    assert not errors, errors
    assert len(api_calls) > 10
    assert {auth for _, auth in api_calls} == {f"Bearer {key}"}, api_calls  # the key went on every call
    assert not refused, refused
    if not IN_CI:  # the README's picture, refreshed by a run on a developer's machine
        best = shots / "2b-sum-finding.png"
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(best if best.exists() else shots / "2-finding.png", SCREENSHOT)
    print(f"screenshots in {shots}")
