"""HTTP as clients expect it, against a real server that requires keys and allows one CORS origin:
CORS preflight without a key, strong ETag → 304, gzip, HEAD on every GET, Link rel=next,
Retry-After on 202, Server-Timing. Real fixture reports, parsed for real."""

from __future__ import annotations

import gzip
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import fixture_pdf
from tests.server import Server, serve

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

ORIGIN = "https://figures.example"
IDENTITY = {"Accept-Encoding": "identity"}
CORPUS_BIG = "corpus/109__005_广州__2026年广州市规划和自然资源局部门预算.pdf"  # ~950 line items


@dataclass
class Served:
    server: Server
    read: httpx.Client
    admin: httpx.Client
    report: dict[str, Any]


def upload(c: httpx.Client, relative: str, *, wait: bool = True) -> httpx.Response:
    pdf = fixture_pdf(relative)
    return c.post("/reports", params={"wait": str(wait).lower()},
                  files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")})


def settle(c: httpx.Client, rid: str) -> dict[str, Any]:
    for _ in range(600):
        report = c.get(f"/reports/{rid}").json()
        if report["status"] in {"parsed", "failed"}:
            return report
        time.sleep(0.2)
    raise AssertionError(f"report {rid} did not finish")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("http")
    with serve(tmp, auth="required", cors_origins=f"{ORIGIN}, https://other.example") as srv:
        admin = srv.client(srv.key("admin", "http admin"))
        read = srv.client(srv.key("read", "http reader"))
        try:
            r = upload(admin, "real/putuo_finance_2024_final.pdf")
            assert r.status_code in (200, 202), r.text
            assert upload(admin, CORPUS_BIG).status_code in (200, 202)
            yield Served(srv, read, admin, r.json())
        finally:
            admin.close()
            read.close()


def test_cors_preflight_needs_no_key_and_names_the_allowed_origin(served: Served) -> None:
    rid = served.report["id"]
    with httpx.Client(base_url=served.server.base) as anonymous:
        pre = anonymous.options(f"/reports/{rid}/line-items", headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, if-none-match"})
        assert pre.status_code == 200, pre.text
        assert pre.headers["access-control-allow-origin"] == ORIGIN
        allowed = pre.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and "if-none-match" in allowed
        assert "GET" in pre.headers["access-control-allow-methods"]
        refused = anonymous.options(f"/reports/{rid}", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        # a refused request (no key) still carries CORS headers, so the browser app can read the problem
        r = anonymous.get(f"/reports/{rid}", headers={"Origin": ORIGIN})
        assert r.status_code == 401 and r.headers["access-control-allow-origin"] == ORIGIN
    r = served.read.get(f"/reports/{rid}", headers={"Origin": ORIGIN})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
    exposed = r.headers["access-control-expose-headers"].lower()
    assert {"etag", "link", "retry-after", "location"} <= set(exposed.replace(" ", "").split(","))
    other = served.read.get(f"/reports/{rid}", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_without_the_setting(tmp_path: Any) -> None:
    with serve(tmp_path) as srv, httpx.Client(base_url=srv.base) as c:
        r = c.get("/reports", headers={"Origin": ORIGIN})
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
        pre = c.options("/reports", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in pre.headers


def resources(c: httpx.Client, rid: str) -> list[str]:
    tables = c.get(f"/reports/{rid}/tables").json()["data"]
    return [f"/reports/{rid}", f"/reports/{rid}/tables", f"/reports/{rid}/tables/{tables[0]['id']}",
            f"/reports/{rid}/tables/{tables[0]['id']}.csv", f"/reports/{rid}/line-items?limit=5",
            f"/reports/{rid}/line-items?limit=6", f"/reports/{rid}/line-items?format=csv",
            f"/reports/{rid}/line-items.csv", f"/reports/{rid}/programmes", f"/reports/{rid}/indicators",
            f"/reports/{rid}/validation", f"/reports/{rid}/summary", f"/reports/{rid}/export.xlsx",
            f"/reports/{rid}/datapackage.zip", f"/reports/{rid}/file", f"/reports/{rid}/pages"]


def test_strong_etag_and_304_on_every_resource_of_a_parsed_report(served: Served) -> None:
    c, rid = served.read, served.report["id"]
    tags: dict[str, str] = {}
    for path in resources(c, rid):
        r = c.get(path, headers=IDENTITY)
        assert r.status_code == 200, (path, r.text)
        tag = r.headers.get("etag", "")
        assert re.fullmatch(r'"[0-9a-f]{32}"', tag), (path, tag)  # strong: no W/
        assert r.headers["cache-control"] == "no-store"  # private data: the client keeps it, not a cache
        again = c.get(path, headers={**IDENTITY, "If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag, path
        assert c.get(path, headers={**IDENTITY, "If-None-Match": '"0123"'}).status_code == 200
        tags[path] = tag
    assert len(set(tags.values())) == len(tags)  # each path and query has its own tag

    # Re-validation moves the report's version: every old tag is stale.
    assert served.admin.post(f"/reports/{rid}/validation").status_code == 200
    for path, tag in tags.items():
        r = c.get(path, headers={**IDENTITY, "If-None-Match": tag})
        assert r.status_code == 200 and r.headers["etag"] != tag, path


def test_a_gzipped_body_has_its_own_tag_and_a_304(served: Served) -> None:
    c, rid = served.read, served.report["id"]
    r = c.get(f"/reports/{rid}/line-items", params={"limit": 200})
    assert r.headers["content-encoding"] == "gzip"
    tag = r.headers["etag"]
    assert tag.endswith('-gzip"')
    assert c.get(f"/reports/{rid}/line-items", params={"limit": 200},
                 headers={"If-None-Match": tag}).status_code == 304
    plain = c.get(f"/reports/{rid}/line-items", params={"limit": 200}, headers=IDENTITY)
    assert "content-encoding" not in plain.headers and plain.headers["etag"] != tag
    assert plain.json() == r.json()


def wire_bytes(c: httpx.Client, path: str, params: dict[str, Any], encoding: str) -> tuple[int, bytes, httpx.Headers]:
    """Bytes on the wire, and the body as sent (not decoded)."""
    with c.stream("GET", path, params=params, headers={"Accept-Encoding": encoding}) as r:
        assert r.status_code == 200
        raw = b"".join(r.iter_raw())
        return len(raw), raw, r.headers


def test_gzip_shrinks_a_1000_item_page_and_a_streamed_export(served: Served) -> None:
    c = served.read
    size, raw, headers = wire_bytes(c, "/line-items", {"limit": 1000}, "gzip")
    plain_size, plain, plain_headers = wire_bytes(c, "/line-items", {"limit": 1000}, "identity")
    assert headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert "accept-encoding" in headers["vary"].lower()
    assert gzip.decompress(raw) == plain
    assert len(httpx.Response(200, content=plain).json()["data"]) == 1000
    assert size * 5 < plain_size, (size, plain_size)
    print(f"\n1,000-item page: {plain_size:,} bytes, {size:,} gzipped")
    size, raw, headers = wire_bytes(c, "/line-items", {"format": "csv"}, "gzip")
    _, plain, _ = wire_bytes(c, "/line-items", {"format": "csv"}, "identity")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(raw) == plain and size < len(plain)
    small = c.get("/healthz")
    assert "content-encoding" not in small.headers  # under 4 KiB: sent as is


def path_values(c: httpx.Client, rid: str) -> dict[str, str]:
    table = c.get(f"/reports/{rid}/tables").json()["data"][0]["id"]
    finding = c.get(f"/reports/{rid}/validation").json()["findings"][0]["id"]
    return {"report_id": rid, "table_id": table, "finding_id": finding, "page": "1"}


def test_head_on_every_get_route_gives_the_get_headers_without_a_body(served: Served) -> None:
    c, rid = served.admin, served.report["id"]
    values = path_values(c, rid)
    spec = c.get("/openapi.json").json()
    paths = [p for p, ops in spec["paths"].items() if "get" in ops] + ["/docs", "/redoc", "/ui/"]
    assert len(paths) > 20
    for template in paths:
        path = re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], "unknown"), template)
        get = c.get(path, headers=IDENTITY)
        head = c.head(path, headers=IDENTITY)
        assert head.status_code == get.status_code != 405, (path, head.status_code, get.status_code)
        assert head.content == b"", path
        for name in ("content-type", "etag", "content-disposition"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)
        if "content-length" in get.headers and path != "/metrics":  # metrics count the requests themselves
            assert head.headers["content-length"] == get.headers["content-length"], path


def test_link_next_beside_next_cursor_on_every_paginated_list(served: Served) -> None:
    c, rid = served.read, served.report["id"]
    lists = [(f"/reports/{rid}/line-items", {"limit": 40, "code": "2"}), ("/line-items", {"limit": 300}),
             ("/reports", {"limit": 1}), ("/summaries", {"limit": 7}),
             ("/line-items", {"limit": 100, "department": "普陀", "row_kind": "subject"})]
    for path, params in lists:
        by_link, pages = [], 0
        r = c.get(path, params=params)
        while True:
            body = r.json()
            by_link += [str(row.get("id", row)) for row in body["data"]]
            pages += 1
            link = r.headers.get("link")
            if body["next_cursor"] is None:
                assert link is None, (path, link)
                break
            m = re.fullmatch(r'<([^>]+)>; rel="next"', link or "")
            assert m, (path, link)
            assert f"cursor={body['next_cursor']}" in m[1]
            r = c.get(m[1])  # the link alone carries the filters on
        by_cursor, cursor = [], None
        while True:
            body = c.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
            by_cursor += [str(row.get("id", row)) for row in body["data"]]
            if (cursor := body["next_cursor"]) is None:
                break
        assert pages > 1 and by_link == by_cursor and len(set(by_link)) == len(by_link), (path, pages)


def test_retry_after_on_every_202(served: Served) -> None:
    c = served.admin
    r = upload(c, "real/putuo_justice_2026_dept_budget.pdf", wait=False)
    assert r.status_code == 202 and int(r.headers["retry-after"]) >= 1
    rid = r.json()["id"]
    settle(c, rid)
    old = c.get(f"/reports/{rid}/line-items", headers=IDENTITY).headers["etag"]
    again = c.post(f"/reports/{rid}/reparse")
    assert again.status_code == 202 and int(again.headers["retry-after"]) >= 1
    assert settle(c, rid)["status"] == "parsed"
    r = c.get(f"/reports/{rid}/line-items", headers={**IDENTITY, "If-None-Match": old})
    assert r.status_code == 200 and r.headers["etag"] != old  # a reparse moves the tag


def test_server_timing_on_responses(served: Served) -> None:
    r = served.read.get(f"/reports/{served.report['id']}/line-items", params={"limit": 1000})
    assert re.fullmatch(r"app;dur=\d+(\.\d)?", r.headers["server-timing"])
