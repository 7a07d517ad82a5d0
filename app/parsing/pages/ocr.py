"""Pages without a text layer, read by OCR (docs/ocr.md).

A page whose PDF carries no text but an image is rendered with pdfium and read by RapidOCR
(PP-OCR detection and recognition models shipped inside the `rapidocr-onnxruntime` wheel:
nothing is downloaded at run time). Each recognised text box becomes one glyph per character,
in PDF points, and long dark pixel runs of the render become ruling lines: the page then enters
the page model like a text page and every later stage reads it unchanged. The engine is an
optional dependency (`pip install .[ocr]`); without it such a page stays without text.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from typing import Any

from app.parsing.pages.model import Glyph, Path, RawPage
from app.parsing.text import paired

INSTALL_HINT = "pip install .[ocr]"
ENGINE_MODULE = "rapidocr_onnxruntime"


@dataclass(frozen=True)
class OcrSettings:
    scale: float = 2.0  # render pixels per PDF point (144 dpi)
    max_side_px: int = 2000  # the render's longest side at most (the detector's own limit)
    page_seconds: float = 60.0  # recognition stops on a page past this; its unread boxes are lost
    min_box_score: float = 0.5  # text boxes recognised with a lower mean score are dropped
    dark_level: int = 160  # a grey level below this is ink, for ruling lines
    hrule_min_pt: float = 20.0  # shorter dark runs are glyph strokes, not rules
    vrule_min_pt: float = 12.0
    threads: int = 0  # onnxruntime threads per session; 0: its default


DEFAULT_OCR = OcrSettings()


@dataclass
class OcrRead:
    """What OCR read on one page: each character's box (points) and confidence, the time taken."""

    chars: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom, conf
    seconds: float = 0.0
    truncated: bool = False  # the page's time ran out before every text box was read
    rotated: int = 0  # quarter turns clockwise applied to the render to make its text upright


def available() -> bool:
    """Whether the OCR engine is installed."""
    return importlib.util.find_spec(ENGINE_MODULE) is not None


class OcrReader:
    """One engine for a document's pages, loaded on the first page that needs it."""

    def __init__(self, settings: OcrSettings = DEFAULT_OCR) -> None:
        self.settings = settings
        self._engine: Any = None

    def engine(self) -> Any:
        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR

            threads = {"intra_op_num_threads": self.settings.threads} if self.settings.threads > 0 else {}
            self._engine = RapidOCR(use_cls=False, **threads)
        return self._engine

    def read(self, page: Any, number: int) -> RawPage:
        """The page (a pypdfium2 page) as OCR reads its render."""
        import numpy as np

        s = self.settings
        t0 = time.perf_counter()
        w_pt, h_pt = float(page.get_width()), float(page.get_height())
        scale = min(s.scale, s.max_side_px / max(w_pt, h_pt))
        gray = _ink(np.asarray(page.render(scale=scale, rev_byteorder=True).to_numpy()))
        eng = self.engine()
        boxes = _detect(eng, gray)
        turns = 0
        if boxes and _mostly_tall(boxes):
            turns = _best_turn(eng, gray, boxes)
            gray = np.ascontiguousarray(np.rot90(gray, k=-turns))
            boxes = _detect(eng, gray)
        deadline = t0 + s.page_seconds
        texts, truncated = _recognise(eng, gray, boxes, deadline)
        glyphs: list[Glyph] = []
        read = OcrRead(rotated=turns, truncated=truncated)
        for box, (text, score, info) in texts:
            if score < s.min_box_score or not text.strip():
                continue
            for g, conf in _glyphs(box, paired(text), info, scale):
                glyphs.append(g)
                read.chars.append((g.x0, g.top, g.x1, g.bottom, conf))
        paths = _rules(gray, boxes, scale, s)
        height, width = gray.shape[0] / scale, gray.shape[1] / scale
        read.seconds = time.perf_counter() - t0
        return RawPage(number, width, height, glyphs, paths, images=1, ocr=read)


def _ink(rgb: Any) -> Any:
    """The render as grey levels where only dark ink shows: the red channel, in which a red
    seal (a 公章 stamped over a table) is as light as the paper."""
    import numpy as np

    red = rgb[:, :, 0] if rgb.ndim == 3 else rgb
    return np.ascontiguousarray(red.astype(np.uint8))


def _rgb(gray: Any) -> Any:
    import numpy as np

    return np.repeat(gray[:, :, None], 3, axis=2)


def _detect(eng: Any, gray: Any) -> list[Any]:
    boxes, _ = eng.text_det(_rgb(gray))
    if boxes is None or len(boxes) == 0:
        return []
    return list(eng.sorted_boxes(boxes))


def _mostly_tall(boxes: list[Any]) -> bool:
    """Most text boxes taller than wide: the page was scanned turned a quarter."""
    tall = sum(1 for b in boxes if (b[:, 1].max() - b[:, 1].min()) > 1.5 * (b[:, 0].max() - b[:, 0].min()))
    return tall > 0.6 * len(boxes)


