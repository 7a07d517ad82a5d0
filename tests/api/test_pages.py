"""Page images with highlights, page sizes, a finding with its figures: a real server, a real PDF, real parse."""

from __future__ import annotations

import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pdfplumber
import pytest
from PIL import Image, ImageChops

from tests.conftest import fixture_pdf
from tests.server import serving

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

DPI = 144
SCALE = DPI / 72
MARGIN = 4  # pixels around a box: the outline and anti-aliasing
Served = tuple[httpx.Client, dict[str, Any], Path]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, Any], Path]]:
    pdf = fixture_pdf("real/putuo_finance_2024_final.pdf")
    with serving(tmp_path_factory.mktemp("pages")) as base, httpx.Client(base_url=base, timeout=300) as c:
        r = c.post("/reports", params={"wait": "true"}, files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")})
        assert r.status_code in (200, 202), r.text
        report = r.json()
        assert report["status"] == "parsed"
        yield c, report, pdf


def png(c: httpx.Client, rid: str, page: int, *highlight: str, dpi: int = DPI) -> Image.Image:
    r = c.get(f"/reports/{rid}/pages/{page}.png", params={"dpi": dpi, "highlight": list(highlight)})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(r.content)).convert("RGB")


def px(bbox: list[float], margin: int = 0) -> tuple[int, int, int, int]:
    return (int(bbox[0] * SCALE) - margin, int(bbox[1] * SCALE) - margin,
            int(bbox[2] * SCALE) + 1 + margin, int(bbox[3] * SCALE) + 1 + margin)


