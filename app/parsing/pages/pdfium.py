"""The default backend: pdfium through pypdfium2's raw bindings (FPDFText_* for glyphs,
FPDFPageObj_* / FPDFPath_* for painted paths). One page is loaded, read and closed at a time."""

from __future__ import annotations

import ctypes
import math
import struct
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as R

from app.parsing.errors import PdfEncrypted, PdfUnreadable
from app.parsing.pages import ocr
from app.parsing.pages.model import DESCENT, RGB, Glyph, Path, RawPage

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
    a page takes its glyphs from the reference backend, which decodes those codes itself.

    A page with no text but an image (a scan) is read by OCR when the engine is installed
    (app/parsing/pages/ocr.py): the choice is made page by page."""

    backend = "pdfium"

    def __init__(self, data: bytes, ocr_settings: ocr.OcrSettings | None = ocr.DEFAULT_OCR) -> None:
        self._data = data
        self._ocr = ocr.OcrReader(ocr_settings) if ocr_settings is not None and ocr.available() else None
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
                if self._ocr is not None and raw.images and not unmapped and not _has_text(raw):
                    raw = self._ocr.read(page, i + 1)
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


def _has_text(raw: RawPage) -> bool:
    return any(not g.text.isspace() for g in raw.glyphs)


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
        glyphs, text_objects = _glyphs(textpage.raw, disp, height)
        paths = _Paths(textpage.raw, height, text_objects)
        paths.objects(ctypes.cast(page.raw, _VP).value, None, disp)
    finally:
        textpage.close()
    return RawPage(number, width, height, glyphs, paths.out, paths.images), paths.unmapped


# pypdfium2's bindings build a pointer object for every handle passed and returned; the calls
# made per char, per page object and per path segment go through these copies, which take and
# return plain addresses (the same C functions)
_VP, _INT, _UINT = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint
_RECT = struct.Struct("=4f")  # an FS_RECTF read in one call: left, top, right, bottom


def _plain(fn: Any, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(fn, _VP).value
    if not address:
        raise ImportError(f"pdfium has no {fn.__name__}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_text_object = _plain(R.FPDFText_GetTextObject, _VP, _VP, _INT)
_loose_box = _plain(R.FPDFText_GetLooseCharBox, _INT, _VP, _INT, _VP)
_is_generated = _plain(R.FPDFText_IsGenerated, _INT, _VP, _INT)
_text_matrix = _plain(R.FPDFText_GetMatrix, _INT, _VP, _INT, _VP)
_font_size = _plain(R.FPDFText_GetFontSize, ctypes.c_double, _VP, _INT)
_text_fill = _plain(R.FPDFText_GetFillColor, _INT, _VP, _INT, _VP, _VP, _VP, _VP)
_page_count = _plain(R.FPDFPage_CountObjects, _INT, _VP)
_page_object = _plain(R.FPDFPage_GetObject, _VP, _VP, _INT)
_form_count = _plain(R.FPDFFormObj_CountObjects, _INT, _VP)
_form_object = _plain(R.FPDFFormObj_GetObject, _VP, _VP, ctypes.c_ulong)
_object_type = _plain(R.FPDFPageObj_GetType, _INT, _VP)
_object_matrix = _plain(R.FPDFPageObj_GetMatrix, _INT, _VP, _VP)
_object_bounds = _plain(R.FPDFPageObj_GetBounds, _INT, _VP, _VP, _VP, _VP, _VP)
_object_text = _plain(R.FPDFTextObj_GetText, ctypes.c_ulong, _VP, _VP, _VP, ctypes.c_ulong)
_object_font = _plain(R.FPDFTextObj_GetFont, _VP, _VP)
_font_embedded = _plain(R.FPDFFont_GetIsEmbedded, _INT, _VP)
_draw_mode = _plain(R.FPDFPath_GetDrawMode, _INT, _VP, _VP, _VP)
_stroke_color = _plain(R.FPDFPageObj_GetStrokeColor, _INT, _VP, _VP, _VP, _VP, _VP)
_fill_color = _plain(R.FPDFPageObj_GetFillColor, _INT, _VP, _VP, _VP, _VP, _VP)
_segment_count = _plain(R.FPDFPath_CountSegments, _INT, _VP)
_segment = _plain(R.FPDFPath_GetPathSegment, _VP, _VP, _INT)
_segment_point = _plain(R.FPDFPathSegment_GetPoint, _INT, _VP, _VP, _VP)
_segment_type = _plain(R.FPDFPathSegment_GetType, _INT, _VP)
_segment_closes = _plain(R.FPDFPathSegment_GetClose, _INT, _VP)


class _Buffers:
    """The out-parameters of the calls above, made once: each as the object and its address."""

    def __init__(self) -> None:
        self.box, self.matrix = R.FS_RECTF(), R.FS_MATRIX()
        self.rgba = [_UINT() for _ in range(4)]
        self.fillmode, self.stroke = _INT(), _INT()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.x2, self.y2 = ctypes.c_float(), ctypes.c_float()
        self.at_box, self.at_matrix = ctypes.addressof(self.box), ctypes.addressof(self.matrix)
        self.at_rgba = [ctypes.addressof(c) for c in self.rgba]
        self.at_fillmode, self.at_stroke = ctypes.addressof(self.fillmode), ctypes.addressof(self.stroke)
        self.at_x, self.at_y = ctypes.addressof(self.x), ctypes.addressof(self.y)
        self.at_x2, self.at_y2 = ctypes.addressof(self.x2), ctypes.addressof(self.y2)

    def color(self) -> RGB:
        r, g, b, _ = self.rgba
        return (r.value / 255, g.value / 255, b.value / 255)


def _glyphs(tp: Any, disp: Matrix, height: float) -> tuple[list[Glyph], set[int]]:
    """The page's glyphs, and the addresses of the text objects they come from."""
    n = R.FPDFText_CountChars(tp)
    if n <= 0:
        return [], set()
    buf = (ctypes.c_ushort * (n + 1))()
    R.FPDFText_GetText(tp, 0, n, buf)
    text: str | list[str] = ctypes.string_at(buf, 2 * n).decode("utf-16-le", "surrogatepass")
    if len(text) != n:  # a surrogate pair decoded as one char: one UTF-16 unit per char index
        text = [chr(u) for u in buf[:n]]
    bufs = _Buffers()
    box = bufs.box
    at_box = bufs.at_box
    tpa: int = ctypes.cast(tp, _VP).value  # type: ignore[assignment]
    da, _db, dc, _dd, de, _df = disp
    styles: dict[int | None, tuple[bool, bool, float, float, RGB | None]] = {}
    out: list[Glyph] = []
    append, text_object, loose_box, style_of, rect = out.append, _text_object, _loose_box, styles.get, _RECT.unpack
    for i in range(n):
        ch = text[i]
        if ch in "\x02\ufffe":  # pdfium's marks for a hyphen that ends a line: a printed "-"
            ch = "-"
        elif ch in "\r\n" or (ch.isspace() and _is_generated(tpa, i) == 1):
            continue
        obj = text_object(tpa, i)
        style = style_of(obj)
        if style is None:
            style = styles[obj] = _style(tpa, i, disp, bufs)
        aligned, upright, size, baseline, color = style
        loose_box(tpa, i, at_box)
        # the loose box's corners on the displayed page
        left, top, right, bottom = rect(box)
        xa, xb = left * da + bottom * dc + de, right * da + top * dc + de
        x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
        if aligned:
            gbottom = height - baseline + DESCENT * size
            append(Glyph(ch, x0, gbottom - size, x1, gbottom, size, upright, color))
        else:
            _da, db, _dc, dd, _de, df = disp
            ya, yb = left * db + bottom * dd + df, right * db + top * dd + df
            gtop, gbottom = (height - yb, height - ya) if ya <= yb else (height - ya, height - yb)
            append(Glyph(ch, x0, gtop, x1, gbottom, size, upright, color))
    return out, {o for o in styles if o is not None}


