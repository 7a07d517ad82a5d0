"""The page model from either backend: glyphs cleaned once (overprints, white text), words,
rules, rotated pages, and the backend setting."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.colors import white
from reportlab.pdfgen import canvas

from app.parsing.errors import PdfEncrypted
from app.parsing.pages import BACKENDS, backend_name
from app.parsing.reader import PageData, read_document


def _pdf(draw: object, rotate: int = 0) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(400, 300))
    c.setPageRotation(rotate)
    draw(c)  # type: ignore[operator]
    c.showPage()
    c.save()
    return buf.getvalue()


def _words(data: bytes, backend: str) -> list[str]:
    page: PageData = read_document(data, backend)[0]
    return [w.text for w in page.words]


@pytest.mark.parametrize("backend", BACKENDS)
def test_fake_bold_is_one_glyph_even_after_an_unrelated_glyph_nearby(backend: str) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(50, 200, "Q")  # an unrelated glyph in an earlier cell of the index
        c.drawString(58, 200, "A")
        c.drawString(58.3, 200, "A")  # the same glyph again, shifted: fake bold
        c.drawString(64.7, 200, "B")
        c.drawString(100, 200, "CD")
        c.drawString(100, 200, "CD")  # a doubled text layer

    assert _words(_pdf(draw), backend) == ["QAB", "CD"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_white_text_is_not_read(backend: str) -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        c.drawString(50, 200, "seen")
        c.setFillColor(white)
        c.drawString(50, 150, "hidden")

    assert _words(_pdf(draw), backend) == ["seen"]


# content drawn turned against the page's /Rotate, so that it reads upright on the displayed page
_UPRIGHT = {0: (0, 0, 0), 90: (400, 0, 90), 180: (400, 300, 180), 270: (0, 300, -90)}


def _table(c: canvas.Canvas, rotate: int) -> None:
    dx, dy, angle = _UPRIGHT[rotate]
    c.translate(dx, dy)
    c.rotate(angle)
    c.setFont("Helvetica", 10)
    for y in (250, 230, 210):
        c.line(40, y, 280, y)
    for x in (40, 200, 280):
        c.line(x, 210, x, 250)
    c.drawString(45, 235, "Name")
    c.drawString(205, 235, "1,234.50")
    c.drawString(45, 215, "Other")
    c.drawString(205, 215, "6.00")


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_both_backends_read_a_rotated_page_alike(rotate: int) -> None:
    data = _pdf(lambda c: _table(c, rotate), rotate)
    pdfium, plumber = read_document(data, "pdfium")[0], read_document(data, "pdfplumber")[0]
    assert (pdfium.width, pdfium.height) == (plumber.width, plumber.height)
    assert sorted(w.text for w in pdfium.words) == ["1,234.50", "6.00", "Name", "Other"]

    def geometry(p: PageData) -> object:
        words = sorted((w.text, round(w.x0), round(w.top)) for w in p.words)
        rules = [(round(r.y), round(r.x0), round(r.x1)) for r in p.hrules]
        return words, rules, [(round(r.x), round(r.top), round(r.bottom)) for r in p.vrules]

    assert geometry(pdfium) == geometry(plumber)
    assert len(pdfium.hrules) + len(pdfium.vrules) == 6


def test_the_backend_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PDF_BACKEND", raising=False)
    assert backend_name() == "pdfium"
    monkeypatch.setenv("PDF_BACKEND", "pdfplumber")
    assert backend_name() == "pdfplumber"
    assert backend_name("pdfium") == "pdfium"
    monkeypatch.setenv("PDF_BACKEND", "ghostscript")
    with pytest.raises(ValueError, match="unknown PDF backend"):
        backend_name()


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_encrypted_pdf_is_refused_by_either_backend(backend: str) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(50, 50, "x")
    c.save()
    with pytest.raises(PdfEncrypted):
        read_document(buf.getvalue(), backend)


def _reads_with_reference(data: bytes) -> tuple[list[str], bool]:
    from app.parsing.pages.pdfium import PdfiumDocument

    doc = PdfiumDocument(data)
    try:
        texts = ["".join(g.text for g in page.glyphs) for page in doc.pages()]
        return texts, doc._reference is not None
    finally:
        doc.close()


def test_a_lone_space_in_a_font_not_embedded_keeps_the_page_on_pdfium() -> None:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Times-Roman", 10)
        t = c.beginText(50, 250)
        # a lone space: pdfium reports neither text nor a width for it (reportlab writes no such object itself)
        t._code.append("( ) Tj")
        c.drawText(t)
        c.drawString(50, 200, "ABC")

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(400, 300), pageCompression=0)
    draw(c)
    c.showPage()
    c.save()
    data = buf.getvalue()
    assert b"( ) Tj" in data
    texts, referred = _reads_with_reference(data)
    assert texts == ["ABC"] and not referred

