"""Bad input: a clear problem+json with a stable code, never a 500; refused files are kept."""

from __future__ import annotations

import pytest

from tests.client import assert_problem, upload
from tests.conftest import SHARED_FIXTURES, need
from tests.pdfs import image_only_pdf, text_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_html_saved_as_pdf_is_415(make_client) -> None:
    html = sorted(p for p in (SHARED_FIXTURES / "corpus").glob("*.pdf") if p.read_bytes()[:9].lower() == b"<!doctype")
    need(bool(html), "no HTML-as-PDF file in the shared corpus")
    async with make_client() as client:
        r = await upload(client, html[0].read_bytes(), html[0].name)
        assert_problem(r, 415, "unsupported_media_type")


async def test_empty_file_is_400(make_client) -> None:
    async with make_client() as client:
        assert_problem(await upload(client, b""), 400, "empty_file")


async def test_missing_file_field_is_400(make_client) -> None:
    async with make_client() as client:
        r = await client.post("/reports", data={"department": "x"})
        assert_problem(r, 400, "missing_file")


async def test_oversized_upload_is_413(make_client) -> None:
    async with make_client(max_upload_bytes=1000) as client:
        r = await upload(client, b"%PDF-1.7\n" + b"0" * 5000)
        assert_problem(r, 413, "file_too_large")


async def test_truncated_pdf_fails_with_pdf_unreadable_and_keeps_bytes(make_client, putuo_justice: bytes) -> None:
    truncated = putuo_justice[: len(putuo_justice) // 2]
    async with make_client() as client:
        r = await upload(client, truncated, "truncated.pdf")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "failed"
        assert body["error"]["code"] == "pdf_unreadable"
        f = await client.get(f"/reports/{body['id']}/file")
        assert f.status_code == 200
        assert f.content == truncated


async def test_encrypted_pdf_fails_with_pdf_encrypted(make_client) -> None:
    async with make_client() as client:
        r = await upload(client, text_pdf(["2026年部门预算"], encrypt_with="secret"), "locked.pdf")
        assert r.json()["status"] == "failed"
        assert r.json()["error"]["code"] == "pdf_encrypted"


async def test_image_only_pdf_fails_with_no_text_layer(make_client) -> None:
    async with make_client() as client:
        r = await upload(client, image_only_pdf(), "scan.pdf")
        assert r.json()["status"] == "failed"
        assert r.json()["error"]["code"] == "no_text_layer"


async def test_unknown_report_and_route_are_problems(make_client) -> None:
    async with make_client() as client:
        assert_problem(await client.get("/reports/does-not-exist"), 404, "report_not_found")
        assert_problem(await client.get("/reports/does-not-exist/line-items"), 404, "report_not_found")
        assert_problem(await client.get("/no-such-route"), 404, "not_found")
        assert_problem(await client.get("/reports", params={"limit": 0}), 422, "invalid_request")
        assert_problem(await client.get("/reports", params={"cursor": "%%%"}), 400, "invalid_cursor")