def _style(tpa: int, i: int, disp: Matrix, bufs: _Buffers) -> tuple[bool, bool, float, float, RGB | None]:
    """What the chars of char i's text object share: whether it is upright and axis-aligned on
    the displayed page, its printed size, its baseline (displayed, y up) and its fill colour."""
    m = bufs.matrix
    _text_matrix(tpa, i, bufs.at_matrix)
    da, db, dc, dd, _de, df = disp
    # the text object's matrix on the displayed page: its scale turns the font size into the
    # printed size, its direction tells upright text
    a, b, c, d = m.a * da + m.b * dc, m.a * db + m.b * dd, m.c * da + m.d * dc, m.c * db + m.d * dd
    upright = a * d > 0 and b * c <= 0
    aligned = abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0
    font_size = float(_font_size(tpa, i))
    size = font_size * d if aligned else font_size * math.hypot(c, d)
    # one text object shows one run on one baseline: the one through its origin
    baseline = m.e * db + m.f * dd + df
    color = bufs.color() if _text_fill(tpa, i, *bufs.at_rgba) else None
    return aligned, upright, size, baseline, color


class _Paths:
    """Reads the painted paths of one page."""

    def __init__(self, tp: Any, height: float, text_objects: set[int]) -> None:
        self.tpa: int = ctypes.cast(tp, _VP).value  # type: ignore[assignment]
        self.height = height
        self.text_objects = text_objects  # the text objects some glyph came from
        self.out: list[Path] = []
        self.images = 0
        self.unmapped = False
        self.bufs = _Buffers()

    def objects(self, page: int | None, form: int | None, base: Matrix) -> None:
        """Paths of the page (or of a form XObject inside it); images and undecodable text
        objects counted."""
        nested = form is not None
        owner = form if nested else page
        count = _form_count(owner) if nested else _page_count(owner)
        get = _form_object if nested else _page_object
        m, at_m = self.bufs.matrix, self.bufs.at_matrix
        for k in range(count):
            obj = get(owner, k)
            kind = _object_type(obj)
            if kind == _PATH:
                _object_matrix(obj, at_m)
                self.path(obj, _mul((m.a, m.b, m.c, m.d, m.e, m.f), base))
            elif kind == _TEXT and not self.unmapped and obj not in self.text_objects:
                # no text from a font the file does not embed: codes pdfium could not map (an
                # empty string in an embedded font is common and harmless, and so is one that
                # advances nothing: `() Tj` or zero-width codes, whatever their font)
                empty = _object_text(obj, self.tpa, None, 0) <= 2
                if empty and not _font_embedded(_object_font(obj)) and self.advances(obj):
                    self.unmapped = True
            elif kind == _IMAGE:
                self.images += 1
            elif kind == _FORM:
                _object_matrix(obj, at_m)
                self.objects(page, obj, _mul((m.a, m.b, m.c, m.d, m.e, m.f), base))

    def advances(self, obj: int) -> bool:
        """Whether a text object's bounds have a width or a height: it shows some glyph."""
        b = self.bufs
        if not _object_bounds(obj, b.at_x, b.at_y, b.at_x2, b.at_y2):
            return True
        return b.x2.value - b.x.value > 0.01 or b.y2.value - b.y.value > 0.01

    def path(self, obj: int, mat: Matrix) -> None:
        bufs = self.bufs
        if not _draw_mode(obj, bufs.at_fillmode, bufs.at_stroke):
            return
        is_fill, is_stroke = bufs.fillmode.value != 0, bool(bufs.stroke.value)
        if not is_fill and not is_stroke:
            return  # a clipping path or an unpainted one
        sc = bufs.color() if is_stroke and _stroke_color(obj, *bufs.at_rgba) else None
        fc = bufs.color() if is_fill and _fill_color(obj, *bufs.at_rgba) else None
        a, b, c, d, e, f = mat
        height, x, y, at_x, at_y, out = self.height, bufs.x, bufs.y, bufs.at_x, bufs.at_y, self.out
        points: list[tuple[float, float]] = []
        for i in range(_segment_count(obj)):
            seg = _segment(obj, i)
            _segment_point(seg, at_x, at_y)
            kind = _segment_type(seg)
            if kind == _MOVETO:
                if len(points) > 1:
                    out.append(Path(tuple(points), is_stroke, is_fill, sc, fc))
                points = []
            u, v = x.value, y.value
            points.append((a * u + c * v + e, height - (b * u + d * v + f)))
            if kind != _MOVETO and _segment_closes(seg) and points[0] != points[-1]:
                points.append(points[0])
        if len(points) > 1:
            out.append(Path(tuple(points), is_stroke, is_fill, sc, fc))
