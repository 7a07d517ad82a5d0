"""The default backend: pdfium through pypdfium2's raw bindings (FPDFText_* for glyphs,
FPDFPageObj_* / FPDFPath_* for painted paths). One page is loaded, read and closed at a time."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as R

from app.parsing.errors import PdfEncrypted, PdfUnreadable
from app.parsing.pages.model import RGB, Glyph, Path, RawPage, baseline_box

_LINETO, _BEZIERTO, _MOVETO = R.FPDF_SEGMENT_LINETO, R.FPDF_SEGMENT_BEZIERTO, R.FPDF_SEGMENT_MOVETO
_TEXT, _PATH, _IMAGE, _FORM = R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_FORM
Matrix = tuple[float, float, float, float, float, float]


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class PdfiumDocument:
    """An open document; `pages()` yields each page's `RawPage` and releases it before the next.

    pdfium drops the characters of a text object whose codes it cannot map to Unicode (a CID
    font without a ToUnicode map, e.g. reportlab's STSong-Light UCS2 text: 类 款 项 vanish); such
    a page takes its glyphs from the reference backend, which decodes those codes itself."""

    backend = "pdfium"

    def __init__(self, data: bytes) -> None:
        self._data = data
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) in (R.FPDF_ERR_PASSWORD, R.FPDF_ERR_SECURITY):
                raise PdfEncrypted("the PDF is encrypted with a password and cannot be read") from exc
            raise PdfUnreadable(f"the PDF is truncated or corrupt: {exc}") from exc
        self._reference: Any = None

    def __len__(self) -> int:
        return len(self._doc)

    def close(self) -> None:
        self._doc.close()
        if self._reference is not None:
            self._reference.close()

    def pages(self) -> Iterator[RawPage]:
        for i in range(len(self._doc)):
            try:
                page = self._doc[i]
            except pdfium.PdfiumError as exc:
                raise PdfUnreadable(f"page {i + 1} of the PDF cannot be read: {exc}") from exc
            try:
                raw, unmapped = read_page(page, i + 1)
            finally:
                page.close()
            if unmapped:
                raw.glyphs = self._reference_glyphs(i)
            yield raw

    def _reference_glyphs(self, i: int) -> list[Glyph]:
        from app.parsing.pages import plumber

        if self._reference is None:
            self._reference = plumber.PlumberDocument(self._data)
        try:
            return plumber.page_glyphs(self._reference, i)
        except MemoryError:
            raise
        except Exception as exc:  # pdfminer's errors on a page pdfium could open
            raise PdfUnreadable(f"page {i + 1} of the PDF cannot be read: {type(exc).__name__}: {exc}") from exc


def display_matrix(bbox: tuple[float, float, float, float], rotation: int) -> Matrix:
    """PDF user space → the displayed page (rotation applied, the box's lower-left corner at the
    origin, y up), as pdfminer sets up its page: the page model is this space turned top-down."""
    x0, y0, x1, y1 = bbox
    if rotation == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotation == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)


def read_page(page: Any, number: int) -> tuple[RawPage, bool]:
    """The page, and whether a text object on it has characters pdfium could not decode."""
    width, height = float(page.get_width()), float(page.get_height())
    bbox = tuple(float(v) for v in page.get_bbox())
    # pdfium reports positions in PDF user space: turned into the displayed page, top-down
    disp = display_matrix((bbox[0], bbox[1], bbox[2], bbox[3]), int(page.get_rotation()) % 360)
    textpage = page.get_textpage()
    try:
        glyphs = _glyphs(textpage.raw, disp, height)
        paths = _Paths(textpage.raw, height)
        paths.objects(page.raw, None, disp)
    finally:
        textpage.close()
    return RawPage(number, width, height, glyphs, paths.out, paths.images), paths.unmapped


# the char's text object as a plain address (pypdfium2's binding returns a new pointer object
# per call): chars are read per text object, whose matrix, size and colour they share
_text_object = ctypes.cast(
    R.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)



def _glyphs(tp: Any, disp: Matrix, height: float) -> list[Glyph]:
    n = R.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    R.FPDFText_GetText(tp, 0, n, buf)
    text = [chr(u) for u in buf[:n]]  # one UTF-16 unit per char index
    box = R.FS_RECTF()
    loose, generated, pbox = R.FPDFText_GetLooseCharBox, R.FPDFText_IsGenerated, ctypes.byref(box)
    tp_address = ctypes.cast(tp, ctypes.c_void_p)
    da, db, dc, dd, de, df = disp
    styles: dict[int | None, tuple[bool, bool, float, float, RGB | None]] = {}
    out: list[Glyph] = []
    for i in range(n):
        ch = text[i]
        if ch in "\x02\ufffe":  # pdfium's marks for a hyphen that ends a line: a printed "-"
            ch = "-"
        elif ch in "\r\n" or (ch.isspace() and generated(tp, i) == 1):
            continue
        obj = _text_object(tp_address, i)
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = _style(tp, i, disp)
        aligned, upright, size, baseline, color = style
        loose(tp, i, pbox)
        # the loose box's corners on the displayed page
        xa, ya = box.left * da + box.bottom * dc + de, box.left * db + box.bottom * dd + df
        xb, yb = box.right * da + box.top * dc + de, box.right * db + box.top * dd + df
        x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
        if aligned:
            gtop, gbottom = baseline_box(height - baseline, size)
        else:
            gtop, gbottom = height - max(ya, yb), height - min(ya, yb)
        out.append(Glyph(ch, x0, gtop, x1, gbottom, size, upright, color))
    return out


def _style(tp: Any, i: int, disp: Matrix) -> tuple[bool, bool, float, float, RGB | None]:
    """What the chars of char i's text object share: whether it is upright and axis-aligned on
    the displayed page, its printed size, its baseline (displayed, y up) and its fill colour."""
    m = R.FS_MATRIX()
    R.FPDFText_GetMatrix(tp, i, ctypes.byref(m))
    da, db, dc, dd, _de, df = disp
    # the text object's matrix on the displayed page: its scale turns the font size into the
    # printed size, its direction tells upright text
    a, b, c, d = m.a * da + m.b * dc, m.a * db + m.b * dd, m.c * da + m.d * dc, m.c * db + m.d * dd
    upright = a * d > 0 and b * c <= 0
    aligned = abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0
    font_size = float(R.FPDFText_GetFontSize(tp, i))
    size = font_size * d if aligned else font_size * math.hypot(c, d)
    # one text object shows one run on one baseline: the one through its origin
    baseline = m.e * db + m.f * dd + df
    rgba = [ctypes.c_uint() for _ in range(4)]
    color: RGB | None = None
    if R.FPDFText_GetFillColor(tp, i, *(ctypes.byref(v) for v in rgba)):
        color = (rgba[0].value / 255, rgba[1].value / 255, rgba[2].value / 255)
    return aligned, upright, size, baseline, color


class _Paths:
    """Reads the painted paths of one page; ctypes buffers are made once, not per path."""

    def __init__(self, tp: Any, height: float) -> None:
        self.tp, self.height = tp, height
        self.out: list[Path] = []
        self.images = 0
        self.unmapped = False
        self.m = R.FS_MATRIX()
        self.pm = ctypes.byref(self.m)
        self.fillmode, self.stroke, self.width = ctypes.c_int(), ctypes.c_int(), ctypes.c_float()
        self.pfill, self.pstroke, self.pwidth = (
            ctypes.byref(self.fillmode),
            ctypes.byref(self.stroke),
            ctypes.byref(self.width),
        )
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.prgba = [ctypes.byref(c) for c in self.rgba]
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.px, self.py = ctypes.byref(self.x), ctypes.byref(self.y)

    def objects(self, page: Any, form: Any, base: Matrix) -> None:
        """Paths of the page (or of a form XObject inside it); images and undecodable text
        objects counted."""
        nested = form is not None
        count = R.FPDFFormObj_CountObjects(form) if nested else R.FPDFPage_CountObjects(page)
        get = R.FPDFFormObj_GetObject if nested else R.FPDFPage_GetObject
        owner = form if nested else page
        kind_of, matrix, m, pm = R.FPDFPageObj_GetType, R.FPDFPageObj_GetMatrix, self.m, self.pm
        for k in range(count):
            obj = get(owner, k)
            kind = kind_of(obj)
            if kind == _PATH:
                matrix(obj, pm)
                self.path(obj, _mul((m.a, m.b, m.c, m.d, m.e, m.f), base))
            elif kind == _TEXT and not self.unmapped:
                # no text from a font the file does not embed: codes pdfium could not map (an
                # empty string in an embedded font is common and harmless)
                empty = R.FPDFTextObj_GetText(obj, self.tp, None, 0) <= 2
                if empty and not R.FPDFFont_GetIsEmbedded(R.FPDFTextObj_GetFont(obj)):
                    self.unmapped = True
            elif kind == _IMAGE:
                self.images += 1
            elif kind == _FORM:
                matrix(obj, pm)
                self.objects(page, obj, _mul((m.a, m.b, m.c, m.d, m.e, m.f), base))

    def color(self, getter: Any, obj: Any) -> RGB | None:
        p = self.prgba
        if not getter(obj, p[0], p[1], p[2], p[3]):
            return None
        r, g, b, _ = self.rgba
        return (r.value / 255, g.value / 255, b.value / 255)

    def path(self, obj: Any, mat: Matrix) -> None:
        if not R.FPDFPath_GetDrawMode(obj, self.pfill, self.pstroke):
            return
        is_fill, is_stroke = self.fillmode.value != 0, bool(self.stroke.value)
        if not is_fill and not is_stroke:
            return  # a clipping path or an unpainted one
        R.FPDFPageObj_GetStrokeWidth(obj, self.pwidth)
        width = float(self.width.value)
        sc = self.color(R.FPDFPageObj_GetStrokeColor, obj) if is_stroke else None
        fc = self.color(R.FPDFPageObj_GetFillColor, obj) if is_fill else None
        a, b, c, d, e, f = mat
        height, x, y, px, py, out = self.height, self.x, self.y, self.px, self.py, self.out
        segment, point, seg_type, closes = (
            R.FPDFPath_GetPathSegment,
            R.FPDFPathSegment_GetPoint,
            R.FPDFPathSegment_GetType,
            R.FPDFPathSegment_GetClose,
        )
        points: list[tuple[float, float]] = []
        for i in range(R.FPDFPath_CountSegments(obj)):
            seg = segment(obj, i)
            point(seg, px, py)
            kind = seg_type(seg)
            if kind == _MOVETO:
                if len(points) > 1:
                    out.append(Path(tuple(points), is_stroke, is_fill, sc, fc, width))
                points = []
            u, v = x.value, y.value
            points.append((a * u + c * v + e, height - (b * u + d * v + f)))
            if kind != _MOVETO and closes(seg) and points[0] != points[-1]:
                points.append(points[0])
        if len(points) > 1:
            out.append(Path(tuple(points), is_stroke, is_fill, sc, fc, width))
