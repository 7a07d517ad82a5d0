"""Bulk upload over HTTP with real reports: many `file` parts or a zip (bounded, per-member problems),
the batch's counts by status; and what POST /reports refuses (a zip, two files)."""

from __future__ import annotations

import asyncio
import io
import zipfile

import pytest

from tests.client import upload
from tests.conftest import fixture_pdf
from tests.pdfs import text_pdf

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # real uploads and parses

SMALL = "corpus/013__001_上海__2026年上海市工业和信息化局_部门预算.pdf"


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


async def _done(client, batch_id: str) -> dict:
    for _ in range(600):
        body = (await client.get(f"/batches/{batch_id}")).json()
        if body["done"]:
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"the batch did not finish: {body}")


async def test_a_batch_of_parts_and_a_zip(make_client, database_url: str, putuo_justice: bytes) -> None:
    small = fixture_pdf(SMALL).read_bytes()
    letter = text_pdf(["关于召开工作会议的通知", "各处室：定于下周一召开工作会议。"])
    inner = _zip({"a.pdf": letter})
    archive = _zip({"reports/justice.pdf": putuo_justice, "../escape.pdf": small, "nested.zip": inner,
                    "notes.txt": b"not a pdf", "again/small.pdf": small}, zipfile.ZIP_STORED)
    async with make_client(database_url=database_url) as client:
        r = await client.post("/batches", files=[("file", ("small.pdf", small, "application/pdf")),
                                                 ("file", ("letter.pdf", letter, "application/pdf")),
                                                 ("file", ("page.pdf", b"<!DOCTYPE html><html></html>", "text/html")),
                                                 ("file", ("bundle.zip", archive, "application/zip"))])
        assert r.status_code == 202, r.text
        batch = r.json()
        assert r.headers["location"] == f"/batches/{batch['id']}"
        entries = {e["filename"]: e for e in batch["entries"]}
        assert list(entries) == ["small.pdf", "letter.pdf", "page.pdf", "bundle.zip/reports/justice.pdf",
                                 "bundle.zip/../escape.pdf", "bundle.zip/nested.zip", "bundle.zip/notes.txt",
                                 "bundle.zip/again/small.pdf"]
        problems = {name: e["problem"]["code"] for name, e in entries.items() if e["problem"]}
        assert problems == {"page.pdf": "unsupported_media_type", "bundle.zip/../escape.pdf": "unsafe_path",
                            "bundle.zip/nested.zip": "nested_archive",
                            "bundle.zip/notes.txt": "unsupported_media_type"}
        assert all(entries[n]["report_id"] is None and entries[n]["status"] == "refused" for n in problems)
        # the same bytes twice are one report, made once
        assert entries["bundle.zip/again/small.pdf"]["report_id"] == entries["small.pdf"]["report_id"]
        assert entries["small.pdf"]["created"] and not entries["bundle.zip/again/small.pdf"]["created"]
        assert batch["files"] == 8 and batch["counts"]["refused"] == 4

        done = await _done(client, batch["id"])
        assert done["counts"] == {"queued": 0, "parsing": 0, "parsed": 3, "failed": 0, "refused": 4, "deleted": 0}
        for e in done["entries"]:
            if e["report_id"]:
                report = (await client.get(f"/reports/{e['report_id']}")).json()
                assert report["status"] == e["status"] == "parsed"
        # every stored upload is kept, byte for byte
        justice = entries["bundle.zip/reports/justice.pdf"]["report_id"]
        assert (await client.get(f"/reports/{justice}/file")).content == putuo_justice
        assert (await client.get(f"/reports/{justice}")).json()["file"]["name"] == "justice.pdf"

        missing = await client.get("/batches/nope")
        assert missing.status_code == 404 and missing.json()["code"] == "batch_not_found"
        empty = await client.post("/batches", files=[("other", ("x.pdf", small, "application/pdf"))])
        assert empty.status_code == 400 and empty.json()["code"] == "missing_file"
        broken = await client.post("/batches", files=[("file", ("bad.zip", archive[:200], "application/zip"))])
        assert broken.status_code == 202
        assert broken.json()["entries"][0]["problem"]["code"] == "invalid_archive"


async def test_a_zip_over_its_bounds_is_refused_as_a_whole(make_client) -> None:
    from app.reports import archive

    many = _zip({f"{n}.pdf": b"%PDF-1.4" for n in range(archive.MAX_MEMBERS + 1)})
    async with make_client() as client:
        r = await client.post("/batches", files=[("file", ("many.zip", many, "application/zip"))])
        assert r.status_code == 202
        (entry,) = r.json()["entries"]
        assert entry["problem"]["code"] == "archive_too_large" and entry["report_id"] is None


async def test_post_reports_refuses_a_zip_and_two_files(make_client, putuo_justice: bytes) -> None:
    async with make_client() as client:
        for data in (_zip({"justice.pdf": putuo_justice}, zipfile.ZIP_STORED), _zip({"justice.pdf": putuo_justice})):
            r = await upload(client, data, "justice.zip")
            assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type", r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        tarred = b"\0" * 257 + b"ustar" + b"\0" * 250 + putuo_justice
        assert (await upload(client, tarred, "justice.tar")).status_code == 415
        two = await client.post("/reports", files=[("file", ("a.pdf", putuo_justice, "application/pdf")),
                                                   ("file", ("b.pdf", putuo_justice, "application/pdf"))])
        assert two.status_code == 400 and two.json()["code"] == "multiple_files"
        assert (await client.get("/reports")).json()["data"] == []  # neither refused upload left a report


async def test_a_member_that_inflates_past_the_limit_is_refused(make_client, putuo_justice: bytes) -> None:
    bomb = _zip({"bomb.pdf": b"%PDF-1.4\n" + b"\0" * 3_000_000, "justice.pdf": putuo_justice})
    assert len(bomb) < 300_000
    async with make_client(max_upload_bytes=1_000_000) as client:
        r = await client.post("/batches", files=[("file", ("bomb.zip", bomb, "application/zip"))])
        assert r.status_code == 202, r.text
        codes = [(e["filename"], e["problem"] and e["problem"]["code"]) for e in r.json()["entries"]]
        assert codes == [("bomb.zip/bomb.pdf", "file_too_large"), ("bomb.zip/justice.pdf", None)]


def test_the_unpacked_total_is_bounded() -> None:
    from app.core.errors import ArchiveTooLarge
    from app.reports import archive

    data = _zip({"a.pdf": b"%PDF-" + b"\0" * 600, "b.pdf": b"%PDF-" + b"\0" * 600})
    assert [m.problem for m in archive.members(data, max_member_bytes=1000, max_total_bytes=2000)] == [None, None]
    with pytest.raises(ArchiveTooLarge):
        list(archive.members(data, max_member_bytes=1000, max_total_bytes=1000))
