"""Plain-text helpers the readers share: what a Chinese character is, bracket pairs of one width."""

from __future__ import annotations

import re

_OPEN, _CLOSE = "(（", ")）"
CJK = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character (the CJK Unified Ideographs)


def paired(text: str) -> str:
    """Brackets of one pair in one width: OCR often reads one half of （…） as ASCII. A pair
    around Chinese text is printed full-width, one around other text ASCII."""
    out, opened = list(text), []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            opened.append(i)
        elif ch in _CLOSE and opened:
            j = opened.pop()
            if (text[j] == "（") != (ch == "）"):
                wide = bool(CJK.search(text[j + 1 : i]))
                out[j], out[i] = ("（", "）") if wide else ("(", ")")
    return "".join(out)
