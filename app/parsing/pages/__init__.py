"""PDF backends behind one page model: `pdfium` (default) and `pdfplumber` (the reference).

The backend is a parse option; without one, the `PDF_BACKEND` environment variable chooses
(`pdfium` or `pdfplumber`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Protocol

from app.parsing.pages.model import Glyph, Path, RawPage, is_white
from app.parsing.pages.ocr import DEFAULT_OCR, OcrSettings

BACKENDS = ("pdfium", "pdfplumber")
DEFAULT_BACKEND = "pdfium"


class Document(Protocol):
    backend: str

    def __len__(self) -> int: ...

    def pages(self) -> Iterator[RawPage]: ...

    def close(self) -> None: ...


def backend_name(backend: str | None = None) -> str:
    """The backend asked for, else `PDF_BACKEND`, else pdfium; an unknown name is an error."""
    name = (backend or os.environ.get("PDF_BACKEND") or DEFAULT_BACKEND).strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"unknown PDF backend {name!r}: expected one of {', '.join(BACKENDS)}")
    return name


def load(data: bytes, backend: str | None = None, ocr: OcrSettings | None = DEFAULT_OCR) -> Document:
    """Open the bytes with the chosen backend; a file it cannot open raises PdfEncrypted or
    PdfUnreadable. `ocr` (None: never) says how the default backend reads pages without text."""
    if backend_name(backend) == "pdfplumber":
        from app.parsing.pages.plumber import PlumberDocument

        return PlumberDocument(data)
    from app.parsing.pages.pdfium import PdfiumDocument

    return PdfiumDocument(data, ocr)


__all__ = ["BACKENDS", "DEFAULT_OCR", "Document", "Glyph", "OcrSettings", "Path", "RawPage", "backend_name", "is_white",
           "load"]