def changed(a: Image.Image, b: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Mean absolute difference per channel inside `box`."""
    diff = ImageChops.difference(a.crop(box), b.crop(box)).convert("L")
    hist = diff.histogram()
    return sum(i * n for i, n in enumerate(hist)) / max(1, sum(hist))


def outside_unchanged(plain: Image.Image, lit: Image.Image, boxes: list[tuple[int, int, int, int]]) -> None:
    diff = ImageChops.difference(plain, lit).convert("L")
    for box in boxes:
        diff.paste(0, box)
    assert diff.getbbox() is None, f"pixels changed outside the highlighted boxes at {diff.getbbox()}"


def legend_box(img: Image.Image) -> tuple[int, int, int, int]:
    return (img.width // 2, img.height - int(60 * SCALE), img.width, img.height)


def a_finding_with_code(c: httpx.Client, rid: str) -> dict[str, Any]:
    findings = c.get(f"/reports/{rid}/validation").json()["findings"]
    with_code = [f for f in findings if f["location"]["code"] and f["location"]["bbox"] and f["location"]["table_id"]]
    assert with_code, "the fixture has a finding on a coded row"
    return with_code[0]


def test_page_sizes_match_the_pdf(served: Served) -> None:
    c, report, pdf = served
    body = c.get(f"/reports/{report['id']}/pages").json()
    with pdfplumber.open(pdf) as doc:
        sizes = [(float(p.width), float(p.height)) for p in doc.pages]
    assert body["count"] == report["file"]["pages"] == len(sizes)
    for got, (w, h) in zip(body["data"], sizes, strict=True):
        assert got["width"] == pytest.approx(w, abs=0.01) and got["height"] == pytest.approx(h, abs=0.01)
    img = png(c, report["id"], 1)
    assert img.size == (pytest.approx(sizes[0][0] * SCALE, abs=1), pytest.approx(sizes[0][1] * SCALE, abs=1))


def test_finding_lists_the_figures_it_compared(served: Served) -> None:
    c, report, _ = served
    rid = report["id"]
    f = a_finding_with_code(c, rid)
    detail = c.get(f"/reports/{rid}/findings/{f['id']}").json()
    assert {k: detail[k] for k in f} == f
    checked = [x for x in detail["figures"] if x["role"] == "checked"]
    assert checked and checked[0]["bbox"] == f["location"]["bbox"] and checked[0]["page"] == f["location"]["page"]
    items = c.get(f"/reports/{rid}/line-items", params={"limit": 1000}).json()["data"]
    loc = f["location"]
    children = {li["id"] for li in items if li["table_id"] == loc["table_id"] and li["parent_code"] == loc["code"]}
    compared = {x["line_item_id"] for x in detail["figures"] if x["role"] == "compared"}
    assert children and children <= compared
    for x in detail["figures"]:
        assert x["page"] >= 1 and len(x["bbox"]) == 4


def test_figures_of_other_tables_are_the_ones_the_message_names(served: Served) -> None:
    c, report, _ = served
    rid = report["id"]
    titles = {t["id"]: t["title"] for t in c.get(f"/reports/{rid}/tables").json()["data"]}
    across = 0
    for f in c.get(f"/reports/{rid}/validation").json()["findings"]:
        for x in c.get(f"/reports/{rid}/findings/{f['id']}").json()["figures"]:
            if x["role"] == "compared" and x["table_id"] != f["location"]["table_id"]:
                across += 1
                assert titles[x["table_id"]] in f["message"], (f, x)
                assert (x["code"] or x["name"]) in f["message"], (f, x)
    assert across, "the fixture has cross-table findings with compared rows"


def test_a_sentence_is_shown_with_the_table_row_it_was_compared_with(served: Served) -> None:
    c, report, _ = served
    rid = report["id"]
    pages = {t["id"]: t["pages"] for t in c.get(f"/reports/{rid}/tables").json()["data"]}
    narrative = [f for f in c.get(f"/reports/{rid}/validation").json()["findings"]
                 if f["location"]["table_id"] and f["location"]["page"] not in pages[f["location"]["table_id"]]]
    assert narrative, "the fixture has a narrative finding that names a table"
    for f in narrative:
        figures = c.get(f"/reports/{rid}/findings/{f['id']}").json()["figures"]
        rows = [x for x in figures if x["role"] == "compared" and x["table_id"] == f["location"]["table_id"]]
        assert rows and all(x["page"] in pages[x["table_id"]] for x in rows), (f, figures)


def test_a_finding_is_drawn_inside_its_boxes_and_nowhere_else(served: Served) -> None:
    c, report, _ = served
    rid = report["id"]
    f = a_finding_with_code(c, rid)
    page = f["location"]["page"]
    figures = [x for x in c.get(f"/reports/{rid}/findings/{f['id']}").json()["figures"] if x["page"] == page]
    plain, lit = png(c, rid, page), png(c, rid, page, f["id"])
    assert plain.size == lit.size
    for fig in figures:
        assert changed(plain, lit, px(fig["bbox"])) > 5, f"no highlight over {fig}"
    assert changed(plain, lit, legend_box(lit)) > 0.5, "no legend"
    outside_unchanged(plain, lit, [px(fig["bbox"], MARGIN) for fig in figures] + [legend_box(lit)])


def test_a_line_item_and_a_table_are_highlighted(served: Served) -> None:
    c, report, _ = served
    rid = report["id"]
    items = c.get(f"/reports/{rid}/line-items", params={"limit": 1000}).json()["data"]
    li = next(x for x in items if x["bbox"] and x["code"])
    plain, lit = png(c, rid, li["page"]), png(c, rid, li["page"], li["id"])
    assert changed(plain, lit, px(li["bbox"])) > 5
    outside_unchanged(plain, lit, [px(li["bbox"], MARGIN), legend_box(lit)])
    same_page = [x for x in items if x["table_id"] == li["table_id"] and x["page"] == li["page"] and x["bbox"]]
    table_lit = png(c, rid, li["page"], li["table_id"])
    for x in same_page:
        assert changed(plain, table_lit, px(x["bbox"])) > 5
    other = next((p for p in range(1, report["file"]["pages"] + 1) if p != li["page"]), None)
    if other is not None:  # a highlight on another page draws nothing on this one
        bare, unlit = png(c, rid, other), png(c, rid, other, li["id"])
        assert changed(bare, unlit, (0, 0, *bare.size)) == 0


def test_etag_and_not_modified(served: Served) -> None:
    c, report, _ = served
    url = f"/reports/{report['id']}/pages/1.png"
    first = c.get(url, params={"dpi": 60})
    etag = first.headers["etag"]
    again = c.get(url, params={"dpi": 60}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    assert c.get(url, params={"dpi": 61}).headers["etag"] != etag
    assert c.get(url, params={"dpi": 60}, headers={"If-None-Match": '"other"'}).status_code == 200


def test_concurrent_renders_agree_with_one_at_a_time(served: Served) -> None:
    c, report, _ = served
    url = f"/reports/{report['id']}/pages/{{}}.png"
    asks = [(p, dpi) for p in range(1, min(4, report["file"]["pages"]) + 1) for dpi in (51, 52)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda a: c.get(url.format(a[0]), params={"dpi": a[1]}).content, asks))
    for (p, dpi), body in zip(asks, together, strict=True):
        assert body == c.get(url.format(p), params={"dpi": dpi}).content


@pytest.mark.parametrize(("path", "params", "status", "code"), [
    ("pages/1.png", {"dpi": 49}, 422, "invalid_request"),
    ("pages/1.png", {"dpi": 201}, 422, "invalid_request"),
    ("pages/0.png", {}, 404, "page_not_found"),
    ("pages/9999.png", {}, 404, "page_not_found"),
    ("pages/x.png", {}, 422, "invalid_request"),
    ("pages/1.png", {"highlight": "nope"}, 404, "highlight_not_found"),
    ("findings/nope", {}, 404, "finding_not_found"),
])
def test_errors_are_problems(served: tuple[httpx.Client, dict[str, Any], Path], path: str, params: dict[str, Any],
                             status: int, code: str) -> None:
    c, report, _ = served
    r = c.get(f"/reports/{report['id']}/{path}", params=params)
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == code
    missing = c.get("/reports/0000/pages/1.png")
    assert missing.status_code == 404 and missing.json()["code"] == "report_not_found"
