"""Refuse what is not a readable text PDF before any extraction starts, with a stable code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.parsing.errors import EmptyFile, NotAPdf, PdfUnreadable, TooManyPages
from app.parsing.pages import Document, backend_name, load

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_PAGES = 500


def check_magic(data: bytes) -> None:
    """Raise unless the bytes start like a PDF (a few leading bytes of junk are tolerated)."""
    if not data:
        raise EmptyFile("the uploaded file has no content")
    if PDF_MAGIC not in data[:1024]:
        head = data[:64].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not a PDF"
        raise NotAPdf(f"the file is {what}: it does not start with %PDF-")


@contextmanager
def open_pdf(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES, backend: str | None = None) -> Iterator[Document]:
    """The opened document, refused with a ParseError unless it is a readable PDF of at most
    `max_pages` pages; closed on exit."""
    check_magic(data)
    doc = load(data, backend_name(backend))  # a library failure arrives as a ParseError
    try:
        try:
            n = len(doc)
        except Exception as exc:
            raise PdfUnreadable(f"the PDF's page tree cannot be read: {type(exc).__name__}: {exc}") from exc
        if n == 0:
            raise PdfUnreadable("the PDF has no pages")
        if n > max_pages:
            raise TooManyPages(f"the PDF has {n} pages; at most {max_pages} are accepted")
        yield doc
    finally:
        doc.close()
