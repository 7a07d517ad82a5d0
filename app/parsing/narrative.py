"""Narrative sentences (情况说明) in reading order, numbers kept with their words.

Lines come from the page model, whose glyph boxes stand on their baselines: some reports print
their digits in a Latin font whose own glyph box sits ~5 pt below the CJK glyphs of the same
line (putuo_finance_2024_final.pdf p21–24), and words join the line they overlap most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.parsing.model import BBox, Sentence
from app.parsing.reader import PageData, Word
from app.parsing.text import CJK

MIN_RULES_FOR_TABLE = 3  # horizontal ruling lines that make a region a table
TABLE_MARGIN = 2.0  # points around a ruled region still counted as inside it
MARGIN_BAND = 0.07  # top/bottom share of the page where running headers and folios live
SPACED_DIGIT_GAP = 0.6  # digits closer than this share of the line height belong to one number

_SENTENCE_END = "。！？!?"
_PARA_END = "。！？!?；;：:"
_FOLIO = re.compile(r"^[\s\-—–－·第页/0-9()（）]*$")
_TOC = re.compile(r"(…{2,}|\.{4,}|·{4,})")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_PUNCT = re.compile(r"[，。；：、,;:]")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)")
_LIST_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|\d+[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)


@dataclass
class _Line:
    top: float
    bottom: float
    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def bbox(self) -> BBox:
        return (self.x0, min(w.top for w in self.words), self.x1, max(w.bottom for w in self.words))

    @property
    def text(self) -> str:
        out = ""
        prev_x1 = 0.0
        for w in sorted(self.words, key=lambda w: w.x0):
            t = w.text
            if out and out[-1].isascii() and out[-1].isalnum() and t[:1].isascii() and t[:1].isalnum():
                # letter-spaced figures ("1 5 5,7 2 3.3 9万元") are one number; words keep a space
                gap = w.x0 - prev_x1
                spaced_digit = out[-1].isdigit() and t[0].isdigit() and gap < SPACED_DIGIT_GAP * self.height
                if not spaced_digit:
                    out += " "
            out += t
            prev_x1 = w.x1
        return out

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def table_regions(page: PageData) -> list[BBox]:
    """Boxes of ruled tables on the page: clusters of horizontal rules sharing vertical edges."""
    edges = [(r.x0, r.y, r.x1, r.y, True) for r in page.hrules if r.x1 - r.x0 > 20]
    horizontal = list(edges)
    if len(horizontal) < MIN_RULES_FOR_TABLE:
        return []
    edges += [(r.x, r.top, r.x, r.bottom, False) for r in page.vrules if r.bottom - r.top > 8]
    boxes: list[list[float]] = []
    for x0, top, x1, bottom, _ in sorted(edges, key=lambda e: e[1]):
        for b in boxes:
            if top <= b[3] + 30 and x0 <= b[2] and x1 >= b[0]:
                b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], top), max(b[2], x1), max(b[3], bottom)
                break
        else:
            boxes.append([x0, top, x1, bottom])
    out: list[BBox] = []
    for b in boxes:
        n_h = sum(1 for e in horizontal if b[1] - 1 <= e[1] <= b[3] + 1 and b[0] - 1 <= e[0] <= b[2])
        if n_h >= MIN_RULES_FOR_TABLE:
            out.append((b[0] - TABLE_MARGIN, b[1] - TABLE_MARGIN, b[2] + TABLE_MARGIN, b[3] + TABLE_MARGIN))
    return out


def _inside(w: Word, boxes: Iterable[BBox]) -> bool:
    cx, cy = w.xc, w.yc
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def is_tabular(text: str, wide_gaps: int = 2) -> bool:
    """A line of figures set apart by wide gaps, without prose punctuation (an unruled table
    row), or a TOC entry."""
    if _TOC.search(text):
        return True
    if _PUNCT.search(text):
        return False
    return len(_NUMBER.findall(text)) >= 2 and (wide_gaps >= 2 or len(CJK.findall(text)) < 4)


def _wide_gaps(line: _Line) -> int:
    words = sorted(line.words, key=lambda w: w.x0)
    return sum(1 for a, b in zip(words, words[1:], strict=False) if b.x0 - a.x1 > 1.5 * line.height)


def prose_lines(page: PageData) -> list[_Line]:
    """The page's lines outside ruled tables, without folios and tabular rows."""
    regions = table_regions(page)
    height = page.height
    out: list[_Line] = []
    for text_line in page.lines:
        words = [w for w in text_line.words if not _inside(w, regions)] if regions else list(text_line.words)
        if not words:
            continue
        line = _Line(min(w.top for w in words), max(w.bottom for w in words), words)
        text = line.text
        in_margin = line.bottom < height * MARGIN_BAND or line.top > height * (1 - MARGIN_BAND)
        if _FOLIO.match(text) or (in_margin and len(text) < 12) or is_tabular(text, _wide_gaps(line)):
            continue
        out.append(line)
    return out