def _best_turn(eng: Any, gray: Any, boxes: list[Any]) -> int:
    """1 (clockwise) or 3 quarter turns, whichever a sample of the tall boxes reads better in."""
    import numpy as np

    sample = sorted(boxes, key=lambda b: -(b[:, 1].max() - b[:, 1].min()))[:8]
    ccw = eng.get_crop_img_list(_rgb(gray), sample)  # rapidocr turns a tall crop counter-clockwise
    cw = [np.ascontiguousarray(np.rot90(c, k=2)) for c in ccw]
    score_ccw = sum(float(r[1]) for r in eng.text_rec(ccw, False)[0])
    score_cw = sum(float(r[1]) for r in eng.text_rec(cw, False)[0])
    return 3 if score_ccw >= score_cw else 1


def _recognise(eng: Any, gray: Any, boxes: list[Any], deadline: float) -> tuple[list[tuple[Any, Any]], bool]:
    """Each box with (text, score, char info), in chunks until the page's time runs out."""
    if not boxes:
        return [], False
    img = _rgb(gray)
    out: list[tuple[Any, Any]] = []
    chunk = 24
    for i in range(0, len(boxes), chunk):
        if time.perf_counter() > deadline:
            return out, True
        part = boxes[i:i + chunk]
        crops = eng.get_crop_img_list(img, part)
        res, _ = eng.text_rec(crops, True)
        out.extend(zip(part, res, strict=True))
    return out, False


def _glyphs(box: Any, text: str, info: Any, scale: float) -> list[tuple[Glyph, float]]:
    """One glyph per recognised character: its x from the CTC step that emitted it, the box's
    height; its confidence that step's probability."""
    cols_n, words, word_cols, _states, confs = info
    cols = [c for wc in word_cols for c in wc]
    chars = [ch for w in words for ch in w]
    if len(cols) != len(text) or len(chars) != len(text) or cols_n <= 0:
        cols = [i * cols_n / max(len(text), 1) for i in range(len(text))]
    if len(confs) != len(text):
        confs = [float(sum(confs) / len(confs))] * len(text) if confs else [0.0] * len(text)
    x0, x1 = float(box[:, 0].min()), float(box[:, 0].max())
    top, bottom = float(box[:, 1].min()) / scale, float(box[:, 1].max()) / scale
    step = (x1 - x0) / cols_n if cols_n > 0 else 0.0
    centres = [x0 + (c + 0.5) * step for c in cols]
    height = bottom - top
    size = height * 0.8
    half = (height * scale) * 0.4
    out: list[tuple[Glyph, float]] = []
    for i, ch in enumerate(text):
        left = (centres[i - 1] + centres[i]) / 2 if i > 0 else max(x0, centres[i] - half)
        right = (centres[i] + centres[i + 1]) / 2 if i + 1 < len(text) else min(x1, centres[i] + half)
        if right <= left:
            right = left + 1.0
        out.append((Glyph(ch, left / scale, top, right / scale, bottom, size), float(confs[i])))
    return out


def _runs(mask: Any, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of True at least `min_len` long, row by row."""
    import numpy as np

    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rs, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    keep = (ends - starts) >= min_len
    return list(zip(rs[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _rules(gray: Any, boxes: list[Any], scale: float, s: OcrSettings) -> list[Path]:
    """Ruling lines of the render: long dark horizontal and vertical runs (a row of ink one pixel
    up or down counts, for a scan a little askew), less those inside a text box (glyph strokes)."""
    import numpy as np

    dark = gray < s.dark_level
    h = dark.copy()
    h[1:] |= dark[:-1]
    h[:-1] |= dark[1:]
    v = dark.copy()
    v[:, 1:] |= dark[:, :-1]
    v[:, :-1] |= dark[:, 1:]
    text = [(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max())) for b in boxes]

    def inside(x0: float, y0: float, x1: float, y1: float) -> bool:
        """Half the run or more within one text box (less a margin: a rule may touch a box)."""
        for a, b, c, d in text:
            a, b, c, d = a + 2, b + 2, c - 2, d - 2
            if x1 - x0 >= y1 - y0:
                if b <= y0 <= d and min(x1, c) - max(x0, a) >= 0.5 * (x1 - x0):
                    return True
            elif a <= x0 <= c and min(y1, d) - max(y0, b) >= 0.5 * (y1 - y0):
                return True
        return False

    out: list[Path] = []
    for y, a, b in _runs(h, max(3, int(s.hrule_min_pt * scale))):
        if not inside(a, y, b, y + 1):
            out.append(_bar(a / scale, y / scale, b / scale, (y + 1) / scale))
    for x, a, b in _runs(np.ascontiguousarray(v.T), max(3, int(s.vrule_min_pt * scale))):
        if not inside(x, a, x + 1, b):
            out.append(_bar(x / scale, a / scale, (x + 1) / scale, b / scale))
    return out


def _bar(x0: float, top: float, x1: float, bottom: float) -> Path:
    pts = ((x0, top), (x1, top), (x1, bottom), (x0, bottom), (x0, top))
    return Path(pts, stroke=False, fill=True, fill_color=(0.0, 0.0, 0.0))
