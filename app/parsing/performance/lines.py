"""Words → visual lines and phrases, and cell text joined the way a reader reads it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.parsing.performance.view import Char, Word
from app.parsing.text import paired

PHRASE_GAP = 0.8  # words closer than this many font sizes on one line form a phrase


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)


def group_lines(words: Iterable[Word], tolerance: float = 0.4) -> list[Line]:
    """Words whose vertical centres lie within `tolerance` sizes of each other share a line."""
    ws = sorted(words, key=lambda w: w.yc)
    groups: list[list[Word]] = []
    centre = 0.0
    for w in ws:
        if groups and abs(w.yc - centre) <= tolerance * w.size:
            groups[-1].append(w)
        else:
            groups.append([w])
            centre = w.yc
    return [Line(tuple(sorted(g, key=lambda w: w.x0))) for g in groups]


def _joiner(left: str, right: str) -> str:
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return " "
    return ""


def join_words(words: Sequence[Word]) -> str:
    """One line's words left to right; a space only between two Latin words."""
    text = ""
    for w in sorted(words, key=lambda w: w.x0):
        text += _joiner(text, w.text) + w.text
    return text


def cell_text(words: Iterable[Word]) -> str:
    """A cell's words in reading order: lines top to bottom, wrapped CJK lines joined without a space;
    a bracket pair split over two lines in one width (OCR reads a lone half of （…） as ASCII)."""
    text = ""
    for line in group_lines(words):
        t = line.text
        text += _joiner(text, t) + t
    return paired(text.strip())


def phrases(line: Line, gap: float = PHRASE_GAP) -> list[Word]:
    """The line's words merged when closer than `gap` sizes: a header cell printed as one run."""
    out: list[Word] = []
    for w in line.words:
        if out and w.x0 - out[-1].x1 <= gap * w.size:
            p = out[-1]
            chars: tuple[Char, ...] = p.chars + w.chars
            out[-1] = Word(
                p.text + _joiner(p.text, w.text) + w.text,
                p.x0,
                w.x1,
                min(p.top, w.top),
                max(p.bottom, w.bottom),
                max(p.size, w.size),
                chars,
            )
        else:
            out.append(w)
    return out


def compact(text: str) -> str:
    """Text without any whitespace (how labels are compared)."""
    return "".join(text.split())