@dataclass
class _Paragraph:
    page: int
    text: str
    bbox: BBox
    index: int


def _paragraphs(pages: Iterable[tuple[int, list[_Line]]]) -> list[_Paragraph]:
    """Join lines into paragraphs: a line ending short of the right margin closes one, a list
    marker or an indented line opens one; page breaks do not close a paragraph by themselves."""
    paras: list[_Paragraph] = []
    current: _Paragraph | None = None
    for page_no, lines in pages:
        if not lines:
            continue
        right = max(ln.x1 for ln in lines)
        left = _body_left(lines)
        for line in lines:
            text = line.text.strip()
            if not text:
                continue
            char_w = max((line.bottom - line.top) * 0.9, 6.0)
            opens = bool(_LIST_START.match(text)) or line.x0 > left + 1.5 * char_w
            if current is None or opens:
                if current is not None:
                    paras.append(current)
                current = _Paragraph(page_no, text, line.bbox, len(paras))
            else:
                current.text += text
                if current.page == page_no:
                    b = current.bbox
                    lb = line.bbox
                    current.bbox = (min(b[0], lb[0]), b[1], max(b[2], lb[2]), max(b[3], lb[3]))
            short = line.x1 < right - 2 * char_w
            heading = bool(_HEADING.match(current.text)) and not _PUNCT.search(current.text[3:])
            if short and (text[-1] in _PARA_END or heading):
                paras.append(current)
                current = None
        # a page break keeps the paragraph open: sentences run on to the next page (p21→p22)
    if current is not None:
        paras.append(current)
    return paras


def _body_left(lines: list[_Line]) -> float:
    """The left edge of the body text: the leftmost x0 shared by two lines (a lone header or
    folio further left must not make every body line look indented)."""
    counts: dict[int, int] = {}
    for ln in lines:
        counts[round(ln.x0)] = counts.get(round(ln.x0), 0) + 1
    shared = [x for x, n in counts.items() if n >= 2]
    return float(min(shared)) if shared else min(ln.x0 for ln in lines)


def split_sentences(text: str) -> list[str]:
    """。-terminated sentences (also ！？); the tail without a terminator is a sentence too. A 。 that a
    closing bracket follows ends a note inside the sentence (…6.54万元（购置费0万元；运行费6.54万元。）比上年
    减少…), not the sentence."""
    out: list[str] = []
    buf = ""
    for i, ch in enumerate(text):
        buf += ch
        if ch in _SENTENCE_END and text[i + 1 : i + 2] not in ("）", ")"):
            if buf.strip(_SENTENCE_END + " "):
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def sentences_from_lines(pages: Iterable[tuple[int, list[_Line]]]) -> list[Sentence]:
    out: list[Sentence] = []
    for n, para in enumerate(_paragraphs(pages)):
        for s in split_sentences(para.text):
            out.append(Sentence(page=para.page, text=s, bbox=para.bbox, paragraph=n))
    return out


def _running_heads(pages: list[tuple[int, list[_Line]]], heights: dict[int, float]) -> set[str]:
    """Texts printed in the top/bottom margin of several pages: running headers and footers."""
    seen: dict[str, int] = {}
    for n, lines in pages:
        h = heights[n]
        for ln in lines:
            if ln.bottom < h * MARGIN_BAND * 1.5 or ln.top > h * (1 - MARGIN_BAND * 1.5):
                seen[ln.text] = seen.get(ln.text, 0) + 1
    return {t for t, k in seen.items() if k >= 3}


@dataclass
class NarrativeReader:
    """Prose lines collected page by page (fed in order); sentences once every page was seen."""

    pages: list[tuple[int, list[_Line]]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    blank: list[int] = field(default_factory=list)

    def feed(self, page: PageData) -> None:
        if page.blank:
            self.blank.append(page.number)
        if not page.words:
            return
        self.heights[page.number] = page.height
        self.pages.append((page.number, prose_lines(page)))

    def sentences(self) -> list[Sentence]:
        """The report's prose, one Sentence per 。-terminated sentence, with its page."""
        pages = self.pages
        heads = _running_heads(pages, self.heights)
        if heads:
            pages = [(n, [ln for ln in lines if ln.text not in heads]) for n, lines in pages]
        return sentences_from_lines(pages)


def extract_sentences(pages: Iterable[PageData]) -> list[Sentence]:
    """The report's prose, one Sentence per 。-terminated sentence, with its page."""
    reader = NarrativeReader()
    for page in pages:
        reader.feed(page)
    return reader.sentences()


def blank_pages(pages: Iterable[PageData]) -> list[int]:
    """1-based numbers of pages that show nothing: no text, no image, no visible stroke or fill
    (putuo_justice_2026_dept_budget.pdf p3 is a frame of white-filled cells after the TOC)."""
    return [p.number for p in pages if p.blank]
