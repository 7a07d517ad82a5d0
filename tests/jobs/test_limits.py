"""Each per-parse limit ends the report with its own code, in a real parser process."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from app.jobs.work import bomb_stream
from tests.client import upload
from tests.conftest import SHARED_FIXTURES, need

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


def decompression_bomb(expanded_bytes: int) -> bytes:
    """A valid one-page PDF whose content stream inflates to `expanded_bytes` zeros."""
    return one_page_pdf(b"\0" * expanded_bytes)


def path_heavy_pdf(segments: int) -> bytes:
    """A valid one-page PDF drawing `segments` strokes: a content stream of modest size (not a bomb)
    whose objects alone outgrow the smallest memory limit in the PDF reader."""
    return one_page_pdf(b"0 0 m 1 1 l S\n" * segments)


def one_page_pdf(content: bytes) -> bytes:
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def largest_corpus_pdf() -> bytes:
    pdfs = sorted((SHARED_FIXTURES / "corpus").glob("*.pdf"), key=lambda p: p.stat().st_size)
    need(bool(pdfs), f"no corpus PDFs under {SHARED_FIXTURES}")
    return Path(pdfs[-1]).read_bytes()


async def test_decompression_bomb_is_pdf_too_complex(make_client) -> None:
    async with make_client(parse_memory_mb=512) as client:
        r = await upload(client, decompression_bomb(2 * 1024**3))
        assert r.json()["status"] == "failed"
        assert r.json()["error"]["code"] == "pdf_too_complex", r.json()["error"]


def test_bomb_check_tells_a_bomb_from_a_big_stream() -> None:
    """The check after a parser process died inflates each stream once, in bounded steps, and ends
    (a stream followed by bytes past its end once made it spin forever)."""
    assert bomb_stream(decompression_bomb(1024**3), 256 << 20) is not None
    assert bomb_stream(path_heavy_pdf(12_000_000), 256 << 20) is None
    assert bomb_stream(path_heavy_pdf(12_000_000), 64 << 20) is not None


async def test_report_beyond_the_memory_limit_is_parser_out_of_memory(make_client) -> None:
    """168 MB of drawing operators (inflating below the limit: not a bomb) need more than 256 MB in
    the reader, whose process aborts; the report ends parser_out_of_memory on its first attempt."""
    async with make_client(parse_memory_mb=256) as client:
        r = await upload(client, path_heavy_pdf(12_000_000))
        assert r.json()["status"] == "failed"
        assert r.json()["error"]["code"] == "parser_out_of_memory", r.json()["error"]
        job = (await client.get("/jobs")).json()["data"][0]
        assert job["attempts"] == 1 and job["outcome"] == "failed:parser_out_of_memory", job


async def test_big_report_parses_under_the_smallest_memory_limit(make_client) -> None:
    """Pages stream (read, extract, release), so the largest corpus report needs far less than the
    smallest PARSE_MEMORY_MB allowed; it once ended parser_out_of_memory there."""
    async with make_client(parse_memory_mb=256) as client:
        r = await upload(client, largest_corpus_pdf())
        assert r.json()["status"] == "parsed", r.json()["error"]


async def test_too_many_pages_is_refused_before_parsing(make_client, putuo_justice: bytes) -> None:
    async with make_client(max_pages=5) as client:
        r = await upload(client, putuo_justice)
        assert r.json()["error"]["code"] == "too_many_pages"
        job = (await client.get("/jobs")).json()["data"][0]
        assert job["pages_total"] is None and job["outcome"] == "failed:too_many_pages"
