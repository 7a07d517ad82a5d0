"""Refuse what is not a readable text PDF before any extraction starts, with a stable code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.parsing.errors import EmptyFile, NotAPdf, PdfUnreadable, TooManyPages
from app.parsing.pages import DEFAULT_OCR, Document, OcrSettings, backend_name, load

PDF_MAGIC = b"%PDF-"
# containers that may hold a PDF within their first bytes (a stored zip member, a tar entry): never a PDF
CONTAINERS = ((b"PK\x03\x04", "a zip archive"), (b"PK\x05\x06", "a zip archive"), (b"PK\x07\x08", "a zip archive"),
              (b"\x1f\x8b", "a gzip file"), (b"7z\xbc\xaf\x27\x1c", "a 7z archive"), (b"Rar!\x1a\x07", "a RAR archive"),
              (b"BZh", "a bzip2 file"), (b"\xfd7zXZ\x00", "an xz file"), (b"\xd0\xcf\x11\xe0", "an OLE document"))
DEFAULT_MAX_PAGES = 500


def check_magic(data: bytes) -> None:
    """Raise unless the bytes start like a PDF (a few leading bytes of junk are tolerated)."""
    if not data:
        raise EmptyFile("the uploaded file has no content")
    container = next((what for magic, what in CONTAINERS if data.startswith(magic)), None)
    if container is None and data[257:262] == b"ustar":
        container = "a tar archive"
    if container is not None:
        raise NotAPdf(f"the file is {container}, not a PDF: send each PDF as its own upload, or the archive to "
                      "POST /batches")
    if PDF_MAGIC not in data[:1024]:
        head = data[:64].lstrip().lower()
        what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not a PDF"
        raise NotAPdf(f"the file is {what}: it does not start with %PDF-")


@contextmanager
def open_pdf(data: bytes, *, max_pages: int = DEFAULT_MAX_PAGES, backend: str | None = None,
             ocr: OcrSettings | None = DEFAULT_OCR) -> Iterator[Document]:
    """The opened document, refused with a ParseError unless it is a readable PDF of at most
    `max_pages` pages; closed on exit."""
    check_magic(data)
    doc = load(data, backend_name(backend), ocr)  # a library failure arrives as a ParseError
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
